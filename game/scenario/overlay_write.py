"""Write an overlay file: how a player's what-if changes are saved.

The interface's what-if screen collects changes (a general removed, an army larger, an
event switched off) as a dictionary shaped like a scenario, and saves them with
:func:`write_overlay` as an ordinary overlay file, which can then be played, shared, edited
by hand and validated like any other.  The file is written atomically (a temporary file in
the same folder, then ``os.replace``), and by default only after it has been loaded and
validated, so a crash or a bad change never leaves a broken or half-written file behind.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from game.errors import ScenarioError, UsageError
from game.scenario.library import extends_text
from game.scenario.overlay import load_with_overlays
from game.scenario.overlay_schema import OverlayHeader

_PREAMBLE = "# A counterfactual overlay (see docs/scenario-format.md).\n"


def plain(value: Any) -> Any:
    """Return ``value`` as YAML-ready data: models become mappings, tuples lists."""
    if isinstance(value, BaseModel):
        return plain(value.model_dump(by_alias=True, exclude_defaults=True))
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return value
    raise UsageError(f"cannot write a value of type {type(value).__name__} in an overlay")


def overlay_text(
    path: Path,
    extends: str | Path,
    header: OverlayHeader | Mapping[str, Any],
    changes: Any,
    comment: str = "",
) -> str:
    """Return the YAML text of an overlay file to be written at ``path``.

    ``comment`` lines (without their ``#``) are written under the preamble: a note for
    people, such as how to play or study the file.
    """
    doc = {"extends": extends_text(extends, path), "overlay": plain(header), **plain(changes)}
    notes = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    return _PREAMBLE + notes + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=96)


def write_overlay(
    path: str | Path,
    extends: str | Path,
    header: OverlayHeader | Mapping[str, Any],
    changes: Mapping[str, Any],
    *,
    validate: bool = True,
    comment: str = "",
) -> Path:
    """Write an overlay file atomically, after checking that it loads.

    Args:
        path: The overlay file to write.
        extends: The scenario (or overlay) it changes; written as its id if it has one
            (a bundled scenario, or one in the player's scenarios folder), else relative
            to ``path``.
        header: The overlay's ``id``, ``title``, ``description`` and ``sources``.
        changes: Scenario sections holding only the changes, and optionally ``remove``,
            exactly as in an overlay file, e.g. ``{"forces": [{"id": "x", "men": 9000}]}``.
        validate: Load the written overlay through every pass before keeping it.
        comment: Lines written as YAML comments at the top (how to play it, say).

    Returns:
        The path written.

    Raises:
        ScenarioError: If ``validate`` and the overlay does not load; nothing is written.
        UsageError: If a value cannot be written as YAML, or the file cannot be written.
    """
    target = Path(path)
    text = overlay_text(target, extends, header, changes, comment)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if validate:
            _check(tmp, target)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _check(tmp: Path, target: Path) -> None:
    try:
        load_with_overlays(tmp, [], [])
    except ScenarioError as exc:
        raise ScenarioError(
            [replace(p, file=str(target)) if p.file == str(tmp) else p for p in exc.problems]
        ) from None
