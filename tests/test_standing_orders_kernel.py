"""The turn's legal orders written as standing orders in one compiled call.

:func:`game.engine.phases.marching.stand` replaced a chain of numpy calls in
:func:`game.engine.phases.movement.apply_orders`; the chain is kept here as the reference
and both are run on random orders, roads and refusals.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st_

from game import rng
from game.codes import NONE, OrderKind
from game.engine.forces import pairs
from game.engine.orders import NO_ORDER
from game.engine.phases.marching import stand


def _reference(r, f, refused, kind_all, target_all, st, attack_intent):
    """The numpy code the kernel replaced (writes ``st`` and ``attack_intent`` in place)."""
    nxt_all, loc_all, joining, dest, garrisoned, forced = st
    F = kind_all.shape[1]
    slot = (r * F + f)[refused == 0]
    kind = np.take(kind_all, slot)
    tgt = np.take(target_all, slot)
    nxt = np.take(nxt_all, slot)
    on_road = nxt != NONE
    join = kind == OrderKind.JOIN
    np.put(joining, slot, np.where(join, tgt, NONE))
    tgt = np.where(join, NONE, tgt)
    hold = (kind == OrderKind.HOLD) | (kind == OrderKind.GARRISON)
    here = ~on_road & (tgt == np.take(loc_all, slot))
    dest_ = np.where(hold, np.where(on_road, nxt, NONE), np.where(here, NONE, tgt))
    np.put(dest, slot, dest_)
    np.put(garrisoned, slot, kind == OrderKind.GARRISON)
    np.put(forced, slot, kind == OrderKind.FORCED_MARCH)
    np.put(attack_intent, slot[kind == OrderKind.ATTACK], True)


@settings(max_examples=60, deadline=None)
@given(
    seed=st_.integers(0, 2**32),
    runs=st_.integers(1, 7),
    forces=st_.integers(1, 12),
    places=st_.integers(1, 6),
)
def test_standing_orders_are_the_array_codes(seed, runs, forces, places):
    key = rng.root_key(seed, rng.Stream.TEST, np.arange(runs))[:, None]
    slots = np.arange(forces)[None, :]

    def draw(salt: int, lo: int, hi: int, dtype) -> np.ndarray:
        u = rng.uniform(key, salt, slots)
        return (lo + np.floor(u * (hi - lo + 1))).astype(dtype)

    kind = draw(1, NO_ORDER, int(OrderKind.JOIN), np.int8)
    target = draw(2, NONE, places - 1, np.int16)
    nxt = np.where(draw(3, 0, 2, np.int8) == 0, draw(4, 0, places - 1, np.int16), NONE)
    nxt = nxt.astype(np.int16)
    loc = draw(5, NONE, places - 1, np.int16)
    state = [
        nxt,
        loc,
        draw(6, NONE, forces - 1, np.int16),  # joining
        draw(7, NONE, places - 1, np.int16),  # dest
        draw(8, 0, 1, np.int8).astype(bool),  # garrisoned
        draw(9, 0, 1, np.int8).astype(bool),  # forced
    ]
    intent = draw(10, 0, 1, np.int8).astype(bool)
    r, f = pairs(kind != NO_ORDER)
    refused = np.where(rng.uniform(rng.derive(key[:, 0], 11)[r], f) < 0.3, 3, 0).astype(np.int8)
    ref_state = [a.copy() for a in state]
    ref_intent = intent.copy()
    _reference(r, f, refused, kind, target, ref_state, ref_intent)
    stand(r, f, refused, (kind, target), tuple(state), intent)
    for got, want in zip(state, ref_state, strict=True):
        assert got.dtype == want.dtype
        assert np.array_equal(got, want)
    assert np.array_equal(intent, ref_intent)
