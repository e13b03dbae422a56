"""Orders: the arrays a side submits each turn, which of them are legal, and why not.

Legality depends only on what the ordering side can know (its own forces, who holds each
province, the map), so the same functions serve the engine (which ignores illegal
orders), the :class:`~game.game.Game` facade (which refuses them with a reason), the
interface (which lights up legal destinations) and the AI (which never issues an illegal
order).  They accept any object with the attributes used below: a
:class:`~game.engine.state.CampaignState` or an :class:`~game.engine.observe.Observation`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from game.codes import NONE, ForceStatus, OrderKind
from game.scenario.compile import CompiledScenario

I8 = npt.NDArray[np.int8]
I16 = npt.NDArray[np.int16]
B = npt.NDArray[np.bool_]

NO_ORDER = -1
"""Order kind meaning 'no new order': keep doing what it was told before."""


class View(Protocol):
    """What legality needs to see: the ordering side's own forces and the map's owners."""

    turn: int
    owner: I8
    loc: I16
    nxt: I16
    status: I8
    over: B


@dataclass
class Orders:
    """One turn's orders for every force slot of a batch (both sides may share one).

    Attributes:
        kind: :class:`~game.codes.OrderKind` code, or -1 for no new order ``[R, F]``.
        target: Destination province, or -1 ``[R, F]``.
        sue: A side asks for peace this turn ``[R, S]``.
    """

    kind: I8
    target: I16
    sue: B

    @classmethod
    def empty(cls, runs: int, forces: int, sides: int = 2) -> Orders:
        """Return a batch of 'no new order' for every force."""
        return cls(
            kind=np.full((runs, forces), NO_ORDER, np.int8),
            target=np.full((runs, forces), NONE, np.int16),
            sue=np.zeros((runs, sides), bool),
        )

    def copy(self) -> Orders:
        """Return a copy."""
        return Orders(self.kind.copy(), self.target.copy(), self.sue.copy())

    def merge(self, other: Orders, forces: npt.ArrayLike) -> Orders:
        """Return these orders with ``other``'s orders for the given force slots."""
        out = self.copy()
        f = np.asarray(forces)
        out.kind[:, f] = other.kind[:, f]
        out.target[:, f] = other.target[:, f]
        out.sue |= other.sue
        return out


class Refusal(enum.IntEnum):
    """Why an order is illegal (0 means it is legal)."""

    OK = 0
    NOT_YOURS = 1
    NOT_ON_MAP = 2
    NO_SUCH_PROVINCE = 3
    UNREACHABLE = 4
    ALREADY_THERE = 5
    ON_THE_ROAD = 6
    NOT_FRIENDLY = 7
    NOT_ADJACENT = 8
    ENEMY_HELD = 9
    WAR_OVER = 10
    ENEMY_BASE = 11
    NEEDS_TARGET = 12
    UNKNOWN_ORDER = 13
    NO_SUCH_FORCE = 14
    JOIN_ITSELF = 15
    JOIN_STRANGER = 16
    JOIN_ABSENT = 17


REASONS: dict[Refusal, str] = {
    Refusal.OK: "legal",
    Refusal.NOT_YOURS: "that force belongs to the other side",
    Refusal.NOT_ON_MAP: "that force is not on the map (not yet arrived, or gone)",
    Refusal.NO_SUCH_PROVINCE: "no such province",
    Refusal.UNREACHABLE: "no route leads there",
    Refusal.ALREADY_THERE: "the force is already there",
    Refusal.ON_THE_ROAD: "the force is on the road; it can only garrison or retreat from a province",
    Refusal.NOT_FRIENDLY: "a force can only garrison a province its side holds",
    Refusal.NOT_ADJACENT: "a retreat must be to a neighbouring province",
    Refusal.ENEMY_HELD: "a retreat must be to a province your side holds",
    Refusal.WAR_OVER: "the war is over",
    Refusal.ENEMY_BASE: "the enemy's bases beyond the theatre cannot be entered",
    Refusal.NEEDS_TARGET: "this order needs a destination province",
    Refusal.UNKNOWN_ORDER: "no such order",
    Refusal.NO_SUCH_FORCE: "a join needs another force to join",
    Refusal.JOIN_ITSELF: "a force cannot join itself",
    Refusal.JOIN_STRANGER: "a force joins only a force of its own side and party",
    Refusal.JOIN_ABSENT: "the force to join is not on the map",
}


