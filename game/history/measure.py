"""What a played war did that history can be compared with, as one row per run.

:func:`play_measured` plays a batch of runs with the play loop and the recorders of
:func:`recorders`, each keeping one kind of figure for every run:

* :class:`BattleFigures` — for each recorded battle, the figures of the played battle that
  stands for it (the engine decides which: :mod:`game.engine.phases.engagements`): who
  attacked, the men on each side, their killed, wounded and captured, the defender's
  posture.  Who won it is the state's own ``rec_winner``;
* :class:`Occupations` — for each recorded occupation, whether the occupier held the
  province near its date, and whether its troops had gone by the recorded withdrawal;
* :class:`Premises` — for each record entry that rests on a premise, whether the premise
  held when the entry's turn began;
* :class:`TalksOpened` — the turn peace talks opened.

The final state adds the commanders killed, the dead, the outcome, the day the war ended
and who won each recorded battle.  A new figure is a new recorder added to
:func:`recorders`.  Rows are plain arrays, so chunks played in other processes put back
together in run order give exactly what one batch would.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.base import Policy
from game.codes import NONE, CommanderState, ForceStatus
from game.engine.events import evaluate
from game.engine.phases.engagements import DRAW
from game.engine.state import CampaignState, initial_state
from game.history.record import conditional_entries, engagements, occupations
from game.play_loop import Columns, Recorder, Turn, end_columns, play_recorded
from game.scenario.compile import CompiledScenario
from game.study.will_recorder import WillByTurn

I64 = npt.NDArray[np.int64]
LOSSES = ("killed", "wounded", "captured")
"""The kinds of loss kept per side for each recorded battle."""


class BattleFigures(Recorder):
    """Per run and recorded battle: the figures of the played battle that stands for it."""

    def __init__(self, scn: CompiledScenario, runs: int) -> None:
        E, S = len(engagements(scn)), scn.S
        self.attacker = np.full((runs, E), NONE, np.int8)
        self.posture = np.full((runs, E), NONE, np.int8)
        self.men = np.zeros((runs, E, S), np.int64)
        self.losses = {k: np.zeros((runs, E, S), np.int64) for k in LOSSES}

    def __call__(self, turn: Turn) -> None:
        """Copy the figures of every battle that now stands for a recorded one."""
        counted = turn.report.table("recorded_battles")
        if not counted:
            return
        t = turn.report.table("battles")
        row, e = counted["battle"], counted["engagement"]
        r = turn.where[counted["run"]]
        att = t["attacker"][row].astype(np.int64)
        self.attacker[r, e] = att
        self.posture[r, e] = t["posture"][row]
        for prefix, side in (("att", att), ("def", 1 - att)):
            self.men[r, e, side] = t[f"{prefix}_men"][row]
            for k in LOSSES:
                self.losses[k][r, e, side] = t[f"{prefix}_{k}"][row]

    def columns(self) -> Columns:
        """Return ``battle_attacker``, ``battle_posture``, ``battle_men`` and the losses."""
        out = {
            "battle_attacker": self.attacker,
            "battle_posture": self.posture,
            "battle_men": self.men,
        }
        out.update({f"battle_{k}": v for k, v in self.losses.items()})
        return out


class Occupations(Recorder):
    """Per run and recorded occupation: did it happen, and was it over by history's date?"""

    def __init__(self, scn: CompiledScenario, runs: int) -> None:
        self.scn = scn
        self.occupations = occupations(scn)
        N = len(self.occupations)
        self.held = np.zeros((runs, N), bool)
        self.stayed = np.zeros((runs, N), bool)
        self.checked = np.zeros((runs, N), bool)

    def __call__(self, turn: Turn) -> None:
        """Note who holds each occupied place near its dates, and who is still in it."""
        state, where = turn.after, turn.where
        last_day = (turn.report.turn + 1) * self.scn.turn_days - 1
        first_day = last_day - self.scn.turn_days + 1
        window = self.scn.window_days
        for o, occ in enumerate(self.occupations):
            if occ.day - window <= last_day and first_day <= occ.day + window:
                self.held[where, o] |= state.owner[:, occ.province] == occ.side
            if occ.until_day is None:
                continue
            deadline = occ.until_day + window
            if first_day <= deadline <= last_day:
                live = ~state.over
                stayed = troops_in(self.scn, state, occ.province, occ.side) > 0
                self.stayed[where[live], o] = stayed[live]
                self.checked[where[live], o] = True

    def finish(self, final: CampaignState) -> None:
        """Judge the withdrawals of runs whose war ended before the recorded one.

        After a treaty the province is the occupier's only if the peace left it so (a
        status-quo treaty hands every province back), so the final owner says whether it
        stayed.
        """
        for o, occ in enumerate(self.occupations):
            if occ.until_day is None:
                continue
            late = ~self.checked[:, o]
            self.stayed[late, o] = final.owner[late, occ.province] == occ.side

    def columns(self) -> Columns:
        """Return ``occupied`` and ``stayed``."""
        return {"occupied": self.held, "stayed": self.stayed}


