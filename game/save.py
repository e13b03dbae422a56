"""Saved games: versioned JSON, written atomically, read defensively.

A save holds the scenario's identity (id, content hash, and how to load it again: a
bundled scenario by its id, so the save loads on any machine, else by its path), the
seed, every turn's orders, the pending orders of the turn in progress, and the full state
arrays.  Loading checks the file's limits and types (:mod:`game.save_file`), that the
scenario is the same one (by hash), that every array has the shape and type a fresh game
of that scenario has, that the log holds no more turns than the scenario has, and only
then that replaying the recorded orders from the start gives exactly the saved state, so
a corrupt, foreign or tampered file is refused with one line and never half-loaded.
Saves are never pickled: a save from a stranger is data, not code.  The scenario files it
names are opened as files named by another file (:mod:`game.scenario.library`): a save
naming ``/etc/passwd`` or ``/dev/zero`` is refused without quoting or hanging on it.
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

from game.codes import NONE, OrderKind
from game.engine.orders import NO_ORDER, Orders
from game.engine.state import CampaignState, initial_state
from game.errors import SaveError, ScenarioError
from game.files import Unreadable
from game.save_file import FORMAT, VERSION, check_log, decode_array, read_save
from game.scenario.compile import CompiledScenario
from game.scenario.library import find_scenario, id_of, is_scenario_id
from game.scenario.overlay import load_with_overlays
from game.version import ENGINE_VERSION, __version__

if TYPE_CHECKING:
    from game.game import Game

__all__ = ["FORMAT", "VERSION", "ScenarioSource", "game_to_json", "load_game", "read_save"]


@dataclass(frozen=True)
class ScenarioSource:
    """How to load a scenario again: its file, overlays and --set changes."""

    path: str
    overlays: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()

    def load(self, *, named: bool = False) -> CompiledScenario:
        """Load and compile the scenario this source names.

        Args:
            named: The source was read from a file (a save, a study folder) rather than
                given by the user: its files are opened as ``extends:`` opens files.

        Raises:
            ScenarioError: Listing the scenario's problems.
            Unreadable: With ``named``, if a file it names is not a scenario or overlay.
        """
        return load_with_overlays(self.path, list(self.overlays), list(self.sets), named=named)


def encode_array(a: np.ndarray) -> dict[str, Any]:
    """Return a JSON-friendly form of an array (dtype, shape, flat values)."""
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": a.ravel().tolist()}


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
            "path": portable(src.path) if src else None,
            "overlays": [portable(o) for o in src.overlays] if src else [],
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


ADDED_STATE = (
    "joining",
    "party_will",
    "party_left",
    "memory_men",
    "memory_at",
    "memory_turn",
    "memory_gone",
)
"""State arrays newer than some saves: a save without them still loads (its log is
replayed, which rebuilds them, and every array it does hold is checked).  The memory
arrays came with version 2 of the format; a version 1 save is migrated so: its sides'
memories are rebuilt by the replay exactly as if the game had been played with them."""


def load_game(cls: type[Game], path: str | Path, scenario: CompiledScenario | None = None) -> Game:
    """Load a saved game, checking it belongs to its scenario and replays exactly.

    Raises:
        SaveError: If the file is not a save, is damaged, is of another scenario or
            version, or does not replay to the state it holds.
    """
    obj = read_save(path)
    meta = obj["scenario"]
    source = None
    if meta.get("path"):
        overlays = tuple(_local(path, o, "scenario.overlays") for o in meta.get("overlays") or ())
        source = ScenarioSource(
            _local(path, meta["path"], "scenario.path"), overlays, tuple(meta.get("sets") or ())
        )
    if scenario is None:
        if source is None:
            raise SaveError(f"{path}: the save does not say which scenario it belongs to")
        scenario = _load_scenario(path, source)
    if meta.get("hash") != scenario.hash:
        raise SaveError(
            f"{path}: saved with scenario {str(meta.get('id'))[:80]!r} in a different version "
            f"(content hash {str(meta.get('hash'))[:12]}, this one {scenario.hash[:12]})"
        )
    return _rebuild(cls, path, obj, scenario, source)


def portable(file: str) -> str:
    """Return how a save names a scenario file: its id if one finds it, else its path.

    A bundled scenario (or one in the player's scenarios folder) saved by id loads on any
    machine and in any virtual environment; its content hash still has to match.
    """
    return id_of(file) or file


def _local(path: str | Path, name: str, where: str) -> str:
    """Return the file a save's scenario name stands for here (an id is looked up)."""
    if not is_scenario_id(name):
        return name
    found = find_scenario(name)
    if found is None:
        raise SaveError(
            f"{path}: {where} '{name}': no scenario has this id here; "
            "the save can be loaded only with its scenario"
        )
    return str(found)


def _load_scenario(path: str | Path, source: ScenarioSource) -> CompiledScenario:
    """Load the scenario a save names, as files named by a file (never quoted)."""
    try:
        return source.load(named=True)
    except Unreadable as exc:
        which = "scenario.path" if exc.name in (None, source.path) else "scenario.overlays"
        raise SaveError(
            f"{path}: {which} '{exc.name or source.path}': {exc.reason}; "
            "the save can be loaded only with its scenario"
        ) from None
    except ScenarioError as exc:
        raise SaveError(f"{path}: its scenario cannot be loaded: {exc}") from exc


def _rebuild(
    cls: type[Game],
    path: str | Path,
    obj: dict[str, Any],
    scn: CompiledScenario,
    source: ScenarioSource | None,
) -> Game:
    """Check the save against its scenario, then replay its log and compare the state."""
    seed, log = obj["seed"], obj["log"]
    if len(log) > scn.n_turns or obj["turn"] != len(log):
        raise SaveError(
            f"{path}: damaged save, its log has {len(log):,} turns and says turn "
            f"{obj['turn']:,}; this scenario has {scn.n_turns} turns"
        )
    check_log(path, log)
    orders = [_orders_from(entry, scn, path, f"log[{i}]") for i, entry in enumerate(log)]
    pending = _orders_from(obj["pending"], scn, path, "pending") if obj.get("pending") else None
    branch = obj.get("branch")
    start = _branch_start(scn, seed, branch)
    game = cls(scn, seed, source=source, state=start, branch=branch)
    fresh = game.state.arrays()
    saved = obj["state"]
    if (set(saved) - set(fresh)) or (set(fresh) - set(saved)) - set(ADDED_STATE):
        raise SaveError(f"{path}: damaged save, the state arrays do not match this scenario")
    try:
        arrays = {
            k: decode_array(saved[k], k, v.shape, v.dtype) for k, v in fresh.items() if k in saved
        }
    except SaveError as exc:
        raise SaveError(f"{path}: damaged save, {exc}") from None
    for turn in orders:
        game.play_orders(turn)
    replayed = game.state.arrays()
    for k, a in arrays.items():
        if not np.array_equal(a, replayed[k]):
            raise SaveError(
                f"{path}: the save does not replay to its recorded state ('{k}' differs); it was changed or made by another engine version"
            )
    if pending is not None:
        game.pending_orders = pending
    return game


def _branch_start(
    scn: CompiledScenario, seed: int, branch: dict[str, Any] | None
) -> CampaignState | None:
    """Return the first state of a game branched from a study run, else None (the usual one).

    A game taken over from run N of a study (or from a study that drew uncertain strengths)
    began with that run's dice and armies, so its log replays only from that same start;
    the branch records ``run`` and ``sample_uncertain`` for this (their types and ranges
    are checked by :class:`game.save_file.SavedBranch`).
    """
    if not branch or (branch.get("run") is None and not branch.get("sample_uncertain")):
        return None
    run = branch.get("run") or 0
    return initial_state(
        scn, np.array([run]), seed, sample_uncertain=bool(branch.get("sample_uncertain"))
    )


def _orders_from(entry: Any, scn: CompiledScenario, path: str | Path, where: str) -> Orders:
    """Rebuild one turn's orders, refusing any of the wrong size or out of range."""
    try:
        kind = np.array(entry["kind"], dtype=np.int8)
        target = np.array(entry["target"], dtype=np.int16)
        sue = np.array(entry["sue"], dtype=bool)
    except ValueError:  # ragged lists
        raise SaveError(f"{path}: damaged save, {where} has the wrong size") from None
    if kind.shape != (1, scn.F) or target.shape != (1, scn.F) or sue.shape != (1, scn.S):
        raise SaveError(f"{path}: damaged save, {where} has the wrong size")
    if np.any((kind < NO_ORDER) | (kind > max(OrderKind))) or np.any(
        (target < NONE) | (target >= scn.P)
    ):
        raise SaveError(
            f"{path}: damaged save, {where} names an order or a province that does not exist"
        )
    return Orders(kind, target, sue)
