"""A battle's sides aggregated in one kernel (battle_sides._aggregate) as the array formulas did.

Men, the five weighted means (quality, training, morale, horsemen, surprise) summed in
numpy's order over a dense row of force slots, and the leader: compared bit for bit with
the array version (written out here) over random battles of random participants, with
the ratings known and not, and ties of leadership.
"""

from __future__ import annotations

import numpy as np
import pytest

from game import rng
from game.codes import NONE
from game.engine.battle_sides import aggregate_side
from game.engine.kinds import kind_table
from game.scenario.load import load_scenario
from tests.engine_helpers import MAIN

SCN = load_scenario(MAIN)


def _pad(values):
    return np.append(values, 0.0)


def _reference(scn, b, f, men, cohesion, commander, n, ratings_known):
    """The array version: bincount totals, dense row sums, the first best leader."""
    total = np.bincount(b, weights=men, minlength=n)
    w = men / np.maximum(total, 1.0)[b]
    cohesion_q = 0.5 + 0.5 * np.asarray(cohesion, np.float32)
    arms_q = kind_table(scn, "quality")[scn.kind[f]]
    q = (scn.quality[f] * arms_q if ratings_known else arms_q) * cohesion_q
    zero = np.zeros(f.size)
    traits = np.stack(
        [
            q,
            scn.training[f] if ratings_known else zero,
            scn.morale[f] if ratings_known else zero,
            scn.cavalry[f],
            kind_table(scn, "surprise")[scn.kind[f]],
        ],
        axis=1,
    )
    terms = w[:, None] * traits
    means = np.zeros((n, 5))
    for k in range(5):  # each a dense [battles, slots] array, summed along its rows
        dense = np.zeros((n, scn.F))
        dense[b, f] = terms[:, k]
        means[:, k] = dense.sum(axis=1)
    has = commander != NONE
    lead = _pad(scn.leadership)[commander]
    top = np.full(n, -np.inf)
    np.maximum.at(top, b[has], lead[has])
    first = np.flatnonzero(has & (lead == top[b]))
    led, at = np.unique(b[first], return_index=True)
    best = np.full(n, NONE, np.int64)
    best[led] = commander[first[at]]
    rated = best if ratings_known else np.full(n, NONE, np.int64)
    return {
        "men": total,
        "quality": means[:, 0],
        "training": means[:, 1],
        "morale": means[:, 2],
        "cavalry": means[:, 3],
        "surprise": means[:, 4],
        "commander": best,
        "leadership": _pad(scn.leadership)[rated],
        "initiative": _pad(scn.initiative)[rated],
        "exposure": _pad(scn.exposure)[best],
    }


@pytest.mark.parametrize("ratings_known", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregated_sides_are_the_array_formulas(seed, ratings_known):
    n = 400
    key = rng.root_key(seed, rng.Stream.TEST, np.arange(n))
    slots = np.arange(SCN.F)
    # Each battle takes a random set of slots (some none, some many), in slot order.
    share = rng.uniform(key, 1)[:, None] ** 3
    present = rng.uniform(key[:, None], 2, slots) < share
    b, f = np.nonzero(present)
    men = np.floor(rng.uniform(key[b], 3, f) * 8000.0)
    men[rng.uniform(key[b], 4, f) < 0.05] = 0.0  # a man-less participant
    cohesion = rng.uniform(key[b], 5, f).astype(np.float32)
    # Commanders drawn from a few, so that equal leadership ties happen.
    pick = rng.integers(SCN.C + 3, key[b], 6, f) - 3
    commander = np.where(pick < 0, NONE, pick).astype(np.int64)
    got = aggregate_side(SCN, b, f, men, cohesion, commander, n, ratings_known=ratings_known)
    want = _reference(SCN, b, f, men, cohesion, commander, n, ratings_known)
    for name, value in want.items():
        mine = getattr(got, name)
        assert mine.dtype == value.dtype, name
        np.testing.assert_array_equal(mine.view(np.uint64), value.view(np.uint64), err_msg=name)
    assert (got.commander >= 0).sum() > n // 4
