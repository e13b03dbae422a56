"""The look-ahead's judging of candidate plans: rollouts of the real engine, and the choice.

Every distinct plan of every live run is played in the same guessed futures
(:func:`game.ai.determinize.determinize`, never the hidden state; common random numbers,
so plans are compared on the same futures) with the real engine: the first turn with
the plan's orders, later turns with the side's own heuristic (a plan of clearing played
on as such), the enemy by its heuristic from its own observation
(:mod:`game.ai.rollout_players`).  Each future is scored by the forecast of
:mod:`game.ai.forecast`, and a plan is chosen over the plan to beat only if it is surely
better (:func:`choose`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import rng
from game.ai.candidates import SCHEMES, Scheme
from game.ai.determinize import determinize
from game.ai.forecast import score, turns_to_treaty
from game.ai.heuristic import HeuristicPolicy
from game.ai.personality import Personality
from game.ai.planner import Thought
from game.ai.rollout_players import PlanFollower, SharedFirst, take
from game.engine.observe import Observation
from game.engine.orders import Orders
from game.engine.state import CampaignState
from game.play_loop import Turn, play_from
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

SALT_FUTURE = 0xF0


@dataclass
class Verdict:
    """What the rollouts said, per run: the plan chosen and the scores behind it."""

    plan: I64
    names: list[str]
    mean: F64  # [R, K] mean score per plan (NaN where a plan duplicated another)
    wins: F64  # [R, K] share of futures in which the side wins, or would if peace came
    futures: int
    depth: int
    kept: I64 | None = None  # [R] the plan to beat (last turn's), if any


def choose(values: F64, base: npt.ArrayLike | None = None) -> I64:
    """Return the plan to play per run from its scores ``[R, K, J]`` (NaN: not judged).

    Plans were played on the same futures, so each is compared with the run's base
    plan (``base``, default the first) future by future: an alternative is preferred
    only if its mean gain exceeds one standard error of the paired differences (with
    few futures, the best-looking of several plans is otherwise often just the
    luckiest).  The base is the plan of the personality played last turn: a plan
    needs several turns to bear fruit (a column gathering for a strike), and its
    rollouts assumed it would be followed, so it is kept unless another is surely
    better.
    """
    R, _, J = values.shape
    rows = np.arange(R)
    b = np.zeros(R, np.int64) if base is None else np.asarray(base, np.int64)
    diff = values - values[rows, b][:, None, :]
    gain = diff.mean(axis=2)
    se = diff.std(axis=2, ddof=1) / np.sqrt(J) if J > 1 else np.zeros_like(gain)
    sure = np.where(np.isnan(gain), -np.inf, gain - se)
    sure[rows, b] = 0.0
    return np.argmax(sure, axis=1).astype(np.int64)


@dataclass
class Rollouts:
    """How one side's plans are played forward and judged.

    Args:
        side: The side judging its plans.
        own: The side's own personality (it plays the turns after a plan's first).
        opponent: The enemy's personality (its heuristic plays the enemy).
        futures: Guessed futures per plan.
        horizon: Turns each rollout plays.
        signing: Play on to the war's end (the treaty's signing, or the scenario's last
            turn) if it is due within this many turns (0: never beyond ``horizon``).
        time_budget: Seconds after which rollouts stop deepening (None: never).
    """

    side: int
    own: Personality
    opponent: Personality
    futures: int
    horizon: int
    signing: int
    time_budget: float | None = None

    def judge(
        self,
        scn: CompiledScenario,
        obs: Observation,
        keys: U64,
        thoughts: list[Thought],
        names: list[str],
        same_as: I64,
        start: float,
        kept: I64,
    ) -> Verdict:
        """Roll every distinct plan of every live run forward and pick the best per run.

        ``same_as`` is :func:`game.ai.candidates.distinct` of the plans; ``kept`` is
        the plan each run played last turn: the one to beat (see :func:`choose`).
        """
        R, K, J = obs.runs, len(thoughts), self.futures
        unique = (same_as == np.arange(K)[:, None]) & ~obs.over[None, :]
        # A run whose plans all agree has nothing to choose: no rollouts.
        unique &= (unique.sum(axis=0) > 1)[None, :]
        k_idx, r_idx = np.nonzero(unique)
        mean = np.full((R, K), np.nan)
        wins = np.full((R, K), np.nan)
        if k_idx.size == 0:
            return Verdict(np.zeros(R, np.int64), names, mean, wins, J, 0)
        # Guessed futures per live run (shared by all its plans), then one copy per plan.
        fut_keys = rng.derive(keys[:, None], SALT_FUTURE, np.arange(J)[None, :])  # [R, J]
        guesses = determinize(scn, take(obs, np.repeat(np.arange(R), J)), fut_keys.reshape(-1))
        rows = (r_idx[:, None] * J + np.arange(J)[None, :]).reshape(-1)
        state = guesses.select(rows)
        state.run_ids = guesses.run_ids[rows]
        plan_of = np.repeat(k_idx, J)
        first = Orders.empty(rows.size, scn.F, scn.S)
        for k in range(K):
            m = plan_of == k
            if m.any():
                first.kind[m] = thoughts[k].orders.kind[r_idx[k_idx == k]].repeat(J, axis=0)
                first.target[m] = thoughts[k].orders.target[r_idx[k_idx == k]].repeat(J, axis=0)
                first.sue[m] = thoughts[k].orders.sue[r_idx[k_idx == k]].repeat(J, axis=0)
        drawn = [n for n in names if n in SCHEMES]
        code = np.array([drawn.index(n) + 1 if n in SCHEMES else 0 for n in names])
        schemes = [SCHEMES[n] for n in drawn]
        parts, depth = self.play(scn, state, first, rows, start, code[plan_of], schemes)
        value, result = np.empty(rows.size), np.empty(rows.size)
        for where, reached in parts:  # scored at the turn each row reached
            value[where], result[where] = score(scn, reached, self.side)
        values = np.full((R, K, J), np.nan)
        values[r_idx, k_idx] = value.reshape(-1, J)
        mean[r_idx, k_idx] = values[r_idx, k_idx].mean(axis=1)
        wins[r_idx, k_idx] = (result.reshape(-1, J) > 0).mean(axis=1)
        base = same_as[kept, np.arange(R)]
        return Verdict(choose(values, base), names, mean, wins, J, depth, base)

    def play(
        self,
        scn: CompiledScenario,
        state: CampaignState,
        first: Orders,
        future: I64,
        start: float,
        follow: I64 | None = None,
        schemes: Sequence[Scheme] = (),
    ) -> tuple[list[tuple[I64, CampaignState]], int]:
        """Play each rollout to its depth; return the states reached and the deepest depth.

        The states come in parts, each with the rows it holds, one part per depth.

        A row plays ``horizon`` turns, or on to the war's end (the treaty's signing, or
        the scenario's last turn) if that is no more than ``signing`` turns ahead (see
        :meth:`depths`): at the end the result itself is known, where a position a few
        turns earlier barely foretells it.  ``future`` is each row's guessed future (rows of one future
        start alike); ``start`` is when the decision began (for ``time_budget``);
        ``follow`` and ``schemes`` say which rows play a scheme on (see
        :class:`~game.ai.rollout_players.PlanFollower`).
        """
        depth = self.depths(scn, state)
        enemy = HeuristicPolicy(1 - self.side, scn, personality=self.opponent)
        policies = {
            1 - self.side: SharedFirst(enemy, future),
            self.side: PlanFollower(self.own, first, follow, schemes),
        }
        begun = time.perf_counter()

        def out_of_time(t: int) -> bool:
            if self.time_budget is None or t == 0:
                return False
            per_turn = (time.perf_counter() - begun) / t
            return time.perf_counter() - start + per_turn > self.time_budget

        parts: list[tuple[I64, CampaignState]] = []

        def keep(turn: Turn) -> None:
            done = np.flatnonzero(depth == turn.after.turn - state.turn)
            if done.size:
                parts.append((done, turn.after.select(done)))

        final = play_from(
            scn,
            state,
            policies,
            on_turn=[keep],
            max_turns=int(depth.max()),
            stop=out_of_time,
            compact=False,
        )
        played = final.turn - state.turn
        rest = np.flatnonzero(depth > played)  # cut short by the time budget
        if rest.size:
            parts.append((rest, final.select(rest)))
        return parts, played

    def depths(self, scn: CompiledScenario, state: CampaignState) -> I64:
        """Return ``[N]``: the turns each rollout row plays.

        ``horizon``, or the turns until the war's end if that is more but no more than
        ``signing``: with talks open, the treaty's signing (for stalled talks, after the
        turns the side whose condition stalls them needs to collapse:
        :func:`~game.ai.forecast.turns_to_treaty`), or the scenario's last turn, where
        the war is scored as it stands.  There the result itself is known; a few turns
        before, the blow that decides it looks like any other march.  The talks and the
        date are public, so every future of a run plays as deep.
        """
        talking = (state.talks >= 0) & ~state.over
        treaty = np.where(talking, np.ceil(turns_to_treaty(scn, state)) + 1, np.inf)
        due = np.minimum(treaty, scn.n_turns - state.turn).astype(np.int64)
        reach = due <= self.signing
        return np.where(reach, np.maximum(due, self.horizon), self.horizon).astype(np.int64)
