"""What a played war did that history can be compared with, as one row per run.

:func:`play_measured` plays a batch of runs with the play loop and watches every turn's
report: for each recorded battle, the played battle at the same place closest to its date
(within :data:`~game.history.record.WINDOW_DAYS`) and whether history's winner won it; for
each recorded occupation, whether the occupier held the province near its date and
whether its troops had gone by the recorded withdrawal.  The final state adds the
commanders killed, the dead, the outcome and the day the war ended.  Rows are plain
arrays, so chunks played in other processes put back together in run order give exactly
what one batch would.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.base import Policy
from game.codes import CommanderState, ForceStatus, Winner
from game.engine.state import CampaignState, initial_state
from game.engine.turn import TurnReport
from game.history.record import WINDOW_DAYS, Engagement, Occupation, engagements, occupations
from game.play_loop import Columns, Recorder, Turn, end_columns, play_recorded
from game.scenario.compile import CompiledScenario
from game.study.will_recorder import WillByTurn

I64 = npt.NDArray[np.int64]
NEVER = np.iinfo(np.int32).max
"""Gap (in days) standing for 'no battle found in the window'."""


class Watcher(Recorder):
    """The recorder that keeps, per run, what the fidelity report compares.

    Args:
        scn: The scenario.
        runs: Number of runs in the batch.
    """

    def __init__(self, scn: CompiledScenario, runs: int) -> None:
        self.scn = scn
        self.battles: list[Engagement] = engagements(scn)
        self.occupations: list[Occupation] = occupations(scn)
        E, N = len(self.battles), len(self.occupations)
        self.gap = np.full((runs, E), NEVER, np.int32)
        self.won = np.zeros((runs, E), bool)
        self.held = np.zeros((runs, N), bool)
        self.stayed = np.zeros((runs, N), bool)
        self.checked = np.zeros((runs, N), bool)

    def __call__(self, turn: Turn) -> None:
        """Record one turn of the batch (``turn.where`` maps rows to batch positions)."""
        self._battles(turn.report, turn.where)
        self._occupations(turn.after, turn.report.turn, turn.where)

    def _battles(self, report: TurnReport, where: I64) -> None:
        t = report.table("battles")
        if not t:
            return
        day = report.turn * self.scn.turn_days + t["day"].astype(np.int64)
        winner = np.where(
            t["winner"] == Winner.ATTACKER,
            t["attacker"],
            np.where(t["winner"] == Winner.DEFENDER, 1 - t["attacker"], -1),
        )
        for e, b in enumerate(self.battles):
            gap = np.abs(day - b.day)
            for i in np.flatnonzero((t["province"] == b.province) & (gap <= WINDOW_DAYS)):
                r = where[t["run"][i]]
                if gap[i] < self.gap[r, e]:
                    self.gap[r, e] = gap[i]
                    self.won[r, e] = b.winner is not None and winner[i] == b.winner

    def _occupations(self, state: CampaignState, turn: int, where: I64) -> None:
        last_day = (turn + 1) * self.scn.turn_days - 1
        first_day = last_day - self.scn.turn_days + 1
        for o, occ in enumerate(self.occupations):
            if occ.day - WINDOW_DAYS <= last_day and first_day <= occ.day + WINDOW_DAYS:
                self.held[where, o] |= state.owner[:, occ.province] == occ.side
            if occ.until_day is None:
                continue
            deadline = occ.until_day + WINDOW_DAYS
            if first_day <= deadline <= last_day:
                live = ~state.over
                stayed = troops_in(self.scn, state, occ.province, occ.side) > 0
                self.stayed[where[live], o] = stayed[live]
                self.checked[where[live], o] = True

    def finish(self, final: CampaignState) -> None:
        """Judge the withdrawals of runs whose war ended before the recorded one.

        After a treaty the province is the occupier's only if the peace left it so (a
        draw hands every province back), so the final owner says whether it stayed.
        """
        for o, occ in enumerate(self.occupations):
            if occ.until_day is None:
                continue
            late = ~self.checked[:, o]
            self.stayed[late, o] = final.owner[late, occ.province] == occ.side

    def columns(self) -> Columns:
        """Return the rows recorded so far."""
        return {
            "battle_gap": self.gap.copy(),
            "battle_won": self.won.copy(),
            "occupied": self.held.copy(),
            "stayed": self.stayed.copy(),
        }


def troops_in(scn: CompiledScenario, state: CampaignState, province: int, side: int) -> I64:
    """Return each run's men of ``side`` standing in ``province`` (not on the road out)."""
    mine = (state.status == ForceStatus.ACTIVE) & (scn.force_side == side)[None, :]
    there = (state.loc == province) & (state.nxt < 0)
    return np.where(mine & there, state.men, 0).sum(axis=1).astype(np.int64)


def final_columns(scn: CompiledScenario, st: CampaignState) -> Columns:
    """Return the per-run results kept from the final state."""
    return {
        **end_columns(st),
        "killed": st.killed.sum(axis=1).astype(np.int64),
        "cmd_killed": st.cmd_state == CommanderState.KILLED,
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
    recorders = [Watcher(scn, state.runs), WillByTurn(scn, state.runs)]
    final, recorded = play_recorded(scn, state, policies, recorders)
    return {**final_columns(scn, final), **recorded}
