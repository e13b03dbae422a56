"""The combat resolver against its acceptance targets: model, history and accepted range.

Usage::

    python benchmarks/calibration.py                 # tables
    python benchmarks/calibration.py --json          # one JSON object on stdout
    python benchmarks/calibration.py --reps 100 --samples 50000 --seed 3
    python benchmarks/calibration.py --prior         # the prior of unknown ratings, refitted

A: the 239 pre-1900 CDB90 battles replayed ``--reps`` times each with their strengths,
posture, cavalry and HERO's codes.  B: equal quality in a hasty defence, one factor
varied at a time, ``--samples`` battles per situation, and the whole grid of force
ratios 1/12 to 12; then, ratings unknown (the prior), the odds of the CDB90 battles by
force-ratio band against the record.  C: commanders killed or captured.  D: resolver
speed on one thread (battles per second per core), timed on the replays.  E: the bound
on the exchange, on a grid of equal-quality battles (``--samples`` each).  F: the
chance of the attacker winning, scored out of fold (``--folds``), with HERO's codes and
with numbers only, against a constant and the force-ratio logistic; the effects of the
codes and the prior are refitted on each fold's training battles; the ``cv_*`` figures
of the JSON.  Each row says whether the model's parameters were set to meet it
("fitted": in sample) or not ("check"; "out of fold").  Exit status 1 if any target is
missed.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from cdb90.crossval import FOLDS, SAMPLES
from cdb90.prior_fit import fit_prior, source_text
from cdb90.records import load_battles
from cdb90.samples import replay_input
from cdb90.targets import Check, Target, checks, model_metrics
from cdb90.theta_fit import THETAS

from game.engine.combat import CombatParams, resolve

SPEED_TARGET = 100_000.0
"""Section D: battles per second per core, at least."""


def speed(params: CombatParams, seed: int, battles: int = 100_000, repeats: int = 3) -> float:
    """Return battles resolved per CPU-second on one thread, replaying the CDB90 battles.

    CPU time rather than wall-clock time, so that other work on the machine does not
    distort a per-core figure.
    """
    hist = load_battles()
    inp = replay_input(hist, -(-battles // len(hist)), seed).take(slice(0, battles))
    best = np.inf
    for _ in range(repeats):
        t0 = time.process_time()
        resolve(inp, params, workers=1)
        best = min(best, time.process_time() - t0)
    return battles / best


def _row(c: Check) -> dict[str, Any]:
    t = c.target
    return {
        "key": t.key,
        "section": t.section,
        "label": t.label,
        "model": c.model,
        "history": c.history,
        "target": t.target,
        "accepted": [t.lo, None if math.isinf(t.hi) else t.hi],
        "unit": t.unit,
        "fitted": t.fitted,
        "passed": c.passed,
    }


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return ""
    if unit == "score":
        return f"{x:.4f}"
    return f"{x:.2f}" if unit in ("", "x") else f"{x:.1f}"


def _table(
    checks: list[Check], metrics: dict[str, float], rate: float | None, args: argparse.Namespace
) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"Combat resolver vs CDB90 pre-1900 (reps {args.reps}, samples {args.samples}, "
        f"seed {args.seed})"
    )
    for col in ("", "metric", "model", "history", "target", "accepted", "", "fit"):
        table.add_column(col, justify="right" if col in ("model", "history", "target") else "left")
    for c in checks:
        t = c.target
        table.add_row(
            t.section,
            t.label,
            _fmt(c.model, t.unit),
            _fmt(c.history, t.unit),
            _fmt(t.target, t.unit),
            f"above {t.lo:g}" if math.isinf(t.hi) else f"{t.lo:g} to {t.hi:g} {t.unit}",
            "[green]ok[/green]" if c.passed else "[red]MISS[/red]",
            _kind(t),
        )
    if rate is not None:
        ok = rate >= SPEED_TARGET
        table.add_row(
            "D",
            "battles per second, one core",
            f"{rate:,.0f}",
            "",
            "",
            f">= {SPEED_TARGET:,.0f}",
            "[green]ok[/green]" if ok else "[red]MISS[/red]",
        )
    console = Console()
    console.width = max(console.width, 110)
    console.print(table)
    if "cv_brier_model" in metrics:
        console.print(_cv_table(metrics))


def _kind(t: Target) -> str:
    """Say whether a row is a fit (in sample), a check, or scored out of fold."""
    if t.section == "F":
        return "out of fold"
    return "fitted" if t.fitted else "check"


def _cv_table(m: dict[str, float]) -> Any:
    """Return the out-of-fold scores as a table: predictors by rows, scores by columns."""
    from rich.table import Table

    table = Table(
        title=f"Chance of the attacker winning, out of fold ({m['cv_folds']:.0f} folds, "
        f"{m['cv_samples']:.0f} samples a battle; lower is better)"
    )
    for col in ("predictor", "Brier", "log loss", "Brier, numbers only", "log loss, numbers only"):
        table.add_column(col, justify="left" if col == "predictor" else "right")
    for name, key in (
        ("the resolver", "cv_{score}_model{suffix}"),
        ("constant (attackers' share of wins)", "cv_{score}_constant{suffix}"),
        ("force-ratio logistic", "cv_{score}_ratio_logistic{suffix}"),
        ("for comparison: as shipped, in sample", "insample_{score}_model{suffix}"),
    ):
        table.add_row(
            name,
            *(
                f"{m[key.format(score=score, suffix=suffix)]:.4f}"
                for suffix in ("", "_numbers_only")
                for score in ("brier", "logloss")
            ),
        )
    table.caption = "Refitted on each fold's training battles: " + ", ".join(
        f"{name} {m[f'cv_fitted_{name}_min']:.2f}-{m[f'cv_fitted_{name}_max']:.2f}"
        for name in (*THETAS, "delta")
    )
    return table


def main(argv: Sequence[str] | None = None) -> int:
    """Run the calibration and print the comparison; return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=40, help="replays of each CDB90 battle")
    parser.add_argument(
        "--samples", type=int, default=20_000, help="battles per conditional situation"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the TEST stream")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation (F)")
    parser.add_argument("--folds", type=int, default=FOLDS, help="folds of the cross-validation")
    parser.add_argument(
        "--cv-samples", type=int, default=SAMPLES, help="resolutions of each battle out of fold"
    )
    parser.add_argument(
        "--prior",
        action="store_true",
        help="print the prior of unknown ratings fitted on all battles (as written in the "
        "engine) and stop",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if min(args.reps, args.samples, args.cv_samples) < 1 or args.folds < 2:
        parser.error("--reps, --samples and --cv-samples must be positive, --folds at least 2")

    params = CombatParams.default()
    battles = load_battles()
    if args.prior:
        print(source_text(fit_prior(battles, params).rounded()))
        return 0
    metrics = model_metrics(
        params,
        reps=args.reps,
        samples=args.samples,
        seed=args.seed,
        battles=battles,
        cv=not args.no_cv,
        folds=args.folds,
        cv_samples=args.cv_samples,
    )
    found = checks(metrics, battles)
    rate = None if args.no_speed else speed(params, args.seed)
    passed = all(c.passed for c in found) and (rate is None or rate >= SPEED_TARGET)
    if args.json:
        from game.commands.common import print_json

        print_json(
            {
                "checks": [_row(c) for c in found],
                **{k: v for k, v in metrics.items() if k.startswith(("cv_", "insample_"))},
                "speed_battles_per_s_one_core": rate,
                "speed_target": SPEED_TARGET,
                "passed": passed,
                "reps": args.reps,
                "samples": args.samples,
                "seed": args.seed,
                "params": dataclasses.asdict(params),
            }
        )
    else:
        _table(found, metrics, rate, args)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
