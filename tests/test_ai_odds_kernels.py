"""The AI's compiled odds look-ups give what numpy gave, point for point."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.ai.appraisal import appraise
from game.ai.features import situation
from game.ai.holding import keep_chance
from game.ai.odds_table import (
    LOG_EFF,
    LOG_MEN,
    LOG_SIZE,
    _fine_size,
    _nearest,
    _size_index,
    fine_indices,
    size_cuts,
)
from game.ai.personality import Personality
from game.engine.observe import observe
from game.engine.state import initial_state
from game.paths import default_scenario
from game.scenario.load import load_scenario


def numpy_index(log_eff, log_men, size):
    """The fine grid's index as the numpy look-up worked it out (float32 logarithm)."""
    size_log = np.log(np.maximum(np.asarray(size, np.float32), np.float32(1.0)))
    idx = _nearest(LOG_EFF, log_eff) * _fine_size(LOG_MEN) + _nearest(LOG_MEN, log_men)
    return idx * _fine_size(LOG_SIZE) + _nearest(LOG_SIZE, size_log)


def test_the_size_steps_are_where_numpys_logarithm_puts_them():
    cuts = size_cuts()
    assert np.all(np.diff(cuts) > 0)
    for c in cuts:  # every float32 within 2**15 steps of each cut, either side
        s = (c.view(np.int32) + np.arange(-(2**15), 2**15, dtype=np.int32)).view(np.float32)
        assert np.array_equal(_size_index(s), np.searchsorted(cuts, s, side="right"))


def test_compiled_indices_equal_numpys_near_every_step_of_the_grid():
    cuts = size_cuts()

    def draw(n, stream):
        return rng.normal(rng.derive(np.uint64(7), stream, np.arange(n)))

    def near_steps(grid, n):
        k = (grid.size - 1) * 4
        step = (grid[-1] - grid[0]) / k
        mids = grid[0] + (np.arange(k + 1) - 0.5) * step
        return np.repeat(mids, n) + 1e-6 * draw((k + 1) * n, k)

    eff = near_steps(LOG_EFF, 400)
    men = near_steps(LOG_MEN, 400)[: eff.size]
    men = np.concatenate([men, 2.5 * draw(eff.size - men.size, 1)])
    near_cuts = np.concatenate(
        [(c.view(np.int32) + np.arange(-500, 500, dtype=np.int32)).view(np.float32) for c in cuts]
    ).astype(np.float64)
    far = np.exp(-1.0 + 15.0 * rng.uniform(rng.derive(np.uint64(7), 2, np.arange(eff.size))))
    size = np.concatenate([near_cuts, far[near_cuts.size :]])
    assert np.array_equal(fine_indices(eff, men, size, cuts), numpy_index(eff, men, size))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-50, 50, allow_nan=False),
            st.floats(-50, 50, allow_nan=False),
            st.floats(0, 1e9, allow_nan=False),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_compiled_indices_equal_numpys_anywhere(battles):
    e, m, s = (np.array(v, np.float64) for v in zip(*battles, strict=True))
    assert np.array_equal(fine_indices(e, m, s, size_cuts()), numpy_index(e, m, s))


def test_keep_chance_is_the_same_for_any_subset_of_runs_places_and_cases():
    scn = load_scenario(default_scenario())
    R = 6
    ap = appraise(
        situation(scn, observe(scn, initial_state(scn, R, 5), 0)),
        Personality(),
        np.zeros(R, np.uint64),
    )
    key = np.uint64(3)
    men = np.array([0.0, 50.0, 400.0, 3000.0])[rng.integers(4, key, 0, np.arange(2 * R * ap.P))]
    men = men.reshape(2, R, ap.P)
    log_eff = 0.3 * rng.normal(rng.derive(key, 1, np.arange(R)))[:, None]
    lead = rng.uniform(rng.derive(key, 2, np.arange(R)))[:, None]
    post = np.array([1, 2])[:, None, None]
    keep, loss = keep_chance(ap, men, log_eff, lead, post)
    assert ((keep >= 0) & (keep <= 1)).all() and (loss >= 0).all()
    assert (keep < 1).any()  # threats are there to be weighed
    rows = np.array([4, 1])
    places = rng.integers(ap.P, key, 3, np.arange(6)).reshape(2, 3)
    need = (rng.uniform(rng.derive(key, 4, np.arange(12))) < 0.6).reshape(2, 2, 3)
    sub = men[:, rows[:, None], places]
    k2, l2 = keep_chance(ap, sub, log_eff[rows], lead[rows], post, places, rows, need)
    want = keep[:, rows[:, None], places]
    assert np.array_equal(k2, np.where(need, want, 0.0))
    assert np.array_equal(l2, np.where(need, loss[:, rows[:, None], places], 0.0))
