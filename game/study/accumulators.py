"""Streaming summaries of a study: memory that does not grow with the number of runs.

Each chunk's rows are folded into integer counts, sums and histograms and then let go.
The summary of a million runs needs the same few kilobytes as that of a thousand, and,
because every statistic is an exact integer, it is the same whatever the chunking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.codes import CommanderState
from game.scenario.compile import CompiledScenario
from game.study.chunk import Columns, uncertain_forces
from game.study.conduct_recorder import period_columns, periods
from game.study.intervals import Histogram, Moments, half_width, wilson
from game.study.will_recorder import CAUSES

LOSSES = ("killed", "wounded", "captured", "deserted")
"""Kinds of loss the engine counts per side."""
INPUT_BINS = 5
"""Each sampled input's range is cut into this many equal parts for the sensitivity table."""


@dataclass
class Aggregate:
    """Everything a study reports about one arm, accumulated chunk by chunk.

    Attributes:
        n_outcomes: Number of scenario outcomes.
        sides: Number of sides.
        provinces: Number of provinces.
        commanders: Number of commanders.
        inputs: Number of sampled inputs (0 unless uncertain values are sampled).
        by_period: The by-period and record columns of the scenario's conduct, each with
            whether it has a value per side (:func:`~game.study.conduct_recorder.period_columns`).
    """

    n_outcomes: int
    sides: int
    provinces: int
    commanders: int
    inputs: int = 0
    by_period: dict[str, bool] = field(default_factory=dict)
    n: int = 0
    outcome: np.ndarray = field(init=False)
    unfinished: int = 0
    truncated: int = 0
    end_day: Histogram = field(default_factory=Histogram)
    battles: Moments = field(default_factory=Moments)
    battles_hist: Histogram = field(default_factory=Histogram)
    concentration: list[Moments] = field(init=False)
    concentration_hist: list[Histogram] = field(init=False)
    raids: list[Moments] = field(init=False)
    raids_hist: list[Histogram] = field(init=False)
    period_figures: dict[str, list[tuple[Moments, Histogram]]] = field(init=False)
    will: list[Moments] = field(init=False)
    will_hist: list[Histogram] = field(init=False)
    talks_opened: int = 0
    talks_turn: Histogram = field(default_factory=Histogram)
    talks_causes: np.ndarray = field(init=False)
    losses: dict[str, list[Moments]] = field(init=False)
    killed_hist: list[Histogram] = field(init=False)
    held: list[Moments] = field(init=False)
    cmd_lost: list[Moments] = field(init=False)
    owner_end: np.ndarray = field(init=False)
    owner_signing: np.ndarray = field(init=False)
    cmd_killed: np.ndarray = field(init=False)
    cmd_captured: np.ndarray = field(init=False)
    input_bins: np.ndarray = field(init=False)
    input_moments: list[Moments] = field(init=False)
    input_cross: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        S, n_out = self.sides, self.n_outcomes
        self.outcome = np.zeros(n_out, np.int64)
        self.losses = {k: [Moments() for _ in range(S)] for k in LOSSES}
        self.killed_hist = [Histogram() for _ in range(S)]
        self.held = [Moments() for _ in range(S)]
        self.cmd_lost = [Moments() for _ in range(S)]
        self.concentration = [Moments() for _ in range(S)]
        self.concentration_hist = [Histogram() for _ in range(S)]
        self.raids = [Moments() for _ in range(S)]
        self.raids_hist = [Histogram() for _ in range(S)]
        self.period_figures = {
            key: [(Moments(), Histogram()) for _ in range(S if per_side else 1)]
            for key, per_side in self.by_period.items()
        }
        self.will = [Moments() for _ in range(S)]
        self.will_hist = [Histogram() for _ in range(S)]
        self.talks_causes = np.zeros(len(CAUSES), np.int64)
        self.owner_end = np.zeros((self.provinces, S), np.int64)
        self.owner_signing = np.zeros((self.provinces, S), np.int64)
        self.cmd_killed = np.zeros(self.commanders, np.int64)
        self.cmd_captured = np.zeros(self.commanders, np.int64)
        self.input_bins = np.zeros((self.inputs, INPUT_BINS, n_out + 1), np.int64)
        self.input_moments = [Moments() for _ in range(self.inputs)]
        self.input_cross = np.zeros((self.inputs, n_out), np.int64)

    @classmethod
    def for_scenario(cls, scn: CompiledScenario, sample_uncertain: bool) -> Aggregate:
        """Return an empty aggregate sized for a scenario."""
        return cls(
            n_outcomes=len(scn.outcomes),
            sides=scn.S,
            provinces=scn.P,
            commanders=scn.C,
            inputs=int(uncertain_forces(scn).size) if sample_uncertain else 0,
            by_period=period_columns(scn),
        )

    def add(self, cols: Columns, scn: CompiledScenario) -> None:
        """Fold one chunk's rows into the summary."""
        self.n += int(cols["run"].size)
        oc = cols["outcome"].astype(np.int64)
        ended = cols["over"] & (oc >= 0)
        self.outcome += np.bincount(oc[ended], minlength=self.n_outcomes)
        self.unfinished += int((~ended).sum())
        self.truncated += int(cols["truncated"].sum())
        self.end_day.add(cols["end_day"][ended])
        self.battles.add(cols["battles"])
        self.battles_hist.add(cols["battles"])
        for s in range(self.sides):
            for k in LOSSES:
                self.losses[k][s].add(cols[k][:, s])
            self.killed_hist[s].add(cols["killed"][:, s])
            self.held[s].add((cols["owner"] == s).sum(axis=1))
            self.cmd_lost[s].add(cols["cmd_lost"][:, scn.cmd_side == s].sum(axis=1))
            self.owner_end[:, s] += (cols["owner"] == s).sum(axis=0)
            self.owner_signing[:, s] += (cols["owner_signing"] == s).sum(axis=0)
        self._add_conduct(cols)
        self._add_will(cols)
        self.cmd_killed += (cols["cmd_state"] == CommanderState.KILLED).sum(axis=0)
        self.cmd_captured += (cols["cmd_state"] == CommanderState.CAPTURED).sum(axis=0)
        if self.inputs:
            self._add_inputs(cols, scn, oc, ended)

    def _add_conduct(self, cols: Columns) -> None:
        """Fold each side's concentration (in thousandths, exact) and raids.

        Chunks of a study begun before they were recorded lack them (left out).
        """
        if "concentration" not in cols:
            return
        for s in range(self.sides):
            conc = cols["concentration"][:, s].astype(np.float64)
            kept = np.rint(1000.0 * conc[np.isfinite(conc)]).astype(np.int64)
            self.concentration[s].add(kept)
            self.concentration_hist[s].add(kept)
            self.raids[s].add(cols["raids"][:, s])
            self.raids_hist[s].add(cols["raids"][:, s])
        for key, figures in self.period_figures.items():
            if key not in cols:
                continue
            values = cols[key].reshape(cols[key].shape[0], -1)
            for s, (moments, hist) in enumerate(figures):
                kept = values[:, s][values[:, s] >= 0]  # -1: a side the figure is not for
                moments.add(kept)
                hist.add(kept)

    def _add_will(self, cols: Columns) -> None:
        """Fold each side's will at the end (in thousandths, exact) and the opening of talks.

        Chunks of a study begun before they were recorded lack them (left out).
        """
        if "will_final" not in cols:
            return
        for s in range(self.sides):
            kept = np.rint(1000.0 * cols["will_final"][:, s].astype(np.float64)).astype(np.int64)
            self.will[s].add(kept)
            self.will_hist[s].add(kept)
        turn = cols["talks_turn"].astype(np.int64)
        opened = turn >= 0
        self.talks_opened += int(opened.sum())
        self.talks_turn.add(turn[opened])
        cause = cols["talks_cause"].astype(np.int64)[opened]
        self.talks_causes += np.bincount(cause, minlength=len(CAUSES))[: len(CAUSES)]

    def _add_inputs(
        self, cols: Columns, scn: CompiledScenario, oc: np.ndarray, ended: np.ndarray
    ) -> None:
        forces = uncertain_forces(scn)
        lo = scn.men_lo[forces].astype(np.int64)
        span = scn.men_hi[forces].astype(np.int64) - lo + 1
        x = cols["inputs"].astype(np.int64)
        b = np.minimum((x - lo) * INPUT_BINS // span, INPUT_BINS - 1)
        code = np.where(ended, oc, self.n_outcomes)
        onehot = code[:, None] == np.arange(self.n_outcomes)[None, :]
        for i in range(self.inputs):
            np.add.at(self.input_bins[i], (b[:, i], code), 1)
            self.input_moments[i].add(x[:, i])
            self.input_cross[i] += (x[:, i, None] * onehot).sum(axis=0)

    # ------------------------------------------------------------------ reading

    def probabilities(self) -> list[tuple[float, float, float]]:
        """Return ``(p, lo, hi)`` of each outcome (share of all runs, Wilson interval)."""
        return [(int(k) / self.n if self.n else 0.0, *wilson(int(k), self.n)) for k in self.outcome]

    def widest_half_width(self) -> float:
        """Return the largest 95% half-width over the outcome probabilities."""
        return max((half_width(lo, hi) for _, lo, hi in self.probabilities()), default=1.0)

    def summary(self, scn: CompiledScenario) -> dict[str, Any]:
        """Return the JSON-ready summary of the arm (see ``docs/studies.md``)."""
        sides = scn.side_ids
        return {
            "runs": self.n,
            "outcomes": self._outcomes(scn),
            "winners": self._winners(scn),
            "unfinished": self.unfinished,
            "truncated": {"count": self.truncated, "share": _share(self.truncated, self.n)},
            "end_date": self._end_date(scn),
            "killed": {
                sides[s]: _dist(self.losses["killed"][s], self.killed_hist[s])
                for s in range(self.sides)
            },
            "losses": {
                k: {sides[s]: _mean(self.losses[k][s]) for s in range(self.sides)} for k in LOSSES
            },
            "provinces_held": {sides[s]: _mean(self.held[s]) for s in range(self.sides)},
            "province_owner": self._owners(scn, self.owner_end),
            "province_owner_at_signing": self._owners(scn, self.owner_signing),
            "commanders_lost": {sides[s]: _mean(self.cmd_lost[s]) for s in range(self.sides)},
            "commanders": self._commanders(scn),
            "battles": _dist(self.battles, self.battles_hist),
            "concentration": {
                sides[s]: _dist(self.concentration[s], self.concentration_hist[s], 1000.0)
                for s in range(self.sides)
            },
            "raids": {
                sides[s]: _dist(self.raids[s], self.raids_hist[s]) for s in range(self.sides)
            },
            **self._by_period(scn),
            "will": {
                sides[s]: _dist(self.will[s], self.will_hist[s], 1000.0) for s in range(self.sides)
            },
            "talks": self._talks(scn),
        }

    def _by_period(self, scn: CompiledScenario) -> dict[str, Any]:
        """Return the raids and battles by period, the record's raids, and the periods' ends.

        With them the raids of the sides the historical policy plays by who fought them
        (``raids_orders``, ...; a side it does not play is left out, and the figure too
        when it plays none).  ``periods`` gives the last day each ``*_to_<period>``
        figure counts (the record's last engagement, its treaty); a scenario whose record
        gives neither has none of them.
        """
        out: dict[str, Any] = {}
        for key, figures in self.period_figures.items():
            if self.n and not any(m.n for m, _ in figures):
                continue  # recorded for no side, or by no chunk of the study
            if self.by_period[key]:
                out[key] = {
                    scn.side_ids[s]: _dist(m, h)
                    for s, (m, h) in enumerate(figures)
                    if m.n or not self.n
                }
            else:
                out[key] = _dist(*figures[0])
        last = periods(scn)
        if last:
            out["periods"] = {k: scn.date_of(0, day).isoformat() for k, day in last.items()}
        return out

    def _talks(self, scn: CompiledScenario) -> dict[str, Any]:
        """Return how often talks opened, when (the turn's last day) and why."""
        k = self.talks_opened
        when = None
        if k:
            when = {
                name: scn.date_of(int(self.talks_turn.quantile(q)), scn.turn_days - 1).isoformat()
                for name, q in (("median", 0.5), ("p05", 0.05), ("p95", 0.95))
            }
        return {
            "opened": {"count": k, "p": _share(k, self.n), "ci95": list(wilson(k, self.n))},
            "date": when,
            "causes": {name: int(self.talks_causes[c]) for c, name in enumerate(CAUSES)},
        }

    def _outcomes(self, scn: CompiledScenario) -> dict[str, Any]:
        out = {}
        for o, (p, lo, hi) in zip(scn.outcomes, self.probabilities(), strict=True):
            out[o.id] = {
                "name": o.name,
                "winner": o.winner,
                "count": int(self.outcome[scn.outcome_index[o.id]]),
                "p": p,
                "ci95": [lo, hi],
            }
        return out

    def _winners(self, scn: CompiledScenario) -> dict[str, Any]:
        """Return the probability each side wins, and of a draw (outcomes with no winner)."""
        groups: dict[str, int] = dict.fromkeys(scn.side_ids, 0)
        groups["draw"] = 0
        for i, o in enumerate(scn.outcomes):
            groups[o.winner or "draw"] += int(self.outcome[i])
        return {
            g: {"count": k, "p": _share(k, self.n), "ci95": list(wilson(k, self.n))}
            for g, k in groups.items()
        }

    def _end_date(self, scn: CompiledScenario) -> dict[str, Any]:
        h = self.end_day
        if h.n == 0:
            return {}
        edges, counts = h.trimmed()
        first = int(edges[np.flatnonzero(counts)[0]])
        mean = (
            sum(int(c) * (int(e) + (h.width - 1) / 2) for e, c in zip(edges, counts, strict=False))
            / h.n
        )

        def date(day: float) -> str:
            return (scn.start + dt.timedelta(days=round(day))).isoformat()

        return {
            "mean": date(mean),
            "median": date(h.quantile(0.5)),
            "p05": date(h.quantile(0.05)),
            "p95": date(h.quantile(0.95)),
            "earliest": date(first),
            "latest": date(h.quantile(1.0)),
            "mean_days": mean,
        }

    def _owners(self, scn: CompiledScenario, counts: np.ndarray) -> dict[str, dict[str, float]]:
        return {
            pid: {scn.side_ids[s]: _share(int(counts[p, s]), self.n) for s in range(self.sides)}
            for p, pid in enumerate(scn.province_ids)
        }

    def _commanders(self, scn: CompiledScenario) -> dict[str, dict[str, float]]:
        return {
            cid: {
                "killed": _share(int(self.cmd_killed[c]), self.n),
                "captured": _share(int(self.cmd_captured[c]), self.n),
            }
            for c, cid in enumerate(scn.commander_ids)
        }


def _share(k: int, n: int) -> float:
    return k / n if n else 0.0


def _mean(m: Moments) -> dict[str, Any]:
    mean, lo, hi = m.interval()
    return {"mean": mean, "ci95": [lo, hi]}


def _dist(m: Moments, h: Histogram, unit: float = 1.0) -> dict[str, Any]:
    """Return the mean (with its interval) and quantiles, in ``1 / unit`` of the counts."""
    mean, lo, hi = m.interval()
    return {
        "mean": mean / unit,
        "ci95": [lo / unit, hi / unit],
        "median": h.quantile(0.5) / unit,
        "p05": h.quantile(0.05) / unit,
        "p95": h.quantile(0.95) / unit,
        "max": h.quantile(1.0) / unit,
    }
