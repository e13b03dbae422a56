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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from game import ENGINE_VERSION, __version__
from game.engine.orders import Orders
from game.engine.state import CampaignState, initial_state
from game.errors import SaveError, ScenarioError
from game.scenario.compile import CompiledScenario
from game.scenario.load import load_scenario
from game.scenario.overlay import load_with_overlays

if TYPE_CHECKING:
    from game.game import Game

FORMAT = "ingavi-save"
VERSION = 1
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ScenarioSource:
    """How to load a scenario again: its file, overlays and --set changes."""

    path: str
    overlays: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()

    def load(self) -> CompiledScenario:
        """Load and compile the scenario this source names."""
        if self.overlays or self.sets:
            return load_with_overlays(self.path, list(self.overlays), list(self.sets))
        return load_scenario(self.path)


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


def game_to_json(game: Game, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the save file's JSON object for a game."""
    src = game.source
    pending = game.pending_orders
    return {
        "format": FORMAT,
        "version": VERSION,
        "engine_version": ENGINE_VERSION,
        "ingavi_version": __version__,
        "saved_at": now_iso(),
        "scenario": {
            "id": game.scenario.model.meta.id,
            "hash": game.scenario.hash,
            "path": src.path if src else None,
            "overlays": list(src.overlays) if src else [],
            "sets": list(src.sets) if src else [],
        },
        "seed": game.seed,
        "turn": game.state.turn,
        "branch": game.branch,
        "log": [
            {
                "turn": h.turn,
                "kind": h.orders.kind.tolist(),
                "target": h.orders.target.tolist(),
                "sue": h.orders.sue.tolist(),
            }
            for h in game.history
        ],
        "pending": {
            "kind": pending.kind.tolist(),
            "target": pending.target.tolist(),
            "sue": pending.sue.tolist(),
        },
        "state": {k: encode_array(v) for k, v in game.state.arrays().items()},
        "extra": extra or {},
    }


def load_game(cls: type[Game], path: str | Path, scenario: CompiledScenario | None = None) -> Game:
    """Load a saved game, checking it belongs to its scenario and replays exactly.

    Raises:
        SaveError: If the file is not a save, is damaged, is of another scenario or
            version, or does not replay to the state it holds.
    """
    obj = read_save(path)
    meta = obj["scenario"]
    if not isinstance(meta, dict):
        raise SaveError(f"{path}: damaged save, 'scenario' is malformed")
    source = None
    if meta.get("path"):
        source = ScenarioSource(
            str(meta["path"]), tuple(meta.get("overlays") or ()), tuple(meta.get("sets") or ())
        )
    if scenario is None:
        if source is None:
            raise SaveError(f"{path}: the save does not say which scenario it belongs to")
        try:
            scenario = source.load()
        except ScenarioError as exc:
            raise SaveError(f"{path}: its scenario cannot be loaded: {exc}") from exc
    if meta.get("hash") != scenario.hash:
        raise SaveError(
            f"{path}: saved with scenario {meta.get('id')!r} in a different version "
            f"(content hash {str(meta.get('hash'))[:12]}, this one {scenario.hash[:12]})"
        )
    return _rebuild(cls, path, obj, scenario, source)


def _rebuild(
    cls: type[Game],
    path: str | Path,
    obj: dict[str, Any],
    scn: CompiledScenario,
    source: ScenarioSource | None,
) -> Game:
    seed = obj["seed"]
    if not isinstance(seed, int) or seed < 0:
        raise SaveError(f"{path}: damaged save, bad seed")
    branch = obj.get("branch")
    if branch is not None and not isinstance(branch, dict):
        raise SaveError(f"{path}: damaged save, 'branch' is malformed")
    start = _branch_start(scn, seed, branch, path)
    game = cls(scn, seed, source=source, state=start, branch=branch)
    fresh = game.state.arrays()
    saved = obj["state"]
    if not isinstance(saved, dict) or set(saved) != set(fresh):
        raise SaveError(f"{path}: damaged save, the state arrays do not match this scenario")
    arrays = {k: decode_array(saved[k], k) for k in fresh}
    for k, a in arrays.items():
        if a.shape != fresh[k].shape or a.dtype != fresh[k].dtype:
            raise SaveError(
                f"{path}: damaged save, array '{k}' has shape {a.shape} {a.dtype}, expected {fresh[k].shape} {fresh[k].dtype}"
            )
    log = obj["log"]
    if not isinstance(log, list):
        raise SaveError(f"{path}: damaged save, 'log' is malformed")
    for i, entry in enumerate(log):
        game.play_orders(_orders_from(entry, scn, path, f"log[{i}]"))
    replayed = game.state.arrays()
    for k, a in arrays.items():
        if not np.array_equal(a, replayed[k]):
            raise SaveError(
                f"{path}: the save does not replay to its recorded state ('{k}' differs); it was changed or made by another engine version"
            )
    pend = obj.get("pending")
    if pend:
        game.pending_orders = _orders_from(pend, scn, path, "pending")
    return game


def _branch_start(
    scn: CompiledScenario, seed: int, branch: dict[str, Any] | None, path: str | Path
) -> CampaignState | None:
    """Return the first state of a game branched from a study run, else None (the usual one).

    A game taken over from run N of a study (or from a study that drew uncertain strengths)
    began with that run's dice and armies, so its log replays only from that same start;
    the branch records ``run`` and ``sample_uncertain`` for this.
    """
    if not branch or (branch.get("run") is None and not branch.get("sample_uncertain")):
        return None
    run = branch.get("run") or 0
    if not isinstance(run, int) or isinstance(run, bool) or run < 0:
        raise SaveError(f"{path}: damaged save, the branch's run id is malformed")
    return initial_state(
        scn, np.array([run]), seed, sample_uncertain=bool(branch.get("sample_uncertain"))
    )


def _orders_from(entry: Any, scn: CompiledScenario, path: str | Path, where: str) -> Orders:
    if not isinstance(entry, dict):
        raise SaveError(f"{path}: damaged save, {where} is malformed")
    try:
        kind = np.array(entry["kind"], dtype=np.int8)
        target = np.array(entry["target"], dtype=np.int16)
        sue = np.array(entry["sue"], dtype=bool)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise SaveError(f"{path}: damaged save, {where} cannot be read") from exc
    if kind.shape != (1, scn.F) or target.shape != (1, scn.F) or sue.shape != (1, scn.S):
        raise SaveError(f"{path}: damaged save, {where} has the wrong size")
    return Orders(kind, target, sue)
