"""The package's floors hold: each module imports only its own floor and those below it.

The import graph is read from the source (every ``import``, at module level or inside a
function; those under ``if TYPE_CHECKING:`` are annotations only and do not count), so a
deferred import cannot hide a cycle or a climb up a floor.  ``docs/architecture.md`` draws
the same map.  Each rule has a canary: the check is run on a made-up module that breaks it.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "game"

FLOORS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        (
            "game.version",
            "game.errors",
            "game.rng",
            "game.codes",
            "game.paths",
            "game.files",
            "game.libm",
            "game.compiling",
            "game.stamps",
        ),
    ),
    ("scenario", ("game.scenario",)),
    ("engine", ("game.engine",)),
    ("policies and the play loop", ("game.ai", "game.play_loop")),
    ("one campaign", ("game.game", "game.save", "game.save_file")),
    ("studies", ("game.study",)),
    ("history", ("game.history",)),
    ("interface", ("game.ui",)),
    ("commands", ("game.commands", "game.cli", "game.__main__")),
    ("front door", ("game",)),
]
"""Floors from the bottom up; a module may import its own floor and the floors below."""

CYCLES_ALLOWED_IN = "game.ui.scenes"
"""The scenes of the interface open one another; nowhere else may modules import in a circle."""

RANDOM_MODULES = ("random", "secrets", "numpy.random", "os.urandom")
"""What makes random streams other than :mod:`game.rng` (imported, or reached as ``np.random``)."""
NOT_GAME_DRAWS = {"game.files": {"secrets", "secrets.token_hex"}}
"""Uses that draw nothing for the game: unique names of temporary files."""


@functools.cache
def sources(root: Path = ROOT) -> dict[str, str]:
    """Return the source of every module of the package, by dotted name."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path.read_text(encoding="utf-8")
    return out


def _annotation_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


@functools.cache
def imported_names(source: str) -> tuple[str, ...]:
    """Return every dotted name a module imports (``from a import b`` gives ``a.b``)."""
    names: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if _annotation_only(child):
                continue
            if isinstance(child, ast.Import):
                names.extend(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names.extend(f"{child.module}.{a.name}" for a in child.names)
            else:
                visit(child)

    visit(ast.parse(source))
    return tuple(names)


def graph(mods: dict[str, str]) -> dict[str, set[str]]:
    """Return the modules of the package each module imports."""

    def owner(name: str) -> str | None:
        while name not in mods:
            if "." not in name:
                return None
            name = name.rsplit(".", 1)[0]
        return name

    edges: dict[str, set[str]] = {}
    for mod, src in mods.items():
        targets = {owner(n) for n in imported_names(src)}
        edges[mod] = {t for t in targets if t is not None and t != mod}
    return edges


def floor(mod: str) -> int:
    """Return the floor of a module (the most specific prefix wins)."""
    best, level = -1, -1
    for i, (_, prefixes) in enumerate(FLOORS):
        for p in prefixes:
            if (mod == p or mod.startswith(p + ".")) and len(p) > best:
                best, level = len(p), i
    assert level >= 0, f"{mod} is on no floor: add it to FLOORS and docs/architecture.md"
    return level


def climbs(mods: dict[str, str]) -> list[str]:
    """Return every import of a module from a floor above its own."""
    bad = []
    for mod, targets in graph(mods).items():
        for t in sorted(targets):
            if floor(t) > floor(mod):
                bad.append(f"{mod} ({FLOORS[floor(mod)][0]}) imports {t} ({FLOORS[floor(t)][0]})")
    return bad


def cycles(mods: dict[str, str]) -> list[list[str]]:
    """Return the groups of modules that import one another in a circle (Tarjan)."""
    edges = graph(mods)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append({"np": "numpy"}.get(node.id, node.id))
    return ".".join(reversed(parts))


def random_makers(mods: dict[str, str]) -> list[str]:
    """Return the modules other than ``game.rng`` that reach for another random source."""
    bad = []
    for mod, src in mods.items():
        if mod == "game.rng":
            continue
        used = set(imported_names(src))
        used |= {_dotted(n) for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Attribute)}
        hits = {u for u in used if any(u == r or u.startswith(r + ".") for r in RANDOM_MODULES)}
        hits -= NOT_GAME_DRAWS.get(mod, set())
        if hits:
            bad.append(f"{mod}: {', '.join(sorted(hits))}")
    return bad


# ---------------------------------------------------------------------- the rules


def test_every_module_imports_only_its_own_floor_and_below():
    assert climbs(sources()) == []


def test_no_import_cycles_outside_the_interface_scenes():
    bad = [g for g in cycles(sources()) if not all(m.startswith(CYCLES_ALLOWED_IN) for m in g)]
    assert bad == []


def test_nothing_below_the_interface_imports_pygame_or_the_interface():
    ui = floor("game.ui")
    bad = [
        f"{mod} imports {name}"
        for mod, src in sources().items()
        if floor(mod) < ui
        for name in imported_names(src)
        if name.split(".")[0] == "pygame" or name == "game.ui" or name.startswith("game.ui.")
    ]
    assert bad == []


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("game.engine", "game.ai"),
        ("game.engine", "game.study"),
        ("game.engine", "game.history"),
        ("game.scenario", "game.engine"),
        ("game.ai", "game.ui"),
    ],
)
def test_the_floors_encode_the_documented_rules(lower, higher):
    assert floor(lower) < floor(higher)


def test_only_rng_makes_random_streams():
    assert random_makers(sources()) == []


# ---------------------------------------------------------------------- canaries


def test_a_climb_hidden_in_a_function_is_noticed():
    mods = {
        "game.engine.turn": "def f():\n    from game.study.driver import run\n",
        "game.study.driver": "def run(): ...\n",
    }
    assert climbs(mods) == [
        "game.engine.turn (engine) imports game.study.driver (studies)",
    ]


def test_an_annotation_only_import_is_not_a_climb():
    mods = {
        "game.engine.turn": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from game.study.driver import run\n"
        ),
        "game.study.driver": "import game.engine.turn\n",
    }
    assert climbs(mods) == []
    assert cycles(mods) == []


def test_a_deferred_cycle_is_noticed():
    mods = {
        "game.study.spec": "def f():\n    from game.study.chunk import load\n",
        "game.study.chunk": "from game.study.spec import StudySpec\n",
    }
    assert cycles(mods) == [["game.study.chunk", "game.study.spec"]]


@pytest.mark.parametrize(
    "source",
    [
        "import numpy as np\nrng = np.random.default_rng(1)\n",
        "from numpy.random import Generator, PCG64\n",
        "import random\n",
        "import numpy as np\nss = np.random.SeedSequence(3)\n",
        "import numpy\nx = numpy.random.rand(3)\n",
        "import os\nkey = os.urandom(8)\n",
    ],
)
def test_a_random_stream_made_outside_rng_is_noticed(source):
    assert random_makers({"game.ai.sneaky": source, "game.rng": source}) != []
    assert random_makers({"game.rng": source}) == []
