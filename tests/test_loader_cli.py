"""``ingavi validate``: files and folders, overlays, a summary, JSON, and exit status 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.cli import main

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "scenarios" / "examples" / "tiny.yaml"
BROKEN = ROOT / "tests" / "data" / "broken"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(TINY, tmp_path / "tiny.yaml")
    (tmp_path / "what_ifs").mkdir()
    (tmp_path / "what_ifs" / "bigger.yml").write_text(
        "extends: ../tiny.yaml\n"
        "overlay: {id: bigger@1.0, title: Bigger, description: A larger northern army.}\n"
        "forces:\n  - {id: north_army, men: {value: 3400}}\n",
        encoding="utf-8",
    )
    (tmp_path / "scenario.schema.json").write_text("{not yaml at all", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("- not a scenario", encoding="utf-8")
    shutil.copy(BROKEN / "link_to_itself.yaml", tmp_path / "broken.yaml")
    return tmp_path


def test_folder_walk_checks_scenarios_and_overlays_only(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "2 of 3 files valid; 1 problem"
    assert err[0].startswith(f"{folder / 'broken.yaml'}:70:25: error: map.links[3].to: link")


def test_valid_files_exit_zero(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(folder / "tiny.yaml"), str(folder / "what_ifs")]) == 0
    assert capsys.readouterr().err == "2 of 2 files valid; 0 problems\n"


def test_json_report(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--json", str(folder)]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    assert set(by_name) == {"broken.yaml", "tiny.yaml", "bigger.yml"}
    assert by_name["tiny.yaml"] == {"path": str(folder / "tiny.yaml"), "ok": True, "problems": []}
    (problem,) = by_name["broken.yaml"]["problems"]
    assert problem["line"] == 70
    assert problem["path"] == "map.links[3].to"
    assert problem["message"] == "link from 'sudby' to itself"
    assert captured.err == "2 of 3 files valid; 1 problem\n"


def test_overlay_and_set_options_apply_to_each_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["validate", str(folder / "tiny.yaml"), "--set", "forces.north_army.men.value=4000"]
    assert main(args) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "--set:1:29: error: forces[0].men.value: value 4000 lies outside its range [2600, 3400]"
    )


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nowhere.yaml")]) == 2
    assert (
        capsys.readouterr().err
        == f"ingavi validate: error: {tmp_path / 'nowhere.yaml'}: no such file or folder\n"
    )


def test_shipped_examples_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "scenarios" / "examples")]) == 0
