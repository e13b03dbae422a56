"""The interface driven through its real event loop with posted mouse and key events.

A game of the tiny scenario: start screen, select a force, order a march, end the turn,
see the odds of an attack, undo, save, load, and the refusal of a corrupt save.
"""

from __future__ import annotations

import json

import numpy as np
import pygame
import pytest
from test_ui_support import click, key, move, saves, south_comes_to_dal

from game.codes import OrderKind
from game.engine.preview import attack_input, attack_odds
from game.ui.app import App
from game.ui.scenes.campaign import CampaignScene
from game.ui.scenes.loadgame import LoadScene, open_saved
from game.ui.scenes.results import ResultsScene
from game.ui.scenes.start import StartScene
from game.ui.widgets.help import HelpOverlay
from game.ui.widgets.messagebox import MessageBox

pytestmark = pytest.mark.gui


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def app(home):
    a = App(factory=south_comes_to_dal, throttle=False)
    yield a
    pygame.display.quit()


def start_tiny(app: App) -> CampaignScene:
    start = app.replace(StartScene(app))
    assert isinstance(start, StartScene)
    app.run(1)
    i = next(i for i, c in enumerate(start.choices) if c.path.name == "tiny.yaml")
    click(start.row_rect(i).center)
    app.run(1)
    assert start.index == i
    assert start.side == "north"
    begin = next(b for b in start.buttons if b.label.startswith("Begin"))
    click(begin.rect.center)
    app.run(2)
    scene = app.top
    assert isinstance(scene, CampaignScene)
    return scene


def counter_of(scene: CampaignScene, force: int) -> pygame.Rect:
    return next(r for r, f in scene.board.counters if f == force)


def test_start_select_march_end_turn(app):
    scene = start_tiny(app)
    s = scene.session
    scn = s.scn
    army, fjell = scn.force_index["north_army"], scn.province_index["fjell"]
    assert s.viewer == scn.side_index["north"]
    click(counter_of(scene, army).center)
    app.run(1)
    assert scene.selected == army
    assert fjell in scene.marks().targets and not scene.marks().targets[fjell]
    click(scene.board.view.screen_of(fjell))
    app.run(1)
    assert s.pending() == {army: (OrderKind.MARCH, fjell)}
    assert scene.selected is None
    key(pygame.K_RETURN)
    app.run(1)
    assert s.game.turn == 1
    assert isinstance(app.top, ResultsScene)
    key(pygame.K_ESCAPE)
    app.run(1)
    assert app.top is scene
    assert int(s.game.state.loc[0, army]) == fjell
    assert saves(app_home(app))  # autosaved after the turn


def app_home(app: App):
    import os
    from pathlib import Path

    return Path(os.environ["INGAVI_HOME"])


def advance_to_contact(app: App, scene: CampaignScene) -> None:
    """Play turn 1: the army reaches Fjell while Southland's army reaches Dal."""
    scn = scene.session.scn
    scene.select(scn.force_index["north_army"])
    scene.order_to(scn.province_index["fjell"])
    key(pygame.K_RETURN)
    app.run(1)
    key(pygame.K_ESCAPE)
    app.run(1)


def test_odds_panel_undo_and_attack(app):
    scene = start_tiny(app)
    s = scene.session
    scn = s.scn
    advance_to_contact(app, scene)
    army, dal = scn.force_index["north_army"], scn.province_index["dal"]
    south = scn.force_index["south_army"]
    assert south in s.visible_forces(), "Southland's army at Dal is in sight of Fjell"
    click(counter_of(scene, army).center)
    app.run(1)
    assert scene.marks().targets[dal] is True  # an attack
    move(scene.board.view.screen_of(dal))
    app.run(1)
    pv = scene.preview
    assert pv is not None
    assert pv.attack.attackers == (army,) and pv.attack.defenders == (south,)
    assert pv.attack.def_men == int(s.observation().men[0, south])  # the estimate, not the truth
    names = [m.name for m in pv.modifiers]
    assert {"quality", "posture", "terrain", "surprise", "leadership"} <= set(names)
    direct, _ = attack_odds(scn, attack_input(scn, s.observation(), [army], dal))
    assert pv.odds == direct
    assert 0.0 <= pv.odds.p_attacker_wins <= 1.0
    click(scene.board.view.screen_of(dal))
    app.run(1)
    assert s.pending() == {army: (OrderKind.ATTACK, dal)}
    key(pygame.K_BACKSPACE)
    app.run(1)
    assert s.pending() == {}
    scene.select(army)
    scene.order_to(dal)
    assert s.pending()[army] == (OrderKind.ATTACK, dal)


def test_save_and_load_restore_the_game(app):
    scene = start_tiny(app)
    advance_to_contact(app, scene)
    s = scene.session
    scn = s.scn
    scene.select(scn.force_index["north_horse"])
    scene.order_to(scn.province_index["fjell"])
    key(pygame.K_F5)
    app.run(1)
    path = scene.last_save
    assert path is not None and path.exists()
    saved_state = {k: v.copy() for k, v in s.game.state.arrays().items()}
    key(pygame.K_RETURN)  # play on after saving
    app.run(1)
    key(pygame.K_ESCAPE)
    app.run(1)
    assert s.game.turn == 2
    key(pygame.K_F9)
    app.run(1)
    dialog = app.top
    assert isinstance(dialog, LoadScene)
    row = next(i for i, e in enumerate(dialog.saves) if e.path == path)
    click(dialog.row_rect(row).center)
    app.run(2)
    loaded = app.top
    assert isinstance(loaded, CampaignScene) and loaded is not scene
    g = loaded.session.game
    assert g.turn == 1
    for k, v in g.state.arrays().items():
        assert np.array_equal(v, saved_state[k]), k
    assert loaded.session.pending() == {
        scn.force_index["north_horse"]: (OrderKind.MARCH, scn.province_index["fjell"])
    }
    assert loaded.session.seats.humans == (scn.side_index["north"],)


