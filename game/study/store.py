"""A study's folder: its manifest and the finished chunks, written so nothing is lost.

Layout::

    DIR/study.json                      what was studied (spec, fingerprint)
    DIR/study.lock                      held by the study writing the folder
    DIR/chunks/<arm>/<first>-<end>.npz  rows of runs first..end-1 of one arm

Each chunk is written to a temporary file of its own (so two writers can never share
one), flushed to disk and renamed into place, so a chunk file either holds every row of
its runs or does not exist: a Ctrl-C, a crash or a lost machine leaves only whole chunks
behind, and ``--resume`` plays the rest.  Only the study holding the folder's lock
(:mod:`game.study.lock`) writes it.  Every chunk carries the fingerprint of its study
(seed, options, scenario hashes) and its arm, and a chunk of any other study is refused
when read: a folder changed by hand, or mixed by an older Ingavi, is never reused.
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
from game.files import Unreadable, read_limited, unique_temporary
from game.study.chunk import Columns
from game.study.spec import StudySpec

MANIFEST = "study.json"
FORMAT = 2
"""Version of the folder's layout; 2 added each chunk's study tag."""
TAG = "study_tag"
"""Key of a chunk's tag: ``<fingerprint>/<arm>``."""
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_CHUNK = re.compile(r"^(\d{12})-(\d{12})\.npz$")
_TEMPORARY = re.compile(r"^\..+\.tmp$")


@dataclass
class Store:
    """The on-disk state of one study."""

    root: Path
    fingerprint: str = ""
    """The study's fingerprint, which every chunk it writes or reads must carry."""

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
        self.fingerprint = spec.fingerprint()
        self.root.mkdir(parents=True, exist_ok=True)
        self.remove_temporaries()
        self.write_json(
            MANIFEST,
            {"format": FORMAT, "fingerprint": spec.fingerprint(), "spec": spec.to_dict()},
        )

    def read_manifest(self) -> dict[str, Any] | None:
        """Return the manifest, or None if the folder holds no study."""
        if not self.manifest_path.exists():
            return None
        try:
            data = json.loads(read_limited(self.manifest_path, MAX_MANIFEST_BYTES))
        except Unreadable as exc:
            raise UsageError(
                f"{self.manifest_path}: unreadable study manifest: {exc.reason}"
            ) from None
        except (ValueError, RecursionError):
            raise UsageError(
                f"{self.manifest_path}: unreadable study manifest (not JSON)"
            ) from None
        if isinstance(data, dict) and data.get("format") == 1:
            raise UsageError(
                f"{self.manifest_path}: a study of an earlier Ingavi, whose chunks cannot be "
                "checked; use --overwrite to start it again, or choose another --out"
            )
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
                    if _CHUNK.match(f.name) or _TEMPORARY.match(f.name):
                        f.unlink()
                if not any(arm.iterdir()):
                    arm.rmdir()
        if self.manifest_path.exists():
            self.manifest_path.unlink()

    def remove_temporaries(self) -> None:
        """Remove temporary files left by a study that was killed while writing.

        Called only by the study holding the folder's lock, so no live writer owns them.
        """
        chunks = self.root / "chunks"
        arms = [a for a in chunks.iterdir() if a.is_dir()] if chunks.is_dir() else []
        for folder in [self.root, *arms]:
            for f in folder.iterdir():
                if _TEMPORARY.match(f.name) and f.is_file():
                    f.unlink(missing_ok=True)

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
        """Write one chunk atomically (own temporary file, flush, fsync, rename)."""
        end = first + int(cols["run"].size)
        path = self.chunk_path(arm, first, end)
        path.parent.mkdir(parents=True, exist_ok=True)
        tagged = {**cols, TAG: np.array(self._tag(arm))}
        fd, tmp = unique_temporary(path)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **tagged)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def load(self, arm: str, first: int, end: int) -> Columns | None:
        """Return a chunk's rows, or None if it is missing or damaged (it is then removed).

        Raises:
            UsageError: If the chunk belongs to another study.
        """
        path = self.chunk_path(arm, first, end)
        try:
            with np.load(path, allow_pickle=False) as data:
                cols = {k: data[k] for k in data.files}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, zipfile.BadZipFile, EOFError):
            path.unlink(missing_ok=True)
            return None
        self._check_tag(path, arm, cols.pop(TAG, None))
        if "run" not in cols or not np.array_equal(cols["run"], np.arange(first, end)):
            path.unlink(missing_ok=True)
            return None
        return cols

    def check(self, arm: str, first: int, end: int) -> None:
        """Check that a chunk on disk belongs to this study (reading its tag alone).

        Raises:
            UsageError: If it belongs to another study.
        """
        path = self.chunk_path(arm, first, end)
        try:
            with np.load(path, allow_pickle=False) as data:
                tag = data[TAG] if TAG in data.files else None
        except (OSError, ValueError, zipfile.BadZipFile, EOFError):
            return  # a damaged chunk is played again when it is read
        self._check_tag(path, arm, tag)

    def _tag(self, arm: str) -> str:
        if not self.fingerprint:
            raise ValueError("the store was not opened for a study")
        return f"{self.fingerprint}/{arm}"

    def _check_tag(self, path: Path, arm: str, tag: np.ndarray | None) -> None:
        expected = self._tag(arm)
        if tag is None or tag.shape != () or str(tag) != expected:
            raise UsageError(
                f"{path}: this chunk belongs to another study (or another arm) than the one "
                f"in {self.manifest_path}; the folder was changed by hand or mixed: start "
                "again with --overwrite, or choose another --out"
            )

    # ------------------------------------------------------------------ outputs

    def write_json(self, name: str, obj: Any) -> Path:
        """Write a JSON file atomically and return its path."""
        from game.study.runs_table import to_json

        path = self.root / name
        fd, tmp = unique_temporary(path)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(to_json(obj))
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
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
