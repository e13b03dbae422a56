"""Files named inside other files: ``extends:`` by path or by id, and what-ifs that travel.

An overlay's ``extends:`` (like a save's scenario path) may name any file.  A refusal is
placed at the overlay's own line and says what kind of file it found, never what it holds;
a device or a folder is not "no such file"; an id finds a bundled scenario or one in the
player's own folder; and a what-if written by the game names its base by id, so it loads
from any folder, on any machine.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.errors import ScenarioError
from game.paths import default_scenario, scenarios_dir
from game.scenario.library import SUBFOLDERS, extends_text, find_scenario, id_of
from game.scenario.overlay import load_with_overlays
from game.scenario.overlay_write import write_overlay

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "scenarios" / "examples" / "tiny.yaml"
SECRET = "correct horse battery staple"
HEADER = "overlay:\n  id: probe@1.0\n  title: Probe\n  description: A probe of extends.\n"


def overlay(folder: Path, extends: str, body: str = "") -> Path:
    path = folder / "probe.yaml"
    path.write_text(f"# a what-if\nextends: {extends}\n{HEADER}{body}", encoding="utf-8")
    return path


def problem(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_with_overlays(path, [], [])
    assert len(info.value.problems) == 1
    return info.value.problems[0].format()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_a_private_file_is_never_quoted(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    text = problem(overlay(tmp_path, str(secret)))
    assert text.startswith(f"{tmp_path / 'probe.yaml'}:2:10: error: extends '{secret}'")
    assert "not a scenario or overlay" in text and SECRET not in text


def test_a_yaml_file_of_another_kind_is_never_quoted(tmp_path) -> None:
    other = tmp_path / "kube.yaml"
    other.write_text(f"clusters:\n  - token: {SECRET}\nmeta: x\n", encoding="utf-8")
    text = problem(overlay(tmp_path, "kube.yaml"))
    assert ":2:10:" in text and "not a scenario or overlay" in text
    assert SECRET not in text and "clusters" not in text


def test_broken_yaml_is_placed_not_quoted(tmp_path) -> None:
    (tmp_path / "broken.yaml").write_text(f"meta: [{SECRET}\n", encoding="utf-8")
    text = problem(overlay(tmp_path, "broken.yaml"))
    assert ":2:10:" in text and "first problem is at line" in text and SECRET not in text


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_not_read_nor_called_missing(tmp_path) -> None:
    text = problem(overlay(tmp_path, "/dev/zero"))
    assert "it is not a regular file" in text and "no such file" not in text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_does_not_hang(tmp_path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    assert "it is not a regular file" in problem(overlay(tmp_path, "pipe.yaml"))
    assert main(["validate", str(tmp_path / "pipe.yaml")]) == 2


def test_a_directory_is_not_called_missing(tmp_path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    assert "it is a directory" in problem(overlay(tmp_path, "folder.yaml"))


def test_a_missing_file_keeps_its_hint(tmp_path) -> None:
    text = problem(overlay(tmp_path, "nowhere.yaml"))
    assert "extends 'nowhere.yaml': no such file (the path is relative" in text


def test_a_directly_named_device_is_refused_in_one_line(capsys) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    assert main(["validate", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err


# --------------------------------------------------------------------------- ids


def test_bundled_ids_are_unique_file_names() -> None:
    names = [p.stem for sub in SUBFOLDERS for p in (scenarios_dir() / sub).glob("*.yaml")]
    assert len(names) == len(set(names))
    assert find_scenario("peru_bolivia_1841") == default_scenario()
    assert (
        find_scenario("gamarra_in_the_front_line")
        == scenarios_dir() / "counterfactuals" / "gamarra_in_the_front_line.yaml"
    )
    assert find_scenario("../peru_bolivia_1841") is None


def test_extends_a_bundled_id_from_anywhere(tmp_path, home) -> None:
    path = overlay(tmp_path, "tiny", "sides:\n  - {id: north, war_will: 0.5}\n")
    scn = load_with_overlays(path, [], [])
    assert scn.model.sides[0].war_will == 0.5 and scn.model.meta.id == "probe@1.0"
    (tmp_path / "sub").mkdir()
    chained = overlay(tmp_path / "sub", "gamarra_in_the_front_line")
    assert load_with_overlays(chained, [], []).model.meta.id == "probe@1.0"


def test_extends_an_id_in_the_players_folder(tmp_path, home) -> None:
    (home / "scenarios").mkdir(parents=True)
    shutil.copy(TINY, home / "scenarios" / "my_war.yaml")
    path = overlay(tmp_path, "my_war")
    assert load_with_overlays(path, [], []).model.meta.id == "probe@1.0"
    shutil.copy(TINY, home / "scenarios" / "peru_bolivia_1841.yaml")
    assert find_scenario("peru_bolivia_1841") == default_scenario(), "bundled ids come first"


def test_an_unknown_id_is_one_line_at_the_overlay(tmp_path, home) -> None:
    text = problem(overlay(tmp_path, "no_such_war"))
    assert text.startswith(f"{tmp_path / 'probe.yaml'}:2:10: error: extends 'no_such_war'")
    assert "no scenario has this id" in text


# --------------------------------------------------------------------------- what-ifs


def test_what_ifs_name_a_bundled_base_by_id(tmp_path) -> None:
    assert id_of(default_scenario()) == "peru_bolivia_1841"
    assert extends_text(default_scenario(), tmp_path / "w.yaml") == "peru_bolivia_1841"
    other = tmp_path / "base.yaml"
    shutil.copy(TINY, other)
    assert id_of(other) is None
    assert extends_text(other, tmp_path / "sub" / "w.yaml") == "../base.yaml"


def test_a_saved_what_if_loads_from_any_folder(tmp_path) -> None:
    changes = {"forces": [{"id": "peru_gamarra", "men": 9000}]}
    header = {"id": "bigger@1.0", "title": "Bigger", "description": "More men for Gamarra."}
    (tmp_path / "a").mkdir()
    path = write_overlay(tmp_path / "a" / "w.yaml", default_scenario(), header, changes)
    assert "extends: peru_bolivia_1841\n" in path.read_text(encoding="utf-8")
    moved = tmp_path / "elsewhere" / "deeper" / "w.yaml"
    moved.parent.mkdir(parents=True)
    shutil.copy(path, moved)
    scn = load_with_overlays(moved, [], [])
    assert scn.men0[scn.force_index["peru_gamarra"]] == 9000
