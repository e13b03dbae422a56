"""ingavi replay: the chronicle beside the record, determinism, study runs and the window."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from game.cli import main
from game.history import record
from game.history.measure import play_measured
from game.history.record_policies import RecordedPolicy, make_all
from game.history.replay import replay, to_json
from game.paths import default_scenario, scenarios_dir
from game.scenario.load import load_scenario

TINY = scenarios_dir() / "examples" / "tiny.yaml"


@pytest.fixture(scope="module")
def war():
    return load_scenario(default_scenario())


@pytest.fixture(scope="module")
def chronicle(war):
    return replay(war, make_all("hold", war), run=3)


def test_record_of_the_war(war):
    ids = [b.id for b in record.engagements(war)]
    assert ids == [
        "r_mecapaca",
        "r_ingavi",
        "r_arica_battle",
        "r_altos_de_chipe",
        "r_sama",
        "r_tarapaca_battle",
        "r_motoni",
        "r_orurillo",
    ]
    assert record.decisive(record.engagements(war)) == "r_ingavi"
    assert record.killed_in_history(war) == ["gamarra", "garcia"]
    occ = {o.id: o for o in record.occupations(war)}
    assert occ["r_tacna"].until == dt.date(1842, 2, 28)
    assert occ["r_puno"].until == dt.date(1842, 4, 8)
    assert occ["r_la_paz"].until is None
    assert war.side_ids[occ["r_tacna"].side] == "bolivia"
    assert war.side_ids[occ["r_la_paz"].side] == "peru"
    assert record.historical_outcome(war) == "status_quo"
    assert record.killed_total(war) == (1000, (700, 1400))


def test_turns_cover_the_war_and_history_falls_in_them(war, chronicle):
    turns = chronicle.turns
    assert [t.turn for t in turns] == list(range(len(turns)))
    assert turns[0].first == war.start
    for a, b in itertools.pairwise(turns):
        assert b.first == a.last + dt.timedelta(days=1)
    for t in turns:
        for r in t.history:
            assert t.first <= r.date <= t.last
        for e in t.entries:
            assert t.first <= e.date <= t.last or e.kind == "event"
    shown = [r.id for t in turns for r in t.history] + [r.id for r in chronicle.later]
    assert shown == [r.id for r in record.entries(war)]


def test_battles_carry_strengths_losses_and_commanders(war, chronicle):
    battles = [e for t in chronicle.turns for e in t.entries if e.kind == "battle"]
    assert battles, "the historical orders bring on battles"
    ingavi = [b for b in battles if b.place == "viacha"]
    assert ingavi
    fig = ingavi[0].figures
    assert fig["att_men"] > 1000 and fig["def_men"] > 1000
    assert fig["att_killed"] >= 0 and fig["def_killed"] >= 0
    assert "Agustín Gamarra" in ingavi[0].text
    assert chronicle.outcome is not None


def test_replay_run_matches_the_same_run_of_a_batch(war, chronicle):
    policies = {s: RecordedPolicy(s) for s in range(war.S)}
    rows = play_measured(
        war, policies, np.arange(2, 5, dtype=np.int64), war.model.meta.default_seed
    )
    i = list(rows["run"]).index(3)
    assert int(rows["killed"][i]) == sum(chronicle.killed.values())
    assert war.outcomes[int(rows["outcome"][i])].id == chronicle.outcome.id
    end = war.start + dt.timedelta(days=int(rows["end_day"][i]))
    assert end == chronicle.outcome.date


def test_columns_marching_together_share_a_line(war, chronicle):
    from game.history.replay_view import merge_marches

    week = next(t for t in chronicle.turns if t.first <= dt.date(1841, 11, 12) <= t.last)
    lines = [text for _, kind, text in merge_marches(war, week.entries) if kind == "march"]
    together = [x for x in lines if "march from Sica Sica toward Viacha" in x]
    assert len(together) == 1
    assert together[0].startswith("Ballivián's main body, Herrera's detachment")
    assert together[0].count(",") >= 9 and " and " in together[0]
    moves = ("march", "retreat")
    others = [e.text for e in week.entries if e.kind not in moves]
    assert [t for _, k, t in merge_marches(war, week.entries) if k not in moves] == others
    back = [t for _, k, t in merge_marches(war, week.entries) if k == "retreat"]
    assert len(back) <= len([e for e in week.entries if e.kind == "retreat"])


def test_every_battle_is_counted(war, chronicle):
    # Arica and the Altos de Chipe are fought in the same week: both must count.
    from game.play_loop import play

    st = play(war, make_all("hold", war), np.array([3]), war.model.meta.default_seed)
    entries = [e for t in chronicle.turns for e in t.entries if e.kind == "battle"]
    assert int(st.battles[0]) == len(entries)


def test_json_is_deterministic_and_complete(war, capsys):
    assert main(["replay", str(TINY), "--fallback", "hold", "--json", "--seed", "5"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["replay", str(TINY), "--fallback", "hold", "--json", "--seed", "5"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert first["seed"] == 5
    assert first["run"] == 0
    assert first["outcome"]["id"]
    hist = [h for t in first["turns"] for h in t["history"]] + first["history_after"]
    assert [h["id"] for h in hist] == ["crossing", "battle_of_dal", "peace"]
    dal = next(h for h in hist if h["id"] == "battle_of_dal")
    assert "Northland 3,300 v Southland 2,300" in dal["text"]
    assert "won by Northland" in dal["text"]


def test_explain_gives_each_sides_orders(war):
    ch = replay(war, make_all("hold", war), explain=True)
    first = ch.turns[0].orders
    assert "Gamarra's main body: as in history: march Achacachi" in first["peru"]
    assert "Ballivián's main body: as in history: march Sica Sica" in first["bolivia"]


def test_default_seed_is_the_scenarios(capsys):
    assert main(["replay", str(TINY), "--fallback", "hold", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["seed"] == 7


def test_text_shows_history_with_sources_beside_the_turns(capsys):
    assert main(["replay", "--fallback", "hold", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "In history" in out
    assert "Battle of Ingavi" in out
    assert "[seed#Battle of Ingavi]" in out
    assert "Battle at Viacha" in out
    assert "orders:" in out
    assert "Treaty of Puno" in out
    assert "The end of the war" in out


def _fake_study(tmp: Path, scn, **over) -> Path:
    summary = {
        "command": "ingavi study",
        "scenario": {"path": str(TINY), "overlays": [], "sets": [], "hash": scn.hash},
        "seed": 11,
        "policies": dict.fromkeys(scn.side_ids, "game.history.record_policies:recorded"),
        "difficulty": "normal",
        "sample_uncertain": False,
        "first_run": 0,
        "runs": 10,
    }
    summary.update(over)
    folder = tmp / "study"
    folder.mkdir(exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return folder


def test_study_run_replays_that_runs_dice(tmp_path, capsys):
    tiny = load_scenario(TINY)
    folder = _fake_study(tmp_path, tiny)
    code = [f"--policy={side}=game.history.record_policies:recorded" for side in tiny.side_ids]
    assert main(["replay", "--study", str(folder), "--run", "4", "--json", *code]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["seed"], out["run"]) == (11, 4)
    direct = to_json(replay(tiny, make_all("hold", tiny), 11, run=4, audit=(0, 1)))
    assert out["turns"] == direct["turns"]


@pytest.mark.parametrize(
    ("change", "args", "message"),
    [
        ({}, ["--run", "10"], "played runs 0..9, not run 10"),
        (
            {"scenario": {"path": str(TINY), "hash": "0" * 64}, "policies": {"north": "random"}},
            ["--run", "1"],
            "has changed",
        ),
        ({}, [], "--study needs --run N"),
        ({}, ["--run", "1", "--seed", "3"], "--seed cannot be given"),
        ({"runs": None}, ["--run", "1"], "not a study summary"),
    ],
)
def test_study_errors_are_one_line(tmp_path, capsys, change, args, message):
    folder = _fake_study(tmp_path, load_scenario(TINY), **change)
    assert main(["replay", "--study", str(folder), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_missing_study_folder(tmp_path, capsys):
    assert main(["replay", "--study", str(tmp_path / "nowhere"), "--run", "0"]) == 2
    assert "no summary.json" in capsys.readouterr().err


def test_gui_opens_the_window_with_the_replay(monkeypatch):
    import game.ui

    seen = {}

    def fake_open(scn, policies, seed, run, **kw):
        seen.update(scn=scn, policies=policies, seed=seed, run=run, **kw)

    monkeypatch.setattr(game.ui, "open_replay", fake_open)
    assert main(["replay", str(TINY), "--gui", "--seed", "9", "--run", "2"]) == 0
    assert seen["seed"] == 9
    assert seen["run"] == 2
    assert set(seen["policies"]) == {0, 1}
    assert seen["sample_uncertain"] is False
    assert seen["source"].path == str(TINY)
