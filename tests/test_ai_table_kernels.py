"""The AI's compiled tables of reach give what the numpy formulas they replaced gave."""

from __future__ import annotations

import numpy as np

from game import rng
from game.ai.appraisal import _strike_reach
from game.ai.operations import own_ground
from game.ai.option_kernels import soon
from game.engine.orders import march_targets
from tests.test_ai_odds_kernels import _played_situations


def test_reach_tables_are_the_numpy_formulas_on_played_situations():
    """Where forces can strike, where seen enemies reach, and the forces near a strike."""
    seen_any = False
    for i, (scn, sit) in enumerate(_played_situations(turns=6, runs=6, seed=9)):
        T = float(scn.turn_days)
        got_mt, reach, forced, reach_any = _strike_reach(sit, T)
        mt = march_targets(scn, sit.obs, sit.side) & own_ground(sit)[None, :, :]
        assert np.array_equal(got_mt, mt)
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
        assert sit.foe_reach.dtype == want.dtype and np.array_equal(sit.foe_reach, want)
        seen_any |= bool(want.any())

        u = rng.uniform(rng.derive(np.uint64(3), i, np.arange(sit.able.size)))
        free = sit.able & (u.reshape(sit.able.shape) < 0.7)
        chief = sit.able & (u.reshape(sit.able.shape) > 0.9)
        decides = rng.uniform(rng.derive(np.uint64(4), i, np.arange(sit.men.shape[0] * scn.P)))
        decides = decides.reshape(-1, scn.P) < 0.5
        want = free[:, :, None] & (sit.eta <= 2.0 * T) & mt & sit.clear
        want &= ~(chief[:, :, None] & ~decides[:, None, :])
        every = np.arange(free.shape[1])  # (the pass asks for the side's own slots only)
        key = np.zeros(scn.P, bool)
        got = soon(free, sit.eta, mt, sit.clear, chief, (decides, key), T, every)
        assert np.array_equal(got, want)
    assert seen_any  # the enemy was seen somewhere: the test compared something


def test_the_threats_are_the_numpy_formulas_on_played_situations():
    """The groups, the threats' men, push and chances flat, ghosts and dug-in places.

    As the three groups stacked into one gave them, and the numpy formulas of the men
    that may come, where a ghost stands and where every own force has dug in.
    """
    from game.ai.appraisal import (
        ATTACK_CHANCE,
        GHOST_CHANCE,
        LURK_CHANCE,
        LURK_TURNS,
        _threats,
    )
    from game.ai.features import Group

    undug = ghosts = 0
    for _, sit in _played_situations(turns=5, runs=6, seed=11):
        R, P = sit.runs, sit.scn.P
        own_held = sit.owner == sit.side
        foe, near, (men_flat, push_flat, chance, threat_men), ghost_here, dug = _threats(
            sit, own_held
        )
        groups = (
            sit.group(sit.foe_reach),
            sit.group(sit.ghost_near, men=sit.ghost_men),
            sit.group(sit.lurk_reach, men=sit.ghost_men),
        )
        for k in Group.__dataclass_fields__:
            assert np.array_equal(getattr(foe, k), getattr(sit.group(sit.foe_at), k)), k
            assert np.array_equal(getattr(near, k), getattr(groups[0], k)), k
        stacked = Group(
            *(
                np.stack([getattr(g, k) for g in groups])[:, None]
                for k in Group.__dataclass_fields__
            )
        )
        assert np.array_equal(men_flat, stacked.men.reshape(-1))
        assert np.array_equal(push_flat, sit.push(stacked, 0.0).reshape(-1))
        lurk = np.where(own_held, 1.0 - (1.0 - LURK_CHANCE) ** LURK_TURNS, 0.0)
        want = np.stack([np.full((R, P), ATTACK_CHANCE), np.full((R, P), GHOST_CHANCE), lurk])
        assert np.array_equal(chance, want[:, None])
        believed, lurking = groups[1].men, groups[2].men
        assert np.array_equal(threat_men, near.men + np.maximum(believed, lurking * (lurk > 0)))
        want_ghost = np.zeros((R, P), bool)
        r, f = np.nonzero(sit.ghost_at >= 0)
        want_ghost[r, sit.ghost_at[r, f]] = True
        assert np.array_equal(ghost_here, want_ghost)
        want_dug = ~(sit.mine_at & ~(sit.obs.dug_in >= 1)[:, :, None]).any(axis=1)
        assert np.array_equal(dug, want_dug)
        undug += int((~want_dug).sum())
        ghosts += int(want_ghost.sum())
    assert undug > 0 and ghosts > 0  # a force not dug in somewhere, a ghost believed
