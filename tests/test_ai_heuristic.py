"""What the heuristic does in small, clear situations, and how it explains itself."""

from __future__ import annotations

import re

import numpy as np
from engine_helpers import TINY, compiled, force, line_scenario

from game.ai import make_policy
from game.ai.base import policy_keys
from game.ai.historical import HistoricalPolicy
from game.codes import OrderKind
from game.engine.observe import observe
from game.engine.state import initial_state
from game.scenario.load import load_scenario

ATTACK_TEXT = re.compile(
    r"^attack Province \d with [\d,]+ men against ~[\d,]+: \d+% win, expect [\d,]+ killed$"
)


def decide(scn, side=0, runs=1, seed=0, explain=True, difficulty="normal", state=None):
    st = state if state is not None else initial_state(scn, runs, seed)
    pol = make_policy("heuristic", side, scn, difficulty)
    obs = observe(scn, st, side)
    return pol.decide(scn, obs, policy_keys(seed, st.run_ids, st.turn, side), explain=explain)


def kinds(scn, d, run=0):
    return {
        scn.force_ids[f]: (OrderKind(int(d.orders.kind[run, f])).name, int(d.orders.target[run, f]))
        for f in range(scn.F)
        if d.orders.kind[run, f] >= 0
    }


def test_concentrates_every_force_in_reach_on_a_good_attack_and_explains_it():
    scn = compiled(
        line_scenario(
            4,
            forces=[
                force("a1", "a", 1300, "p1"),
                force("a2", "a", 1300, "p1"),
                force("b1", "b", 1000, "p2"),
            ],
        )
    )
    d = decide(scn)
    got = kinds(scn, d)
    assert got["a1"] == ("ATTACK", 2) and got["a2"] == ("ATTACK", 2)
    texts = [e.text for e in d.explanations]
    assert len(texts) == 2 and all(ATTACK_TEXT.match(t) for t in texts), texts
    e = d.explanations[0]
    assert 0.5 <= e.p_win <= 1.0 and e.expected_killed > 0
    assert "2,600 men against ~" in e.text


def test_does_not_throw_a_small_force_at_a_much_larger_one():
    scn = compiled(
        line_scenario(4, forces=[force("a1", "a", 500, "p1"), force("b1", "b", 3000, "p2")])
    )
    got = kinds(scn, decide(scn))
    assert got.get("a1", ("HOLD", -1))[0] != "ATTACK"
    assert got.get("a1", ("HOLD", -1))[1] != 2


def test_falls_back_from_a_hopeless_fight_in_its_own_province():
    data = line_scenario(4, forces=[force("a1", "a", 300, "p1"), force("b1", "b", 3000, "p1")])
    scn = compiled(data)
    d = decide(scn)
    kind, target = kinds(scn, d)["a1"]
    assert (kind, target) == ("RETREAT", 0)
    assert d.explanations[0].text.startswith("retreat to Province 0")


def test_leaves_a_garrison_in_a_hostile_conquest():
    # Eight provinces: the capital is out of any raid's reach, so the only task for the
    # small force is to hold down the conquest while the army marches on.
    data = line_scenario(
        8,
        forces=[
            force("a_main", "a", 3000, "p4"),
            force("a_small", "a", 400, "p4"),
            force("b1", "b", 300, "p7"),
        ],
        provinces={
            4: {"owner": "a", "resistance": 0.8, "partisans": 300, "garrison_needed": 300},
            5: {"value": 5},
        },
    )
    scn = compiled(data)
    d = decide(scn)
    got = kinds(scn, d)
    assert got["a_small"] == ("GARRISON", -1)
    assert got["a_main"][0] in ("MARCH", "ATTACK") and got["a_main"][1] > 4
    assert any(e.text.startswith("garrison Province 4") for e in d.explanations)


def test_irregulars_raid_a_weak_post():
    # An enemy post on the band's own land (p0-p2 are side a's in a line of six).
    scn = compiled(
        line_scenario(
            6,
            forces=[
                force("band", "a", 400, "p1", kind="montoneros"),
                force("post", "b", 120, "p2", kind="militia"),
            ],
        )
    )
    d = decide(scn)
    assert kinds(scn, d)["band"] == ("ATTACK", 2)
    assert d.explanations[0].text.startswith(("raid Province 2", "attack Province 2"))


