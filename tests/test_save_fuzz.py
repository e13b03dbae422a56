"""Whatever a save file holds, loading it gives a game or one line, and never changes it.

Hypothesis mutates a real save (deleting, duplicating and retyping values, with numbers of
every size, booleans, text and nested lists; and corrupting its bytes); every result must
either load or raise :class:`SaveError` whose message is one line naming the file, never
any other exception, and the file must be left exactly as it was.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.state import initial_state
from game.errors import SaveError
from game.game import Game, ScenarioSource

TINY = Path(__file__).resolve().parent.parent / "scenarios" / "examples" / "tiny.yaml"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _good() -> dict[str, Any]:
    src = ScenarioSource(str(TINY))
    scn = src.load()
    game = Game(scn, 5, source=src, state=initial_state(scn, np.array([2]), 5), branch={"run": 2})
    game.order("north", "north_army", "march", "fjell")
    game.end_turn()
    game.end_turn()
    game.order("south", "south_army", "march", "dal")
    return game.to_json()


GOOD = _good()
TEXT = json.dumps(GOOD)

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, 2**64, -(2**63) - 1, 10**30, 10**12, -1, 0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(-300, 300), max_size=4),
    st.lists(st.lists(st.integers(-2, 9), max_size=9), max_size=3),
    st.dictionaries(
        st.sampled_from(["dtype", "shape", "data", "run", "x"]), st.integers(), max_size=3
    ),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into plain data (the long state arrays are entered, but not element-wise)."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list) and len(node) <= 16:
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> str:
    data = copy.deepcopy(GOOD)
    for _ in range(draw(st.integers(1, 3))):
        candidates = paths(data)
        path = draw(st.sampled_from(candidates))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        op = draw(st.sampled_from(["delete", "duplicate", "retype", "retype"]))
        if op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif op == "duplicate":
            parent[f"{key}_copy"] = copy.deepcopy(parent[key])
        else:
            parent[key] = draw(values)
    return json.dumps(data)


@st.composite
def corrupted(draw: st.DrawFn) -> bytes:
    data = bytearray(TEXT.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert"]))
        if op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            data[at:at] = draw(
                st.sampled_from([b"9" * 30, b"[[[[", b"true", b"-", b"1e999", b"\x00"])
            )
    return bytes(data)


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("savefuzz")


def assert_loads_or_refuses(path: Path) -> None:
    before = path.read_bytes()
    try:
        Game.load(path)
    except SaveError as exc:
        text = str(exc)
        assert "\n" not in text and text.startswith(f"{path}:")
    assert path.read_bytes() == before


@FUZZ
@given(text=mutated())
def test_mutated_saves_load_or_are_refused_in_one_line(case_dir: Path, text: str) -> None:
    path = case_dir / "mutated.json"
    path.write_text(text, encoding="utf-8")
    assert_loads_or_refuses(path)


@FUZZ
@given(data=corrupted())
def test_corrupted_saves_load_or_are_refused_in_one_line(case_dir: Path, data: bytes) -> None:
    path = case_dir / "corrupted.json"
    path.write_bytes(data)
    assert_loads_or_refuses(path)
