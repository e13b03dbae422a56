"""Fair outcomes: judged on who holds what at the signing, whichever side is tested first."""

from __future__ import annotations

import numpy as np
import pytest

from game.codes import ForceStatus
from game.engine.context import new_context
from game.engine.phases.peace import end_war, held_at_end
from game.engine.state import CampaignState, initial_state
from game.paths import default_scenario
from game.scenario.compile import CompiledScenario, compile_scenario
from game.scenario.load import load_scenario


@pytest.fixture(scope="module")
def war() -> CompiledScenario:
    return load_scenario(default_scenario())


def at_war_end(
    war: CompiledScenario, stands: dict[str, str], owns: dict[str, str]
) -> CampaignState:
    """Return a one-run state with forces standing and provinces owned as given."""
    st = initial_state(war, 1, 0)
    for force, place in stands.items():
        f = war.force_index[force]
        st.status[0, f] = ForceStatus.ACTIVE
        st.loc[0, f] = war.province_index[place]
        st.nxt[0, f] = -1
        st.men[0, f] = max(int(st.men[0, f]), 300)
    for place, side in owns.items():
        st.owner[0, war.province_index[place]] = war.side_index[side]
    return st


def sign(war: CompiledScenario, st: CampaignState) -> str:
    ctx = new_context(war, st, record_moves=False)
    end_war(war, st, ctx, np.array([True]), truncated=False)
    return war.outcomes[int(st.outcome[0])].id


def test_both_sides_gaining_is_scored_as_such_whatever_the_order(war):
    stands = {"peru_gamarra": "la_paz", "bol_rojas": "arica"}
    owns = {"la_paz": "peru", "arica": "bolivia"}
    assert sign(war, at_war_end(war, stands, owns)) == "mutual_gains"
    # the same war with Bolivia's outcomes listed before Peru's
    outcomes = list(war.model.victory.outcomes)
    swapped = [o for o in outcomes if o.winner == "bolivia"] + [
        o for o in outcomes if o.winner != "bolivia"
    ]
    victory = war.model.victory.model_copy(update={"outcomes": swapped})
    other = compile_scenario(war.model.model_copy(update={"victory": victory}))
    assert sign(other, at_war_end(other, stands, owns)) == "mutual_gains"


def test_one_side_gaining_wins_and_keeps_it(war):
    st = at_war_end(war, {"bol_rojas": "arica"}, {"arica": "bolivia"})
    assert sign(war, st) == "bolivian_arica"
    assert st.owner[0, war.province_index["arica"]] == war.side_index["bolivia"], "as held"


def test_an_empty_occupied_town_goes_back_to_its_people(war):
    st = at_war_end(war, {}, {"puno": "bolivia"})
    held = held_at_end(war, st)
    assert held[0, war.province_index["puno"]] == war.side_index["peru"]
    assert sign(war, st) == "status_quo"
    assert (st.owner[0] == war.owner0).all(), "a status-quo treaty hands everything back"


def test_without_a_mutual_outcome_the_margin_decides(war):
    outcomes = [o for o in war.model.victory.outcomes if not o.mutual]
    victory = war.model.victory.model_copy(update={"outcomes": outcomes})
    plain = compile_scenario(war.model.model_copy(update={"victory": victory}))
    stands = {"peru_gamarra": "la_paz", "bol_rojas": "arica"}
    owns = {"la_paz": "peru", "arica": "bolivia"}
    assert sign(plain, at_war_end(plain, stands, owns)) == "status_quo", "even: a draw"
    more = {**stands, "peru_cavalry": "sucre", "peru_san_roman": "potosi"}
    lead = {**owns, "sucre": "peru", "potosi": "peru"}
    assert sign(plain, at_war_end(plain, more, lead)) == "peruvian_annexation"


def test_history_says_which_outcome_it_had(war):
    assert war.model.history.outcome == "status_quo"
    assert war.outcomes[war.outcome_index["status_quo"]].settles() == "status_quo"
    assert war.outcomes[war.outcome_index["mutual_gains"]].settles() == "as_held"
