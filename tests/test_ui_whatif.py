"""The what-if setup screen, driven through the real event loop, and its files.

Change a strength on the screen (a stepper and typed digits), save the what-if, and the
file is an ordinary overlay that ``ingavi validate`` accepts and ``ingavi study --overlay``
plays; it loads back onto the screen with every change and how the game begins; Begin
plays it from the first day or takes command from history on a later date.
"""

from __future__ import annotations

import datetime as dt
import json

import pygame
import pytest
import yaml
from test_ui_support import TINY, button, click, hold, key, open_setup

from game.cli import main
from game.game import Game
from game.paths import default_scenario, scenarios_dir
from game.scenario.overlay import load_with_overlays
from game.ui import whatif_file as wf
from game.ui.app import App
from game.ui.scenes.campaign import CampaignScene
from game.ui.scenes.setup import SetupScene
from game.ui.scenes.whatif_load import WhatIfLoadScene
from game.ui.storage import autosave_path, whatif_dir
from game.ui.widgets.messagebox import MessageBox

pytestmark = pytest.mark.gui


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    a = App(factory=hold, throttle=False)
    yield a
    pygame.display.quit()


def plus_of(scene: SetupScene, fid: str):
    """Return the + button on a force's row."""
    rect = next(r for f, r in scene.value_fields if f == fid)
    return next(b for b in scene.row_buttons if b.label == "+" and b.rect.y == rect.y)


