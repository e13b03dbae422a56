"""The play loop: the one place where turns are played, for a batch of runs.

Every user of the engine plays turns through this module: the :class:`~game.game.Game`
facade one turn at a time (:func:`play_turn`), and studies, the fidelity report, the
replay, the tournament and the look-ahead's rollouts whole campaigns at once
(:func:`play_from`).  Each turn, each side's policy sees only its own observation and its
own keyed stream (:func:`decide_all`); the engine then plays the turn for every run at once.

What a caller keeps from the turns it plays is up to it: it passes *turn hooks*, called
with every :class:`Turn` as soon as it is played (the state before and after, the orders,
the engine's report and where each row stands in the batch).  A :class:`Recorder` is a
hook that keeps per-run figures in arrays over the whole batch and hands them back as
columns at the end; :func:`play_recorded` plays a batch with a list of them.  A new figure
per turn (war will, the opening of talks, raids...) is a new recorder, never a new loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from game.ai.base import Explanation, Policy, policy_keys
from game.engine.observe import observe, premises_held
from game.engine.orders import Orders
from game.engine.state import CampaignState, initial_state
from game.engine.turn import TurnReport, step
from game.scenario.compile import CompiledScenario

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
Columns = dict[str, np.ndarray]
"""Per-run results by column; every array's first axis is the run."""
Notes = dict[int, list[Explanation]]
"""Each side's explanations of its orders (for a batch of one), by side index."""

COMPACT_SHARE = 0.25
"""Set finished runs aside once at least this share of the batch has finished."""


@dataclass(frozen=True)
class Turn:
    """One turn just played for a batch, as turn hooks see it.

    Attributes:
        before: The state the turn was played from.
        orders: Both sides' orders, as carried out.
        after: The state at the end of the turn.
        report: What happened (its ``run`` columns are rows of this batch).
        where: Each row's position in the batch the caller began with (finished runs
            may have been set aside, so row ``i`` is run ``where[i]`` of that batch).
        explanations: The policies' explanations, if they were asked for.
    """

    before: CampaignState
    orders: Orders
    after: CampaignState
    report: TurnReport
    where: I64
    explanations: Notes = field(default_factory=dict)


TurnHook = Callable[[Turn], None]
"""Called with every turn as soon as it is played."""


class Recorder:
    """A turn hook that keeps per-run figures for a whole batch and returns them as columns.

    Subclasses allocate arrays over the batch's runs, update them in :meth:`__call__`
    (rows of the turn are runs ``turn.where`` of the batch), may complete them from the
    final state in :meth:`finish`, and hand them back from :meth:`columns`.
    """

    def __call__(self, turn: Turn) -> None:
        """Record one turn."""
        raise NotImplementedError

    def finish(self, final: CampaignState) -> None:
        """Complete the figures from the final state of every run (default: nothing)."""

    def columns(self) -> Columns:
        """Return the figures, one row per run of the batch."""
        return {}


def end_columns(final: CampaignState) -> Columns:
    """Return how each run's war ended: its id, whether over or cut off, outcome, end day.

    The first columns of every table of per-run results (studies, the fidelity report).
    """
    return {
        "run": final.run_ids.astype(np.int64),
        "over": final.over.copy(),
        "truncated": final.truncated.copy(),
        "outcome": final.outcome.astype(np.int8),
        "end_day": final.end_day.astype(np.int32),
    }


def decide_all(
    scn: CompiledScenario,
    state: CampaignState,
    policies: dict[int, Policy],
) -> Orders:
    """Return the orders of every side a policy plays, for the current turn of every run."""
    return _decide(scn, state, policies, given=None, seed=None, explain=False)[0]


def _decide(
    scn: CompiledScenario,
    state: CampaignState,
    policies: dict[int, Policy],
    *,
    given: Orders | None,
    seed: int | None,
    explain: bool,
    sight: B | None = None,
) -> tuple[Orders, Notes]:
    """Return the policies' orders laid over ``given`` (for their own sides' forces).

    Each policy sees its own side's observation and its own stream, keyed on ``seed``
    (default the state's).  Also returns the policies' explanations if ``explain``.
    ``sight`` is every side's sight of ``state`` if the caller has it; the premises,
    the same for every side, are worked out once (each observation has its own copy).
    """
    orders = given if given is not None else Orders.empty(state.runs, scn.F, scn.S)
    notes: Notes = {}
    premises = premises_held(scn, state) if len(policies) > 1 else None
    for s, policy in policies.items():
        obs = observe(
            scn,
            state,
            s,
            sight=None if sight is None else sight[s],
            premises=None if premises is None else premises.copy(),
        )
        keys = policy_keys(state.seed if seed is None else seed, state.run_ids, state.turn, s)
        decision = (
            policy.decide(scn, obs, keys, explain=True)
            if explain
            else policy.decide(scn, obs, keys)
        )
        mine = np.flatnonzero(scn.force_side == s)
        orders = orders.merge(decision.orders, mine)
        orders.sue[:, s] |= decision.orders.sue[:, s]
        notes[s] = decision.explanations
    return orders, notes


