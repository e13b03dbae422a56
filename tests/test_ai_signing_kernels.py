"""The signing's passes, the station (signing._stations) and the guard's towns and forces
(signing._guarded), are the numpy formulas they replaced.

Which of the army's forces stand in a prize, which march to one and where are compared
exactly with the array code (written out here, force by force as it went) over random
tables drawn from keyed streams: the runs where the talks are near, the prizes, the days
left, the chiefs, the free and standing forces, where each is and its men, the main
body's place, the places held, where enemies are seen, the legal marches, the days, and
the enemy's main army with its men and the fastest days; and the towns the guard keeps,
the strength each wants, its priority and the forces that may keep it, over the towns
the outcomes name, the talks' turn and the turns left, the seen enemies in reach.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import libm
from game.ai.signing import ARMY_MATCH, GUARD_MEN, GUARD_TURNS, _guarded, _stations
from tests.engine_helpers import keyed_uniforms


def _stations_in_numpy(when_t, force_t, road_t, foe_t):
    """The army's stands and marches, as the array code worked them out force by force."""
    near, prize, limit = when_t
    chief, free, stands, here, men = force_t
    main_at, own_held, foe_any, mt, eta = road_t
    foe_at, foe_men, fastest, share, T = foe_t
    R, F = chief.shape
    P = prize.size
    rows = np.arange(R)
    there_all = np.zeros((R, F), bool)
    march_all = np.zeros((R, F), bool)
    dest = np.zeros((R, F), np.int64)
    towns = prize[None, :] & near[:, None]
    army = chief & (here == main_at[:, None]) & free & stands & (men > 0) & near[:, None]
    if not (towns.any() and army.any()):
        return there_all, march_all, dest
    for f in np.flatnonzero(army.any(axis=0)):
        back = towns & own_held & ~foe_any & mt[:, f, :]
        back &= eta[:, f, :] <= limit[:, None]
        ok = back | (towns & (np.arange(P)[None, :] == here[:, f][:, None]))
        cost = np.where(ok, eta[:, f, :], np.inf)
        q = np.argmin(cost, axis=1)
        go = army[:, f] & np.isfinite(cost[rows, q])
        match = foe_men >= share * men[:, f]
        near_q = (foe_at >= 0) & (fastest[np.maximum(foe_at, 0), q] <= 1.0 * T)
        go &= ~(match & near_q)
        there_all[:, f] = go & (here[:, f] == q)
        march_all[:, f] = go & (here[:, f] != q)
        dest[:, f] = np.where(go, q, 0)
    return there_all, march_all, dest


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 6),
    forces=st.integers(1, 7),
    places=st.integers(1, 7),
)
def test_the_army_stations_as_the_numpy_formula(seed, runs, forces, places):
    R, F, P = runs, forces, places
    u = keyed_uniforms(seed, R)

    T = 7.0
    near = u(1, R, 1)[:, 0] < 0.8
    prize = u(2, R, P)[0] < 0.5
    limit = np.floor(u(3, R, 1)[:, 0] * 4.0) * T
    main_at = np.floor(u(4, R, 1)[:, 0] * (P + 1)).astype(np.int64) - 1
    # Most forces with the main body, so that the army is often there.
    here = np.where(u(5, R, F) < 0.7, np.maximum(main_at, 0)[:, None], 0)
    here = np.where(u(6, R, F) < 0.2, np.floor(u(7, R, F) * P), here).astype(np.int64)
    chief = u(8, R, F) < 0.7
    free = u(9, R, F) < 0.9
    stands = u(10, R, F) < 0.9
    men = np.where(u(11, R, F) < 0.1, 0.0, np.floor(u(12, R, F) * 10.0) * 100.0)
    own_held = u(13, R, P) < 0.6
    foe_any = u(14, R, P) < 0.2
    mt = u(15, R, F, P) < 0.8
    # Whole days, ties among places and with the days left.
    eta = np.where(u(16, R, F, P) < 0.15, np.inf, np.floor(u(17, R, F, P) * 4.0) * T)
    foe_at = np.floor(u(18, R, 1)[:, 0] * (P + 1)).astype(np.int64) - 1
    foe_men = np.floor(u(19, R, 1)[:, 0] * 10.0) * 100.0
    fastest = np.floor(u(20, R, P * P)[0].reshape(P, P) * 3.0) * T * 0.5
    when_t = (near, prize, limit)
    force_t = (chief, free, stands, here, men)
    road_t = (main_at, own_held, foe_any, mt, eta)
    foe_t = (foe_at, foe_men, fastest, ARMY_MATCH, T)
    got = _stations(when_t, force_t, road_t, foe_t)
    want = _stations_in_numpy(when_t, force_t, road_t, foe_t)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)


