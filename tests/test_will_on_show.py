"""War will on show: each side's will turn by turn, and why talks opened, wherever a war is
reported (replay text and JSON; the fidelity report and runs.csv have their own tests)."""

from __future__ import annotations

import json

from engine_helpers import compiled, force, line_scenario

from game.cli import main
from game.codes import TalksCause
from game.engine.chronicle import chronicle
from game.engine.orders import Orders
from game.engine.state import initial_state
from game.engine.turn import step

SALT = "scenarios/examples/war_of_the_salt_road.yaml"


def test_replay_gives_each_sides_will_every_turn_and_why_talks_opened(capsys) -> None:
    assert main(["replay", SALT, "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    for t in rep["turns"]:
        assert set(t["will"]) == {"costa", "altamira"} and set(t["party_will"]) == {"exiles"}
        assert all(0.0 <= w <= 1.0 for w in t["will"].values())
    talks = rep["talks"]
    assert talks is not None and talks["cause"]
    opened = [t for t in rep["turns"] if t["talks_opened"]]
    assert len(opened) == 1 and opened[0]["turn"] == talks["turn"]
    assert main(["replay", SALT]) == 0
    out = capsys.readouterr().out
    assert "War will: Costa" in out and "Peace talks open:" in out


def _weary(**peace):
    data = line_scenario(
        4,
        forces=[force("a1", "a", 500, "p0"), force("b1", "b", 500, "p3")],
        will=(0.5, 0.46),
        peace=peace,
        rules={"war_will": {"weariness": 0.05}},
    )
    return compiled(data)


def test_talks_say_when_every_side_grew_weary() -> None:
    scn = _weary(talks_will=0.46)
    _state, rep = step(scn, initial_state(scn, 1), Orders.empty(1, scn.F, scn.S))
    row = rep.table("talks")
    assert row["cause"].tolist() == [TalksCause.WILL]
    text = next(e.text for e in chronicle(scn, rep, 0) if e.kind == "talks")
    assert "every side's will has fallen below 0.46 (Alpha 0.45, Beta 0.41)" in text


def test_talks_say_who_sued() -> None:
    # after a week Alpha's will is 0.45, Beta's 0.41: Beta, below 0.43, takes up Alpha's suit
    scn = _weary(talks_will=0.43)
    orders = Orders.empty(1, scn.F, scn.S)
    orders.sue[0, 0] = True
    _state, rep = step(scn, initial_state(scn, 1), orders)
    assert rep.table("talks")["cause"].tolist() == [TalksCause.SUED]
    text = next(e.text for e in chronicle(scn, rep, 0) if e.kind == "talks")
    assert text.startswith("Peace talks open: Alpha sues for peace")


def test_fidelity_json_gives_will_turn_by_turn_and_the_talks(capsys) -> None:
    assert main(["fidelity", SALT, "--runs", "16", "--json", "--quiet"]) == 0
    will = json.loads(capsys.readouterr().out)["will"]
    first = will["by_turn"][0]
    assert first["turn"] == 0 and first["at_war"] == 1.0
    assert set(first) >= {"costa", "altamira", "exiles"}
    assert first["costa"]["p05"] <= first["costa"]["median"] <= first["costa"]["p95"]
    assert set(will["final"]) == {"costa", "altamira"}
    talks = will["talks"]
    assert set(talks["causes"]) == {"will", "collapse", "sued", "event"}
    if talks["opened"]:
        assert abs(sum(talks["causes"].values()) - 1.0) < 1e-3


def test_runs_csv_has_each_sides_final_will_and_the_opening_of_talks(tmp_path) -> None:
    import csv

    from game import study

    study.run(SALT, runs=12, out=tmp_path / "s", plots=False)
    with (tmp_path / "s" / "runs.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"will_costa_final", "will_altamira_final", "will_exiles_final"} <= set(rows[0])
    for r in rows:
        assert 0.0 <= float(r["will_costa_final"]) <= 1.0
        opened = int(r["talks_opened_turn"])
        assert (opened >= 0) == (r["talks_cause"] in ("will", "collapse", "sued", "event"))
        if r["termination"] == "treaty":
            assert opened >= 0  # a treaty comes only after talks


def test_summary_gives_each_sides_will_and_the_talks_as_runs_csv_has_them(tmp_path) -> None:
    import csv

    import numpy as np

    from game import study

    a = study.run(SALT, runs=24, out=tmp_path / "a", plots=False, chunk_size=24)
    b = study.run(SALT, runs=24, out=tmp_path / "b", plots=False, chunk_size=5)
    with (tmp_path / "a" / "runs.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    will = np.array([float(r["will_costa_final"]) for r in rows])
    opened = [r for r in rows if int(r["talks_opened_turn"]) >= 0]
    summary = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    w = summary["will"]["costa"]
    assert abs(w["mean"] - will.mean()) < 1e-3
    assert w["p05"] <= w["median"] <= w["p95"] <= 1.0
    talks = summary["talks"]
    assert talks["opened"]["count"] == len(opened)
    for cause in ("will", "collapse", "sued", "event"):
        assert talks["causes"][cause] == sum(r["talks_cause"] == cause for r in opened)
    if opened:
        assert talks["date"]["p05"] <= talks["date"]["median"] <= talks["date"]["p95"]
    # Streamed exactly: the chunking does not change a figure.
    assert a.summary["will"] == b.summary["will"]
    assert a.summary["talks"] == b.summary["talks"]
