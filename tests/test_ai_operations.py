"""The heuristic's operational conduct: main armies, concentration, heads of state, raids."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
from engine_helpers import MAIN, compiled, force, line_scenario

from game.ai import make_policy
from game.ai.appraisal import appraise
from game.ai.base import policy_keys
from game.ai.commanders import commander_stakes
from game.ai.draft import Draft
from game.ai.features import situation
from game.ai.movement import move_costs, options
from game.ai.operations import SPHERE_MEN
from game.ai.personality import Personality
from game.codes import OrderKind
from game.engine.observe import observe
from game.engine.state import initial_state
from game.scenario.load import load_scenario

AI = Path(__file__).resolve().parents[1] / "game" / "ai"


def decide(scn, side=0, runs=1, seed=0):
    st = initial_state(scn, runs, seed)
    pol = make_policy("heuristic", side, scn)
    obs = observe(scn, st, side)
    return pol.decide(scn, obs, policy_keys(seed, st.run_ids, st.turn, side), explain=True)


def order(scn, d, fid, run=0):
    f = scn.force_index[fid]
    return OrderKind(int(d.orders.kind[run, f])).name, int(d.orders.target[run, f])


def with_commanders(data, *commanders):
    data["commanders"] = [
        {"id": c, "name": c.title(), "side": side, "rank": "General", "source": "test", **kw}
        for c, side, kw in commanders
    ]
    return data


def test_what_a_commanders_loss_costs_comes_from_the_rules_and_his_events():
    data = with_commanders(
        line_scenario(4, forces=[force("a1", "a", 1000, "p0", commander="chief")]),
        ("chief", "a", {"head_of_state": True}),
        ("aide", "a", {}),
    )
    event = {"id": "e", "name": "E", "text": "He falls.", "source": "test"}
    data["events"] = [
        {**event, "when": {"commander_dead": "chief"}, "effects": [
            {"war_will": {"side": "a", "delta": -0.2}},
            {"war_will": {"side": "b", "delta": 0.05}},
            {"cohesion": {"side": "a", "delta": -0.3}},
        ]},
        {**event, "id": "off", "enabled": False, "when": {"commander_lost": "chief"},
         "effects": [{"war_will": {"side": "a", "delta": -0.5}}]},
    ]  # fmt: skip
    scn = compiled(data)
    stakes = commander_stakes(scn)
    rule = scn.rules.war_will.commander_lost
    chief, aide = scn.commander_index["chief"], scn.commander_index["aide"]
    # The rules' loss of a head of state, his side's loss and the enemy's gain.
    head = scn.rules.war_will.head_of_state_lost
    assert head > 0
    assert np.isclose(stakes.will[chief], rule + head + 0.25)
    assert np.isclose(stakes.cohesion[chief], 0.3)
    assert np.isclose(stakes.will[aide], rule) and stakes.cohesion[aide] == 0.0


def test_detached_forces_concentrate_on_the_main_body_and_say_against_whom():
    data = line_scenario(
        10,
        forces=[
            force("main", "a", 3000, "p2"),
            force("det", "a", 400, "p0"),
            force("enemy", "b", 2500, "p7"),
        ],
    )
    scn = compiled(data)
    d = decide(scn)
    kind, target = order(scn, d, "det")
    assert (kind, target) == ("MARCH", 2)
    text = next(e.text for e in d.explanations if e.force == scn.force_index["det"])
    assert re.match(r"^concentrate at Province 2 with the main body \([\d,]+ men\)", text), text
    # The enemy is not seen: presumed where it was, at four-fifths of its strength.
    assert re.search(r": the enemy's ~2,000 are (a|two|three|\d+) marche?s? off$", text), text


def test_a_head_of_state_is_kept_out_of_a_battle_that_decides_nothing():
    # The enemy's main army is far to the east; a small post lies next to the head of
    # state's army.  The post is struck, but by the others: the chief is not needed.
    data = with_commanders(
        line_scenario(
            10,
            forces=[
                force("chief_army", "a", 2500, "p3", commander="chief"),
                force("column", "a", 1200, "p3"),
                force("post", "b", 150, "p4"),
                force("enemy", "b", 4000, "p9"),
            ],
            provinces={4: {"value": 5}},
        ),
        ("chief", "a", {"head_of_state": True, "exposure": 3.0}),
    )
    scn = compiled(data)
    d = decide(scn)
    assert order(scn, d, "column") == ("ATTACK", 4)
    assert order(scn, d, "chief_army")[0] != "ATTACK"


def test_the_enemys_main_army_is_the_largest_mass_seen_or_believed():
    scn = compiled(
        line_scenario(
            6,
            forces=[
                force("a1", "a", 1000, "p2"),
                force("b_small", "b", 300, "p3"),
                force("b_big", "b", 2000, "p3"),
                force("b_far", "b", 500, "p5"),
            ],
        )
    )
    st = initial_state(scn, 1, 0)
    sit = situation(scn, observe(scn, st, 0))
    ops = appraise(sit, Personality(), np.zeros(1, np.uint64)).ops
    assert ops.foe_main_at[0] == 3
    assert ops.decisive[0, 3] and not ops.decisive[0, 2]


def test_irregulars_alone_do_not_raid_on_fair_odds():
    scn = compiled(
        line_scenario(
            4,
            forces=[
                force("band", "a", 300, "p1", kind="montoneros"),
                force("post", "b", 260, "p2", kind="militia"),
            ],
        )
    )
    assert order(scn, decide(scn), "band")[0] != "ATTACK"


def _code_words(path: Path) -> set[str]:
    """Return the names and string constants of a module's code (docstrings left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            out.add(node.id.lower())
        elif isinstance(node, ast.Attribute):
            out.add(node.attr.lower())
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
        ):
            out.update(re.findall(r"\w+", node.value.lower()))
    return out


