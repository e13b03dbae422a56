"""Scenarios found by id, and files named inside other files opened with care.

An overlay's ``extends:`` may name its base by id (``extends: peru_bolivia_1841``) rather
than by path, so that a what-if written on one machine loads on any other: the id is the
file's name without ``.yaml``, looked up in the bundled scenarios (the folder itself, then
``counterfactuals/`` and ``examples/``) and then in the player's own folder
(:func:`game.paths.user_scenarios_dir`).  The bundled files come first, so a file of the
player's can never stand in for a bundled scenario.

A file named inside another file (by ``extends:``, a save or a study folder) may point at
anything, so it is opened by :func:`named_tree`: only a regular file of the loader's size
limit is read, and if it is not a scenario or overlay the refusal says what kind of file
it is, never what it holds.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from game.errors import ScenarioError
from game.files import Unreadable, read_limited
from game.paths import scenarios_dir, user_scenarios_dir
from game.scenario.overlay_schema import OverlayFile
from game.scenario.schema import Scenario
from game.scenario.yamldoc import MAX_BYTES, Node, decode, parse

SECTIONS: tuple[str, ...] = tuple(f.alias or n for n, f in Scenario.model_fields.items())
"""Top-level sections of a scenario, which an overlay may change."""
HEADER_KEYS: tuple[str, ...] = tuple(OverlayFile.model_fields)
"""Top-level keys of an overlay besides the sections it changes."""

SCENARIO_ID = re.compile(r"^[a-z][a-z0-9_]*$")
"""What an id looks like; anything else in ``extends:`` is a path."""
SUBFOLDERS = ("", "counterfactuals", "examples")
"""Folders of the bundled scenarios searched for an id, in order."""


def is_scenario_id(text: str) -> bool:
    """Whether ``extends:`` text is an id (``peru_bolivia_1841``) rather than a path."""
    return bool(SCENARIO_ID.match(text))


def search_folders() -> list[Path]:
    """Return the folders searched for an id, bundled first, the player's last."""
    root = scenarios_dir()
    return [root / sub if sub else root for sub in SUBFOLDERS] + [user_scenarios_dir()]


def find_scenario(scenario_id: str) -> Path | None:
    """Return the file a scenario id names, or None if no folder has it."""
    if not is_scenario_id(scenario_id):
        return None
    for folder in search_folders():
        path = folder / f"{scenario_id}.yaml"
        if path.is_file():
            return path
    return None


def extends_target(overlay: Path, value: str) -> Path | None:
    """Return the file an overlay's ``extends:`` names, or None for an unknown id.

    An id is looked up in :func:`search_folders`; anything else is a path relative to
    the overlay's folder.
    """
    if is_scenario_id(value):
        return find_scenario(value)
    return overlay.parent / value


def extends_text(base: str | Path, overlay: str | Path) -> str:
    """Return what an overlay written at ``overlay`` puts in ``extends:`` to name ``base``.

    The id when one finds ``base`` (so the file works on any machine and in any virtual
    environment), else the path relative to the overlay's folder.
    """
    name = id_of(base)
    if name is not None:
        return name
    return Path(os.path.relpath(Path(base).resolve(), Path(overlay).resolve().parent)).as_posix()


def id_of(path: str | Path) -> str | None:
    """Return the id that finds this very file, or None if it cannot be named by id."""
    p = Path(path)
    if p.suffix != ".yaml":
        return None
    found = find_scenario(p.stem)
    return p.stem if found is not None and found.resolve() == p.resolve() else None


def named_tree(path: Path, file: str) -> Node:
    """Parse a scenario or overlay file that another file names.

    Raises:
        Unreadable: If it is not a regular, readable file of the loader's size limit, or
            not a scenario or overlay; the reason never quotes the file.
    """
    data = read_limited(path, MAX_BYTES)
    try:
        tree = parse(decode(data, file), file)
    except ScenarioError as exc:
        first = exc.problems[0]
        raise Unreadable(
            "it is not a readable scenario or overlay "
            f"(its first problem is at line {first.line}; run ingavi validate on it)"
        ) from None
    if not looks_like_scenario(tree):
        raise Unreadable(
            "it is not a scenario or overlay (its top level is not a mapping of scenario "
            "sections with 'meta:', or of an overlay with 'extends:')"
        )
    return tree


def looks_like_scenario(tree: Node) -> bool:
    """Whether a parsed file's top level is that of a scenario or of an overlay."""
    if not isinstance(tree.value, dict):
        return False
    keys = set(tree.value)
    if "extends" in keys:
        return keys <= {*HEADER_KEYS, *SECTIONS}
    return "meta" in keys and keys <= set(SECTIONS)
