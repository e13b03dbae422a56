"""What the scenario format gained for authors of other wars: each new key, end to end.

Every addition is checked for its messages (``FILE:LINE:COL`` with a hint), for leaving
existing scenarios' content hashes alone when unused, and for what it does in the engine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from engine_helpers import TINY, compiled, force, line_scenario, random_orders
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.codes import NONE, CommanderState, ForceStatus, OrderKind
from game.engine.chronicle import chronicle
from game.engine.orders import Orders, Refusal, check
from game.engine.state import accounted, initial_state
from game.engine.turn import step
from game.errors import ScenarioError
from game.history.record import engagements, entries, killed_in_history, prelude
from game.scenario.compile import scenario_hash
from game.scenario.fitted import fitted_targets
from game.scenario.load import load_model, load_scenario
from game.scenario.schema import ADDED_FIELDS


def overlay(tmp_path: Path, body: str, name: str = "what_if.yaml") -> Path:
    """Write an overlay of the tiny war next to a copy of it; return its path."""
    if not (tmp_path / "tiny.yaml").exists():
        shutil.copy(TINY, tmp_path / "tiny.yaml")
    path = tmp_path / name
    path.write_text(
        "extends: tiny.yaml\n"
        "overlay: {id: grown@1.0, title: Grown, description: The format grown.}\n" + body,
        encoding="utf-8",
    )
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    return [p.format() for p in err.value.problems]


def _hash_without(data: object) -> str:
    """The content hash as the format computed it before it grew: no added key at all."""
    import hashlib
    import json

    def drop(o: object) -> object:
        if isinstance(o, dict):
            return {k: drop(v) for k, v in o.items() if k not in ADDED_FIELDS}
        if isinstance(o, list):
            return [drop(v) for v in o]
        return o

    text = json.dumps(drop(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_unused_additions_leave_the_content_hash_alone() -> None:
    """Saves and studies of a scenario that uses none of the added keys stay valid."""
    model = load_model(TINY)  # the tiny war without the keys it uses (evidence, outcome)
    model = model.model_copy(
        update={
            "commanders": [c.model_copy(update={"evidence": []}) for c in model.commanders],
            "history": model.history.model_copy(update={"outcome": None}),
        }
    )
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    assert scenario_hash(model) == _hash_without(data)
    assert scenario_hash(load_model(TINY)) != scenario_hash(model), "used keys count"


def test_calibrated_to_lists_fitted_values_by_their_set_path(tmp_path: Path) -> None:
    path = overlay(
        tmp_path,
        "sides:\n"
        "  - {id: north, war_will: 0.65, calibrated_to: {war_will: [peace, end_date]}}\n"
        "forces:\n"
        "  - {id: north_army, calibrated_to: {men: [battle_of_dal]}}\n"
        "rules:\n"
        "  war_will: {weariness: 0.005, calibrated_to: {weariness: [end_date]}}\n",
    )
    got = fitted_targets(load_model(path))
    assert got == {
        "peace": ["sides.north.war_will"],
        "end_date": ["sides.north.war_will", "rules.war_will.weariness"],
        "battle_of_dal": ["forces.north_army.men"],
    }
    assert load_scenario(path).hash != load_scenario(TINY).hash  # declared: it is content


def test_calibrated_to_names_real_keys_and_targets(tmp_path: Path) -> None:
    path = overlay(
        tmp_path,
        "sides:\n"
        "  - id: north\n"
        "    calibrated_to: {war_wil: [peace], ai.agression: [outcome], ai.min_odds: [battle_of_dall]}\n",
    )
    found = problems(path)
    assert any(
        ":5:21: error:" in p and "'war_wil' is not a key" in p and "did you mean 'war_will'?" in p
        for p in found
    ), found
    assert any("'ai.agression'" in p and "did you mean 'aggression'?" in p for p in found)
    assert any(
        "unknown fitting target 'battle_of_dall'" in p and "did you mean 'battle_of_dal'?" in p
        for p in found
    )


# ----------------------------------------------------------------------------- engine helpers


def _orders(scn, st, **by_force):
    """force id -> (kind, target id): a province, or for a join the force it joins."""
    o = Orders.empty(st.runs, scn.F, scn.S)
    for fid, (kind, target) in by_force.items():
        f = scn.force_index[fid]
        o.kind[:, f] = kind
        if target is None:
            o.target[:, f] = NONE
        elif kind == OrderKind.JOIN:
            o.target[:, f] = scn.force_index[target]
        else:
            o.target[:, f] = scn.province_index[target]
    return o


def _play(scn, st, turns, **by_force):
    reports = []
    for t in range(turns):
        orders = _orders(scn, st, **by_force) if t == 0 else Orders.empty(st.runs, scn.F, scn.S)
        st, rep = step(scn, st, orders)
        reports.append(rep)
    return st, reports


# ----------------------------------------------------------------------------- prelude


def test_prelude_entries_come_before_the_war_and_are_never_measured(tmp_path: Path) -> None:
    path = overlay(
        tmp_path,
        "history:\n"
        "  record:\n"
        "    - {id: ultimatum, date: 1850-02-10, kind: event, title: The ultimatum,\n"
        "       prelude: true, source: example}\n"
        "    - {id: skirmish, date: 1850-02-20, kind: battle, title: A border skirmish,\n"
        "       place: dal, prelude: true, source: example}\n",
    )
    scn = load_scenario(path)
    assert [r.id for r in prelude(scn)] == ["ultimatum", "skirmish"]
    assert "skirmish" not in [b.id for b in engagements(scn)]  # no battle before turn 1
    assert all(not r.prelude for r in entries(scn))
    assert scn.hash != load_scenario(TINY).hash


def test_record_entries_before_the_start_must_say_they_are_prelude(tmp_path: Path) -> None:
    path = overlay(
        tmp_path,
        "history:\n"
        "  record:\n"
        "    - {id: early, date: 1850-02-10, kind: event, title: Too early, source: example}\n"
        "    - {id: late, date: 1850-03-10, kind: event, title: Not before, prelude: true,\n"
        "       source: example}\n",
    )
    found = problems(path)
    assert any(
        ":5:25: error:" in p and "lies before the war" in p and "prelude: true" in p for p in found
    ), found
    assert any("a prelude entry comes before the war" in p for p in found)


# ----------------------------------------------------------------------------- executed


def test_a_captured_commander_can_be_executed_by_an_event() -> None:
    data = line_scenario(
        4,
        forces=[force("a1", "a", 500, "p1", commander="ca"), force("b1", "b", 500, "p3")],
        events=[
            {
                "id": "execution",
                "name": "Execution",
                "text": "The prisoner is shot.",
                "when": {"commander_captured": "ca"},
                "effects": [{"remove_commander": {"commander": "ca", "fate": "executed"}}],
                "source": "test",
            }
        ],
    )
    data["commanders"] = [
        {
            "id": "ca",
            "name": "General A",
            "side": "a",
            "rank": "General",
            "source": "test",
            "fate": {"kind": "executed", "date": "1900-01-20", "source": "test"},
        }
    ]
    scn = compiled(data)
    c = scn.commander_index["ca"]
    st = initial_state(scn, 2)
    st.cmd_state[1, c] = CommanderState.CAPTURED  # run 1: taken in a battle already
    st.commander[1, 0] = NONE
    st, reps = _play(scn, st, 1)
    assert st.cmd_state[:, c].tolist() == [CommanderState.ACTIVE, CommanderState.KILLED]
    entries_ = chronicle(scn, reps[0], 1)
    assert any(e.kind == "commander" and "General A is executed" in e.text for e in entries_)
    assert killed_in_history(scn) == ["ca"]


# ----------------------------------------------------------------------------- join


def _with_commander(data):
    data["commanders"] = [
        {
            "id": "ca",
            "name": "A",
            "side": "a",
            "rank": "General",
            "leadership": 0.5,
            "source": "test",
        }
    ]
    return data


def test_a_join_marches_to_the_other_force_and_merges_into_it() -> None:
    data = _with_commander(
        line_scenario(
            5,
            days=2.0,
            forces=[
                force("main", "a", 2000, "p1", commander="ca"),
                force("van", "a", 600, "p0"),
                force("far", "b", 800, "p4"),
            ],
        )
    )
    scn = compiled(data)
    st = initial_state(scn, 1)
    st.cohesion[0, scn.force_index["van"]] = 0.2
    st.cohesion[0, scn.force_index["main"]] = 0.5
    st, reps = _play(scn, st, 1, van=(OrderKind.JOIN, "main"))
    van, main = scn.force_index["van"], scn.force_index["main"]
    assert st.status[0, van] == ForceStatus.JOINED and st.men[0, van] == 0
    assert st.men[0, main] + st.deserted[0, 0] == 2600  # every man of both, less attrition
    # (2000 x 0.5 + 600 x 0.2) / 2600 = 0.43 at the merge, then a week's rest in supply
    assert st.cohesion[0, main] == pytest.approx(0.43 + 0.15, abs=0.01)
    assert st.commander[0, main] == scn.commander_index["ca"]
    joined = [e for e in chronicle(scn, reps[0], 0) if e.kind == "join"]
    assert joined and joined[0].text.startswith("Van (600 men) joins Main at Province 1")
    assert (accounted(scn, st) == st.arrived).all()


def test_a_join_follows_a_marching_force_and_lapses_if_it_is_gone() -> None:
    data = line_scenario(
        5,
        days=2.0,
        forces=[
            force("main", "a", 2000, "p1"),
            force("van", "a", 600, "p0"),
            force("far", "b", 800, "p4"),
        ],
    )
    scn = compiled(data)
    st = initial_state(scn, 1)
    st, _ = step(
        scn, st, _orders(scn, st, van=(OrderKind.JOIN, "main"), main=(OrderKind.MARCH, "p2"))
    )
    van, main = scn.force_index["van"], scn.force_index["main"]
    # main went on to p2; the van followed it there and merged within the turn (2-day links)
    assert st.status[0, van] == ForceStatus.JOINED and st.loc[0, main] == 2
    st2 = initial_state(scn, 1)
    st2.status[0, main] = ForceStatus.GONE
    o = _orders(scn, st2, van=(OrderKind.JOIN, "main"))
    assert check(scn, st2, 0, o)[0, van] == Refusal.JOIN_ABSENT


def test_illegal_joins_are_refused_with_their_reason() -> None:
    data = line_scenario(
        5,
        forces=[
            force("main", "a", 2000, "p1"),
            force("van", "a", 600, "p0"),
            force("far", "b", 800, "p4"),
        ],
    )
    scn = compiled(data)
    st = initial_state(scn, 1)
    van = scn.force_index["van"]
    assert (
        check(scn, st, 0, _orders(scn, st, van=(OrderKind.JOIN, "van")))[0, van]
        == Refusal.JOIN_ITSELF
    )
    assert (
        check(scn, st, 0, _orders(scn, st, van=(OrderKind.JOIN, "far")))[0, van]
        == Refusal.JOIN_STRANGER
    )
    assert check(scn, st, 0, _orders(scn, st, van=(OrderKind.JOIN, "main")))[0, van] == Refusal.OK


def test_join_orders_in_the_file_name_a_force_of_the_same_side(tmp_path: Path) -> None:
    path = overlay(
        tmp_path,
        "history:\n"
        "  orders:\n"
        "    - {date: 1850-03-15, force: north_horse, order: join, with: south_army, source: example}\n"
        "    - {date: 1850-03-22, force: south_army, order: join, to: sudby, source: example}\n",
    )
    found = problems(path)
    assert any(
        "what_if.yaml:5:65: error: history.orders[5].with:" in p and "the other side" in p
        for p in found
    ), found
    assert any("a join order needs 'with'" in p for p in found)
    assert any("takes no 'to'" in p and "with 'with'" in p for p in found)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 6))
def test_joins_never_create_or_lose_men(seed: int, turns: int) -> None:
    """Random legal orders with joins mixed in: every man is still accounted for."""
    scn = compiled(
        line_scenario(
            5,
            days=2.0,
            forces=[
                force("a1", "a", 900, "p0"),
                force("a2", "a", 700, "p1"),
                force("a3", "a", 500, "p0"),
                force("b1", "b", 1200, "p4"),
                force("b2", "b", 400, "p3"),
            ],
        )
    )
    state = initial_state(scn, 4, seed)
    for t in range(turns):
        o = random_orders(scn, state, seed + t)
        keys = rng.derive(rng.root_key(seed, rng.Stream.TEST, state.run_ids), t)
        joiner = rng.integers(3, keys, 1).astype(np.int64)  # one of the three forces of a
        host = (joiner + 1 + rng.integers(2, keys, 2)) % 3  # joins another of them
        rows = np.arange(state.runs)
        o.kind[rows, joiner] = OrderKind.JOIN
        o.target[rows, joiner] = host
        state, _ = step(scn, state, o)
        assert (accounted(scn, state) == state.arrived).all()
        assert (state.men >= 0).all()
        joined = state.status == ForceStatus.JOINED
        assert (state.men[joined] == 0).all()


# ----------------------------------------------------------------------------- sea lanes


def _lane(**link):
    data = line_scenario(
        5,
        days=2.0,
        forces=[force("fleet", "a", 1000, "p0"), force("army", "b", 1000, "p4")],
        weeks=6,
    )
    data["map"]["links"].append(
        {"from": "p0", "to": "p4", "days": 3, "crossing": "sea", "source": "test", **link}
    )
    return compiled(data)


def test_a_sea_lane_takes_its_own_days_each_way() -> None:
    scn = _lane(days_back=6)
    p0, p4 = scn.province_index["p0"], scn.province_index["p4"]
    assert scn.link_days[p0, p4] == 3 and scn.link_days[p4, p0] == 6
    state = initial_state(scn, 1)
    state.status[0, scn.force_index["army"]] = ForceStatus.GONE  # an empty sea
    state, reps = _play(scn, state, 1, fleet=(OrderKind.MARCH, "p4"))
    assert reps[0].table("arrivals_on_march")["day"].tolist() == [2]  # three days out
    state, reps = _play(scn, state, 1, fleet=(OrderKind.MARCH, "p0"))
    # six days back by sea against eight by land: the lane, arriving on the sixth day
    assert reps[0].table("arrivals_on_march")["day"].tolist() == [5]


def test_a_controlled_lane_is_closed_to_the_other_side() -> None:
    scn = _lane(controlled_by="a")
    p0, p3, p4 = (scn.province_index[p] for p in ("p0", "p3", "p4"))
    a, b = scn.side_index["a"], scn.side_index["b"]
    assert scn.side_next_hop[a, p0, p4] == p4 and scn.side_dist_days[a, p0, p4] == 3
    assert scn.side_next_hop[b, p4, p0] == p3 and scn.side_dist_days[b, p4, p0] == 8
    state = initial_state(scn, 1)
    army = scn.force_index["army"]
    retreat = _orders(scn, state, army=(OrderKind.RETREAT, "p0"))
    assert check(scn, state, b, retreat)[0, army] == Refusal.NOT_ADJACENT
    state.status[0, scn.force_index["fleet"]] = ForceStatus.GONE
    state, reps = _play(scn, state, 1, army=(OrderKind.MARCH, "p0"))
    walked = reps[0].table("arrivals_on_march")["province"].tolist()
    assert walked == [p3, 2, 1]  # by land, not by sea


def test_lane_keys_are_checked(tmp_path: Path) -> None:
    path = overlay(
        tmp_path,
        "map:\n"
        "  links:\n"
        "    - {from: havn, to: nordby, days: 4, days_back: 7, crossing: sea,\n"
        "       controlled_by: nort, source: example}\n",
    )
    found = problems(path)
    assert any("unknown side 'nort'" in p and "did you mean 'north'?" in p for p in found), found


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from([1.0, 1.5, 2.0, 3.0, 4.0, 5.0]), min_size=2, max_size=4),
    st.sampled_from(["line_infantry", "cavalry", "artillery"]),
    st.booleans(),
)
def test_a_march_takes_the_sum_of_whole_days_per_link(days, kind, forced) -> None:
    """What docs/authoring.md promises: each link takes ceil(days / pace) whole days, the
    column starts on the first day of its turn and arrives on the last of those days."""
    n = len(days) + 1
    data = line_scenario(n, forces=[force("col", "a", 1000, "p0", kind=kind)], weeks=8)
    data["map"]["links"] = [
        {"from": f"p{i}", "to": f"p{i + 1}", "days": d, "source": "test"}
        for i, d in enumerate(days)
    ]
    data["map"]["provinces"] = [dict(p, owner="a") for p in data["map"]["provinces"]]
    data["sides"][0]["home_provinces"] = [f"p{i}" for i in range(n - 1)]
    data["sides"][1]["home_provinces"] = [f"p{n - 1}"]
    data["sides"][1]["capital"] = f"p{n - 1}"
    scn = compiled(data)
    pace = scn.rules.kinds[kind].speed * (scn.rules.movement.forced_speed if forced else 1.0)
    expected = sum(int(np.ceil(d / pace - 1e-6)) for d in days)
    state = initial_state(scn, 1)
    order = OrderKind.FORCED_MARCH if forced else OrderKind.MARCH
    state, reps = _play(scn, state, 8, col=(order, f"p{n - 1}"))
    last = [
        (t, int(rep.table("arrivals_on_march")["day"][-1]))
        for t, rep in enumerate(reps)
        if rep.count("arrivals_on_march")
        and rep.table("arrivals_on_march")["province"][-1] == n - 1
    ]
    t, day = last[0]
    assert t * scn.turn_days + day + 1 == expected


# ----------------------------------------------------------------------------- allied parties


def _alliance(leave_will: float = 0.45, **extra):
    data = line_scenario(
        4,
        forces=[
            force("army", "a", 1000, "p0"),
            force("exiles", "a", 400, "p1", party="exiles_party"),
            force("enemy", "b", 1000, "p3"),
        ],
        rules={"war_will": {"weariness": 0.03}},
        **extra,
    )
    data["sides"][0]["parties"] = [
        {
            "id": "exiles_party",
            "name": "The exiles",
            "war_aims": {"summary": "Go home.", "objectives": ["p3"]},
            "war_will": 0.5,
            "leave_will": leave_will,
            "home_provinces": ["p3"],
            "source": "test",
        }
    ]
    return data


def test_a_party_leaves_when_its_will_fails_and_takes_its_forces() -> None:
    data = _alliance()
    data["events"] = [
        {
            "id": "betrayed",
            "name": "Betrayed",
            "text": "The allies are gone.",
            "when": {"party_left": "exiles_party"},
            "effects": [{"war_will": {"side": "a", "delta": -0.1}}],
            "source": "test",
        }
    ]
    scn = compiled(data)
    q, ex = scn.party_index["exiles_party"], scn.force_index["exiles"]
    state = initial_state(scn, 3)
    will = []
    for _ in range(4):
        state, rep = step(scn, state, Orders.empty(3, scn.F, scn.S))
        will.append(float(state.party_will[0, q]))
        if rep.count("alliance"):
            left = rep
    # weariness 0.03 a week; p3, the whole of its home, held by the enemy: 0.04 a week; and
    # 0.5 for losing all of its 400 men, in proportion (a deserter or two)
    assert will[0] == pytest.approx(0.5 - 0.03 - 0.04, abs=3e-3) and will[0] < 0.43
    assert state.party_left[:, q].all()
    assert (state.status[:, ex] == ForceStatus.WITHDRAWN).all() and (state.men[:, ex] == 0).all()
    assert (accounted(scn, state) == state.arrived).all()
    assert state.arrived[0, 0] < 1400  # the exiles' men left the side's count
    text = [e.text for e in chronicle(scn, left, 0) if e.kind == "alliance"]
    assert text and text[0].startswith("The exiles leave the war beside Alpha")
    assert state.fired[:, scn.event_index["betrayed"]].all()


def test_an_event_can_send_a_party_home() -> None:
    data = _alliance(leave_will=0.0)
    data["events"] = [
        {
            "id": "recalled",
            "name": "Recalled",
            "text": "Their government recalls them.",
            "date": data["meta"]["start"],
            "effects": [{"leave_alliance": "exiles_party"}],
            "source": "test",
        }
    ]
    scn = compiled(data)
    state, rep = step(scn, initial_state(scn, 1), Orders.empty(1, scn.F, scn.S))
    assert state.party_left[0, 0] and rep.table("alliance")["cause"].tolist() == ["event"]


def test_party_keys_are_checked(tmp_path: Path) -> None:
    path = overlay(
        tmp_path,
        "sides:\n"
        "  - id: south\n"
        "    parties:\n"
        "      - {id: volunteers, name: Volunteers, war_aims: {summary: Help., objectives: [dall]},\n"
        "         war_will: 0.2, leave_will: 0.3, source: example}\n"
        "forces:\n"
        "  - {id: north_horse, party: volunteers}\n"
        "events:\n"
        "  - {id: gone, name: Gone, text: Gone., date: 1850-04-01,\n"
        "     effects: [{leave_alliance: volunteer}], source: example}\n",
    )
    found = problems(path)
    assert any("unknown province 'dall'" in p for p in found), found
    assert any("below its leave_will" in p for p in found)
    assert any("is an ally of 'south', not of 'north'" in p for p in found)
    assert any(
        "unknown party 'volunteer'" in p and "did you mean 'volunteers'?" in p for p in found
    )


def test_supply_crosses_a_lane_for_the_side_that_commands_it() -> None:
    """One step into enemy land, by sea: in supply for the lane's side, the same by either
    of the engine's two supply searches."""
    from game.engine.phases import supply as supply_phase

    for controlled in ("a", "b"):
        scn = _lane(controlled_by=controlled)
        owner = np.asarray(scn.owner0)[None, :].repeat(2, axis=0)
        loc = np.array([[scn.province_index["p4"], scn.province_index["p4"]]] * 2)
        fast = supply_phase.forces_in_supply(scn, owner, loc)
        no_tables = {f"supply_reach_{s}": None for s in range(scn.S)}
        slow = supply_phase.forces_in_supply(
            type(scn)(**{**scn.__dict__, "extra": no_tables}), owner, loc
        )
        np.testing.assert_array_equal(fast, slow)
        fleet = scn.force_index["fleet"]
        assert fast[0, fleet] == (controlled == "a")  # p4 is one sea step from Alpha's capital
