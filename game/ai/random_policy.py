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
from game.codes import NONE, ForceStatus, OrderKind
from game.engine.observe import Observation
from game.engine.orders import NO_ORDER, Orders, can_garrison, march_targets, retreat_targets
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]


def random_orders(scn: CompiledScenario, obs: Observation, keys: U64) -> Orders:
    """Return a uniformly random legal order for every able force of ``obs.side``.

    Orders of a force are counted as in :func:`game.engine.orders.legal_orders`: one
    hold, one garrison if allowed, then for each reachable province a march and a forced
    march (unless the force stands there) and an attack, then one retreat per
    neighbouring held province.  The force's draw picks one of them by its rank.  The
    work is done over the (run, force) pairs of the side that can act only: in a big
    batch the other side's slots and the forces off the map are most of ``[R, F, P]``.
    """
    s = obs.side
    R, F, P = obs.runs, scn.F, scn.P
    own = np.flatnonzero(np.asarray(scn.force_side) == s)
    mt_all = march_targets(scn, obs, s)[:, own]  # [R, Fo, P]
    cg_all = can_garrison(scn, obs, s)[:, own]
    r, j = np.nonzero(mt_all.any(axis=2) | cg_all)  # the pairs that can act
    f = own[j]
    mt = mt_all[r, j]  # [n, P]
    rt = retreat_targets(scn, obs, s)[r, f]
    cg = cg_all[r, j]
    stands = (obs.status[r, f] == ForceStatus.ACTIVE) & (obs.nxt[r, f] == NONE)
    at = stands[:, None] & (np.arange(P)[None, :] == obs.loc[r, f][:, None])
    per_place = np.where(mt, np.where(at, 1, 3), 0).astype(np.int16)  # attack / all three
    n_move = per_place.sum(axis=1, dtype=np.int64)
    n = 1 + cg + n_move + rt.sum(axis=1, dtype=np.int64)
    u = rng.uniform(np.asarray(keys, np.uint64)[r], f)  # keyed by run and force slot
    pick = np.minimum((u * n).astype(np.int64), n - 1)

    kind = np.full(r.size, OrderKind.HOLD, np.int16)
    target = np.full(r.size, NONE, np.int16)
    k = pick - 1  # rank among the orders after hold
    kind[cg & (k == 0)] = OrderKind.GARRISON
    k = k - cg
    cum = np.cumsum(per_place, axis=1, dtype=np.int16)  # orders up to each province
    in_move = (k >= 0) & (k < n_move)
    place = np.argmax(cum > k[:, None], axis=1)
    rows = np.arange(r.size)
    before = cum[rows, place] - per_place[rows, place]
    step = k - before  # 0 march, 1 forced, 2 attack (or 0 attack where it stands)
    move_kind = np.where(
        at[rows, place],
        OrderKind.ATTACK,
        np.array([OrderKind.MARCH, OrderKind.FORCED_MARCH, OrderKind.ATTACK])[np.clip(step, 0, 2)],
    )
    kind = np.where(in_move, move_kind, kind)
    target = np.where(in_move, place, target)
    in_rt = k - n_move >= 0
    rplace = np.argmax(np.cumsum(rt, axis=1, dtype=np.int16) > (k - n_move)[:, None], axis=1)
    kind = np.where(in_rt, OrderKind.RETREAT, kind)
    target = np.where(in_rt, rplace, target)
    out = Orders.empty(R, F, scn.S)
    out.kind[r, f] = kind
    out.target[r, f] = target
    return out


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
