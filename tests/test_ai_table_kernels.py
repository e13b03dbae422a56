"""The AI's compiled tables of reach give what the numpy formulas they replaced gave."""

from __future__ import annotations

import numpy as np

from game import rng
from game.ai.appraisal import _dug_in, _strike_reach
from game.ai.features import _foe_reach
from game.ai.option_kernels import soon
from game.engine.orders import march_targets
from tests.test_ai_odds_kernels import _played_situations


def test_reach_tables_are_the_numpy_formulas_on_played_situations():
    """Where forces can strike, where seen enemies reach, and the forces near a strike."""
    seen_any = False
    for i, (scn, sit) in enumerate(_played_situations(turns=6, runs=6, seed=9)):
        T = float(scn.turn_days)
        mt = march_targets(scn, sit.obs, sit.side)
        reach, forced, reach_any = _strike_reach(sit, mt, T)
        open_road = mt & sit.clear
        normal = (sit.eta <= T) & open_road
        want_forced = ~normal & (sit.eta_forced <= T) & open_road
        assert np.array_equal(forced, want_forced)
        assert np.array_equal(reach, normal | want_forced)
        assert np.array_equal(reach_any, (normal | want_forced).any(axis=2))

        st = sit.st
        loc = np.where(sit.obs.loc >= 0, sit.obs.loc, 0).astype(np.int64)
        days = st.route_days[st.pace_of[None, :], loc]  # [R, F, P]
        want = sit.enemy_seen[:, :, None] & (days <= scn.turn_days)
        assert np.array_equal(_foe_reach(scn, st, sit.enemy_seen, loc), want)
        seen_any |= bool(want.any())

        u = rng.uniform(rng.derive(np.uint64(3), i, np.arange(sit.able.size)))
        free = sit.able & (u.reshape(sit.able.shape) < 0.7)
        chief = sit.able & (u.reshape(sit.able.shape) > 0.9)
        decides = rng.uniform(rng.derive(np.uint64(4), i, np.arange(sit.men.shape[0] * scn.P)))
        decides = decides.reshape(-1, scn.P) < 0.5
        want = free[:, :, None] & (sit.eta <= 2.0 * T) & mt & sit.clear
        want &= ~(chief[:, :, None] & ~decides[:, None, :])
        assert np.array_equal(soon(free, sit.eta, mt, sit.clear, chief, decides, T), want)
    assert seen_any  # the enemy was seen somewhere: the test compared something


def test_dug_in_places_are_the_numpy_formula_on_played_situations():
    """Every own force standing in a place has stood a turn there (or none stands)."""
    undug = 0
    for _, sit in _played_situations(turns=5, runs=6, seed=11):
        dug = sit.obs.dug_in >= 1
        want = ~(sit.mine_at & ~dug[:, :, None]).any(axis=1)
        assert np.array_equal(_dug_in(sit), want)
        undug += int((~want).sum())
    assert undug > 0  # some place had a force that had not dug in


def test_the_threats_flat_tables_are_the_stacked_groups_on_played_situations():
    """The threats' men and push, flat, as the three groups stacked into one gave them."""
    from game.ai.appraisal import appraise
    from game.ai.features import Group
    from game.ai.personality import Personality

    for _, sit in _played_situations(turns=4, runs=5, seed=8):
        ap = appraise(sit, Personality(), np.zeros(sit.runs, np.uint64))
        groups = (
            sit.group(sit.foe_reach),
            sit.group(sit.ghost_near, men=sit.ghost_men),
            sit.group(sit.lurk_reach, men=sit.ghost_men),
        )
        stacked = Group(
            *(
                np.stack([getattr(g, k) for g in groups])[:, None]
                for k in Group.__dataclass_fields__
            )
        )
        assert np.array_equal(ap.threat_men_flat, stacked.men.reshape(-1))
        assert np.array_equal(ap.threat_push_flat, sit.push(stacked, 0.0).reshape(-1))
