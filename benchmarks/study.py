"""Benchmark of headless studies: campaigns per second on each backend, and peak memory.

Plays the historical scenario with the heuristic policy on both sides for each size
(default 1,000 runs) on the ``local`` backend, a pool of 2 worker processes and a
2-worker dask LocalCluster, and one campaign at a time on a small sample (reported as a
per-run rate), and the "How likely?" study of the setup screen (a what-if of 1,000 runs
in the window's pool of 2 processes; its time is the what-if's study, start-up
included, with the baseline cached, ``how_likely_first_s`` the first study with the
baseline, and ``how_likely_warm_s`` the what-if studied again in the same window, on
the pool the window keeps).  The default is small so that the whole benchmark finishes within ten
minutes on a busy 2-core machine: every configuration pays its own start-up (imports,
the kernels and the AI's odds table loaded from the cache, the scenario, in each
worker), which cost 20-40 CPU-seconds a configuration on such a machine, and on one
with a load average of 9-10 the sizes 500 and 2,000 took 23 minutes in all.  At 1,000
runs each worker still plays four chunks, but its start-up is a fair share of its work,
so the target of ``processes`` at 1.6 times ``local`` is checked only at 10,000 runs or
more (the ratio is reported at any size).  A study's rate beyond the start-up does not
depend on its size (runs are played chunk by chunk); ``--sizes 10000,100000`` measures
the sizes studies use.  Every configuration runs in a fresh interpreter so that its peak
memory is its own.  Times are end to end: ``game.study.run`` loading the scenario,
starting workers, playing, and writing chunks and ``runs.csv`` into a temporary folder
(figures are not drawn).  CPU seconds of the process and its workers are reported too:
on a busy machine they show the work done when wall time cannot.  ``compile_s`` is the
time the driver process spent compiling the engine's kernels or loading them from the
cache (part of its wall time; workers pay the same once each); one campaign at a time is
timed after a warm-up game, so its rate leaves that out.

    python benchmarks/study.py                 # table
    python benchmarks/study.py --json          # one JSON object on stdout
    python benchmarks/study.py --profile 2000  # where the time goes, by function

The machine's load average is reported beside the figures: on a shared machine other
processes take cores from the pool, and the numbers say so rather than hide it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "peru_bolivia_1841.yaml"
BACKENDS = ("local", "processes", "dask")


def compile_s() -> float:
    """Return the seconds this process spent compiling kernels or loading them from cache."""
    compiling = sys.modules.get("game.compiling")
    return float(compiling.compile_seconds()) if compiling else 0.0


def child(
    backend: str, runs: int, workers: int, scenario: str, chunk: int | None, policy: str
) -> dict:
    """Play one configuration in this process and return its measurements."""
    from game.study.api import run

    if backend == "one-at-a-time":
        return one_at_a_time(runs, scenario, policy)
    if backend == "how-likely":
        return how_likely(runs, workers)
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        res = run(
            scenario,
            runs=runs,
            seed=1,
            policies={"peru": policy, "bolivia": policy},
            backend=backend,
            workers=workers,
            chunk_size=chunk,
            out=Path(tmp) / "s",
            plots=False,
        )
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "backend": backend,
        "runs": runs,
        "chunk_size": res.summary["chunk_size"],
        "wall_s": wall,
        "runs_per_s": runs / wall,
        "driver_s": res.summary["elapsed_s"],
        "cpu_s_parent": cpu,
        "cpu_s_workers": kids.ru_utime + kids.ru_stime,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_worker_mb": kids.ru_maxrss / 1024,
        "compile_s": compile_s(),
        "outcomes": {k: round(o["p"], 4) for k, o in res.outcomes.items()},
    }


WHATIF = ROOT / "scenarios" / "counterfactuals" / "gamarra_waits.yaml"
"""The what-if "How likely?" plays in the benchmark (any of the war's what-ifs would do)."""


def how_likely(runs: int, workers: int) -> dict:
    """Play "How likely?" as the setup screen does, with an empty cache of baselines.

    The window's study (:class:`game.ui.likely_study.Likely`: its pool of ``workers``
    processes, its chunk size, the heuristic on both sides) plays the what-if and then
    the baseline, which it caches.  ``wall_s`` is the what-if's study alone, start-up of
    the pool included: what a player waits for the first time in a window, once the
    baseline is cached; ``first_s`` is that whole first study, baseline and all; and
    ``warm_s`` the same what-if studied again in the same window (as Start does: the
    pool kept from the first study, the baseline cached).
    """
    from game.ui.likely_study import Likely, close_pool

    stages: list[float] = []

    class Timed(Likely):
        def _study(self, path: Path) -> dict:
            t = time.perf_counter()
            try:
                return super()._study(path)
            finally:
                stages.append(time.perf_counter() - t)

    with tempfile.TemporaryDirectory() as home:
        os.environ["INGAVI_HOME"] = home
        c0 = time.process_time()
        study = Timed(whatif=WHATIF, scenario=SCENARIO, runs=runs, workers=workers)
        study.start()
        study.wait()
        again = Timed(whatif=WHATIF, scenario=SCENARIO, runs=runs, workers=workers)
        again.start()
        again.wait()
        cpu = time.process_time() - c0
        close_pool()
    for s in (study, again):
        if s.state != "done":
            raise SystemExit(f"How likely? did not finish: {s.state} {s.error}")
    if not again.baseline_cached or again.result["outcomes"] != study.result["outcomes"]:
        raise SystemExit("How likely? played again gave another result or no cached baseline")
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "backend": "how-likely",
        "runs": runs,
        "chunk_size": None,
        "wall_s": stages[0],
        "runs_per_s": runs / stages[0],
        "first_s": study.elapsed_s,
        "warm_s": stages[2],
        "driver_s": study.elapsed_s,
        "cpu_s_parent": cpu,
        "cpu_s_workers": kids.ru_utime + kids.ru_stime,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_worker_mb": kids.ru_maxrss / 1024,
        "compile_s": compile_s(),
        "outcomes": {k: round(o["p"], 4) for k, o in study.result["outcomes"].items()},
    }


