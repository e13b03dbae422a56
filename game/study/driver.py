"""The study driver: plan chunks, play them on a backend, fold them in run order.

Results come back from workers in any order.  Each is saved to disk at once (so a Ctrl-C
loses nothing finished), then held until every earlier chunk has arrived, and only then
folded into the summaries.  Folding in run order, from integer statistics, is what makes
a study's numbers the same on any backend, worker count and chunk size, and makes
``--until-ci`` stop after the same run whatever the order chunks finished in.
"""

from __future__ import annotations

import itertools
import math
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from game.errors import UsageError
from game.scenario.compile import CompiledScenario
from game.study.accumulators import Aggregate
from game.study.backends import Backend, Task, make_backend
from game.study.chunk import Columns, play_chunk
from game.study.compare import PairedAggregate
from game.study.lock import hold
from game.study.plan import MAX_CHUNK_SIZE, Range, check_runs, is_check_point, plan, reusable
from game.study.progress import Progress
from game.study.spec import StudySpec, load_cached, scenario_data
from game.study.store import Store

MAX_CHUNK = 256
"""Largest chunk chosen automatically.  The engine gains little beyond a few hundred runs
per batch (its per-run cost at 128 runs is within 15% of that at 400), while policies that
build ``[runs, forces, provinces]`` arrays slow down per run once those outgrow the CPU's
caches; a few hundred runs also keep a chunk's arrays small and spread work over workers."""
MIN_CHUNK = 32
"""Smallest chunk chosen automatically (smaller batches waste the engine's vectorisation)."""
MAX_WORKERS = 1024
"""Most worker processes a study starts on this machine."""


@dataclass
class Options:
    """How to play a study (none of this changes its results, except ``runs``).

    Attributes:
        runs: Number of runs (the most, with ``until_ci``).
        first_run: Index of the first run.
        backend: A backend name or a ready backend.
        workers: Worker processes for ``processes`` and a local ``dask`` cluster.
        scheduler: Address of a dask scheduler.
        chunk_size: Runs per chunk (default: chosen from runs and workers).
        until_ci: Stop once every outcome probability's 95% half-width is below this.
        ci_every: Test the ``until_ci`` rule every this many runs.
        out: Folder for chunks and outputs (None: keep nothing on disk).
        resume: Reuse finished chunks in ``out``.
        overwrite: Discard a study already in ``out``.
        progress: Show a progress bar on stderr.
        keep_rows: Keep every row in memory (for ``to_pandas`` without ``out``).
    """

    runs: int = 1000
    first_run: int = 0
    backend: str | Backend = "local"
    workers: int | None = None
    scheduler: str | None = None
    chunk_size: int | None = None
    until_ci: float | None = None
    ci_every: int = 1000
    out: Path | None = None
    resume: bool = False
    overwrite: bool = False
    progress: bool = False
    keep_rows: bool = False

    def check(self) -> None:
        """Refuse options that cannot be honoured.

        Raises:
            UsageError: With the offending option named.
        """
        check_runs(self.first_run, self.runs)
        if self.chunk_size is not None and not 1 <= self.chunk_size <= MAX_CHUNK_SIZE:
            raise UsageError(
                f"--chunk-size must be between 1 and {MAX_CHUNK_SIZE:,}, got {self.chunk_size}"
            )
        if self.workers is not None and not 1 <= self.workers <= MAX_WORKERS:
            raise UsageError(f"--workers must be between 1 and {MAX_WORKERS}, got {self.workers}")
        if self.until_ci is not None and not 0 < self.until_ci < 0.5:
            raise UsageError(f"--until-ci must be between 0 and 0.5, got {self.until_ci}")
        if self.ci_every < 1:
            raise UsageError(f"--ci-every must be at least 1, got {self.ci_every}")
        if self.resume and self.out is None:
            raise UsageError("--resume needs --out (the folder of the study to continue)")