def test_corrupt_or_foreign_save_is_refused_and_nothing_is_lost(app, home):
    scene = start_tiny(app)
    bad = home / "saves" / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    foreign = home / "saves" / "foreign.json"
    foreign.write_text(json.dumps({"format": "something-else", "version": 1}), encoding="utf-8")
    for path in (bad, foreign):
        assert not open_saved(app, path)
        app.run(1)
        box = app.top
        assert isinstance(box, MessageBox)
        assert str(path.name) in box.text
        key(pygame.K_RETURN)
        app.run(1)
        assert app.top is scene
        assert scene.session.game.turn == 0


def test_help_overlay_opens_and_closes(app):
    scene = start_tiny(app)
    key(pygame.K_F1)
    app.run(1)
    assert isinstance(app.top, HelpOverlay)
    key(pygame.K_a, unicode="a")
    app.run(1)
    assert app.top is scene


def test_zoom_pan_and_escape(app):
    scene = start_tiny(app)
    cam = scene.board.view.camera
    level = cam.level
    move(scene.board.view.rect.center)
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False, precise_x=0.0, precise_y=1.0)
    )
    app.run(1)
    assert cam.level == min(level + 1, 8)
    cam.zoom(2, cam.view_w / 2, cam.view_h / 2)  # the theatre is now larger than the view
    before = (cam.ox, cam.oy)
    key(pygame.K_LEFT)
    key(pygame.K_UP)
    app.run(1)
    assert cam.ox > before[0] and cam.oy > before[1]
    start = (cam.ox, cam.oy)
    centre = scene.board.view.rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=centre, button=1))
    for i in range(1, 4):
        pygame.event.post(
            pygame.event.Event(
                pygame.MOUSEMOTION,
                pos=(centre[0] - 10 * i, centre[1] - 10 * i),
                rel=(-10, -10),
                buttons=(1, 0, 0),
            )
        )
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(centre[0] - 30, centre[1] - 30), button=1)
    )
    app.run(1)
    assert cam.ox < start[0] and cam.oy < start[1], "dragging pans the map"
    assert scene.selected is None, "a drag is not a click"
    scene.select(scene.session.scn.force_index["north_army"])
    key(pygame.K_ESCAPE)
    app.run(1)
    assert scene.selected is None


def test_window_resize_lays_out_again(app):
    scene = start_tiny(app)
    pygame.display.set_mode((1600, 900), pygame.RESIZABLE)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(1600, 900), w=1600, h=900))
    app.run(1)
    assert scene.board.view.rect.right == 1600 - 370
    assert scene.buttons["menu"].rect.right == 1600 - 8


def test_closing_the_window_keeps_the_orders_in_progress(app, home):
    scene = start_tiny(app)
    s = scene.session
    army, fjell = s.scn.force_index["north_army"], s.scn.province_index["fjell"]
    scene.select(army)
    scene.order_to(fjell)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.run(5)
    assert not app.running
    from game.ui.launch import session_from_save

    again = session_from_save(home / "saves" / "autosave.json", south_comes_to_dal)
    assert again.pending() == {army: (OrderKind.MARCH, fjell)}


def test_battle_report_compares_the_result_with_the_odds_shown(app):
    scene = start_tiny(app)
    s = scene.session
    scn = s.scn
    advance_to_contact(app, scene)
    army, dal = scn.force_index["north_army"], scn.province_index["dal"]
    scene.select(army)
    shown = s.preview([army], dal).odds.p_attacker_wins
    scene.order_to(dal)
    key(pygame.K_RETURN)
    app.run(1)
    results = app.top
    assert isinstance(results, ResultsScene)
    battles = [p for p in results.pages if p.battle is not None]
    assert battles, "the army met Southland's at Dal"
    page = battles[0]
    assert page.shown is not None and page.p_win == shown
    assert scene.flash == dal
    fig = page.battle.figures
    assert fig["att_killed"] + fig["att_wounded"] + fig["att_captured"] <= fig["att_men"]
    app.run(1)  # the page draws


def test_start_screen_shows_a_scenario_given_by_path(app, tmp_path):
    """``ingavi screenshots SCENARIO`` draws that scenario's start screen, shipped or not."""
    from engine_helpers import TINY

    start = app.replace(StartScene(app))
    assert isinstance(start, StartScene)
    start.show(TINY)
    assert start.choice is not None and start.choice.path.name == "tiny.yaml"
    assert start.side == "north"
    elsewhere = tmp_path / "my_war.yaml"
    elsewhere.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    before = len(start.choices)
    start.show(elsewhere)
    assert len(start.choices) == before + 1 and start.index == 0
    assert start.choice.path == elsewhere and start.choice.title == "The Tiny War"
    app.run(1)
