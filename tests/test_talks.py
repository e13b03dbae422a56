"""The talks' length from the envoys' journeys: the rule, the engine, and validation."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
from engine_helpers import MAIN, compiled, force, line_scenario
from test_engine_rules import orders_for
from test_loader import problems_of, tiny_with

from game.codes import OrderKind
from game.engine.chronicle import chronicle
from game.engine.orders import Orders
from game.engine.state import initial_state
from game.engine.turn import step
from game.errors import ScenarioError
from game.scenario.checks import check
from game.scenario.load import load_scenario
from game.scenario.schema import Peace, Scenario


def talks_scenario(peace: dict[str, Any], n: int = 6, days: float = 7.0) -> dict[str, Any]:
    """Return a line of ``n`` provinces ``days`` apart whose sides talk from the first turn."""
    data = line_scenario(
        n, days=days, forces=[force("fa", "a", 1000, "p0")], will=(0.3, 0.3), weeks=30
    )
    data["victory"]["peace"] = {"talks_will": 0.4, "quiet_turns": 0, **peace}
    return data


def signing_turn(data: dict[str, Any]) -> int:
    """Play the scenario with no orders and return the turn its treaty is signed in."""
    scn = compiled(data)
    st = initial_state(scn, 1)
    while not st.over[0]:
        st, _ = step(scn, st, Orders.empty(1, scn.F, scn.S))
    assert not st.truncated[0]
    return int(st.end_day[0]) // scn.turn_days


@pytest.mark.parametrize(
    ("envoys", "turns"),
    [
        # capital to capital: 5 links of 7 days = 35 days' march each way
        ({"pace": 5.0, "referrals": 0}, 1),  # 35 / 5 = 7 days
        ({"pace": 5.0, "referrals": 1}, 3),  # 3 x 35 / 5 = 21 days
        ({"pace": 5.0, "referrals": 2}, 5),  # 5 x 35 / 5 = 35 days
        ({"pace": 2.5, "referrals": 1}, 6),  # 3 x 35 / 2.5 = 42 days
    ],
)
def test_the_treaty_waits_for_the_envoys_journeys(envoys: dict[str, Any], turns: int) -> None:
    data = talks_scenario({"envoys": envoys})
    assert compiled(data).talks.turns == turns
    # talks open in the first turn (both wills below 0.4) and last `turns` turns
    assert signing_turn(data) == turns


def test_the_place_of_the_talks_sets_the_journeys() -> None:
    # a's envoy from p0 to p2: 14 days; b's from p5 to p2: 21 days, the longer
    data = talks_scenario({"place": "p2", "envoys": {"pace": 5.0, "referrals": 1}})
    talks = compiled(data).talks
    assert talks.side == 1 and talks.march_days == 63.0
    assert math.isclose(talks.days, 12.6) and talks.turns == 2
    assert signing_turn(data) == 2


def test_the_rule_applies_by_default_and_a_fixed_length_only_when_asked() -> None:
    default = compiled(talks_scenario({}))
    assert not default.talks.fixed
    # the default rule: pace 3, one referral: 3 x 35 / 3 = 35 days, 5 turns
    assert default.talks.turns == 5
    fixed = compiled(talks_scenario({"talks_turns": 2}))
    assert fixed.talks.fixed and fixed.talks.turns == 2
    assert signing_turn(talks_scenario({"talks_turns": 2})) == 2


def test_the_1841_talks_come_from_lima_to_puno() -> None:
    scn = load_scenario(MAIN)
    peace = scn.model.victory.peace
    assert peace.talks_turns is None and "talks_turns" not in peace.calibrated_to
    rule = peace.length_rule()
    assert rule is not None
    p = scn.province_index
    lima_puno = scn.dist_days[p["lima"], p["puno"]]
    assert scn.side_ids[scn.talks.side] == "peru"
    journeys = (1 + 2 * rule.referrals) * lima_puno
    assert scn.talks.turns == math.ceil(journeys / rule.pace / scn.turn_days)
    # Peru negotiates once the Bolivians have left its towns (the Council's condition)
    assert peace.negotiate_when is not None and peace.negotiate_when.not_ is not None


def test_a_fixed_length_and_the_envoys_rule_exclude_each_other(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not both"):
        Peace.model_validate({"talks_turns": 3, "envoys": {"pace": 3.0}})
    text = tiny_with("    talks_turns: 2\n", "    talks_turns: 2\n    envoys: {referrals: 1}\n")
    (msg,) = problems_of(tmp_path, text)
    assert "not both" in msg and "case.yaml:" in msg


@pytest.mark.parametrize(
    ("envoys", "words"),
    [
        ("{pace: 0}", "pace: 0 is out of range: must be more than 0"),
        ("{pace: 25}", "pace: 25 is out of range: must be at most 20"),
        ("{referrals: -1}", "referrals: -1 is out of range: must be at least 0"),
        ("{referrals: 1.5}", "referrals: expected a whole number"),
        ("{pase: 3}", "unknown key 'pase' (did you mean 'pace'?)"),
    ],
)
def test_bad_envoys_are_one_line_each(tmp_path: Path, envoys: str, words: str) -> None:
    text = tiny_with("    talks_turns: 2\n", f"    envoys: {envoys}\n")
    (msg,) = problems_of(tmp_path, text)
    assert words in msg and "case.yaml:169:" in msg and "victory.peace.envoys" in msg


def test_a_capital_without_a_route_is_refused() -> None:
    data = talks_scenario({"envoys": {"pace": 3.0}})
    data["map"]["provinces"].append(
        {
            "id": "base",
            "name": "Base",
            "lat": -20.0,
            "lon": -60.0,
            "altitude": 0,
            "terrain": "plain",
            "owner": "b",
            "off_map": True,
            "source": "test",
        }
    )
    data["sides"][1]["capital"] = "base"
    problems = check(Scenario.model_validate(copy.deepcopy(data)))
    assert any("no route from its capital 'base'" in p.message for p in problems), problems


def test_an_unknown_capital_is_reported_as_such_not_as_a_missing_route(tmp_path: Path) -> None:
    text = tiny_with("    talks_turns: 2\n", "    envoys: {pace: 3}\n")
    text = text.replace("    capital: sudby", "    capital: nowhere", 1)
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    found = [p.format() for p in info.value.problems]
    assert any("nowhere" in msg for msg in found)
    assert not any("no route" in msg for msg in found)


def test_a_condition_for_negotiating_stalls_the_talks_until_it_holds() -> None:
    # b negotiates only while no man of a stands in p4; a's column leaves p4 in turn 3
    data = talks_scenario(
        {
            "envoys": {"pace": 5.0, "referrals": 1},  # 3 turns of talks
            "negotiate_when": {"not": {"forces_in": {"side": "a", "provinces": ["p4"]}}},
        }
    )
    data["forces"] = [force("fa", "a", 1000, "p4")]
    scn = compiled(data)
    st = initial_state(scn, 1)
    for turn in range(20):
        if st.over[0]:
            break
        orders = Orders.empty(1, scn.F, scn.S)
        if turn == 3:
            orders = orders_for(scn, st, fa=(OrderKind.MARCH, "p3"))
        st, report = step(scn, st, orders)
        said = [e.text for e in chronicle(scn, report) if e.kind == "talks"]
        if turn < 3:
            assert st.talks[0] == 0  # open, and standing still, and the chronicle says so
            assert any("stand still" in t and "0 of 3 turns" in t for t in said), said
        else:
            assert not any("stand still" in t for t in said), said
    # p4 is free from turn 3 on (a march of 7 days ends within the turn): three turns of
    # talks from then, the treaty in the last
    assert not st.truncated[0] and int(st.end_day[0]) // scn.turn_days == 6


def test_a_collapsed_side_negotiates_on_any_terms() -> None:
    data = talks_scenario(
        {
            "envoys": {"pace": 5.0, "referrals": 1},
            "collapse_will": 0.35,
            "negotiate_when": {"not": {"forces_in": {"side": "a", "provinces": ["p4"]}}},
        }
    )
    data["forces"] = [force("fa", "a", 1000, "p4")]
    assert signing_turn(data) == 3


def test_validate_checks_the_condition_for_negotiating(tmp_path: Path) -> None:
    text = tiny_with(
        "    talks_turns: 2\n",
        "    talks_turns: 2\n    negotiate_when: {controls: {side: north, province: sudbyy}}\n",
    )
    found = problems_of(tmp_path, text)
    assert any("sudbyy" in msg and "negotiate_when" in msg for msg in found), found


def _first_turns(data: dict[str, Any], turns: int, sue: int | None = None) -> tuple[Any, list[str]]:
    """Play ``turns`` turns with no orders (side ``sue`` suing); return the state and talks."""
    scn = compiled(data)
    st = initial_state(scn, 1)
    said: list[str] = []
    for _ in range(turns):
        orders = Orders.empty(1, scn.F, scn.S)
        if sue is not None:
            orders.sue[:, sue] = True
        st, report = step(scn, st, orders)
        said += [e.text for e in chronicle(scn, report) if e.kind == "talks"]
    return st, said


@pytest.mark.parametrize(("owner", "stalls"), [("b", True), ("a", False)])
def test_only_the_collapse_of_the_side_whose_condition_it_is_waives_it(
    owner: str, stalls: bool
) -> None:
    # b's condition: no man of a in p4; a has collapsed (0.2 < 0.35, and 0.27 with p4, a
    # third of b's home value, taken), b has not (0.39, and 0.36 after two weeks of a in p4)
    data = talks_scenario(
        {
            "envoys": {"pace": 5.0, "referrals": 1},  # 3 turns of talks
            "collapse_will": 0.35,
            "negotiate_when": {"not": {"forces_in": {"side": "a", "provinces": ["p4"]}}},
            "negotiate_side": owner,
        }
    )
    data["sides"][0]["war_will"] = 0.2
    data["sides"][1]["war_will"] = 0.39
    data["forces"] = [force("fa", "a", 1000, "p4")]
    st, said = _first_turns(data, 2 if stalls else 4)
    if stalls:  # a's collapse does not lift b's condition: a must leave p4 first
        assert not st.over[0] and st.talks[0] == 0 and st.will[0, 1] > 0.35
        assert sum("stand still" in t for t in said) == 2, said
    else:  # b's own collapse would; a's condition is a's to waive
        assert st.over[0] and not st.truncated[0]


@pytest.mark.parametrize(("enemy_will", "opens"), [(0.9, False), (0.38, True)])
def test_a_suit_for_peace_needs_an_enemy_that_has_had_enough(
    enemy_will: float, opens: bool
) -> None:
    data = talks_scenario({"talks_turns": 2})
    data["sides"][0]["war_will"] = 0.5  # above the threshold: only a suit can open talks
    data["sides"][1]["war_will"] = enemy_will
    st, said = _first_turns(data, 1, sue=0)
    assert (st.talks[0] >= 0) == opens
    if opens:
        assert any("Alpha sues for peace" in t and "Peace talks open" in t for t in said), said
    else:
        assert said == [
            "Alpha sues for peace; Beta will not talk yet: its will, 0.90, is not below 0.40."
        ], said
