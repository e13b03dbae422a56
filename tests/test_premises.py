"""Conditional orders: premises, their lapses, and how the scenario format checks them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from game.ai import make_policy
from game.ai.base import policy_keys
from game.ai.historical import lapsed_orders
from game.cli import main
from game.codes import OrderKind
from game.engine.events import evaluate
from game.engine.observe import observe
from game.engine.orders import NO_ORDER
from game.engine.state import initial_state
from game.errors import ScenarioError
from game.history.record_policies import RecordedPolicy, make_all
from game.history.replay import replay
from game.paths import default_scenario, scenarios_dir
from game.scenario.load import load_scenario
from game.scenario.overlay import load_with_overlays
from game.scenario.schema import Condition

TINY = scenarios_dir() / "examples" / "tiny.yaml"
HEADER = """extends: {base}
overlay:
  id: lapse_test@1.0
  title: Lapse test
  description: The North marches on Dal only if it has already lost there.
"""
PREMISE = """history:
  premises:
    - {id: dal_lost, name: Dal lost, when: {engagement: {id: battle_of_dal, loser: north}},
       lapsed: Dal was not lost, source: example}
  orders:
    - {date: 1850-03-08, force: north_army, order: march, to: dal, premise: dal_lost,
       source: example}
"""


def overlay(tmp_path: Path, body: str, name: str = "lapse.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER.format(base=TINY) + body, encoding="utf-8")
    return path


@pytest.fixture
def lapsing(tmp_path):
    return load_with_overlays(overlay(tmp_path, PREMISE), [], [])


def test_an_orders_premise_governs_until_its_next_order(lapsing):
    scn = lapsing
    f = scn.force_index["north_army"]
    t = scn.turn_of(dt.date(1850, 3, 8))
    q = scn.premise_index["dal_lost"]
    assert scn.hist_premise[t, f] == q
    assert scn.hist_premise[t - 1, f] == -1
    # no later order: it governs to the end
    assert (np.asarray(scn.hist_premise)[t:, f] == q).all()
    assert (np.asarray(scn.hist_block) == -1).all()


def test_a_lapsed_order_is_not_followed(lapsing):
    scn = lapsing
    north = scn.side_index["north"]
    f, horse = scn.force_index["north_army"], scn.force_index["north_horse"]
    st = initial_state(scn, 2, 1)
    st.turn = scn.turn_of(dt.date(1850, 3, 8))
    obs = observe(scn, st, north)
    assert lapsed_orders(scn, obs)[:, f].all() and not lapsed_orders(scn, obs)[:, horse].any()
    keys = policy_keys(st.seed, st.run_ids, st.turn, north)
    held = RecordedPolicy(north).decide(scn, obs, keys).orders
    assert (held.kind[:, f] == NO_ORDER).all()
    assert (held.kind[:, horse] == OrderKind.MARCH).all()
    # the premise holds once the North has lost at Dal: the order stands again
    st.rec_winner[:, scn.rec_battle_index["battle_of_dal"]] = scn.side_index["south"]
    obs = observe(scn, st, north)
    assert not lapsed_orders(scn, obs)[:, f].any()
    assert (RecordedPolicy(north).decide(scn, obs, keys).orders.kind[:, f] == OrderKind.MARCH).all()


def test_the_heuristic_commands_a_lapsed_force_and_says_why(lapsing):
    scn = lapsing
    north = scn.side_index["north"]
    st = initial_state(scn, 1, 1)
    st.turn = scn.turn_of(dt.date(1850, 3, 8))
    obs = observe(scn, st, north)
    policy = make_policy("historical", north, scn)
    notes = policy.decide(
        scn, obs, policy_keys(1, st.run_ids, st.turn, north), explain=True
    ).explanations
    army = [n.text for n in notes if n.force == scn.force_index["north_army"]]
    assert army and army[0].startswith("the record's order lapsed: Dal was not lost")


def test_the_replay_says_which_orders_lapsed(lapsing):
    ch = replay(lapsing, make_all("hold", lapsing))
    lines = [line for t in ch.turns for line in t.lapses]
    assert (
        lines[0] == "The record's orders lapsed (Dal was not lost): Army of the North (march Dal)."
    )


def test_a_block_governs_every_turn_of_its_span(tmp_path):
    body = """history:
  premises:
    - {id: never, name: Never, when: {before: 1850-01-01}, lapsed: it never happens,
       forces: [north_army, north_horse], from: 1850-03-01, until: 1850-03-20, source: example}
