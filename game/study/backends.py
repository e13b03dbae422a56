"""Where chunks are played: in this process, in a process pool, or on a dask cluster.

Every backend does one thing: play tasks ``(spec, arm, first, count, scenario)`` with
:func:`game.study.chunk.play_chunk` and yield each task with its rows as they finish,
keeping at most ``window`` tasks in flight so memory stays flat however many runs the
study has.  Results come back in any order; the driver puts them in run order, so what a
study reports never depends on the backend.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from game.errors import IngaviError, UsageError
from game.study.chunk import Columns, play_chunk
from game.study.workerenv import init_worker, single_thread_environ

BACKENDS: tuple[str, ...] = ("local", "processes", "dask")
"""Backend names accepted by ``--backend``."""
START_METHOD = "spawn"
"""How pool workers start: a fresh interpreter, never a fork of a parent holding threads."""


@dataclass(frozen=True)
class Task:
    """One chunk of one arm: the plain arguments of :func:`play_chunk`."""

    spec: dict[str, Any]
    arm: int
    first: int
    count: int
    scenario: dict[str, Any] | None = None
    """The arm's scenario as plain data, so a worker need not read its files again."""

    def args(self) -> tuple[dict[str, Any], int, int, int, dict[str, Any] | None]:
        """Return the positional arguments of :func:`play_chunk`."""
        return (self.spec, self.arm, self.first, self.count, self.scenario)


class Backend(Protocol):
    """Plays tasks and yields them with their rows as they finish."""

    name: str
    workers: int

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Columns]]:
        """Yield ``(task, rows)`` for every task, in completion order."""
        ...

    def close(self) -> None:
        """Stop workers and drop unfinished tasks."""
        ...


def play_task(
    spec: dict[str, Any],
    arm: int,
    first: int,
    count: int,
    scenario: dict[str, Any] | None = None,
) -> Columns:
    """Play one task in a worker, turning errors into ones that survive the trip back.

    A :class:`~game.errors.ScenarioError` carries a list of problems that does not
    rebuild from its message alone, so it is sent back as a one-line UsageError.
    """
    try:
        return play_chunk(spec, arm, first, count, scenario)
    except IngaviError as exc:
        raise UsageError(str(exc)) from None


class LocalBackend:
    """Plays every chunk in this process, one after another."""

    name = "local"
    workers = 1

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Columns]]:
        """Yield each task with its rows, in order."""
        for task in tasks:
            yield task, play_chunk(*task.args())

    def close(self) -> None:
        """Nothing to stop."""


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a block (children inherit them)."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class Job(Protocol):
    """A piece of work for a pool: the plain arguments its play function takes."""

    def args(self) -> tuple[Any, ...]:
        """Return the positional arguments of the play function."""
        ...


J = TypeVar("J", bound=Job)


class ProcessBackend:
    """A pool of ``workers`` spawned processes, each with one BLAS thread.

    Workers are started with the ``spawn`` method (a clean interpreter: no copy of the
    parent's threads or locks, and the same behaviour on Linux, macOS and Windows), are
    born with the one-thread variables in their environment and run :func:`init_worker`
    before any task (which imports the play function's module as the worker starts).  They receive plain arguments and return plain arrays.  It is the
    one process pool of the project: studies play :func:`play_task` in it, the fidelity
    report its own chunks (``play``), and the window's "How likely?" passes ``check`` to
    stop it from the Cancel button.

    Args:
        workers: Processes in the pool.
        window: Most tasks in flight at once (default: two per worker).
        play: The top-level function a worker calls with each task's ``args()``.
        check: Called several times a second while waiting for results; whatever it
            raises (a cancellation) stops the waiting.
    """

    name = "processes"

    def __init__(
        self,
        workers: int,
        window: int | None = None,
        *,
        play: Callable[..., Any] = play_task,
        check: Callable[[], None] | None = None,
    ) -> None:
        self.workers = max(1, int(workers))
        self.window = window or 2 * self.workers
        self._play = play
        self._check = check
        ctx = multiprocessing.get_context(START_METHOD)
        with _environ(single_thread_environ()):
            self._pool = ctx.Pool(
                self.workers, initializer=init_worker, initargs=(play.__module__,)
            )
        self._closed = False

    def run(
        self, tasks: Iterable[J], check: Callable[[], None] | None = None
    ) -> Iterator[tuple[J, Any]]:
        """Yield each task with its rows as workers finish them.

        ``check`` (default: the pool's own) is called several times a second while
        waiting; what it raises stops the waiting (a pool kept for several studies is
        given each study's own).
        """
        check = check or self._check
        done: queue.Queue[tuple[J, Any, bool]] = queue.Queue()
        pending = 0
        it = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and pending < self.window:
                task = next(it, None)
                if task is None:
                    exhausted = True
                    break
                self._submit(task, done)
                pending += 1
            if pending == 0:
                return
            task, value, ok = _get(done, check)
            pending -= 1
            if not ok:
                raise value
            yield task, value

    def _submit(self, task: J, done: queue.Queue[tuple[J, Any, bool]]) -> None:
        self._pool.apply_async(
            self._play,
            task.args(),
            callback=lambda v, t=task: done.put((t, v, True)),
            error_callback=lambda e, t=task: done.put((t, e, False)),
        )

    def close(self) -> None:
        """Stop the workers at once (unfinished chunks are simply played again later)."""
        if not self._closed:
            self._closed = True
            self._pool.terminate()
            self._pool.join()


