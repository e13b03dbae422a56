"""The war docs/authoring.md writes from nothing: it validates, replays, studies and plays.

These are the guide's own promises, checked on its own file
(``scenarios/examples/war_of_the_salt_road.yaml``), and the Python example the guide prints is run as
it stands.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game import study
from game.cli import main
from game.codes import ForceStatus
from game.history.order_audit import rehearse
from game.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SALT = ROOT / "scenarios" / "examples" / "war_of_the_salt_road.yaml"
GUIDE = ROOT / "docs" / "authoring.md"


def test_it_validates_without_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--strict", str(SALT)]) == 0
    assert capsys.readouterr().err.strip() == "1 of 1 files valid; 0 problems"
    assert not [n for n in rehearse(load_scenario(SALT)) if n.severity == "warning"]


def test_it_uses_what_the_guide_says_it_uses() -> None:
    scn = load_scenario(SALT)
    model = scn.model
    assert scn.party_ids == ("exiles",)
    assert any(ln.controlled_by == "costa" and ln.days_back for ln in model.map.links)
    assert any(o.order == "join" for o in model.history.orders)
    assert any(r.prelude for r in model.history.record)
    assert any(c.fate is not None and c.fate.kind == "executed" for c in model.commanders)
    assert model.victory.peace.calibrated_to == {"talks_turns": ["end_date"]}


def test_it_replays_with_its_prelude_join_will_and_talks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["replay", str(SALT), "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in rep["prelude"]] == ["coup", "declaration"]
    game = [e for t in rep["turns"] for e in t["game"]]
    joins = [e for e in game if e["kind"] == "join"]
    assert joins and joins[0]["date"] == "1838-04-07"  # 3 + 3 days from 2 April, as §7.2 says
    assert joins[0]["text"] == "Mena's Vanguard (800 men) joins Army of the Coast at La Cuesta."
    assert rep["talks"] is not None and rep["outcome"] is not None
    assert all(set(t["will"]) == {"costa", "altamira"} for t in rep["turns"])


def test_it_studies(tmp_path: Path) -> None:
    res = study.run(
        SALT,
        runs=24,
        policies={"costa": "historical", "altamira": "heuristic"},
        out=tmp_path / "study",
        plots=False,
    )
    outcomes = res.summary["outcomes"]
    assert sum(o["p"] if isinstance(o, dict) else o for o in outcomes.values()) == pytest.approx(
        1.0
    )
    assert (tmp_path / "study" / "runs.csv").exists()


def test_its_fidelity_report_marks_the_fitted_end_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["fidelity", str(SALT), "--runs", "12", "--json", "--quiet"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["fitted"] == {"end_date": ["victory.peace.talks_turns"]}
    assert {e["id"] for e in rep["engagements"]} == {
        "landing",
        "the_pass",
        "lago",
        "caleta_retaken",
    }


def test_the_guides_python_example_plays_a_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Game API example of §13, run as printed (from the checkout's root)."""
    block = re.search(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert block is not None
    monkeypatch.chdir(ROOT)
    scope: dict[str, object] = {"print": lambda *a, **k: None}
    exec(compile(block.group(1), str(GUIDE), "exec"), scope)
    game = scope["game"]
    scn = scope["scn"]
    assert game.turn == 1  # type: ignore[attr-defined]
    vanguard = scn.force_index["vanguard"]  # type: ignore[attr-defined]
    # the vanguard set out from Valle to where the army is going, and they meet on 7 April
    assert game.state.status[0, vanguard] == ForceStatus.JOINED  # type: ignore[attr-defined]
