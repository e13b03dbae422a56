"""``game.study.run``: a Monte Carlo study from Python, as the ``study`` command runs it.

Examples:
    >>> from game import study
    >>> res = study.run("scenarios/examples/tiny.yaml", runs=2000,
    ...                 policies={"north": "heuristic", "south": "heuristic"})
    >>> res.outcomes["status_quo"]["p"], res.outcomes["status_quo"]["ci95"]
    >>> df = res.to_pandas()        # one row per run, if pandas is installed
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from game.paths import default_scenario
from game.study.backends import Backend
from game.study.balance import DEFAULT_THRESHOLD
from game.study.driver import Options, execute
from game.study.lock import hold
from game.study.result import StudyInterrupted, StudyResult
from game.study.spec import DEFAULT_DIFFICULTY, ScenarioRef, make_spec
from game.study.summary import build, command_line


def run(
    scenario: str | Path | None = None,
    *,
    overlays: Sequence[str | Path] = (),
    sets: Sequence[str] = (),
    vs: str | Path | None = None,
    vs_sets: Sequence[str] = (),
    runs: int = 1000,
    first_run: int = 0,
    seed: int | None = None,
    policies: dict[str, str] | None = None,
    difficulty: str = DEFAULT_DIFFICULTY,
    sample_uncertain: bool = False,
    backend: str | Backend = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_size: int | None = None,
    until_ci: float | None = None,
    ci_every: int = 1000,
    out: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = False,
    plots: bool = True,
    keep_rows: bool | None = None,
    balance_threshold: float = DEFAULT_THRESHOLD,
) -> StudyResult:
    """Play a study and return its result (and write its files if ``out`` is given).

    Args:
        scenario: Scenario or overlay file (default: the 1841-42 war).
        overlays: Overlay files applied in order.
        sets: ``PATH=VALUE`` changes, as ``--set``.
        vs: Overlay to compare with, on the same runs (common random numbers).
        vs_sets: ``PATH=VALUE`` changes that define (or add to) the compared variant.
        runs: Number of runs (the most, with ``until_ci``).
        first_run: Index of the first run; runs ``first_run .. first_run+runs-1``.
        seed: Seed of the dice (default: the scenario's ``meta.default_seed``).
        policies: Policy name per side id (default ``heuristic`` for every side).
        difficulty: Difficulty given to the policies.
        sample_uncertain: Draw every uncertain value (strength ranges) per run.
        backend: ``local``, ``processes``, ``dask``, or a ready backend object.
        workers: Worker processes (``processes``, local ``dask``).
        scheduler: A dask scheduler address (``dask``).
        chunk_size: Runs per chunk (never changes the results).
        until_ci: Stop when every outcome's 95% half-width is below this.
        ci_every: Test ``until_ci`` every this many runs.
        out: Folder for chunks, ``summary.json``, ``runs.csv`` and figures.
        resume: Continue the study in ``out``, reusing its finished chunks.
        overwrite: Replace a study already in ``out``.
        progress: Show a progress bar on stderr.
        plots: Draw the figures into ``out``.
        keep_rows: Keep every row in memory (default: when there is no ``out``).
        balance_threshold: Win probability from which the balance report says one-sided.

    Raises:
        StudyInterrupted: On Ctrl-C, after saving what was finished (``.result``).
        UsageError, ScenarioError: For options or files that cannot be used.
    """
    path = Path(scenario) if scenario is not None else default_scenario()
    base = ScenarioRef.of(path, list(overlays), list(sets))
    variants = []
    if vs is not None or vs_sets:
        ref = base.with_overlay(vs) if vs is not None else base
        variants.append(("vs", ref.with_sets(*vs_sets), ()))
    spec, _ = make_spec(
        base,
        seed=seed,
        policies=policies,
        difficulty=difficulty,
        sample_uncertain=sample_uncertain,
        variants=variants,
    )
    opts = Options(
        runs=runs,
        first_run=first_run,
        backend=backend,
        workers=workers,
        scheduler=scheduler,
        chunk_size=chunk_size,
        until_ci=until_ci,
        ci_every=ci_every,
        out=Path(out) if out is not None else None,
        resume=resume,
        overwrite=overwrite,
        progress=progress,
        keep_rows=out is None if keep_rows is None else keep_rows,
    )
    opts.check()
    with hold(opts.out):  # one study writes the folder, from its first chunk to its summary
        played = execute(spec, opts)
        command = command_line(
            ["ingavi", "study", str(path)],
            {
                "--overlay": [str(o) for o in overlays],
                "--set": list(sets),
                "--vs": None if vs is None else str(vs),
                "--vs-set": list(vs_sets),
                "--runs": runs,
                "--first-run": first_run or None,
                "--seed": spec.seed,
                "--policy": [f"{s}={p}" for s, p in spec.policies],
                "--difficulty": difficulty if difficulty != DEFAULT_DIFFICULTY else None,
                "--sample-uncertain": sample_uncertain,
                "--until-ci": until_ci,
                "--ci-every": ci_every if until_ci is not None and ci_every != 1000 else None,
            },
        )
        summary = build(played, command=command, balance_threshold=balance_threshold)
        result = StudyResult(summary, played, opts.out)
        if opts.out is not None:
            result.write(plots_too=plots and played.complete)
    if not played.complete:
        raise StudyInterrupted(result)
    return result
