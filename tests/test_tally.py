"""Men by run, province and side (game.engine.tally) count exactly as the numpy version did."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.engine import tally


def _bincount_presence(mask, loc, men, force_side, P, S):
    """The array version it replaces (a ``bincount`` over the slots counted)."""
    R, F = mask.shape
    idx = np.flatnonzero(mask)
    r = idx // F
    place = loc.ravel()[idx].astype(np.int64)
    flat = (r * P + np.where(place >= 0, place, 0)) * S + force_side[idx - r * F]
    out = np.bincount(flat, weights=men.ravel()[idx], minlength=R * P * S)
    return out.reshape(R, P, S).astype(np.int64)


@settings(max_examples=80, deadline=None)
@given(
    runs=st.integers(1, 6),
    forces=st.integers(1, 12),
    provinces=st.integers(1, 7),
    sides=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_presence_counts_as_bincount(runs, forces, provinces, sides, seed):
    k = rng.root_key(seed, rng.Stream.TEST, np.arange(runs * forces)).reshape(runs, forces)
    mask = rng.uniform(k, 1) < 0.7
    loc = (rng.integers(provinces + 1, k, 2) - 1).astype(np.int16)
    men = rng.integers(2**31 - 1, k, 3).astype(np.int32)
    side = rng.integers(sides, k[0], 4).astype(np.int64)
    got = tally.presence(mask, loc, men, side, provinces, sides)
    want = _bincount_presence(mask, loc, men, side, provinces, sides)
    assert got.dtype == np.int64
    assert np.array_equal(got, want)
