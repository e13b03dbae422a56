"""Saves from strangers: every hostile save is a one-line refusal, and the file is untouched.

Each fixture is a real save of the example war, changed the way an attacker (or a broken
disk) would change it: numbers too big for the engine, integers of thousands of digits,
nesting deep enough to exhaust the recursion limit, a log far longer than the war, and
scenario paths that point at private files, devices and folders.  Loading must refuse each
with one :class:`SaveError` line naming the file, before anything is replayed, and leave
the file exactly as it was; the command line must exit with status 2.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from game.cli import main
from game.engine.state import initial_state
from game.errors import SaveError
from game.game import Game, ScenarioSource
from game.save_file import MAX_DEPTH

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "scenarios" / "examples" / "tiny.yaml"
SECRET = "correct horse battery staple"


@pytest.fixture(scope="module")
def good_save(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The JSON of a real save: three turns played, an order pending, a study branch."""
    src = ScenarioSource(str(TINY))
    scn = src.load()
    start = initial_state(scn, np.array([3]), 11)
    game = Game(scn, 11, source=src, state=start, branch={"run": 3, "sample_uncertain": False})
    game.order("north", "north_army", "march", "fjell")
    game.end_turn()
    game.end_turn()
    game.end_turn()
    game.order("south", "south_army", "march", "dal")
    path = tmp_path_factory.mktemp("good") / "good.json"
    game.save(path)
    return json.loads(path.read_text(encoding="utf-8"))


