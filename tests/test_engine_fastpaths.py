"""The engine's fast paths give exactly what the plain formulations they replace give.

Each fast path (the compiled supply search, row sums over battle participants) is checked
against the straightforward computation on random inputs: they must agree bit for bit,
since a study's results may not depend on which path a batch took.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pytest
from engine_helpers import MAIN, TINY

from game import rng
from game.engine import sums
from game.engine.phases import supply as supply_phase
from game.scenario.load import load_scenario


@cache
def scenario(name: str):
    return load_scenario(TINY if name == "tiny" else MAIN)


def scenario_names() -> list[str]:
    return ["tiny", "main"] if MAIN.exists() else ["tiny"]


def plain_distance(scn, owner, side):
    """The supply distance by the plain search: relax every province until nothing changes."""
    own = owner == side
    src = scn.supply_source.copy()
    src[scn.capital[side]] = True
    dist = np.where(own & src[None, :], 0.0, np.inf)
    nbr, nbr_days = scn.side_nbr[side], scn.side_nbr_days[side]  # links the side may use
    valid = nbr >= 0
    nb = np.where(valid, nbr, 0)
    days = np.where(valid, nbr_days, np.inf)
    for _ in range(scn.P):
        best = (dist[:, nb] + days[None, :, :]).min(axis=2)
        new = np.where(own, np.minimum(dist, best), np.inf)
        if np.array_equal(new, dist):
            break
        dist = new
    reach = (dist[:, nb] + days[None, :, :]).min(axis=2)
    return np.where(own, dist, reach)


@pytest.mark.parametrize("name", scenario_names())
@pytest.mark.parametrize("range_days", [0.0, 3.5, 12.0, 30.0])
def test_supply_search_matches_the_plain_search(name, range_days):
    scn = scenario(name)
    rules = scn.rules.model_copy(
        update={"supply": scn.rules.supply.model_copy(update={"range_days": range_days})}
    )
    scn = type(scn)(**{**scn.__dict__, "rules": rules, "extra": {}})
    key = rng.root_key(7, rng.Stream.TEST, np.arange(400))
    for i, share in enumerate((0.1, 0.5, 0.9)):
        owner = (rng.uniform(key[:, None], i, np.arange(scn.P)) < share).astype(np.int8)
        loc = rng.integers(scn.P, key[:, None], 10 + i, np.arange(scn.F))
        got = supply_phase.forces_in_supply(scn, owner, loc)
        want = np.zeros(loc.shape, bool)
        for s in range(scn.S):
            d = plain_distance(scn, owner, s)
            assert_same_floats(supply_phase.supply_distance(scn, owner, s), d)
            mine = scn.force_side == s
            want[:, mine] = np.take_along_axis(d, loc[:, mine], axis=1) <= range_days
        np.testing.assert_array_equal(got, want)


def assert_same_floats(a, b):
    np.testing.assert_array_equal(np.asarray(a).view(np.uint64), np.asarray(b).view(np.uint64))


@pytest.mark.parametrize("width", [1, 5, 7, 8, 9, 16, 67, 100, 128, 129, 200, 300])
def test_row_sums_add_in_numpys_order(width):
    key = rng.root_key(11, rng.Stream.TEST, np.arange(500))
    cols = np.arange(width)
    scale = np.exp(12.0 * rng.normal(key[:, None], 1, cols))
    values = rng.normal(key[:, None], 2, cols) * scale
    values[rng.uniform(key[:, None], 5, cols) < 0.05] = -0.0  # a man-less force's term
    present = rng.uniform(key[:, None], 3, cols) < rng.uniform(key, 4)[:, None]
    dense = np.where(present, values, 0.0)
    row, col = np.nonzero(present)
    got = sums.row_sums(row, col, dense[row, col], dense.shape[0], width)
    np.testing.assert_array_equal(got.view(np.int64), dense.sum(axis=1).view(np.int64))


def test_row_sums_of_several_arrays_at_once():
    key = rng.root_key(12, rng.Stream.TEST, np.arange(300))
    cols = np.arange(67)
    present = rng.uniform(key[:, None], 1, cols) < 0.1
    row, col = np.nonzero(present)
    values = np.stack([rng.normal(key[row], 2 + j, col) for j in range(3)], axis=1)
    got = sums.row_sums(row, col, values, 300, 67)
    for j in range(3):
        dense = np.zeros((300, 67))
        dense[row, col] = values[:, j]
        np.testing.assert_array_equal(got[:, j], dense.sum(axis=1))


@pytest.mark.parametrize("name", scenario_names())
def test_control_reads_the_battle_phases_count_on_a_turn_without_battles(name, monkeypatch):
    """On a turn without battles the control phase takes the battle phase's count of who
    stands where instead of counting again: the same turns as counting again."""
    from engine_helpers import random_orders

    from game.engine import turn as turn_module
    from game.engine.phases import control
    from game.engine.state import initial_state

    scn = scenario(name)
    states = [initial_state(scn, 5, 11)]
    for _ in range(14):
        states.append(turn_module.step(scn, states[-1], random_orders(scn, states[-1], 4))[0])
    recount = control.occupy
    monkeypatch.setattr(
        turn_module, "occupy", lambda scn, st, ctx, pres=None: recount(scn, st, ctx)
    )
    for st, after in itertools.pairwise(states):
        again = turn_module.step(scn, st, random_orders(scn, st, 4))[0]
        for field, value in vars(after).items():
            other = getattr(again, field)
            assert np.array_equal(value, other) if isinstance(value, np.ndarray) else value == other
