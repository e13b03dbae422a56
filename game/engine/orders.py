"""Orders: the arrays a side submits each turn, which of them are legal, and why not.

Legality depends only on what the ordering side can know (its own forces, who holds each
province, the map), so the same functions serve the engine (which ignores illegal
orders), the :class:`~game.game.Game` facade (which refuses them with a reason), the
interface (which lights up legal destinations) and the AI (which never issues an illegal
order).  They accept any object with the attributes used below: a
:class:`~game.engine.state.CampaignState` or an :class:`~game.engine.observe.Observation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from game.codes import NONE, ForceStatus, OrderKind, Refusal
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
    """Return the refusal of each order: one compiled pass (:func:`order_masks.refusals`)."""
    from game.engine.order_masks import refusals

    return refusals(  # type: ignore[no-any-return]
        r,
        f,
        kind,
        tgt,
        np.broadcast_to(np.asarray(side, np.int64), r.shape).copy(),
        (view.loc, view.nxt, view.status, view.owner, view.over),
        _KNOWN,
        scn.force_side,
        scn.force_party,
        (scn.side_dist_days, scn.side_link_days, scn.off_map),
    )


_KNOWN = np.zeros(max(OrderKind) + 1, bool)
_KNOWN[list(OrderKind)] = True
"""The order kinds that exist, by code."""


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
