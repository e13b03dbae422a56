"""Terminal tables of a study's summary (rich), for people rather than programs.

Everything printed here comes from the summary dict, so the table and ``summary.json``
(and ``--json``) can never disagree.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

PERIOD_NAMES = {"record": "the record's last battle", "treaty": "the record's treaty"}
"""What each period of the summary's ``periods`` runs to, in the table's words."""


def pct(p: float | None, *, signed: bool = False) -> str:
    """Return a probability as a percentage with one decimal (never "-0.0%").

    None (a share of no runs at all, which summaries record as null) prints as "n/a".
    """
    if p is None:
        return "n/a"
    v = 100 * p
    if abs(v) < 0.05:
        v = 0.0
    return f"{v:+.1f}%" if signed else f"{v:.1f}%"


def ci(interval: list[float], *, percent: bool = True, signed: bool = False) -> str:
    """Return an interval as ``lo – hi``."""
    lo, hi = interval
    if percent:
        return f"{pct(lo, signed=signed)} – {pct(hi, signed=signed)}"
    return f"{lo:,.0f} – {hi:,.0f}"


def outcomes_table(summary: dict[str, Any], title: str) -> Table:
    """Return the table of outcome probabilities with their intervals."""
    t = Table(title=title, title_justify="left")
    t.add_column("Outcome")
    t.add_column("Winner")
    t.add_column("P", justify="right")
    t.add_column("95% CI", justify="right")
    t.add_column("Runs", justify="right")
    for o in summary["outcomes"].values():
        t.add_row(o["name"], o["winner"] or "draw", pct(o["p"]), ci(o["ci95"]), f"{o['count']:,}")
    return t


def war_table(summary: dict[str, Any]) -> Table:
    """Return the table of how the war went: dates, losses, provinces, commanders, battles."""
    t = Table(
        title="How the war went (mean, 95% CI of the mean; 5th–95th percentile)",
        title_justify="left",
    )
    t.add_column("")
    t.add_column("Mean", justify="right")
    t.add_column("95% CI", justify="right")
    t.add_column("5th – 95th pct", justify="right")
    e = summary["end_date"]
    if e:
        t.add_row("War ends (median)", e["median"], "", f"{e['p05']} – {e['p95']}")
        t.add_row("Cut off at the end date", pct(summary["truncated"]["share"]), "", "")
    for side, k in summary["killed"].items():
        t.add_row(
            f"Killed: {side}",
            f"{k['mean']:,.0f}",
            ci(k["ci95"], percent=False),
            f"{k['p05']:,.0f} – {k['p95']:,.0f}",
        )
    for side, h in summary["provinces_held"].items():
        t.add_row(f"Provinces held at the end: {side}", f"{h['mean']:.2f}", "", "")
    for side, c in summary["commanders_lost"].items():
        t.add_row(f"Commanders lost: {side}", f"{c['mean']:.2f}", "", "")
    b = summary["battles"]
    t.add_row("Battles fought", f"{b['mean']:.1f}", "", f"{b['p05']:.0f} – {b['p95']:.0f}")
    # How each side fought (NaN when no chunk of the study recorded it).
    _share_rows(t, "Concentration", summary.get("concentration", {}))
    _count_rows(t, "Raids", summary.get("raids", {}))
    # The raids by period and the record's own, when the scenario's record gives the dates.
    for key, last in summary.get("periods", {}).items():
        name = PERIOD_NAMES.get(key, key)
        _count_rows(t, f"Raids to {name} ({last})", summary.get(f"raids_to_{key}", {}))
    _count_rows(t, "Raids in the record", summary.get("record_raids", {}))
    _share_rows(t, "Will at the end", summary.get("will", {}))
    talks = summary.get("talks")
    if talks and talks["date"]:
        o = talks["opened"]
        d = talks["date"]
        t.add_row("Talks opened", pct(o["p"]), ci(o["ci95"]), "")
        t.add_row("Talks opened on (median)", d["median"], "", f"{d['p05']} – {d['p95']}")
    return t


def _count_rows(t: Table, label: str, by_side: dict[str, Any]) -> None:
    """Add a row per side of a count a war: mean, 5th–95th percentiles."""
    for side, k in by_side.items():
        if k["mean"] == k["mean"]:  # NaN when no chunk of the study recorded it
            t.add_row(
                f"{label}: {side}", f"{k['mean']:.1f}", "", f"{k['p05']:.0f} – {k['p95']:.0f}"
            )


def _share_rows(t: Table, label: str, by_side: dict[str, Any]) -> None:
    """Add a row per side of a share of one: mean, its interval, 5th–95th percentiles."""
    for side, c in by_side.items():
        if c["mean"] == c["mean"]:  # NaN when no chunk of the study recorded it
            t.add_row(
                f"{label}: {side}",
                f"{c['mean']:.2f}",
                f"{c['ci95'][0]:.2f} – {c['ci95'][1]:.2f}",
                f"{c['p05']:.2f} – {c['p95']:.2f}",
            )


def comparison_table(cmp: dict[str, Any], base: str, vs: str) -> Table:
    """Return the paired comparison: each outcome's change with paired and independent CIs."""
    t = Table(
        title=f"Paired comparison on the same {cmp['runs']:,} runs: {vs} minus {base}",
        title_justify="left",
        caption="Paired CI uses common random numbers; the independent CI is what two "
        "separate studies of the same size would give.",
    )
    for col in (
        "Outcome",
        "Baseline",
        "Variant",
        "Change",
        "Paired 95% CI",
        "Independent 95% CI",
        "Tighter",
    ):
        t.add_column(col, justify="left" if col == "Outcome" else "right")
    for o in cmp["outcomes"].values():
        t.add_row(
            o["name"],
            pct(o["base"]),
            pct(o["vs"]),
            pct(o["difference"], signed=True),
            ci(o["ci95_paired"], signed=True),
            ci(o["ci95_independent"], signed=True),
            f"{o['tightening']:.1f}×",
        )
    return t


