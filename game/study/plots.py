"""Figures of a study, drawn from its summaries (never from the rows) as PNG files.

Figures are built as :class:`matplotlib.figure.Figure` objects and saved with the Agg
canvas, without pyplot, so drawing them neither needs a display nor changes the backend
of a notebook that imported us.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure

from game.scenario.compile import CompiledScenario
from game.study.accumulators import Aggregate
from game.study.intervals import Histogram

DPI = 110
MAP_LABELS = 14
"""Provinces named on the map, most valuable first (the rest would overprint)."""


def save(fig: Figure, path: Path) -> Path:
    """Render a figure to a PNG file with the Agg canvas and return the path."""
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    return path


def _side_colours(scn: CompiledScenario) -> list[str]:
    return [s.colour for s in scn.model.sides]


def outcome_bars(scn: CompiledScenario, arms: list[tuple[str, Aggregate]], title: str) -> Figure:
    """Outcome probabilities with their 95% intervals, one bar per arm and outcome."""
    fig = Figure(figsize=(7.5, 0.9 + 0.55 * len(scn.outcomes) * len(arms)))
    ax = fig.add_subplot()
    names = [o.name for o in scn.outcomes]
    height = 0.8 / len(arms)
    y = np.arange(len(names))
    for j, (label, agg) in enumerate(arms):
        p = np.array([q[0] for q in agg.probabilities()])
        lo = np.array([q[1] for q in agg.probabilities()])
        hi = np.array([q[2] for q in agg.probabilities()])
        pos = y + (j - (len(arms) - 1) / 2) * height
        ax.barh(pos, p, height=height * 0.9, label=label, xerr=[p - lo, hi - p], capsize=3)
        for yy, pp, hh in zip(pos, p, hi, strict=True):
            ax.text(min(hh + 0.01, 0.9), yy, f"{pp:.1%}", va="center", fontsize=8)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability (bars: 95% confidence interval)")
    ax.set_title(title)
    if len(arms) > 1:
        ax.legend(loc="lower right")
    return fig


def end_dates(scn: CompiledScenario, arms: list[tuple[str, Aggregate]]) -> Figure:
    """Histogram of the date each war ended, by week (or by turn)."""
    fig = Figure(figsize=(8, 3.6))
    ax = fig.add_subplot()
    for label, agg in arms:
        days, counts = _rebinned(agg.end_day, scn.turn_days)
        if counts.sum() == 0:
            continue
        dates = [scn.start + dt.timedelta(days=int(d)) for d in days[:-1]]
        ax.stairs(
            counts / counts.sum(),
            np.array([*dates, scn.start + dt.timedelta(days=int(days[-1]))], dtype="datetime64[D]"),
            label=label,
            fill=len(arms) == 1,
            alpha=0.8,
        )
    ax.axvline(np.datetime64(scn.end), color="grey", linestyle=":", label="scenario end")
    ax.set_ylabel("share of runs")
    ax.set_title("When the war ended")
    ax.legend()
    fig.autofmt_xdate()
    return fig


def casualties(scn: CompiledScenario, arms: list[tuple[str, Aggregate]]) -> Figure:
    """Distribution of men killed, one panel per side."""
    fig = Figure(figsize=(8, 3.4))
    axes = fig.subplots(1, scn.S, sharey=True)
    for s, ax in enumerate(np.atleast_1d(axes)):
        for label, agg in arms:
            edges, counts = _coarse(agg.killed_hist[s], 40)
            if counts.sum():
                ax.stairs(
                    counts / counts.sum(),
                    edges,
                    label=label,
                    fill=len(arms) == 1,
                    color=_side_colours(scn)[s] if len(arms) == 1 else None,
                    alpha=0.8,
                )
        ax.set_title(f"{scn.side_name(s)}: men killed")
        ax.set_xlabel("men killed")
    np.atleast_1d(axes)[0].set_ylabel("share of runs")
    if len(arms) > 1:
        np.atleast_1d(axes)[0].legend()
    return fig


def theatre(scn: CompiledScenario, agg: Aggregate) -> Figure:
    """The map shaded by the probability each province ends in each side's hands.

    Two panels: at the end of the war (after a draw treaty has restored the pre-war
    map) and at the signing (how far each side had got).
    """
    fig = Figure(figsize=(11, 6))
    axes = fig.subplots(1, 2)
    colours = _side_colours(scn)
    cmap = LinearSegmentedColormap.from_list(
        "sides", [to_rgb(colours[1]), (0.95, 0.95, 0.95), to_rgb(colours[0])]
    )
    named = set(np.argsort(-scn.value, kind="stable")[:MAP_LABELS].tolist())
    for ax, counts, title in (
        (axes[0], agg.owner_end, "at the end of the war"),
        (axes[1], agg.owner_signing, "at the signing (before a draw hands provinces back)"),
    ):
        p0 = counts[:, 0] / max(agg.n, 1)
        _links(ax, scn)
        sc = ax.scatter(
            scn.lon,
            scn.lat,
            c=p0,
            cmap=cmap,
            vmin=0,
            vmax=1,
            s=40 + 12 * scn.value,
            edgecolors="black",
            linewidths=0.6,
            zorder=3,
        )
        for p in sorted(named):
            ax.annotate(
                scn.province_name(p),
                (scn.lon[p], scn.lat[p]),
                fontsize=7,
                xytext=(4, 4),
                textcoords="offset points",
                zorder=4,
            )
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("longitude")
        ax.set_aspect(1.0 / np.cos(np.radians(scn.lat.mean())), adjustable="datalim")
    axes[0].set_ylabel("latitude")
    bar = fig.colorbar(sc, ax=axes, shrink=0.8)
    bar.set_label(f"probability held by {scn.side_name(0)} (else {scn.side_name(1)})")
    fig.suptitle("Who holds each province")
    return fig


def _links(ax: Any, scn: CompiledScenario) -> None:
    for link in scn.model.map.links:
        a, b = scn.province_index[link.a], scn.province_index[link.b]
        ax.plot(
            [scn.lon[a], scn.lon[b]],
            [scn.lat[a], scn.lat[b]],
            color="#999999",
            linewidth=0.8,
            zorder=1,
        )


def _rebinned(h: Histogram, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(edges, counts)`` with bins of about ``width`` values (whole input bins)."""
    _edges, counts = h.trimmed()
    k = max(1, round(width / h.width))
    pad = (-counts.size) % k
    counts = np.concatenate([counts, np.zeros(pad, np.int64)]).reshape(-1, k).sum(axis=1)
    return np.arange(counts.size + 1) * k * h.width, counts


def _coarse(h: Histogram, bins: int) -> tuple[np.ndarray, np.ndarray]:
    _edges, counts = h.trimmed()
    k = max(1, -(-counts.size // bins))
    return _rebinned(h, k * h.width)


def write_all(
    out: Path, scn: CompiledScenario, arms: list[tuple[str, Aggregate]], title: str
) -> list[Path]:
    """Draw the standard figures of a study into ``out``; return their paths."""
    return [
        save(outcome_bars(scn, arms, title), out / "outcomes.png"),
        save(end_dates(scn, arms), out / "end_dates.png"),
        save(casualties(scn, arms), out / "casualties.png"),
        save(theatre(scn, arms[0][1]), out / "map.png"),
    ]