@dataclass
class Played:
    """What a driver run produced: summaries by arm, and how it went.

    Attributes:
        spec: The study.
        scenarios: Compiled scenario of each arm.
        aggregates: Summary of each arm.
        paired: Paired comparison of the first two arms, for ``--vs``.
        first_run: Index of the first run.
        ranges: The chunks that make up the result, in run order.
        runs: Runs in the result (per arm).
        stopped: ``runs`` (all played), ``until_ci`` (precise enough) or ``interrupted``.
        elapsed_s: Wall time of this session.
        played: Campaigns played in this session (all arms).
        reused: Campaigns read back from chunks of an earlier session.
        backend: Backend name.
        workers: Workers it used.
        chunk_size: Largest chunk planned.
        store: The study's folder, if any.
        rows: Every chunk's rows by arm, if kept in memory.
    """

    spec: StudySpec
    scenarios: list[CompiledScenario]
    aggregates: list[Aggregate]
    paired: PairedAggregate | None
    first_run: int = 0
    ranges: list[Range] = field(default_factory=list)
    runs: int = 0
    stopped: str = "runs"
    elapsed_s: float = 0.0
    played: int = 0
    reused: int = 0
    backend: str = "local"
    workers: int = 1
    chunk_size: int = 0
    store: Store | None = None
    rows: list[list[Columns]] | None = None

    @property
    def complete(self) -> bool:
        """Whether the study finished (all runs, or its precision target)."""
        return self.stopped != "interrupted"

    @property
    def runs_per_s(self) -> float:
        """Campaigns played per second of wall time in this session."""
        return self.played / self.elapsed_s if self.elapsed_s > 0 else 0.0


def auto_chunk(runs: int, workers: int) -> int:
    """Return a chunk size giving each worker about four chunks, within sensible bounds."""
    return max(1, min(runs, MAX_CHUNK, max(MIN_CHUNK, math.ceil(runs / (4 * workers)))))


def paired_arms(spec: StudySpec) -> bool:
    """Whether the study compares a baseline with one variant on the same runs."""
    return len(spec.arms) == 2 and spec.arms[1].name == "vs"


def execute(spec: StudySpec, opts: Options) -> Played:
    """Play a study and return its summaries (partial, with ``stopped`` set, on Ctrl-C).

    With ``out``, the folder's lock is held throughout (see :mod:`game.study.lock`);
    callers that write the study's outputs afterwards hold it around both.
    """
    opts.check()
    with hold(opts.out):
        return _execute(spec, opts)


def _execute(spec: StudySpec, opts: Options) -> Played:
    t0 = time.perf_counter()
    scns = [load_cached(a.scenario, a.hash) for a in spec.arms]
    store = Store(Path(opts.out)) if opts.out is not None else None
    if store is not None:
        store.open(spec, resume=opts.resume, overwrite=opts.overwrite)
    aggs = [Aggregate.for_scenario(s, spec.sample_uncertain) for s in scns]
    paired = PairedAggregate(len(scns[0].outcomes), scns[0].S) if paired_arms(spec) else None
    done = Played(spec, scns, aggs, paired, first_run=opts.first_run, store=store)
    done.rows = [[] for _ in spec.arms] if opts.keep_rows else None
    backend = opts.backend if not isinstance(opts.backend, str) else None
    workers = backend.workers if backend is not None else _workers(opts)
    chunk = opts.chunk_size or auto_chunk(opts.runs, workers)
    on_disk = _on_disk(store, spec, opts) if store is not None and opts.resume else set()
    existing = sorted({r for r, _ in on_disk})
    align = opts.ci_every if opts.until_ci is not None else None
    ranges = plan(opts.first_run, opts.runs, chunk, existing=existing, align=align)
    done.chunk_size = chunk
    progress = Progress(opts.runs * len(spec.arms), enabled=opts.progress)
    try:
        with progress:
            if backend is None and _plays_any(opts, on_disk, len(spec.arms)):
                backend = make_backend(str(opts.backend), opts.workers, opts.scheduler)
            done.backend = backend.name if backend is not None else str(opts.backend)
            done.workers = backend.workers if backend is not None else workers
            _drive(done, opts, ranges, on_disk, backend, progress)
    except KeyboardInterrupt:
        done.stopped = "interrupted"
    finally:
        if backend is not None and isinstance(opts.backend, str):
            backend.close()
        done.elapsed_s = time.perf_counter() - t0
    return done


def _workers(opts: Options) -> int:
    if opts.backend == "local":
        return 1
    return max(1, opts.workers or os.cpu_count() or 1)


