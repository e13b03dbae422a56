"""Scenario conditions, compiled: each test of the condition language on states set by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np

from game.codes import CommanderState, ForceStatus
from game.engine.conditions import holds
from game.engine.events import evaluate
from game.engine.state import initial_state
from game.scenario.load import load_scenario
from game.scenario.schema import Condition
from tests.engine_helpers import TINY

SCN = load_scenario(TINY)  # north: nordby, fjell; south: dal, sudby, havn; a turn is 7 days


def state(runs: int = 3):
    return initial_state(SCN, runs, 1)


def check(cond: dict, expected: list[bool], st=None, turn: int = 0) -> None:
    st = state() if st is None else st
    got = evaluate(SCN, st, Condition.model_validate(cond), turn)
    assert got.tolist() == expected, cond


def test_dates_count_whole_turns_from_the_start():
    day = SCN.start + dt.timedelta(days=15)  # within turn 2
    for turn, after, before in ((1, False, True), (2, True, True), (3, True, False)):
        check({"after": day}, [after] * 3, turn=turn)
        check({"before": day}, [before] * 3, turn=turn)


def test_control_occupation_and_holds_read_each_run():
    st = state()
    p, q = SCN.province_index["dal"], SCN.province_index["sudby"]
    st.owner[0, p] = 0
    st.owner[1, [p, q]] = 0
    st.held_since[1, p] = 2
    check({"controls": {"side": "north", "province": "dal"}}, [True, True, False], st)
    check({"occupied": {"province": "dal", "by": "north", "turns": 3}}, [True, False, False], st, 4)
    check({"occupied": {"province": "nordby", "by": "north"}}, [False] * 3, st)  # its own home
    # A province named twice counts twice.
    held = {"side": "north", "provinces": ["dal", "dal", "sudby"], "at_least": 2}
    check({"holds": held}, [True, True, False], st)
    check({"holds": {**held, "at_least": 3}}, [False, True, False], st)


def test_wills_compare_in_float32_as_numpy_does():
    st = state()
    st.will[:, 1] = np.float32(0.3)  # rounds below 0.3 in float64, equal in float32
    check({"war_will_below": {"side": "south", "value": 0.3}}, [False] * 3, st)
    st.will[2, 1] = np.nextafter(np.float32(0.3), np.float32(0))
    check({"war_will_below": {"side": "south", "value": 0.3}}, [False, False, True], st)


def test_forces_commanders_and_battles():
    st = state()
    f, g = SCN.force_index["south_army"], SCN.force_index["south_levy"]
    where = SCN.province_ids[int(st.loc[0, f])]
    st.status[1, f] = ForceStatus.GONE
    st.nxt[2, f] = SCN.province_index["fjell"]
    st.cmd_state[0, SCN.commander_index["sol"]] = CommanderState.CAPTURED
    st.cmd_state[1, SCN.commander_index["sol"]] = CommanderState.KILLED
    st.last_battle[2, SCN.province_index["fjell"]] = 0
    check({"force_destroyed": "south_army"}, [False, True, False], st)
    check({"force_at": {"force": "south_army", "province": where}}, [True, False, False], st)
    check({"commander_lost": "sol"}, [True, True, False], st)
    check({"commander_dead": "sol"}, [False, True, False], st)
    check({"commander_captured": "sol"}, [True, False, False], st)
    check({"battle": {"winner": "north"}}, [False, False, True], st)
    check({"battle": {"loser": "north"}}, [False, False, False], st)
    check({"battle": {"province": "dal"}}, [False, False, False], st)
    men = int(st.men[0, f])  # the levy is still waiting to arrive
    assert st.status[0, g] == ForceStatus.WAITING
    counted = {"side": "south", "provinces": [where], "at_least": men}
    # A force on the road counts where it stands until it arrives.
    check({"forces_in": counted}, [True, False, True], st)
    check({"forces_in": {**counted, "at_least": men + 1}}, [False, False, False], st)


def test_combinations_and_many_conditions_in_one_call():
    st = state()
    st.talks[1] = 0
    talks = {"talks_open": True}
    lost = {"commander_lost": "ulf"}
    st.cmd_state[2, SCN.commander_index["ulf"]] = CommanderState.KILLED
    check({"any": [talks, lost]}, [False, True, True], st)
    check({"all": [talks, {"not": lost}]}, [False, True, False], st)
    check({"some_of": {"count": 2, "of": [talks, lost, {"not": talks}]}}, [False, False, True], st)
    check({"all": []}, [True] * 3, st)
    check({"any": []}, [False] * 3, st)
    conds = [Condition.model_validate(c) for c in (talks, lost, {"not": lost})]
    together = holds(SCN, st, [*conds, None], 0)
    assert together.tolist() == [
        [False, False, True, False],
        [True, False, True, False],
        [False, True, False, False],
    ]
    # A run's answers do not depend on the batch it is in.
    assert holds(SCN, st.select([2]), conds, 0).tolist() == [together[2, :3].tolist()]