def test_the_ai_names_no_province_commander_or_side_of_any_scenario():
    """The AI plays any war: no place, general or side of a bundled war is in its code."""
    scn = load_scenario(MAIN)
    ids = {*scn.province_ids, *scn.commander_ids, *scn.side_ids}
    names = {p.name for p in scn.model.map.provinces} | {c.name for c in scn.model.commanders}
    words = {w.lower() for name in ids | names for w in re.findall(r"\w+", name) if len(w) > 3}
    assert {"gamarra", "puno", "bolivia"} <= words
    for path in AI.glob("*.py"):
        found = words & _code_words(path)
        assert not found, f"{path.name} names {sorted(found)}"


def test_a_war_slipping_away_grows_urgent_only_near_its_end_and_only_for_the_side_not_winning():
    scn = compiled(
        line_scenario(
            6,
            forces=[force("a1", "a", 1000, "p1"), force("b1", "b", 1000, "p4")],
            weeks=30,
        )
    )
    st = initial_state(scn, 1, 0)
    sit = situation(scn, observe(scn, st, 0))
    ops = appraise(sit, Personality(), np.zeros(1, np.uint64)).ops
    assert ops.urgency[0] == 0.0  # thirty weeks to go
    st.turn = scn.n_turns - 2
    for side in (0, 1):
        sit = situation(scn, observe(scn, st, side))
        ops = appraise(sit, Personality(), np.zeros(1, np.uint64)).ops
        assert 0.0 < ops.urgency[0] <= 1.0  # a draw is no side's win: both press


def test_the_places_a_sides_own_aims_name_are_worth_taking_whoever_comes_after():
    data = line_scenario(
        6,
        forces=[force("a1", "a", 500, "p1"), force("b_big", "b", 5000, "p4")],
    )
    data["sides"][0]["war_aims"] = {"summary": "Take p3.", "objectives": ["p3"]}
    scn = compiled(data)
    st = initial_state(scn, 1, 0)
    sit = situation(scn, observe(scn, st, 0))
    ops = appraise(sit, Personality(), np.zeros(1, np.uint64)).ops
    assert ops.sphere[0, 3] == 1.0  # an aim: taken, whoever's army is nearer
    assert ops.sphere[0, 4] < 0.5  # the enemy's great army stands there