def _get(q: queue.Queue[Any], check: Callable[[], None] | None = None) -> Any:
    """Wait for a result, waking often so that Ctrl-C (or ``check``) is noticed promptly."""
    while True:
        if check is not None:
            check()
        try:
            return q.get(timeout=0.1)
        except queue.Empty:
            continue


class DaskBackend:
    """Chunks as tasks on a dask.distributed cluster (a scheduler address, or a local one).

    Workers need Ingavi installed.  Each chunk carries its scenario as plain data (see
    :func:`game.study.spec.scenario_data`), which a worker rebuilds and refuses to play
    if it does not compile to the content hash the study began with; a worker given no
    such data reads the scenario files at the same paths (a shared file system, or the
    same checkout everywhere).
    """

    name = "dask"

    def __init__(
        self,
        scheduler: str | None,
        workers: int,
        *,
        processes: bool = True,
        window: int | None = None,
    ) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UsageError(
                "the dask backend needs dask.distributed: pip install 'ingavi[dask]'"
            ) from None
        self._cluster = None
        if scheduler:
            try:
                self._client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise UsageError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
        else:
            where = {"host": "127.0.0.1"} if processes else {}
            # Worker processes are born with one BLAS thread each, as in the process pool:
            # two multi-threaded BLAS libraries on two cores spin against each other.
            with _environ(single_thread_environ() if processes else {}):
                self._cluster = LocalCluster(
                    n_workers=max(1, int(workers)),
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=None,
                    **where,
                )
            self._client = Client(self._cluster)
        self.workers = max(1, sum(self._client.nthreads().values()))
        self.window = window or 2 * self.workers
        self._futures: list[Any] = []

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Columns]]:
        """Yield each task with its rows as the cluster finishes them."""
        from dask.distributed import as_completed

        it = iter(tasks)
        which: dict[str, Task] = {}
        first = [self._submit(t, which) for t in _take(it, self.window)]
        if not first:
            return
        flow = as_completed(first)
        for fut in flow:
            task = which.pop(fut.key)
            value = fut.result()
            fut.release()
            for t in _take(it, 1):
                flow.add(self._submit(t, which))
            yield task, value

    def _submit(self, task: Task, which: dict[str, Task]) -> Any:
        fut = self._client.submit(play_task, *task.args(), pure=False)
        which[fut.key] = task
        return fut

    def close(self) -> None:
        """Close the client, and the local cluster if this backend started one."""
        with contextlib.suppress(Exception):
            self._client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
            self._cluster = None


def _take(it: Iterator[Task], n: int) -> list[Task]:
    out = []
    for _ in range(n):
        t = next(it, None)
        if t is None:
            break
        out.append(t)
    return out


def make_backend(
    name: str, workers: int | None = None, scheduler: str | None = None
) -> LocalBackend | ProcessBackend | DaskBackend:
    """Return a backend by name.

    Args:
        name: ``local``, ``processes`` or ``dask``.
        workers: Worker processes (default: one per CPU); ignored by ``local``, and by
            ``dask`` when a scheduler is given (the cluster has its own).
        scheduler: Address of a dask scheduler (``tcp://host:8786``); ``dask`` only.

    Raises:
        UsageError: For an unknown backend, or a scheduler given to another backend.
    """
    if name not in BACKENDS:
        raise UsageError(f"no backend '{name}' (backends: {', '.join(BACKENDS)})")
    if scheduler and name != "dask":
        raise UsageError("--scheduler needs --backend dask")
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n < 1:
        raise UsageError(f"--workers must be at least 1, got {n}")
    if name == "local":
        return LocalBackend()
    if name == "processes":
        return ProcessBackend(n)
    return DaskBackend(scheduler, n)
