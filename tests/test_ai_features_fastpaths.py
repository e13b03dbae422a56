"""The situation's small helpers the AI asks many times a turn give their formulas exactly.

``defender_posture`` counts up from hasty in integers instead of two ``where`` of scalars,
``is_irregular`` is kept per scenario, and the battles' arguments are flattened without
broadcasting those that have the shape already, inside the kernels that look the odds up
(``_push_grid``, ``_odds_grid``, ``_battle_grid``): each is checked here against the
formula it replaces (written out in the test), over random inputs and the shapes its
callers use.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.ai.features import (
    Group,
    _battle_grid,
    _odds_grid,
    _push_grid,
    defender_posture,
    is_irregular,
    situation,
)
from game.ai.odds_table import OddsTable, battle_index, push_of
from game.ai.tables import odds_table
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


def _push_reference(sit, att, dfd_init):
    """The push, battle by battle over numpy's broadcast of the arguments.

    ``att`` is the attackers' ln effectiveness, leadership, surprise and initiative.
    """
    c = sit.scn.rules.combat
    parts = np.broadcast_arrays(
        *(np.asarray(x, np.float64) for x in (att[0], att[1], att[2], att[3], dfd_init))
    )
    out = np.empty(parts[0].shape)
    for i in np.ndindex(out.shape):
        args = (float(x[i]) for x in parts)
        out[i] = push_of(*args, float(c.theta_leadership), float(c.theta_surprise))
    return out


def _odds_reference(sit, push, men, dfd, posture, place, fields):
    """The odds table's fields at each battle's index, over numpy's broadcast."""
    floats = [np.asarray(x, np.float64) for x in (push, men, *dfd)]
    ints = [np.asarray(x, np.int64) for x in (posture, place)]
    parts = np.broadcast_arrays(*floats, *ints)
    idx = np.empty(parts[0].shape, np.int64)
    for i in np.ndindex(idx.shape):
        f = [float(x[i]) for x in parts[:5]]
        idx[i] = battle_index(*f, int(parts[5][i]), int(parts[6][i]), sit.odds_terms)
    table = odds_table(sit.scn)
    return {k: table.fine[OddsTable.FIELDS.index(k)].take(idx) for k in fields}


def _draw(key, shape, lo, hi):
    u = rng.uniform(rng.root_key(key, rng.Stream.TEST, np.arange(int(np.prod(shape)))))
    return (lo + (hi - lo) * u).reshape(shape)


SHAPES = [
    ((3, 5), (3, 5), (3, 5)),  # runs by places, every argument
    ((3, 5), (3, 1), ()),  # a column per run and a scalar
    ((5,), (), (1, 5)),  # a row and a scalar
    ((4,), (4,), ()),  # flat battles, one per pair (the contact pass)
    ((2, 3, 5), (3, 5), (2, 1, 1)),  # more dimensions: broadcast before the kernel
]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    case=st.sampled_from(SHAPES),
    fields=st.sampled_from([None, ("p_win",), ("p_win", "att_loss", "def_loss", "att_cmd")]),
)
def test_battle_kernels_are_the_odds_of_numpys_broadcast(seed, case, fields):
    """push, odds_of_push and battle give the one look-up's odds wherever numpy broadcasts."""
    a_shape, d_shape, p_shape = case
    att = [
        _draw(seed, a_shape, -1.0, 1.0),
        _draw(seed + 1, a_shape, 0.0, 2.0),
        _draw(seed + 2, a_shape, -1.0, 2.0),
        _draw(seed + 3, a_shape, 0.0, 1.5),
    ]
    men = np.round(_draw(seed + 4, a_shape, 0.0, 9000.0))
    d_men = np.round(_draw(seed + 5, d_shape, 0.0, 9000.0))
    dfd = (d_men, _draw(seed + 6, d_shape, -1.0, 1.0), _draw(seed + 7, d_shape, 0.0, 2.0))
    d_init = _draw(seed + 8, d_shape, 0.0, 1.5)
    posture = np.floor(_draw(seed + 9, p_shape, 0.0, 4.0)).astype(np.int64)
    place = np.floor(_draw(seed + 10, p_shape, 0.0, SCN.P)).astype(np.int64)
    shape = np.broadcast_shapes(a_shape, d_shape, p_shape)
    names = fields or OddsTable.FIELDS

    log_eff, lead, surprise, init = att
    push = SIT.push(Group(men, log_eff, lead, init, surprise, men, men), d_init)
    want_push = _push_reference(SIT, att, d_init)
    assert push.dtype == np.float64 and push.shape == want_push.shape
    assert np.array_equal(push, want_push)

    want = _odds_reference(SIT, want_push, men, dfd, posture, place, names)
    by_push = SIT.odds_of_push(push, men, dfd, posture, fields=fields, places=place)
    g_att = Group(men, log_eff, lead, init, surprise, men, men)
    g_dfd = Group(d_men, dfd[1], dfd[2], d_init, d_men, d_men, d_men)
    whole = SIT.battle(g_att, g_dfd, posture, fields, place)
    for odds in (by_push, whole):
        for k in OddsTable.FIELDS:
            got = getattr(odds, k)
            assert got.dtype == np.float32 and got.shape == shape, k
            if k in names:
                assert np.array_equal(got, want[k].reshape(shape)), k
            else:
                assert not got.any(), k


