"""The scenarios the start screen offers: the war itself, its what-ifs, and the examples.

What-ifs are overlay files in ``scenarios/counterfactuals/``; each extends the war and is
played by loading the overlay file itself.  Only titles and descriptions are read here
(from the YAML, parsed once per version of each file); a scenario is compiled when a game
starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from game.errors import ScenarioError
from game.paths import default_scenario, scenarios_dir
from game.scenario import yamldoc
from game.scenario.library import extends_target


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
    aims: tuple[str, ...] = ()
    """Each side's war aim, in a sentence."""
    span: str = ""
    """When the war runs, e.g. '1 October 1841 to 31 December 1842, in turns of 7 days'."""


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=64)
def _parse(path: Path, mtime_ns: int) -> Any:
    """Parse a YAML file once per version of it (libyaml when present: the war is large).

    Files on the start screen may come from strangers: the size, nesting and alias limits
    of the scenario loader are checked first (:mod:`game.scenario.yamldoc`), and only
    then is the text loaded, by a safe loader.
    """
    del mtime_ns
    try:
        text = yamldoc.read_text(path, str(path))
        yamldoc.measure(yamldoc.compose(text, str(path)), str(path))
    except ScenarioError as exc:
        raise yaml.YAMLError(str(exc)) from None
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)


def read_yaml(path: Path) -> Any:
    """Return a YAML file's data, parsed once while the file is unchanged.

    Raises:
        OSError, yaml.YAMLError: If it cannot be read or parsed.
    """
    resolved = path.resolve()
    return _parse(resolved, resolved.stat().st_mtime_ns)


def _base(path: Path, data: dict, depth: int = 0) -> tuple[Path, dict]:
    """Return the scenario an overlay extends (following a chain), or the file itself."""
    base = data.get("extends")
    target = extends_target(path, base) if isinstance(base, str) and depth < 8 else None
    if target is not None:
        try:
            parent = read_yaml(target)
        except (OSError, yaml.YAMLError):
            return path, data
        if isinstance(parent, dict):
            return _base(target, parent, depth + 1)
    return path, data


def _sides(path: Path, data: dict) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Return the sides of a scenario and their war aims."""
    sides = _base(path, data)[1].get("sides")
    if not isinstance(sides, list) or not all(isinstance(s, dict) and "id" in s for s in sides):
        return (), ()
    ids = tuple((str(s["id"]), str(s.get("name", s["id"]))) for s in sides)
    aims = tuple(
        f"{s.get('name', s['id'])}: {' '.join(str((s.get('war_aims') or {}).get('summary', '')).split())}"
        for s in sides
    )
    return ids, aims


def _span(path: Path, data: dict) -> str:
    meta = _base(path, data)[1].get("meta")
    if not isinstance(meta, dict) or not meta.get("start") or not meta.get("end"):
        return ""
    fmt = lambda d: f"{d.day} {d:%B %Y}" if hasattr(d, "day") else str(d)  # noqa: E731
    return f"From {fmt(meta['start'])} to {fmt(meta['end'])}, in turns of {meta.get('turn_days', 7)} days."


def _read(path: Path, kind: str) -> Choice | None:
    try:
        data = read_yaml(path)
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    head = data.get("overlay") if "extends" in data else data.get("meta")
    if not isinstance(head, dict):
        return None
    title = str(head.get("title") or path.stem)
    desc = " ".join(str(head.get("description") or "").split())
    sides, aims = _sides(path, data)
    return Choice(path, title, desc, kind, sides, aims, _span(path, data))


def choice_of(path: Path) -> Choice | None:
    """Return the start screen's entry for any scenario ('war') or overlay ('what-if')."""
    try:
        data = read_yaml(path)
    except (OSError, yaml.YAMLError):
        return None
    return _read(path, "what-if" if isinstance(data, dict) and "extends" in data else "war")


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