def _on_disk(store: Store, spec: StudySpec, opts: Options) -> set[tuple[Range, int]]:
    """Return ``(range, arm index)`` of the finished chunks a resumed study may reuse.

    Only chunks inside the runs asked for count, and each is checked to belong to this
    study before anything is played.

    Raises:
        UsageError: If a chunk belongs to another study.
    """
    out: set[tuple[Range, int]] = set()
    end = opts.first_run + opts.runs
    for a, arm in enumerate(spec.arms):
        for first, last in store.ranges(arm.name):
            if opts.first_run <= first < last <= end:
                store.check(arm.name, first, last)
                out.add(((first, last), a))
    return out


def _plays_any(opts: Options, on_disk: set[tuple[Range, int]], arms: int) -> bool:
    """Whether any run must be played (not every chunk of every arm is on disk)."""
    ranges = reusable(sorted({r for r, _ in on_disk}), opts.first_run, opts.first_run + opts.runs)
    covered = sum(b - a for a, b in ranges if all(((a, b), i) in on_disk for i in range(arms)))
    return covered < opts.runs


def _tasks(
    spec: StudySpec, ranges: Iterable[Range], on_disk: set[tuple[Range, int]]
) -> Iterator[Task]:
    data = spec.to_dict()
    scenarios = [scenario_data(a.scenario, a.hash) for a in spec.arms]
    for r in ranges:
        for arm in range(len(spec.arms)):
            if (r, arm) not in on_disk:
                yield Task(data, arm, r[0], r[1] - r[0], scenarios[arm])


def _drive(
    done: Played,
    opts: Options,
    ranges: Iterator[Range],
    on_disk: set[tuple[Range, int]],
    backend: Backend | None,
    progress: Progress,
) -> None:
    """Fold chunks into the summaries in run order until done, precise enough or stopped.

    The plan is read twice, lazily: once by the backend as it takes work (a window ahead)
    and once here as results are folded, so nothing proportional to ``--runs`` is held.
    """
    spec, store = done.spec, done.store
    arms = len(spec.arms)
    buffer: dict[tuple[int, int], Columns] = {}
    end = opts.first_run + opts.runs
    kept = set(reusable(sorted({r for r, _ in on_disk}), opts.first_run, end))
    progress.advance(sum(r[1] - r[0] for r, _ in on_disk if r in kept))
    to_fold, to_play = itertools.tee(ranges)
    work = _tasks(spec, to_play, on_disk)
    results = backend.run(work) if backend is not None else iter(())
    try:
        for r in to_fold:
            while not all((r[0], a) in buffer or (r, a) in on_disk for a in range(arms)):
                got = next(results, None)
                if got is None:
                    raise RuntimeError(f"the {done.backend} backend stopped before the study ended")
                task, cols = got
                if store is not None:
                    store.save(spec.arms[task.arm].name, task.first, cols)
                buffer[(task.first, task.arm)] = cols
                done.played += task.count
                progress.advance(task.count)
            _fold(done, r, buffer)
            done.ranges.append(r)
            checking = opts.until_ci and is_check_point(done.runs, opts.runs, opts.ci_every)
            if checking and _precise(done, opts.until_ci):
                done.stopped = "until_ci"
                return
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def _fold(done: Played, rng_: Range, buffer: dict[tuple[int, int], Columns]) -> None:
    """Fold one range of every arm into the summaries (from memory, else from disk)."""
    spec = done.spec
    cols: list[Columns] = []
    for a, arm in enumerate(spec.arms):
        c = buffer.pop((rng_[0], a), None)
        if c is None and done.store is not None:
            c = done.store.load(arm.name, *rng_)
            done.reused += 0 if c is None else rng_[1] - rng_[0]
        if c is None:  # a damaged chunk file: play it again here
            c = play_chunk(spec.to_dict(), a, rng_[0], rng_[1] - rng_[0])
            if done.store is not None:
                done.store.save(arm.name, rng_[0], c)
            done.played += rng_[1] - rng_[0]
        cols.append(c)
    for a, c in enumerate(cols):
        done.aggregates[a].add(c, done.scenarios[a])
        if done.rows is not None:
            done.rows[a].append(c)
    if done.paired is not None:
        done.paired.add(cols[0], cols[1])
    done.runs += rng_[1] - rng_[0]


def _precise(done: Played, tol: float | None) -> bool:
    if tol is None:
        return False
    widths = [a.widest_half_width() for a in done.aggregates]
    if done.paired is not None:
        widths.append(done.paired.widest_half_width())
    return max(widths) < tol
