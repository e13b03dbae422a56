"""The escort's choice, one kernel (escort._away), is the numpy formula it replaced.

Which heads of state's forces march back to the main body is compared exactly with the
array code (written out here) over random tables drawn from keyed streams: the chiefs,
the free forces, where each stands and its men, the main body's place and men, where
enemies are seen, the legal marches, the clear roads and the days.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai.escort import _away
from tests.engine_helpers import keyed_uniforms


def _away_in_numpy(chief, free, here, men, at, main_men, foe_any, mt, clear, eta):
    """The forces that march back to the main body, as the array code worked them out."""
    rows = np.arange(chief.shape[0])
    away = chief & free & (at[:, None] >= 0) & (here != at[:, None]) & (men > 0)
    q = np.maximum(at, 0)
    away &= (main_men[:, None] > men) & ~foe_any[rows[:, None], here]
    away &= mt[rows, :, q] & clear[rows, :, q] & np.isfinite(eta[rows, :, q])
    return away


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 6),
    forces=st.integers(1, 9),
    places=st.integers(2, 7),
)
def test_the_escort_is_the_numpy_formula(seed, runs, forces, places):
    R, F, P = runs, forces, places
    u = keyed_uniforms(seed, R)

    chief = u(1, R, F) < 0.6
    free = u(2, R, F) < 0.8
    here = np.floor(u(3, R, F) * P).astype(np.int64)
    men = np.where(u(4, R, F) < 0.2, 0.0, np.floor(u(5, R, F) * 3000.0))
    at = np.floor(u(6, R, 1)[:, 0] * (P + 1)).astype(np.int64) - 1  # -1: no main body
    main_men = np.floor(u(7, R, 1)[:, 0] * 4000.0)
    # Ties of the main body with a column: equal men do not march.
    men = np.where(u(8, R, F) < 0.2, main_men[:, None], men)
    foe_any = u(9, R, P) < 0.3
    mt = u(10, R, F, P) < 0.8
    clear = u(11, R, F, P) < 0.8
    eta = np.where(u(12, R, F, P) < 0.2, np.inf, np.floor(u(13, R, F, P) * 20.0))
    got = _away((chief, free, here, men), (at, main_men), (foe_any, mt, clear, eta))
    want = _away_in_numpy(chief, free, here, men, at, main_men, foe_any, mt, clear, eta)
    assert got.dtype == want.dtype and np.array_equal(got, want)
