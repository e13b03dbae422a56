"""The interface's model without a window: seats, orders, fog, texts, scenario list."""

from __future__ import annotations

import pytest
from test_ui_support import TINY, ScriptedPolicy

from game.codes import OrderKind
from game.errors import IllegalOrderError, UsageError
from game.game import Game, ScenarioSource
from game.scenario.load import load_scenario
from game.ui import ai_levels as pol
from game.ui import catalogue, describe
from game.ui.launch import new_session
from game.ui.session import Seats, Session


def hold(name, side, scn, difficulty):
    return ScriptedPolicy(side)


@pytest.fixture
def session(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    return new_session(ScenarioSource(str(TINY)), "north", "normal", None, hold)


def test_seats_round_trip_through_json():
    seats = Seats((1, 0), "hard")
    assert Seats.from_json(seats.to_json(), 2) == seats
    assert Seats.from_json({"humans": [5]}, 2) is None
    assert Seats.from_json("junk", 2) is None


def test_destinations_and_the_order_a_click_means(session):
    scn = session.scn
    army = scn.force_index["north_army"]
    dests = session.destinations(army)
    assert scn.province_index["fjell"] in dests
    assert scn.province_index["nordby"] not in dests or dests[scn.province_index["nordby"]] == (
        OrderKind.ATTACK,
    )
    assert session.natural_order(army, scn.province_index["fjell"]) == OrderKind.MARCH
    assert session.destinations(scn.force_index["south_army"]) == {}, "not the viewer's force"
    with pytest.raises(IllegalOrderError):
        session.give(scn.force_index["south_army"], OrderKind.MARCH, scn.province_index["dal"])


def test_fog_hides_enemy_marches_from_the_chronicle(session):
    scn = session.scn
    south = Session(
        Game(scn, 3),
        Seats((0,)),
        lambda n, s, c, d: ScriptedPolicy(s, ((0, "south_army", OrderKind.MARCH, "havn"),)),
        None,
    )
    record = south.resolve()
    texts = [e.text for e in south.visible_entries(record)]
    marching = [
        e for e in record.entries if e.kind == "march" and e.figures.get("force") == "south_army"
    ]
    assert marching, "the engine recorded Southland's march"
    assert not any("Southern Army" in t and "march" in t for t in texts), (
        "but Northland did not see it"
    )


def test_luck_words_follow_the_odds():
    assert describe.luck_words(0.1, True) == "a rare stroke of fortune"
    assert describe.luck_words(0.9, True) == "the expected result"
    assert describe.luck_words(0.9, False) == "a disaster few would have foreseen"
    assert describe.luck_words(0.35, True) == "against the odds"


def test_history_panel_reads_the_record(session):
    now, nxt = describe.history_near(session)
    assert [e.id for e in now] == ["crossing"]
    assert nxt is not None and nxt.id == "battle_of_dal"


def test_unknown_ai_level_is_a_usage_error():
    scn = load_scenario(TINY)
    with pytest.raises(UsageError, match="no AI level"):
        pol.make("godlike", 0, scn, hold)
    assert isinstance(pol.make("easy", 0, scn, hold), ScriptedPolicy)


def test_catalogue_lists_what_ifs_with_their_base_sides(tmp_path, monkeypatch):
    root = tmp_path / "scenarios"
    (root / "counterfactuals").mkdir(parents=True)
    (root / "examples").mkdir()
    (root / "examples" / "tiny.yaml").write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "counterfactuals" / "bold_north.yaml").write_text(
        "extends: ../examples/tiny.yaml\n"
        "overlay:\n  id: bold_north@1.0\n  title: A bolder North\n  description: What if the North came in strength?\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogue, "scenarios_dir", lambda: root)
    monkeypatch.setattr(catalogue, "default_scenario", lambda: root / "missing.yaml")
    found = catalogue.choices()
    assert [(c.kind, c.title) for c in found] == [
        ("what-if", "A bolder North"),
        ("example", "The Tiny War"),
    ]
    assert found[0].sides == (("north", "Northland"), ("south", "Southland"))


def test_an_event_is_told_as_history_tells_it(session):
    import datetime as dt

    from game.engine.chronicle import Entry

    e = Entry(dt.date(1850, 3, 8), "event", "raw", None, {"event": "call_to_arms"})
    words = describe.entry_text(session.scn, e)
    assert words.startswith("Call to arms. As history tells it:")
    assert "answer the call" in words
    other = Entry(dt.date(1850, 3, 8), "occupation", "Northland occupies Dal.")
    assert describe.entry_text(session.scn, other) == "Northland occupies Dal."


def test_the_score_and_what_a_town_is_worth(session):
    from game.ui import score

    scn = session.scn
    assert score.points(session) == [0.0, 0.0]
    assert score.score_words(session) == "Northland 0 · Southland 0"
    assert "Northland" in score.value_words(session, scn.province_index["dal"])
    assert "Southland" not in score.value_words(session, scn.province_index["dal"])
    assert "Northern conquest" in score.how_won(session)


def test_the_load_list_gives_the_war_of_each_save(session, tmp_path):
    from game.ui.storage import list_saves, new_save_path

    path = new_save_path("tiny")
    session.save(path)
    entry = next(e for e in list_saves() if e.path == path)
    assert entry.label.startswith("1 March 1850, turn 1 of ")
    assert "Northland" in entry.label and "The Tiny War" in entry.label
    assert path.name in entry.detail


def test_an_allied_party_is_shown_with_its_will_to_its_side_only(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    salt = TINY.parent / "war_of_the_salt_road.yaml"
    costa = new_session(ScenarioSource(str(salt)), "costa", "normal", None, hold)
    scn = costa.scn
    legion, exiles = scn.force_index["legion"], scn.party_index["exiles"]
    party = next(r for r in describe.force_rows(costa, legion) if r.label == "Party")
    assert party.value == "The Altamiran exiles, will 70%"
    assert "leave the war" in party.tip
    assert [r.value for r in describe.party_rows(costa, scn.side_index["costa"])] == [
        "The Altamiran exiles, will 70%"
    ]
    assert describe.party_rows(costa, scn.side_index["altamira"]) == []
    altamira = new_session(ScenarioSource(str(salt)), "altamira", "normal", None, hold)
    seen = next(r for r in describe.force_rows(altamira, legion) if r.label == "Party")
    assert seen.value == "The Altamiran exiles, in the field", "the enemy's will is not shown"
    altamira.game.state.party_left[0, exiles] = True
    seen = next(r for r in describe.force_rows(altamira, legion) if r.label == "Party")
    assert seen.value == "The Altamiran exiles, has left the war"
    plain = next(iter(f for f in range(scn.F) if int(scn.force_party[f]) < 0))
    assert all(r.label != "Party" for r in describe.force_rows(costa, plain))