def test_battles_over_the_map_take_every_place_and_refuse_what_does_not_broadcast():
    foe, mine = SIT.group(SIT.foe_at), SIT.group(SIT.mine_at)
    everywhere = SIT.battle(mine, foe, Posture.HASTY, ("p_win",))
    placed = SIT.battle(mine, foe, Posture.HASTY, ("p_win",), np.arange(SCN.P)[None, :])
    assert np.array_equal(everywhere.p_win, placed.p_win)
    with pytest.raises(ValueError, match="broadcast"):
        SIT.odds_of_push(np.zeros((3, 4)), np.zeros((3, 5)), (0.0, 0.0, 0.0), 1)
    # Read-only and strided arguments are the same kind of array for the kernels: one
    # compiled version of each, whatever the callers pass.
    frozen = foe.men.copy()
    frozen.setflags(write=False)
    strided = np.repeat(mine.log_eff, 2, axis=1)[:, ::2]
    odds = SIT.odds_of_push(strided, frozen, (frozen, strided, 0.0), Posture.HASTY)
    want = SIT.odds_of_push(mine.log_eff, foe.men, (foe.men, mine.log_eff, 0.0), Posture.HASTY)
    assert np.array_equal(odds.p_win, want.p_win)
    pushed = SIT.push(Group(frozen, strided, strided, strided, strided, frozen, frozen), frozen)
    assert np.array_equal(
        pushed, SIT.push(Group(foe.men, *[mine.log_eff] * 4, foe.men, foe.men), foe.men)
    )
    for kernel in (_push_grid, _odds_grid, _battle_grid):
        assert len(kernel.signatures) == 1, kernel


def test_the_turns_barred_places_and_enemy_posture_are_worked_out_once():
    """barred() is kept per appraisal's posture and operations; foe_posture is the formula."""
    import dataclasses

    from game.ai.appraisal import appraise
    from game.ai.personality import Personality
    from game.ai.strikes import _barred, barred

    scn = load_scenario(MAIN)
    sit = situation(scn, observe(scn, initial_state(scn, np.arange(3), 4), 1))
    held = sit.owner == sit.enemy
    assert np.array_equal(sit.foe_posture, _reference_posture(scn.fort, held, held))
    keys = rng.root_key(4, rng.Stream.TEST, np.arange(3))
    ap = appraise(sit, Personality.of(scn.model.sides[1].ai, "normal"), keys)
    first = barred(ap)
    assert barred(ap) is first and np.array_equal(first, _barred(ap))
    # Another appraisal of the same situation (its own posture): worked out afresh.
    defend = ~ap.pos.defend
    other = dataclasses.replace(ap, pos=dataclasses.replace(ap.pos, defend=defend))
    again = barred(other)
    assert again is not first and np.array_equal(again, _barred(other))
    assert not np.array_equal(again, first)
