"""A study's folder: its manifest and the finished chunks, written so nothing is lost.

Layout::

    DIR/study.json                      what was studied (spec, fingerprint)
    DIR/chunks/<arm>/<first>-<end>.npz  rows of runs first..end-1 of one arm

Each chunk is written to a temporary file, flushed to disk and renamed into place, so a
chunk file either holds every row of its runs or does not exist: a Ctrl-C, a crash or a
lost machine leaves only whole chunks behind, and ``--resume`` plays the rest.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from game.errors import UsageError
from game.study.chunk import Columns
from game.study.spec import StudySpec

MANIFEST = "study.json"
FORMAT = 1
_CHUNK = re.compile(r"^(\d{12})-(\d{12})\.npz$")


@dataclass
class Store:
    """The on-disk state of one study."""

    root: Path

    @property
    def manifest_path(self) -> Path:
        """Path of the manifest."""
        return self.root / MANIFEST

    def arm_dir(self, arm: str) -> Path:
        """Folder of one arm's chunks."""
        return self.root / "chunks" / arm

    # ------------------------------------------------------------------ opening

    def open(self, spec: StudySpec, *, resume: bool, overwrite: bool) -> None:
        """Make the folder ready for this study.

        A folder holding another study's chunks is never mixed with this one: with
        ``resume`` the manifest must match (an empty folder simply starts the study, so
        job scripts may always pass ``--resume``); otherwise the user must ask to
        overwrite.

        Raises:
            UsageError: If the folder holds another or unfinished study and neither
                ``resume`` nor ``overwrite`` allows reusing it.
        """
        old = self.read_manifest()
        if overwrite:
            self.clear()
        elif resume and old is not None:
            if old.get("fingerprint") != spec.fingerprint():
                raise UsageError(f"{self.root} holds a different study: {_difference(old, spec)}")
        elif not resume and self.has_chunks():
            raise UsageError(
                f"{self.root} already holds a study; add --resume to continue it, "
                "--overwrite to start again, or choose another --out"
            )
        elif resume and self.has_chunks():
            raise UsageError(f"{self.root} holds chunks but no manifest; use --overwrite")
        self.root.mkdir(parents=True, exist_ok=True)
        self.write_json(
            MANIFEST,
            {"format": FORMAT, "fingerprint": spec.fingerprint(), "spec": spec.to_dict()},
        )

    def read_manifest(self) -> dict[str, Any] | None:
        """Return the manifest, or None if the folder holds no study."""
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise UsageError(f"{self.manifest_path}: unreadable study manifest ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise UsageError(f"{self.manifest_path}: not a study manifest of this version")
        return data

    def has_chunks(self) -> bool:
        """Whether any chunk file exists."""
        chunks = self.root / "chunks"
        return chunks.is_dir() and any(chunks.rglob("*.npz"))

    def clear(self) -> None:
        """Remove this study's chunks and manifest (and nothing else in the folder)."""
        chunks = self.root / "chunks"
        if chunks.is_dir():
            for arm in chunks.iterdir():
                if not arm.is_dir():
                    continue
                for f in arm.iterdir():
                    if _CHUNK.match(f.name) or f.name.endswith(".npz.tmp"):
                        f.unlink()
                if not any(arm.iterdir()):
                    arm.rmdir()
        if self.manifest_path.exists():
            self.manifest_path.unlink()

    # ------------------------------------------------------------------ chunks

    def chunk_path(self, arm: str, first: int, end: int) -> Path:
        """Path of the chunk holding runs ``first .. end-1`` of an arm."""
        return self.arm_dir(arm) / f"{first:012d}-{end:012d}.npz"

    def ranges(self, arm: str) -> list[tuple[int, int]]:
        """Return the ``(first, end)`` run ranges an arm has on disk, sorted."""
        d = self.arm_dir(arm)
        if not d.is_dir():
            return []
        out = []
        for f in d.iterdir():
            m = _CHUNK.match(f.name)
            if m:
                out.append((int(m.group(1)), int(m.group(2))))
        return sorted(out)

    def save(self, arm: str, first: int, cols: Columns) -> None:
        """Write one chunk atomically (temporary file, flush, fsync, rename)."""
        end = first + int(cols["run"].size)
        path = self.chunk_path(arm, first, end)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, **cols)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def load(self, arm: str, first: int, end: int) -> Columns | None:
        """Return a chunk's rows, or None if it is missing or damaged (it is then removed)."""
        path = self.chunk_path(arm, first, end)
        try:
            with np.load(path, allow_pickle=False) as data:
                cols = {k: data[k] for k in data.files}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, zipfile.BadZipFile, EOFError):
            path.unlink(missing_ok=True)
            return None
        if "run" not in cols or not np.array_equal(cols["run"], np.arange(first, end)):
            path.unlink(missing_ok=True)
            return None
        return cols

    # ------------------------------------------------------------------ outputs

    def write_json(self, name: str, obj: Any) -> Path:
        """Write a JSON file atomically and return its path."""
        from game.study.runs_table import to_json

        path = self.root / name
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(to_json(obj), encoding="utf-8")
        os.replace(tmp, path)
        return path


def _difference(old: dict[str, Any], spec: StudySpec) -> str:
    """Say in a few words how a saved study differs from the one asked for."""
    try:
        prev = StudySpec.from_dict(old["spec"])
    except (KeyError, TypeError, ValueError):
        return "its manifest is from another version"
    if prev.engine_version != spec.engine_version:
        return (
            f"it was played by engine version {prev.engine_version}, this is {spec.engine_version}"
        )
    if [a.hash for a in prev.arms] != [a.hash for a in spec.arms]:
        return "the scenario (or an overlay or --set) has changed since it began"
    for what in ("seed", "policies", "difficulty", "sample_uncertain"):
        if getattr(prev, what) != getattr(spec, what):
            return f"its {what.replace('_', ' ')} was {getattr(prev, what)!r}"
    return "its options differ"
