"""The study, sweep, sensitivity and balance commands: what they print and write, and
one-line errors for options that cannot be honoured."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from engine_helpers import TINY
from test_study_runs import InterruptAfter

from game import study
from game.cli import main
from game.study import driver
from game.study.balance import VERDICTS

HOLD = {"north": "study_policies:hold", "south": "study_policies:hold"}
WANDER = ["--policy", "north=study_policies:wander", "--policy", "south=study_policies:wander"]
OVERLAY = """\
extends: {tiny}
overlay:
  id: bold_south@1.0
  title: A bolder South
  description: Southland's people would fight on longer.
  sources:
    - {{id: whatif, title: The author's judgement, kind: judgement}}
sides:
  - {{id: south, war_will: 0.95}}
"""


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_study_json_and_files(tmp_path, capsys):
    out = tmp_path / "study"
    code, stdout, _ = cli(
        capsys, "study", TINY, *WANDER, "--runs", 30, "--seed", 4, "--out", out, "--json"
    )
    assert code == 0
    summary = json.loads(stdout)
    assert summary == json.loads((out / "summary.json").read_text())
    for key in ("command", "scenario", "overlays", "seed", "engine_version", "runs", "outcomes"):
        assert key in summary
    for key in ("end_date", "killed", "elapsed_s", "runs_per_s", "provinces_held", "battles"):
        assert key in summary
    assert summary["runs"] == 30
    assert summary["seed"] == 4
    assert len(summary["scenario"]["hash"]) == 64
    assert set(summary["killed"]) == {"north", "south"}
    assert sum(o["p"] for o in summary["outcomes"].values()) == pytest.approx(1.0)
    for o in summary["outcomes"].values():
        assert o["ci95"][0] <= o["p"] <= o["ci95"][1]
    assert "--seed 4" in summary["command"]
    with open(out / "runs.csv", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [int(r["run"]) for r in table] == list(range(30))
    counts = {k: sum(r["outcome"] == k for r in table) for k in summary["outcomes"]}
    assert counts == {k: o["count"] for k, o in summary["outcomes"].items()}
    killed = np.array([int(r["killed_south"]) for r in table])
    assert summary["killed"]["south"]["mean"] == pytest.approx(killed.mean())
    for png in ("outcomes.png", "end_dates.png", "casualties.png", "map.png"):
        assert (out / png).stat().st_size > 5000


def test_study_tables_and_balance(tmp_path, capsys):
    code, stdout, _ = cli(
        capsys,
        "study",
        TINY,
        *WANDER,
        "--runs",
        12,
        "--out",
        tmp_path,
        "--balance",
        "--no-plots",
    )
    assert code == 0
    assert "outcome probabilities" in stdout
    assert "Balance:" in stdout
    assert "Wrote" in stdout
    assert not list(tmp_path.glob("*.png"))


def test_study_vs_overlay_reports_paired_and_independent_intervals(tmp_path, capsys):
    overlay = tmp_path / "bold.yaml"
    overlay.write_text(OVERLAY.format(tiny=TINY), encoding="utf-8")
    code, stdout, _ = cli(
        capsys,
        "study",
        TINY,
        *WANDER,
        "--runs",
        30,
        "--vs",
        overlay,
        "--out",
        tmp_path / "s",
        "--json",
        "--no-plots",
    )
    assert code == 0
    summary = json.loads(stdout)
    assert summary["vs"]["scenario"]["overlays"] == [str(overlay.resolve())]
    assert summary["vs"]["scenario"]["hash"] != summary["scenario"]["hash"]
    for o in summary["vs"]["comparison"]["outcomes"].values():
        lo, hi = o["ci95_paired"]
        ilo, ihi = o["ci95_independent"]
        assert hi - lo <= ihi - ilo
    with open(tmp_path / "s" / "runs.csv", newline="") as fh:
        header = next(csv.reader(fh))
    assert "vs_outcome" in header


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "east=study_policies:hold"], "no side 'east'"),
        (["--policy", "north"], "SIDE=POLICY"),
        (["--policy", "north=no_such_module:x"], "cannot import"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--backend dask"),
        (["--runs", "0"], "--runs"),
        (["--until-ci", "0.7"], "--until-ci"),
        (["--backend", "processes", "--workers", "0"], "--workers"),
    ],
)
def test_bad_options_are_one_line_errors(tmp_path, capsys, args, message):
    code, _, err = cli(capsys, "study", TINY, *WANDER, "--out", tmp_path, "--runs", 4, *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_missing_dask_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    code, _, err = cli(
        capsys, "study", TINY, *WANDER, "--runs", 4, "--backend", "dask", "--out", tmp_path
    )
    assert code == 2
    assert "pip install 'ingavi[dask]'" in err
    assert len(err.strip().splitlines()) == 1


def test_ctrl_c_keeps_chunks_and_says_how_to_resume(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(driver, "make_backend", lambda *a, **k: InterruptAfter(2))
    code, _, err = cli(
        capsys,
        "study",
        TINY,
        *WANDER,
        "--runs",
        20,
        "--chunk-size",
        5,
        "--out",
        tmp_path,
        "--quiet",
    )
    assert code == 130
    assert "--resume" in err
    assert json.loads((tmp_path / "summary.json").read_text())["runs"] == 10
    monkeypatch.undo()
    code, stdout, _ = cli(
        capsys,
        "study",
        TINY,
        *WANDER,
        "--runs",
        20,
        "--out",
        tmp_path,
        "--resume",
        "--json",
        "--no-plots",
    )
    assert code == 0
    assert json.loads(stdout)["campaigns_reused"] == 10


def test_sweep_one_parameter_shares_runs_with_a_plain_study(tmp_path, capsys):
    code, stdout, _ = cli(
        capsys,
        "sweep",
        TINY,
        *WANDER,
        "--param",
        "sides.south.war_will=0.5:0.7:0.1",
        "--runs",
        16,
        "--out",
        tmp_path,
        "--json",
    )
    assert code == 0
    summary = json.loads(stdout)
    assert [p["values"]["sides.south.war_will"] for p in summary["points"]] == [0.5, 0.6, 0.7]
    assert (tmp_path / "sweep.png").stat().st_size > 5000
    assert len((tmp_path / "sweep.csv").read_text().splitlines()) == 4
    alone = study.run(
        TINY,
        runs=16,
        policies=dict(a.split("=") for a in WANDER[1::2]),
        sets=["sides.south.war_will=0.7"],
    )
    assert summary["points"][2]["outcomes"] == {
        k: {"p": v["p"], "ci95": v["ci95"]} for k, v in alone.outcomes.items()
    }


def test_sweep_two_parameters_draws_a_grid(tmp_path, capsys):
    code, stdout, _ = cli(
        capsys,
        "sweep",
        TINY,
        *WANDER,
        "--param",
        "sides.south.war_will=0.5,0.8",
        "--param",
        "forces.south_army.men=2000:2400:400",
        "--runs",
        6,
        "--out",
        tmp_path,
        "--json",
    )
    assert code == 0
    points = json.loads(stdout)["points"]
    assert [tuple(p["values"].values()) for p in points] == [
        (0.5, 2000),
        (0.5, 2400),
        (0.8, 2000),
        (0.8, 2400),
    ]
    assert (tmp_path / "sweep.png").exists()


def test_sweep_refuses_bad_parameters(tmp_path, capsys):
    for bad in ("sides.south.war_will", "x=1:0:1", "x=a:b:c", "x=1:2"):
        code, _, err = cli(capsys, "sweep", TINY, "--param", bad, "--out", tmp_path)
        assert code == 2, bad
        assert len(err.strip().splitlines()) == 1


def test_sensitivity_ranks_uncertain_inputs(tmp_path, capsys):
    code, stdout, _ = cli(
        capsys, "sensitivity", TINY, *WANDER, "--runs", 40, "--out", tmp_path, "--json"
    )
    assert code == 0
    drivers = json.loads(stdout)["drivers"]
    assert [d["force"] for d in drivers] == ["north_army"]
    assert drivers[0]["range"] == [2600, 3400]
    assert drivers[0]["runs_low"] + drivers[0]["runs_high"] > 0
    assert sorted(p.name for p in Path(tmp_path).glob("tornado_*.png")) == [
        "tornado_northern_conquest.png",
        "tornado_southern_triumph.png",
        "tornado_status_quo.png",
    ]
    code, stdout, _ = cli(
        capsys,
        "sensitivity",
        TINY,
        *WANDER,
        "--runs",
        40,
        "--out",
        tmp_path,
        "--resume",
        "--outcome",
        "status_quo",
    )
    assert code == 0
    assert "What drives 'Status quo ante bellum'" in stdout
    # Too few runs to fill every fifth of the range: reported as n/a, not an error.
    code, stdout, _ = cli(
        capsys, "sensitivity", TINY, *WANDER, "--runs", 2, "--out", tmp_path / "few"
    )
    assert code == 0
    assert "n/a" in stdout


def test_balance_plays_every_pairing(tmp_path, capsys):
    code, stdout, _ = cli(
        capsys,
        "balance",
        TINY,
        "--policies",
        "study_policies:hold,study_policies:wander",
        "--runs",
        8,
        "--out",
        tmp_path,
        "--json",
        "--no-plots",
    )
    assert code == 0
    rep = json.loads(stdout)
    assert len(rep["pairings"]) == 4
    assert {r["verdict"] for r in rep["pairings"]} <= set(VERDICTS)
    hold = next(
        r for r in rep["pairings"] if set(r["policies"].values()) == {"study_policies:hold"}
    )
    assert hold["draw"]["p"] == 1.0  # nobody moves: nobody wins


def test_tables_for_pandas_and_parquet(tmp_path):
    res = study.run(TINY, runs=6, policies=HOLD, out=tmp_path, plots=False)
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pandas"):
            res.to_pandas()
    else:
        df = res.to_pandas()
        assert len(df) == 6
        assert list(df["run"]) == list(range(6))
    has_arrow = (tmp_path / "runs.parquet").exists()
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert not has_arrow
    else:
        assert has_arrow


def test_memory_does_not_grow_with_runs(tmp_path):
    small = study.run(TINY, runs=5, policies=HOLD, out=tmp_path / "a", plots=False)
    big = study.run(
        TINY,
        runs=60,
        chunk_size=10,
        policies=HOLD,
        out=tmp_path / "b",
        plots=False,
    )
    assert big.played.rows is None

    def size(res):
        agg = res.played.aggregates[0]
        arrays = [v for v in vars(agg).values() if isinstance(v, np.ndarray)]
        hists = [agg.end_day, agg.battles_hist, *agg.killed_hist]
        return sum(a.nbytes for a in arrays) + sum(h.counts.nbytes for h in hists)

    assert size(big) == size(small)
