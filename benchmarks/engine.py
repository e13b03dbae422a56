"""Speed of the engine: battles resolved per second, and campaign turns per second.

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
from game.codes import Posture
from game.engine.combat import BattleInput, CombatParams, default_workers, resolve

RESOLVER_COUNTS: tuple[int, ...] = (1_000, 10_000, 100_000, 1_000_000)
CAMPAIGN_RUNS: tuple[int, ...] = (1, 100, 10_000)
ALONE_SAMPLE = 20
"""Runs of the big batch that are also played one at a time, for the per-run ratio."""


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


def _campaign(scn: Any, runs: Any, seed: int) -> tuple[int, float, float]:
    """Play whole campaigns with random legal orders; return run-turns, step and total CPU s.

    The engine's own time (``step``) is kept apart from the policies' (drawing random
    legal orders from each side's fog-of-war view), so the figures say which is which.
    """
    from game.ai import make_policy
    from game.engine.state import initial_state
    from game.engine.turn import step
    from game.play_loop import decide_all

    policies = {s: make_policy("random", s, scn) for s in range(scn.S)}
    state = initial_state(scn, runs, seed)
    run_turns, t_step, t0 = 0, 0.0, time.process_time()
    while state.runs and state.turn < scn.n_turns:
        orders = decide_all(scn, state, policies)
        c0 = time.process_time()
        state, _ = step(scn, state, orders)
        t_step += time.process_time() - c0
        run_turns += state.runs
        if state.over.any():
            state = state.select(~state.over)
    return run_turns, t_step, time.process_time() - t0


def bench_campaign(runs: Sequence[int] = CAMPAIGN_RUNS, seed: int = 1841) -> dict[str, Any]:
    """Return campaign turns per CPU-second of the 1841 war at each batch size.

    A *run-turn* is one turn of one campaign.  ``batch_speedup`` is the per-run speed of
    the largest batch over the same runs played one at a time (a sample of
    :data:`ALONE_SAMPLE` of them), for the engine alone and with the random policies.
    Finished runs are set aside as they end, as every runner does.
    """
    from game.paths import default_scenario
    from game.scenario.load import load_scenario

    scn = load_scenario(default_scenario())
    t0 = time.perf_counter()
    _campaign(scn, 1, seed)  # warm-up: kernels compiled or loaded from the cache
    warm_up = time.perf_counter() - t0
    engine, total = {}, {}
    for n in runs:
        rt, t_step, t_all = _campaign(scn, n, seed)
        engine[str(n)] = rt / t_step
        total[str(n)] = rt / t_all
    alone_rt, alone_step, alone_all = 0, 0.0, 0.0
    for r in range(ALONE_SAMPLE):
        rt, t_step, t_all = _campaign(scn, np.array([r]), seed)
        alone_rt, alone_step, alone_all = alone_rt + rt, alone_step + t_step, alone_all + t_all
    big = str(max(runs))
    return {
        "campaign_turns_per_s": total,
        "engine_turns_per_s": engine,
        "one_at_a_time_turns_per_s": {
            "engine": alone_rt / alone_step,
            "total": alone_rt / alone_all,
        },
        "batch_speedup": engine[big] / (alone_rt / alone_step),
        "batch_speedup_with_policies": total[big] / (alone_rt / alone_all),
        "batch_runs": int(big),
        "warm_up_s": warm_up,
    }


def compile_s() -> float:
    """Return the seconds spent compiling kernels or loading them from cache, in this process.

    Left out of every rate (each section warms up first) and reported on its own.
    """
    import sys

    compiling = sys.modules.get("game.compiling")
    return float(compiling.compile_seconds()) if compiling else 0.0


def machine() -> dict[str, Any]:
    """Return what the figures were measured on."""
    return {
        "compile_s": compile_s(),
        "load_average": os.getloadavg(),
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
    }


SECTIONS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "resolver": lambda a: bench_resolver(a.counts, a.repeats, a.workers),
    "campaign": lambda a: bench_campaign(a.runs),
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
    if "engine_turns_per_s" in result:
        table = Table(
            title="Campaigns of 1841-42 with random legal orders (run-turns per CPU-second)"
        )
        table.add_column("runs in the batch", justify="right")
        table.add_column("engine only", justify="right")
        table.add_column("with random policies", justify="right")
        for n, rate in result["engine_turns_per_s"].items():
            table.add_row(
                f"{int(n):,}", f"{rate:,.0f}", f"{result['campaign_turns_per_s'][n]:,.0f}"
            )
        alone = result["one_at_a_time_turns_per_s"]
        table.add_row("one at a time", f"{alone['engine']:,.0f}", f"{alone['total']:,.0f}")
        console.print(table)
        console.print(
            f"Batch of {result['batch_runs']:,} against one at a time, per run: "
            f"engine {result['batch_speedup']:.0f}x, with policies "
            f"{result['batch_speedup_with_policies']:.0f}x"
        )
    console.print(
        f"Compiling kernels (or loading them from the cache): {result['compile_s']:.2f} s, "
        f"left out of the rates; load average {result['load_average'][0]:.1f}"
    )
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
    parser.add_argument(
        "--runs",
        type=int,
        nargs="+",
        default=list(CAMPAIGN_RUNS),
        help="campaign batch sizes (the largest is compared with one at a time)",
    )
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
