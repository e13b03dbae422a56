"""The look-ahead's plan of the foothold, and the forecast's reading of stalled talks."""

from __future__ import annotations

import numpy as np
from engine_helpers import compiled, force, line_scenario

from game.ai import make_policy
from game.ai.base import policy_keys
from game.ai.features import situation
from game.ai.foothold import explain_foothold, foothold
from game.ai.forecast import WEIGHTS, score, talks_moving, turns_to_treaty
from game.ai.heuristic import think
from game.ai.personality import Personality
from game.codes import OrderKind
from game.engine.observe import observe
from game.engine.orders import check
from game.engine.state import initial_state

EVACUATE = {"not": {"forces_in": {"side": "b", "provinces": ["p0", "p1", "p2"], "at_least": 20}}}
"""Side a's condition for negotiating: no man of b's in its three western towns."""


def war(band_at: str = "p4", talks: int = 1):
    """A line of ten: a's army in b's p7, b's band of 300 at ``band_at``, b's army at p9."""
    data = line_scenario(
        10,
        days=5.0,
        forces=[
            force("main", "a", 3000, "p7"),
            force("band", "b", 300, band_at),
            force("army", "b", 2000, "p9"),
        ],
        peace={"negotiate_when": EVACUATE, "negotiate_side": "a", "talks_turns": 6},
    )
    scn = compiled(data)
    st = initial_state(scn, 1, 0)
    st.talks[:] = talks
    return scn, st


def drawn(scn, st, side=1):
    obs = observe(scn, st, side)
    keys = policy_keys(0, st.run_ids, st.turn, side)
    base = think(scn, obs, keys, Personality()).orders
    out, changed = foothold(situation(scn, obs), base)
    assert (check(scn, obs, side, out) == 0).all()
    return base, out, changed


def test_with_the_talks_open_the_nearest_force_marches_into_a_town_that_stalls_them():
    scn, st = war(band_at="p4")
    base, out, changed = drawn(scn, st)
    band = scn.force_index["band"]
    assert changed[0]
    assert out.kind[0, band] in (OrderKind.MARCH, OrderKind.ATTACK)
    assert out.target[0, band] == scn.province_index["p2"]  # the nearest of p0, p1, p2
    army = scn.force_index["army"]
    assert out.kind[0, army] == base.kind[0, army] and out.target[0, army] == base.target[0, army]


def test_a_force_standing_in_such_a_town_stays_there():
    scn, st = war(band_at="p1")
    _, out, _ = drawn(scn, st)
    band = scn.force_index["band"]
    assert out.kind[0, band] == OrderKind.HOLD
    assert out.target[0, band] == scn.province_index["p1"]


def test_without_talks_or_without_a_condition_for_negotiating_nothing_changes():
    scn, st = war(band_at="p4", talks=-1)
    base, out, changed = drawn(scn, st)
    assert not changed.any() and (out.kind == base.kind).all()
    # The side whose condition it is has nothing to stall.
    scn, st = war(band_at="p4")
    base, out, changed = drawn(scn, st, side=0)
    assert not changed.any() and (out.target == base.target).all()


def test_the_foothold_says_where_it_goes_and_why():
    scn, st = war(band_at="p4")
    base, out, _ = drawn(scn, st)
    lines = explain_foothold(scn, base, out, [])
    band = scn.force_index["band"]
    said = [e.text for e in lines if e.force == band]
    assert len(said) == 1 and said[0].endswith(
        "Province 2: men there keep the talks from moving to a treaty"
    ), said


def test_stalled_talks_bring_no_treaty_nearer_unless_the_side_that_stalls_them_collapses():
    scn, st = war(band_at="p1", talks=4)
    st = st.select(np.array([0, 0, 0]))
    st.loc[2, scn.force_index["band"]] = scn.province_index["p4"]  # run 2: out of a's towns
    st.will[1, 0] = 0.05  # run 1: a, whose condition it is, has collapsed
    assert list(talks_moving(scn, st)) == [False, True, True]
    st.owner[:, [scn.province_index[f"p{i}"] for i in range(5, 10)]] = 0  # a holds b's land
    st.will[:, 0] = 0.05  # the same will everywhere: only the talks differ
    st.will[0, 0] = 0.5
    st.will[:, 1] = st.will[:, 0]
    total, result = score(scn, st, 1)
    assert list(result) == [-1.0, -1.0, -1.0]  # a treaty now is b's loss in every run
    # In the stalled run the loss is not near: two thirds of the talks done count nothing.
    assert WEIGHTS[1] > 0
    assert np.isclose(total[0] - total[2], WEIGHTS[1] * (4 / 6), atol=1e-6)


def test_the_look_ahead_drafts_the_foothold_where_it_differs():
    scn, st = war(band_at="p4")
    pol = make_policy("lookahead", 1, scn, futures=2, horizon=1, plans=1)
    pol.decide(scn, observe(scn, st, 1), policy_keys(0, st.run_ids, st.turn, 1))
    v = pol.last_verdict
    assert "foothold" in v.names
    assert np.isfinite(v.mean[0, v.names.index("foothold")])


def test_stalled_talks_come_due_as_the_side_that_stalls_them_nears_collapse():
    scn, st = war(band_at="p1", talks=4)
    st = st.select(np.array([0, 0, 0]))
    st.loc[2, scn.force_index["band"]] = scn.province_index["p4"]  # run 2: talks move
    st.will[:, 0] = [0.5, 0.12, 0.5]
    due = turns_to_treaty(scn, st)
    assert due[2] == scn.talks.turns - 4
    weekly = scn.rules.war_will.weariness * scn.turn_days / 7.0  # a holds all its home
    collapse = scn.model.victory.peace.collapse_will
    expected = scn.talks.turns - 4 + (np.array([0.5, 0.12]) - collapse) / weekly
    assert np.allclose(due[:2], expected, rtol=1e-5)
    st.owner[:, scn.province_index["p1"]] = 1  # b holds a fifth of a's home: a falls faster
    faster = turns_to_treaty(scn, st)
    assert (faster[:2] < due[:2]).all() and faster[2] == due[2]


def test_rollouts_play_on_to_a_treaty_stalled_talks_bring_in_reach_and_to_the_last_turn():
    scn, st = war(band_at="p1", talks=4)
    st = st.select(np.array([0, 0, 0]))
    st.will[:, 0] = [0.5, 0.12, 0.5]  # run 1: a, whose condition stalls them, nears collapse
    st.talks[2] = -1  # run 2: no talks, the scenario's last turn four turns off
    pol = make_policy("lookahead", 1, scn, futures=2, horizon=1, plans=1, signing=8)
    assert list(pol.rollouts.depths(scn, st))[:2] == [
        1,
        int(np.ceil(turns_to_treaty(scn, st)[1])) + 1,
    ]
    st.turn = scn.n_turns - 4
    assert pol.rollouts.depths(scn, st)[2] == 4
