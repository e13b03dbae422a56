"""The turn's Marches page under fog of war, checked against the engine's own ``observe``.

A side may read of an enemy march only what its scouts saw: a departure from where the
force was seen standing before the turn (and the road it took, never where it was bound),
an arrival where the force is seen standing after it, a retreat from a field it fought on.
"""

from __future__ import annotations

import re

import pygame
import pytest
from test_ui_support import TINY, ScriptedPolicy, key

from game.codes import OrderKind
from game.engine.observe import observe
from game.game import ScenarioSource
from game.paths import default_scenario
from game.ui import ai_levels
from game.ui.app import App
from game.ui.launch import new_session
from game.ui.scenes.campaign import CampaignScene
from game.ui.scenes.results import ResultsScene
from game.ui.witnessed import SECRET

pytestmark = pytest.mark.gui


def _named(scn, text: str, force: int) -> set[int]:
    """Return the provinces a sentence names, leaving out the force's own name."""
    text = text.replace(scn.force_name(force), "")
    out = set()
    for p in sorted(range(scn.P), key=lambda q: -len(scn.province_name(q))):
        pattern = rf"\b{re.escape(scn.province_name(p))}\b"
        if re.search(pattern, text):
            out.add(p)
            text = re.sub(pattern, "", text)
    return out


def _check_turn(s, record, side: int) -> int:
    """Check one turn's visible chronicle against observe; return the enemy entries kept."""
    scn = s.scn
    before = observe(scn, record.before, side)
    after = observe(scn, record.after, side)
    fought = {
        scn.province_index[e.figures["province_id"]] for e in record.entries if e.kind == "battle"
    }
    shown = s.visible_entries(record, side)
    kept = 0
    for e in shown:
        fid = e.figures.get("force")
        if e.kind not in SECRET or fid is None or before.own[scn.force_index[fid]]:
            continue
        f = scn.force_index[fid]
        kept += 1
        assert before.seen[0, f] or after.seen[0, f] or fought, e.text
        known = {int(before.loc[0, f]), int(after.loc[0, f])} | fought
        if before.seen[0, f]:
            known |= {int(p) for p in scn.next_hop[int(before.loc[0, f])] if p >= 0}
        assert _named(scn, e.text, f) <= known, f"{e.text!r} names a place the scouts did not see"
    for e in record.entries:  # every departure seen is reported
        fid = e.figures.get("force")
        if e.kind == "march" and "origin" in e.figures and not before.own[scn.force_index[fid]]:
            f = scn.force_index[fid]
            dest = scn.province_index[e.figures["dest"]]
            reported = [
                x
                for x in shown
                if x.kind == "march" and x.figures.get("force") == fid and "origin" in x.figures
            ]
            assert bool(reported) == bool(before.seen[0, f]), e.text
            for x in reported:
                assert "dest" not in x.figures
                if dest != int(after.loc[0, f]) and dest not in known_road(scn, before, f):
                    assert dest not in _named(scn, x.text, f), "the destination leaked"
    return kept


def known_road(scn, obs, f) -> set[int]:
    here = int(obs.loc[0, f])
    return {int(p) for p in scn.next_hop[here] if p >= 0} if here >= 0 else set()


def test_marches_of_the_war_keep_to_what_each_side_saw(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))
    s = new_session(ScenarioSource(str(default_scenario())), "peru", "normal", None)
    s.autosave = None
    policies = dict(s.ai)
    policies[0] = ai_levels.make("historical", 0, s.scn)
    kept = hidden = 0
    for _ in range(9):
        record = s.game.end_turn(policies)
        for side in (0, 1):
            kept += _check_turn(s, record, side)
        enemy = [
            e
            for e in record.entries
            if e.kind in SECRET and s.scn.force_side[s.scn.force_index[e.figures["force"]]] != 0
        ]
        hidden += len(enemy) - sum(
            1
            for e in s.visible_entries(record, 0)
            if e.kind in SECRET and s.scn.force_side[s.scn.force_index[e.figures["force"]]] != 0
        )
    assert kept > 0 and hidden > 0, "the war shows some enemy marches and hides others"


def test_the_marches_page_hides_an_unseen_march(tmp_path, monkeypatch):
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path))

    def south_goes_two_ways(name, side, scn, difficulty):
        return ScriptedPolicy(
            side,
            (
                (0, "south_army", OrderKind.MARCH, "havn"),
                (1, "south_army", OrderKind.MARCH, "dal"),
            ),
        )

    app = App(factory=south_goes_two_ways, throttle=False)
    try:
        s = new_session(ScenarioSource(str(TINY)), "north", "normal", None, south_goes_two_ways)
        scene = app.replace(CampaignScene(app, s))
        assert isinstance(scene, CampaignScene)
        app.run(1)
        scn = s.scn
        army = scn.force_index["north_army"]
        scene.select(army)
        scene.order_to(scn.province_index["fjell"])
        texts = []
        for _ in range(2):
            key(pygame.K_RETURN)
            app.run(1)
            results = app.top
            assert isinstance(results, ResultsScene)
            texts.append(" ".join(e.text for p in results.pages for e in p.entries))
            _check_turn(s, s.game.history[-1], 0)
            key(pygame.K_ESCAPE)
            app.run(1)
        assert "Southern Army" not in texts[0], "the march to Havn was out of sight"
        assert "Havn" not in texts[1], "where it came from was not seen"
        assert "Southern Army is seen arriving at Dal" in texts[1]
    finally:
        pygame.display.quit()
