"""The look-ahead policy: candidate plans judged by rolling the real engine forward.

Each turn it:

1. drafts candidate plans with the heuristic under a few personalities (as written,
   bolder, more careful, massed, set on objectives, defensive, all-out), the plan of
   clearing the enemy's hold on own land that its winning outcomes name
   (:mod:`game.ai.clearing`), and the default plan with the opposite peace decision
   (sue / do not sue); identical plans are judged once, and a run whose plans all
   agree is not rolled out at all;
2. builds ``futures`` guessed true states from its observation
   (:func:`game.ai.determinize.determinize`; never the hidden state) with keys drawn from
   its own AI stream, the same guesses for every plan (common random numbers, so plans
   are compared on the same futures);
3. plays every plan in every future with the real engine
   (:func:`game.engine.turn.step`) for ``horizon`` turns, or with talks open on to the
   treaty's signing if it is due within ``signing`` turns: the first turn with the
   plan's orders, later turns with the side's own heuristic (the clearing plan played
   on as such); the other side is played by its scenario heuristic from its own
   observation of the rollout (its first turn decided once per future: it sees the
   same position whatever the plan);
4. scores each future from its own side's point of view as a forecast of the war's
   result (:func:`score`: the result of a treaty signed then, judged by the scenario's
   own outcome rules, as the treaty nears; the balance of fighting power before), or
   its result if the war ended in the rollout, and plays the plan with the best mean
   gain over the plan to beat, future by future, if that gain is more than one
   standard error (else the plan to beat).  The plan to beat is the one the run
   followed last turn (the default plan on the first turn), so that a plan is given
   the turns it needs.

The rollouts' dice are keyed on run ids drawn from the AI stream, so they never touch
the game's dice, and the decision is the same for the same keys and kept plan.  The work
per turn is fixed by ``futures``, ``horizon`` and ``signing`` (so games replay exactly); an optional
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
from game.ai.base import Decision, Explanation
from game.ai.clearing import clearing, explain_clearing
from game.ai.determinize import determinize
from game.ai.features import situation
from game.ai.heuristic import HeuristicPolicy, explain_thought
from game.ai.personality import Personality
from game.ai.planner import Thought, plan
from game.ai.rollout_players import PlanFollower, SharedFirst, take
from game.codes import ForceStatus
from game.engine.observe import Observation
from game.engine.orders import Orders
from game.engine.phases.peace import held_at_end, name_outcome
from game.engine.state import CampaignState
from game.errors import UsageError
from game.play_loop import Turn, play_from
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]

BUDGETS: dict[str, dict[str, int]] = {
    "easy": {"futures": 4, "horizon": 2, "plans": 3, "signing": 0},
    "normal": {"futures": 12, "horizon": 3, "plans": 5, "signing": 8},
    "hard": {"futures": 10, "horizon": 6, "plans": 7, "signing": 8},
}
"""Rollout work per difficulty: futures per plan, turns ahead, personalities tried, and
the most turns a rollout plays on to reach a treaty due (see
:meth:`LookaheadPolicy.depths`)."""

CLEAR = "clear"
"""The name of the plan of clearing the enemy's hold on own land (:mod:`game.ai.clearing`)."""

SALT_FUTURE = 0xF0
SALT_PLAN = 0x91
SALT_ROLLOUT = 0x5E


def variants(base: Personality) -> list[tuple[str, Personality]]:
    """Return the personalities plans are drafted with, the side's own first.

    In the order of how often the look-ahead chose their plans (over the 1841 war, seed
    13, against the heuristic), so that a smaller ``plans`` budget keeps the useful ones.
    """
    return [
        ("default", base),
        ("objective", base.tuned(objective=min(base.objective * 2.0, 5.0))),
        ("massed", base.tuned(concentration=min(base.concentration * 2.0, 3.0), garrison=0.3)),
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
    ]


SIGNS = ("treaty_now", "treaty_near", "balance", "will")
"""The signs of a position a rollout's score is made of (see :func:`signs`)."""

WEIGHTS = np.array([0.127, 0.599, 0.479, 0.033])
"""Weights of :data:`SIGNS` in the forecast of the war's result (see :func:`score`).

calibrated_to: the results of 1,000 wars of the 1841 scenario played by the heuristic on
both sides (``python benchmarks/lookahead_score.py --runs 1000 --seed 101``); scored on
500 wars held out (seed 102), see docs/ai.md.
"""