def _stands(view: View) -> B:
    return (view.status == ForceStatus.ACTIVE) & (view.nxt == NONE)


def check(
    scn: CompiledScenario,
    view: View,
    side: int | npt.NDArray[np.int64],
    orders: Orders,
    pairs: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
) -> I8:
    """Return a :class:`Refusal` code for ``side``'s orders (0 where legal).

    With ``pairs`` (run positions, force slots), return codes for those orders only, as a
    flat array: the engine checks just the orders given, not every force of every run.
    ``side`` may then also give each pair's side, to check both sides' orders at once.
    Without it, return ``[R, F]`` codes; 'no new order' is always legal.
    """
    if pairs is None:
        out = np.zeros(orders.kind.shape, np.int8)
        r, f = np.nonzero(orders.kind != NO_ORDER)
        out[r, f] = check(scn, view, side, orders, (r, f))
        return out
    r = np.asarray(pairs[0], np.int64)
    f = np.asarray(pairs[1], np.int64)
    slot = r * orders.kind.shape[1] + f
    return _check_pairs(
        scn,
        view,
        side,
        r,
        f,
        np.take(orders.kind, slot).astype(np.int16),
        np.take(orders.target, slot).astype(np.int64),
    )


def _check_pairs(
    scn: CompiledScenario,
    view: View,
    side: int | npt.NDArray[np.int64],
    r: npt.NDArray[np.int64],
    f: npt.NDArray[np.int64],
    kind: npt.NDArray[np.int16],
    tgt: npt.NDArray[np.int64],
) -> I8:
    if r.size == 0:
        return np.zeros(0, np.int8)
    join = kind == OrderKind.JOIN
    partner, partner_ok = _partner(scn, view, r, f, tgt, join)
    tgt = np.where(join, partner, tgt)  # a join goes where the force it joins stands
    slot = r * view.loc.shape[1] + f  # flat positions: one 1-D take per array
    loc = np.take(view.loc, slot).astype(np.int64)
    nxt = np.take(view.nxt, slot).astype(np.int64)
    active = np.take(view.status, slot) == ForceStatus.ACTIVE
    stands = active & (nxt == NONE)
    valid_t = (tgt >= 0) & (tgt < scn.P)
    t = np.where(valid_t, tgt, 0)
    here = np.where(nxt != NONE, nxt, loc)
    here = np.where(here >= 0, here, 0)
    safe_loc = np.where(loc >= 0, loc, 0)
    known = np.zeros(max(OrderKind) + 1, bool)
    known[list(OrderKind)] = True
    is_kind = np.where(
        (kind >= 0) & (kind < known.size), known[np.clip(kind, 0, known.size - 1)], False
    )
    march, forced = kind == OrderKind.MARCH, kind == OrderKind.FORCED_MARCH
    garrison, retreat = kind == OrderKind.GARRISON, kind == OrderKind.RETREAT
    moving = march | forced | (kind == OrderKind.ATTACK)
    needs_t = moving | retreat | (join & (partner_ok == Refusal.OK))
    owner_t = np.take(view.owner, r * scn.P + t)
    routes = scn.force_side[f].astype(np.int64)  # each force walks its own side's routes
    # The first refusal that applies is the one given, in this order.
    refusals = (
        (~is_kind, Refusal.UNKNOWN_ORDER),
        (view.over[r], Refusal.WAR_OVER),
        (scn.force_side[f] != side, Refusal.NOT_YOURS),
        (~active, Refusal.NOT_ON_MAP),
        (join & (partner_ok != Refusal.OK), partner_ok),
        (needs_t & (tgt == NONE), Refusal.NEEDS_TARGET),
        (needs_t & ~valid_t, Refusal.NO_SUCH_PROVINCE),
        (needs_t & ~np.isfinite(scn.side_dist_days[routes, here, t]), Refusal.UNREACHABLE),
        (moving & scn.off_map[t] & (owner_t != side), Refusal.ENEMY_BASE),
        ((march | forced) & stands & (t == loc), Refusal.ALREADY_THERE),
        ((garrison | retreat) & ~stands, Refusal.ON_THE_ROAD),
        (garrison & (np.take(view.owner, r * scn.P + safe_loc) != side), Refusal.NOT_FRIENDLY),
        (retreat & ~np.isfinite(scn.side_link_days[routes, safe_loc, t]), Refusal.NOT_ADJACENT),
        (retreat & (owner_t != side), Refusal.ENEMY_HELD),
    )
    out = np.zeros(r.size, np.int8)
    for refused, why in reversed(refusals):
        out = np.where(refused, np.asarray(why, np.int8), out)
    return out


