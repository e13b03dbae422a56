"""The heuristic's pooled battle ratings: the fast paths agree with plain definitions."""

from __future__ import annotations

import numpy as np
import pytest
from engine_helpers import MAIN

from game import rng
from game.ai import make_policy, tables
from game.ai.features import Group, situation
from game.engine.observe import observe
from game.engine.state import initial_state
from game.engine.turn import step
from game.play_loop import decide_all
from game.scenario.load import load_scenario


@pytest.fixture(scope="module")
def sit():
    """A mid-war situation of the main scenario, a batch of runs."""
    scn = load_scenario(MAIN)
    st = initial_state(scn, 40, 3)
    pols = {s: make_policy("heuristic", s, scn) for s in range(scn.S)}
    for _ in range(6):
        st, _ = step(scn, st, decide_all(scn, st, pols))
    return situation(scn, observe(scn, st, 0))


def plain_leader(sit, mask):
    """The best commander's ratings in each place: a running maximum, slot by slot."""
    N, F, P = mask.shape
    lead = np.full((N, P), -np.inf)
    init = np.zeros((N, P))
    expo = np.zeros((N, P))
    for j in range(F):
        better = mask[:, j, :] & sit.has_cmd[:, j, None] & (sit.lead[:, j, None] > lead)
        lead = np.where(better, sit.lead[:, j, None], lead)
        init = np.where(better, sit.init[:, j, None], init)
        expo = np.where(better, sit.exposure[:, j, None], expo)
    return np.where(np.isfinite(lead), lead, 0.0), init, expo


def draws(shape: tuple[int, ...], salt: int) -> np.ndarray:
    """Uniform draws of a given shape from the game's keyed streams."""
    return rng.uniform(np.uint64(salt), np.arange(int(np.prod(shape)))).reshape(shape)


def masks(sit):
    yield sit.foe_at
    yield sit.foe_reach
    yield sit.mine_at
    for salt, density in enumerate((0.02, 0.3, 0.9)):
        yield draws(sit.foe_at.shape, salt) < density


def test_a_groups_leader_is_the_best_commander_present_first_slot_if_tied(sit):
    assert sit.has_cmd.any()
    for mask in masks(sit):
        g = sit.group(mask)
        for got, want in zip((g.lead, g.init, g.exposure), plain_leader(sit, mask), strict=True):
            assert np.array_equal(got, want)


def test_a_strike_per_run_is_pooled_as_a_one_place_group_bit_for_bit(sit):
    R, F = sit.able.shape
    for share in (0.1, 1.0):
        rows = np.flatnonzero(draws((R,), 10) < share)
        for salt, density in enumerate((0.2, 0.7)):
            drawn = draws((rows.size, F), 20 + salt) < density
            mask = drawn & (sit.able | sit.enemy_seen)[rows]
            got = sit.group_of(mask, rows)
            want = sit.group(mask[:, :, None], rows=rows)
            for k in Group.__dataclass_fields__:
                assert np.array_equal(getattr(got, k), getattr(want, k)), k


@pytest.mark.parametrize("P", [1, 36, 64, 65, 130])
def test_packed_sets_meet_where_the_masks_share_an_element(P):
    a = draws((50, P), 30) < 0.05
    b = draws((50, P), 31) < 0.05
    want = (a[:, None, :] & b[None, :, :]).any(axis=2)
    got = tables.meets(tables.pack(a)[:, None, :], tables.pack(b)[None, :, :])
    assert np.array_equal(got, want)


def test_a_clear_road_crosses_no_province_where_a_foe_is_seen(sit):
    P = sit.scn.P
    inner = sit.st.on_route.copy()
    a = np.arange(P)
    inner[a[:, None], a[None, :], a[:, None]] = False  # the ends are not crossed
    inner[a[:, None], a[None, :], a[None, :]] = False
    foe = sit.foe_at.any(axis=1)  # [R, P]
    crossed = inner[sit.here] & foe[:, None, None, :]  # [R, F, P, q]
    want = ~crossed.any(axis=3) & sit.able.any(axis=0)[None, :, None]
    assert not want[:, sit.able.any(axis=0)].all()  # some road is barred
    assert np.array_equal(sit.clear, want)