def treaty_now(scn: CompiledScenario, st: CampaignState, side: int) -> F64:
    """Return ``[R]``: the result for ``side`` of a treaty signed now (+1, 0 a draw, -1).

    The scenario's own outcome rules, judged as the engine judges them at a treaty
    (:func:`~game.engine.phases.peace.held_at_end`: an enemy town its occupier has
    marched out of is no gain), so the score follows whatever the war's rules are.  A
    war already over gives its outcome.
    """
    winners = np.array(
        [
            1.0 if o.winner == scn.side_ids[side] else -1.0 if o.winner is not None else 0.0
            for o in scn.outcomes
        ]
    )
    judged = dataclasses.replace(st, owner=held_at_end(scn, st))
    named = np.where(st.over, st.outcome, name_outcome(scn, judged, st.turn))
    return winners[np.maximum(named, 0)]


def signs(scn: CompiledScenario, st: CampaignState, side: int) -> F64:
    """Return ``[R, len(SIGNS)]``: the signs of each run's position for ``side``.

    ``treaty_now``: the result of a treaty signed now (:func:`treaty_now`);
    ``treaty_near``: the same, times how near the treaty is (0 with the talks not open
    and the scenario's end far off, rising to 1 at the signing or the last turn);
    ``balance``: the balance of fighting men on the map, ``(mine - theirs) / (mine +
    theirs)``, men weighted by cohesion; ``will``: own war will less the enemy's.
    """
    e = 1 - side
    now = treaty_now(scn, st, side)
    on = st.status == ForceStatus.ACTIVE
    power = np.where(on, st.men * (0.5 + 0.5 * st.cohesion), 0.0)
    mine = power[:, scn.force_side == side].sum(axis=1)
    theirs = power[:, scn.force_side == e].sum(axis=1)
    balance = (mine - theirs) / np.maximum(mine + theirs, 1.0)
    will = st.will[:, side].astype(np.float64) - st.will[:, e]
    span = max(scn.talks.turns, 1)
    to_treaty = np.where(st.talks >= 0, np.maximum(scn.talks.turns - st.talks, 0), span)
    left = np.minimum(to_treaty, max(scn.n_turns - st.turn, 0))
    near = 1.0 - np.clip(left / span, 0.0, 1.0)
    return np.stack([now, now * near, balance, will], axis=1)


def score(scn: CompiledScenario, st: CampaignState, side: int) -> tuple[F64, F64]:
    """Return how good each run of a rollout is for ``side`` (-1 .. 1), and its result.

    A rollout ends a few turns ahead, usually long before the treaty, so its score is a
    forecast of the war's result for the side (+1 a win, 0 a draw, -1 a loss) from the
    signs of the position (:func:`signs`), weighted by :data:`WEIGHTS`: a least-squares
    fit of the result of wars played by the heuristic on both sides on these signs at
    every turn (``benchmarks/lookahead_score.py`` refits them and reports the fit on
    wars held out).  A rollout in which the war did end scores its result.  The result
    returned alongside is that of a treaty signed at the rollout's end.
    """
    x = signs(scn, st, side)
    forecast = np.clip(x @ WEIGHTS, -1.0, 1.0)
    return np.where(st.over, x[:, 0], forecast), x[:, 0]


@dataclass
class Verdict:
    """What the rollouts said, per run: the plan chosen and the scores behind it."""

    plan: npt.NDArray[np.int64]
    names: list[str]
    mean: F64  # [R, K] mean score per plan (NaN where a plan duplicated another)
    wins: F64  # [R, K] share of futures in which the side wins, or would if peace came
    futures: int
    depth: int
    kept: npt.NDArray[np.int64] | None = None  # [R] the plan to beat (last turn's), if any


