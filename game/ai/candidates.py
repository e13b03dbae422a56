"""The look-ahead's candidate plans: what it drafts each turn for its rollouts to judge.

The heuristic's plan under a few personalities (the side's own first), the plan of
clearing the enemy's hold on own land (:mod:`game.ai.clearing`), and the default plan
with the opposite peace decision; plans that give the same orders are judged once
(:func:`distinct`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from game import rng
from game.ai.blow import blow
from game.ai.clearing import clearing, clearing_all
from game.ai.decisive import all_in, decisive
from game.ai.features import Situation
from game.ai.foothold import foothold
from game.ai.personality import Personality
from game.ai.planner import Thought, plan
from game.engine.orders import Orders
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]
B = npt.NDArray[np.bool_]

CLEAR = "clear"
"""The name of the plan of clearing the enemy's hold on own land (:mod:`game.ai.clearing`)."""

BLOW = "blow"
"""The name of the plan of the army's blow against the enemy's strongest hold on own land
(:mod:`game.ai.blow`)."""

CLEAR_ALL = "clear-all"
"""The name of the plan of clearing every enemy hold on own land at once."""

FOOTHOLD = "foothold"
"""The name of the plan of keeping or taking a town whose holding stalls the talks
(:mod:`game.ai.foothold`)."""

BATTLE = "battle"
"""The name of the plan of the decisive battle against the enemy's main army
(:mod:`game.ai.decisive`)."""

ALL_IN = "all-in-blow"
"""The name of the plan of the blow with every force but one foothold
(:func:`game.ai.decisive.all_in`)."""

Scheme = Callable[[Situation, Orders], tuple[Orders, B]]
"""A plan drawn over the heuristic's orders: the orders, and the runs where it changed them."""

SCHEMES: dict[str, Scheme] = {
    CLEAR: clearing,
    BLOW: blow,
    CLEAR_ALL: clearing_all,
    FOOTHOLD: foothold,
    BATTLE: decisive,
    ALL_IN: all_in,
}
"""The plans drawn from the scenario's outcome rules over the default plan, by name;
each is played on as such in its rollouts (a column needs more than one march)."""

PEACE = "peace"
"""The name of the default plan with the opposite peace decision."""


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


SALT_PLAN = 0x91


def draft(
    sit: Situation,
    personalities: list[tuple[str, Personality]],
    keys: U64,
    schemes: tuple[str, ...] = tuple(SCHEMES),
    *,
    notes: bool = False,
) -> tuple[list[Thought], list[str]]:
    """Return the candidate plans of every run and their names.

    One plan per personality (drafted with keys derived from ``keys``), then the
    ``schemes`` drawn over the default plan (:data:`SCHEMES`) and the default plan with
    the opposite peace decision, in that order.
    """
    thoughts = [
        plan(sit, pers, rng.derive(keys, SALT_PLAN, i), notes=notes)
        for i, (_, pers) in enumerate(personalities)
    ]
    base = thoughts[0]
    for name in schemes:
        drawn, _ = SCHEMES[name](sit, base.orders)
        thoughts.append(Thought(drawn, base.notes, base.peace.copy(), base.outcome))
    peace = Thought(base.orders.copy(), base.notes, base.peace.copy(), base.outcome)
    peace.orders.sue[:, sit.side] = ~base.orders.sue[:, sit.side] & (sit.obs.talks < 0)
    peace.peace[:] = 0
    thoughts.append(peace)
    return thoughts, [n for n, _ in personalities] + [*schemes, PEACE]


def distinct(scn: CompiledScenario, side: int, thoughts: list[Thought]) -> npt.NDArray[np.int64]:
    """Return ``[K, R]``: for each plan in each run, the first plan equal to it."""
    own = np.asarray(scn.force_side == side)
    sig = [
        np.concatenate(
            [
                t.orders.kind[:, own],
                t.orders.target[:, own],
                t.orders.sue[:, side : side + 1],
            ],
            axis=1,
        ).astype(np.int64)
        for t in thoughts
    ]
    K, R = len(thoughts), sig[0].shape[0]
    first = np.repeat(np.arange(K, dtype=np.int64)[:, None], R, axis=1)
    for k in range(1, K):
        for j in range(k - 1, -1, -1):
            same = (sig[k] == sig[j]).all(axis=1)
            first[k] = np.where(same, first[j], first[k])
    return first
