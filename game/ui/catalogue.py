"""The scenarios the start screen offers: the war itself, its what-ifs, and the examples.

What-ifs are overlay files in ``scenarios/counterfactuals/``; each extends the war and is
played by loading the overlay file itself.  Only titles and descriptions are read here
(cheaply, from the YAML); a scenario is compiled when a game starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from game.paths import default_scenario, scenarios_dir


@dataclass(frozen=True)
class Choice:
    """One scenario on the start screen."""

    path: Path
    title: str
    description: str
    kind: str
    """'war', 'what-if' or 'example'."""
    sides: tuple[tuple[str, str], ...] = ()
    """(id, name) of each side."""


def _sides(path: Path, data: dict, depth: int = 0) -> tuple[tuple[str, str], ...]:
    """Return the sides of a scenario, following an overlay's ``extends`` to its base."""
    sides = data.get("sides")
    if isinstance(sides, list) and all(isinstance(s, dict) and "id" in s for s in sides):
        return tuple((str(s["id"]), str(s.get("name", s["id"]))) for s in sides)
    base = data.get("extends")
    if isinstance(base, str) and depth < 8:
        try:
            parent = yaml.safe_load((path.parent / base).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            return ()
        if isinstance(parent, dict):
            return _sides(path.parent / base, parent, depth + 1)
    return ()


def _read(path: Path, kind: str) -> Choice | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    head = data.get("overlay") if "extends" in data else data.get("meta")
    if not isinstance(head, dict):
        return None
    title = str(head.get("title") or path.stem)
    desc = " ".join(str(head.get("description") or "").split())
    return Choice(path, title, desc, kind, _sides(path, data))


def choices() -> list[Choice]:
    """Return every playable scenario: the war first, then what-ifs, then examples."""
    out: list[Choice] = []
    main = default_scenario()
    if main.is_file():
        c = _read(main, "war")
        if c:
            out.append(c)
    root = scenarios_dir()
    for kind, folder in (("what-if", "counterfactuals"), ("example", "examples")):
        for path in sorted((root / folder).glob("*.yaml")):
            c = _read(path, kind)
            if c:
                out.append(c)
    return out
