"""Which uncertain inputs drive the outcome: a tornado of outcome swings.

With ``--sample-uncertain`` each run draws every uncertain strength uniformly from its
range, independently of the others.  For each input, the runs that drew from the lowest
fifth of its range are compared with those that drew from the highest fifth: the
difference in an outcome's probability between them is the input's *swing* (the width of
its bar in a tornado chart).  Because the inputs are drawn independently, each swing
measures that input's own effect, averaged over everything else; the correlation between
the input and the outcome is reported too, from the same exact integer sums.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from game.scenario.compile import CompiledScenario
from game.study.accumulators import INPUT_BINS, Aggregate
from game.study.chunk import uncertain_forces
from game.study.intervals import independent_difference, wilson


def drivers(scn: CompiledScenario, agg: Aggregate) -> list[dict[str, Any]]:
    """Return each sampled input's effect on every outcome, strongest first.

    Each entry has the force id and name, its range, and per outcome: the probability
    when the input is in its lowest and highest fifth (with Wilson intervals), the swing
    between them, and the correlation between the input and the outcome.
    """
    out = []
    forces = uncertain_forces(scn)
    for i, f in enumerate(forces[: agg.inputs]):
        bins = agg.input_bins[i]
        low_n, high_n = int(bins[0].sum()), int(bins[INPUT_BINS - 1].sum())
        effects = {}
        for k, o in enumerate(scn.outcomes):
            lo_k, hi_k = int(bins[0, k]), int(bins[INPUT_BINS - 1, k])
            p_lo = lo_k / low_n if low_n else math.nan
            p_hi = hi_k / high_n if high_n else math.nan
            effects[o.id] = {
                "p_low": p_lo,
                "ci95_low": list(wilson(lo_k, low_n)),
                "p_high": p_hi,
                "ci95_high": list(wilson(hi_k, high_n)),
                "swing": p_hi - p_lo,
                "ci95_swing": list(independent_difference(hi_k, high_n, lo_k, low_n)[1:]),
                "correlation": _correlation(agg, i, k),
            }
        out.append(
            {
                "force": scn.force_ids[f],
                "name": scn.force_name(int(f)),
                "range": [int(scn.men_lo[f]), int(scn.men_hi[f])],
                "runs_low": low_n,
                "runs_high": high_n,
                "outcomes": effects,
                "largest_swing": max(
                    (abs(e["swing"]) for e in effects.values() if not math.isnan(e["swing"])),
                    default=0.0,
                ),
            }
        )
    out.sort(key=lambda d: -d["largest_swing"])
    return out


def _correlation(agg: Aggregate, i: int, k: int) -> float:
    """Return the correlation of input ``i`` with outcome ``k`` happening (point-biserial)."""
    m, n = agg.input_moments[i], agg.n
    y = int(agg.outcome[k])
    if n < 2 or y in (0, n):
        return 0.0
    sxx = m.squares - m.total * m.total / n
    sxy = int(agg.input_cross[i, k]) - m.total * y / n
    syy = y - y * y / n
    if sxx <= 0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)


def tornado(scn: CompiledScenario, agg: Aggregate, outcome: str, top: int = 12) -> Figure:
    """Draw the tornado chart of one outcome: a bar per input from low to high fifth."""
    k = scn.outcome_index[outcome]
    rows = [d for d in drivers(scn, agg) if not math.isnan(d["outcomes"][outcome]["swing"])]
    rows.sort(key=lambda d: -abs(d["outcomes"][outcome]["swing"]))
    rows = rows[:top]
    base = int(agg.outcome[k]) / agg.n if agg.n else 0.0
    fig = Figure(figsize=(8, 1.2 + 0.45 * max(len(rows), 1)))
    ax = fig.add_subplot()
    for y, d in enumerate(rows):
        e = d["outcomes"][outcome]
        lo, hi = e["p_low"], e["p_high"]
        ax.barh(y, hi - base, left=base, color="#c0392b", alpha=0.8)
        ax.barh(y, lo - base, left=base, color="#2e86c1", alpha=0.8)
        ax.text(
            max(lo, hi) + 0.01,
            y,
            f"{d['range'][0]:,}-{d['range'][1]:,} men",
            va="center",
            fontsize=7,
        )
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(np.arange(len(rows)), [d["name"] for d in rows])
    ax.invert_yaxis()
    ax.set_xlabel(f"P({scn.outcomes[k].name}): blue = input in lowest fifth, red = highest fifth")
    ax.set_title(f"What drives '{scn.outcomes[k].name}' (from {agg.n:,} runs)")
    return fig
