"""Outcome probabilities as a function of one or two scenario parameters.

Each grid point is the scenario with ``--set PATH=VALUE`` applied, played on the *same*
run indices as every other point: common random numbers again, so the curves are smooth
and a change between neighbouring points reflects the parameter, not the dice.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from game.errors import UsageError
from game.paths import default_scenario
from game.study import plots
from game.study.backends import Backend
from game.study.driver import Options, Played, execute
from game.study.lock import hold
from game.study.runs_table import plain
from game.study.spec import DEFAULT_DIFFICULTY, ScenarioRef, make_spec
from game.study.store import Store
from game.study.summary import command_line, scenario_info

MAX_POINTS = 400
"""Most grid points a sweep may have (each is a whole study)."""


@dataclass(frozen=True)
class Param:
    """One swept parameter: a ``--set`` path and the values it takes."""

    path: str
    values: tuple[Any, ...]

    def text(self) -> str:
        """Return the parameter as given: ``PATH=v1,v2,...``."""
        return f"{self.path}={','.join(str(v) for v in self.values)}"


def parse_param(text: str) -> Param:
    """Read ``PATH=START:STOP:STEP`` (STOP included) or ``PATH=V1,V2,...``.

    Whole numbers stay integers (men, days); otherwise values are rounded to the
    decimals given, so ``0.1:0.3:0.1`` gives 0.1, 0.2, 0.3 exactly.

    Raises:
        UsageError: If the text is not of either form, or the range is empty or huge.
    """
    path, eq, spec = text.partition("=")
    if not eq or not path.strip() or not spec.strip():
        raise UsageError(f"--param expects PATH=START:STOP:STEP or PATH=V1,V2,..., got {text!r}")
    if ":" not in spec:
        return Param(path.strip(), tuple(_number_or_text(v.strip()) for v in spec.split(",")))
    parts = spec.split(":")
    if len(parts) != 3:
        raise UsageError(f"--param {path}: expected START:STOP:STEP, got {spec!r}")
    try:
        start, stop, step = (Decimal(p.strip()) for p in parts)
    except InvalidOperation:
        raise UsageError(f"--param {path}: START, STOP and STEP must be numbers") from None
    if step <= 0 or stop < start:
        raise UsageError(f"--param {path}: needs STEP > 0 and STOP >= START")
    count = int((stop - start) / step) + 1
    if count > MAX_POINTS:
        raise UsageError(f"--param {path}: {count} values; at most {MAX_POINTS}")
    whole = all(d == d.to_integral_value() for d in (start, step))
    vals = [start + i * step for i in range(count)]
    return Param(path.strip(), tuple(int(v) if whole else float(v) for v in vals))


def _number_or_text(v: str) -> Any:
    try:
        d = Decimal(v)
    except InvalidOperation:
        return v
    return int(d) if d == d.to_integral_value() and "." not in v else float(d)


def grid(params: Sequence[Param]) -> list[tuple[tuple[str, Any], ...]]:
    """Return every combination of the parameters' values, first parameter slowest."""
    combos = list(itertools.product(*[[(p.path, v) for v in p.values] for p in params]))
    if len(combos) > MAX_POINTS:
        raise UsageError(f"the sweep has {len(combos)} points; at most {MAX_POINTS}")
    return combos


@dataclass
class SweepResult:
    """A sweep's points, each with its outcome probabilities, and its files.

    Attributes:
        summary: JSON-ready: the command, scenario, params and a list of points.
        played: The driver's record (one arm per point).
        out: The folder written to, or None.
        files: Files written.
    """

    summary: dict[str, Any]
    played: Played
    out: Path | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def points(self) -> list[dict[str, Any]]:
        """The grid points in order, each ``{values, outcomes, winners, ...}``."""
        return self.summary["points"]


