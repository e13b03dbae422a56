"""The one interface every policy implements, used by the game, the replay and studies.

A policy sees only an :class:`~game.engine.observe.Observation` (fog of war; it never gets
the true state) and a key per run for its own random stream, and returns orders for its
side's forces in every run at once.  For a batch of one it can also explain each order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from game import rng
from game.engine.observe import Observation
from game.engine.orders import Orders
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Explanation:
    """Why a policy gave one order, and the odds it expected.

    ``force`` is the force slot the order is for, or -1 for a decision of the whole side
    (suing for peace).
    """

    force: int
    text: str
    p_win: float | None = None
    expected_killed: float | None = None


@dataclass
class Decision:
    """A policy's orders for its side, with explanations for a batch of one if asked."""

    orders: Orders
    explanations: list[Explanation] = field(default_factory=list)


@runtime_checkable
class Policy(Protocol):
    """Gives orders for one side of a batch of runs."""

    name: str

    def decide(
        self, scn: CompiledScenario, obs: Observation, keys: U64, *, explain: bool = False
    ) -> Decision:
        """Return orders for ``obs.side``'s forces in every run of the observation."""
        ...


def policy_keys(seed: int, run_ids: npt.ArrayLike, turn: int, side: int) -> U64:
    """Return the AI stream's key per run for one side's decision in one turn.

    ``rng.derive(rng.root_key(seed, rng.Stream.AI, run_ids), turn, side)``, in one compiled
    call (:func:`game.engine.keyed.turn_keys`, the same bits): asked twice a turn, the
    array functions' few dozen numpy calls cost more than the rest of a turn's keys at a
    batch of one.  Imported here rather than at the top so that importing the policies'
    interface does not load the compiler (the commands that play nothing never do).
    """
    from game.engine import keyed

    return keyed.turn_keys(seed, rng.Stream.AI, run_ids, turn, side)
