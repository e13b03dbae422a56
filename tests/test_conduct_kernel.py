"""The conduct recorder's field armies compiled: checked against the array code they replaced."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st_

from game import rng
from game.codes import ForceStatus
from game.study.conduct_recorder import field_army


def _reference(scn, st):
    """The numpy code :func:`field_army` was before its kernel."""
    on_map = (st.status == ForceStatus.ACTIVE) & (st.loc >= 0)
    men = np.where(on_map, st.men, 0).astype(np.float64)
    side = np.asarray(scn.force_side, np.int64)
    R = st.status.shape[0]
    cell = (np.arange(R)[:, None] * scn.S + side[None, :]) * scn.P + np.maximum(st.loc, 0)
    mass = np.bincount(cell.ravel(), weights=men.ravel(), minlength=R * scn.S * scn.P)
    mass = mass.reshape(R, scn.S, scn.P)
    return mass.sum(axis=2), mass.max(axis=2)


@settings(max_examples=80, deadline=None)
@given(
    seed=st_.integers(0, 2**32),
    runs=st_.integers(1, 6),
    forces=st_.integers(1, 30),
    places=st_.integers(1, 40),
    sides=st_.integers(1, 3),
)
def test_field_armies_are_the_array_codes(seed, runs, forces, places, sides):
    key = rng.root_key(seed, rng.Stream.TEST, np.arange(runs))[:, None]
    slots = np.arange(forces)[None, :]

    def draw(salt: int, lo: int, hi: int, dtype) -> np.ndarray:
        u = rng.uniform(key, salt, slots)
        return (lo + np.floor(u * (hi - lo + 1))).astype(dtype)

    force_side = draw(1, 0, sides - 1, np.int8)[0]
    scn = SimpleNamespace(force_side=force_side, S=sides, P=places, extra={})
    st = SimpleNamespace(
        status=draw(2, 0, 4, np.int8),
        loc=draw(3, -1, places - 1, np.int16),
        men=draw(4, 0, 12000, np.int32),
    )
    field, largest = field_army(scn, st)
    want_field, want_largest = _reference(scn, st)
    assert field.dtype == np.float64 and largest.dtype == np.float64
    assert np.array_equal(field, want_field)
    assert np.array_equal(largest, want_largest)
