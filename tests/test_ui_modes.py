"""Hot seat, watching the computer, replays, the end of the war, and the command line."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from test_ui_support import TINY, ScriptedPolicy, click, key

from game.cli import main
from game.codes import ForceStatus, OrderKind
from game.game import ScenarioSource
from game.scenario.load import load_scenario
from game.ui.app import App
from game.ui.launch import humans_for, new_session
from game.ui.replay_tape import Replay
from game.ui.scenes.campaign import CampaignScene
from game.ui.scenes.endwar import EndScene
from game.ui.scenes.handover import HandoverScene
from game.ui.scenes.replay_open import open_replay
from game.ui.scenes.results import ResultsScene
from game.ui.scenes.watch import ReplayScene

pytestmark = pytest.mark.gui


def hold(name, side, scn, difficulty):
    return ScriptedPolicy(side)


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    a = App(factory=hold, throttle=False)
    yield a
    pygame.display.quit()


def campaign(app: App, side: str) -> CampaignScene:
    s = new_session(ScenarioSource(str(TINY)), side, "normal", None, hold)
    scene = app.replace(CampaignScene(app, s))
    assert isinstance(scene, CampaignScene)
    if s.hot_seat:
        app.push(HandoverScene(app, s.scn.side_name(s.viewer)))
    app.run(1)
    return scene


def test_side_names_follow_the_scenario():
    scn = load_scenario(TINY)
    assert humans_for(scn, "north") == (0,)
    assert humans_for(scn, "South") == (1,)
    assert humans_for(scn, "both") == (0, 1)
    assert humans_for(scn, "none") == ()


def test_hot_seat_hands_over_between_players(app):
    scene = campaign(app, "both")
    s = scene.session
    assert isinstance(app.top, HandoverScene)
    key(pygame.K_RETURN)
    app.run(1)
    assert app.top is scene and s.viewer == 0
    north_only = set(s.visible_forces())
    assert not any(s.scn.force_side[f] == 1 for f in north_only), (
        "Northland cannot see Southland yet"
    )
    key(pygame.K_RETURN)  # north ends its orders
    app.run(1)
    assert isinstance(app.top, HandoverScene) and s.viewer == 1 and s.game.turn == 0
    click(app.top.button.rect.center)
    app.run(1)
    assert app.top is scene
    scene.select(s.scn.force_index["south_army"])
    scene.order_here(OrderKind.HOLD)
    key(pygame.K_RETURN)  # south ends: the turn is played
    app.run(1)
    assert s.game.turn == 1
    assert isinstance(app.top, HandoverScene) and s.viewer == 0, "the seat changes first"
    key(pygame.K_RETURN)
    app.run(1)
    assert isinstance(app.top, ResultsScene)
    key(pygame.K_ESCAPE)
    app.run(1)
    assert app.top is scene
    north_log = " ".join(t for t, _ in scene.logs[0].lines)
    assert "Southern Army will hold" not in north_log, "a player's orders stay in their own log"
    assert "Southern Army will hold" in " ".join(t for t, _ in scene.logs[1].lines)


def test_watching_the_computer_play_to_the_end(app):
    scene = campaign(app, "none")
    s = scene.session
    assert s.viewer is None
    assert set(s.visible_forces()) == {
        int(f) for f in np.flatnonzero(s.game.state.status[0] == ForceStatus.ACTIVE)
    }
    for _ in range(3 * s.scn.n_turns):
        if isinstance(app.top, EndScene):
            break
        if isinstance(app.top, ResultsScene):
            key(pygame.K_ESCAPE)
        else:
            click(scene.buttons["end_turn"].rect.center)
        app.run(1)
    end = app.top
    assert isinstance(end, EndScene)
    assert s.game.over and s.game.outcome() is not None
    title, sentence = end.headline()
    assert title == s.game.outcome().name and "Victory points" in sentence
    assert len(end.series[0].values) == s.game.turn + 1


def test_replay_steps_forward_and_back(app):
    scn = load_scenario(TINY)
    policies = {0: ScriptedPolicy(0), 1: ScriptedPolicy(1)}
    open_replay(scn, policies, seed=3, run=5, app=app, frames=1)
    scene = app.top
    assert isinstance(scene, ReplayScene)
    r = scene.replay
    assert int(r.game.state.run_ids[0]) == 5
    for _ in range(3):
        key(pygame.K_RIGHT)
    app.run(1)
    assert r.index == 3 and len(r.records) == 3
    third = r.state.copy()
    key(pygame.K_LEFT)
    app.run(1)
    assert r.index == 2
    key(pygame.K_RIGHT)
    app.run(1)
    assert all(
        np.array_equal(a, b)
        for a, b in zip(r.state.arrays().values(), third.arrays().values(), strict=True)
    )
    handed = r.game_at()
    assert handed.turn == 3 and len(handed.history) == 3
    key(pygame.K_SPACE)
    app.run(1)
    assert scene.playing


def test_replay_is_deterministic():
    scn = load_scenario(TINY)
    runs = []
    for _ in range(2):
        r = Replay.start(scn, {0: ScriptedPolicy(0), 1: ScriptedPolicy(1)}, seed=11)
        r.seek(6)
        runs.append(r.state.arrays())
    assert all(np.array_equal(runs[0][k], runs[1][k]) for k in runs[0])


def test_play_command_refuses_bad_input_in_one_line(tmp_path, capsys):
    assert main(["play", str(TINY), "--side", "atlantis"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no side 'atlantis'" in err[0] and "north" in err[0]
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    assert main(["play", "--load", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.json" in err[0]
    assert main(["play", "--ai", "godlike", str(TINY)]) == 2
    assert "no AI level" in capsys.readouterr().err
