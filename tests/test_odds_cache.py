"""The AI's odds table kept on disk: read back bit for bit, and sampled again when spoilt."""

from __future__ import annotations

import numpy as np
import pytest

from game.ai import odds_table
from game.engine import jit
from game.engine.combat import combat_params
from game.engine.combat.prior import NONE
from game.paths import default_scenario
from game.scenario.load import load_scenario

SAMPLES = 4
"""Few resolutions per cell: the test is about the file, not the odds."""


@pytest.fixture
def params(tmp_path, monkeypatch):
    monkeypatch.setattr(jit, "cache_folder", lambda: tmp_path)
    return combat_params(load_scenario(default_scenario()))


def sampled(params):
    grid = odds_table.sample_grid(params, SAMPLES, NONE)
    return grid, odds_table.refine(grid)


def same(a, b):
    return all(x.dtype == y.dtype and x.tobytes() == y.tobytes() for x, y in zip(a, b, strict=True))


def test_a_kept_table_is_the_table_sampled(params):
    fresh = sampled(params)
    path = odds_table.table_file(params, SAMPLES, NONE)
    assert not path.exists()
    assert same(odds_table.stored(params, SAMPLES, NONE), fresh)
    assert path.exists(), "kept for the next process"
    stamp = path.stat().st_mtime_ns
    assert same(odds_table.stored(params, SAMPLES, NONE), fresh), "read back bit for bit"
    assert path.stat().st_mtime_ns == stamp, "read, not sampled and written again"


def test_other_parameters_are_kept_apart(params):
    other = type(params)(**{**params.__dict__, "k0": params.k0 * 1.5})
    assert odds_table.table_file(params, SAMPLES, NONE) != odds_table.table_file(
        other, SAMPLES, NONE
    )
    assert odds_table.table_file(params, SAMPLES, NONE) != odds_table.table_file(
        params, SAMPLES + 1, NONE
    )


@pytest.mark.parametrize(
    "junk",
    [b"", b"PK\x03\x04not a zip", "npy", "wrong shape"],
)
def test_a_spoilt_file_is_sampled_again(params, junk, tmp_path):
    fresh = sampled(params)
    path = odds_table.table_file(params, SAMPLES, NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    if junk == "npy":
        with path.open("wb") as fh:
            np.save(fh, np.zeros(3))
    elif junk == "wrong shape":
        with path.open("wb") as fh:
            np.savez(fh, grid=np.zeros((2, 2)), fine=np.zeros((2, 2), np.float32))
    else:
        path.write_bytes(junk)
    assert same(odds_table.stored(params, SAMPLES, NONE), fresh)
    assert same(odds_table.stored(params, SAMPLES, NONE), fresh), "and rewritten whole"
