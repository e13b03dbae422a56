"""Playing the historical orders many times: in this process or in a pool of processes.

A :class:`Setup` is plain data (file paths, options, seed), so a spawned worker can rebuild
the scenario and the policies itself; it checks the scenario compiles to the content hash
the parent saw.  Every die is keyed on (seed, run id), and the policies decide each run
from its own observation, so the rows do not depend on how runs are split into chunks or
which process plays them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from game.errors import IngaviError, UsageError
from game.game import ScenarioSource
from game.history.blind import blind
from game.history.measure import Columns, play_measured
from game.history.record_policies import FALLBACKS, make_all
from game.scenario.compile import CompiledScenario
from game.study.plan import check_runs

_CACHE: dict[tuple[Any, ...], CompiledScenario] = {}

MAX_RUNS = 10_000_000
"""Most runs one fidelity report plays: it keeps every run's row in memory."""


@dataclass(frozen=True)
class Setup:
    """Everything that decides a fidelity run's rows except which runs are played.

    Attributes:
        path: The scenario (or overlay) file.
        overlays: Overlay files applied on top, in order.
        sets: ``PATH=VALUE`` changes applied last.
        seed: Seed of the dice.
        fallback: What forces without a legal recorded order do (see
            :mod:`game.history.record_policies`).
        difficulty: Difficulty of the heuristic fallback.
        sample_uncertain: Draw every uncertain strength per run.
        blind: Play with every commander rated neutral (:mod:`game.history.blind`).
        scenario_hash: Content hash the scenario must compile to ('' to skip the check).
    """

    path: str
    overlays: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    seed: int = 0
    fallback: str = "heuristic"
    difficulty: str = "normal"
    sample_uncertain: bool = False
    blind: bool = False
    scenario_hash: str = ""

    def source(self) -> ScenarioSource:
        """Return how to load the scenario."""
        return ScenarioSource(self.path, self.overlays, self.sets)

    def load(self) -> CompiledScenario:
        """Return the compiled scenario (cached per process), checking its hash.

        Raises:
            UsageError: If the files now compile to another scenario than expected.
        """
        key = (self.path, self.overlays, self.sets, self.blind)
        scn = _CACHE.get(key)
        if scn is None or (self.scenario_hash and scn.hash != self.scenario_hash):
            scn = self.source().load()
            scn = _CACHE[key] = blind(scn) if self.blind else scn
        if self.scenario_hash and scn.hash != self.scenario_hash:
            raise UsageError(f"{self.path}: the scenario changed while it was being played")
        return scn

    def with_overlay(self, overlay: str) -> Setup:
        """Return this setup with one more overlay, applied before its ``--set`` values."""
        return replace(self, overlays=(*self.overlays, overlay), scenario_hash="")

    def pinned(self, scn: CompiledScenario) -> Setup:
        """Return this setup bound to the content hash of its compiled scenario."""
        return replace(self, scenario_hash=scn.hash)


def play_chunk(setup: dict[str, Any], first: int, count: int) -> Columns:
    """Play runs ``first .. first+count-1`` and return their rows (a worker's whole job)."""
    s = Setup(**{**setup, "overlays": tuple(setup["overlays"]), "sets": tuple(setup["sets"])})
    try:
        scn = s.load()
        policies = make_all(s.fallback, scn, s.difficulty)
        runs = np.arange(first, first + count, dtype=np.int64)
        return play_measured(scn, policies, runs, s.seed, sample_uncertain=s.sample_uncertain)
    except IngaviError as exc:
        raise UsageError(str(exc)) from None


def chunks(runs: int, first: int, size: int) -> list[tuple[int, int]]:
    """Return ``(first, count)`` for each chunk of ``size`` runs covering the range."""
    return [(first + i, min(size, runs - i)) for i in range(0, runs, size)]


def default_chunk(runs: int, workers: int) -> int:
    """Return a chunk size giving a moving progress bar and busy workers.

    About twenty chunks per worker, between 25 and 250 runs each: large enough for the
    batched engine to be efficient, small enough for the bar to move.
    """
    return max(25, min(250, math.ceil(runs / (20 * max(1, workers)))))


def play(
    setup: Setup,
    runs: int,
    *,
    first_run: int = 0,
    workers: int = 1,
    chunk_size: int | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> Columns:
    """Play ``runs`` runs of the historical orders and return their rows in run order.

    Args:
        setup: What to play.
        runs: How many runs.
        first_run: Id of the first run.
        workers: Processes to play in (1: this process).
        chunk_size: Runs per chunk (never changes the rows).
        on_chunk: Called with the number of runs of every finished chunk (progress).

    Raises:
        UsageError: For bad counts or a fallback that does not exist.
    """
    check_runs(first_run, runs)
    if runs > MAX_RUNS:
        raise UsageError(
            f"--runs {runs:,}: fidelity keeps every run's rows in memory, so it plays at most "
            f"{MAX_RUNS:,} runs; give fewer"
        )
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    if setup.fallback not in FALLBACKS:
        raise UsageError(f"no fallback '{setup.fallback}' (choose from {', '.join(FALLBACKS)})")
    size = chunk_size or default_chunk(runs, workers)
    if size < 1:
        raise UsageError(f"--chunk-size must be at least 1, got {size}")
    tasks = chunks(runs, first_run, size)
    parts: list[tuple[int, Columns]] = []
    for first, cols in _results(asdict(setup), tasks, workers):
        parts.append((first, cols))
        if on_chunk is not None:
            on_chunk(int(cols["run"].size))
    parts.sort(key=lambda p: p[0])
    return {k: np.concatenate([c[k] for _, c in parts]) for k in parts[0][1]}


@dataclass(frozen=True)
class _Chunk:
    """Runs ``first``..``first + count - 1`` of a setup: the arguments of :func:`play_chunk`."""

    setup: dict[str, Any]
    first: int
    count: int

    def args(self) -> tuple[dict[str, Any], int, int]:
        """Return the positional arguments of :func:`play_chunk`."""
        return (self.setup, self.first, self.count)


def _results(
    setup: dict[str, Any], tasks: list[tuple[int, int]], workers: int
) -> Iterator[tuple[int, Columns]]:
    """Yield each chunk's first run and rows: here, or in the study's process pool."""
    if workers == 1 or len(tasks) == 1:
        for first, count in tasks:
            yield first, play_chunk(setup, first, count)
        return
    from game.study.backends import ProcessBackend

    pool = ProcessBackend(min(workers, len(tasks)), play=play_chunk)
    try:
        for chunk, cols in pool.run(_Chunk(setup, first, count) for first, count in tasks):
            yield chunk.first, cols
    finally:
        pool.close()
