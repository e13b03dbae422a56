"""Watching a war unattended, the end of the war and the way back to it, and asking first.

Play (or ``--autoplay``) must run to the end without anybody pressing a key: results are
shown without stopping it and quiet turns show none.  The end screen must not be lost to
a stray Escape, and a finished war opens on its end again.
"""

from __future__ import annotations

import pygame
import pytest
from test_ui_support import TINY, button, click, hold, key

from game.cli import main
from game.game import ScenarioSource
from game.ui.app import App
from game.ui.launch import new_session, session_from_save
from game.ui.scenes.campaign import CampaignScene, open_campaign
from game.ui.scenes.endwar import EndScene
from game.ui.scenes.results import ResultsScene
from game.ui.scenes.start import StartScene
from game.ui.widgets.messagebox import ConfirmBox

pytestmark = pytest.mark.gui


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def app(home):
    a = App(throttle=False)
    a.pace = 0.0
    yield a
    pygame.display.quit()


def test_play_runs_the_war_to_its_end_unattended_and_the_end_comes_back(app):
    s = new_session(ScenarioSource(str(TINY)), "none", "normal", 3)
    scene = open_campaign(app, s, autoplay=True)
    assert scene.auto and scene.buttons["auto"].label == "Pause"
    passive = quiet = 0
    for _ in range(4 * s.scn.n_turns):
        if isinstance(app.top, EndScene):
            break
        app.run(1)
        top = app.top
        if isinstance(top, ResultsScene):
            assert top.passive, "results never wait for an answer while the war plays on"
            passive += 1
            quiet += top.pages[0].title == "A quiet turn"
    assert isinstance(app.top, EndScene), "the war ended with nobody pressing a key"
    assert s.game.over and passive > 0 and quiet == 0
    assert not scene.auto
    for _ in range(3):  # a held-down Escape: back to the map, and no further
        key(pygame.K_ESCAPE)
    app.run(1)
    assert app.top is scene and s.game.over
    assert scene.buttons["end_turn"].label == "The end"
    click(scene.buttons["end_turn"].rect.center)
    app.run(1)
    assert isinstance(app.top, EndScene), "the end screen is reachable again"


def test_space_pauses_while_results_are_shown(app):
    s = new_session(ScenarioSource(str(TINY)), "none", "normal", 3)
    scene = open_campaign(app, s, autoplay=True)
    for _ in range(4 * s.scn.n_turns):
        app.run(1)
        if isinstance(app.top, ResultsScene):
            break
    assert isinstance(app.top, ResultsScene)
    turn = s.game.turn
    key(pygame.K_SPACE)
    app.run(3)
    assert not scene.auto and s.game.turn == turn, "Space paused the war beneath the results"


def test_autoplay_and_exit_at_end_from_the_command_line(home, capsys):
    assert main(["play", str(TINY), "--autoplay", "--exit-at-end", "--pace", "0"]) == 0
    saved = session_from_save(home / "saves" / "autosave.json")
    assert saved.game.over and saved.seats.humans == ()
    assert main(["play", str(TINY), "--autoplay", "--side", "north"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--autoplay" in err[0]
    assert main(["play", str(TINY), "--pace", "-1"]) == 2


def test_sue_for_peace_asks_first(app):
    app.factory = hold
    s = new_session(ScenarioSource(str(TINY)), "north", "normal", None, hold)
    scene = open_campaign(app, s)
    app.run(1)
    viewer = s.viewer
    click(scene.buttons["peace"].rect.center)
    app.run(1)
    assert isinstance(app.top, ConfirmBox)
    key(pygame.K_ESCAPE)
    app.run(1)
    assert app.top is scene and not s.game._pending.sue[0, viewer]
    click(scene.buttons["peace"].rect.center)
    app.run(1)
    click(app.top.yes.rect.center)
    app.run(1)
    assert app.top is scene and s.game._pending.sue[0, viewer]


def test_continue_on_a_finished_war_opens_its_end(app, home):
    s = new_session(ScenarioSource(str(TINY)), "none", "normal", 3)
    open_campaign(app, s, autoplay=True)
    for _ in range(4 * s.scn.n_turns):
        if isinstance(app.top, EndScene):
            break
        app.run(1)
    assert s.game.over
    start = app.replace(StartScene(app))
    app.run(1)
    click(button(start, "Continue").rect.center)
    app.run(1)
    assert isinstance(app.top, EndScene)
    key(pygame.K_ESCAPE)
    app.run(1)
    assert isinstance(app.top, CampaignScene) and app.top.session.game.over


def test_screenshots_of_every_screen_including_a_small_window(home, tmp_path):
    from game.ui.screenshots import NAMES

    out = tmp_path / "shots"
    assert main(["screenshots", str(TINY), "--out", str(out)]) == 0
    for name in NAMES:
        assert (out / f"{name}.png").stat().st_size > 1000, name
    small = pygame.image.load(str(out / "small.png"))
    assert small.get_size() == (1024, 600)
    assert pygame.image.load(str(out / "map.png")).get_size() == (1280, 720)
