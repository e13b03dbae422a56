"""The fallback's weighing, one kernel (fallback._weak), is the numpy formula it replaced.

Which bands fall back to the main body and each band's chance of holding are compared
exactly with the array code (written out here) over random tables drawn from keyed
streams: bands, the power that can come before relief, the men, effectiveness and worth
of each place, the war aims, the roads and where the enemy is seen.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai.fallback import FALLBACK_POWER, _weak, hold_chance
from game.ai.operations import SPHERE_MEN
from tests.engine_helpers import keyed_uniforms


def _hold_in_numpy(own, foe):
    ratio = foe / np.maximum(own, 1e-6)
    return 1.0 / (1.0 + ratio**SPHERE_MEN)


def _weak_in_numpy(band, foe_power, here, hold_t, road_t):
    """The bands that fall back and their chance, as the array code worked them out."""
    proj, eff, worth, own_held, aim, k_lose = hold_t
    at, mt, clear, eta, foe_any = road_t
    R = band.shape[0]
    rows = np.arange(R)
    cell = rows[:, None], here
    foe = foe_power[cell]
    band = band & (foe > 0)
    chance = _hold_in_numpy(proj[cell] * eff, foe)
    weak = band & (chance < _hold_in_numpy(np.ones(1), np.full(1, FALLBACK_POWER))[0])
    worth_it = chance * worth[cell] >= (1.0 - chance) * k_lose * proj[cell]
    weak &= ~(aim[here] & own_held[cell] & worth_it)
    q = np.maximum(at, 0)
    weak &= mt[rows, :, q] & clear[rows, :, q] & np.isfinite(eta[rows, :, q])
    weak &= ~foe_any[rows, q][:, None]
    return weak, np.where(band, chance, 0.0)


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 6),
    forces=st.integers(1, 9),
    places=st.integers(2, 7),
)
def test_the_fallback_weighing_is_the_numpy_formula(seed, runs, forces, places):
    R, F, P = runs, forces, places
    u = keyed_uniforms(seed, R)

    band = u(1, R, F) < 0.7
    # Whole men, as the power of bands and armies is: ties of the chance with its limit.
    proj = np.floor(u(5, R, P) * 3000.0)
    foe_power = np.where(u(2, R, P) < 0.2, 0.0, np.floor(u(3, R, P) * 4000.0))
    # Exactly twice the men there: a chance at its limit, which does not fall back.
    foe_power = np.where(u(19, R, P) < 0.25, 2.0 * proj, foe_power)
    here = np.floor(u(4, R, F) * P).astype(np.int64)
    eff = np.where(u(6, R, F) < 0.5, 1.0, 0.5 + u(7, R, F))
    worth = np.where(u(8, R, P) < 0.3, 0.0, u(9, R, P) * 30.0)
    own_held = u(10, R, P) < 0.5
    aim = u(11, R, P)[0] < 0.5
    k_lose = float(10.0 ** (-5.0 + 3.0 * u(12, R, 1)[0, 0]))  # some places worth the men
    at = np.floor(u(13, R, 1)[:, 0] * (P + 1)).astype(np.int64) - 1  # -1: no main body
    mt = u(14, R, F, P) < 0.8
    clear = u(15, R, F, P) < 0.8
    eta = np.where(u(16, R, F, P) < 0.2, np.inf, np.floor(u(17, R, F, P) * 20.0))
    foe_any = u(18, R, P) < 0.3
    hold_t = (proj, eff, worth, own_held, aim, k_lose)
    road_t = (at, mt, clear, eta, foe_any)
    band &= (at[:, None] >= 0) & (here != at[:, None])
    weak, chance = _weak(band, foe_power, here, hold_t, road_t)
    want_weak, want_chance = _weak_in_numpy(band, foe_power, here, hold_t, road_t)
    assert np.array_equal(weak, want_weak)
    assert np.array_equal(chance, want_chance)


def test_the_chance_of_holding_is_the_sphere_of_two_masses():
    own = np.array([0.0, 1.0, 1.0, 3.0, 1e-9, 2500.0])
    foe = np.array([5.0, 1.0, 2.0, 3.0, 1.0, 1234.5])
    got = np.array([hold_chance(o, f) for o, f in zip(own, foe, strict=True)])
    assert np.array_equal(got, _hold_in_numpy(own, foe))
    assert hold_chance(1.0, 1.0) == 0.5 and abs(hold_chance(1.0, FALLBACK_POWER) - 0.2) < 1e-15
