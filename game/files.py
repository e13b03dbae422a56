"""Reading a file that may come from a stranger, without hanging or over-reading.

Scenarios, overlays, saves and study folders are shared between people, and a file name
written inside one of them (an overlay's ``extends:``, a save's scenario path) may point
anywhere: at a directory, at ``/dev/zero``, at a pipe that never ends, at a huge file.
:func:`read_limited` reads only regular files, never more than a limit, and opens without
blocking, so none of these can hang a command or fill its memory.  Its refusals
(:class:`Unreadable`) say what kind of file it was, never what it holds, so the caller
can report them at its own line without quoting another file's content.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


class Unreadable(Exception):
    """A file that cannot be read as a small text file; ``reason`` says why in a few words.

    Attributes:
        reason: What kind of file it is, or what failed; never any of its content.
        size: Its size in bytes when it was refused for being too large, else None.
        name: The file, as the file that named it wrote it (set by whoever knows it).
    """

    def __init__(self, reason: str, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size
        self.name: str | None = None


def read_limited(path: str | Path, limit: int) -> bytes:
    """Return the bytes of a regular file of at most ``limit`` bytes.

    Raises:
        Unreadable: If it does not exist, is a directory, a device, a pipe or a socket,
            cannot be opened, or is larger than ``limit`` bytes.
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except IsADirectoryError:
        raise Unreadable("it is a directory, not a file") from None
    except OSError as exc:
        raise Unreadable(f"cannot be opened ({exc.strerror or type(exc).__name__})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("it is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("it is not a regular file (a device, pipe or socket)")
        if info.st_size > limit:
            raise _too_big(info.st_size, limit)
        data = _read(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_big(len(data), limit)
    return data


def _read(fd: int, n: int) -> bytes:
    """Read up to ``n`` bytes (a file may grow while it is read)."""
    parts: list[bytes] = []
    try:
        while n > 0 and (part := os.read(fd, min(n, 1 << 20))):
            parts.append(part)
            n -= len(part)
    except OSError as exc:
        raise Unreadable(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    return b"".join(parts)


def _too_big(size: int, limit: int) -> Unreadable:
    return Unreadable(f"it is too large ({size:,} bytes; the limit is {limit:,})", size)


def unique_temporary(path: Path) -> tuple[int, Path]:
    """Create a temporary file of its own beside ``path``; return its descriptor and path.

    The name carries the process id and a random token, so two writers never share one;
    unlike :func:`tempfile.mkstemp` it is created with the permissions the user's umask
    gives ordinary files, which it keeps once renamed over ``path``.
    """
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
