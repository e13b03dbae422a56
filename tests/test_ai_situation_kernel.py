"""The situation's per-force readings, one kernel (features._readings), are the numpy formulas'.

Which forces can take an order, stand or are seen, where each is or is heading, men,
effectiveness, the leading commander's ratings, the one-hot places and the clear roads:
each is compared exactly (values and dtypes) with the array formulas it replaces, written
out here, in wars of two scenarios played a few turns on in a batch.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.ai.features import ENEMY_COHESION, situation
from game.ai.tables import meets, pack, static
from game.codes import NONE, ForceStatus
from game.engine.observe import observe
from game.engine.state import initial_state
from game.play_loop import play_turn
from game.scenario.load import load_scenario
from game.study.policy_names import make_all
from tests.engine_helpers import MAIN, ROOT

SALT = ROOT / "scenarios" / "examples" / "war_of_the_salt_road.yaml"


def _one_hot(mask, where, P):
    out = np.zeros((*mask.shape, P), bool)
    r, f = np.nonzero(mask)
    out[r, f, where[r, f]] = True
    return out


def _reference(scn, obs):
    """The situation's readings as the array code computed them."""
    st = static(scn)
    s = obs.side
    own = np.asarray(scn.force_side == s)
    active = obs.status == ForceStatus.ACTIVE
    able = active & own[None, :] & ~obs.over[:, None] & (obs.loc >= 0)
    stands = able & (obs.nxt == NONE)
    enemy_seen = obs.seen & ~own[None, :] & active & (obs.loc >= 0)
    here = np.where(obs.nxt >= 0, obs.nxt, np.where(obs.loc >= 0, obs.loc, 0)).astype(np.int64)
    cohesion = np.where(own[None, :], obs.cohesion, ENEMY_COHESION)
    eff = st.base_eff[None, :]
    eff = eff * (0.5 + 0.5 * cohesion)
    has_cmd = (obs.commander >= 0) & (able | enemy_seen)
    cmd = obs.commander.astype(np.int64)
    c = np.where(cmd >= 0, cmd, scn.C)

    def rating(values):
        return np.append(np.asarray(values, np.float64), 0.0)[c]

    lead = np.where(has_cmd, rating(scn.leadership), 0.0)
    init = np.where(has_cmd, rating(scn.initiative), 0.0)
    expo = np.where(has_cmd, rating(scn.exposure), 0.0)
    head = has_cmd & (rating(scn.head_of_state) > 0)
    men = np.where(able | enemy_seen, obs.men, 0).astype(np.float64)
    loc = np.where(obs.loc >= 0, obs.loc, 0).astype(np.int64)
    foe_at = _one_hot(enemy_seen, loc, scn.P)
    able_cols = np.flatnonzero(able.any(axis=0))
    clear = np.zeros((obs.runs, scn.F, scn.P), bool)
    foe_bits = pack(foe_at.any(axis=1))[:, None, None, :]
    clear[:, able_cols] = ~meets(st.between[here[:, able_cols]], foe_bits)
    return {
        "own": own,
        "able": able,
        "stands": stands,
        "enemy_seen": enemy_seen,
        "here": here,
        "eff": eff,
        "has_cmd": has_cmd,
        "lead": lead,
        "init": init,
        "exposure": expo,
        "head": head,
        "commander": np.where(has_cmd, obs.commander, NONE).astype(np.int64),
        "men": men,
        "mine_at": _one_hot(stands, loc, scn.P),
        "foe_at": foe_at,
        "clear": clear,
        "lead_rank": np.searchsorted(np.unique(lead), lead),
    }


@pytest.mark.parametrize("path", [MAIN, SALT], ids=["1841", "salt_road"])
def test_situation_readings_are_the_array_formulas(path):
    scn = load_scenario(path)
    policies = make_all(dict.fromkeys(scn.side_ids, "heuristic"), scn, "normal")
    st = initial_state(scn, np.arange(4), 11)
    compared = 0
    for _ in range(10):
        for side in range(scn.S):
            obs = observe(scn, st, side)
            sit = situation(scn, obs)
            for name, want in _reference(scn, obs).items():
                got = getattr(sit, name)
                assert got.dtype == want.dtype, name
                assert got.shape == want.shape, name
                assert np.array_equal(got, want), name
                compared += 1
        st = play_turn(scn, st, policies).after
    assert compared == 10 * scn.S * 17


def _eta_reference(st, scn, obs, pace, stands, able):
    """The days from each force to each province as array formulas (``features._eta``)."""
    loc = np.maximum(obs.loc, 0).astype(np.int64)
    nxt = np.maximum(obs.nxt, 0).astype(np.int64)
    src = np.where(stands, loc, nxt)
    rest = np.maximum(np.asarray(scn.link_days)[loc, nxt] - obs.progress.astype(np.float64), 0.0)
    left = np.where(stands, 0.0, np.ceil(rest / st.paces[pace][None, :] - 1e-9))
    days = st.route_days[pace[None, :], src] + left[:, :, None]
    return np.where(able[:, :, None], days, np.inf)


@pytest.mark.parametrize("path", [MAIN, SALT], ids=["1841", "salt_road"])
def test_days_to_each_province_are_the_array_formulas(path):
    scn = load_scenario(path)
    st = static(scn)
    policies = make_all(dict.fromkeys(scn.side_ids, "heuristic"), scn, "normal")
    state = initial_state(scn, np.arange(4), 11)
    on_road = 0
    for _ in range(10):
        for side in range(scn.S):
            obs = observe(scn, state, side)
            sit = situation(scn, obs)
            for got, pace in ((sit.eta, st.pace_of), (sit.eta_forced, st.forced_of)):
                want = _eta_reference(st, scn, obs, pace, sit.stands, sit.able)
                assert got.dtype == want.dtype and np.array_equal(got, want)
            on_road += int((sit.able & ~sit.stands).sum())
        state = play_turn(scn, state, policies).after
    assert on_road > 0
