"""A blockade closes a side's ports: they stop supplying it, for the engine and the AI."""

from __future__ import annotations

import copy

import numpy as np
from engine_helpers import compiled, force, line_scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from game.engine.orders import Orders
from game.engine.phases.supply import supply_distance
from game.engine.state import initial_state
from game.engine.turn import step
from game.scenario.checks import check
from game.scenario.schema import Scenario


def _port_war(chance: float = 1.0, enabled: bool = True) -> dict:
    """a holds p0..p3, p3 a port 15 days from a's capital; a's garrison stands in p3."""
    data = line_scenario(8, days=5.0, forces=[force("fa", "a", 1000, "p3")])
    data["map"]["provinces"][3]["supply_source"] = True
    data["events"] = [
        {
            "id": "fleet",
            "name": "The fleet",
            "text": "Warships off the port.",
            "date": "1900-01-01",
            "chance": chance,
            "enabled": enabled,
            "effects": [{"blockade": {"side": "a", "provinces": ["p3"]}}],
            "source": "test",
        }
    ]
    return data


def _week(data: dict, runs: int = 1, seed: int = 0):
    scn = compiled(data)
    st = initial_state(scn, runs, seed=seed)
    st, _ = step(scn, st, Orders.empty(runs, scn.F, scn.S))
    return scn, st


def test_a_blockaded_port_no_longer_supplies_its_garrison():
    scn, st = _week(_port_war())
    assert st.fired[0, 0]
    assert not st.supplied[0, scn.force_index["fa"]]
    scn, st = _week(_port_war(enabled=False))
    assert st.supplied[0, scn.force_index["fa"]]


def test_a_blockaded_garrison_starves_and_loses_men_faster():
    def men_after(enabled: bool) -> int:
        scn = compiled(_port_war(enabled=enabled))
        st = initial_state(scn, 1)
        for _ in range(6):
            st, _ = step(scn, st, Orders.empty(1, scn.F, scn.S))
        return int(st.men[0, scn.force_index["fa"]])

    assert men_after(True) < men_after(False)


def test_the_ai_sees_the_blockade_in_its_supply_distances():
    scn, st = _week(_port_war())
    a = scn.side_index["a"]
    p3 = scn.province_index["p3"]
    assert supply_distance(scn, st.owner, a)[0, p3] == 0.0  # without the news
    assert supply_distance(scn, st.owner, a, st.fired)[0, p3] == 15.0  # from the capital


def test_a_blockade_must_close_a_port():
    data = _port_war()
    data["events"][0]["effects"][0]["blockade"]["provinces"] = ["p2"]
    problems = check(Scenario.model_validate(copy.deepcopy(data)))
    assert any("supplies no one" in str(p) for p in problems)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st_.integers(0, 2**32))
def test_each_run_keeps_its_own_blockade_in_a_batch(seed):
    # Half the runs see the fleet: a run gives the same supply alone as in the batch.
    data = _port_war(chance=0.5)
    scn, batch = _week(data, runs=8, seed=seed)
    fa = scn.force_index["fa"]
    assert (batch.supplied[:, fa] == ~batch.fired[:, 0]).all()
    for r in range(8):
        st = initial_state(scn, np.array([r]), seed=seed)
        st, _ = step(scn, st, Orders.empty(1, scn.F, scn.S))
        assert st.supplied[0, fa] == batch.supplied[r, fa]