def drivers_table(drivers: list[dict[str, Any]], outcome: str, name: str, top: int = 10) -> Table:
    """Return the inputs that move one outcome most (the tornado as a table)."""
    t = Table(
        title=f"What drives '{name}' (lowest vs highest fifth of each range)", title_justify="left"
    )
    for col in ("Input", "Range (men)", "P low", "P high", "Swing", "95% CI of swing", "Corr."):
        t.add_column(col, justify="left" if col == "Input" else "right")
    rows = sorted(drivers, key=lambda d: -abs(d["outcomes"][outcome]["swing"] or 0.0))[:top]
    for d in rows:
        e = d["outcomes"][outcome]
        t.add_row(
            d["name"],
            f"{d['range'][0]:,}–{d['range'][1]:,}",
            pct(e["p_low"]),
            pct(e["p_high"]),
            pct(e["swing"], signed=True),
            ci(e["ci95_swing"], signed=True),
            "n/a" if e["correlation"] is None else f"{e['correlation']:+.2f}",
        )
    return t


def footer(summary: dict[str, Any]) -> str:
    """Return one line on how the study was played."""
    state = {
        "runs": "complete",
        "until_ci": "stopped: precise enough",
        "interrupted": "INTERRUPTED",
    }[summary["stopped"]]
    first = summary.get("first_run") or 0
    return (
        f"{summary['runs']:,} runs (from run {first:,}), seed {summary['seed']}, "
        f"{state}; {summary['campaigns_played']:,} campaigns played in "
        f"{summary['elapsed_s']:.1f} s ({summary['runs_per_s']:,.0f}/s, {summary['backend']}"
        f" × {summary['workers']})"
        + (f", {summary['campaigns_reused']:,} reused" if summary["campaigns_reused"] else "")
    )


def print_study(summary: dict[str, Any], console: Console, *, balance: bool = False) -> None:
    """Print a study's summary as tables."""
    title = f"{summary['scenario']['title']}: outcome probabilities"
    console.print(outcomes_table(summary, title))
    console.print(war_table(summary))
    if "vs" in summary:
        console.print(outcomes_table(summary["vs"], "Variant: outcome probabilities"))
        console.print(comparison_table(summary["vs"]["comparison"], "baseline", "variant"))
    if summary.get("drivers"):
        target = min(summary["outcomes"], key=lambda k: abs(summary["outcomes"][k]["p"] - 0.5))
        console.print(
            drivers_table(summary["drivers"], target, summary["outcomes"][target]["name"])
        )
    if balance:
        console.print(f"[bold]Balance:[/bold] {summary['balance']['text']}")
    console.print(footer(summary))
