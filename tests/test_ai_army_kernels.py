"""The main body's compiled tables give what the numpy formulas they replaced gave."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from game import rng
from game.ai import army_kernels
from game.ai.army_kernels import near_order, strongest_before
from game.ai.clearing import enemy_power
from game.ai.features import is_irregular
from game.ai.operations import before_relief, operations, turns_left
from game.codes import NONE
from game.engine.sums import plan_code
from tests.test_ai_odds_kernels import _played_situations


def numpy_strongest(fastest, relief, mass):
    """The largest power that comes in time and where from, as numpy worked it out."""
    come = fastest[None, :, :] <= relief[:, None, :]  # [R, from, to]
    power = np.where(come, mass[:, :, None], 0.0)
    src = np.argmax(power, axis=1)
    top = np.take_along_axis(power, src[:, None, :], axis=1)[:, 0, :]
    return top, np.where(top > 0, src, -1).astype(np.int64)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 7).flatmap(
        lambda p: st.tuples(
            hnp.arrays(np.float64, (p, p), elements=st.sampled_from([0.0, 1.0, 2.0, np.inf])),
            hnp.arrays(np.float64, (3, p), elements=st.sampled_from([0.0, 1.0, 2.0, np.inf])),
            hnp.arrays(
                np.float64,
                (3, p),
                elements=st.sampled_from([0.0, -0.0, -1.0, 5.0, 5.0, 7.5, 1e4, np.nan]),
            ),
        )
    )
)
def test_strongest_before_is_the_numpy_formula_ties_and_nans_included(arrays):
    fastest, relief, mass = arrays
    top, src = strongest_before(near_order(fastest), relief, mass)
    want_top, want_src = numpy_strongest(fastest, relief, mass)
    assert np.array_equal(top, want_top, equal_nan=True)
    assert np.array_equal(np.signbit(top), np.signbit(want_top))  # -0 where numpy has it
    assert np.array_equal(src, want_src)


def test_before_relief_is_the_numpy_formula_on_played_situations():
    """Seen enemies and every presumed one, with and without a main body to come."""
    compared = 0
    for i, (scn, sit) in enumerate(_played_situations(turns=5, runs=8, seed=7)):
        T = float(scn.turn_days)
        fastest = sit.st.route_days.min(axis=0)
        u = rng.integers(scn.P + 1, rng.derive(np.uint64(5), i, np.arange(sit.runs)))
        own_at = (u - 1).astype(np.int64)  # -1: no main body
        for marches, seen in ((2.0, False), (1.0, True), (3.0, True)):
            end = np.minimum(turns_left(sit), marches)[:, None] * T
            relief = np.where((own_at >= 0)[:, None], fastest[np.maximum(own_at, 0)], np.inf)
            relief = np.minimum(relief, end)
            if seen:
                mass = np.einsum("rfp,rf->rp", sit.foe_at, sit.men * sit.eff)
            else:
                mass = enemy_power(sit)
            want_top, want_src = numpy_strongest(fastest, relief, mass)
            top, src = before_relief(sit, own_at, marches, seen=seen)
            assert np.array_equal(top, want_top)
            assert np.array_equal(src, want_src)
            compared += int((want_src >= 0).sum())
    assert compared > 0  # some power came in time somewhere


def numpy_operations(sit, foe, winner, commander_safety):
    """The operational picture as numpy worked it out, field by field."""
    from game import libm

    scn = sit.scn
    R, P = sit.runs, scn.P
    T = float(scn.turn_days)
    own = sit.own[None, :] & sit.able
    ghost = np.zeros((R, P))
    r, f = np.nonzero(sit.ghost_at >= 0)
    np.add.at(ghost, (r, sit.ghost_at[r, f]), sit.ghost_men[r, f])
    mass = foe.men + ghost
    main_at = np.argmax(mass, axis=1)
    main_men = mass[np.arange(R), main_at]
    foe_field = mass.sum(axis=1)
    regular = sit.own & ~is_irregular(scn)
    ours = np.zeros((R, P))
    r, f = np.nonzero(own & regular[None, :])
    np.add.at(ours, (r, sit.here[r, f]), sit.men[r, f])
    own_at = np.argmax(ours, axis=1)
    own_men = ours[np.arange(R), own_at]
    foe_at = np.where(main_men > 0, main_at, NONE)
    here = sit.enemy_seen & (sit.here == main_at[:, None]) & (sit.commander >= 0)
    best = np.argmax(np.where(here, sit.men, -1.0), axis=1)
    rows = np.arange(R)
    leader = np.where(here[rows, best], sit.commander[rows, best], NONE).astype(np.int64)
    fastest = sit.st.fastest
    mine = fastest[np.maximum(own_at, 0)] / T
    theirs = fastest[np.maximum(foe_at, 0)] / T
    known = (own_men > 0) & (main_men > 0)
    lead = np.where(known[:, None], np.minimum(theirs - mine, 6.0), 0.0)
    ratio = libm.log(np.maximum(own_men, 1.0) / np.maximum(main_men, 1.0))
    z = lead + 2.0 * np.where(known, ratio, 0.0)[:, None]
    late = theirs > turns_left(sit)[:, None]
    aim = (sit.st.key[sit.side] > 0) | np.asarray(scn.objectives[sit.side], bool)
    sphere = np.where(late | aim[None, :], 1.0, 1.0 / (1.0 + libm.exp(-z)))
    main = np.where(own_men > 0, own_at, NONE)
    end = np.minimum(turns_left(sit), 2.0)[:, None] * T
    relief = np.where((main >= 0)[:, None], fastest[np.maximum(main, 0)], np.inf)
    relief_foe = numpy_strongest(fastest, np.minimum(relief, end), enemy_power(sit))[0]
    obs = sit.obs
    left = np.where(obs.talks >= 0, scn.talks.turns - obs.talks, scn.n_turns - obs.turn)
    near = np.clip(1.0 - left / 10.0, 0.0, 1.0)
    key_worth = np.maximum(sit.st.key[sit.side], sit.st.key[sit.enemy])
    return {
        "regular": regular,
        "field": np.where(own, sit.men, 0.0).sum(axis=1),
        "foe_mass": mass,
        "foe_field": foe_field,
        "foe_main_at": foe_at,
        "foe_main_men": main_men,
        "foe_main_leader": leader,
        "decisive": (mass > 0) & (mass >= 0.4 * foe_field[:, None]),
        "key": key_worth >= 0.5 * max(sit.st.win_margin, 1.0),
        "chief": sit.head & own,
        "main_at": main,
        "main_men": own_men,
        "sphere": sphere,
        "hold_turns": np.clip(turns_left(sit), 1.0, 1),
        "relief_foe": relief_foe,
        "urgency": np.where(winner != sit.side, near, 0.0),
        "chief_care": 0.5 + 0.5 * float(commander_safety),
    }


def test_the_operational_picture_is_the_numpy_formula_on_played_situations():
    """Every field of the picture, bit for bit, for both sides and every winner."""
    leaders = decisive = urgent = 0
    for i, (scn, sit) in enumerate(_played_situations(turns=6, runs=8, seed=5)):
        if i % 2:  # talks open in some runs, some near their end: the war's end in sight
            t = rng.integers(scn.talks.turns + 2, rng.derive(np.uint64(7), i, np.arange(sit.runs)))
            talks = (t - 1).astype(sit.obs.talks.dtype)
            sit = dataclasses.replace(sit, obs=dataclasses.replace(sit.obs, talks=talks))
        foe = sit.group(sit.foe_at)
        u = rng.integers(3, rng.derive(np.uint64(6), i, np.arange(sit.runs)))
        winner = (u - 1).astype(np.int64)  # -1: nobody; else a side
        got = operations(sit, foe, winner, 0.6)
        want = numpy_operations(sit, foe, winner, 0.6)
        for name, value in want.items():
            have = getattr(got, name)
            assert np.asarray(have).dtype == np.asarray(value).dtype, name
            assert np.array_equal(have, value), name
            assert np.array_equal(np.signbit(have), np.signbit(value)), name
        leaders += int((got.foe_main_leader >= 0).sum())
        decisive += int(got.decisive.sum())
        urgent += int((got.urgency > 0).sum())
    assert leaders > 0 and decisive > 0 and urgent > 0  # an enemy army, a leader, urgency


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.integers(1, 300),
        elements=st.sampled_from([0.0, -0.0, 1.0, 1e-17, 3.3, 1e16, -2.5, 7e3, np.nan, np.inf]),
    )
)
def test_a_row_is_summed_and_its_largest_found_as_numpy_does(a):
    """numpy's pairwise sum (a row of 8 to 128 in lanes, longer rows halved), and argmax."""
    total = army_kernels.dense_sum(a, plan_code(a.size))
    want = a.sum()
    assert np.array_equal(total, want, equal_nan=True) and np.signbit(total) == np.signbit(want)
    assert army_kernels.argmax(a) == np.argmax(a)
    lo, hi = a[0], a[-1]
    for x in a[:5]:
        for got, ref in (
            (army_kernels.maximum(x, lo), np.maximum(x, lo)),
            (army_kernels.minimum(x, hi), np.minimum(x, hi)),
            (army_kernels.clip(x, 0.0, 1.0), np.clip(x, 0.0, 1.0)),
        ):
            assert np.array_equal(got, ref, equal_nan=True)
