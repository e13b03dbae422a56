""" "How likely?" from the setup screen: the study runs beside the window, and can stop.

The dialog must show what ``game.study.run`` (the code of ``ingavi study``) gives for the
same what-if, runs and policies; keep the baseline for next time; play the same numbers in
worker processes as in a thread; and stop when Cancel is pressed.
"""

from __future__ import annotations

import pygame
import pytest
from test_ui_support import button, click, hold, open_setup

from game import study
from game.ui import likely_study
from game.ui.app import App
from game.ui.likely_study import POLICY, merge
from game.ui.scenes.likely import LikelyScene
from game.ui.scenes.setup import SetupScene
from game.ui.storage import study_cache_dir

pytestmark = pytest.mark.gui


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    a = App(factory=hold, throttle=False)
    yield a
    pygame.display.quit()


HANG = 900.0
"""Seconds after which a study still running counts as hung (a guard, never a measure)."""


def run_until_done(app: App, dialog: LikelyScene) -> None:
    """Wait for the study's thread to end, then let the window show what it found."""
    assert dialog.study is not None
    dialog.study.wait(HANG)
    assert dialog.study.state != "running", "the study hung"
    app.run(1)


def how_likely(app: App, scene: SetupScene, runs: int, workers: int) -> LikelyScene:
    scene.likely_runs, scene.likely_workers = runs, workers
    click(button(scene, "How likely?").rect.center)
    app.run(1)
    dialog = app.top
    assert isinstance(dialog, LikelyScene)
    assert dialog.study is not None and dialog.study.state in ("running", "done")
    return dialog


def outcomes(summary: dict) -> dict:
    return {k: v["count"] for k, v in summary["outcomes"].items()}


def test_how_likely_shows_the_study_and_keeps_the_baseline(app):
    scene = open_setup(app)
    scene.whatif.set_men("north_army", 6000)
    dialog = how_likely(app, scene, 12, 0)
    run_until_done(app, dialog)
    st = dialog.study
    assert st.state == "done" and st.done_runs == st.total_runs == 24
    assert not st.baseline_cached and st.cache_path().exists()
    policies = dict.fromkeys(("north", "south"), POLICY)
    cli = study.run(scene.last_saved, runs=12, policies=policies, plots=False)
    assert outcomes(st.result) == outcomes(cli.summary), "the same study as ingavi study"
    base = study.run(scene.whatif.scenario, runs=12, policies=policies, plots=False)
    assert outcomes(st.baseline) == outcomes(base.summary)
    assert outcomes(st.result) != outcomes(st.baseline), "6,000 men change the war"
    assert dialog.cancel_button.label == "Close"
    click(dialog.cancel_button.rect.center)
    app.run(1)
    assert app.top is scene
    again = how_likely(app, scene, 12, 0)
    run_until_done(app, again)
    assert again.study.baseline_cached and again.study.total_runs == 12
    assert outcomes(again.study.baseline) == outcomes(st.baseline)
    assert len(list(study_cache_dir().glob("baseline-*.json"))) == 1


def test_worker_processes_give_the_same_numbers(app):
    scene = open_setup(app)
    scene.whatif.set_men("south_army", 5000)
    threaded = how_likely(app, scene, 6, 0)
    run_until_done(app, threaded)
    click(threaded.cancel_button.rect.center)
    app.run(1)
    for path in study_cache_dir().glob("baseline-*.json"):
        path.unlink()
    pooled = how_likely(app, scene, 6, 2)
    run_until_done(app, pooled)
    assert pooled.study.state == "done" and not pooled.study.baseline_cached
    assert outcomes(pooled.study.result) == outcomes(threaded.study.result)
    assert outcomes(pooled.study.baseline) == outcomes(threaded.study.baseline)
    assert 2 in likely_study._POOLS, "the pool of a finished study is kept for the next"


def test_cancel_stops_the_study(app):
    scene = open_setup(app)
    dialog = how_likely(app, scene, 3000, 2)
    app.run(2)
    assert dialog.cancel_button.label == "Cancel"
    click(dialog.cancel_button.rect.center)
    app.run(1)  # the window handles the click: the study is asked to stop
    run_until_done(app, dialog)
    assert dialog.study.state == "cancelled" and dialog.study.result is None
    assert dialog.study.done_runs < dialog.study.total_runs, "it stopped, not finished"
    assert dialog.cancel_button.label == "Close" and dialog.start_button.enabled
    assert not list(study_cache_dir().glob("baseline-*.json")), "nothing half-done is kept"


def test_more_runs_add_up_to_the_study_of_them_all(app):
    scene = open_setup(app)
    scene.whatif.set_men("north_army", 6000)
    dialog = how_likely(app, scene, 8, 0)
    dialog.study.wait()
    app.run(1)
    assert [p.runs for p in dialog.parts] == [8]
    assert dialog.more_button.enabled and dialog.more_button.label == "More runs: +16"
    assert "campaigns a second" in dialog.more_button.tooltip, "the estimate of the time"
    click(dialog.more_button.rect.center)
    app.run(1)
    assert dialog.study.first_run == 8 and dialog.study.runs == 16
    dialog.study.wait()
    app.run(1)
    assert dialog.total_runs == 24 and dialog.more_button.label == "More runs: +48"
    policies = dict.fromkeys(("north", "south"), POLICY)
    cli = study.run(scene.last_saved, runs=24, policies=policies, plots=False)
    merged = merge([p.result for p in dialog.parts])
    assert outcomes(merged) == outcomes(cli.summary), "8 runs and 16 more are the first 24"
    for oid, o in merged["outcomes"].items():
        assert o["ci95"] == pytest.approx(cli.summary["outcomes"][oid]["ci95"])
