"""Policies for testing the study machinery until the project's own AI lands.

They are named to a study as ``study_policies:hold`` and ``study_policies:wander`` (the
``module:factory`` form), so worker processes rebuild them by import like any policy.
"""

from __future__ import annotations

from engine_helpers import random_orders

from game.ai.base import Decision
from game.engine.orders import Orders
from game.errors import UsageError


class Hold:
    """Gives no orders: every force stays where it is."""

    name = "hold"

    def __init__(self, side: int) -> None:
        self.side = side

    def decide(self, scn, obs, keys, *, explain=False):
        return Decision(Orders.empty(obs.runs, scn.F, scn.S))


class Wander:
    """Gives uniformly random legal orders, keyed on (run, turn) like every draw."""

    name = "wander"

    def __init__(self, side: int) -> None:
        self.side = side

    def decide(self, scn, obs, keys, *, explain=False):
        return Decision(random_orders(scn, obs, seed=11 + self.side))


def hold(side, scn, difficulty="normal"):
    return Hold(side)


def wander(side, scn, difficulty="normal"):
    return Wander(side)


class SingleThreadProbe(Hold):
    """Holds, but refuses to play unless its process was given one BLAS thread."""

    name = "single-thread-probe"

    def decide(self, scn, obs, keys, *, explain=False):
        import os

        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            if os.environ.get(var) != "1":
                raise UsageError(f"{var} is {os.environ.get(var)!r} in this process, not '1'")
        return super().decide(scn, obs, keys, explain=explain)


def single_thread_probe(side, scn, difficulty="normal"):
    return SingleThreadProbe(side)
