"""Speed of the engine: how many battles (and, later, campaign turns) it runs per second.

Usage::

    python benchmarks/engine.py            # a table
    python benchmarks/engine.py --json     # one JSON object on stdout

Each section is a function returning a dict of JSON-ready figures; :func:`main` runs the
sections asked for and merges their dicts, so a new measurement is one more function
added to :data:`SECTIONS`.  Figures are the best of several repeats (the least disturbed
by other work on the machine) and are never asserted on by the tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from game import rng
from game.engine.codes import Posture
from game.engine.combat import BattleInput, CombatParams, default_workers, resolve

RESOLVER_COUNTS: tuple[int, ...] = (1_000, 10_000, 100_000, 1_000_000)


def battle_mix(n: int, seed: int = 0) -> BattleInput:
    """Return ``n`` battles of a realistic mix for timing the resolver.

    Strengths are log-uniform from 100 to 15,000 a side, postures mostly hasty with some
    meeting engagements and prepared or fortified positions, qualities within +-25%,
    leadership -1..1, a little cavalry, broken ground and the odd surprise: the spread of
    cases a campaign produces, drawn from the TEST stream so it is the same every time.
    """
    k = rng.root_key(seed, rng.Stream.TEST, np.arange(n))
    lo, hi = np.log(100.0), np.log(15_000.0)
    posture = np.searchsorted(np.array([0.15, 0.75, 0.95]), rng.uniform(k, 3)).astype(np.int8)
    return BattleInput.build(
        att_men=np.floor(np.exp(lo + (hi - lo) * rng.uniform(k, 1))),
        def_men=np.floor(np.exp(lo + (hi - lo) * rng.uniform(k, 2))),
        keys=rng.derive(k, 99),
        posture=np.clip(posture, Posture.MEETING, Posture.FORTIFIED),
        att_quality=0.75 + 0.5 * rng.uniform(k, 4),
        def_quality=0.75 + 0.5 * rng.uniform(k, 5),
        att_leadership=rng.integers(3, k, 6) - 1.0,
        def_leadership=rng.integers(3, k, 7) - 1.0,
        att_cavalry=0.3 * rng.uniform(k, 8),
        def_cavalry=0.3 * rng.uniform(k, 9),
        terrain=1.0 + 0.4 * rng.uniform(k, 10),
        surprise=np.where(rng.uniform(k, 11) < 0.1, rng.integers(3, k, 12) + 1.0, 0.0),
    )


def _best_time(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Return the shortest wall-clock time of ``repeats`` calls, and its CPU time."""
    best, cpu = np.inf, np.inf
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = time.perf_counter() - t0
        if wall < best:
            best, cpu = wall, time.process_time() - c0
    return float(best), float(cpu)


def bench_resolver(
    counts: Sequence[int] = RESOLVER_COUNTS, repeats: int = 3, workers: int | None = None
) -> dict[str, Any]:
    """Return battles resolved per second at each batch size, keyed by the size as text.

    ``resolver_battles_per_s`` is wall-clock speed, the figure that matters;
    ``resolver_battles_per_cpu_s`` divides by the CPU time used on all threads instead,
    which shows what one core does and how much other work on the machine slowed the
    wall clock (with W threads and a quiet machine, wall speed is up to W times it).
    """
    params = CombatParams.default()
    rates: dict[str, float] = {}
    cpu_rates: dict[str, float] = {}
    for n in counts:
        inp = battle_mix(n)
        resolve(inp.take(slice(0, min(n, 1000))), params, workers=workers)  # warm up
        reps = repeats if n >= 100_000 else max(repeats, 5)
        wall, cpu = _best_time(lambda inp=inp: resolve(inp, params, workers=workers), reps)
        rates[str(n)] = n / wall
        cpu_rates[str(n)] = n / max(cpu, 1e-9)
    return {
        "resolver_battles_per_s": rates,
        "resolver_battles_per_cpu_s": cpu_rates,
        "resolver_workers": workers or default_workers(),
    }


def machine() -> dict[str, Any]:
    """Return what the figures were measured on."""
    return {
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        }
    }


SECTIONS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "resolver": lambda a: bench_resolver(a.counts, a.repeats, a.workers),
}
"""Benchmark sections by name; each returns a dict merged into the JSON output."""


def _table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if "resolver_battles_per_s" in result:
        table = Table(title=f"Battle resolver ({result['resolver_workers']} threads)")
        table.add_column("battles", justify="right")
        table.add_column("battles / s", justify="right")
        table.add_column("µs / battle", justify="right")
        table.add_column("battles / CPU-s", justify="right")
        cpu = result["resolver_battles_per_cpu_s"]
        for n, rate in result["resolver_battles_per_s"].items():
            table.add_row(f"{int(n):,}", f"{rate:,.0f}", f"{1e6 / rate:.2f}", f"{cpu[n]:,.0f}")
        console.print(table)
    info = result["machine"]
    console.print(
        f"Python {info['python']}, numpy {info['numpy']}, {info['cpus']} CPUs, {info['platform']}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark sections and print a table, or one JSON object with --json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--only", choices=sorted(SECTIONS), action="append", help="run only these sections"
    )
    parser.add_argument(
        "--counts",
        type=int,
        nargs="+",
        default=list(RESOLVER_COUNTS),
        help="battle batch sizes for the resolver",
    )
    parser.add_argument("--repeats", type=int, default=3, help="timings per figure (best kept)")
    parser.add_argument("--workers", type=int, default=None, help="resolver threads")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {}
    for name in args.only or list(SECTIONS):
        result.update(SECTIONS[name](args))
    result.update(machine())
    if args.json:
        from game.commands.common import print_json

        print_json(result)
    else:
        _table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
