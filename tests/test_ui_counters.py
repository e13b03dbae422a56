"""What the map's counters say: a stack's strength, enemies' ranges and forces out of sight.

A stack's top counter must give the whole stack's men, the number the odds panel fights
with; an enemy's strength comes with the range its estimate stands for; an enemy that
moves out of sight stays on the map, faded, where it was last seen.
"""

from __future__ import annotations

import pygame
import pytest
from test_ui_support import TINY, ScriptedPolicy, click, key, move

from game.codes import OrderKind
from game.game import ScenarioSource
from game.scenario.load import load_scenario
from game.ui import intel
from game.ui.app import App
from game.ui.launch import new_session
from game.ui.scenes.campaign import CampaignScene, open_campaign
from game.ui.scenes.results import ResultsScene
from game.ui.sightings import estimate_range

pytestmark = pytest.mark.gui


def north_to_the_pass_then_home(name, side, scn, difficulty):
    """Northland's army and horse march to the pass, then back home out of sight."""
    return ScriptedPolicy(
        side,
        (
            (0, "north_army", OrderKind.MARCH, "fjell"),
            (0, "north_horse", OrderKind.MARCH, "fjell"),
            (1, "north_army", OrderKind.MARCH, "nordby"),
            (1, "north_horse", OrderKind.MARCH, "nordby"),
        ),
    )


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    a = App(factory=north_to_the_pass_then_home, throttle=False)
    yield a
    pygame.display.quit()


def open_as(app: App, side: str) -> CampaignScene:
    s = new_session(ScenarioSource(str(TINY)), side, "normal", None, app.factory)
    scene = open_campaign(app, s)
    app.run(1)
    return scene


def end_turn(app: App) -> None:
    key(pygame.K_RETURN)
    app.run(1)
    if isinstance(app.top, ResultsScene):
        key(pygame.K_ESCAPE)
        app.run(1)


def test_an_own_stack_reads_its_whole_strength(app):
    scene = open_as(app, "north")
    s = scene.session
    stacks = [st for st in scene.board.stacks if len(st.forces) > 1]
    assert len(stacks) == 1
    stack = stacks[0]
    assert stack.men == sum(s.shown_men(f) for f in stack.forces) == 3600
    move(stack.top.center)
    app.run(1)
    tip = scene.tooltip(stack.top.center)
    assert (
        "2 forces of Northland here: 3,600 men in all" in tip and "Army of the North: 3,000" in tip
    )


def test_an_enemy_stack_reads_what_the_odds_panel_fights(app):
    scene = open_as(app, "south")
    s = scene.session
    scn = s.scn
    end_turn(app)
    north = {scn.force_index["north_army"], scn.force_index["north_horse"]}
    stack = next(st for st in scene.board.stacks if set(st.forces) == north)
    assert stack.men == sum(s.shown_men(f) for f in north)
    army = scn.force_index["south_army"]
    click(next(r for r, f in scene.board.counters if f == army).center)
    app.run(1)
    assert scene.selected == army
    move(stack.top.center)
    app.run(1)
    assert scene.preview is not None
    assert scene.preview.attack.def_men == stack.men, "the counter and the panel agree"
    lo, hi = s.shown_range(list(north))
    assert lo < stack.men < hi
    assert f"({lo:,}–{hi:,})" in intel.men_words(s, list(north))


def north_takes_dal(name, side, scn, difficulty):
    """Northland's army and horse come to the pass; the horse goes on and takes Dal."""
    return ScriptedPolicy(
        side,
        (
            (0, "north_army", OrderKind.MARCH, "fjell"),
            (0, "north_horse", OrderKind.MARCH, "fjell"),
            (1, "north_horse", OrderKind.MARCH, "dal"),
        ),
    )


def test_an_enemy_out_of_sight_stays_where_it_was_last_seen(app):
    app.factory = north_takes_dal
    scene = open_as(app, "south")
    s = scene.session
    scn = s.scn
    army, fjell = scn.force_index["north_army"], scn.province_index["fjell"]
    end_turn(app)  # the North comes to the pass, in sight of Dal
    assert army in s.visible_forces()
    seen_men = s.shown_men(army)
    end_turn(app)  # its horse takes Dal: the pass is out of Southland's sight
    assert int(s.game.state.owner[0, scn.province_index["dal"]]) == scn.side_index["north"]
    assert army not in s.visible_forces() and int(s.game.state.loc[0, army]) == fjell
    ghosts = dict(s.ghosts())
    assert ghosts[army].province == fjell
    assert ghosts[army].men == seen_men and ghosts[army].turn == 1
    app.run(1)
    rect = next(r for r, f in scene.board.ghost_rects if f == army)
    tip = scene.tooltip(rect.center)
    assert "Last seen at Fjell Pass on 8 March 1850" in tip and f"about {seen_men:,}" in tip
    assert army not in {f for _, f in scene.board.counters}, "a ghost cannot be ordered against"


def test_the_range_of_an_estimate_follows_the_rules():
    scn = load_scenario(TINY)
    sigma = scn.rules.fog.estimate_error
    lo, hi = estimate_range(scn, [2000])
    assert lo < 2000 < hi and abs(hi / 2000 - 2.718281828 ** (1.645 * sigma)) < 0.03
    lo4, hi4 = estimate_range(scn, [500, 500, 500, 500])
    assert (hi4 - lo4) < (hi - lo), "independent errors partly cancel in a sum"
