"""The situation's small helpers the AI asks many times a turn give their formulas exactly.

``defender_posture`` counts up from hasty in integers instead of two ``where`` of scalars,
``is_irregular`` is kept per scenario, and the battles' arguments are flattened without
broadcasting those that have the shape already (``_flat``): each is checked here against
the formula it replaces (written out in the test), over random masks and the shapes its
callers use.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.ai.features import _flat, defender_posture, is_irregular, situation
from game.codes import ForceKind, Posture
from game.engine.observe import observe
from game.engine.state import initial_state
from game.scenario.load import load_scenario
from tests.engine_helpers import MAIN

SCN = load_scenario(MAIN)
SIT = situation(SCN, observe(SCN, initial_state(SCN, np.arange(3), 1), 0))


def _reference_posture(fort, held, dug):
    fort = (np.asarray(fort) >= 1)[None, :]
    posture = np.where(dug & held, Posture.PREPARED, Posture.HASTY)
    return np.where(dug & held & fort, Posture.FORTIFIED, posture).astype(np.int64)


@settings(max_examples=60, deadline=None)
@given(
    runs=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
    column=st.booleans(),
)
def test_defender_posture_is_the_formula(runs, seed, column):
    keys = rng.root_key(seed, rng.Stream.TEST, np.arange(runs))[:, None]
    held = rng.uniform(keys, 1, np.arange(SCN.P)[None, :]) < 0.5
    dug = rng.uniform(keys, 2, np.arange(1 if column else SCN.P)[None, :]) < 0.5
    got = defender_posture(SIT, held, dug)
    want = _reference_posture(SCN.fort, held, dug)
    assert got.dtype == np.int64 and got.shape == want.shape
    assert got.flags.c_contiguous
    assert np.array_equal(got, want)


def test_defender_posture_knows_every_posture_of_a_place_with_works():
    fort = np.asarray(SCN.fort) >= 1
    assert fort.any() and not fort.all()
    held = np.array([[True] * SCN.P, [True] * SCN.P, [False] * SCN.P])
    dug = np.array([[True] * SCN.P, [False] * SCN.P, [True] * SCN.P])
    got = defender_posture(SIT, held, dug)
    assert set(got[0][fort]) == {Posture.FORTIFIED}
    assert set(got[0][~fort]) == {Posture.PREPARED}
    assert set(got[1]) == set(got[2]) == {Posture.HASTY}


def test_irregular_slots_are_the_montoneros_kept_read_only():
    got = is_irregular(SCN)
    assert np.array_equal(got, np.asarray(SCN.kind == ForceKind.MONTONEROS))
    assert got is is_irregular(SCN)
    assert not got.flags.writeable


def test_flat_arguments_are_the_broadcast_arrays_flattened():
    base = np.arange(24.0).reshape(2, 3, 4)
    shape = (2, 3, 4)
    for a in (base, base[:, :, :1], base[:1], np.float64(2.5), base.transpose(0, 1, 2)[:, ::-1]):
        a = np.asarray(a)
        want = np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1)
        got = _flat(a, shape)
        assert got.flags.c_contiguous and got.shape == want.shape
        assert np.array_equal(got, want)
    scalar = np.asarray(1.5)
    assert np.array_equal(_flat(scalar, ()), np.ascontiguousarray(scalar).reshape(-1))
