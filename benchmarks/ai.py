"""Speed of the AI: how long one side's decision takes in one game (a batch of one).

Usage::

    python benchmarks/ai.py                      # a table, on the 1841-42 war
    python benchmarks/ai.py --json               # one JSON object on stdout
    python benchmarks/ai.py SCENARIO --turns 12  # another scenario, more turns

A game is played with the heuristic on both sides; at each of the first ``--turns``
turns every policy timed decides for each side from the same observation, and the time
of each decision is recorded (the look-ahead with its default work, which is what the
interface uses).  The table gives the median, 95th percentile and worst time per policy;
the JSON object also has ``heuristic_turn_ms`` and ``lookahead_turn_ms`` (the medians)
and whether they meet their targets (50 ms, and 200 ms for the look-ahead).  The first
decision of a process also builds the odds table and the scenario's route tables, and
compiles the kernels (or loads them from the cache); that one-off cost is reported apart
as ``warmup_ms``.  ``compile_s`` is all the time spent compiling or loading kernels,
including kernels a later turn reaches first, and is left out of the turn times.  Times
are wall-clock and never asserted on by tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from game.ai import make_policy
from game.ai.base import policy_keys
from game.engine.observe import observe
from game.engine.state import initial_state
from game.engine.turn import step
from game.paths import default_scenario
from game.play_loop import decide_all
from game.scenario.load import load_scenario

TARGETS_MS = {"heuristic": 50.0, "lookahead": 200.0}


def _compiled() -> float:
    """Seconds this process has spent compiling kernels so far (0 before any is loaded)."""
    compiling = sys.modules.get("game.compiling")
    return float(compiling.compile_seconds()) if compiling else 0.0


def time_turns(path: str, turns: int, seed: int, policies: Sequence[str]) -> dict[str, Any]:
    """Return per-policy decision times (ms) over the first ``turns`` turns of one game."""
    scn = load_scenario(path)
    t0 = time.perf_counter()
    make_policy("heuristic", 0, scn).decide(
        scn, observe(scn, initial_state(scn, 1, seed), 0), policy_keys(seed, [0], 0, 0)
    )
    warmup = (time.perf_counter() - t0) * 1000.0
    timed = {name: [make_policy(name, s, scn) for s in range(scn.S)] for name in policies}
    driver = {s: make_policy("heuristic", s, scn) for s in range(scn.S)}
    state = initial_state(scn, 1, seed)
    times: dict[str, list[float]] = {name: [] for name in policies}
    while len(times[policies[0]]) < turns * scn.S and not state.over.all():
        for s in range(scn.S):
            obs = observe(scn, state, s)
            keys = policy_keys(seed, state.run_ids, state.turn, s)
            for name in policies:
                c = _compiled()
                t = time.perf_counter()
                timed[name][s].decide(scn, obs, keys, explain=True)
                # A kernel first reached in a later turn compiles (or loads) there: that
                # one-off time counts in compile_s, never in the turn's time.
                times[name].append((time.perf_counter() - t - (_compiled() - c)) * 1000.0)
        state, _ = step(scn, state, decide_all(scn, state, driver))
    out: dict[str, Any] = {
        "scenario": scn.model.meta.id,
        "decisions": len(times[policies[0]]),
        "warmup_ms": round(warmup, 1),
        "compile_s": round(_compiled(), 3),
        "load_average": os.getloadavg(),
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
    }
    for name in policies:
        a = np.array(times[name])
        out[f"{name}_turn_ms"] = round(float(np.median(a)), 1)
        out[f"{name}_p95_ms"] = round(float(np.percentile(a, 95)), 1)
        out[f"{name}_max_ms"] = round(float(a.max()), 1)
    out["targets"] = {
        f"{name}_turn_le_{target:.0f}_ms": out[f"{name}_turn_ms"] <= target
        for name, target in TARGETS_MS.items()
        if name in policies
    }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Time the policies and print a table, or one JSON object with --json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(default_scenario()))
    parser.add_argument("--turns", type=int, default=8, help="turns to time (default 8)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--policies", default="heuristic,lookahead", help="policies to time (comma-separated)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.policies.split(",") if n.strip()]
    result = time_turns(args.scenario, args.turns, args.seed, names)
    if args.json:
        from game.commands.common import print_json

        print_json(result)
        return 0
    from rich.console import Console
    from rich.table import Table

    t = Table(
        title=f"AI decision time, one game of {result['scenario']} "
        f"({result['decisions']} decisions each; warm-up {result['warmup_ms']:.0f} ms)",
        title_justify="left",
    )
    for col in ("policy", "median ms", "p95 ms", "max ms", "target ms"):
        t.add_column(col, justify="left" if col == "policy" else "right")
    for name in names:
        target = TARGETS_MS.get(name)
        t.add_row(
            name,
            f"{result[f'{name}_turn_ms']:.1f}",
            f"{result[f'{name}_p95_ms']:.1f}",
            f"{result[f'{name}_max_ms']:.1f}",
            f"{target:.0f}" if target else "-",
        )
    Console().print(t)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
