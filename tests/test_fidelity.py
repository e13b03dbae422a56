"""ingavi fidelity: the JSON contract, what is measured, determinism, targets, errors."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from game.cli import main
from game.engine.turn import TurnReport
from game.history.fidelity import targets
from game.history.historical_runs import Setup, play
from game.history.measure import NEVER, Watcher
from game.paths import default_scenario, scenarios_dir
from game.play_loop import Turn
from game.scenario.load import load_scenario

TINY = scenarios_dir() / "examples" / "tiny.yaml"


@pytest.fixture(scope="module")
def war():
    return load_scenario(default_scenario())


@pytest.fixture(scope="module")
def report():
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(
            ["fidelity", "--runs", "24", "--fallback", "hold", "--workers", "1", "--json"]
        )
    assert status == 0
    return json.loads(out.getvalue())


def test_json_contract(report, war):
    assert report["runs"] == 24
    assert report["seed"] == war.model.meta.default_seed
    ids = [e["id"] for e in report["engagements"]]
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
    for e in report["engagements"]:
        assert set(e) >= {"id", "name", "date", "historical_winner", "p_occurs"}
        assert 0.0 <= e["p_occurs"] <= 1.0
        assert e["p_historical_winner"] is None or 0.0 <= e["p_historical_winner"] <= 1.0
        dt.date.fromisoformat(e["date"])
    ingavi = report["engagements"][1]
    assert (ingavi["name"], ingavi["date"], ingavi["historical_winner"]) == (
        "Battle of Ingavi",
        "1841-11-18",
        "bolivia",
    )
    assert set(report["commanders_killed"]) == {"gamarra", "garcia"}
    assert all(0.0 <= p <= 1.0 for p in report["commanders_killed"].values())
    k = report["killed_total"]
    assert k["p05"] <= k["median"] <= k["p95"]
    assert sum(report["outcomes"].values()) == pytest.approx(1.0)
    assert set(report["outcomes"]) == {o.id for o in war.outcomes}
    e = {k: dt.date.fromisoformat(v) for k, v in report["end_date"].items()}
    assert e["p05"] <= e["median"] <= e["p95"]
    occ = {o["id"]: o for o in report["occupations"]}
    assert occ["r_tacna"]["evacuated_by"] == "1842-02-28"
    assert report["history"] == {
        "killed_total": 1000,
        "killed_range": [700, 1400],
        "outcome": "status_quo",
        "end_date": "1842-06-07",
        "treaty": "Treaty of Puno",
    }


def test_the_historical_orders_bring_on_the_war(report):
    # With the recorded orders every battle of the record is fought in most wars.
    assert all(e["p_occurs"] >= 0.5 for e in report["engagements"])
    assert report["outcomes"]["status_quo"] > 0.5


def _report(battles):
    t = {
        k: np.array([b[i] for b in battles])
        for i, k in enumerate(["run", "province", "day", "attacker", "winner"])
    }
    return TurnReport(turn=6, tables={"battles": t} if battles else {})


def test_watcher_takes_the_battle_closest_to_the_date(war):
    w = Watcher(war, 3)
    viacha = war.province_index["viacha"]
    e = [b.id for b in w.battles].index("r_ingavi")
    day = w.battles[e].day - 6 * war.turn_days  # the day within turn 6
    bol = war.side_index["bolivia"]
    rows = [
        # run 0: Bolivia attacks and wins on the day
        (0, viacha, day, bol, 1),
        # run 1: a draw far off, then Peru (defending) wins on the day: the latter counts
        (1, viacha, day - 5, bol, 0),
        (1, viacha, day, bol, -1),
        # run 2: a battle elsewhere only
        (2, war.province_index["la_paz"], day, bol, 1),
    ]
    st = type("S", (), {"owner": np.zeros((3, war.P), np.int8), "over": np.zeros(3, bool)})()
    w(Turn(st, None, st, _report(rows), np.arange(3)))
    assert list(w.gap[:, e]) == [0, 0, NEVER]
    assert list(w.won[:, e]) == [True, False, False]


def test_targets_judge_the_thresholds():
    def rep(p_win, p_occurs, killed, best, end):
        return {
            "engagements": [
                {
                    "id": "a",
                    "name": "A",
                    "decisive": True,
                    "historical_winner": "x",
                    "p_historical_winner": p_win,
                    "p_occurs": p_occurs,
                },
                {
                    "id": "b",
                    "name": "B",
                    "decisive": False,
                    "historical_winner": "x",
                    "p_historical_winner": 0.55,
                    "p_occurs": 0.9,
                },
            ],
            "killed_total": {"median": killed},
            "outcomes": {"sq": 1 - best, "win": best},
            "outcome_names": {"sq": "Status quo", "win": "Win"},
            "end_date": {"median": end},
            "history": {"outcome": "sq", "end_date": "1842-06-07"},
        }

    good = targets(rep(0.6, 0.7, 700, 0.2, "1842-07-05"))
    assert all(t.met for t in good), [t for t in good if not t.met]
    bad = targets(rep(0.59, 0.69, 1301, 0.6, "1842-07-06"))
    assert [t.met for t in bad] == [False, True, False, True, False, False, False]


def test_rows_do_not_depend_on_chunks_or_processes():
    tiny = load_scenario(TINY)
    s = Setup(str(TINY), seed=3, fallback="heuristic").pinned(tiny)
    one = play(s, 12, chunk_size=12)
    split = play(s, 12, chunk_size=5)
    pooled = play(s, 12, chunk_size=4, workers=2)
    for k in one:
        np.testing.assert_array_equal(one[k], split[k])
        np.testing.assert_array_equal(one[k], pooled[k])
    assert list(one["run"]) == list(range(12))


def test_first_run_offsets_the_runs():
    tiny = load_scenario(TINY)
    s = Setup(str(TINY), seed=3, fallback="hold").pinned(tiny)
    all_rows = play(s, 6)
    tail = play(s, 3, first_run=3)
    for k in all_rows:
        np.testing.assert_array_equal(all_rows[k][3:], tail[k])


def test_human_output_has_tables_and_targets(capsys):
    assert main(["fidelity", str(TINY), "--runs", "10", "--fallback", "hold", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Recorded battles" in out
    assert "Battle of Dal" in out
    assert "Targets" in out
    assert "The war beside history" in out


def test_compare_plays_the_overlays_beside_the_baseline(capsys, tmp_path):
    overlay = tmp_path / "bigger.yaml"
    overlay.write_text(
        f"extends: {TINY}\n"
        "overlay:\n"
        "  id: bigger@1.0\n"
        "  title: Bigger south\n"
        "  description: The south doubles its army.\n"
        "forces:\n"
        "  - id: south_army\n"
        "    men: {value: 5000, range: [5000, 5000]}\n",
        encoding="utf-8",
    )
    args = ["fidelity", str(TINY), "--runs", "12", "--fallback", "hold", "--json"]
    assert main([*args, "--compare", str(overlay)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["runs"] == 12
    [other] = out["compare"]
    assert other["overlay"] == str(overlay)
    assert other["scenario"]["id"] == "bigger@1.0"
    assert (
        other["engagements"][0]["p_historical_winner"]
        < out["engagements"][0]["p_historical_winner"]
    )
    assert main([*args[:-1], "--quiet", "--compare", str(overlay)]) == 0
    assert "What-ifs beside the historical baseline" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "0"], "--runs must be at least 1"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--compare", "nowhere.yaml"], "no such file"),
        (["--seed", "-1"], "--seed must be between"),
    ],
)
def test_errors_are_one_line(capsys, args, message):
    assert main(["fidelity", str(TINY), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
