"""Paired comparison of two arms played on the same runs (common random numbers).

Run *r* of the baseline and run *r* of the variant share every die that the change does
not touch, so most runs end the same way in both and the difference between the arms is
measured on the few runs it actually changes.  The interval of a difference from paired
runs depends only on those discordant runs; that of two independent studies of the same
size depends on every run's noise.  Both are reported so the gain is visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.scenario.compile import CompiledScenario
from game.study.accumulators import Aggregate
from game.study.chunk import Columns
from game.study.intervals import Moments, half_width, independent_difference, paired_difference


@dataclass
class PairedAggregate:
    """Discordant counts and paired differences between a baseline and a variant.

    ``b[k]`` counts runs that ended in outcome *k* in the variant only and ``c[k]`` in the
    baseline only, so differences read "variant minus baseline".
    """

    n_outcomes: int
    sides: int
    n: int = 0
    b: np.ndarray = field(init=False)
    c: np.ndarray = field(init=False)
    same: int = 0
    killed: list[Moments] = field(init=False)
    end_day: Moments = field(default_factory=Moments)
    battles: Moments = field(default_factory=Moments)

    def __post_init__(self) -> None:
        self.b = np.zeros(self.n_outcomes, np.int64)
        self.c = np.zeros(self.n_outcomes, np.int64)
        self.killed = [Moments() for _ in range(self.sides)]

    def add(self, base: Columns, variant: Columns) -> None:
        """Fold the rows of the same runs from both arms."""
        if not np.array_equal(base["run"], variant["run"]):
            raise ValueError("paired chunks must hold the same runs")
        self.n += int(base["run"].size)
        ob, ov = base["outcome"].astype(np.int64), variant["outcome"].astype(np.int64)
        for k in range(self.n_outcomes):
            self.b[k] += int(((ov == k) & (ob != k)).sum())
            self.c[k] += int(((ob == k) & (ov != k)).sum())
        self.same += int((ob == ov).sum())
        for s in range(self.sides):
            self.killed[s].add(variant["killed"][:, s].astype(np.int64) - base["killed"][:, s])
        self.end_day.add(variant["end_day"].astype(np.int64) - base["end_day"])
        self.battles.add(variant["battles"].astype(np.int64) - base["battles"])

    def widest_half_width(self) -> float:
        """Return the largest paired 95% half-width over the outcome differences."""
        widths = [
            half_width(*paired_difference(int(b), int(c), self.n)[1:])
            for b, c in zip(self.b, self.c, strict=True)
        ]
        return max(widths, default=1.0)

    def summary(self, scn: CompiledScenario, base: Aggregate, variant: Aggregate) -> dict[str, Any]:
        """Return each outcome's difference with its paired and independent intervals."""
        outcomes = {}
        for k, o in enumerate(scn.outcomes):
            d, lo, hi = paired_difference(int(self.b[k]), int(self.c[k]), self.n)
            _, ilo, ihi = independent_difference(
                int(variant.outcome[k]), variant.n, int(base.outcome[k]), base.n
            )
            outcomes[o.id] = {
                "name": o.name,
                "base": _p(base, k),
                "vs": _p(variant, k),
                "difference": d,
                "ci95_paired": [lo, hi],
                "ci95_independent": [ilo, ihi],
                "tightening": half_width(ilo, ihi) / max(half_width(lo, hi), 1e-12),
                "changed_runs": {"to": int(self.b[k]), "from": int(self.c[k])},
            }
        return {
            "runs": self.n,
            "same_outcome": {"count": self.same, "share": self.same / self.n if self.n else 0.0},
            "outcomes": outcomes,
            "killed": {scn.side_ids[s]: _diff(self.killed[s]) for s in range(self.sides)},
            "end_days": _diff(self.end_day),
            "battles": _diff(self.battles),
        }


def _p(agg: Aggregate, k: int) -> float:
    return int(agg.outcome[k]) / agg.n if agg.n else 0.0


def _diff(m: Moments) -> dict[str, Any]:
    mean, lo, hi = m.interval()
    return {"mean": mean, "ci95": [lo, hi]}
