"""The pooled groups give the sums of the plain definition, slot by slot in float64."""

from __future__ import annotations

import math

import numpy as np

from game import rng
from game.ai.groups import FIELDS
from tests.test_ai_odds_kernels import _played_situations


def plain_group(sit, mask, men=None):
    """Each place's group summed slot by slot, only the slots in the mask, in numpy."""
    N, F, P = mask.shape
    slots = sit.slots
    w_all = slots.men if men is None else men
    total = np.zeros((N, P))
    eff_sum = np.zeros((N, P))
    sur_sum = np.zeros((N, P))
    best = np.full((N, P), -1)
    for f in range(F):
        m = mask[:, f, :]
        w = w_all[:, f, None]
        total = np.where(m, total + w, total)
        eff_sum = np.where(m, eff_sum + w * slots.eff[:, f, None], eff_sum)
        sur_sum = np.where(m, sur_sum + w * slots.surprise[f], sur_sum)
        leads = slots.has_cmd[:, f, None] & ((w > 0) | (men is None))
        rank_best = np.take_along_axis(slots.rank, np.maximum(best, 0), axis=1)
        better = m & leads & ((best < 0) | (slots.rank[:, f, None] > rank_best))
        best = np.where(better, f, best)
    safe = np.maximum(total, 1e-9)
    out = {
        "men": total,
        # The C library's logarithm, as the kernel's (numpy's own may differ in the last bit).
        "log_eff": np.vectorize(math.log, otypes=[float])(np.maximum(eff_sum / safe, 1e-6)),
        "surprise": sur_sum / safe,
    }
    for i, k in enumerate(("lead", "init", "exposure", "stake")):
        rating = np.take_along_axis(slots.ratings[i], np.maximum(best, 0), axis=1)
        out[k] = np.where(best >= 0, rating, 0.0)
    return out


def test_groups_are_the_plain_sums_on_played_situations():
    """Seen enemies, presumed ones with their own men, own forces and drawn masks."""
    compared = 0
    for i, (_, sit) in enumerate(_played_situations(turns=4, runs=6, seed=9)):
        u = rng.uniform(rng.derive(np.uint64(11), i, np.arange(sit.foe_at.size)))
        drawn = u.reshape(sit.foe_at.shape) < 0.4
        cases = [
            (sit.foe_reach, None),
            (sit.mine_at, None),
            (drawn, None),
            (sit.ghost_near, sit.ghost_men),
            (drawn, sit.ghost_men),
        ]
        for mask, men in cases:
            g = sit.group(mask, men=men)
            want = plain_group(sit, mask, men)
            for k in FIELDS:
                assert np.array_equal(getattr(g, k), want[k]), k
            compared += int((want["men"] > 0).sum())
    assert compared > 0
