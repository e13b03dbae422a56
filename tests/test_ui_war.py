"""A whole war against the project's own computer players, as either side, through the UI."""

from __future__ import annotations

import pygame
import pytest
from test_ui_support import TINY, key

from game.game import ScenarioSource
from game.ui.app import App
from game.ui.launch import new_session
from game.ui.scenes.campaign import CampaignScene
from game.ui.scenes.endwar import EndScene
from game.ui.scenes.results import ResultsScene

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("side", ["north", "south"])
def test_play_a_whole_war_against_the_heuristic_ai(tmp_path, monkeypatch, side):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    app = App(throttle=False)
    try:
        s = new_session(ScenarioSource(str(TINY)), side, "normal", 5)
        scene = app.replace(CampaignScene(app, s))
        app.run(1)
        for _ in range(3 * s.scn.n_turns):
            if isinstance(app.top, EndScene):
                break
            drawn = {f for _, f in scene.board.counters}
            assert drawn <= set(s.visible_forces()), "unseen enemies are never drawn"
            key(pygame.K_ESCAPE if isinstance(app.top, ResultsScene) else pygame.K_RETURN)
            app.run(1)
        assert isinstance(app.top, EndScene)
        assert s.game.over
        assert (tmp_path / "saves" / "autosave.json").exists()
    finally:
        pygame.display.quit()