def _guarded_in_numpy(when_t, place_t, force_t, men_t, size_t):
    """The guard's towns, wants and forces, as the array code worked them out."""
    near, left, talks, gain, prize = when_t
    own_held, foe_any, foe_men, foe_log_eff, worth, threat_men = place_t
    free, own, chief, stands, here = force_t
    men, eff, main_at = men_t
    usual, scale = size_t
    rows = np.arange(own_held.shape[0])
    last = near & (left <= GUARD_TURNS)
    talking = near & (talks >= 0)
    towns = gain[None, :] & own_held & last[:, None]
    towns |= prize[None, :] & own_held & (last | talking)[:, None]
    towns &= ~foe_any
    power = men * eff
    want = GUARD_MEN * np.maximum(usual, foe_men * libm.exp(foe_log_eff))
    fit = free & own[None, :] & ~chief & (men > 0)
    fit &= ~foe_any[rows[:, None], here]
    army = chief & (here == main_at[:, None]) & free & (men > 0)
    there = (fit | army) & stands & towns[rows[:, None], here]
    priority = worth + scale * (threat_men > 0)
    return towns, want, priority, power, fit, army, there


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 6),
    forces=st.integers(1, 7),
    places=st.integers(1, 7),
)
def test_the_towns_guarded_are_the_numpy_formula(seed, runs, forces, places):
    R, F, P = runs, forces, places
    u = keyed_uniforms(seed, R)

    near = u(1, R, 1)[:, 0] < 0.8
    left = np.floor(u(2, R, 1)[:, 0] * 6.0)  # within GUARD_TURNS and beyond, ties
    talks = np.floor(u(3, R, 1)[:, 0] * 4.0).astype(np.int64) - 1
    gain = u(4, R, P)[0] < 0.5
    prize = u(5, R, P)[0] < 0.4
    own_held = u(6, R, P) < 0.7
    foe_any = u(7, R, P) < 0.2
    foe_men = np.where(u(8, R, P) < 0.4, 0.0, np.floor(u(9, R, P) * 3000.0))
    foe_log_eff = u(10, R, P) - 0.5
    worth = u(11, R, P) * 20.0
    threat_men = np.where(u(12, R, P) < 0.5, 0.0, u(13, R, P) * 900.0)
    free = u(14, R, F) < 0.8
    own = u(15, R, F)[0] < 0.7
    chief = u(16, R, F) < 0.3
    stands = u(17, R, F) < 0.8
    here = np.floor(u(18, R, F) * P).astype(np.int64)
    men = np.where(u(19, R, F) < 0.1, 0.0, np.floor(u(20, R, F) * 3000.0))
    eff = 0.5 + u(21, R, F)
    main_at = np.floor(u(22, R, 1)[:, 0] * (P + 1)).astype(np.int64) - 1
    # The usual detachment's strength: sometimes that of the enemies in reach (a tie).
    usual = float(np.floor(u(23, R, 1)[0, 0] * 2000.0))
    scale = 7.5
    args = (
        (near, left, talks, gain, prize),
        (own_held, foe_any, foe_men, foe_log_eff, worth, threat_men),
        (free, own, chief, stands, here),
        (men, eff, main_at),
        (usual, scale),
    )
    got = _guarded(*args)
    want = _guarded_in_numpy(*args)
    if not want[0].any():  # no town to keep: the guard gives no order, reads nothing else
        assert not got[0].any()
        return
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)
