"""Play one chunk of runs of one arm and return its rows as plain arrays.

This is the whole of a worker's job, and the only function a backend sends anywhere:
``play_chunk(spec, arm, first, count, scenario)`` takes plain data and returns a dict of numpy
arrays, one row per run.  The runs are played by the play loop
(:func:`game.play_loop.play_recorded`), which sets finished runs aside as it goes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from game.ai.base import Policy
from game.ai.historical import HistoricalPolicy
from game.codes import CommanderState
from game.engine.state import CampaignState, initial_state, sample_men
from game.errors import UsageError
from game.play_loop import Columns, Recorder, Turn, end_columns, play_recorded
from game.scenario.compile import CompiledScenario
from game.study import policy_names as policy_registry
from game.study.conduct_recorder import Conduct, UnderOrders
from game.study.spec import StudySpec, load_cached
from game.study.will_recorder import WillAtEnd


def uncertain_forces(scn: CompiledScenario) -> npt.NDArray[np.int64]:
    """Return the force slots whose strength is a range (the inputs a study may sample)."""
    return np.flatnonzero(scn.men_lo < scn.men_hi)


def play_chunk(
    spec_data: dict[str, Any],
    arm: int,
    first: int,
    count: int,
    scenario: dict[str, Any] | None = None,
) -> Columns:
    """Play runs ``first .. first+count-1`` of one arm and return one row per run.

    Args:
        spec_data: :meth:`StudySpec.to_dict` output (plain data, cheap to send).
        arm: Index of the arm in the spec.
        first: Global index of the first run.
        count: Number of runs.
        scenario: The arm's scenario as plain data (:func:`game.study.spec.scenario_data`),
            or None to load it from its files.
    """
    spec = StudySpec.from_dict(spec_data)
    a = spec.arms[arm]
    scn = load_cached(a.scenario, a.hash, scenario)
    policies = policy_registry.make_all(spec.policy_map, scn, spec.difficulty)
    run_ids = np.arange(first, first + count, dtype=np.int64)
    cols = play_runs(scn, policies, run_ids, spec.seed, spec.sample_uncertain)
    if spec.sample_uncertain:
        cols["inputs"] = sample_men(scn, spec.seed, run_ids, True)[:, uncertain_forces(scn)]
    else:
        cols["inputs"] = np.zeros((count, 0), np.int32)
    return cols


def play_runs(
    scn: CompiledScenario,
    policies: dict[int, Policy],
    run_ids: npt.NDArray[np.int64],
    seed: int,
    sample_uncertain: bool,
) -> Columns:
    """Play whole campaigns for the given runs and return one row per run.

    Besides the final state, it keeps who held each province when the treaty was signed
    (:class:`SigningOwners`), each side's will at the end with when and why talks
    opened (:class:`~game.study.will_recorder.WillAtEnd`), and how each side kept its
    army together and raided (:class:`~game.study.conduct_recorder.Conduct`), with the
    raids of the sides the historical policy plays by who fought them
    (:class:`~game.study.conduct_recorder.UnderOrders`).
    """
    if len(run_ids) == 0:
        raise UsageError("a chunk must hold at least one run")
    state = initial_state(scn, run_ids, seed, sample_uncertain=sample_uncertain)
    historical = tuple(s for s, p in sorted(policies.items()) if isinstance(p, HistoricalPolicy))
    recorders = [
        SigningOwners(state),
        WillAtEnd(scn, state.runs),
        Conduct(scn, state.runs),
        UnderOrders(scn, state.runs, historical),
    ]
    final, recorded = play_recorded(scn, state, policies, recorders)
    return {**final_columns(scn, final), **recorded}


class SigningOwners(Recorder):
    """Who held each province when each run's treaty was signed (``owner_signing``).

    A treaty that names no winner hands every province back to its pre-war owner, so the
    final state alone cannot say how far either side had got.
    """

    def __init__(self, start: CampaignState) -> None:
        self.owner = start.owner.copy()

    def __call__(self, turn: Turn) -> None:
        """Keep the owners of the runs whose war ended this turn, as the treaty found them."""
        ended = turn.after.over & ~turn.before.over
        if ended.any():
            owner = turn.before.owner.copy()
            ctl = turn.report.table("control")
            if ctl:
                owner[ctl["run"], ctl["province"]] = ctl["side"]
            self.owner[turn.where[ended]] = owner[ended]

    def columns(self) -> Columns:
        """Return the owners at signing, ``[runs, P]``."""
        return {"owner_signing": self.owner}


def final_columns(scn: CompiledScenario, st: CampaignState) -> Columns:
    """Return the per-run results a study keeps from a final state."""
    lost = (st.cmd_state == CommanderState.KILLED) | (st.cmd_state == CommanderState.CAPTURED)
    return {
        **end_columns(st),
        "battles": st.battles.astype(np.int32),
        "killed": st.killed.astype(np.int32),
        "wounded": st.wounded.astype(np.int32),
        "captured": st.captured.astype(np.int32),
        "deserted": st.deserted.astype(np.int32),
        "vp": st.vp.astype(np.float32),
        "owner": st.owner.astype(np.int8),
        "cmd_state": st.cmd_state.astype(np.int8),
        "cmd_lost": lost,
    }
