"""Taking command from a replay: the branch's state, its save, its end, and the command line.

Driven through the real event loop: step a replay to a turn, press T, choose a side and
take command; the campaign must start from exactly the state the replay showed, be saved
at once with where it left history, load again (a study run's dice included), and end
with the comparison against the war it left.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pygame
import pytest
from test_ui_support import TINY, ScriptedPolicy, click, key

from game.cli import main
from game.codes import OrderKind
from game.errors import SaveError
from game.game import Game, ScenarioSource
from game.paths import default_scenario
from game.scenario.load import load_scenario
from game.ui import ai_levels as pol
from game.ui.app import App
from game.ui.branch import comparison, from_history, turn_of
from game.ui.describe import long_date
from game.ui.main import prepare
from game.ui.replay_tape import Replay
from game.ui.scenes.campaign import CampaignScene
from game.ui.scenes.endwar import EndScene
from game.ui.scenes.replay_open import open_replay
from game.ui.scenes.results import ResultsScene
from game.ui.scenes.takecommand import TakeCommandScene
from game.ui.scenes.watch import ReplayScene
from game.ui.storage import autosave_path

pytestmark = pytest.mark.gui


def hold(name, side, scn, difficulty):
    return ScriptedPolicy(side)


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    a = App(factory=hold, throttle=False)
    yield a
    pygame.display.quit()


def same_state(a, b) -> bool:
    return all(
        np.array_equal(x, y) for x, y in zip(a.arrays().values(), b.arrays().values(), strict=True)
    )


def test_take_command_from_a_study_run_at_a_turn(app):
    scn = load_scenario(TINY)
    march = ScriptedPolicy(1, ((0, "south_army", OrderKind.MARCH, "dal"),))
    open_replay(
        scn,
        {0: ScriptedPolicy(0), 1: march},
        seed=3,
        run=5,
        source=ScenarioSource(str(TINY)),
        sample_uncertain=True,
        app=app,
        frames=1,
    )
    replay_scene = app.top
    assert isinstance(replay_scene, ReplayScene)
    for _ in range(3):
        key(pygame.K_RIGHT)
    app.run(1)
    shown = replay_scene.replay.state.copy()
    key(pygame.K_t)
    app.run(1)
    dialog = app.top
    assert isinstance(dialog, TakeCommandScene)
    south = next(b for b in dialog.buttons if b.label == scn.side_name(1))
    click(south.rect.center)
    app.run(1)
    assert dialog.side == scn.side_ids[1]
    click(dialog.go.rect.center)
    app.run(1)
    scene = app.top
    assert isinstance(scene, CampaignScene)
    game = scene.session.game
    assert game.turn == 3 and same_state(game.state, shown)
    assert scene.session.viewer == 1 and scene.session.seats.ai_level == "historical"
    b = game.branch
    assert (b["turn"], b["seed"], b["run"], b["sample_uncertain"]) == (3, 3, 5, True)
    assert b["date"] == scn.date_of(3).isoformat() and b["humans"] == [scn.side_ids[1]]
    assert b["history"]["outcome"] in {o.id for o in scn.model.victory.outcomes}
    assert replay_scene.replay.index == 3, "finishing history leaves the replay where it was"
    saved = json.loads(autosave_path().read_text(encoding="utf-8"))
    assert saved["branch"]["turn"] == 3 and saved["turn"] == 3
    loaded = Game.load(autosave_path())
    assert same_state(loaded.state, shown), "a study run's dice and armies come back on load"
    assert "take command" in " ".join(t for t, _ in scene.log.lines)
    saved["branch"]["run"] = "five"
    bad = autosave_path().with_name("bad.json")
    bad.write_text(json.dumps(saved), encoding="utf-8")
    with pytest.raises(SaveError, match="branch's run id"):
        Game.load(bad)
    saved["branch"]["run"] = 6
    bad.write_text(json.dumps(saved), encoding="utf-8")
    with pytest.raises(SaveError, match="does not replay"):
        Game.load(bad)


def test_a_branch_ends_compared_with_the_war_it_left(app):
    scn = load_scenario(TINY)
    policies = {0: ScriptedPolicy(0), 1: ScriptedPolicy(1)}
    open_replay(scn, policies, seed=11, source=ScenarioSource(str(TINY)), app=app, frames=1)
    key(pygame.K_RIGHT)
    key(pygame.K_t)
    app.run(1)
    key(pygame.K_RETURN)  # take command of the first side, the other follows history
    app.run(1)
    scene = app.top
    assert isinstance(scene, CampaignScene) and scene.session.game.turn == 1
    for _ in range(3 * scn.n_turns):
        if isinstance(app.top, EndScene):
            break
        key(pygame.K_ESCAPE if isinstance(app.top, ResultsScene) else pygame.K_RETURN)
        app.run(1)
    end = app.top
    assert isinstance(end, EndScene)
    verdict = end.verdict()
    assert "You took command of Northland" in verdict
    hist = scene.session.game.branch["history"]
    assert hist["name"] in verdict and comparison(scene.session.game) in verdict


def test_take_command_refuses_the_end_of_the_war(app):
    scn = load_scenario(TINY)
    r = Replay.start(scn, {0: ScriptedPolicy(0), 1: ScriptedPolicy(1)}, seed=2)
    r.seek(scn.n_turns + 1)
    assert r.at_end
    app.replace(ReplayScene(app, r))
    key(pygame.K_t)
    app.run(1)
    key(pygame.K_RETURN)
    app.run(1)
    assert "war is over" in app.top.text, "a one-line message, not a traceback"


def test_from_history_in_the_real_war(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    src = ScenarioSource(str(default_scenario()))
    scn = src.load()
    day = dt.date(1841, 11, 6)
    assert turn_of(scn, day) == 5
    s = prepare(side="peru", ai="historical", from_history=day)
    assert s is not None and s.game.turn == 5 and s.viewer == scn.side_index["peru"]
    ps = {i: pol.make("historical", i, scn) for i in range(scn.S)}
    r = Replay.start(scn, ps, source=src)
    r.seek(5)
    assert same_state(s.game.state, r.state), "the state history reached on 5 November"
    assert s.game.branch["date"] == "1841-11-05" and s.game.branch["other"] == "historical"
    assert Game.load(autosave_path()).turn == 5, "saved at once"
    hist = s.game.branch["history"]
    assert hist["outcome"] and hist["turns"] > 5
    again = from_history(src, day, "peru", "normal")
    assert same_state(again.game.state, s.game.state) and again.seats.ai_level == "normal"


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ("1843-01-01", "outside the war"),
        ("1841-13-01", "not a date"),
    ],
)
def test_from_history_refuses_bad_dates_in_one_line(date, words, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    assert main(["play", "--from-history", date, "--side", "peru"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0], err
    assert not autosave_path().exists(), "nothing is started"


def test_from_history_refuses_a_date_after_the_recorded_war_ended(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    assert main(["replay", "--json"]) == 0
    ended = dt.date.fromisoformat(json.loads(capsys.readouterr().out)["outcome"]["date"])
    day = ended + dt.timedelta(days=7)
    assert main(["play", "--from-history", day.isoformat(), "--side", "peru"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"the war had ended by {long_date(day)}" in err[0], err
    assert not autosave_path().exists(), "nothing is started"
