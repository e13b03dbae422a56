"""The "How likely?" study: a quick Monte Carlo run of a what-if beside the history baseline.

No pygame here.  The what-if (an overlay file) is played ``runs`` times with both sides
commanded by the heuristic AI, through :func:`game.study.run` — the code behind
``ingavi study`` — so the window shows what the command line would print for
``ingavi study WHATIF --runs N``.  The baseline is the same study of the scenario without
the what-if, on the same runs and dice; it is cached on disk (beside the saves) by the
scenario's content hash, the runs, the seed and the engine version, so it is played once.

The study runs in a worker thread that only collects results: campaigns are played in a
pool of processes (:class:`PoolBackend`), so the window stays responsive, the progress
bar advances after every chunk, and Cancel stops the pool at once.  The pool is kept
from one study to the next (:func:`shared_pool`), so only the first study of a window
waits for its workers to start.

A study starts small (:data:`DEFAULT_RUNS`) and the player may ask for more: each
further study plays the next runs (``first_run`` onward) and :func:`merge` adds their
counts, so a hundred runs and then two hundred more give exactly what
``ingavi study WHATIF --runs 300`` gives (run *r* is the same war in any batch).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.errors import IngaviError
from game.game import ScenarioSource
from game.save import write_json_atomic
from game.study.backends import LocalBackend, ProcessBackend, Task
from game.study.chunk import Columns
from game.study.spec import DEFAULT_POLICY
from game.ui.storage import study_cache_dir
from game.version import ENGINE_VERSION

DEFAULT_RUNS = 100
"""Runs of a what-if to start with (and of the baseline, unless it was played before):
enough to see large differences; the player asks for more to narrow the intervals."""
POLICY = DEFAULT_POLICY
"""Both sides' AI in the study: the study's default (the heuristic), which plays every side
a study names no policy for."""
CHUNK = 40
"""Fewest runs per chunk: smaller batches play each run slower (240 runs took 42 s in
chunks of 6, 15 s in chunks of 40).  The results do not depend on the chunk size."""
MAX_CHUNK = 250
"""Most runs per chunk: the bar still moves a few times in a study of thousands."""
CHUNKS_PER_WORKER = 2
"""Chunks each worker plays in a study: few enough that each is a batch big enough to
play fast (the AI's cost per turn is partly per batch, not per run: 500 runs of a
what-if played 1.3-1.4 times faster in chunks of 250 than of 125, CPU time side by
side), enough that the bar moves and the workers finish together.  Cancel stops the
pool at once whatever the chunk."""


def chunk_size(runs: int, workers: int) -> int:
    """Return the runs per chunk of a study of ``runs`` on ``workers`` processes."""
    per = -(-runs // (CHUNKS_PER_WORKER * max(1, workers)))
    return min(MAX_CHUNK, max(CHUNK, per))


class Cancelled(KeyboardInterrupt):
    """Raised inside the study when the player presses Cancel (the study stops as on Ctrl-C)."""


class PoolBackend:
    """A study backend for the window: the window's process pool, with progress and Cancel.

    It plays tasks in the window's pool (:func:`shared_pool`: ``workers`` spawned
    processes with one BLAS thread each, kept from one study to the next), or in this
    thread when ``workers`` is 0; after each chunk it calls ``advance(runs)``, and it
    stops (raising :class:`Cancelled`) within a tenth of a second of ``stop`` being set.
    """

    def __init__(self, workers: int, stop: threading.Event, advance: Callable[[int], None]) -> None:
        self.stop = stop
        self.advance = advance
        self._inner: LocalBackend | ProcessBackend = (
            shared_pool(workers) if workers > 0 else LocalBackend()
        )
        self.name = self._inner.name
        self.workers = self._inner.workers
        self._sent = 0
        """Tasks of this study handed to the pool."""
        self._back = 0
        """Tasks of this study whose rows came back."""

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Columns]]:
        """Yield each task with its rows as it finishes; raise Cancelled when stopped."""
        inner = self._inner
        played = (
            inner.run(self._checked(tasks), check=self._check)
            if isinstance(inner, ProcessBackend)
            else inner.run(self._checked(tasks))
        )
        for task, cols in played:
            self._back += 1
            self.advance(task.count)
            yield task, cols

    def _checked(self, tasks: Iterable[Task]) -> Iterator[Task]:
        for task in tasks:
            self._check()
            self._sent += 1
            yield task

    def _check(self) -> None:
        if self.stop.is_set():
            raise Cancelled

    def close(self) -> None:
        """Let the pool wait for the next study, or stop it at once if chunks are left in it.

        A study cancelled or failed may leave chunks running in the workers: the pool is
        then stopped (the next study starts another), so Cancel frees the cores at once.
        A study that got back every chunk it handed out leaves nothing in the pool, even
        though the study's driver stops asking for rows without reading to the end, so
        the pool is kept.
        """
        if isinstance(self._inner, ProcessBackend) and self._sent != self._back:
            close_pool(self._inner)


_POOLS: dict[int, ProcessBackend] = {}
_POOLS_LOCK = threading.Lock()


def shared_pool(workers: int) -> ProcessBackend:
    """Return the window's pool of ``workers`` processes, started on first use and then kept.

    A worker's start-up (a fresh interpreter importing the game, the compiled kernels
    loaded from the cache, the scenario and the AI's tables) costs one to two seconds
    before it plays a run; kept between studies (the what-if and its baseline, "More
    runs", the next what-if), the pool pays it once per window.  Workers keep each
    scenario they loaded (checked against its content hash, see
    :func:`game.study.spec.load_cached`), so a what-if edited and studied again is
    loaded again.  The pool is stopped by :func:`close_pool` (a cancelled study) and
    when the program exits.
    """
    with _POOLS_LOCK:
        pool = _POOLS.get(workers)
        if pool is None:
            pool = _POOLS[workers] = ProcessBackend(workers)
        return pool


def close_pool(pool: ProcessBackend | None = None) -> None:
    """Stop ``pool`` (default: every pool the window started) and forget it."""
    with _POOLS_LOCK:
        doomed = list(_POOLS.values()) if pool is None else [pool]
        for k in [k for k, p in _POOLS.items() if p in doomed]:
            del _POOLS[k]
    for p in doomed:
        p.close()


atexit.register(close_pool)


@dataclass(frozen=True)
class Share:
    """One outcome's probability in a study, with its 95% interval."""

    id: str
    name: str
    winner: str | None
    p: float
    low: float
    high: float


def shares(summary: dict[str, Any]) -> list[Share]:
    """Return a study summary's outcomes, in the scenario's order."""
    out = []
    for oid, o in summary["outcomes"].items():
        lo, hi = o.get("ci95") or (o["p"], o["p"])
        out.append(Share(oid, str(o["name"]), o.get("winner"), float(o["p"]), lo, hi))
    return out


@dataclass
class Likely:
    """A "How likely?" study: the what-if and (unless cached) the baseline.

    Attributes:
        whatif: The what-if's overlay file.
        scenario: The scenario it is built on (the baseline).
        runs: Runs of each study.
        seed: Seed of the dice (the scenario's own by default).
        workers: Worker processes (0 plays in the worker thread itself).
        state: ``idle``, ``running``, ``done``, ``cancelled`` or ``failed``.
        done_runs: Campaigns finished so far (both studies).
        total_runs: Campaigns to play (both studies, less a cached baseline).
        error: The one-line reason of a failure.
        result: The what-if's study summary once done.
        baseline: The baseline's study summary once done.
        baseline_cached: Whether the baseline came from the cache.
        elapsed_s: Wall time of the whole study.
    """

    whatif: Path
    scenario: Path
    runs: int
    seed: int | None = None
    first_run: int = 0
    """Index of the first run played (a study asked for more goes on from the last)."""
    workers: int = 2
    state: str = "idle"
    done_runs: int = 0
    total_runs: int = 0
    error: str = ""
    result: dict[str, Any] | None = None
    baseline: dict[str, Any] | None = None
    baseline_cached: bool = False
    elapsed_s: float = 0.0
    stage: str = ""
    started: float = 0.0
    """When the study began (``time.perf_counter``)."""
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    @property
    def played(self) -> int:
        """Campaigns this study played itself (a cached baseline costs nothing)."""
        return self.runs * (1 if self.baseline_cached else 2)

    @property
    def fraction(self) -> float:
        """Share of the campaigns played so far, 0 to 1."""
        return self.done_runs / self.total_runs if self.total_runs else 0.0

    def timing(self) -> tuple[float, float | None]:
        """Return the seconds elapsed and, once some campaigns are done, the seconds left."""
        if self.state != "running":
            return self.elapsed_s, 0.0
        spent = time.perf_counter() - self.started
        if not self.done_runs:
            return spent, None
        return spent, spent / self.done_runs * (self.total_runs - self.done_runs)

    def cache_path(self) -> Path:
        """Return the file where this study's baseline is (or will be) kept."""
        scn = ScenarioSource(str(self.scenario)).load()
        seed = scn.model.meta.default_seed if self.seed is None else self.seed
        key = f"{scn.hash}|{self.runs}|{seed}|{POLICY}|{ENGINE_VERSION}"
        if self.first_run:
            key += f"|from {self.first_run}"
        return study_cache_dir() / f"baseline-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"

    def start(self) -> None:
        """Begin in a worker thread (returns at once)."""
        self.state = "running"
        self.started = time.perf_counter()
        self._thread = threading.Thread(target=self._main, name="how-likely", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the study to stop; it does within a moment."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the worker thread to end (for tests and for closing the window)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _advance(self, n: int) -> None:
        self.done_runs += n

    def _main(self) -> None:
        t0 = time.perf_counter()
        try:
            if self.workers > 0:  # the workers start while the scenario is read here
                shared_pool(self.workers)
            cache = self.cache_path()
            cached = _read_cache(cache)
            self.baseline_cached = cached is not None
            self.total_runs = self.runs * (1 if cached else 2)
            self.stage = "the what-if"
            self.result = self._study(self.whatif)
            if cached is None:
                self.stage = "the baseline"
                cached = self._study(self.scenario)
                write_json_atomic(cache, {"format": "ingavi-baseline", "summary": cached})
            self.baseline = cached
            self.state = "done"
        except KeyboardInterrupt:
            self.state = "cancelled"
        except IngaviError as exc:
            self.error, self.state = str(exc), "failed"
        except OSError as exc:
            self.error, self.state = f"the study could not be run: {exc}", "failed"
        finally:
            self.elapsed_s = time.perf_counter() - t0

    def _study(self, path: Path) -> dict[str, Any]:
        from game import study

        backend = PoolBackend(self.workers, self._stop, self._advance)
        try:
            res = study.run(
                path,
                runs=self.runs,
                first_run=self.first_run,
                seed=self.seed,
                policies=None,  # POLICY on every side, without loading the file to name them
                backend=backend,
                chunk_size=chunk_size(self.runs, self.workers),
                plots=False,
                keep_rows=False,
            )
        finally:
            backend.close()
        return res.summary


def _read_cache(path: Path) -> dict[str, Any] | None:
    """Return a cached baseline summary, or None if absent or unreadable."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    summary = obj.get("summary") if isinstance(obj, dict) else None
    return summary if isinstance(summary, dict) and "outcomes" in summary else None


def merge(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the outcomes of studies of consecutive runs as one study of them all.

    Counts add up; each share and its Wilson interval are worked out again, as
    ``ingavi study`` would for the runs together.
    """
    from game.study.intervals import wilson

    runs = sum(int(s["runs"]) for s in summaries)
    out: dict[str, Any] = {}
    for oid, o in summaries[0]["outcomes"].items():
        k = sum(int(s["outcomes"][oid]["count"]) for s in summaries)
        out[oid] = {
            "name": o["name"],
            "winner": o.get("winner"),
            "count": k,
            "p": k / runs if runs else 0.0,
            "ci95": list(wilson(k, runs)),
        }
    return {"runs": runs, "outcomes": out}
