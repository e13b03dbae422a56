"""What the detachments must clear, one kernel (detachments._at_stake_kernel), is the numpy
formula it replaced.

The enemy men to clear from each place and why are compared exactly with the array code
(written out here) over random tables drawn from keyed streams: the runs where the talks
are near or the signing is, the presumed enemies' places and men, the seen enemies' men,
where one is poised to walk into a gain, who holds and watches each place, the decisive
battles, the side's home, its towns a gain rests on and where enemy men stall the talks.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai.detachments import _at_stake_kernel
from game.ai.explain import Reason
from tests.engine_helpers import keyed_uniforms


def _at_stake_in_numpy(near, last, men_t, held_t, place_t, usual, control):
    """The men to clear and why, as the array code worked them out."""
    ghost_at, ghost_men, foe_men, poised = men_t
    owner, watched, enemy, decisive = held_t
    home, gain, talks = place_t
    ghost = np.zeros(foe_men.shape)
    r, f = np.nonzero(ghost_at >= 0)
    np.add.at(ghost, (r, ghost_at[r, f]), ghost_men[r, f])
    men = foe_men + ghost
    unseen = (owner == enemy) & ~watched
    men = np.where(unseen & (men <= 0), usual, men)
    stalls = talks[None, :] & (men > 0)
    wins = gain[None, :] & (men >= control)
    poised = poised & last[:, None] & (foe_men >= control)
    roam = home[None, :] & (foe_men >= control) & last[:, None]
    targets = (stalls | wins | poised | roam) & near[:, None] & ~decisive
    why = np.where(
        stalls, Reason.CLEAR_TALKS, np.where(wins | poised, Reason.CLEAR_GAIN, Reason.CLEAR_LAND)
    )
    return np.where(targets, men, 0.0), np.where(targets, why, Reason.NONE).astype(np.int8)


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 6),
    forces=st.integers(1, 9),
    places=st.integers(1, 7),
)
def test_what_is_at_stake_is_the_numpy_formula(seed, runs, forces, places):
    R, F, P = runs, forces, places
    u = keyed_uniforms(seed, R)

    near = u(1, R, 1)[:, 0] < 0.8
    last = near & (u(2, R, 1)[:, 0] < 0.6)
    # Presumed enemies, several in one place; fractional men, summed in their order.
    ghost_at = np.floor(u(3, R, F) * (P + 1)).astype(np.int64) - 1
    ghost_men = np.where(u(4, R, F) < 0.2, 0.0, u(5, R, F) * 900.0)
    control = 100.0
    # Seen men: none, below, at and above the men that control a place.
    foe_men = np.floor(u(6, R, P) * 4.0) * 50.0 * (u(7, R, P) < 0.6)
    poised = u(8, R, P) < 0.4
    owner = np.floor(u(9, R, P) * 3.0).astype(np.int8) - 1
    watched = u(10, R, P) < 0.5
    decisive = u(11, R, P) < 0.15
    home = u(12, R, P)[0] < 0.5
    gain = u(13, R, P)[0] < 0.4
    talks = u(14, R, P)[0] < 0.3
    usual = float(np.floor(u(15, R, 1)[0, 0] * 500.0))
    men_t = (ghost_at, ghost_men, foe_men, poised)
    held_t = (owner, watched, 1, decisive)
    place_t = (home, gain, talks)
    got = _at_stake_kernel((near, last), men_t, held_t, place_t, (usual, control))
    want = _at_stake_in_numpy(near, last, men_t, held_t, place_t, usual, control)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)
