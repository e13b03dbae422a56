"""The combat resolver against its acceptance targets: model, history and accepted range.

Usage::

    python benchmarks/calibration.py                 # a table
    python benchmarks/calibration.py --json          # one JSON object on stdout
    python benchmarks/calibration.py --reps 100 --samples 50000 --seed 3

A: the 239 pre-1900 CDB90 battles replayed ``--reps`` times each with their strengths,
posture, cavalry and HERO's codes.  B: equal quality in a hasty defence, one factor
varied at a time, ``--samples`` battles per situation.  C: commanders killed or captured.
D: resolver speed on one thread (battles per second per core), timed on the replays.
Exit status 1 if any target is missed.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from cdb90.records import load_battles
from cdb90.samples import replay_input
from cdb90.targets import Check, calibrate

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
        "accepted": [t.lo, t.hi],
        "unit": t.unit,
        "passed": c.passed,
    }


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return ""
    return f"{x:.2f}" if unit in ("", "x") else f"{x:.1f}"


def _table(checks: list[Check], rate: float | None, args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"Combat resolver vs CDB90 pre-1900 (reps {args.reps}, samples {args.samples}, "
        f"seed {args.seed})"
    )
    for col in ("", "metric", "model", "history", "target", "accepted", ""):
        table.add_column(col, justify="right" if col in ("model", "history", "target") else "left")
    for c in checks:
        t = c.target
        table.add_row(
            t.section,
            t.label,
            _fmt(c.model, t.unit),
            _fmt(c.history, t.unit),
            _fmt(t.target, t.unit),
            f"{t.lo:g} to {t.hi:g} {t.unit}",
            "[green]ok[/green]" if c.passed else "[red]MISS[/red]",
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the calibration and print the comparison; return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=40, help="replays of each CDB90 battle")
    parser.add_argument(
        "--samples", type=int, default=20_000, help="battles per conditional situation"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the TEST stream")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.reps < 1 or args.samples < 1:
        parser.error("--reps and --samples must be positive")

    params = CombatParams.default()
    checks = calibrate(params, reps=args.reps, samples=args.samples, seed=args.seed)
    rate = None if args.no_speed else speed(params, args.seed)
    passed = all(c.passed for c in checks) and (rate is None or rate >= SPEED_TARGET)
    if args.json:
        from game.commands.common import print_json

        print_json(
            {
                "checks": [_row(c) for c in checks],
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
        _table(checks, rate, args)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