def _partner(
    scn: CompiledScenario,
    view: View,
    r: npt.NDArray[np.int64],
    f: npt.NDArray[np.int64],
    tgt: npt.NDArray[np.int64],
    join: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    """Return where the force each join names stands (-1 if none), and the join's refusal.

    A join's target is a force slot: another force of the same side and party, on the
    map.  It goes to that force's province, or to the end of its road if it is marching.
    """
    valid = join & (tgt >= 0) & (tgt < scn.F)
    g = np.where(valid, tgt, 0)
    slot = r * view.loc.shape[1] + g
    loc = np.take(view.loc, slot).astype(np.int64)
    nxt = np.take(view.nxt, slot).astype(np.int64)
    where = np.where(valid, np.where(nxt != NONE, nxt, loc), NONE)
    same = (scn.force_side[g] == scn.force_side[f]) & (scn.force_party[g] == scn.force_party[f])
    on_map = np.take(view.status, slot) == ForceStatus.ACTIVE
    why = np.where(
        ~valid,
        Refusal.NO_SUCH_FORCE,
        np.where(
            g == f,
            Refusal.JOIN_ITSELF,
            np.where(~same, Refusal.JOIN_STRANGER, np.where(~on_map, Refusal.JOIN_ABSENT, 0)),
        ),
    ).astype(np.int8)
    return np.where(join & (why == 0), where, NONE), why


def march_targets(scn: CompiledScenario, view: View, side: int) -> B:
    """Return ``[R, F, P]``: provinces each force of ``side`` may march or attack to.

    Attack may also target the force's own province (to fight enemies already there),
    which this mask includes; plain march may not, which callers handle.  One compiled
    pass (:func:`game.engine.order_masks.march_mask`).
    """
    from game.engine.order_masks import march_mask

    return march_mask(  # type: ignore[no-any-return]
        view.nxt,
        view.loc,
        view.status,
        view.owner,
        view.over,
        scn.force_side,
        side,
        scn.side_dist_days[side],
        scn.off_map,
    )


def retreat_targets(scn: CompiledScenario, view: View, side: int) -> B:
    """Return ``[R, F, P]``: neighbouring provinces held by ``side`` a force may retreat to.

    One compiled pass (:func:`game.engine.order_masks.retreat_mask`).
    """
    from game.engine.order_masks import retreat_mask

    return retreat_mask(  # type: ignore[no-any-return]
        view.nxt,
        view.loc,
        view.status,
        view.owner,
        view.over,
        scn.force_side,
        side,
        scn.side_link_days[side],
    )


def can_garrison(scn: CompiledScenario, view: View, side: int) -> B:
    """Return ``[R, F]``: forces of ``side`` standing in a province their side holds."""
    loc = np.where(view.loc >= 0, view.loc, 0).astype(np.int64)
    held = np.take_along_axis(view.owner, loc, axis=1) == side
    return _stands(view) & held & (scn.force_side == side)[None, :] & ~view.over[:, None]


@dataclass(frozen=True)
class LegalOrder:
    """One legal order of one force, for listing in the interface (batch of one)."""

    force: int
    kind: OrderKind
    target: int


def legal_orders(scn: CompiledScenario, view: View, side: int, run: int = 0) -> list[LegalOrder]:
    """List every legal order of ``side``'s forces in one run (for the interface and tests)."""
    out: list[LegalOrder] = []
    mt = march_targets(scn, view, side)[run]
    rt = retreat_targets(scn, view, side)[run]
    cg = can_garrison(scn, view, side)[run]
    stands = _stands(view)[run]
    for f in np.flatnonzero(mt.any(axis=1) | cg):
        f = int(f)
        out.append(LegalOrder(f, OrderKind.HOLD, NONE))
        if cg[f]:
            out.append(LegalOrder(f, OrderKind.GARRISON, NONE))
        for p in np.flatnonzero(mt[f]):
            p = int(p)
            if not (stands[f] and p == view.loc[run, f]):
                out.append(LegalOrder(f, OrderKind.MARCH, p))
                out.append(LegalOrder(f, OrderKind.FORCED_MARCH, p))
            out.append(LegalOrder(f, OrderKind.ATTACK, p))
        for p in np.flatnonzero(rt[f]):
            out.append(LegalOrder(f, OrderKind.RETREAT, int(p)))
    return out
