"""The engine's fast paths give exactly what the plain formulations they replace give.

Each fast path (supply reach as bit masks, row sums over battle participants) is checked
against the straightforward computation on random inputs: they must agree bit for bit,
since a study's results may not depend on which path a batch took.
"""

from __future__ import annotations

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


@pytest.mark.parametrize("name", scenario_names())
@pytest.mark.parametrize("range_days", [0.0, 3.5, 12.0, 30.0])
def test_supply_masks_match_the_distance_search(name, range_days):
    scn = scenario(name)
    rules = scn.rules.model_copy(
        update={"supply": scn.rules.supply.model_copy(update={"range_days": range_days})}
    )
    fast = type(scn)(**{**scn.__dict__, "rules": rules, "extra": {}})
    no_tables = {f"supply_reach_{s}": None for s in range(scn.S)}  # each side's search
    slow = type(scn)(**{**scn.__dict__, "rules": rules, "extra": no_tables})
    assert all(supply_phase._reach_tables(fast, s) is not None for s in range(scn.S))
    key = rng.root_key(7, rng.Stream.TEST, np.arange(400))
    for i, share in enumerate((0.1, 0.5, 0.9)):
        owner = (rng.uniform(key[:, None], i, np.arange(scn.P)) < share).astype(np.int8)
        loc = rng.integers(scn.P, key[:, None], 10 + i, np.arange(scn.F))
        got = supply_phase.forces_in_supply(fast, owner, loc)
        want = supply_phase.forces_in_supply(slow, owner, loc)
        np.testing.assert_array_equal(got, want)


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
