"""Who plays the historical orders: the registry's ``historical`` policy, or orders only.

The replay and the fidelity report play both sides with the scenario's recorded orders.
Forces that history does not mention (irregulars raised by chance risings) or whose
recorded order has become impossible need *some* behaviour.  Two are offered:

* ``heuristic`` (the default): :func:`game.ai.make_policy`'s ``historical`` policy, which
  lets the heuristic AI decide for those forces and sue for peace when it would;
* ``hold``: :class:`RecordedPolicy`, which gives the recorded order where it is legal and
  has not lapsed (its premise holds), and otherwise no order at all, so such forces stand
  where they are (and defend) and peace comes only through the rules (events, will,
  talks), as it did in 1842.

Comparing the two shows how much of a report's departure from history comes from the
AI's improvisation rather than from the resolver and the rules.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.base import Decision, Explanation, Policy
from game.ai.historical import as_in_history, lapsed_orders, recorded_orders
from game.codes import NONE
from game.engine.observe import Observation
from game.engine.orders import NO_ORDER, Orders, Refusal, check
from game.errors import UsageError
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]

FALLBACKS: Final = ("heuristic", "hold")
"""What forces do where history gives no legal order (see the module docstring)."""


class RecordedPolicy:
    """Plays the recorded orders where the rules allow them, and nothing else.

    Args:
        side: Index of the side it plays.
    """

    name = "recorded"

    def __init__(self, side: int) -> None:
        self.side = side

    def decide(
        self, scn: CompiledScenario, obs: Observation, keys: U64, *, explain: bool = False
    ) -> Decision:
        """Return this turn's recorded orders that are legal and stand; no order elsewhere."""
        R = obs.runs
        rec = recorded_orders(scn, obs)
        follow = (rec.kind != NO_ORDER) & (check(scn, obs, obs.side, rec) == Refusal.OK)
        follow &= ~lapsed_orders(scn, obs)
        orders = Orders(
            np.where(follow, rec.kind, NO_ORDER).astype(np.int8),
            np.where(follow, rec.target, NONE).astype(np.int16),
            np.zeros((R, scn.S), bool),
        )
        notes = _notes(scn, orders) if explain and R == 1 else []
        return Decision(orders, notes)


def _notes(scn: CompiledScenario, orders: Orders) -> list[Explanation]:
    return [
        Explanation(int(f), as_in_history(scn, int(orders.kind[0, f]), int(orders.target[0, f])))
        for f in np.flatnonzero(orders.kind[0] != NO_ORDER)
    ]


def make(fallback: str, side: int, scn: CompiledScenario, difficulty: str = "normal") -> Policy:
    """Return the policy that plays ``side``'s recorded orders with the given fallback.

    Raises:
        UsageError: For a fallback not in :data:`FALLBACKS`.
    """
    if fallback == "hold":
        return RecordedPolicy(side)
    if fallback == "heuristic":
        from game.ai import make_policy

        return make_policy("historical", side, scn, difficulty=difficulty)
    raise UsageError(f"no fallback '{fallback}' (choose from {', '.join(FALLBACKS)})")


def recorded(side: int, scn: CompiledScenario, difficulty: str = "normal") -> Policy:
    """Return :class:`RecordedPolicy` for ``side``: a factory studies can name.

    ``ingavi study --policy peru=game.history.record_policies:recorded`` plays a side by its
    recorded orders alone; ``scn`` and ``difficulty`` are accepted for the factory's
    signature and not needed.
    """
    del scn, difficulty
    return RecordedPolicy(side)


def make_all(fallback: str, scn: CompiledScenario, difficulty: str = "normal") -> dict[int, Policy]:
    """Return a policy per side index, every side playing its recorded orders."""
    return {s: make(fallback, s, scn, difficulty) for s in range(scn.S)}
