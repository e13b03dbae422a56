"""Victory points compiled: checked against the array code they replaced, bit for bit.

The kernel adds each side's points in the order of numpy's pairwise sum over a dense row
of provinces (:mod:`game.engine.sums`), so the fractions of a province's worth add up to
the same last bit for any number of provinces.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from engine_helpers import MAIN
from hypothesis import given, settings
from hypothesis import strategies as st_

from game import rng
from game.engine.outcome import _worth, victory_points
from game.scenario.load import load_scenario


def _reference(worth, owner, sides):
    """The numpy code :func:`victory_points` was before its kernel."""
    vp = np.zeros((owner.shape[0], sides))
    for s in range(sides):
        vp[:, s] = ((owner == s) * worth[s][None, :]).sum(axis=1)
    return vp


@settings(max_examples=100, deadline=None)
@given(
    seed=st_.integers(0, 2**32),
    runs=st_.integers(1, 5),
    places=st_.integers(1, 300),
    sides=st_.integers(1, 3),
)
def test_victory_points_are_the_array_codes(seed, runs, places, sides):
    key = rng.root_key(seed, rng.Stream.TEST, np.arange(runs))
    owner = (rng.uniform(key[:, None], 1, np.arange(places)[None, :]) * (sides + 1)).astype(np.int8)
    owner -= 1  # -1: nobody's
    worth = rng.uniform(key[0], 2, np.arange(sides * places)).reshape(sides, places) * 7.3
    worth[rng.uniform(key[0], 3, np.arange(sides * places)).reshape(sides, places) < 0.3] = 0.0
    scn = SimpleNamespace(S=sides, P=places, extra={"vp_worth": worth})
    got = victory_points(scn, owner)
    assert got.dtype == np.float64 and got.shape == (runs, sides)
    assert np.array_equal(got, _reference(worth, owner, sides))


def test_victory_points_of_the_war():
    scn = load_scenario(MAIN)
    key = rng.root_key(5, rng.Stream.TEST, np.arange(40))
    owner = (rng.uniform(key[:, None], 1, np.arange(scn.P)[None, :]) * 3).astype(np.int8) - 1
    owner[0] = scn.owner0
    assert np.array_equal(victory_points(scn, owner), _reference(_worth(scn), owner, scn.S))
    assert (victory_points(scn, owner[:1]) == 0).all()  # the status quo scores nothing
