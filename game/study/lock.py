"""One study at a time in a study folder: a lock with its owner's pid, stale locks reported.

Two studies writing one ``--out`` folder would mix their chunks and manifests silently.  So
while a study plays and writes its files it holds an exclusive lock on ``DIR/study.lock``
(``flock`` on POSIX, ``msvcrt.locking`` on Windows) and writes its pid, host and start
time into the file.  Another study asking for the folder is refused with that owner named.
The operating system drops the lock when its process ends, however it ends, so a lock is
never left held by a dead study; but a study that was killed leaves its details in the
file, and the next study to take the lock reports that it found a stale lock and whose.

The lock is re-entrant within a process (a study's driver and the code writing its summary
both hold it), and is only ever taken without waiting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from game.errors import IngaviWarning, UsageError

LOCK_FILE = "study.lock"
"""Name of the lock file in a study folder."""

_HELD: dict[Path, list[Any]] = {}
"""Folders this process holds: resolved path -> [file descriptor, depth]."""


class StaleLockWarning(IngaviWarning):
    """A study folder's lock was left by a study that ended without releasing it."""


@contextlib.contextmanager
def hold(root: Path | None) -> Iterator[None]:
    """Hold the lock of study folder ``root`` (creating the folder) for a block.

    Raises:
        UsageError: If another process holds it, naming that process.
    """
    if root is None:
        yield
        return
    root.mkdir(parents=True, exist_ok=True)
    key = root.resolve()
    if key in _HELD:
        _HELD[key][1] += 1
        try:
            yield
        finally:
            _HELD[key][1] -= 1
        return
    fd = _acquire(root)
    _HELD[key] = [fd, 1]
    try:
        yield
    finally:
        del _HELD[key]
        _release(fd)


def _acquire(root: Path) -> int:
    path = root / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    except OSError as exc:
        raise UsageError(f"{path}: cannot create the study's lock ({exc.strerror})") from None
    if not _try_lock(fd):
        owner = _describe(_read(fd))
        os.close(fd)
        raise UsageError(
            f"{root} is being written by another study ({owner}); wait for it to finish, "
            "or give this one another --out"
        )
    previous = _read(fd)
    if previous:
        warnings.warn(
            f"{root}: found a stale lock of a study that ended without releasing it "
            f"({_describe(previous)}); taking it over",
            StaleLockWarning,
            stacklevel=3,
        )
    _write(fd, _owner())
    return fd


def _release(fd: int) -> None:
    with contextlib.suppress(OSError):
        _write(fd, b"")
    _unlock(fd)
    os.close(fd)


def _owner() -> bytes:
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    return json.dumps(info).encode("utf-8")


def _describe(data: bytes) -> str:
    """Say who holds (or held) a lock, from its file; never more than a short line."""
    try:
        info = json.loads(data.decode("utf-8"))
        pid, host, since = int(info["pid"]), str(info["host"]), str(info["since"])
    except (ValueError, KeyError, TypeError):
        return "owner unknown"
    clean = "".join(c for c in f"{host}" if c.isprintable())[:64]
    return f"pid {pid} on {clean}, since {since[:25]}"


def _read(fd: int) -> bytes:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 4096).strip()
    except OSError:
        return b""


def _write(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, data)
    os.fsync(fd)


if sys.platform == "win32":  # pragma: no cover (the project's CI runs on Linux)
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:  # a file system without locks
            os.close(fd)
            raise UsageError(f"cannot lock the study folder here ({exc.strerror})") from None
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
