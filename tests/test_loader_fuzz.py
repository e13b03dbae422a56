"""Whatever an author writes, the loader answers with a scenario or with one-line problems.

Hypothesis mutates the example scenario (deleting, duplicating and retyping values, and
corrupting its text and bytes); every result must either load or raise ``ScenarioError``
whose problems are single lines with sane positions, never any other exception.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.errors import Problem, ScenarioError
from game.scenario.load import load_scenario

TINY = Path(__file__).resolve().parent.parent / "scenarios" / "examples" / "tiny.yaml"
TEXT = TINY.read_text(encoding="utf-8")
DATA = yaml.safe_load(TEXT)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31)),
    st.lists(st.integers(-5, 5000), max_size=3),
    st.dictionaries(
        st.sampled_from(["id", "value", "range", "x", "side"]), st.integers(), max_size=2
    ),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into plain data, containers included."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


def parent_of(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated_data(draw: st.DrawFn) -> str:
    data = copy.deepcopy(DATA)
    for _ in range(draw(st.integers(1, 4))):
        candidates = paths(data)
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        parent, key = parent_of(data, path), path[-1]
        op = draw(st.sampled_from(["delete", "duplicate", "retype"]))
        if op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif op == "duplicate":
            parent[f"{key}_copy"] = copy.deepcopy(parent[key])
        else:
            parent[key] = draw(values)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@st.composite
def mutated_text(draw: st.DrawFn) -> bytes:
    lines = TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "indent"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, draw(st.text(max_size=30)) + "\n")
        else:
            lines[i] = draw(st.sampled_from([" ", "\t", "  - ", "? "])) + lines[i]
    data = "".join(lines).encode("utf-8")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at:]
    return data


def problems_of(path: Path) -> list[Problem] | None:
    """Return the problems of a file, or ``None`` if it loads."""
    try:
        load_scenario(path)
    except ScenarioError as exc:
        return exc.problems
    return None


def assert_loads_or_explains(path: Path) -> None:
    problems = problems_of(path)
    if problems is None:
        return
    assert problems
    for problem in problems:
        text = problem.format()
        assert "\n" not in text and "Traceback" not in text
        assert problem.line >= 0 and problem.column >= 0
        assert problem.message


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(text=mutated_data())
def test_mutated_scenarios_never_crash_the_loader(case_dir: Path, text: str) -> None:
    path = case_dir / "mutated.yaml"
    path.write_text(text, encoding="utf-8")
    assert_loads_or_explains(path)


@FUZZ
@given(data=mutated_text())
def test_corrupted_files_never_crash_the_loader(case_dir: Path, data: bytes) -> None:
    path = case_dir / "corrupted.yaml"
    path.write_bytes(data)
    assert_loads_or_explains(path)