def play_turn(
    scn: CompiledScenario,
    state: CampaignState,
    policies: dict[int, Policy],
    *,
    given: Orders | None = None,
    seed: int | None = None,
    explain: bool = False,
    record_moves: bool = False,
    where: I64 | None = None,
    sight: B | None = None,
) -> Turn:
    """Play one turn of every run: the policies decide, then the engine resolves the turn.

    Args:
        scn: The scenario.
        state: The state to play from (not changed).
        policies: A policy for each side the computer plays, by side index.
        given: Orders already given (by a player); each policy's orders replace them
            for its own side's forces.  Default: no orders.
        seed: The seed of the policies' streams (default the state's).
        explain: Ask the policies to explain their orders.
        record_moves: Have the report list every march (for chronicles and maps).
        where: The rows' positions in the caller's batch (default: ``0 .. runs-1``).
        sight: Every side's sight of ``state`` ``[S, R, P]``, if the caller has it: the
            previous turn's :attr:`~game.engine.turn.TurnReport.sight` when ``state`` is
            that turn's state as the engine returned it (never a state changed since).
    """
    orders, notes = _decide(
        scn, state, policies, given=given, seed=seed, explain=explain, sight=sight
    )
    after, report = step(scn, state, orders, record_moves=record_moves, sight=sight)
    if where is None:
        where = np.arange(state.runs, dtype=np.int64)
    return Turn(state, orders, after, report, where, notes)


def play_from(
    scn: CompiledScenario,
    state: CampaignState,
    policies: dict[int, Policy],
    *,
    on_turn: Sequence[TurnHook] = (),
    max_turns: int | None = None,
    stop: Callable[[int], bool] | None = None,
    explain: bool = False,
    record_moves: bool = False,
    compact: bool = True,
) -> CampaignState:
    """Play on from ``state`` until every war is over, and return the final state.

    Finished runs are set aside as the batch goes (the engine plays each run
    independently, so this changes nothing but the time taken): a few long wars would
    otherwise keep every finished run in the arrays until the last treaty.

    Args:
        scn: The scenario.
        state: The state to play from (not changed).
        policies: A policy for each side, by side index.
        on_turn: Hooks called, in order, with every turn played.
        max_turns: Play at most this many turns.
        stop: Asked before every turn with the number of turns played so far; the loop
            stops when it answers True (a time budget).
        explain: Ask the policies to explain their orders (for a batch of one).
        record_moves: Have each turn's report list every march.
        compact: Set finished runs aside; without it, rows stay where they are (for
            callers that keep their own per-row data, such as the look-ahead's plans).

    Returns:
        The final state of every run, in the order of ``state`` (``state`` itself if no
        turn could be played).
    """
    where = np.arange(state.runs, dtype=np.int64)
    parts: list[tuple[I64, CampaignState]] = []
    turns = 0
    sight = None  # the sides' sight of `state`, as the engine worked it out last turn
    while state.runs and not state.over.all() and state.turn < scn.n_turns:
        if (max_turns is not None and turns >= max_turns) or (stop is not None and stop(turns)):
            break
        turn = play_turn(
            scn,
            state,
            policies,
            explain=explain,
            record_moves=record_moves,
            where=where,
            sight=sight,
        )
        for hook in on_turn:
            hook(turn)
        state, sight = turn.after, turn.report.sight
        turns += 1
        done = state.over
        if compact and (done.all() or done.sum() >= max(1, COMPACT_SHARE * state.runs)):
            parts.append((where[done], state.select(done)))
            where, state = where[~done], state.select(~done)
            sight = None if sight is None else sight[:, ~done]
    if not parts:
        return state
    if state.runs:
        parts.append((where, state))
    return CampaignState.assemble(parts)


def play_recorded(
    scn: CompiledScenario,
    state: CampaignState,
    policies: dict[int, Policy],
    recorders: Sequence[Recorder],
) -> tuple[CampaignState, Columns]:
    """Play every run to its end with the given recorders; return the final state and figures.

    The columns are every recorder's :meth:`Recorder.columns`, in the order given, after
    each has seen the final state.
    """
    final = play_from(scn, state, policies, on_turn=recorders)
    cols: Columns = {}
    for rec in recorders:
        rec.finish(final)
        cols.update(rec.columns())
    return final, cols


def play(
    scn: CompiledScenario,
    policies: dict[int, Policy],
    runs: int | npt.ArrayLike,
    seed: int,
    *,
    sample_uncertain: bool = False,
    on_turn: Sequence[TurnHook] = (),
) -> CampaignState:
    """Play whole campaigns from the start for a batch of runs and return the final state."""
    state = initial_state(scn, runs, seed, sample_uncertain=sample_uncertain)
    return play_from(scn, state, policies, on_turn=on_turn)
