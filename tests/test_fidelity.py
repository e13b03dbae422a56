"""ingavi fidelity: the JSON contract, what is measured, determinism, targets, errors."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from game.cli import main
from game.engine.context import new_context
from game.engine.phases.engagements import DRAW, record_engagements
from game.engine.state import NOT_FOUGHT, initial_state
from game.history.fidelity import targets
from game.history.historical_runs import Setup, play
from game.history.score import battle_forecasts, logistic_attacker, score
from game.paths import default_scenario, scenarios_dir
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
    assert occ["r_tacna"]["occupier"] == "bolivia" and occ["r_la_paz"]["occupier"] == "peru"
    assert set(report["score"]) >= {"brier", "brier_constant", "brier_ratio_logistic", "loglik"}
    assert report["blind"] is False
    for e in report["engagements"]:
        assert set(e["fitted"]) == {"happens", "winner", "strengths", "losses"}
        assert set(e["figures"]["sides"]) == {"peru", "bolivia"}
    assert report["engagements"][1]["fitted"]["happens"]["fitted"], "a link was set for it"
    assert not report["engagements"][1]["fitted"]["winner"]["fitted"]
    # nothing in the scenario is set to reach the end date or the outcome: both predicted
    assert report["end_fitted"] == {"fitted": False, "calibrated_by": []}
    assert report["outcome_fitted"] == {"fitted": False, "calibrated_by": []}
    assert not report["talks_opened"]["fitted"]
    assert {u["id"] for u in report["unmeasured"]} >= {"r_levy", "r_withdrawal"}
    assert report["responsiveness"]["decisive"] == "r_ingavi"
    assert report["history"] == {
        "killed_total": 1000,
        "killed_range": [700, 1400],
        "outcome": "status_quo",
        "end_date": "1842-06-07",
        "treaty": "Treaty of Puno",
    }


@pytest.fixture(scope="module")
def endless_report():
    """The report of 24 wars in which no talks open: every war lasts to the end date."""
    import contextlib
    import io

    sets = [
        "victory.peace.talks_will=0",
        "victory.peace.collapse_will=0",
        "events.ev_chilean_mediation.enabled=false",
    ]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        args = ["fidelity", "--runs", "24", "--fallback", "hold", "--workers", "1", "--json"]
        status = main(args + [a for s in sets for a in ("--set", s)])
    assert status == 0
    return json.loads(out.getvalue())


def test_the_historical_orders_bring_on_the_war(endless_report):
    # With the recorded orders every battle of the record is fought where its premise held,
    # while the war lasts (when it ends is the model's, reported as a figure, not tested).
    assert endless_report["end_date"]["p05"] >= "1842-06-01"
    for e in endless_report["engagements"]:
        given = e["occurs_given_premise"]
        assert (e["p_occurs"] if given is None else given["p"] or 1.0) >= 0.5, e["id"]


def test_engine_keeps_the_battle_nearest_the_recorded_date(war):
    st = initial_state(war, 3, 5)
    st.turn = war.turn_of(dt.date(1841, 11, 18))
    ctx = new_context(war, st, record_moves=False)
    viacha = war.province_index["viacha"]
    e = war.rec_battle_index["r_ingavi"]
    day = int(war.rec_battle_day[e]) - st.turn * war.turn_days  # the day within the turn
    bol = war.side_index["bolivia"]
    rows = [
        # run 0: Bolivia attacks and wins on the day
        (0, viacha, day, bol, 1),
        # run 1: a draw days off, then Peru (defending) wins on the day: the latter counts
        (1, viacha, day - 5, bol, 0),
        (1, viacha, day, bol, -1),
        # run 2: a battle elsewhere only
        (2, war.province_index["la_paz"], day, bol, 1),
    ]
    cols = ["run", "province", "day", "attacker", "winner"]
    ctx.rec("battles").add(**{k: np.array([r[i] for r in rows]) for i, k in enumerate(cols)})
    record_engagements(war, st, ctx)
    assert list(st.rec_gap[:, e]) == [0, 0, NOT_FOUGHT]
    assert list(st.rec_winner[:, e]) == [bol, 1 - bol, -1]
    assert list(ctx.rec("recorded_battles").table()["battle"]) == [0, 2]
    # a later battle farther from the date does not replace the nearer one
    ctx2 = new_context(war, st, record_moves=False)
    ctx2.rec("battles").add(run=[1], province=[viacha], day=[day - 3], attacker=[bol], winner=[0])
    record_engagements(war, st, ctx2)
    assert st.rec_winner[1, e] == 1 - bol and DRAW == 2


def test_score_against_known_numbers():
    # one battle: history's winner won 3 of 4 wars in which it was fought
    winner = np.array([0, 0, 1, 0, -1])
    attacker = np.array([0, 0, 0, 1, 0])
    men = np.array([[100, 100]] * 5)
    f = battle_forecasts(winner, attacker, men, historical=0)
    assert (f["fought"], f["wins"], f["p"]) == (4, 3, 0.75)
    # history's winner attacked in 3 of the 4 wars: 0.57 three times, 0.43 once
    assert f["p_constant"] == pytest.approx((3 * 0.57 + 0.43) / 4)
    even = float(logistic_attacker(np.array([100]), np.array([100]))[0])
    assert even == pytest.approx(1 / (1 + np.exp(-0.31)))
    assert f["p_logistic"] == pytest.approx((3 * even + (1 - even)) / 4)
    sc = score([f])
    assert sc["brier"] == pytest.approx(0.0625)
    assert sc["loglik"] == pytest.approx(np.log(3.5 / 5))
    assert sc["brier_ratio_logistic"] == pytest.approx((1 - f["p_logistic"]) ** 2)
    assert sc["brier_model_over_ratio_logistic"] == pytest.approx(
        0.0625 / (1 - f["p_logistic"]) ** 2
    )
    assert sc["brier_constant"] == pytest.approx((1 - f["p_constant"]) ** 2)
    assert battle_forecasts(np.full(3, -1), attacker[:3], men[:3], 0) is None
    assert score([])["brier"] is None


def test_targets_are_read_from_the_record():
    def rep(p_occurs, given, killed, best, responsive):
        return {
            "engagements": [
                {"id": "a", "name": "A", "p_occurs": p_occurs, "occurs_given_premise": None},
                {
                    "id": "b",
                    "name": "B",
                    "premise_name": "A won",
                    "p_occurs": 0.1,
                    "occurs_given_premise": {"p": given},
                },
            ],
            "killed_total": {"median": killed},
            "outcomes": {"sq": 1 - best, "win": best},
            "outcome_names": {"sq": "Status quo", "win": "Win"},
            "history": {"outcome": "sq", "killed_range": [500, 900]},
            "responsiveness": {
                "targets": [{"name": "R", "wanted": "", "got": "", "met": responsive}]
            },
        }

    good = targets(rep(0.7, 0.7, 500, 0.2, True))
    assert all(t.met for t in good), [t for t in good if not t.met]
    assert good[1].name == "B happens (where A won)"
    bad = targets(rep(0.69, 0.69, 901, 0.6, False))
    assert [t.met for t in bad] == [False, False, False, False, False]
    # who wins and when the war ends are reported, not targets
    assert not any("wins" in t.name or "ends" in t.name for t in good)


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


def test_runs_csv_and_blind(tmp_path, capsys):
    out = tmp_path / "runs.csv"
    args = ["fidelity", str(TINY), "--runs", "6", "--fallback", "hold", "--json"]
    assert main([*args, "--runs-csv", str(out)]) == 0
    rep = json.loads(capsys.readouterr().out)
    lines = out.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert header[:4] == ["run", "outcome", "end_date", "killed_total"]
    battles = [h for h in header if h.startswith("battle:")]
    assert battles == [f"battle:{e['id']}" for e in rep["engagements"]]
    assert [h for h in header if h.startswith("occupied:")] == [
        f"occupied:{o['id']}" for o in rep["occupations"]
    ]
    assert len(lines) == 7
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=True))
        assert row["outcome"] in rep["outcomes"]
        assert all(row[b] in ("", "draw", "north", "south") for b in battles)
    assert main([*args, "--blind"]) == 0
    blind = json.loads(capsys.readouterr().out)
    assert blind["blind"] is True and blind["scenario"]["hash"] != rep["scenario"]["hash"]


def test_runs_csv_in_a_missing_folder_is_refused(tmp_path, capsys):
    assert main(["fidelity", str(TINY), "--runs-csv", str(tmp_path / "no" / "x.csv")]) == 2
    assert "create it first" in capsys.readouterr().err
