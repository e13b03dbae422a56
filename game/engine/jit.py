"""Compiled kernels: numba, compiled once per machine and cached, and the keyed draws in them.

The engine's hot loops (the march day by day, supply, what a side can see) are kernels
that take a whole batch and loop over runs in machine code: one call per batch and phase,
no Python per force or per day.  numba compiles each kernel on its first call and keeps
the machine code in a cache beside the source (or, where the package is not writable, in
the user's cache folder), so a machine pays the compilation once, and again for a kernel only
when something it is built from changes (:mod:`game.engine.stamps`); :func:`compile_seconds`
tells how much of a process's time went into compiling or loading kernels, which the
benchmarks report apart as ``compile_s``.

Only modules that hold kernels import this one, and they are imported when a turn is
played, so ``import game`` and the commands that play nothing never load numba.

The keyed random streams are those of :mod:`game.rng`, compiled from its ``*_one``
functions: the same bits and the same floats as the array functions, key for key (the
array functions take ``log``, ``cos`` and ``sin`` from the C library, as kernels do:
:mod:`game.libm`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
import threading
import time
import types
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from game import libm, rng
from game.engine import stamps

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

numba = libm.load_numba()  # Intel's SVML off: every kernel calls the C library's functions

from numba.core import caching  # noqa: E402

F = TypeVar("F", bound=Callable[..., Any])

_PACKAGE = Path(rng.__file__).resolve().parent


@functools.cache
def _package_stamp() -> str:
    """Return a hash of every module of the package (the stamp of the cached tables).

    Kernels are stamped finer, each with what it is built from
    (:func:`game.engine.stamps.kernel_stamp`); this is also their stamp of last resort.
    """
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def package_stamp() -> str:
    """Return the hash of the package's source that stamps the tables computed once."""
    return _package_stamp()


def numba_version() -> str:
    """Return the version of numba compiling the kernels (part of what a cache is keyed by)."""
    return str(numba.__version__)


def cache_folder() -> Path:
    """Return the folder where the program keeps what it computes once per machine.

    The package's ``__pycache__`` (beside the kernels) when it can be written, else the
    user's cache folder (``$XDG_CACHE_HOME/ingavi`` or ``~/.cache/ingavi``): a package
    installed read-only still keeps its tables.  Only the program writes there, under
    names that hash what the contents depend on.
    """
    here = _PACKAGE / "__pycache__"
    if os.access(here if here.exists() else _PACKAGE, os.W_OK):
        return here
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ingavi"


def _ours(py_file: str) -> bool:
    return Path(py_file).resolve().is_relative_to(_PACKAGE)


_UNSTAMPED = f"not stamped yet {uuid.uuid4()}"
"""The stamp a kernel's cache starts with: it matches no index on disk, so nothing is
loaded or kept under it; :func:`_stamp` puts the kernel's own stamp in its place before
the first compilation."""


class _InTree(caching.InTreeCacheLocator):
    """The package's ``__pycache__`` folders, for the package's kernels."""

    def get_source_stamp(self) -> str:
        return _UNSTAMPED

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Any:
        return super().from_function(py_func, py_file) if _ours(py_file) else None


class _UserWide(caching.UserWideCacheLocator):
    """The user's cache folder (a package installed read-only), for the package's kernels."""

    def get_source_stamp(self) -> str:
        return _UNSTAMPED

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Any:
        return super().from_function(py_func, py_file) if _ours(py_file) else None


caching.CacheImpl._locator_classes[:0] = [_InTree, _UserWide]


def _stamp(dispatcher: Any) -> None:
    """Stamp a kernel's cache with what the kernel is built from, before it first compiles.

    numba checks a cached kernel against its own bytecode only, not against the kernels
    it calls (the keyed draws of :mod:`game.rng`, shared helpers) nor the constants it
    reads: :func:`game.engine.stamps.kernel_stamp` hashes all of these, so a change to
    any of them compiles the kernel again, and a change elsewhere in the package leaves
    it cached.  Worked out at the first compilation, when every name the kernel reads
    is defined.
    """
    if getattr(dispatcher, "_stamped", False):
        return
    py_func = dispatcher.py_func
    cache = getattr(dispatcher, "_cache", None)
    if _ours(py_func.__code__.co_filename) and isinstance(cache, caching.FunctionCache):
        cache._cache_file._source_stamp = stamps.kernel_stamp(py_func, _ours, _package_stamp)
    dispatcher._stamped = True


