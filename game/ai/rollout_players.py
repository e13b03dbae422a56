"""The players of the look-ahead's rollouts: its own side following a plan, and the enemy.

:class:`PlanFollower` plays each rollout's plan on the first turn and the side's own
heuristic after it (a plan drawn from the outcome rules, such as the plan of clearing of
:mod:`game.ai.clearing`, played on as such);
:class:`SharedFirst` plays the enemy by its heuristic, deciding its first turn once per
guessed future.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from game.ai.base import Decision
from game.ai.candidates import Scheme
from game.ai.features import situation
from game.ai.heuristic import HeuristicPolicy
from game.ai.personality import Personality
from game.ai.planner import plan
from game.engine.observe import Observation
from game.engine.orders import Orders
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]


def take(obs: Observation, idx: npt.ArrayLike) -> Observation:
    """Return the observation of the given runs (a copy)."""
    i = np.asarray(idx)
    changes = {
        f.name: getattr(obs, f.name)[i].copy()
        for f in dataclasses.fields(obs)
        if isinstance(getattr(obs, f.name), np.ndarray) and f.name != "own"
    }
    return dataclasses.replace(obs, **changes)


class SharedFirst:
    """The enemy in the rollouts, deciding its first turn once per guessed future.

    Orders are simultaneous, so in the first turn every plan's rollout of one future
    shows the enemy the same position: its orders are decided on one row per future
    and copied to the others (a run's orders never depend on the rest of its batch, so
    this gives the same orders in a fraction of the time).
    """

    name = "lookahead-enemy"

    def __init__(self, policy: HeuristicPolicy, future: npt.NDArray[np.int64]) -> None:
        self.policy = policy
        self.future: npt.NDArray[np.int64] | None = future

    def decide(
        self, scn: CompiledScenario, obs: Observation, keys: U64, *, explain: bool = False
    ) -> Decision:
        """Return the enemy's orders, the first turn's decided once per future."""
        if self.future is None:
            return self.policy.decide(scn, obs, keys)
        _, rep, inv = np.unique(self.future, return_index=True, return_inverse=True)
        self.future = None
        o = self.policy.decide(scn, take(obs, rep), np.asarray(keys)[rep]).orders
        return Decision(Orders(o.kind[inv], o.target[inv], o.sue[inv]))


class PlanFollower:
    """The look-ahead's own side in its rollouts: each row's plan, then the heuristic.

    The first turn plays each rollout's plan (``first``); later turns play the side's
    own heuristic (its scenario personality) for every row at once, with the rows whose
    plan is a scheme drawn over it (``follow``: 1 + the scheme's index in ``schemes``; 0
    for none) playing that scheme on.  Continuing each
    row with the personality that drafted its plan cost one heuristic call per plan
    and turn instead of one per turn, almost twice the time of a decision, and was no
    stronger (see docs/ai.md).
    """

    name = "lookahead-rollout"

    def __init__(
        self,
        personality: Personality,
        first: Orders,
        follow: npt.NDArray[np.int64] | None = None,
        schemes: Sequence[Scheme] = (),
    ) -> None:
        self.personality = personality
        self.first: Orders | None = first
        self.follow = np.zeros(first.kind.shape[0], np.int64) if follow is None else follow
        self.schemes = list(schemes)

    def decide(
        self, scn: CompiledScenario, obs: Observation, keys: U64, *, explain: bool = False
    ) -> Decision:
        """Return the plan's orders on the first turn, the heuristic's after it."""
        if self.first is not None:
            orders, self.first = self.first, None
            return Decision(orders)
        sit = situation(scn, obs)
        orders = plan(sit, self.personality, np.asarray(keys, np.uint64), notes=False).orders
        kind, target = orders.kind, orders.target
        for i, scheme in enumerate(self.schemes):
            rows = (self.follow == i + 1)[:, None]
            if rows.any():
                drawn, _ = scheme(sit, orders)
                kind = np.where(rows, drawn.kind, kind)
                target = np.where(rows, drawn.target, target)
        return Decision(Orders(kind, target, orders.sue))