"""
    scn = load_with_overlays(overlay(tmp_path, body), [], [])
    block = np.asarray(scn.hist_block)
    army = scn.force_index["north_army"]
    first, last = scn.turn_of(dt.date(1850, 3, 1)), scn.turn_of(dt.date(1850, 3, 20))
    assert (block[first : last + 1, army] == 0).all()
    assert block[last + 1, army] == -1
    assert (block[:, scn.force_index["south_army"]] == -1).all()


def dump(c: Condition) -> dict:
    return c.model_dump(by_alias=True, exclude_none=True)


def test_engagement_and_count_conditions():
    war = load_scenario(default_scenario())
    st = initial_state(war, 3, 1)
    e = war.rec_battle_index["r_ingavi"]
    st.rec_winner[:, e] = [war.side_index["bolivia"], war.side_index["peru"], -1]
    won = Condition.model_validate({"engagement": {"id": "r_ingavi", "winner": "bolivia"}})
    lost = Condition.model_validate({"engagement": {"id": "r_ingavi", "loser": "bolivia"}})
    fought = Condition.model_validate({"engagement": {"id": "r_ingavi"}})
    assert list(evaluate(war, st, won, 0)) == [True, False, False]
    assert list(evaluate(war, st, lost, 0)) == [False, True, False]
    assert list(evaluate(war, st, fought, 0)) == [True, True, False]
    two = Condition.model_validate(
        {"some_of": {"count": 2, "of": [dump(won), dump(fought), {"commander_dead": "gamarra"}]}}
    )
    assert list(evaluate(war, st, two, 0)) == [True, False, False]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            PREMISE.replace("premise: dal_lost", "premise: dal_lots"),
            "unknown premise 'dal_lots' (did you mean 'dal_lost'?)",
        ),
        (
            PREMISE.replace("id: battle_of_dal, loser", "id: crossing, loser"),
            "record entry 'crossing' is 'march', not a battle",
        ),
        (
            """history:
  premises:
    - {id: a, name: A, when: {flag: f}, lapsed: nothing, forces: [north_army],
       from: 1850-03-01, until: 1850-03-20, source: example}
    - {id: b, name: B, when: {flag: f}, lapsed: nothing, forces: [north_army],
       from: 1850-03-15, until: 1850-04-20, source: example}
""",
            "force 'north_army' is already governed by the block of premise 'a'",
        ),
        (
            "forces:\n  - {id: north_army, calibrated_to: {men: [battle_of_dol.winner]}}\n",
            "unknown fitting target 'battle_of_dol.winner'",
        ),
        (
            "forces:\n  - {id: north_army, calibrated_to: {men: [crossing.winner]}}\n",
            "'crossing.winner': record entry 'crossing' is 'march', not a battle",
        ),
    ],
)
def test_mistakes_are_one_line_errors(tmp_path, capsys, body, message):
    path = overlay(tmp_path, body)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert err.splitlines()[0].startswith(str(path)) or ".yaml:" in err.splitlines()[0]


def test_a_rating_needs_evidence_from_before_the_battles_it_affects(tmp_path, capsys):
    text = TINY.read_text(encoding="utf-8").replace("date: 1849-05-01", "date: 1850-04-01")
    bad = tmp_path / "tiny.yaml"
    bad.write_text(text, encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "evidence of 1850-04-01 comes after the event it should predict (1850-03-01)" in err
    text = TINY.read_text(encoding="utf-8").replace("leadership: 0.0,", "leadership: 1.0,")
    bad.write_text(text, encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    assert "leadership 1 of 'sol' rests on no evidence" in capsys.readouterr().err


def test_a_what_if_may_change_a_rating_without_evidence(tmp_path):
    path = overlay(tmp_path, "commanders:\n  - {id: sol, leadership: 1.5}\n")
    scn = load_with_overlays(path, [], [])
    assert scn.leadership[scn.commander_index["sol"]] == 1.5
    scn = load_with_overlays(TINY, [], ["commanders.sol.leadership=1.5"])
    assert scn.leadership[scn.commander_index["sol"]] == 1.5
    # an overlay still answers for a wrong evidence date it writes itself
    bad = overlay(
        tmp_path,
        "commanders:\n  - {id: sol, evidence: [{ratings: [leadership], date: 1851-01-01, "
        "source: example, note: late}]}\n",
        "late.yaml",
    )
    with pytest.raises(ScenarioError, match="comes after the event"):
        load_with_overlays(bad, [], [])
