"""The movement pass's kernel gives what weighing each force over all its runs gave."""

from __future__ import annotations

import copy
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai import option_kernels
from game.ai.appraisal import appraise
from game.ai.draft import Draft
from game.ai.holding import garrison_one
from game.ai.march_values import discount, powers
from game.ai.movement import (
    ARMY_PERSIST,
    army_peril,
    main_body_target,
    move_costs,
    moves,
    options,
    seek_battle,
)
from game.ai.personality import Personality
from game.codes import NONE, OrderKind
from tests.test_ai_odds_kernels import _played_situations


def _reference_moves(ap, d, c):
    """The pass as it was first written: each force weighed over every run where it is free.

    The forces in order, largest first; each one's options over all its free runs at
    once (:func:`game.ai.movement.options`), then each run's choice: the best march if
    it beats staying, else staying, garrisoning where keeping it down is worth most.
    """
    sit = ap.sit
    order = np.argsort(-np.asarray(sit.scn.men0), kind="stable")
    order = order[np.asarray(sit.own)[order]]
    eps = 1e-3 * ap.scale
    for f in order:
        ri = np.flatnonzero(d.free[:, f])
        if ri.size == 0:
            continue
        o = options(ap, d, int(f), ri, c)
        for n, r in enumerate(ri):
            q = int(np.argmax(o.move[n]))
            here = sit.here[r, f]
            if np.isfinite(o.move[n, q]) and o.move[n, q] > o.stay[n]:
                d.kind[r, f], d.target[r, f], d.free[r, f] = OrderKind.MARCH, q, False
                d.proj[r, here] -= sit.men[r, f]
                d.proj[r, q] += sit.men[r, f]
            elif np.isfinite(o.stay[n]):
                vk, vg, vc, vgs = o.v_keep[n], o.v_gar[n], o.v_cov[n], o.v_gs[n]
                keep = vk > eps and vk >= vg and vk >= vc and vk >= vgs
                garrison = not keep and vg > eps and vg >= vc and vg >= vgs
                d.kind[r, f] = OrderKind.GARRISON if garrison else OrderKind.HOLD
                d.target[r, f], d.free[r, f] = NONE, False


def test_the_movement_kernel_gives_the_orders_of_the_pass_force_by_force():
    """More runs than a block of the kernel, with and without noise in the scores."""
    runs = option_kernels.RUN_BLOCK + 37
    compared = 0
    for i, (_, sit) in enumerate(_played_situations(turns=4, runs=runs, seed=8)):
        pers = Personality(noise=0.35 if i % 2 else 0.0)
        ap = appraise(sit, pers, np.arange(runs, dtype=np.uint64) + np.uint64(i))
        d = Draft.start(sit, notes=False)
        want = copy.deepcopy(d)
        c = move_costs(ap, want)
        c.rally = main_body_target(ap, want, c)
        _reference_moves(ap, want, c)
        moves(ap, d)
        assert np.array_equal(d.kind, want.kind)
        assert np.array_equal(d.target, want.target)
        assert np.array_equal(d.free, want.free)
        assert np.array_equal(d.proj, want.proj)
        compared += int((~want.free & sit.able).sum())
    assert compared > 0


def _reference_main_body(ap, d, c):
    """Where the main body marches, as numpy weighed it: one core force at a time."""
    sit = ap.sit
    free = d.free & ap.ops.regular[None, :]
    bound = np.where(sit.stands, sit.here, np.where(sit.obs.dest >= 0, sit.obs.dest, sit.here))
    men = np.where(free, sit.men, 0.0)
    mass = np.zeros((ap.R, ap.P))
    r, f = np.nonzero(free)
    np.add.at(mass, (r, bound[r, f]), men[r, f])
    at = np.argmax(mass, axis=1)
    army = mass[ap.rows, at]
    core = np.argmax(np.where(bound == at[:, None], men, -1.0), axis=1)
    has = army > 0
    target = np.where(has, at, NONE).astype(np.int64)
    for slot in np.unique(core[has]):
        ri = np.flatnonzero(has & (core == slot))
        o = options(ap, d, int(slot), ri, c, army=army[ri])
        n = np.arange(ri.size)
        peril = army_peril(ap, int(slot), ri, army[ri])
        move = o.move - peril
        move += seek_battle(ap, int(slot), ri, army[ri]) * np.isfinite(move)
        here = sit.here[ri, slot]
        stay = np.where(np.isfinite(o.stay), o.stay, -np.inf) - peril[n, here]
        move[n, at[ri]] += ARMY_PERSIST * ap.scale
        q = np.argmax(move, axis=1)
        best = move[n, q]
        go = np.isfinite(best) & (best > stay)
        target[ri] = np.where(go, q, here)
    return target


def test_the_main_body_is_weighed_as_numpy_weighed_it():
    """The kernel over every core force gives the places the numpy loop gave."""
    runs = 40
    moved = 0
    for i, (_, sit) in enumerate(_played_situations(turns=5, runs=runs, seed=10)):
        ap = appraise(sit, Personality(noise=0.35 if i % 2 else 0.0), np.zeros(runs, np.uint64))
        d = Draft.start(sit, notes=False)
        c = move_costs(ap, d)
        want = _reference_main_body(ap, d, c)
        assert np.array_equal(main_body_target(ap, d, c), want)
        moved += int((want >= 0).sum())
    assert moved > 0


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(0.0, 400.0, allow_nan=False),
            st.integers(0, 40).map(lambda k: 7.0 * k),  # whole turns, where the power repeats
            st.sampled_from([np.inf, np.nan, 1e6]),
        ),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([(7.0, 0.85), (3.5, 0.5), (14.0, 0.97)]),
)
def test_a_kept_discount_is_the_power_taken_afresh(etas, turn):
    """The discount of a march kept from an earlier march is the power itself, bit for bit."""
    T, per_turn = turn
    memo = powers()
    for eta in etas:
        want = per_turn ** (max(math.ceil(eta / T) if np.isfinite(eta) else eta / T, 1.0) - 1.0)
        got = discount(eta, T, per_turn, memo)
        assert got == want or (np.isnan(got) and np.isnan(want))


@settings(max_examples=80, deadline=None)
@given(
    st.booleans(),
    st.booleans(),
    st.floats(1.0, 5000.0),
    st.floats(0.0, 50.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 20000.0),
    st.floats(0.0, 20000.0),
    st.floats(0.0, 5.0),
    st.floats(0.0, 3.0),
)
def test_a_garrison_is_worth_what_the_formula_gives(
    hostile, held, gneed, prize, protect, base, mf, ge, weight
):
    """The share of the rising risk the extra men take away, at the prize, bit for bit."""
    want = 0.0
    if hostile and held:
        drop = math.exp(-ge * base / gneed) - math.exp(-ge * (base + mf) / gneed)
        want = weight * prize * protect * drop
    assert garrison_one(hostile, held, gneed, prize, protect, base, mf, ge, weight) == want