def test_irregulars_do_not_raid_abroad():
    # The same post across the border, in a place no war aim names: montoneros fight on
    # their own ground (game.ai.operations.own_ground), so the band stays at home.
    scn = compiled(
        line_scenario(
            4,
            forces=[
                force("band", "a", 400, "p1", kind="montoneros"),
                force("post", "b", 120, "p2", kind="militia"),
            ],
        )
    )
    assert kinds(scn, decide(scn))["band"][0] != "ATTACK"


def test_sues_for_peace_when_spent_but_not_when_strong():
    weak = compiled(line_scenario(4, will=(0.1, 0.9)))
    strong = compiled(line_scenario(4, will=(0.9, 0.9)))
    assert decide(weak).orders.sue[0, 0]
    assert not decide(strong).orders.sue[0, 0]


def _attack_cases(commander: dict | None) -> list[bool]:
    out = []
    for enemy in range(200, 2400, 100):
        data = line_scenario(
            4,
            forces=[
                force("a1", "a", 2000, "p1", **({"commander": "king"} if commander else {})),
                force("b1", "b", enemy, "p2"),
            ],
            provinces={2: {"value": 6}},
        )
        if commander:
            data["commanders"] = [commander]
            data["sides"][0]["ai"] = {"commander_safety": 3.0}
        scn = compiled(data)
        out.append(kinds(scn, decide(scn, explain=False)).get("a1", ("", -1))[0] == "ATTACK")
    return out


def test_keeps_a_head_of_state_out_of_doubtful_battles():
    king = {
        "id": "king",
        "name": "King",
        "rank": "King",
        "side": "a",
        "leadership": 0.0,
        "exposure": 2.0,
        "head_of_state": True,
        "source": "test",
    }
    plain = _attack_cases(None)
    guarded = _attack_cases(king)
    assert all(p or not g for p, g in zip(plain, guarded, strict=True))  # never bolder
    assert sum(plain) > sum(guarded) > 0  # more careful, but still fights good odds


def test_easy_blunders_sometimes_and_normal_never_does():
    scn = load_scenario(TINY)
    easy = decide(scn, runs=200, explain=False, difficulty="easy")
    normal = decide(scn, runs=200, explain=False)
    differs = (easy.orders.kind != normal.orders.kind) | (
        easy.orders.target != normal.orders.target
    )
    assert 0 < differs.any(axis=1).mean() < 1
    assert (normal.orders.kind == normal.orders.kind[0]).all()  # same position, same orders


def test_historical_follows_the_record_and_falls_back_where_it_cannot():
    scn = load_scenario(TINY)
    st = initial_state(scn, 1, 0)
    pol = HistoricalPolicy(0, scn)
    d = pol.decide(scn, observe(scn, st, 0), policy_keys(0, [0], 0, 0), explain=True)
    fjell = scn.province_index["fjell"]
    for f in ("north_army", "north_horse"):
        i = scn.force_index[f]
        assert (d.orders.kind[0, i], d.orders.target[0, i]) == (OrderKind.MARCH, fjell)
    assert all(e.text.startswith("as in history: march Fjell Pass") for e in d.explanations)
    # The record says the Southern Army attacks Dal on turn 1: still legal if it already
    # stands there (it attacks whoever is in Dal); if it has been destroyed, no order.
    south = 1
    army = scn.force_index["south_army"]
    st1 = st.copy()
    st1.turn = 1
    st1.loc[0, army] = scn.province_index["dal"]
    pol = HistoricalPolicy(south, scn)
    d = pol.decide(scn, observe(scn, st1, south), policy_keys(0, [0], 1, south))
    assert (d.orders.kind[0, army], d.orders.target[0, army]) == (
        OrderKind.ATTACK,
        scn.province_index["dal"],
    )
    st1.status[0, army] = 2  # gone
    d = pol.decide(scn, observe(scn, st1, south), policy_keys(0, [0], 1, south))
    assert d.orders.kind[0, army] == -1


def test_historical_gives_the_heuristics_orders_to_forces_history_never_mentions():
    scn = load_scenario(TINY)
    st = initial_state(scn, 1, 0)
    st.turn = 3  # the record has nothing more for anyone
    for side in range(scn.S):
        obs = observe(scn, st, side)
        keys = policy_keys(0, [0], 3, side)
        hist = HistoricalPolicy(side, scn).decide(scn, obs, keys)
        heur = make_policy("heuristic", side, scn).decide(scn, obs, keys)
        assert np.array_equal(hist.orders.kind, heur.orders.kind)
        assert np.array_equal(hist.orders.target, heur.orders.target)
