"""The random policy: a uniformly random legal order for every force (the baseline).

Each force able to act draws one order uniformly from the list of its legal orders (the
list :func:`game.engine.orders.legal_orders` gives the interface): hold, garrison where
allowed, march, forced march or attack to every province it can reach, retreat to every
neighbouring province its side holds.  It never sues for peace: a baseline that opened
talks at random would end wars before either side could win them.  Draws come from the
policy's keys (the AI stream), one per run and force, so a run's orders are the same in
any batch.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game import rng
from game.ai.base import Decision, Explanation
from game.engine.codes import NONE, ForceStatus, OrderKind
from game.engine.observe import Observation
from game.engine.orders import NO_ORDER, Orders, can_garrison, march_targets, retreat_targets
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]


def random_orders(scn: CompiledScenario, obs: Observation, keys: U64) -> Orders:
    """Return a uniformly random legal order for every able force of ``obs.side``.

    Orders of a force are counted as in :func:`game.engine.orders.legal_orders`: one
    hold, one garrison if allowed, then for each reachable province a march and a forced
    march (unless the force stands there) and an attack, then one retreat per
    neighbouring held province.  The force's draw picks one of them by its rank.
    """
    s = obs.side
    R, F, P = obs.runs, scn.F, scn.P
    mt = march_targets(scn, obs, s)  # [R, F, P]
    rt = retreat_targets(scn, obs, s)
    cg = can_garrison(scn, obs, s)
    stands = (obs.status == ForceStatus.ACTIVE) & (obs.nxt == NONE)
    at = stands[:, :, None] & (np.arange(P)[None, None, :] == obs.loc[:, :, None])
    per_place = np.where(mt, np.where(at, 1, 3), 0)  # attack only / march, forced, attack
    n_move = per_place.sum(axis=2)
    n = 1 + cg + n_move + rt.sum(axis=2)
    able = (mt.any(axis=2) | cg) & (scn.force_side == s)[None, :]
    u = rng.uniform(keys[:, None], np.arange(F)[None, :])
    pick = np.minimum((u * n).astype(np.int64), n - 1)

    kind = np.full((R, F), OrderKind.HOLD, np.int16)
    target = np.full((R, F), NONE, np.int16)
    k = pick - 1  # rank among the orders after hold
    gar = cg & (k == 0)
    kind[gar] = OrderKind.GARRISON
    k = k - cg
    cum = np.cumsum(per_place, axis=2)  # orders up to and including each province
    in_move = (k >= 0) & (k < n_move)
    place = np.argmax(cum > k[:, :, None], axis=2)
    before = np.take_along_axis(cum - per_place, place[:, :, None], axis=2)[:, :, 0]
    j = k - before  # 0 march, 1 forced, 2 attack (or 0 attack where it stands)
    here = np.take_along_axis(at, place[:, :, None], axis=2)[:, :, 0]
    move_kind = np.where(
        here,
        OrderKind.ATTACK,
        np.array([OrderKind.MARCH, OrderKind.FORCED_MARCH, OrderKind.ATTACK])[np.clip(j, 0, 2)],
    )
    kind = np.where(in_move, move_kind, kind)
    target = np.where(in_move, place, target)
    k_rt = k - n_move
    in_rt = k_rt >= 0
    rcum = np.cumsum(rt, axis=2)
    rplace = np.argmax(rcum > k_rt[:, :, None], axis=2)
    kind = np.where(in_rt, OrderKind.RETREAT, kind)
    target = np.where(in_rt, rplace, target)
    return Orders(
        kind=np.where(able, kind, NO_ORDER).astype(np.int8),
        target=np.where(able, target, NONE).astype(np.int16),
        sue=np.zeros((R, scn.S), bool),
    )


class RandomPolicy:
    """Uniformly random legal orders; never sues for peace."""

    name = "random"

    def __init__(self, side: int) -> None:
        self.side = side

    def decide(
        self, scn: CompiledScenario, obs: Observation, keys: U64, *, explain: bool = False
    ) -> Decision:
        """Return a random legal order for each of the side's forces in every run."""
        orders = random_orders(scn, obs, keys)
        notes: list[Explanation] = []
        if explain and obs.runs == 1:
            for f in np.flatnonzero(orders.kind[0] != NO_ORDER):
                kind = OrderKind(int(orders.kind[0, f])).name.lower().replace("_", " ")
                t = int(orders.target[0, f])
                where = f" {scn.province_name(t)}" if t != NONE else ""
                notes.append(Explanation(int(f), f"random order: {kind}{where}"))
        return Decision(orders, notes)
