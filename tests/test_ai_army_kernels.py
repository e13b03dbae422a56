"""The main body's compiled tables give what the numpy formulas they replaced gave."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from game import rng
from game.ai.army_kernels import strongest_before
from game.ai.clearing import enemy_power
from game.ai.operations import before_relief, turns_left
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
    top, src = strongest_before(fastest, relief, mass)
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