class LookaheadPolicy:
    """Judges heuristic plans by rollouts of the real engine from guessed true states.

    Args:
        side: The side it plays.
        scn: The scenario.
        difficulty: Sets the default work ('easy', 'normal', 'hard'; see :data:`BUDGETS`).
        futures: Guessed futures per plan.
        horizon: Turns each rollout plays.
        plans: How many personalities to draft plans with (1 to 7).
        signing: With talks open, play a rollout on to the treaty's signing if it is due
            within this many turns (0: never beyond ``horizon``).
        time_budget: Seconds after which rollouts stop deepening (None: never, which keeps
            games reproducible).
        commit: Keep last turn's plan unless another is surely better (see
            :meth:`_choose`); without it every turn starts from the default plan.
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
        signing: int | None = None,
        time_budget: float | None = None,
        commit: bool = True,
    ) -> None:
        budget = BUDGETS.get(difficulty)
        if budget is None:
            raise UsageError(f"no difficulty '{difficulty}' (choose from {', '.join(BUDGETS)})")
        self.side = side
        self.futures = int(budget["futures"] if futures is None else futures)
        self.horizon = int(budget["horizon"] if horizon is None else horizon)
        self.signing = int(budget["signing"] if signing is None else signing)
        n_plans = int(budget["plans"] if plans is None else plans)
        n_variants = len(variants(Personality()))
        if (
            self.futures < 1
            or self.horizon < 1
            or self.signing < 0
            or not 1 <= n_plans <= n_variants
        ):
            raise UsageError(
                "lookahead needs futures >= 1, horizon >= 1, signing >= 0 and "
                f"1 <= plans <= {n_variants}"
            )
        if time_budget is not None and time_budget <= 0:
            raise UsageError("lookahead time_budget must be positive")
        self.time_budget = time_budget
        own = Personality.of(scn.model.sides[side].ai, "normal")
        self.variants = variants(own)[:n_plans]
        self.opponent = Personality.of(scn.model.sides[1 - side].ai, "normal")
        self.commit = commit
        self._memory: dict[int, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = {}
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
        sit = situation(scn, obs)  # one reading of the observation for every draft
        thoughts = [
            plan(sit, pers, rng.derive(keys, SALT_PLAN, i), notes=wanted)
            for i, (_, pers) in enumerate(self.variants)
        ]
        base = thoughts[0]
        cleared, _ = clearing(sit, base.orders)
        thoughts.append(Thought(cleared, base.notes, base.peace.copy(), base.outcome))
        peace = Thought(base.orders.copy(), base.notes, base.peace.copy(), base.outcome)
        peace.orders.sue[:, obs.side] = ~base.orders.sue[:, obs.side] & (obs.talks < 0)
        peace.peace[:] = 0
        thoughts.append(peace)
        names = [n for n, _ in self.variants] + [CLEAR, "peace"]
        live = ~obs.over
        kept = self._recall(obs) if self.commit else np.zeros(obs.runs, np.int64)
        verdict = self._judge(scn, obs, keys, thoughts, names, live, start, kept)
        self.last_verdict = verdict
        self._remember(obs, verdict.plan)
        chosen = verdict.plan
        kind = np.stack([t.orders.kind for t in thoughts])[chosen, np.arange(obs.runs)]
        target = np.stack([t.orders.target for t in thoughts])[chosen, np.arange(obs.runs)]
        sue = np.stack([t.orders.sue for t in thoughts])[chosen, np.arange(obs.runs)]
        orders = Orders(kind, target, sue)
        notes: list[Explanation] = []
        if wanted:
            notes = self._explain(scn, obs, thoughts, verdict)
        return Decision(orders, notes)

    # ------------------------------------------------------------------ memory
    def _recall(self, obs: Observation) -> npt.NDArray[np.int64]:
        """Return per run the personality whose plan it played last turn (0: none known).

        Only a decision of the turn just before counts, matched by run id, so a batch
        that sets finished runs aside, a new chunk of runs or a game loaded from a save
        (which starts with no memory) is never given another run's plan.
        """
        kept = np.zeros(obs.runs, np.int64)
        last = self._memory.get(obs.turn - 1)
        if last is None:
            return kept
        ids, plans = last
        pos = np.clip(np.searchsorted(ids, obs.run_ids), 0, ids.size - 1)
        found = ids[pos] == obs.run_ids
        kept[found] = plans[pos[found]]
        return kept

    def _remember(self, obs: Observation, plan: npt.NDArray[np.int64]) -> None:
        """Keep this turn's choice per run id (the peace plan counts as the default)."""
        played = np.where(plan <= len(self.variants), plan, 0)
        ids, plans = np.asarray(obs.run_ids, np.int64), played
        old = self._memory.get(obs.turn)
        if old is not None:  # another batch of the same turn: keep both
            fresh = ~np.isin(old[0], ids)
            ids = np.concatenate([old[0][fresh], ids])
            plans = np.concatenate([old[1][fresh], plans])
        order = np.argsort(ids, kind="stable")
        self._memory = {t: v for t, v in self._memory.items() if t == obs.turn - 1} | {
            obs.turn: (ids[order], plans[order])
        }

    def _unique(
        self, scn: CompiledScenario, obs: Observation, thoughts: list[Thought]
    ) -> npt.NDArray[np.int64]:
        """Return ``[K, R]``: for each plan in each run, the first plan equal to it."""
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
        first = np.repeat(np.arange(K, dtype=np.int64)[:, None], obs.runs, axis=1)
        for k in range(1, K):
            for j in range(k - 1, -1, -1):
                same = (sig[k] == sig[j]).all(axis=1)
                first[k] = np.where(same, first[j], first[k])
        return first

    def _judge(
        self,
        scn: CompiledScenario,
        obs: Observation,
        keys: U64,
        thoughts: list[Thought],
        names: list[str],
        live: npt.NDArray[np.bool_],
        start: float,
        kept: npt.NDArray[np.int64],
    ) -> Verdict:
        """Roll every distinct plan of every live run forward and pick the best per run.

        ``kept`` is the plan each run played last turn: the one to beat (see :meth:`_choose`).
        """
        R, K, J = obs.runs, len(thoughts), self.futures
        same_as = self._unique(scn, obs, thoughts)
        unique = (same_as == np.arange(K)[:, None]) & live[None, :]
        # A run whose plans all agree has nothing to choose: no rollouts.
        unique &= (unique.sum(axis=0) > 1)[None, :]
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
        clears = plan_of == names.index(CLEAR)
        parts, depth = self._rollout(scn, state, first, clears, rows, start)
        value, result = np.empty(rows.size), np.empty(rows.size)
        for where, reached in parts:  # scored at the turn each row reached
            value[where], result[where] = score(scn, reached, obs.side)
        values = np.full((R, K, J), np.nan)
        values[r_idx, k_idx] = value.reshape(-1, J)
        mean[r_idx, k_idx] = values[r_idx, k_idx].mean(axis=1)
        wins[r_idx, k_idx] = (result.reshape(-1, J) > 0).mean(axis=1)
        base = same_as[kept, np.arange(R)]
        return Verdict(self._choose(values, base), names, mean, wins, J, depth, base)

    @staticmethod
    def _choose(values: F64, base: npt.ArrayLike | None = None) -> npt.NDArray[np.int64]:
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

    def _rollout(
        self,
        scn: CompiledScenario,
        state: CampaignState,
        first: Orders,
        clears: npt.NDArray[np.bool_],
        future: npt.NDArray[np.int64],
        start: float,
    ) -> tuple[list[tuple[npt.NDArray[np.int64], CampaignState]], int]:
        """Play each rollout to its depth; return the states reached and the deepest depth.

        The states come in parts, each with the rows it holds, one part per depth.

        A row plays ``horizon`` turns, or, with talks open, on to the turn the treaty is
        due if that is no more than ``signing`` turns ahead (see :meth:`depths`): near
        the treaty the result itself is known, where a position a few turns earlier
        barely foretells it.  ``clears`` marks the rows whose plan is the clearing plan,
        played on as such; ``future`` is each row's guessed future (rows of one future
        start alike).
        """
        depth = self.depths(scn, state)
        enemy = HeuristicPolicy(1 - self.side, scn, personality=self.opponent)
        policies = {
            1 - self.side: SharedFirst(enemy, future),
            self.side: PlanFollower(self.variants[0][1], first, clears),
        }
        begun = time.perf_counter()

        def out_of_time(t: int) -> bool:
            if self.time_budget is None or t == 0:
                return False
            per_turn = (time.perf_counter() - begun) / t
            return time.perf_counter() - start + per_turn > self.time_budget

        parts: list[tuple[npt.NDArray[np.int64], CampaignState]] = []

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

    def depths(self, scn: CompiledScenario, state: CampaignState) -> npt.NDArray[np.int64]:
        """Return ``[N]``: the turns each rollout row plays.

        ``horizon``, or with talks open the turns until the treaty is due and the turn of
        its signing, if that is more but no more than ``signing``.  The talks are public,
        so every future of a run plays as deep.
        """
        due = scn.talks.turns - state.talks.astype(np.int64) + 1
        reach = (state.talks >= 0) & (due <= self.signing)
        return np.where(reach, np.maximum(due, self.horizon), self.horizon).astype(np.int64)

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
        if judged == 0:
            head = "look-ahead: every plan drafted gives the same orders; nothing to weigh"
            return [Explanation(-1, head), *explain_thought(scn, obs, thoughts[k])]
        head = (
            f"look-ahead: the '{verdict.names[k]}' plan, best of {judged} judged over "
            f"{verdict.futures} futures of {verdict.depth} turns: wins {100 * wins[k]:.0f}% "
            f"of them (score {mean[k]:+.2f})"
        )
        b = 0 if verdict.kept is None else int(verdict.kept[0])
        if k != b:
            which = "default plan" if b == 0 else f"'{verdict.names[b]}' plan of last turn"
            head += f"; the {which} wins {100 * wins[b]:.0f}% (score {mean[b]:+.2f})"
        elif b != 0:
            head += " (kept from last turn)"
        out = [Explanation(-1, head, float(wins[k]))]
        reasons = explain_thought(scn, obs, thoughts[k])
        if verdict.names[k] == CLEAR:
            reasons = explain_clearing(scn, thoughts[0].orders, thoughts[k].orders, reasons)
        out += reasons
        if thoughts[k].orders.sue[0, obs.side] and thoughts[k].peace[0] == 0:
            out.append(Explanation(-1, "sue for peace: the rollouts favour a treaty now"))
        return out