def sweep(
    scenario: str | Path | None = None,
    *,
    params: Sequence[str | Param],
    overlays: Sequence[str | Path] = (),
    sets: Sequence[str] = (),
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
    out: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = False,
    plots: bool = True,
) -> SweepResult:
    """Play the scenario at every grid point of one or two parameters, on the same runs.

    Args:
        scenario: Scenario or overlay file (default: the 1841-42 war).
        params: One or two ``PATH=START:STOP:STEP`` (or ``PATH=V1,V2``) strings or Params.
        overlays: Overlay files applied in order.
        sets: ``PATH=VALUE`` changes applied before the swept values.
        runs: Runs per grid point (the same run indices at every point).
        first_run: Index of the first run.
        seed: Seed of the dice (default: the scenario's ``meta.default_seed``).
        policies: Policy name per side id (default ``heuristic``).
        difficulty: Difficulty given to the policies.
        sample_uncertain: Draw every uncertain value per run.
        backend: ``local``, ``processes``, ``dask``, or a ready backend.
        workers: Worker processes.
        scheduler: A dask scheduler address.
        chunk_size: Runs per chunk (never changes the results).
        out: Folder for chunks, ``sweep.json``, ``sweep.csv`` and ``sweep.png``.
        resume: Continue the sweep in ``out``.
        overwrite: Replace a study already in ``out``.
        progress: Show a progress bar on stderr.
        plots: Draw ``sweep.png`` into ``out``.

    Raises:
        UsageError: For a bad parameter, or more than two.
    """
    ps = [p if isinstance(p, Param) else parse_param(p) for p in params]
    if not 1 <= len(ps) <= 2:
        raise UsageError("a sweep takes one or two --param options")
    path = Path(scenario) if scenario is not None else default_scenario()
    base = ScenarioRef.of(path, list(overlays), list(sets))
    points = grid(ps)
    variants = [
        (f"p{i:03d}", base.with_sets(*(f"{k}={v}" for k, v in pt)), pt)
        for i, pt in enumerate(points)
    ]
    spec, scn = make_spec(
        base,
        seed=seed,
        policies=policies,
        difficulty=difficulty,
        sample_uncertain=sample_uncertain,
        variants=variants,
        include_base=False,
    )
    opts = Options(
        runs=runs,
        first_run=first_run,
        backend=backend,
        workers=workers,
        scheduler=scheduler,
        chunk_size=chunk_size,
        out=Path(out) if out is not None else None,
        resume=resume,
        overwrite=overwrite,
        progress=progress,
    )
    opts.check()
    with hold(opts.out):  # one study writes the folder, from its first chunk to its summary
        played = execute(spec, opts)
        command = command_line(
            ["ingavi", "sweep", str(path)],
            {
                "--overlay": [str(o) for o in overlays],
                "--set": list(sets),
                "--param": [p.text() for p in ps],
                "--runs": runs,
                "--first-run": first_run or None,
                "--seed": spec.seed,
                "--policy": [f"{s}={p}" for s, p in spec.policies],
                "--sample-uncertain": sample_uncertain,
            },
        )
        summary = {
            "command": command,
            "scenario": scenario_info(scn, base),
            "seed": spec.seed,
            "engine_version": spec.engine_version,
            "policies": dict(spec.policies),
            "params": [{"path": p.path, "values": list(p.values)} for p in ps],
            "runs": played.runs,
            "complete": played.complete,
            "elapsed_s": played.elapsed_s,
            "runs_per_s": played.runs_per_s,
            "points": [_point(played, i) for i in range(len(points))],
        }
        result = SweepResult(plain(summary), played, opts.out)
        if opts.out is not None and played.runs:
            result.files = write(result, plots_too=plots)
    if not played.complete:
        from game.study.result import StudyInterrupted

        raise StudyInterrupted(result)
    return result


