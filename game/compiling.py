"""How the package's compiled code is made and kept: numba, its disk cache, stamps and lock.

Everything the package compiles goes through here: the kernels (:func:`kernel`, used by
:mod:`game.engine.jit` and every module that holds kernels) and the C library's
functions over arrays (:func:`ufunc`, used by :mod:`game.libm`).  Both share one
mechanism:

- numba is loaded with Intel's vector math library (SVML) turned off, which would
  otherwise replace the C library's functions in vectorised loops on a machine that has
  it installed (see :mod:`game.libm` for why the C library's bits matter);
- machine code is cached on disk beside the source (or, where the package is not
  writable, in the user's cache folder), so a machine compiles each piece once;
- each piece's cache is stamped with what it is built from
  (:func:`game.stamps.kernel_stamp`: its bytecode, the kernels it calls, the constants
  it reads), so an edit elsewhere in the package leaves it cached and an edit to
  anything it is built from compiles it again;
- compiling and saving happen under one machine-wide lock, and loading from the
  cache under the same lock shared (numba's cache is not safe between processes);
- loading machine code from the cache is not timed call by call into LLVM
  (:func:`_untimed_llvm_calls`);
- :func:`compile_seconds` tells how much of a process's time went into compiling or
  loading from the cache, which the benchmarks report apart as ``compile_s``.

Importing this module loads numba: modules imported by ``import game`` or by the rules'
pure functions reach it only when something is first compiled (:mod:`game.libm` on its
first call), so ``import game`` and the commands that play nothing never load numba.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from game import stamps

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

os.environ["NUMBA_DISABLE_INTEL_SVML"] = "1"
import numba

if numba.config.USING_SVML:  # pragma: no cover - numba was imported before, with SVML
    numba.core.config.reload_config()

from llvmlite import ir
from numba.core import caching, cgutils, types
from numba.extending import intrinsic


def _untimed_llvm_calls() -> None:
    """Stop numba timing each call into LLVM: compile statistics nothing here reads.

    numba hangs a pair of callbacks on llvmlite's lock that fire one of its events
    (``numba:llvm_lock``, for the timers of a dispatcher's metadata) around every call
    into LLVM.  Loading one kernel from the cache makes some three hundred such calls
    (about 19,000 for the fifty kernels of a war), and the events took about a quarter
    of the loading, in every process that plays.  The lock itself stays; only numba's
    own pair of callbacks (found by name) is removed, with llvmlite's public call.
    """
    from llvmlite.binding import ffi

    lock = getattr(ffi.lib, "_lock", None)
    for acquire, release in list(getattr(lock, "_cblist", ())):
        if "_initialize_llvm_lock_event" in getattr(acquire, "__qualname__", ""):
            ffi.unregister_lock_callback(acquire, release)


_untimed_llvm_calls()

F = TypeVar("F", bound=Callable[..., Any])

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def _package_stamp() -> str:
    """Return a hash of every module of the package (the stamp of the cached tables).

    Compiled code is stamped finer, each piece with what it is built from
    (:func:`game.stamps.kernel_stamp`); this is also its stamp of last resort.
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


@functools.cache
def _ours(py_file: str) -> bool:
    """Whether ``py_file`` is a source file of the package (asked for every kernel and stamp).

    Kept per file for the process: resolving a path asks the system about each of its
    folders, and a study's worker asked some four hundred times for a dozen files.
    """
    return Path(py_file).resolve().is_relative_to(_PACKAGE)


_UNSTAMPED = f"not stamped yet {uuid.uuid4()}"
"""The stamp a cache of the package's code starts with: it matches no index on disk, so
nothing is loaded or kept under it; :func:`_stamp` puts the code's own stamp in its place
before the first compilation."""


_WRITABLE: set[str] = set()
"""Cache folders this process has found it can write (see :meth:`_Ours.ensure_cache_path`)."""


class _Ours:
    """Locates the caches of the package's own compiled code, stamped by :func:`_stamp`."""

    def get_source_stamp(self) -> str:
        return _UNSTAMPED

    def ensure_cache_path(self) -> None:
        """Make the cache folder and check it can be written, once per folder and process.

        numba checks each time it sets up a function's cache, by writing and removing a
        file there: a process importing the package did it for each of some 150 kernels,
        in a handful of folders.  A folder that can no longer be written later still
        fails where the machine code is saved, as before.
        """
        path = self.get_cache_path()
        if path not in _WRITABLE:
            super().ensure_cache_path()  # type: ignore[misc]
            _WRITABLE.add(path)

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> Any:
        return super().from_function(py_func, py_file) if _ours(py_file) else None


class _InTree(_Ours, caching.InTreeCacheLocator):
    """The package's ``__pycache__`` folders, for the package's compiled code."""


class _UserWide(_Ours, caching.UserWideCacheLocator):
    """The user's cache folder (a package installed read-only), for the package's code."""


caching.CacheImpl._locator_classes[:0] = [_InTree, _UserWide]


def _stamp(py_func: Any, cache: Any) -> None:
    """Stamp the disk cache of ``py_func``'s machine code with what it is built from.

    numba checks cached machine code against the function's own file alone, not
    against the kernels it calls (the keyed draws of :mod:`game.rng`, shared helpers)
    nor the constants it reads: :func:`game.stamps.kernel_stamp` hashes all of these,
    so a change to any of them compiles the code again, and a change elsewhere in the
    package leaves it cached.  Worked out at the first compilation, when every name the
    function reads is defined.  numba keeps the stamp on the cache's index file
    (``_cache_file._source_stamp``, the one place this module reaches into numba's
    internals); if that ever moves, the cache misses and the code is compiled again.
    """
    if getattr(cache, "_stamped", False):
        return
    if _ours(py_func.__code__.co_filename) and isinstance(cache, caching.Cache):
        cache._cache_file._source_stamp = stamps.kernel_stamp(py_func, _ours, _package_stamp)
        cache._stamped = True


class _CompileClock(threading.local):
    """How deep this thread is in compilations, and which machine-wide lock it holds.

    A kernel compiles the kernels it calls: only the outermost compilation counts.
    """

    depth = 0
    held: int | None = None
    """The lock file this thread holds exclusively, until its outermost compilation ends."""
    reading = False
    """Whether this thread is reading the cache under the shared lock."""


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


def _take(shared: bool) -> int | None:
    """Take the machine-wide lock (shared or exclusive) and return its open file, if any."""
    if fcntl is None:
        return None
    for path in _lock_paths():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
            break
        except OSError:
            continue
    else:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _let_go(fd: int | None) -> None:
    """Release the machine-wide lock taken by :func:`_take`."""
    if fd is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


@contextlib.contextmanager
def cache_lock(shared: bool = False) -> Iterator[None]:
    """Hold the machine-wide lock under which the package's code is cached: shared to read.

    numba's cache is not safe between processes: two that compile different
    specialisations of one function at once (the workers of a study on a fresh machine)
    can each number their file 1, and the index then points one signature at the
    other's machine code, which fails to type in every later process (numba issue
    10128); and numba writes a new entry's index before its machine code, so a process
    reading in between could load a file of another entry.  So a process compiles and
    saves under the exclusive lock (it reads the index the last one wrote), and reads
    machine code from the cache under the shared lock: processes that only load (the
    workers of a study, each loading some fifty kernels as it starts) load side by side,
    and none reads while another writes.  Where ``fcntl`` is missing (Windows) nothing
    is locked between processes.
    """
    fd = _take(shared)
    try:
        yield
    finally:
        _let_go(fd)


def _guard(cache: Any) -> None:
    """Make ``cache`` read under the shared lock and compile and save under the exclusive one.

    Loading is tried under the shared lock first; on a miss the thread takes the
    exclusive lock, looks again (another process may have just saved the code) and, if
    it is still missing, compiles and saves while holding it, until its outermost
    compilation ends (:func:`_compiling` lets it go).  The one place this module wraps
    numba's cache (its ``load_overload`` and ``save_overload``, which both numba's
    dispatchers and its ufunc builder call).
    """
    if not isinstance(cache, caching.Cache) or getattr(cache, "_guarded", False):
        return
    load, save = cache.load_overload, cache.save_overload

    def load_overload(sig: Any, target_context: Any) -> Any:
        if _CLOCK.held is not None or _CLOCK.reading:
            return load(sig, target_context)
        _CLOCK.reading = True
        try:
            with cache_lock(shared=True):
                found = load(sig, target_context)
        finally:
            _CLOCK.reading = False
        if found is not None or not _CLOCK.depth:
            return found
        _CLOCK.held = _take(shared=False)
        return load(sig, target_context)

    def save_overload(sig: Any, data: Any) -> None:
        if _CLOCK.reading or not _CLOCK.depth:
            return  # compiled while reading (never seen): kept in this process only
        if _CLOCK.held is None:
            _CLOCK.held = _take(shared=False)
        save(sig, data)

    cache.load_overload = load_overload
    cache.save_overload = save_overload
    cache._guarded = True


@contextlib.contextmanager
def _compiling(py_func: Any, cache: Any) -> Iterator[None]:
    """Compile ``py_func`` stamped, with the cache's locks (:func:`_guard`), time added up.

    Only the outermost compilation (a kernel compiling the kernels it calls) counts the
    time, holds this process's lock against its other threads (numba compiles one
    thing at a time anyway) and, at its end, lets go of the machine-wide lock taken to
    compile.
    """
    _guard(cache)
    if _CLOCK.depth:
        _stamp(py_func, cache)
        yield
        return
    t0 = time.perf_counter()
    try:
        with _COMPILING:
            _CLOCK.depth += 1
            try:
                _stamp(py_func, cache)
                yield
            finally:
                _CLOCK.depth -= 1
                held, _CLOCK.held = _CLOCK.held, None
                _let_go(held)
    finally:
        with _LOCK:
            _SECONDS[0] += time.perf_counter() - t0


def kernel(fn: F) -> F:
    """Compile ``fn`` with numba in nopython mode, cached on disk, releasing the GIL.

    Kernels use no fast-math: float operations run in the order written, so a kernel
    that follows numpy's order of operations gives numpy's floats bit for bit.
    """
    return _kernel(fn, "never")


def inline_kernel(fn: F) -> F:
    """Compile ``fn`` as :func:`kernel` does, and inline it into every kernel that calls it.

    For small functions a kernel calls in its innermost loop (a place's chance of
    keeping, a march's score): called, each passes its arrays in and out of use (two
    atomic operations each) and keeps its values from the registers; inlined, the
    caller's loop is one piece of machine code.  The same operations in the same
    order: the same floats.
    """
    return _kernel(fn, "always")


@intrinsic
def prefetch(typingctx: Any, arr: Any, i: Any) -> Any:
    """Ask the processor to bring in the cache line of ``arr``'s element ``i`` (flat, C order).

    For a kernel that knows which rows it reads next and would otherwise wait on them
    (a force's rows of an ``[R, F, P]`` table, first read when its turn to choose comes):
    a hint to the memory system (``llvm.prefetch``, for reading, kept in every level of
    the cache), which reads nothing into the program and changes no result.  ``i`` may
    point past the array's end: nothing is read.
    """
    sig = types.void(arr, i)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0i8")
        ptr = builder.bitcast(builder.gep(ary.data, [args[1]]), i8p)
        builder.call(fn, [ptr, i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen


def _kernel(fn: F, inline: str) -> F:
    """Return :func:`kernel` or :func:`inline_kernel` of ``fn``."""
    dispatcher = numba.njit(cache=True, nogil=True, inline=inline)(fn)
    compile_ = dispatcher.compile

    @functools.wraps(compile_)
    def compile(*args: Any, **kwargs: Any) -> Any:
        with _compiling(dispatcher.py_func, dispatcher._cache):
            return compile_(*args, **kwargs)

    dispatcher.compile = compile
    return dispatcher  # type: ignore[no-any-return]


def ufunc(fn: Callable[..., Any], signature: str) -> Any:
    """Compile ``fn`` of scalars into a numpy ufunc of one ``signature``, cached on disk.

    The same cache, stamps, lock and clock as :func:`kernel`; the loop over elements is
    numba's, calling ``fn``'s machine code (no fast-math).
    """
    from numba.np.ufunc.ufuncbuilder import UFuncBuilder

    builder = UFuncBuilder(fn, cache=True)
    with _compiling(fn, builder.nb_func.cache):
        builder.add(signature)
        return builder.build_ufunc()


def compile_seconds() -> float:
    """Return the seconds this process has spent compiling code or loading it from cache.

    A kernel compiling the functions it calls counts once.  The benchmarks report this
    as ``compile_s``, apart from the speed figures.
    """
    return _SECONDS[0]
