"""Play whole campaigns for a batch of runs with a policy on each side.

This is the loop every headless user shares: the tournament, the fidelity report, studies
and the AI's look-ahead.  Each turn, each side's policy sees only its own observation and
its own keyed stream; the engine then plays the turn for every run at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from game.ai.base import Policy, policy_keys
from game.engine.observe import observe
from game.engine.orders import Orders
from game.engine.state import CampaignState, initial_state
from game.engine.turn import TurnReport, step
from game.scenario.compile import CompiledScenario

TurnHook = Callable[[CampaignState, TurnReport, npt.NDArray[np.int64]], None]
"""Called after every turn with the state, its report, and each row's batch position."""

COMPACT_SHARE = 0.25
"""Set finished runs aside once at least this share of the batch has finished."""


def decide_all(scn: CompiledScenario, state: CampaignState, policies: dict[int, Policy]) -> Orders:
    """Return both sides' orders for the current turn of every run."""
    orders = Orders.empty(state.runs, scn.F, scn.S)
    for s, policy in policies.items():
        obs = observe(scn, state, s)
        keys = policy_keys(state.seed, state.run_ids, state.turn, s)
        decision = policy.decide(scn, obs, keys)
        mine = np.flatnonzero(scn.force_side == s)
        orders = orders.merge(decision.orders, mine)
        orders.sue[:, s] |= decision.orders.sue[:, s]
    return orders


def play_from(
    scn: CompiledScenario,
    state: CampaignState,
    policies: dict[int, Policy],
    *,
    max_turns: int | None = None,
    on_turn: TurnHook | None = None,
    record_moves: bool = False,
) -> CampaignState:
    """Play on from ``state`` until every war is over (or ``max_turns`` turns).

    Finished runs are set aside as the batch goes (the engine plays each run
    independently, so this changes nothing but the time taken): a few long wars would
    otherwise keep every finished run in the arrays until the last treaty.  The hook gets
    the batch positions of the rows it sees.
    """
    where = np.arange(state.runs, dtype=np.int64)
    parts: list[tuple[npt.NDArray[np.int64], CampaignState]] = []
    turns = 0
    while state.runs and state.turn < scn.n_turns:
        if max_turns is not None and turns >= max_turns:
            break
        orders = decide_all(scn, state, policies)
        state, report = step(scn, state, orders, record_moves=record_moves)
        if on_turn is not None:
            on_turn(state, report, where)
        turns += 1
        done = state.over
        if done.all() or done.sum() >= max(1, COMPACT_SHARE * state.runs):
            parts.append((where[done], state.select(done)))
            where, state = where[~done], state.select(~done)
    if state.runs or not parts:
        parts.append((where, state))
    return CampaignState.assemble(parts)


def play(
    scn: CompiledScenario,
    policies: dict[int, Policy],
    runs: int | npt.ArrayLike,
    seed: int,
    *,
    sample_uncertain: bool = False,
    on_turn: TurnHook | None = None,
) -> CampaignState:
    """Play whole campaigns from the start for a batch of runs and return the final state."""
    state = initial_state(scn, runs, seed, sample_uncertain=sample_uncertain)
    return play_from(scn, state, policies, on_turn=on_turn)
