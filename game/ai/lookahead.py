"""The look-ahead policy: candidate plans judged by rolling the real engine forward.

Each turn it:

1. drafts candidate plans with the heuristic under a few personalities (as written,
   bolder, more careful, massed, set on objectives, defensive, all-out), plus the
   default plan with the opposite peace decision (sue / do not sue); identical plans are
   judged once;
2. builds ``futures`` guessed true states from its observation
   (:func:`game.ai.determinize.determinize`; never the hidden state) with keys drawn from
   its own AI stream, the same guesses for every plan (common random numbers, so plans
   are compared on the same futures);
3. plays every plan in every future for ``horizon`` turns with the real engine
   (:func:`game.engine.turn.step`): the first turn with the plan's orders, later turns
   with the heuristic of the plan's personality; the other side is played by its
   scenario heuristic from its own observation of the rollout;
4. scores each future from its own side's point of view: the war's outcome if it ended
   there (or how it did end), the victory-point margin, the balance of fighting power
   and of will (:func:`score`), and plays the plan with the best mean gain over the
   default plan, future by future, if that gain is more than one standard error (else
   the default plan).

The rollouts' dice are keyed on run ids drawn from the AI stream, so they never touch
the game's dice, and the decision is the same for the same keys.  The work per turn is
fixed by ``futures`` and ``horizon`` (so games replay exactly); an optional
``time_budget`` in seconds also stops deepening the rollouts once it is spent, trading
that reproducibility for a hard bound on the time a turn takes.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import rng
from game.ai.base import Decision, Explanation, policy_keys
from game.ai.determinize import determinize
from game.ai.features import static
from game.ai.heuristic import explain_thought, think
from game.ai.personality import Personality
from game.ai.planner import Thought
from game.engine.codes import ForceStatus
from game.engine.observe import Observation, observe
from game.engine.orders import Orders
from game.engine.outcome import victory_points
from game.engine.phases.peace import name_outcome
from game.engine.state import CampaignState
from game.engine.turn import step
from game.errors import UsageError
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]

BUDGETS: dict[str, dict[str, int]] = {
    "easy": {"futures": 4, "horizon": 2, "plans": 3},
    "normal": {"futures": 6, "horizon": 5, "plans": 7},
    "hard": {"futures": 10, "horizon": 6, "plans": 7},
}
"""Rollout work per difficulty: futures per plan, turns ahead, personalities tried."""

SALT_FUTURE = 0xF0
SALT_PLAN = 0x91
SALT_ROLLOUT = 0x5E


def variants(base: Personality) -> list[tuple[str, Personality]]:
    """Return the personalities plans are drafted with, the side's own first."""
    return [
        ("default", base),
        (
            "bold",
            base.tuned(
                aggression=min(base.aggression * 1.5, 3.0),
                min_odds=max(base.min_odds - 0.12, 0.15),
            ),
        ),
        (
            "careful",
            base.tuned(
                caution=min(base.caution * 1.5, 3.0),
                min_odds=min(base.min_odds + 0.12, 0.95),
                garrison=min(base.garrison * 1.5, 3.0),
            ),
        ),
        ("massed", base.tuned(concentration=min(base.concentration * 2.0, 3.0), garrison=0.3)),
        ("objective", base.tuned(objective=min(base.objective * 2.0, 5.0))),
        ("defensive", base.tuned(aggression=0.3, min_odds=0.9, caution=2.0)),
        (
            "all-in",
            base.tuned(
                aggression=3.0,
                min_odds=max(base.min_odds - 0.25, 0.15),
                concentration=3.0,
                garrison=0.2,
                commander_safety=0.3,
            ),
        ),
    ]