def kernel(fn: F) -> F:
    """Compile ``fn`` with numba in nopython mode, cached on disk, releasing the GIL.

    Kernels use no fast-math: float operations run in the order written, so a kernel
    that follows numpy's order of operations gives numpy's floats bit for bit.
    """
    dispatcher = numba.njit(cache=True, nogil=True)(fn)
    dispatcher.compile = _timed(dispatcher, dispatcher.compile)
    return dispatcher  # type: ignore[no-any-return]


class _CompileClock(threading.local):
    """Wall time spent compiling kernels or loading them from the cache, per process."""

    depth = 0


_CLOCK = _CompileClock()
_SECONDS = [0.0]
_LOCK = threading.Lock()
_COMPILING = threading.Lock()


def _lock_paths() -> tuple[Path, ...]:
    """Where the machine-wide compile lock may live: beside the cache, else the temp folder."""
    user = getattr(os, "getuid", lambda: 0)()
    return (
        _PACKAGE / "__pycache__" / "kernels.lock",
        Path(tempfile.gettempdir()) / f"ingavi-kernels-{user}.lock",
    )


@contextlib.contextmanager
def cache_lock() -> Iterator[None]:
    """Hold the machine-wide lock under which kernels are compiled and cached.

    numba's cache is not safe between processes: two that compile different
    specialisations of one function at once (the workers of a study on a fresh machine)
    can each number their file 1, and the index then points one signature at the
    other's machine code, which fails to type in every later process (numba issue
    10128).  Compiling and saving under one file lock per machine makes each process
    read the index the last one wrote.  Threads of a process take a plain lock first
    (numba compiles one thing at a time anyway).  Where ``fcntl`` is missing (Windows)
    only the threads are serialised.
    """
    with _COMPILING:
        fd = None
        if fcntl is not None:
            for path in _lock_paths():
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
                    break
                except OSError:
                    continue
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)


def _timed(dispatcher: Any, compile_: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a dispatcher's ``compile``: stamped, under :func:`cache_lock`, its time added up.

    Only the outermost call (a kernel compiling the kernels it calls) takes the lock
    and counts the time.
    """

    @functools.wraps(compile_)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if _CLOCK.depth:
            _stamp(dispatcher)
            return compile_(*args, **kwargs)
        _CLOCK.depth += 1
        t0 = time.perf_counter()
        try:
            with cache_lock():
                _stamp(dispatcher)
                return compile_(*args, **kwargs)
        finally:
            _CLOCK.depth -= 1
            with _LOCK:
                _SECONDS[0] += time.perf_counter() - t0

    return timed


def compile_seconds() -> float:
    """Return the seconds this process has spent compiling kernels or loading them from cache.

    A kernel compiling the functions it calls counts once.  The benchmarks report this
    as ``compile_s``, apart from the speed figures.  The C library's functions over
    arrays (:mod:`game.libm`) count too.
    """
    return _SECONDS[0] + libm.compile_seconds()


def _compile_family(module: types.ModuleType, names: tuple[str, ...]) -> dict[str, Any]:
    """Compile functions of ``module`` that call one another, as kernels.

    numba calls only compiled functions from a kernel, so each is compiled from a copy
    whose globals see the compiled versions of the others (under the same names).
    """
    space = dict(vars(module))
    out = {}
    for name in names:
        fn = getattr(module, name)
        copy = types.FunctionType(fn.__code__, space, fn.__name__, fn.__defaults__)
        copy.__qualname__ = fn.__qualname__
        copy.__module__ = fn.__module__
        copy.__doc__ = fn.__doc__
        space[name] = out[name] = kernel(copy)
    return out


_RNG = _compile_family(
    rng,
    (
        "mix64_one",
        "fold_one",
        "root_key_one",
        "bits_one",
        "counter_bits_one",
        "uniform_one",
        "uniform_hi_one",
        "uniform_lo_one",
        "normal_one",
        "normal_second_one",
    ),
)
# The keyed streams of game.rng, one key at a time (see game.rng for each).
mix64 = _RNG["mix64_one"]
fold = _RNG["fold_one"]
root_key = _RNG["root_key_one"]
bits = _RNG["bits_one"]
counter_bits = _RNG["counter_bits_one"]
uniform = _RNG["uniform_one"]
uniform_hi = _RNG["uniform_hi_one"]
uniform_lo = _RNG["uniform_lo_one"]
normal = _RNG["normal_one"]
normal_second = _RNG["normal_second_one"]
