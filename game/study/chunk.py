"""Play one chunk of runs of one arm and return its rows as plain arrays.

This is the whole of a worker's job, and the only function a backend sends anywhere:
``play_chunk(spec, arm, first, count)`` takes plain data and returns a dict of numpy
arrays, one row per run.  Runs whose war has ended are dropped from the batch as it goes
(the engine plays each run independently of its batch-mates, so this changes nothing but
the time taken), which matters because a few long wars would otherwise keep every
finished run in the arrays until the last treaty.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from game.ai.base import Policy
from game.codes import CommanderState
from game.engine.state import CampaignState, initial_state, sample_men
from game.engine.turn import step
from game.errors import UsageError
from game.play_loop import decide_all
from game.scenario.compile import CompiledScenario
from game.study import policy_names as policy_registry
from game.study.spec import StudySpec, load_cached

Columns = dict[str, np.ndarray]
"""A chunk's rows by column; every array's first axis is the run."""

COMPACT_SHARE = 0.25
"""Drop finished runs from the batch once at least this share of it has finished."""


def uncertain_forces(scn: CompiledScenario) -> npt.NDArray[np.int64]:
    """Return the force slots whose strength is a range (the inputs a study may sample)."""
    return np.flatnonzero(scn.men_lo < scn.men_hi)


def play_chunk(spec_data: dict[str, Any], arm: int, first: int, count: int) -> Columns:
    """Play runs ``first .. first+count-1`` of one arm and return one row per run.

    Args:
        spec_data: :meth:`StudySpec.to_dict` output (plain data, cheap to send).
        arm: Index of the arm in the spec.
        first: Global index of the first run.
        count: Number of runs.
    """
    spec = StudySpec.from_dict(spec_data)
    a = spec.arms[arm]
    scn = load_cached(a.scenario, a.hash)
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
    """Play whole campaigns for the given runs, dropping finished ones as it goes.

    Besides the final state, it keeps who held each province when the treaty was signed:
    a treaty that names no winner hands every province back to its pre-war owner, so the
    final state alone cannot say how far either side had got.
    """
    state = initial_state(scn, run_ids, seed, sample_uncertain=sample_uncertain)
    n = state.runs
    signing = state.owner.copy()
    where = np.arange(n)
    parts: list[tuple[np.ndarray, Columns]] = []
    while state.runs and state.turn < scn.n_turns:
        orders = decide_all(scn, state, policies)
        new, report = step(scn, state, orders, record_moves=False)
        ended = new.over & ~state.over
        if ended.any():
            owner = state.owner.copy()
            ctl = report.table("control")
            if ctl:
                owner[ctl["run"], ctl["province"]] = ctl["side"]
            signing[where[ended]] = owner[ended]
        state = new
        done = state.over
        if done.sum() >= max(1, COMPACT_SHARE * state.runs):
            parts.append((where[done], final_columns(scn, state.select(done))))
            where = where[~done]
            state = state.select(~done)
    if state.runs:
        parts.append((where, final_columns(scn, state)))
    cols = _assemble(parts, n)
    cols["owner_signing"] = signing
    return cols


def final_columns(scn: CompiledScenario, st: CampaignState) -> Columns:
    """Return the per-run results a study keeps from a final state."""
    lost = (st.cmd_state == CommanderState.KILLED) | (st.cmd_state == CommanderState.CAPTURED)
    return {
        "run": st.run_ids.astype(np.int64),
        "over": st.over.copy(),
        "truncated": st.truncated.copy(),
        "outcome": st.outcome.astype(np.int8),
        "end_day": st.end_day.astype(np.int32),
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


def _assemble(parts: list[tuple[np.ndarray, Columns]], n: int) -> Columns:
    """Put rows collected at different turns back in run order."""
    if not parts:
        raise UsageError("a chunk must hold at least one run")
    out: Columns = {}
    for key, sample in parts[0][1].items():
        out[key] = np.empty((n, *sample.shape[1:]), sample.dtype)
    for where, cols in parts:
        for key, arr in cols.items():
            out[key][where] = arr
    return out