def _set(*keys: str | int, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(obj: dict[str, Any]) -> None:
        for k in keys[:-1]:
            obj = obj[k]
        obj[keys[-1]] = value

    return change


def _long_log(obj: dict[str, Any]) -> None:
    obj["log"] = obj["log"] * 30_000
    obj["turn"] = len(obj["log"])


def _secret_path(obj: dict[str, Any], tmp: Path) -> None:
    secret = tmp / "id_secret"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    obj["scenario"]["path"] = str(secret)


HOSTILE: dict[str, tuple[Callable[..., None], str]] = {
    "seed 2**70": (_set("seed", value=2**70), "the seed: input should be less than"),
    "seed true": (_set("seed", value=True), "the seed: input should be a valid integer"),
    "seed as text": (_set("seed", value="11"), "the seed: input should be a valid integer"),
    "negative seed": (_set("seed", value=-1), "the seed: input should be greater than"),
    "run 2**62": (_set("branch", "run", value=2**62), "the branch's run id: input should be less"),
    "run 10**30": (_set("branch", "run", value=10**30), "an integer of 31 digits"),
    "run true": (_set("branch", "run", value=True), "the branch's run id: input should be a valid"),
    "sample true as 1": (_set("branch", "sample_uncertain", value=1), "sample_uncertain"),
    "log of 90,000 turns": (_long_log, "its log has 90,000 turns"),
    "turn disagrees with the log": (_set("turn", value=2), "says turn 2"),
    "huge array shape": (
        _set("state", "men", "shape", value=[2**40, 2**40]),
        "array 'men' has shape",
    ),
    "array of text": (_set("state", "men", "data", value=["x"] * 8), "not numbers"),
    "order out of range": (
        _set("log", 0, "kind", value=[[99] * 8]),
        "names an order or a province",
    ),
    "ragged orders": (_set("log", 0, "target", value=[[1], [2, 3]]), "log[0] has the wrong size"),
    "overlays as a number": (_set("scenario", "overlays", value=5), "scenario.overlays: input"),
    "path as a list": (_set("scenario", "path", value=["x"]), "scenario.path: input"),
    "a private file as scenario": (_secret_path, "it is not a scenario or overlay"),
    "a directory as scenario": (_set("scenario", "path", value="."), "it is a directory"),
    "no such scenario": (_set("scenario", "path", value="nowhere.yaml"), "'nowhere.yaml': no such"),
}
if Path("/dev/zero").exists():
    HOSTILE["/dev/zero as scenario"] = (
        _set("scenario", "path", value="/dev/zero"),
        "it is not a regular file",
    )


def _write_hostile(tmp: Path, good: dict[str, Any], change: Callable[..., None]) -> Path:
    obj = json.loads(json.dumps(good))
    if change is _secret_path:
        change(obj, tmp)
    else:
        change(obj)
    path = tmp / "hostile.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def assert_refused(path: Path, expected: str) -> str:
    before = path.read_bytes()
    with pytest.raises(SaveError) as info:
        Game.load(path)
    text = str(info.value)
    assert path.read_bytes() == before, "the file is left as it was"
    assert "\n" not in text and text.startswith(f"{path}:")
    assert expected in text
    return text


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_saves_are_one_line_refusals(tmp_path, good_save, name) -> None:
    change, expected = HOSTILE[name]
    text = assert_refused(_write_hostile(tmp_path, good_save, change), expected)
    assert SECRET not in text, "another file's content is never quoted"


def test_the_good_save_loads_and_replays(tmp_path, good_save) -> None:
    path = tmp_path / "good.json"
    path.write_text(json.dumps(good_save), encoding="utf-8")
    game = Game.load(path)
    assert game.turn == 3 and game.branch == {"run": 3, "sample_uncertain": False}
    assert game.pending("south")


def test_five_thousand_digits(tmp_path, good_save) -> None:
    text = json.dumps(good_save).replace('"seed": 11', '"seed": ' + "9" * 5000)
    path = tmp_path / "digits.json"
    path.write_text(text, encoding="utf-8")
    assert_refused(path, "an integer of 5,000 digits")


def test_nesting_two_hundred_thousand_deep(tmp_path, good_save) -> None:
    deep = "[" * 200_000 + "]" * 200_000
    text = json.dumps(good_save)[:-1] + f', "deep": {deep}}}'
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    assert_refused(path, "nested too deeply")


def test_nesting_past_the_limit_within_the_recursion_limit(tmp_path, good_save) -> None:
    obj = json.loads(json.dumps(good_save))
    node: list[Any] = []
    obj["extra"]["deep"] = node
    for _ in range(MAX_DEPTH + 5):
        node.append([])
        node = node[0]
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    assert_refused(path, f"nested more than {MAX_DEPTH} deep")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_is_not_read(tmp_path) -> None:
    fifo = tmp_path / "save.json"
    os.mkfifo(fifo)
    with pytest.raises(SaveError, match="not a regular file"):
        Game.load(fifo)


def test_not_a_save_at_all(tmp_path) -> None:
    for content, expected in [
        (b"\xff\xfe", "not UTF-8"),
        (b'{"format": "ingavi-save", "version": 7}', "save format version 7"),
        (b"[1, 2]", "not an Ingavi saved game"),
        (b'{"format": "ingavi-save"', "JSON error at line 1"),
    ]:
        path = tmp_path / "x.json"
        path.write_bytes(content)
        assert_refused(path, expected)


@pytest.mark.parametrize("name", ["seed 2**70", "run 10**30", "log of 90,000 turns"])
def test_play_load_refuses_with_exit_2(tmp_path, good_save, monkeypatch, capsys, name) -> None:
    change, expected = HOSTILE[name]
    path = _write_hostile(tmp_path, good_save, change)
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("INGAVI_HOME", str(tmp_path / "home"))
    assert main(["play", "--load", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0] and "Traceback" not in err[0]


def test_a_bundled_scenario_is_saved_by_id_and_loads_from_anywhere(tmp_path, monkeypatch) -> None:
    src = ScenarioSource(str(TINY))
    game = Game(src.load(), 4, source=src)
    game.end_turn()
    game.save(tmp_path / "mine.json")
    obj = json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))
    assert obj["scenario"]["path"] == "tiny"
    monkeypatch.chdir(tmp_path)
    loaded = Game.load("mine.json")
    assert loaded.turn == 1 and Path(loaded.source.path) == TINY
    obj["scenario"]["path"] = "no_such_war"
    (tmp_path / "other.json").write_text(json.dumps(obj), encoding="utf-8")
    assert_refused(tmp_path / "other.json", "scenario.path 'no_such_war': no scenario has this id")