def test_change_a_strength_save_validate_and_study(app, capsys, tmp_path):
    scene = open_setup(app)
    w = scene.whatif
    army = w.levers.force("north_army")
    click(plus_of(scene, "north_army").rect.center)
    app.run(1)
    assert w.men_of("north_army") == army.men + 50
    rect = next(r for f, r in scene.value_fields if f == "north_army")
    click(rect.center)
    for d in "5000":
        key(getattr(pygame, f"K_{d}"), unicode=d)
    key(pygame.K_RETURN)
    app.run(1)
    assert w.men_of("north_army") == 5000 and not army.within(5000)
    click(scene.name.rect.center)
    for _ in "My what-if":
        key(pygame.K_BACKSPACE)
    for ch in "Big North":
        key(pygame.K_a, unicode=ch)
    key(pygame.K_RETURN)
    app.run(1)
    assert w.title == "Big North"
    click(button(scene, "Save what-if").rect.center)
    app.run(1)
    path = scene.last_saved
    assert path is not None and path.parent == whatif_dir() and path.name.startswith("big_north-")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["forces"] == [{"id": "north_army", "men": 5000}]
    assert data["overlay"]["title"] == "Big North"
    assert "ingavi play" in path.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(path)]) == 0
    args = ["study", str(TINY), "--overlay", str(path), "--runs", "6", "--json"]
    args += ["--out", str(tmp_path / "study")]
    args += ["--policy", "north=random", "--policy", "south=random", "--no-plots", "--quiet"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["runs"] == 6 and out["scenario"]["id"] == "big_north@1.0"
    assert load_with_overlays(TINY, [path], []).men0[army_slot(path)] == 5000


def army_slot(path) -> int:
    return load_with_overlays(path, [], []).force_index["north_army"]


def test_what_if_files_round_trip_in_the_real_war(tmp_path):
    w = wf.start_what_if(default_scenario())
    assert [s.id for s in w.levers.switches] == [
        "ev_chilean_mediation",
        "w_peru_civil_strife",
        "w_velasco_withholds",
        "w_santa_cruz_plot",
        "w_arica_bargaining_chip",
        "w_chilean_pressure",
    ]
    gamarra = w.levers.force("peru_gamarra")
    assert (gamarra.low, gamarra.high) == (3500, 4500)
    w.title = "Peru at full stretch"
    w.set_men("peru_gamarra", 9000)
    w.set_men("peru_cavalry", 1200)
    w.set_commander("castilla", "present", False)
    w.step_commander("gamarra", "exposure", -8)
    w.step_commander("ballivian", "leadership", -1)
    w.toggle("w_velasco_withholds")
    w.toggle("ev_chilean_mediation")
    w.side, w.other = "bolivia", "historical"
    w.step_start(5)
    path = wf.save(w, tmp_path)
    assert wf.save(w, tmp_path) == path, "the same what-if is the same file"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert {"id": "peru_gamarra", "men": 9000} in data["forces"], "beyond the range: plain"
    assert {"id": "peru_cavalry", "men": {"value": 1200}} in data["forces"], "inside: kept"
    assert {"id": "gamarra", "exposure": 0.2} in data["commanders"]
    scn = load_with_overlays(path, [], [])
    assert scn.men0[scn.force_index["peru_gamarra"]] == 9000
    back = wf.load(path)
    assert back.changes() == w.changes() and back.title == w.title
    assert (back.side, back.other, back.start) == ("bolivia", "historical", dt.date(1841, 11, 5))
    assert back.base == default_scenario().resolve()
    full = scenarios_dir() / "counterfactuals" / "peru_full_strength.yaml"
    moved = wf.rebase(back, full)
    assert moved.men_of("peru_gamarra") == 9000 and moved.levers.force("peru_gamarra").men == 6150
    assert moved.levers.force("peru_gamarra").low == 3500, "the sources' range stays history's"
    moved.set_men("peru_cavalry", 1000)  # in history's range, below this base's own
    again = wf.load(wf.save(moved, tmp_path))
    assert again.base == full.resolve() and again.men_of("peru_cavalry") == 1000
    as_base = wf.load(full)
    assert as_base.base == full and not as_base.changes(), "an author's overlay is a base"


def test_begin_takes_command_from_history_on_the_start_date(app):
    scene = open_setup(app)
    scene.whatif.set_men("north_army", 4000)
    click(button(scene, "Beginning").rect.center)
    app.run(1)
    for label in ("week ›", "week ›", "Southland", "Follows history"):
        click(button(scene, label).rect.center)
        app.run(1)
    assert scene.whatif.start == dt.date(1850, 3, 15) and scene.whatif.side == "south"
    key(pygame.K_RETURN)
    app.run(1)
    camp = app.top
    assert isinstance(camp, CampaignScene)
    g = camp.session.game
    assert g.turn == 2 and g.branch["date"] == "1850-03-15" and camp.session.viewer == 1
    assert camp.session.seats.ai_level == "historical"
    assert g.source is not None and g.source.path == str(scene.last_saved)
    assert Game.load(autosave_path()).turn == 2


def test_begin_on_the_first_day_plays_the_changed_war(app):
    scene = open_setup(app)
    scene.whatif.set_men("north_army", 4000)
    click(button(scene, "Begin").rect.center)
    app.run(1)
    camp = app.top
    assert isinstance(camp, CampaignScene)
    g = camp.session.game
    assert g.turn == 0 and g.branch is None
    assert int(g.state.men[0, g.scenario.force_index["north_army"]]) == 4000


def test_load_dialog_puts_a_what_if_back_and_refuses_a_broken_one(app):
    scene = open_setup(app)
    scene.whatif.set_men("north_army", 4200)
    saved = scene.save()
    scene.reset()
    assert scene.whatif.men_of("north_army") != 4200
    click(button(scene, "Load what-if…").rect.center)
    app.run(1)
    dialog = app.top
    assert isinstance(dialog, WhatIfLoadScene) and dialog.files == [saved]
    click(dialog.row_rect(0).center)
    app.run(1)
    assert app.top is scene and scene.whatif.men_of("north_army") == 4200
    saved.write_text(saved.read_text(encoding="utf-8").replace("4200", "-3"), encoding="utf-8")
    click(button(scene, "Load what-if…").rect.center)
    app.run(1)
    click(app.top.row_rect(0).center)
    app.run(1)
    assert isinstance(app.top, MessageBox) and saved.name in app.top.text
    assert len(app.top.text.splitlines()) == 1


def test_unsaved_changes_are_kept_when_the_window_closes(app):
    scene = open_setup(app)
    app.run(1)
    scene.shutdown()
    assert not list(whatif_dir().glob("*.yaml")), "nothing changed, nothing written"
    click(plus_of(scene, "south_army").rect.center)
    app.run(1)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.run(1)
    kept = list(whatif_dir().glob("*.yaml"))
    assert len(kept) == 1 and wf.load(kept[0]).men_of("south_army") == scene.whatif.men_of(
        "south_army"
    )
