"""Giving orders through the real event loop: Tab, clicks on enemy counters, joint attacks.

Northland's army and horse march to the pass; Southland's army comes to Dal below it.
Both northern forces are then sent against Dal by clicking Southland's counter, and the
battle page must quote the odds the panel showed for the two together.
"""

from __future__ import annotations

import pygame
import pytest
from test_ui_flow import counter_of, start_tiny
from test_ui_support import click, key, move, south_comes_to_dal

from game.codes import ForceStatus, OrderKind
from game.ui.app import App
from game.ui.scenes.results import ResultsScene

pytestmark = pytest.mark.gui


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    a = App(factory=south_comes_to_dal, throttle=False)
    yield a
    pygame.display.quit()


def test_tab_goes_to_the_next_force_without_orders(app):
    scene = start_tiny(app)
    s = scene.session
    army, horse = s.scn.force_index["north_army"], s.scn.force_index["north_horse"]
    fjell = s.scn.province_index["fjell"]
    key(pygame.K_TAB)
    app.run(1)
    assert scene.selected == army
    click(scene.board.view.screen_of(fjell))
    app.run(1)
    assert s.pending() == {army: (OrderKind.MARCH, fjell)} and scene.selected is None
    key(pygame.K_TAB)
    app.run(1)
    assert scene.selected == horse, "Tab skips the army, which has its orders"
    click(scene.board.view.screen_of(fjell))
    app.run(1)
    key(pygame.K_TAB)
    app.run(1)
    assert scene.selected == army, "with every force ordered, Tab goes round again"


def march_both_to_the_pass(app: App, scene) -> None:
    fjell = scene.session.scn.province_index["fjell"]
    for _ in range(2):
        key(pygame.K_TAB)
        app.run(1)
        click(scene.board.view.screen_of(fjell))
        app.run(1)
    key(pygame.K_RETURN)
    app.run(1)
    key(pygame.K_ESCAPE)
    app.run(1)


def test_clicking_an_enemy_counter_attacks_it(app):
    scene = start_tiny(app)
    s = scene.session
    scn = s.scn
    march_both_to_the_pass(app, scene)
    army, south = scn.force_index["north_army"], scn.force_index["south_army"]
    dal = scn.province_index["dal"]
    click(counter_of(scene, army).center)
    app.run(1)
    assert scene.selected == army
    enemy = counter_of(scene, south)
    assert scene.board.view.province_at(enemy.center) is None, "the counter is off the town"
    move(enemy.center)
    app.run(1)
    assert scene.preview is not None and scene.preview.attack.province == dal
    click(enemy.center)
    app.run(1)
    assert s.pending()[army] == (OrderKind.ATTACK, dal)
    assert scene.selected is None


def test_the_battle_page_quotes_the_odds_shown_for_both_forces(app):
    scene = start_tiny(app)
    s = scene.session
    scn = s.scn
    march_both_to_the_pass(app, scene)
    army, horse = scn.force_index["north_army"], scn.force_index["north_horse"]
    south, dal = scn.force_index["south_army"], scn.province_index["dal"]
    key(pygame.K_TAB)
    app.run(1)
    assert scene.selected == army
    click(counter_of(scene, south).center)
    app.run(1)
    key(pygame.K_TAB)
    app.run(1)
    assert scene.selected == horse
    move(counter_of(scene, south).center)
    app.run(1)
    panel = scene.preview
    assert panel is not None and set(panel.attack.attackers) == {army, horse}
    alone = s.preview([horse], dal)
    assert alone is not None and alone.odds.p_attacker_wins != panel.odds.p_attacker_wins
    click(counter_of(scene, south).center)
    app.run(1)
    assert s.pending() == {army: (OrderKind.ATTACK, dal), horse: (OrderKind.ATTACK, dal)}
    key(pygame.K_RETURN)
    app.run(1)
    results = app.top
    assert isinstance(results, ResultsScene)
    page = next(p for p in results.pages if p.battle is not None)
    assert page.shown is not None and set(page.shown.forces) == {army, horse}
    assert page.p_win == panel.odds.p_attacker_wins
    assert page.shown.att_men == panel.attack.att_men
    app.run(1)  # the page draws


def test_j_and_a_click_in_the_list_have_one_force_join_another(app):
    scene = start_tiny(app)
    s = scene.session
    scn = s.scn
    army, horse = scn.force_index["north_army"], scn.force_index["north_horse"]
    alone = int(s.game.state.men[0, army])
    key(pygame.K_TAB)
    app.run(1)
    key(pygame.K_j)
    app.run(1)
    assert scene.joining and scene.selected == army
    rows = {f: r for r, f in scene.panel_forces}
    assert set(rows) == {horse}, "the panel offers the forces the army may join, not itself"
    click(rows[horse].center)
    app.run(1)
    assert s.pending() == {army: (OrderKind.JOIN, horse)}
    assert not scene.joining and scene.selected is None
    key(pygame.K_RETURN)
    app.run(1)
    st = s.game.state
    assert int(st.status[0, army]) == ForceStatus.JOINED
    assert int(st.men[0, horse]) > alone, (
        "the horse took in the army's men (less the week's losses)"
    )


def test_a_click_on_a_town_while_joining_gives_the_join_up_and_marches(app):
    scene = start_tiny(app)
    s = scene.session
    army, fjell = s.scn.force_index["north_army"], s.scn.province_index["fjell"]
    key(pygame.K_TAB)
    app.run(1)
    key(pygame.K_j)
    app.run(1)
    click(scene.board.view.screen_of(fjell))
    app.run(1)
    assert not scene.joining
    assert s.pending() == {army: (OrderKind.MARCH, fjell)}
    assert "Join given up." in [t for t, _ in scene.log.lines]


def test_j_without_a_selection_says_what_to_do(app):
    scene = start_tiny(app)
    key(pygame.K_j)
    app.run(1)
    assert not scene.joining
    assert "press J" in scene.log.lines[-1][0]


def test_while_joining_a_click_on_the_own_stack_joins_its_main_body(app):
    scene = start_tiny(app)
    s = scene.session
    army, horse = s.scn.force_index["north_army"], s.scn.force_index["north_horse"]
    stack = counter_of(scene, army)  # both stand at Nordby under the army's counter
    click(stack.center)
    app.run(1)
    assert scene.selected == army
    key(pygame.K_j)
    app.run(1)
    click(stack.center)
    app.run(1)
    assert s.pending() == {army: (OrderKind.JOIN, horse)}