def _band_by_a_town(enemy_at, gain=True):
    # a's army at its capital p0, a band of 300 next to b's town p6, and b's column of
    # 900 somewhere east: what taking the town is worth to the band.  a already holds a
    # gain (b's town p9, with men in it).
    data = line_scenario(
        12,
        days=7.0,
        forces=[
            force("a_main", "a", 3000, "p0"),
            force("band", "a", 300, "p5"),
            *([force("a_hold", "a", 200, "p9")] if gain else []),
            force("b_col", "b", 900, enemy_at),
        ],
        provinces={9: {"owner": "a"}} if gain else None,
        peace={"talks_turns": 6},
    )
    scn = compiled(data)
    st = initial_state(scn, 1, 0)
    sit = situation(scn, observe(scn, st, 0))
    ap = appraise(sit, Personality(), np.zeros(1, np.uint64))
    d = Draft.start(sit, notes=False)
    band = scn.force_index["band"]
    o = options(ap, d, band, np.zeros(1, np.int64), move_costs(ap, d))
    power = 300 * sit.eff[0, band]
    return ap.ops.relief_foe[0, 6] / power, o.v_take[0, 6] / ap.worth[0, 6]


def test_a_band_does_not_take_a_town_it_cannot_keep_against_what_comes_before_relief():
    # b's column is a march from the town, a's army four: the column would come first,
    # and the band keeps the town only as often as 300 beat 900 (a logistic in the log
    # of their ratio), with or without the men an outcome needs there (half as much).
    ratio, near = _band_by_a_town("p7")
    assert ratio > 2
    assert 0 < near <= 1.5 / (1.0 + ratio**SPHERE_MEN)
    # Far off (beyond two marches of the town), it cannot come before the town is
    # relieved: what is left is the few men presumed to hold a town nobody watches.
    ratio, far = _band_by_a_town("p11")
    assert ratio < 0.1
    assert far > 0


def test_a_side_with_no_gain_yet_takes_its_first_where_it_can():
    # The same band and column, and a holding nothing of b's: a first conquest is worth
    # taking at the risk (any peace needs one).
    _, capped = _band_by_a_town("p7")
    ratio, near = _band_by_a_town("p7", gain=False)
    assert ratio > 2
    assert near > 2 * capped


def _garrison_facing(enemy_men, objective=False):
    # a's army at its capital p0, a garrison of 300 in a's town p4, b's column a march
    # east of it, and a's army four marches off: nothing can come to help in time.
    data = line_scenario(
        10,
        days=7.0,
        forces=[
            force("a_main", "a", 3000, "p0"),
            force("gar", "a", 300, "p4"),
            force("b_col", "b", enemy_men, "p5"),
        ],
    )
    if objective:
        data["sides"][0]["war_aims"] = {"summary": "Hold p4.", "objectives": ["p4"]}
    scn = compiled(data)
    d = decide(scn)
    text = next((e.text for e in d.explanations if e.force == scn.force_index["gar"]), "")
    return order(scn, d, "gar"), text


def test_a_garrison_that_cannot_resist_what_comes_before_help_falls_back_to_the_army():
    (kind, target), text = _garrison_facing(1200)
    assert (kind, target) == ("MARCH", 0)
    assert re.match(
        r"^fall back to Province 0 with the main body: ~1,\d00 \w+ troops can reach "
        r"Province 4 before help, \d+% to hold it with 300$",
        text,
    ), text
    # A column it can meet stays where it is (the movement pass's to weigh).
    (kind, _), text = _garrison_facing(150)
    assert not text.startswith("fall back"), text
