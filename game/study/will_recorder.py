"""War will on show: each side's will as a war goes, and when and why talks opened.

Tuning a war's will is most of the work of fitting a scenario, and it cannot be done
blind.  These recorders are turn hooks of the play loop (:class:`game.play_loop.Recorder`):
:class:`WillAtEnd` keeps, per run, each side's will when the war ended and the turn and
cause of the opening of talks (a study's ``runs.csv``: ``will_<side>_final``,
``talks_opened_turn``, ``talks_cause``); :class:`WillByTurn` also keeps every side's will
at the end of every turn (the fidelity report's ``will`` section), which costs a row of
``turns x sides`` per run and so is for batches of thousands, not millions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.codes import NONE, TalksCause
from game.engine.state import CampaignState
from game.play_loop import Columns, Recorder, Turn
from game.scenario.compile import CompiledScenario

CAUSES = tuple(c.name.lower() for c in TalksCause)
"""The causes of talks by code: will, collapse, sued, event."""


class WillAtEnd(Recorder):
    """Each side's will at the end, and the turn and cause of the opening of talks.

    Args:
        scn: The scenario.
        runs: Number of runs in the batch.
    """

    def __init__(self, scn: CompiledScenario, runs: int) -> None:
        self.final = np.zeros((runs, scn.S), np.float32)
        self.party_final = np.zeros((runs, scn.Q), np.float32)
        self.talks_turn = np.full(runs, NONE, np.int16)
        self.talks_cause = np.full(runs, NONE, np.int8)

    def __call__(self, turn: Turn) -> None:
        """Note the runs whose talks opened this turn (the first opening counts)."""
        talks = turn.report.table("talks")
        if not talks:
            return
        rows = turn.where[talks["run"]]
        first = self.talks_turn[rows] == NONE
        self.talks_turn[rows[first]] = turn.before.turn
        self.talks_cause[rows[first]] = talks["cause"][first]

    def finish(self, final: CampaignState) -> None:
        """Keep every run's will as its war ended (or as the last turn played left it)."""
        self.final[:] = final.will
        self.party_final[:] = final.party_will

    def columns(self) -> Columns:
        """Return each run's will at the end, and when and why talks opened.

        Columns ``will_final [R, S]``, ``party_will_final [R, Q]``, ``talks_turn`` and
        ``talks_cause`` (-1: talks never opened).
        """
        return {
            "will_final": self.final.copy(),
            "party_will_final": self.party_final.copy(),
            "talks_turn": self.talks_turn.copy(),
            "talks_cause": self.talks_cause.copy(),
        }


class WillByTurn(WillAtEnd):
    """Also every side's (and allied party's) will at the end of every turn of every run.

    A turn after a run's war has ended is left as NaN, so that turn-by-turn figures are
    over the wars still being fought.
    """

    def __init__(self, scn: CompiledScenario, runs: int) -> None:
        super().__init__(scn, runs)
        self.by_turn = np.full((runs, scn.n_turns, scn.S), np.nan, np.float32)
        self.party_by_turn = np.full((runs, scn.n_turns, scn.Q), np.nan, np.float32)

    def __call__(self, turn: Turn) -> None:
        """Keep the will of every run that fought this turn."""
        super().__call__(turn)
        live = ~turn.before.over
        t = turn.before.turn
        self.by_turn[turn.where[live], t] = turn.after.will[live]
        self.party_by_turn[turn.where[live], t] = turn.after.party_will[live]

    def columns(self) -> Columns:
        """Return :class:`WillAtEnd`'s columns and ``will_by_turn [R, T, S]``."""
        return {
            **super().columns(),
            "will_by_turn": self.by_turn.copy(),
            "party_will_by_turn": self.party_by_turn.copy(),
        }


def _spread(values: np.ndarray) -> dict[str, float] | None:
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    p05, med, p95 = np.percentile(values, (5, 50, 95), method="inverted_cdf")
    return {
        "median": round(float(med), 4),
        "p05": round(float(p05), 4),
        "p95": round(float(p95), 4),
    }


def will_summary(scn: CompiledScenario, cols: Columns) -> dict[str, Any]:
    """Return the will section of a report from :class:`WillByTurn`'s columns.

    ``by_turn`` gives, for every turn some war was still fought, the share of runs still
    at war and each side's will over them (median, 5th and 95th percentiles); ``final``
    each side's will as the wars ended; ``talks`` how often talks opened, when (as a
    date: median, 5th and 95th percentiles) and why (the share of each cause among the
    runs where they opened).
    """
    runs = int(cols["talks_turn"].size)
    by_turn = []
    for t in range(scn.n_turns):
        at_war = np.isfinite(cols["will_by_turn"][:, t, 0]) if scn.S else np.zeros(runs, bool)
        if not at_war.any():
            continue
        row: dict[str, Any] = {
            "turn": t,
            "date": scn.date_of(t, scn.turn_days - 1).isoformat(),
            "at_war": round(float(at_war.mean()), 4),
        }
        for s, sid in enumerate(scn.side_ids):
            row[sid] = _spread(cols["will_by_turn"][:, t, s])
        for q, pid in enumerate(scn.party_ids):
            row[pid] = _spread(cols["party_will_by_turn"][:, t, q])
        by_turn.append(row)
    opened = cols["talks_turn"] >= 0
    turns = cols["talks_turn"][opened].astype(np.int64)
    when = None
    if turns.size:
        p05, med, p95 = np.percentile(turns, (5, 50, 95), method="inverted_cdf")
        when = {
            k: scn.date_of(int(v), scn.turn_days - 1).isoformat()
            for k, v in (("median", med), ("p05", p05), ("p95", p95))
        }
    causes = cols["talks_cause"][opened].astype(np.int64)
    return {
        "by_turn": by_turn,
        "final": {sid: _spread(cols["will_final"][:, s]) for s, sid in enumerate(scn.side_ids)},
        "party_final": {
            pid: _spread(cols["party_will_final"][:, q]) for q, pid in enumerate(scn.party_ids)
        },
        "talks": {
            "opened": round(float(opened.mean()), 4) if runs else None,
            "date": when,
            "causes": {
                name: round(float((causes == code).mean()), 4) if causes.size else 0.0
                for code, name in enumerate(CAUSES)
            },
        },
    }