def score(scn: CompiledScenario, st: CampaignState, side: int) -> tuple[F64, F64]:
    """Return how good each run of a rollout is for ``side`` (about -2 .. 2), and its result.

    The outcome counts most: +1 for a win, -1 for a loss, 0 for a draw, as a treaty
    signed now would name it, or half as much again if the war did end in the rollout.
    Then, a quarter each, the victory-point margin in winning margins (clipped to +-2),
    the balance of fighting men on the map, and the difference in will.  (Weighing the
    outcome more than these signs of future strength won more games as the weaker side
    of the 1841 war: 20 of 40 as Bolivia against the heuristic, from 12.)  The result
    returned alongside is the outcome alone.
    """
    e = 1 - side
    winners = np.array(
        [
            1.0 if o.winner == scn.side_ids[side] else -1.0 if o.winner is not None else 0.0
            for o in scn.outcomes
        ]
    )
    named = np.where(st.over, st.outcome, name_outcome(scn, st, st.turn))
    result = winners[np.maximum(named, 0)]
    vp = victory_points(scn, st.owner)
    win = max(static(scn).win_margin, 1.0)
    margin = np.clip((vp[:, side] - vp[:, e]) / win, -2.0, 2.0)
    on = st.status == ForceStatus.ACTIVE
    power = np.where(on, st.men * (0.5 + 0.5 * st.cohesion), 0.0)
    mine = power[:, scn.force_side == side].sum(axis=1)
    theirs = power[:, scn.force_side == e].sum(axis=1)
    balance = (mine - theirs) / np.maximum(mine + theirs, 1.0)
    will = st.will[:, side] - st.will[:, e]
    total = result * np.where(st.over, 1.5, 1.0) + 0.25 * (margin + balance + will)
    return total, result


def take(obs: Observation, idx: npt.ArrayLike) -> Observation:
    """Return the observation of the given runs (a copy)."""
    i = np.asarray(idx)
    changes = {
        f.name: getattr(obs, f.name)[i].copy()
        for f in dataclasses.fields(obs)
        if isinstance(getattr(obs, f.name), np.ndarray) and f.name != "own"
    }
    return dataclasses.replace(obs, **changes)


@dataclass
class Verdict:
    """What the rollouts said, per run: the plan chosen and the scores behind it."""

    plan: npt.NDArray[np.int64]
    names: list[str]
    mean: F64  # [R, K] mean score per plan (NaN where a plan duplicated another)
    wins: F64  # [R, K] share of futures in which the side wins, or would if peace came
    futures: int
    depth: int


