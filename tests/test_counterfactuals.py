"""The what-ifs in scenarios/counterfactuals/: valid, sourced, and changing causes only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from game.codes import OrderKind
from game.history.record_policies import make_all
from game.history.replay import replay
from game.paths import default_scenario, scenarios_dir
from game.scenario.load import load_scenario
from game.scenario.overlay import load_with_overlays

FOLDER = scenarios_dir() / "counterfactuals"
FILES = sorted(FOLDER.glob("*.yaml"))
REQUIRED = {
    "gamarra_in_the_front_line",
    "peru_full_strength",
    "gamarra_waits",
    "no_counter_invasion",
    "south_garrison_doubled",
    "peru_civil_strife",
}
CAUSES = {"forces", "commanders", "events", "history", "remove"}
"""Sections a what-if may change: strengths, commanders, event switches, orders."""


@pytest.fixture(scope="module")
def base():
    return load_scenario(default_scenario())


def load(name: str):
    return load_with_overlays(default_scenario(), [FOLDER / f"{name}.yaml"], [])


def test_the_six_required_what_ifs_are_there():
    assert {f.stem for f in FILES} >= REQUIRED


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_extends_the_war_with_a_sourced_motivation(path: Path, base):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["extends"] == "../peru_bolivia_1841.yaml"
    header = raw["overlay"]
    assert header["id"].startswith(path.stem + "@")
    assert len(header["description"].split()) >= 60, "a paragraph of motivation"
    cited = re.findall(r"\b(facts#\d[a-z]?|seed#[A-Z][\w ]+)", header["description"])
    assert cited, "cites the scenario's sources"
    assert any(c.startswith("facts#6") for c in cited), "motivated by facts §6"
    ids = {s.id for s in base.model.meta.sources}
    assert all(c.split("#")[0] in ids for c in cited)
    assert set(raw) - {"extends", "overlay"} <= CAUSES
    scn = load_with_overlays(default_scenario(), [path], [])
    assert scn.hash != base.hash
    assert scn.model.meta.id == header["id"]
    # A what-if never rewrites what happened: the record is history's.
    assert scn.model.history.record == base.model.history.record


def test_front_line_raises_his_exposure_only(base):
    scn = load("gamarra_in_the_front_line")
    g = scn.commander_index["gamarra"]
    assert scn.exposure[g] > base.exposure[g]
    assert scn.leadership[g] == base.leadership[g]
    assert scn.initiative[g] == base.initiative[g]


def test_full_strength_invasion_is_nine_thousand(base):
    scn = load("peru_full_strength")
    army = ["peru_gamarra", "peru_cavalry", "peru_san_roman", "peru_la_paz_garrison"]
    men = sum(int(scn.men0[scn.force_index[f]]) for f in army)
    assert men == 9000
    assert men > sum(int(base.men0[base.force_index[f]]) for f in army)


def test_switches_are_turned_on(base):
    for name, event in [
        ("peru_civil_strife", "w_peru_civil_strife"),
        ("velasco_withholds", "w_velasco_withholds"),
        ("santa_cruz_plot", "w_santa_cruz_plot"),
        ("ballivian_holds_arica", "w_arica_bargaining_chip"),
        ("chilean_fleet", "w_chilean_pressure"),
    ]:
        assert not base.events[base.event_index[event]].enabled
        scn = load(name)
        assert scn.events[scn.event_index[event]].enabled, name


def _orders_into(scn, side: str, after: dt.date) -> list[tuple[str, str]]:
    peru_home = scn.home[scn.side_index["peru"]]
    out = []
    for o in scn.model.history.orders:
        into = o.to is not None and peru_home[scn.province_index[o.to]]
        if o.force.startswith(side) and o.date >= after and into:
            out.append((o.force, o.to))
    return out


def test_no_counter_invasion_keeps_bolivia_home(base):
    ingavi = dt.date(1841, 11, 19)
    assert _orders_into(base, "bol_", ingavi)
    scn = load("no_counter_invasion")
    assert _orders_into(scn, "bol_", ingavi) == []
    # the División Lara joins a Bolivian Puno only if there is one; else it stands at La Paz
    assert scn.by_event[scn.force_index["bol_lara"]]
    home = scn.events[scn.event_index["ev_lara_home"]]
    assert home.effects[0].raise_.at == "la_paz" and home.when.not_ is not None


def test_gamarra_waits_keeps_the_army_on_the_border():
    scn = load("gamarra_waits")
    army = [
        scn.force_index[f]
        for f in ("peru_gamarra", "peru_cavalry", "peru_san_roman", "peru_la_paz_garrison")
    ]
    kinds = np.asarray(scn.hist_kind)[:, army]
    moving = np.isin(kinds, [OrderKind.MARCH, OrderKind.FORCED_MARCH, OrderKind.ATTACK])
    # the army's only marches are history's retreat from a lost Ingavi, which lapses
    lost = scn.premise_index["ingavi_lost"]
    assert (np.asarray(scn.hist_block)[:, army][moving] == lost).all()
    assert (kinds[0] == OrderKind.GARRISON).all()
    # the wait rests on Peru not being invaded; Bolivia's invasion of Peru on a won Ingavi
    wait = scn.premise_index["peru_not_invaded"]
    assert (np.asarray(scn.hist_premise)[0, army] == wait).all()
    won = scn.premise_index["ingavi_won"]
    peru = scn.home[scn.side_index["peru"]]
    into = [
        o
        for o in scn.model.history.orders
        if o.force.startswith("bol_") and o.to is not None and peru[scn.province_index[o.to]]
    ]
    assert into
    for o in into:
        assert scn.hist_block[scn.turn_of(o.date), scn.force_index[o.force]] == won, o


@pytest.mark.parametrize("name", ["gamarra_waits", "no_counter_invasion"])
def test_no_bolivian_division_appears_in_peru_without_an_invasion(name):
    scn = load(name)
    peru = scn.home[scn.side_index["peru"]]
    for f in np.flatnonzero(scn.force_side == scn.side_index["bolivia"]):
        at = int(scn.arrival_at[f])
        assert at < 0 or not peru[at], scn.force_ids[f]


def test_doubled_garrisons_double_the_regiments(base):
    scn = load("south_garrison_doubled")
    ev = scn.events[scn.event_index["w_south_garrisons_doubled"]]
    added = {e.reinforce.force: e.reinforce.men for e in ev.effects}
    for f, men in added.items():
        assert men == int(base.men0[base.force_index[f]])
    assert set(added) == {"bol_magarinos", "bol_rojas", "bol_garcia", "bol_chichas"}


def test_waiting_at_the_border_means_no_ingavi():
    scn = load("gamarra_waits")
    ch = replay(scn, make_all("hold", scn))
    assert not [
        e for t in ch.turns for e in t.entries if e.kind == "battle" and e.place == "viacha"
    ]


def test_chiles_fleet_closes_the_coast_and_orders_no_evacuation(base):
    # The squadron starves the garrisons of the coast through the supply rule; whether the
    # coast is given up stays with the recorded orders' premises and the fallback.
    from game.engine.phases.supply import supply_distance

    scn = load("chilean_fleet")
    assert scn.model.history.orders == base.model.history.orders
    ev = scn.events[scn.event_index["w_chilean_pressure"]]
    closed = {p for eff in ev.effects if eff.blockade for p in eff.blockade.provinces}
    assert {"arica", "cobija"} <= closed
    bol, arica = scn.side_index["bolivia"], scn.province_index["arica"]
    owner = np.array(scn.owner0, dtype=np.int8)[None, :].copy()
    owner[0, arica] = bol
    fired = np.zeros((1, scn.E), bool)
    assert supply_distance(scn, owner, bol, fired)[0, arica] == 0.0
    fired[0, scn.event_index["w_chilean_pressure"]] = True
    assert supply_distance(scn, owner, bol, fired)[0, arica] > scn.rules.supply.range_days
