"""Saved games: versioned JSON, written atomically, read defensively.

A save holds the scenario's identity (id, content hash, and how to load it again), the
seed, every turn's orders, the pending orders of the turn in progress, and the full state
arrays.  Loading checks the format and version, that the scenario is the same one
(by hash), that every array has the shape and type a fresh game of that scenario has,
and that replaying the recorded orders from the start gives exactly the saved state, so a
corrupt, foreign or tampered file is refused with a clear message and never half-loaded.
Saves are never pickled: a save from a stranger is data, not code.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from game.errors import SaveError

FORMAT = "ingavi-save"
VERSION = 1
MAX_BYTES = 50 * 1024 * 1024


def encode_array(a: np.ndarray) -> dict[str, Any]:
    """Return a JSON-friendly form of an array (dtype, shape, flat values)."""
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": a.ravel().tolist()}


def decode_array(obj: Any, name: str) -> np.ndarray:
    """Rebuild an array written by :func:`encode_array`, refusing anything malformed."""
    if not isinstance(obj, dict) or set(obj) != {"dtype", "shape", "data"}:
        raise SaveError(f"array '{name}' is malformed")
    allowed = {"bool", "int8", "int16", "int32", "int64", "uint64", "float32", "float64"}
    if obj["dtype"] not in allowed:
        raise SaveError(f"array '{name}' has an unsupported type {obj['dtype']!r}")
    shape = obj["shape"]
    if not isinstance(shape, list) or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise SaveError(f"array '{name}' has a malformed shape")
    data = obj["data"]
    if not isinstance(data, list) or len(data) != int(np.prod(shape, dtype=np.int64)):
        raise SaveError(
            f"array '{name}' has {len(data) if isinstance(data, list) else '?'} values for shape {shape}"
        )
    if not all(isinstance(x, (int, float, bool)) and not isinstance(x, str) for x in data):
        raise SaveError(f"array '{name}' holds values that are not numbers")
    try:
        return np.array(data, dtype=obj["dtype"]).reshape(shape)
    except (ValueError, OverflowError) as exc:
        raise SaveError(f"array '{name}' cannot be read: {exc}") from exc


def write_json_atomic(path: str | Path, obj: Any) -> None:
    """Write JSON to ``path`` so that a crash leaves either the old file or the new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(obj, fh, ensure_ascii=False, separators=(",", ":"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_save(path: str | Path) -> dict[str, Any]:
    """Read and check the envelope of a save file; return its JSON object."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise SaveError(f"{p}: cannot open the save ({exc.strerror})") from exc
    if size > MAX_BYTES:
        raise SaveError(f"{p}: {size} bytes is too large for a save file")
    try:
        obj = json.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SaveError(f"{p}: not a saved game (not UTF-8 text)") from exc
    except json.JSONDecodeError as exc:
        raise SaveError(
            f"{p}: damaged save, JSON error at line {exc.lineno} column {exc.colno}"
        ) from exc
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise SaveError(f"{p}: not an Ingavi saved game")
    if obj.get("version") != VERSION:
        raise SaveError(
            f"{p}: save format version {obj.get('version')!r}; this Ingavi reads version {VERSION}"
        )
    for key in ("scenario", "seed", "turn", "log", "state"):
        if key not in obj:
            raise SaveError(f"{p}: damaged save, '{key}' is missing")
    return obj


def now_iso() -> str:
    """Return the current UTC time for save metadata."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