class LookaheadPolicy:
    """Judges heuristic plans by rollouts of the real engine from guessed true states.

    Args:
        side: The side it plays.
        scn: The scenario.
        difficulty: Sets the default work ('easy', 'normal', 'hard'; see :data:`BUDGETS`).
        futures: Guessed futures per plan.
        horizon: Turns each rollout plays.
        plans: How many personalities to draft plans with (1 to 7).
        time_budget: Seconds after which rollouts stop deepening (None: never, which keeps
            games reproducible).
    """

    name = "lookahead"

    def __init__(
        self,
        side: int,
        scn: CompiledScenario,
        difficulty: str = "normal",
        *,
        futures: int | None = None,
        horizon: int | None = None,
        plans: int | None = None,
        time_budget: float | None = None,
    ) -> None:
        budget = BUDGETS.get(difficulty)
        if budget is None:
            raise UsageError(f"no difficulty '{difficulty}' (choose from {', '.join(BUDGETS)})")
        self.side = side
        self.futures = int(budget["futures"] if futures is None else futures)
        self.horizon = int(budget["horizon"] if horizon is None else horizon)
        n_plans = int(budget["plans"] if plans is None else plans)
        n_variants = len(variants(Personality()))
        if self.futures < 1 or self.horizon < 1 or not 1 <= n_plans <= n_variants:
            raise UsageError(
                f"lookahead needs futures >= 1, horizon >= 1 and 1 <= plans <= {n_variants}"
            )
        if time_budget is not None and time_budget <= 0:
            raise UsageError("lookahead time_budget must be positive")
        self.time_budget = time_budget
        own = Personality.of(scn.model.sides[side].ai, "normal")
        self.variants = variants(own)[:n_plans]
        self.opponent = Personality.of(scn.model.sides[1 - side].ai, "normal")
        self.last_verdict: Verdict | None = None
        """What the rollouts said at the last decision (for the interface and tests)."""

    # ------------------------------------------------------------------ deciding
    def decide(
        self, scn: CompiledScenario, obs: Observation, keys: U64, *, explain: bool = False
    ) -> Decision:
        """Return the best plan's orders for every run (explained for a batch of one)."""
        start = time.perf_counter()
        keys = np.asarray(keys, np.uint64)
        wanted = explain and obs.runs == 1
        thoughts = [
            think(scn, obs, rng.derive(keys, SALT_PLAN, i), pers, notes=wanted)
            for i, (_, pers) in enumerate(self.variants)
        ]
        base = thoughts[0]
        peace = Thought(base.orders.copy(), base.notes, base.peace.copy(), base.outcome)
        peace.orders.sue[:, obs.side] = ~base.orders.sue[:, obs.side] & (obs.talks < 0)
        peace.peace[:] = 0
        thoughts.append(peace)
        names = [n for n, _ in self.variants] + ["peace"]
        live = ~obs.over
        verdict = self._judge(scn, obs, keys, thoughts, names, live, start)
        self.last_verdict = verdict
        chosen = verdict.plan
        kind = np.stack([t.orders.kind for t in thoughts])[chosen, np.arange(obs.runs)]
        target = np.stack([t.orders.target for t in thoughts])[chosen, np.arange(obs.runs)]
        sue = np.stack([t.orders.sue for t in thoughts])[chosen, np.arange(obs.runs)]
        orders = Orders(kind, target, sue)
        notes: list[Explanation] = []
        if wanted:
            notes = self._explain(scn, obs, thoughts, verdict)
        return Decision(orders, notes)

    def _unique(
        self, scn: CompiledScenario, obs: Observation, thoughts: list[Thought]
    ) -> npt.NDArray[np.bool_]:
        """Return ``[K, R]``: plans that differ from every earlier plan in that run."""
        own = np.asarray(scn.force_side == obs.side)
        sig = [
            np.concatenate(
                [
                    t.orders.kind[:, own],
                    t.orders.target[:, own],
                    t.orders.sue[:, obs.side : obs.side + 1],
                ],
                axis=1,
            ).astype(np.int64)
            for t in thoughts
        ]
        K = len(thoughts)
        unique = np.ones((K, obs.runs), bool)
        for k in range(1, K):
            for j in range(k):
                unique[k] &= ~(sig[k] == sig[j]).all(axis=1)
        return unique

    def _judge(
        self,
        scn: CompiledScenario,
        obs: Observation,
        keys: U64,
        thoughts: list[Thought],
        names: list[str],
        live: npt.NDArray[np.bool_],
        start: float,
    ) -> Verdict:
        """Roll every distinct plan of every live run forward and pick the best per run."""
        R, K, J = obs.runs, len(thoughts), self.futures
        unique = self._unique(scn, obs, thoughts) & live[None, :]
        unique[0] |= live  # the default plan is always judged
        k_idx, r_idx = np.nonzero(unique)
        mean = np.full((R, K), np.nan)
        wins = np.full((R, K), np.nan)
        plan = np.zeros(R, np.int64)
        if k_idx.size == 0:
            return Verdict(plan, names, mean, wins, J, 0)
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
        final, depth = self._rollout(scn, state, plan_of, first, start)
        value, result = score(scn, final, obs.side)
        values = np.full((R, K, J), np.nan)
        values[r_idx, k_idx] = value.reshape(-1, J)
        mean[r_idx, k_idx] = values[r_idx, k_idx].mean(axis=1)
        wins[r_idx, k_idx] = (result.reshape(-1, J) > 0).mean(axis=1)
        return Verdict(self._choose(values), names, mean, wins, J, depth)

    @staticmethod
    def _choose(values: F64) -> npt.NDArray[np.int64]:
        """Return the plan to play per run from its scores ``[R, K, J]`` (NaN: not judged).

        Plans were played on the same futures, so each is compared with the default plan
        future by future: an alternative is preferred only if its mean gain exceeds one
        standard error of the paired differences (with few futures, the best-looking of
        several plans is otherwise often just the luckiest).
        """
        J = values.shape[2]
        diff = values - values[:, :1, :]
        gain = diff.mean(axis=2)
        se = diff.std(axis=2, ddof=1) / np.sqrt(J) if J > 1 else np.zeros_like(gain)
        sure = np.where(np.isnan(gain), -np.inf, gain - se)
        sure[:, 0] = 0.0
        return np.argmax(sure, axis=1).astype(np.int64)

    def _personality(self, k: int) -> Personality:
        """Return the personality that plays plan ``k`` on (the peace plan: the side's own)."""
        return self.variants[k][1] if k < len(self.variants) else self.variants[0][1]

    def _rollout(
        self,
        scn: CompiledScenario,
        state: CampaignState,
        plan_of: npt.NDArray[np.int64],
        first: Orders,
        start: float,
    ) -> tuple[CampaignState, int]:
        """Play ``horizon`` turns of every rollout; return the final states and the depth."""
        side, e = self.side, 1 - self.side
        own = np.flatnonzero(scn.force_side == side)
        st = state
        depth = 0
        begun = time.perf_counter()
        for t in range(self.horizon):
            if st.over.all():
                break
            if self.time_budget is not None and t > 0:
                per_turn = (time.perf_counter() - begun) / t
                if time.perf_counter() - start + per_turn > self.time_budget:
                    break
            keys_e = policy_keys(st.seed, st.run_ids, st.turn, e)
            orders = think(scn, observe(scn, st, e), keys_e, self.opponent, notes=False).orders
            if t == 0:
                mine = first
            else:
                mine = Orders.empty(st.runs, scn.F, scn.S)
                obs_s = observe(scn, st, side)
                keys_s = policy_keys(st.seed, st.run_ids, st.turn, side)
                for k in np.unique(plan_of):
                    rows = np.flatnonzero(plan_of == k)
                    pers = self._personality(int(k))
                    th = think(scn, take(obs_s, rows), keys_s[rows], pers, notes=False)
                    mine.kind[rows] = th.orders.kind
                    mine.target[rows] = th.orders.target
                    mine.sue[rows] = th.orders.sue
            orders = orders.merge(mine, own)
            orders.sue[:, side] = mine.sue[:, side]
            st, _ = step(scn, st, orders, record_moves=False)
            depth += 1
        return st, depth

    # ------------------------------------------------------------------ explaining
    def _explain(
        self,
        scn: CompiledScenario,
        obs: Observation,
        thoughts: list[Thought],
        verdict: Verdict,
    ) -> list[Explanation]:
        """Return what the rollouts said (a line for the side), then the chosen plan's reasons."""
        k = int(verdict.plan[0])
        mean, wins = verdict.mean[0], verdict.wins[0]
        judged = int(np.isfinite(mean).sum())
        head = (
            f"look-ahead: the '{verdict.names[k]}' plan, best of {judged} judged over "
            f"{verdict.futures} futures of {verdict.depth} turns: wins {100 * wins[k]:.0f}% "
            f"of them (score {mean[k]:+.2f})"
        )
        if k != 0:
            head += f"; the default plan wins {100 * wins[0]:.0f}% (score {mean[0]:+.2f})"
        out = [Explanation(-1, head, float(wins[k]))]
        out += explain_thought(scn, obs, thoughts[k])
        if thoughts[k].orders.sue[0, obs.side] and thoughts[k].peace[0] == 0:
            out.append(Explanation(-1, "sue for peace: the rollouts favour a treaty now"))
        return out