def one_at_a_time(runs: int, scenario: str, policy: str) -> dict:
    """Time campaigns played as batches of one (after one to warm up), as a per-run rate."""
    from game.study.chunk import play_chunk
    from game.study.spec import ScenarioRef, make_spec

    spec, _ = make_spec(
        ScenarioRef.of(scenario), seed=1, policies={"peru": policy, "bolivia": policy}
    )
    data = spec.to_dict()
    play_chunk(data, 0, 10**6, 1)  # warm-up: kernels compiled or loaded, tables built
    warm = compile_s()
    t0, c0 = time.perf_counter(), time.process_time()
    for r in range(runs):
        play_chunk(data, 0, r, 1)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "backend": "one-at-a-time",
        "runs": runs,
        "chunk_size": 1,
        "wall_s": wall,
        "runs_per_s": runs / wall,
        "driver_s": wall,
        "cpu_s_parent": cpu,
        "cpu_s_workers": 0.0,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_worker_mb": 0.0,
        "compile_s": warm,
        "outcomes": {},
    }


def run_child(
    backend: str, runs: int, workers: int, scenario: str, chunk: int | None, policy: str
) -> dict:
    """Run one configuration in a fresh interpreter and return its measurements."""
    cmd = [
        sys.executable,
        __file__,
        "--child",
        backend,
        str(runs),
        "--workers",
        str(workers),
        "--scenario",
        scenario,
        "--policy",
        policy,
    ]
    if chunk:
        cmd += ["--chunk-size", str(chunk)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark child failed ({backend}, {runs}):\n{out.stderr}")
    return json.loads(out.stdout)


def profile(runs: int, scenario: str, top: int = 25) -> None:
    """Profile a local study and print where its time goes, by function."""
    import cProfile
    import pstats

    from game import study

    prof = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp:
        prof.enable()
        study.run(scenario, runs=runs, seed=1, out=Path(tmp) / "s", plots=False)
        prof.disable()
    stats = pstats.Stats(prof)
    for order in ("cumulative", "tottime"):
        print(f"\n=== top {top} functions by {order} time, {runs:,} runs, local ===")
        stats.sort_stats(order).print_stats(top)


def table(report: dict) -> str:
    """Return the report as a plain-text table."""
    lines = [
        f"Studies of {Path(report['scenario']).name}, {report['policy']} on both sides, "
        f"{report['workers']} workers, {report['cpus']} CPUs, load average "
        f"{report['load_before'][0]:.1f} before / {report['load_after'][0]:.1f} after",
        f"{'backend':<14}{'runs':>9}{'wall s':>9}{'runs/s':>9}{'vs local':>10}"
        f"{'CPU s':>9}{'runs/CPU s':>11}{'peak RSS MB':>13}",
    ]
    for r in report["results"]:
        local = report["local_by_runs"].get(str(r["runs"]))
        ratio = f"{r['runs_per_s'] / local:.2f}x" if local else ""
        rss = max(r["peak_rss_mb"], r.get("peak_rss_worker_mb", 0.0))
        cpu = r["cpu_s_parent"] + r["cpu_s_workers"]
        lines.append(
            f"{r['backend']:<14}{r['runs']:>9,}{r['wall_s']:>9.1f}{r['runs_per_s']:>9,.1f}"
            f"{ratio:>10}{cpu:>9.1f}{r['runs'] / max(cpu, 1e-9):>11,.1f}{rss:>13,.0f}"
        )
    lines.append(
        f"targets: local >= 1,000 runs/s: {report['targets']['local_ge_1000_per_s']}; one at a "
        f"time >= 50 runs/s: {report['targets']['one_at_a_time_ge_50_per_s']}; processes >= "
        f"1.6x local at 10,000 runs or more: {report['targets']['processes_ge_1_6x']}; peak memory "
        f"< 1 GB: {report['targets']['peak_rss_lt_1gb']}; How likely? 1,000 runs <= 5 s: "
        f"{report['targets']['how_likely_1000_le_5_s']}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default=str(SCENARIO), help="scenario file")
    p.add_argument("--sizes", default="1000", help="comma-separated run counts (default 1000)")
    p.add_argument("--workers", type=int, default=2, help="workers of the parallel backends")
    p.add_argument("--backends", default=",".join(BACKENDS), help="backends to measure")
    p.add_argument(
        "--one-at-a-time",
        type=int,
        default=10,
        metavar="N",
        help="runs played one campaign at a time (default 10)",
    )
    p.add_argument(
        "--how-likely",
        type=int,
        default=1000,
        metavar="N",
        help='runs of the "How likely?" study (default 1000; 0 leaves it out)',
    )
    p.add_argument("--chunk-size", type=int, default=None, help="runs per chunk")
    p.add_argument("--policy", default="heuristic", help="policy of both sides (default heuristic)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="profile a local study of N runs instead of benchmarking",
    )
    p.add_argument("--child", nargs=2, metavar=("BACKEND", "RUNS"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(
            json.dumps(
                child(
                    args.child[0],
                    int(args.child[1]),
                    args.workers,
                    args.scenario,
                    args.chunk_size,
                    args.policy,
                )
            )
        )
        return 0
    if args.profile:
        profile(args.profile, args.scenario)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = [b for b in args.backends.split(",") if b]
    load_before = os.getloadavg()
    results = []
    for runs in sizes:
        for backend in backends:
            results.append(
                run_child(backend, runs, args.workers, args.scenario, args.chunk_size, args.policy)
            )
            print(f"  {backend} {runs:,}: {results[-1]['runs_per_s']:,.0f} runs/s", file=sys.stderr)
    single = run_child("one-at-a-time", args.one_at_a_time, 1, args.scenario, 1, args.policy)
    results.append(single)
    likely = None
    if args.how_likely:
        likely = run_child("how-likely", args.how_likely, args.workers, args.scenario, None, "")
        results.append(likely)
        print(
            f"  How likely? {args.how_likely:,}: {likely['wall_s']:.1f} s "
            f"(again in the same window: {likely['warm_s']:.1f} s)",
            file=sys.stderr,
        )
    local = {str(r["runs"]): r["runs_per_s"] for r in results if r["backend"] == "local"}
    for r in results:
        r["runs_per_cpu_s"] = r["runs"] / max(r["cpu_s_parent"] + r["cpu_s_workers"], 1e-9)

    def rate(backend: str) -> float | None:
        rs = [r for r in results if r["backend"] == backend]
        return max(rs, key=lambda r: r["runs"])["runs_per_s"] if rs else None

    big = max(sizes)
    proc_big = next((r for r in results if r["backend"] == "processes" and r["runs"] == big), None)
    peak = max(max(r["peak_rss_mb"], r["peak_rss_worker_mb"]) for r in results)
    report = {
        "scenario": args.scenario,
        "policy": args.policy,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "results": results,
        "local_by_runs": local,
        "local_runs_per_s": rate("local"),
        "processes_runs_per_s": rate("processes"),
        "dask_runs_per_s": rate("dask"),
        "one_at_a_time_runs_per_s": single["runs_per_s"],
        "processes_over_local": (
            proc_big["runs_per_s"] / local[str(big)] if proc_big and str(big) in local else None
        ),
        "how_likely_runs": args.how_likely or None,
        "how_likely_s": likely["wall_s"] if likely else None,
        "how_likely_first_s": likely["first_s"] if likely else None,
        "how_likely_warm_s": likely["warm_s"] if likely else None,
        "batched_over_one_at_a_time": (
            (rate("local") or 0) / single["runs_per_s"] if single["runs_per_s"] else None
        ),
        "peak_rss_mb": peak,
        "targets": {
            "local_ge_1000_per_s": None if rate("local") is None else rate("local") >= 1000.0,
            "one_at_a_time_ge_50_per_s": single["runs_per_s"] >= 50.0,
            # set for studies of 10,000 runs or more: below that each worker's start-up
            # is a fair share of its work, so the ratio is only reported
            "processes_ge_1_6x": None
            if proc_big is None or str(big) not in local or big < 10_000
            else proc_big["runs_per_s"] >= 1.6 * local[str(big)],
            "peak_rss_lt_1gb": peak < 1024,
            # "How likely?" plays 1,000 runs in 5 s or less (checked at 1,000 runs)
            "how_likely_1000_le_5_s": None
            if likely is None or args.how_likely != 1000
            else likely["wall_s"] <= 5.0,
        },
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
