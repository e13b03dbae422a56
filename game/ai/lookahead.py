"""The look-ahead policy: candidate plans judged by rolling the real engine forward.

This module is the policy itself (its budgets, its memory of the plan each run played
last turn, its explanations); the plans are drafted in :mod:`game.ai.candidates`,
played and judged in :mod:`game.ai.rollouts` and scored by :mod:`game.ai.forecast`.
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
   (:func:`game.engine.turn.step`) for ``horizon`` turns, or on to the war's end (the
   treaty's signing, or the scenario's last turn) if it is due within ``signing`` turns: the first turn with the
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

import time

import numpy as np
import numpy.typing as npt

from game.ai.base import Decision, Explanation
from game.ai.blow import explain_blow
from game.ai.candidates import BATTLE, BLOW, CLEAR, FOOTHOLD, SCHEMES, distinct, draft, variants
from game.ai.clearing import explain_clearing
from game.ai.decisive import explain_decisive
from game.ai.features import situation
from game.ai.foothold import explain_foothold
from game.ai.heuristic import explain_thought
from game.ai.personality import Personality
from game.ai.planner import Thought
from game.ai.rollouts import Rollouts, Verdict
from game.engine.observe import Observation
from game.engine.orders import Orders
from game.errors import UsageError
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]

BUDGETS: dict[str, dict[str, int]] = {
    "easy": {"futures": 4, "horizon": 2, "plans": 3, "signing": 0},
    "normal": {"futures": 12, "horizon": 3, "plans": 5, "signing": 8},
    "hard": {"futures": 10, "horizon": 6, "plans": 7, "signing": 8},
}
"""Rollout work per difficulty: futures per plan, turns ahead, personalities tried, and
the most turns a rollout plays on to reach a treaty due (see
:meth:`game.ai.rollouts.Rollouts.depths`)."""


class LookaheadPolicy:
    """Judges heuristic plans by rollouts of the real engine from guessed true states.

    Args:
        side: The side it plays.
        scn: The scenario.
        difficulty: Sets the default work ('easy', 'normal', 'hard'; see :data:`BUDGETS`).
        futures: Guessed futures per plan.
        horizon: Turns each rollout plays.
        plans: How many personalities to draft plans with (1 to 7).
        signing: Play a rollout on to the war's end (the treaty's signing, or the
            scenario's last turn) if it is due within this many turns (0: never beyond
            ``horizon``).
        time_budget: Seconds after which rollouts stop deepening (None: never, which keeps
            games reproducible).
        commit: Keep last turn's plan unless another is surely better (see
            :func:`game.ai.rollouts.choose`); without it every turn starts from the default plan.
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
        self.schemes: tuple[str, ...] = tuple(SCHEMES)
        """The plans drawn from the outcome rules it also judges (see :data:`SCHEMES`)."""
        self.opponent = Personality.of(scn.model.sides[1 - side].ai, "normal")
        self.rollouts = Rollouts(
            side, own, self.opponent, self.futures, self.horizon, self.signing, time_budget
        )
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
        thoughts, names = draft(sit, self.variants, keys, self.schemes, notes=wanted)
        kept = self._recall(obs) if self.commit else np.zeros(obs.runs, np.int64)
        same_as = distinct(scn, obs.side, thoughts)
        verdict = self.rollouts.judge(scn, obs, keys, thoughts, names, same_as, start, kept)
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
        played = np.where(plan <= len(self.variants) + len(self.schemes) - 1, plan, 0)
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
        elif verdict.names[k] == BLOW:
            reasons = explain_blow(scn, thoughts[0].orders, thoughts[k].orders, reasons)
        elif verdict.names[k] == FOOTHOLD:
            reasons = explain_foothold(scn, thoughts[0].orders, thoughts[k].orders, reasons)
        elif verdict.names[k] == BATTLE:
            reasons = explain_decisive(scn, thoughts[0].orders, thoughts[k].orders, reasons)
        out += reasons
        if thoughts[k].orders.sue[0, obs.side] and thoughts[k].peace[0] == 0:
            out.append(Explanation(-1, "sue for peace: the rollouts favour a treaty now"))
        return out
