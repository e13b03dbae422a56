"""The heuristic plays for the treaty: it clears what stalls the talks, guards what decides
the outcome at the signing, and keeps its head of state with the army."""

from __future__ import annotations

import re

import numpy as np
from engine_helpers import compiled, force, line_scenario

from game.ai import make_policy
from game.ai.base import policy_keys
from game.ai.treaty import talk_blockers
from game.codes import OrderKind
from game.engine.observe import observe
from game.engine.state import initial_state


def decide(scn, *, talks=-1, side=0, seed=0):
    st = initial_state(scn, 1, seed)
    st.talks[:] = talks
    pol = make_policy("heuristic", side, scn)
    obs = observe(scn, st, side)
    return pol.decide(scn, obs, policy_keys(seed, st.run_ids, st.turn, side), explain=True)


def order(scn, d, fid):
    f = scn.force_index[fid]
    return OrderKind(int(d.orders.kind[0, f])).name, int(d.orders.target[0, f])


def reason(scn, d, fid):
    return next(e.text for e in d.explanations if e.force == scn.force_index[fid])


def with_chief(data, force_id):
    data["commanders"] = [
        {
            "id": "chief",
            "name": "Chief",
            "side": "a",
            "rank": "General",
            "source": "test",
            "head_of_state": True,
        }
    ]
    for f in data["forces"]:
        if f["id"] == force_id:
            f["commander"] = "chief"
    return data


EVACUATE = {"not": {"forces_in": {"side": "b", "provinces": ["p0", "p1", "p2"], "at_least": 20}}}
"""Side a's condition for negotiating: no man of b's in its three western towns."""


def test_the_places_a_condition_for_negotiating_counts_are_read_from_the_condition():
    peace = {
        "negotiate_when": {
            "all": [
                {"not": {"any": [
                    {"forces_in": {"side": "b", "provinces": ["p0", "p1"], "at_least": 20}},
                    {"controls": {"side": "b", "province": "p2"}},
                ]}},
                {"forces_in": {"side": "b", "provinces": ["p5"], "at_least": 1}},
                {"not": {"not": {"controls": {"side": "b", "province": "p4"}}}},
            ]
        }
    }  # fmt: skip
    scn = compiled(line_scenario(6, peace=peace))
    # Only b's men or holdings that must not be there are a's to clear; a test that must
    # hold (b's men in p5, b holding p4 under two negations) is nothing to clear.
    assert np.flatnonzero(talk_blockers(scn, 0)).tolist() == [0, 1, 2]
    assert not talk_blockers(scn, 1).any()


def band_scenario(peace: dict) -> dict:
    """A line of ten: a's main body at p4, a detachment at p3, b's band of 150 at p1 and
    b's army at p9."""
    return line_scenario(
        10,
        days=5.0,
        forces=[
            force("main", "a", 3000, "p4"),
            force("det", "a", 800, "p3"),
            force("band", "b", 150, "p1"),
            force("enemy", "b", 2500, "p9"),
        ],
        peace=peace,
    )


def test_a_band_that_stalls_the_talks_is_cleared_by_a_detachment_that_says_why():
    data = band_scenario({"negotiate_when": EVACUATE, "talks_turns": 6})
    scn = compiled(data)
    assert not reason(scn, decide(scn), "det").startswith("clear")  # no talks open
    d = decide(scn, talks=1)
    assert order(scn, d, "det") == ("MARCH", 2)  # one march short of the band
    text = reason(scn, d, "det")
    assert re.fullmatch(
        r"clear Province 1, by way of Province 2 with 800 men \(\d+% win\): ~[\d,]+ Beta "
        r"troops there keep the talks from moving",
        text,
    ), text


def test_a_town_the_enemys_gain_rests_on_is_guarded_at_the_signing():
    data = line_scenario(
        10,
        days=5.0,
        forces=[
            force("main", "a", 3000, "p4"),
            force("post", "a", 600, "p1"),
            force("enemy", "b", 2500, "p9"),
        ],
        peace={"talks_turns": 6},
    )
    # b wins the peace if it holds p1 when the treaty is signed.
    data["victory"]["outcomes"].insert(
        1, {"id": "b_town", "name": "B's town", "winner": "b", "when": {"controls": {"side": "b", "province": "p1"}}}
    )  # fmt: skip
    scn = compiled(data)
    d = decide(scn, talks=6)  # the treaty is signed at the end of this turn
    assert order(scn, d, "post") == ("HOLD", -1)
    text = reason(scn, d, "post")
    assert text.startswith("hold Province 1 for the signing with 600 men"), text


