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


def numpy_detach(q, has, need, in_days, force_t, place_t, road_t, spare, with_main):
    """The forces sent to clear ``q`` and their stages, as numpy sorted and summed them."""
    men, here, free, own, chief, eta = force_t
    stage_t, foe_any, own_held, key, proj = place_t
    reach, mt, clear, control = road_t
    R, F = men.shape
    rows, cols, Q = np.arange(R)[:, None], np.arange(F)[None, :], q[:, None]
    stage = stage_t[here, Q].astype(np.int64)
    s0 = np.maximum(stage, 0)
    stage_ok = (stage >= 0) & ~foe_any[rows, s0]
    road = mt[rows, cols, s0] & clear[rows, cols, s0]
    can = reach[rows, cols, Q] | (stage_ok & (road | (stage == here)))
    e = eta[rows, cols, Q]
    engaged = foe_any[rows, here] & (here != Q)
    bare = key[here] & own_held[rows, here] & (proj[rows, here] - men < control)
    cand = free & own[None, :] & ~chief & can & (e <= in_days[:, None])
    cand &= ~engaged & ~bare & (men > 0) & has[:, None]
    sel = np.zeros((R, F), bool)
    for r in range(R):
        idx = np.flatnonzero(cand[r])
        if idx.size == 0:
            continue
        order = idx[np.argsort(e[r, idx] + 1e6 * with_main[r, idx], kind="stable")]
        m = men[r, order].copy()
        main = np.cumsum(np.where(with_main[r, order], m, 0.0))
        m[with_main[r, order] & (main > spare[r])] = 0.0
        cum = np.cumsum(m)
        if cum[-1] >= need[r]:
            sel[r, order] = (m > 0) & (cum - m < need[r])
    return sel, stage


def test_the_detachment_is_the_numpy_sort_and_sum_on_played_situations():
    """The candidates, their order by days (the main body's last) and the men summed up
    to the need, on played situations of both sides with drawn places, needs and spares."""
    from game.ai.appraisal import appraise
    from game.ai.draft import Draft
    from game.ai.personality import Personality
    from game.ai.treaty_kernels import detach
    from tests.test_ai_odds_kernels import _played_situations

    sent = short = spared = 0
    for i, (scn, sit) in enumerate(_played_situations(turns=6, runs=8, seed=7)):
        ap = appraise(sit, Personality(), np.zeros(sit.runs, np.uint64))
        d = Draft.start(sit, notes=False)
        R = sit.runs
        u = rng.uniform(rng.derive(np.uint64(21), i, np.arange(5 * R))).reshape(5, R)
        q = np.floor(u[0] * scn.P).astype(np.int64)
        has = u[1] < 0.8
        need = 6000.0 * u[2]
        in_days = 2.0 * ap.T * (0.5 + u[3])
        spare = np.where(u[4] < 0.5, 0.0, 3000.0 * u[4])
        with_main = sit.here == ap.ops.main_at[:, None]
        control = float(max(scn.rules.control_men, 1))
        args = (
            q,
            has,
            need,
            in_days,
            (
                sit.men,
                np.ascontiguousarray(sit.here, np.int64),
                d.free,
                sit.own,
                ap.ops.chief,
                sit.eta,
            ),
            (sit.st.stage, ap.foe_any, ap.own_held, ap.ops.key, d.proj),
            (ap.reach, ap.mt, sit.clear, control),
            spare,
            with_main,
        )
        (sel, stage), (want_sel, want_stage) = detach(*args), numpy_detach(*args)
        assert np.array_equal(stage, want_stage)
        assert np.array_equal(sel, want_sel)
        sent += int(want_sel.sum())
        short += int((has & ~want_sel.any(axis=1)).sum())
        spared += int((want_sel & with_main).sum())
    assert sent > 0 and short > 0 and spared > 0  # sent, too few, and the main body's men
