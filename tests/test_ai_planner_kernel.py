"""The plan's last step, one kernel (planner._orders), is the numpy formula it replaced.

The orders of the forces able to take one, the side's suits and why it sued are compared
exactly with the array code (written out here) over random drafts drawn from keyed
streams: own and enemy slots, forces able or not, forces left without an order, runs
where the side sues for either reason or not.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai.planner import _orders
from game.codes import NONE
from game.engine.orders import NO_ORDER
from tests.engine_helpers import keyed_uniforms


def _orders_in_numpy(own, able, kinds, targets, suing, why, S, side):
    """The orders, suits and reasons, as the array code worked them out."""
    mine = own[None, :] & able
    suit = np.zeros((able.shape[0], S), bool)
    suit[:, side] = suing
    kind = np.where(mine, kinds, NO_ORDER).astype(np.int8)
    target = np.where(mine, targets, NONE).astype(np.int16)
    peace = np.where(suit[:, side], why, 0).astype(np.int8)
    return kind, target, suit, peace


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 6),
    forces=st.integers(1, 9),
    side=st.integers(0, 1),
)
def test_the_orders_are_the_numpy_formula(seed, runs, forces, side):
    R, F, S = runs, forces, 2
    u = keyed_uniforms(seed, R)

    own = u(1, R, F)[0] < 0.6
    able = u(2, R, F) < 0.8
    # Order kinds and targets, some forces still without one (NO_ORDER, NONE).
    kinds = (np.floor(u(3, R, F) * 7.0) - 1.0).astype(np.int16)
    targets = np.where(kinds == NO_ORDER, NONE, np.floor(u(4, R, F) * 36.0)).astype(np.int16)
    suing = u(5, R, 1)[:, 0] < 0.4
    why = np.floor(u(6, R, 1)[:, 0] * 3.0).astype(np.int64)
    got = _orders((own, able, kinds, targets), (suing, why), S, side)
    want = _orders_in_numpy(own, able, kinds, targets, suing, why, S, side)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)