class Premises(Recorder):
    """Per run and record entry resting on a premise: did the premise hold at its turn?"""

    def __init__(self, scn: CompiledScenario, runs: int) -> None:
        self.scn = scn
        self.entries = conditional_entries(scn)
        self.held = np.zeros((runs, len(self.entries)), bool)
        self.judged = np.zeros((runs, len(self.entries)), bool)

    def __call__(self, turn: Turn) -> None:
        """Judge the premises of entries of this turn on the state it began from."""
        for m, (entry_turn, premise) in enumerate(self.entries):
            if entry_turn == turn.report.turn:
                state = turn.before
                self.held[turn.where, m] = evaluate(self.scn, state, premise.when, state.turn)
                self.judged[turn.where, m] = True

    def finish(self, final: CampaignState) -> None:
        """Judge a premise due after the war ended on the final state."""
        for m, (_, premise) in enumerate(self.entries):
            late = ~self.judged[:, m]
            if late.any():
                self.held[late, m] = evaluate(self.scn, final, premise.when, final.turn)[late]

    def columns(self) -> Columns:
        """Return ``premise_held``."""
        return {"premise_held": self.held}


class TalksOpened(Recorder):
    """Per run: the turn peace talks opened, or -1."""

    def __init__(self, scn: CompiledScenario, runs: int) -> None:
        del scn
        self.turn = np.full(runs, NONE, np.int16)

    def __call__(self, turn: Turn) -> None:
        """Note the turn in which talks are first seen open."""
        opened = (turn.after.talks >= 0) & (self.turn[turn.where] < 0)
        self.turn[turn.where[opened]] = turn.report.turn

    def columns(self) -> Columns:
        """Return ``talks_turn``."""
        return {"talks_turn": self.turn}


def recorders(scn: CompiledScenario, runs: int) -> list[Recorder]:
    """Return the recorders of a fidelity run, in order: one per kind of figure."""
    kinds = (BattleFigures, Occupations, Premises, TalksOpened, WillByTurn)
    return [make(scn, runs) for make in kinds]


def troops_in(scn: CompiledScenario, state: CampaignState, province: int, side: int) -> I64:
    """Return each run's men of ``side`` standing in ``province`` (not on the road out)."""
    mine = (state.status == ForceStatus.ACTIVE) & (scn.force_side == side)[None, :]
    there = (state.loc == province) & (state.nxt < 0)
    return np.where(mine & there, state.men, 0).sum(axis=1).astype(np.int64)


def final_columns(scn: CompiledScenario, st: CampaignState) -> Columns:
    """Return the per-run results kept from the final state.

    ``battle_winner`` is each recorded battle's winning side in the run, :data:`DRAW`, or
    -1 where it was not fought.
    """
    return {
        **end_columns(st),
        "killed": st.killed.sum(axis=1).astype(np.int64),
        "cmd_killed": st.cmd_state == CommanderState.KILLED,
        "battle_winner": st.rec_winner.astype(np.int8),
    }


def play_measured(
    scn: CompiledScenario,
    policies: dict[int, Policy],
    run_ids: I64,
    seed: int,
    *,
    sample_uncertain: bool = False,
) -> Columns:
    """Play whole campaigns for the given run ids and return one row per run."""
    state = initial_state(scn, run_ids, seed, sample_uncertain=sample_uncertain)
    final, recorded = play_recorded(scn, state, policies, recorders(scn, state.runs))
    return {**final_columns(scn, final), **recorded}


__all__ = ["DRAW", "LOSSES", "Columns", "play_measured", "recorders"]
