"""A side's posture (on the defensive or not) and what the peace makes each province worth."""

from __future__ import annotations

import numpy as np
from engine_helpers import compiled, force, line_scenario
from test_ai_operations import decide, order

from game.ai.appraisal import appraise
from game.ai.features import situation
from game.ai.personality import Personality
from game.ai.posture import DENY, RECOVER, SPARE_GAIN
from game.engine.observe import observe
from game.engine.state import initial_state


def appraisal(scn, side=0):
    st = initial_state(scn, 1, 0)
    return appraise(situation(scn, observe(scn, st, side)), Personality(), np.zeros(1, np.uint64))


def test_a_side_outmatched_on_its_own_soil_near_its_capital_stands_on_the_defensive():
    data = line_scenario(
        8,
        forces=[
            force("main", "a", 2000, "p0"),
            force("det", "a", 400, "p3"),
            force("enemy", "b", 4000, "p1"),
        ],
        provinces={4: {"value": 6}},
        days=4.0,
    )
    scn = compiled(data)
    ap = appraisal(scn)
    assert ap.pos.defend[0]
    d = decide(scn)
    kind, target = order(scn, d, "det")
    # No column marches off to take the enemy's undefended town next door.
    assert target < 4, (kind, target)
    text = next(e.text for e in d.explanations if e.force == scn.force_index["main"])
    assert text.startswith("on the defensive, concentrate at Province 0"), text
    assert not appraisal(scn, side=1).pos.defend[0]  # the invader is not


def test_an_enemy_army_massed_on_its_own_soil_puts_nobody_on_the_defensive():
    data = line_scenario(
        8,
        forces=[force("main", "a", 2000, "p0"), force("enemy", "b", 4000, "p4")],
        days=2.0,
    )
    ap = appraisal(compiled(data))
    assert not ap.pos.defend[0]  # p4 is a march from a's land, but it is b's own


def _gains_scenario(a_holds: bool, b_holds: bool) -> dict:
    forces = [force("a_main", "a", 1000, "p0"), force("b_main", "b", 1000, "p7")]
    provinces: dict[int, dict] = {}
    if a_holds:
        forces.append(force("a_post", "a", 300, "p5"))
        provinces[5] = {"owner": "a"}
    if b_holds:
        forces.append(force("b_post", "b", 300, "p2"))
        provinces[2] = {"owner": "b"}
    # The earliest treaty is far off (what is worth what near the signing is tested below).
    data = line_scenario(8, forces=forces, provinces=provinces, peace={"talks_turns": 12}, weeks=30)
    data["victory"]["outcomes"] = [
        {"id": "a_gain", "name": "A gains", "winner": "a",
         "when": {"holds": {"side": "a", "provinces": ["p4", "p5"]}}},
        {"id": "b_gain", "name": "B gains", "winner": "b",
         "when": {"holds": {"side": "b", "provinces": ["p1", "p2"]}}},
        {"id": "both", "name": "Both keep gains", "mutual": True},
        {"id": "draw", "name": "Draw"},
    ]  # fmt: skip
    return data


def test_one_more_enemy_town_is_worth_little_once_a_gain_is_held():
    scn = compiled(_gains_scenario(a_holds=False, b_holds=False))
    before = appraisal(scn)
    scn = compiled(_gains_scenario(a_holds=True, b_holds=False))
    ap = appraisal(scn)
    assert ap.pos.mine[0] and not ap.pos.theirs[0]
    key4 = float(ap.sit.st.key[0, 4])
    assert key4 > 0
    # p4 is worth its named share only while a holds no gain; p5, held, keeps it in full.
    assert np.isclose(before.worth[0, 4] - ap.worth[0, 4], (1.0 - SPARE_GAIN) * key4)
    assert np.isclose(ap.worth[0, 5], before.worth[0, 5])


def test_own_land_the_enemys_gain_rests_on_is_worth_winning_back_in_full():
    scn = compiled(_gains_scenario(a_holds=True, b_holds=True))
    ap = appraisal(scn)
    assert ap.pos.mine[0] and ap.pos.theirs[0]  # both hold a gain: an exchange
    key_b = ap.sit.st.key[1]
    # p2 (held by b) is worth RECOVER of what b's outcomes make of it, p1 (a's) DENY.
    quiet = appraisal(compiled(_gains_scenario(a_holds=True, b_holds=False)))
    assert np.isclose(ap.worth[0, 2] - quiet.worth[0, 2], (RECOVER - DENY) * key_b[2])
    assert np.isclose(ap.worth[0, 1], quiet.worth[0, 1])


def test_near_the_signing_own_towns_weigh_as_much_as_those_the_enemy_holds():
    far = appraisal(compiled(_gains_scenario(a_holds=True, b_holds=False)))
    data = _gains_scenario(a_holds=True, b_holds=False)
    data["victory"]["peace"]["talks_turns"] = 0  # a treaty could be signed next turn
    near = appraisal(compiled(data))
    key_b = far.sit.st.key[1]
    assert np.isclose(near.worth[0, 1] - far.worth[0, 1], (RECOVER - DENY) * 0.9 * key_b[1])


def test_an_enemy_town_held_needs_men_in_it_as_the_signing_nears():
    def needs(talks_turns):
        data = line_scenario(
            8,
            forces=[force("a_main", "a", 1000, "p0"), force("a_post", "a", 300, "p5")],
            provinces={5: {"owner": "a"}},
            peace={"talks_turns": talks_turns},
            weeks=30,
        )
        scn = compiled(data)
        ap = appraisal(scn)
        assert ap.pos.signing[0] == (talks_turns < 3)
        return scn, ap.need_men[0]

    scn, need = needs(talks_turns=2)  # the earliest treaty is three turns off
    assert need[5] == scn.rules.control_men  # the peace counts it only with men in it
    assert np.isinf(need[1])  # own land needs nobody
    _, need = needs(talks_turns=10)
    assert np.isinf(need[5])  # the treaty is far: nothing yet