def _point(played: Played, i: int) -> dict[str, Any]:
    agg, scn, arm = played.aggregates[i], played.scenarios[i], played.spec.arms[i]
    s = agg.summary(scn)
    return {
        "values": dict(arm.values),
        "outcomes": {k: {"p": v["p"], "ci95": v["ci95"]} for k, v in s["outcomes"].items()},
        "winners": {k: {"p": v["p"], "ci95": v["ci95"]} for k, v in s["winners"].items()},
        "end_days_mean": s["end_date"].get("mean_days"),
        "killed_mean": {k: v["mean"] for k, v in s["killed"].items()},
    }


def write(result: SweepResult, *, plots_too: bool) -> list[Path]:
    """Write ``sweep.json``, ``sweep.csv`` and ``sweep.png`` into the result's folder."""
    assert result.out is not None
    store = Store(result.out)
    files = [store.write_json("sweep.json", result.summary)]
    files.append(_write_csv(result.out / "sweep.csv", result.summary))
    if plots_too:
        files.append(plots.save(figure(result.summary, result.played), result.out / "sweep.png"))
    return files


def _write_csv(path: Path, summary: dict[str, Any]) -> Path:
    import csv

    names = [p["path"] for p in summary["params"]]
    outcomes = list(summary["points"][0]["outcomes"])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*names, *(f"{o}{x}" for o in outcomes for x in ("_p", "_lo", "_hi"))])
        for pt in summary["points"]:
            row = [pt["values"][n] for n in names]
            for o in outcomes:
                row += [pt["outcomes"][o]["p"], *pt["outcomes"][o]["ci95"]]
            w.writerow(row)
    return path


def figure(summary: dict[str, Any], played: Played) -> Figure:
    """Draw outcome probabilities against one parameter, or heat maps over two."""
    scn = played.scenarios[0]
    params, points = summary["params"], summary["points"]
    if len(params) == 1:
        fig = Figure(figsize=(8, 4.5))
        ax = fig.add_subplot()
        x = np.array(params[0]["values"], dtype=float)
        for o in scn.outcomes:
            p = np.array([pt["outcomes"][o.id]["p"] for pt in points])
            lo = np.array([pt["outcomes"][o.id]["ci95"][0] for pt in points])
            hi = np.array([pt["outcomes"][o.id]["ci95"][1] for pt in points])
            ax.plot(x, p, marker="o", label=o.name)
            ax.fill_between(x, lo, hi, alpha=0.2)
        ax.set_xlabel(params[0]["path"])
        ax.set_ylabel("probability (band: 95% CI)")
        ax.set_ylim(0, 1)
        ax.legend()
        ax.set_title(
            f"{scn.model.meta.title}: outcomes against {params[0]['path']} "
            f"({summary['runs']:,} runs per point)"
        )
        return fig
    nx, ny = len(params[0]["values"]), len(params[1]["values"])
    fig = Figure(figsize=(4.2 * len(scn.outcomes), 4))
    axes = np.atleast_1d(fig.subplots(1, len(scn.outcomes)))
    for ax, o in zip(axes, scn.outcomes, strict=True):
        z = np.array([pt["outcomes"][o.id]["p"] for pt in points]).reshape(nx, ny)
        im = ax.imshow(z.T, origin="lower", vmin=0, vmax=1, cmap="viridis", aspect="auto")
        ax.set_xticks(range(nx), [str(v) for v in params[0]["values"]], rotation=45, fontsize=7)
        ax.set_yticks(range(ny), [str(v) for v in params[1]["values"]], fontsize=7)
        ax.set_xlabel(params[0]["path"], fontsize=8)
        ax.set_ylabel(params[1]["path"], fontsize=8)
        ax.set_title(o.name, fontsize=9)
        for i in range(nx):
            for j in range(ny):
                ax.text(
                    i,
                    j,
                    f"{z[i, j]:.0%}",
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="white" if z[i, j] < 0.6 else "black",
                )
    fig.colorbar(im, ax=list(axes), shrink=0.8, label="probability")
    return fig