def test_a_head_of_state_away_from_the_army_goes_to_it_and_takes_nothing_on_the_way():
    # His escort stands next to an undefended enemy town; the army stays at the capital,
    # four provinces back.  He goes to the army; the same column without him takes the
    # town.
    data = with_chief(
        line_scenario(
            10,
            forces=[
                force("main", "a", 3000, "p0"),
                force("escort", "a", 400, "p4"),
                force("enemy", "b", 2500, "p9"),
            ],
        ),
        "escort",
    )
    scn = compiled(data)
    d = decide(scn)
    assert order(scn, d, "main") == ("HOLD", -1)
    assert order(scn, d, "escort") == ("MARCH", 0)
    assert reason(scn, d, "escort") == (
        "ride with the army to Province 0 (3,000 men): a head of state goes with the main "
        "body, into no battle but the one that decides the war"
    )
    data["forces"][1].pop("commander")
    d = decide(compiled(data))
    assert order(scn, d, "escort") == ("MARCH", 5)
    assert reason(scn, d, "escort").startswith("march on Province 5: undefended")


def test_a_band_roaming_own_land_as_the_treaty_nears_is_cleared_and_the_order_says_so():
    data = band_scenario({"talks_turns": 6})
    scn = compiled(data)
    d = decide(scn, talks=4)  # two turns before the signing
    assert order(scn, d, "det") == ("MARCH", 2)
    text = reason(scn, d, "det")
    assert text.endswith("Beta troops there roam Alpha's land as the treaty nears"), text


def test_a_band_that_changes_nothing_in_the_treaty_is_left_alone_early_in_the_talks():
    # Five turns before the signing the band neither stalls the talks nor holds a town
    # the outcomes name: nobody is sent after it, and nobody strikes it.
    scn = compiled(band_scenario({"talks_turns": 6}))
    d = decide(scn, talks=1)
    for fid in ("main", "det"):
        assert not reason(scn, d, fid).startswith("clear"), reason(scn, d, fid)
        assert order(scn, d, fid)[0] != "ATTACK"


def prize_scenario(army_at: str) -> dict:
    """A line of ten: a holds b's town p6, which a's winning outcome names; a's army
    (its head of state with it) at ``army_at``; b's army of 900 at p9."""
    data = with_chief(
        line_scenario(
            10,
            days=5.0,
            forces=[
                force("army", "a", 3000, army_at),
                force("enemy", "b", 900, "p9"),
            ],
            provinces={6: {"owner": "a"}},
            peace={"talks_turns": 6},
        ),
        "army",
    )
    data["victory"]["outcomes"].insert(
        0, {"id": "a_town", "name": "A's town", "winner": "a", "when": {"controls": {"side": "a", "province": "p6"}}}
    )  # fmt: skip
    return data


def test_the_army_stays_in_the_town_its_gain_rests_on_until_the_signing():
    scn = compiled(prize_scenario("p6"))
    d = decide(scn, talks=2)
    assert order(scn, d, "army") == ("HOLD", -1)
    text = reason(scn, d, "army")
    assert text == (
        "keep the army at Province 6 for the signing (3,000 men): our gain at the peace "
        "rests on holding it"
    ), text


def test_the_army_away_from_the_town_its_gain_rests_on_goes_back_to_it_for_the_signing():
    scn = compiled(prize_scenario("p7"))
    assert order(scn, decide(scn), "army")[1] != 6  # no talks: the war goes on
    d = decide(scn, talks=2)
    assert order(scn, d, "army") == ("MARCH", 6)
    assert reason(scn, d, "army").startswith("take the army to Province 6 for the signing")


def test_a_head_of_state_away_from_the_army_is_not_sent_to_hold_the_prize_alone():
    # His own column of 300 stands next to the town a's gain rests on; the army is at
    # the capital.  Once the talks are open, the column does not go to hold the town
    # with him: he rides back to the army.
    data = prize_scenario("p0")
    data["forces"].insert(1, force("column", "a", 300, "p7"))
    data = with_chief(data, "column")
    data["forces"][0].pop("commander")
    scn = compiled(data)
    d = decide(scn, talks=2)
    assert order(scn, d, "column") == ("MARCH", 0)
    assert reason(scn, d, "column").startswith("ride with the army to Province 0")
