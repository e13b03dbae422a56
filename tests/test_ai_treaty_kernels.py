"""The treaty passes' kernels give what the numpy formulas they replaced gave."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.ai.treaty_kernels import poised


def numpy_poised(last, foe_reach, enemy_seen, loc, at_gain):
    """Where a seen enemy that can reach a gain stands, as numpy found it (runs near the end)."""
    R, P = at_gain.shape
    close = (foe_reach & at_gain[:, None, :]).any(axis=2)
    out = np.zeros((R, P), bool)
    r, f = np.nonzero(close & enemy_seen)
    out[r, np.maximum(loc[r, f], 0)] = True
    return out & last[:, None]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 5), st.integers(1, 7), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_poised_bands_are_the_numpy_formula(R, F, P, seed):
    key = rng.root_key(seed, rng.Stream.TEST, [0])[0]
    u = rng.uniform(rng.derive(key, 1, np.arange(R * F * P + 2 * R * F + R * P + R)))
    cut = np.cumsum([R * F * P, R * F, R * F, R * P])
    foe_reach = (u[: cut[0]] < 0.3).reshape(R, F, P)
    enemy_seen = (u[cut[0] : cut[1]] < 0.5).reshape(R, F)
    loc = (np.floor(u[cut[1] : cut[2]] * (P + 1)) - 1).astype(np.int16).reshape(R, F)
    at_gain = (u[cut[2] : cut[3]] < 0.4).reshape(R, P)
    last = u[cut[3] :] < 0.7
    got = poised(last, foe_reach, enemy_seen, loc, at_gain) & last[:, None]
    assert np.array_equal(got, numpy_poised(last, foe_reach, enemy_seen, loc, at_gain))
