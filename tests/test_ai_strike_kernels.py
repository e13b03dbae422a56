"""The attack pass's kernels give what the numpy formulas they replaced gave."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.ai.appraisal import appraise
from game.ai.draft import Draft
from game.ai.economy import CHIEF_SLACK, RELEASE_SLACK, SURE, economy
from game.ai.features import defender_posture
from game.ai.holding import anchors
from game.ai.odds_table import OddsTable
from game.ai.personality import Personality
from game.ai.strike_kernels import chief_reach, odds_terms, p_win_of, reached, strike_order
from game.ai.tables import odds_table
from tests.test_ai_odds_kernels import _played_situations


def lexsort_order(sel, chief, anchor, men0):
    """The economy of force's order of numpy: ``lexsort`` over every force of each run."""
    men = np.broadcast_to(np.asarray(men0), anchor.shape)
    return np.lexsort((men, -anchor, ~chief, ~sel), axis=-1)


@st.composite
def strikes(draw):
    """Strikes of a few runs with ties, NaN, -0 and heads of state in the keys."""
    R = draw(st.integers(1, 4))
    F = draw(st.integers(1, 9))
    values = st.sampled_from([0.0, -0.0, 1.5, 2.0, 7.25, np.nan, np.inf, -3.0])
    anchor = np.array(draw(st.lists(values, min_size=R * F, max_size=R * F))).reshape(R, F)
    men0 = np.array(draw(st.lists(st.sampled_from([50, 300, 300, 1200]), min_size=F, max_size=F)))
    sel = np.array(draw(st.lists(st.booleans(), min_size=R * F, max_size=R * F))).reshape(R, F)
    chief = np.array(draw(st.lists(st.booleans(), min_size=R * F, max_size=R * F))).reshape(R, F)
    return sel, chief, anchor, men0


@settings(max_examples=300, deadline=None)
@given(strikes())
def test_strike_order_is_numpys_lexsort(case):
    sel, chief, anchor, men0 = case
    want = lexsort_order(sel, chief, anchor, men0)
    out = np.empty(sel.shape[1], np.int64)
    for r in range(sel.shape[0]):
        n = strike_order(sel, chief, anchor, men0.astype(np.float64), r, out)
        assert n == sel[r].sum()
        assert np.array_equal(out[:n], want[r, :n])


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4), st.integers(1, 6), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_reach_tables_are_the_numpy_formulas(R, F, P, seed):
    key = rng.root_key(seed, rng.Stream.TEST, [0])[0]
    u = rng.uniform(rng.derive(key, 1, np.arange(R * F * P + 2 * R * F + R * P)))
    reach = (u[: R * F * P] < 0.5).reshape(R, F, P)
    chief = (u[R * F * P : R * F * P + R * F] < 0.3).reshape(R, F)
    avail = (u[R * F * P + R * F : R * F * P + 2 * R * F] < 0.6).reshape(R, F)
    decides = (u[R * F * P + 2 * R * F :] < 0.4).reshape(R, P)
    want = reach & ~(chief[:, :, None] & ~decides[:, None, :])
    assert np.array_equal(chief_reach(reach, chief, decides), want)
    assert np.array_equal(reached(reach, avail), (reach & avail[:, :, None]).any(axis=1))


def numpy_economy(ap, sel, target, defenders, posture, anchor):
    """The economy of force as it was: numpy's order and gathers, then each trial strike."""
    sit = ap.sit
    rows = np.arange(sel.shape[0])
    order = lexsort_order(sel, ap.ops.chief, anchor, sit.scn.men0)
    slots_t = sit.slots.kernel_tuple()
    table = odds_table(sit.scn)
    odds_t = (*odds_terms(sit), table.fine[OddsTable.FIELDS.index("p_win")])
    out = sel.copy()
    for r in rows:
        count = int(out[r].sum())
        if count == 0:
            continue
        q = int(target[r])
        foe = (
            float(defenders.men[r, q]),
            float(defenders.log_eff[r, q]),
            float(defenders.lead[r, q]),
            float(defenders.init[r, q]),
            int(posture[r, q]),
            q,
        )
        full = p_win_of(out[r].copy(), r, slots_t, foe, odds_t)
        floor = max(ap.threshold[r], min(full - RELEASE_SLACK, SURE))
        spared = min(floor, ap.threshold[r] + CHIEF_SLACK)
        for k in range(count):
            f = order[r, k]
            if not out[r, f] or count <= 1:
                continue
            trial = out[r].copy()
            trial[f] = False
            need = spared if ap.ops.chief[r, f] else floor
            if p_win_of(trial, r, slots_t, foe, odds_t) >= need:
                out[r, f] = False
                count -= 1
    return out


def test_economy_of_force_is_the_numpy_order_and_trials_on_played_situations():
    """Strikes of drawn free forces on drawn targets, against the seen defenders."""
    compared = 0
    for i, (_, sit) in enumerate(_played_situations(turns=4, runs=8, seed=10)):
        ap = appraise(sit, Personality(), np.zeros(sit.runs, np.uint64))
        d = Draft.start(sit, notes=False)
        key = rng.root_key(i, rng.Stream.TEST, [0])[0]
        sel = d.free & (rng.uniform(rng.derive(key, 1, np.arange(d.free.size))) < 0.6).reshape(
            d.free.shape
        )
        target = rng.integers(sit.scn.P, key, 2, np.arange(sit.runs))
        held = sit.owner == sit.enemy
        posture = defender_posture(sit, held, held)
        anchor = anchors(ap, d)
        got = economy(ap, sel, target, ap.foe, posture, anchor)
        want = numpy_economy(ap, sel, target, ap.foe, posture, anchor)
        assert np.array_equal(got, want)
        compared += int((sel.sum(axis=1) > 1).sum())
    assert compared > 0
