"""The engine's compiled keyed draws (game.engine.keyed) give game.rng's bits, key for key.

A turn's keys and the draws of the phases that take them run by run are compiled; a run
must draw exactly what the array functions of :mod:`game.rng` draw, so every value is
compared exactly, over seeds, runs, turns, rows and parts of every kind.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.ai.base import policy_keys
from game.engine import keyed

U64 = st.integers(0, 2**64 - 1)
PART = st.integers(-(2**63), 2**63 - 1)


@settings(max_examples=60, deadline=None)
@given(
    seed=U64, runs=st.lists(st.integers(0, 2**40), min_size=0, max_size=9), turn=st.integers(0, 500)
)
def test_turn_keys_are_the_root_keys_derived_with_the_turn(seed, runs, turn):
    ids = np.array(runs, np.int64)
    want = rng.derive(rng.root_key(seed, rng.Stream.GAME, ids), turn)
    got = keyed.turn_keys(seed, rng.Stream.GAME, ids, turn)
    assert got.dtype == np.uint64
    assert np.array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(
    seed=U64,
    runs=st.lists(st.integers(0, 2**40), min_size=0, max_size=9),
    turn=st.integers(0, 500),
    side=st.integers(0, 3),
)
def test_policy_keys_are_the_ai_root_keys_derived_with_turn_and_side(seed, runs, turn, side):
    ids = np.array(runs, np.int64)
    want = rng.derive(rng.root_key(seed, rng.Stream.AI, ids), turn, side)
    got = policy_keys(seed, ids, turn, side)
    assert got.dtype == np.uint64
    assert np.array_equal(got, want)
    assert np.array_equal(keyed.turn_keys(seed, rng.Stream.AI, ids, turn, side), want)


@settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(U64, min_size=1, max_size=6),
    a=st.integers(0, 50),
    picks=st.lists(st.tuples(st.integers(0, 5), PART), min_size=0, max_size=12),
)
def test_draws_by_row_are_the_array_draws(keys, a, picks):
    k = np.array(keys, np.uint64)
    rows = np.array([r % k.size for r, _ in picks], np.int64)
    parts = np.array([p for _, p in picks], np.int64)
    assert np.array_equal(keyed.derive2(k, a, rows, parts), rng.derive(k[rows], a, parts))
    assert np.array_equal(
        keyed.uniforms(k, a, rows, parts), rng.uniform(rng.derive(k, a)[rows], parts)
    )
    hi, lo = keyed.uniform_pairs(k, a, rows, parts)
    want_hi, want_lo = rng.uniform_pair(rng.derive(k, a)[rows], parts)
    assert np.array_equal(hi, want_hi)
    assert np.array_equal(lo, want_lo)


def test_a_seed_out_of_range_is_refused_as_the_array_function_does():
    for seed in (-1, 2**64):
        with pytest.raises(ValueError, match="seed must be between"):
            keyed.turn_keys(seed, rng.Stream.GAME, np.arange(2), 0)
