"""The broken-scenario corpus: every mistake gives exactly its own one-line errors.

Each file of ``tests/data/broken`` starts with one ``# expect: [FILE:]LINE: FRAGMENT`` line
per problem it must produce (FILE defaults to the case itself; ``--set`` names a --set
option), optionally ``# args: ...`` for extra command-line arguments, and ``# broken: ...``
saying what is wrong.  A case passes when ``ingavi validate`` exits with status 2, prints
no traceback, and prints exactly the expected problems, each at the expected line.
"""

from __future__ import annotations

import re
import shlex
import tracemalloc
from pathlib import Path

import pytest

from game.cli import main
from game.errors import ScenarioError
from game.scenario import yamldoc
from game.scenario.load import load_scenario
from game.scenario.yamldoc import MAX_BYTES

BROKEN = Path(__file__).parent / "data" / "broken"
CASES = sorted(BROKEN.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (?:(?P<file>[^:\s]+):)?(?P<line>\d+): (?P<fragment>.+)$")
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): error: (?P<message>.+)$")


def header(path: Path) -> tuple[list[tuple[str, int, str]], list[str]]:
    """Return the expectations ``(file, line, fragment)`` and extra arguments of a case."""
    expects: list[tuple[str, int, str]] = []
    args: list[str] = []
    for raw in path.read_bytes().split(b"\n"):
        if not raw.startswith(b"# "):
            break
        text = raw.decode("ascii")
        if m := EXPECT.match(text):
            expects.append((m["file"] or path.name, int(m["line"]), m["fragment"]))
        elif text.startswith("# args: "):
            args = shlex.split(text.removeprefix("# args: "))
    return expects, args


def run_validate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    status = main(["validate", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, err.splitlines()


def test_corpus_is_large_and_varied() -> None:
    fragments = [header(p)[0][0][2] for p in CASES]
    assert len(CASES) >= 30
    assert len(set(fragments)) == len(fragments), "two cases expect the same message"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_broken_case(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expects, args = header(path)
    assert expects, f"{path.name} states no '# expect:' line"
    status, lines = run_validate(capsys, str(path), *args)
    assert status == 2
    assert lines[-1].startswith("0 of 1 files valid"), lines
    found = []
    for line in lines[:-1]:
        m = PROBLEM.match(line)
        assert m, f"not a one-line problem: {line!r}"
        found.append((Path(m["file"]).name, int(m["line"]), m["message"]))
    assert len(found) == len(expects), "\n".join(lines)
    for (file, line, fragment), (got_file, got_line, message) in zip(
        sorted(expects), sorted(found), strict=True
    ):
        assert fragment in message, f"{path.name}: {message!r} lacks {fragment!r}"
        assert (got_file, got_line) == (file, line), f"{path.name}: {message}"


def test_oversize_file_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    row = "# " + "x" * 97 + "\n"
    path.write_text("meta: {}\n" + row * (MAX_BYTES // len(row) + 1))

    def unread(*args: object) -> None:
        raise AssertionError("an oversize file was decoded or parsed")

    monkeypatch.setattr(yamldoc, "decode", unread)
    monkeypatch.setattr(yamldoc, "compose", unread)
    status, lines = run_validate(capsys, str(path))
    assert status == 2
    assert "file is too large" in lines[0]
    assert lines[0].startswith(f"{path}:0:0: error:")


def test_billion_laughs_is_refused_with_little_memory() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError, match="aliases expand"):
            load_scenario(BROKEN / "billion_laughs.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_every_problem_is_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (BROKEN.parent.parent.parent / "scenarios" / "examples" / "tiny.yaml").read_text()
    text = text.replace("start: sudby, source", "start: sudbyy, source")
    text = text.replace("winner: north,", "winner: norht,")
    text = text.replace("terrain: mountains,", "terrain: mountain,")
    path = tmp_path / "three.yaml"
    path.write_text(text)
    status, lines = run_validate(capsys, str(path))
    assert status == 2
    assert len(lines) == 4
    assert lines[-1] == "0 of 1 files valid; 3 problems"
