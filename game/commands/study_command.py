"""``ingavi study SCENARIO``: play thousands of campaigns and report their odds.

Prints outcome probabilities with 95% confidence intervals and how the war went, and
writes ``summary.json``, ``runs.csv`` and figures into ``--out``.  ``--vs OVERLAY`` plays a
variant on the same runs and reports each outcome's change with a paired interval.  The
options shared with ``sweep``, ``sensitivity`` and ``balance`` are defined here.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from game.commands.common import add_scenario_args, print_json, scenario_path
from game.errors import UsageError

DEFAULT_RUNS = 10_000
STUDIES_DIR = "studies"


def add_play_args(p: argparse.ArgumentParser, *, runs: int = DEFAULT_RUNS) -> None:
    """Add the options every study-like command shares: runs, seed, policies, backend."""
    add_scenario_args(p)
    g = p.add_argument_group("runs and dice")
    g.add_argument(
        "--runs",
        type=int,
        default=runs,
        metavar="N",
        help=f"number of campaigns to play (default {runs:,})",
    )
    g.add_argument(
        "--first-run",
        type=int,
        default=0,
        metavar="K",
        help="index of the first run: plays runs K..K+N-1 (default 0)",
    )
    g.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="S",
        help="seed of the dice (default: the scenario's default seed)",
    )
    g = p.add_argument_group("policies")
    g.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="SIDE=POLICY",
        help="the policy playing a side, named by the scenario's side id, e.g. "
        "--policy north=random (repeatable; sides not named play heuristic; a policy is "
        "historical, heuristic, lookahead, random or module:factory)",
    )
    g.add_argument(
        "--difficulty",
        default="normal",
        metavar="LEVEL",
        help="difficulty given to the policies (default normal)",
    )
    g = p.add_argument_group("where to play")
    g.add_argument(
        "--backend",
        choices=("local", "processes", "dask"),
        default="local",
        help="local: this process; processes: a pool of worker processes; "
        "dask: a dask cluster (default local)",
    )
    g.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="W",
        help="worker processes for processes and a local dask cluster (default: one per CPU)",
    )
    g.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a local cluster)",
    )
    g.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        metavar="C",
        help="runs per chunk of work (default: chosen from runs and workers; "
        "never changes the results)",
    )
    g = p.add_argument_group("output")
    g.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="folder for chunks, summary.json, runs.csv and figures "
        f"(default {STUDIES_DIR}/<scenario name>)",
    )
    g.add_argument(
        "--resume",
        action="store_true",
        help="continue the study in --out, reusing every finished chunk",
    )
    g.add_argument(
        "--overwrite", action="store_true", help="discard a study already in --out and start again"
    )
    g.add_argument(
        "--json",
        action="store_true",
        help="print the summary as one JSON object on stdout instead of tables",
    )
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    g.add_argument("--no-plots", action="store_true", help="do not draw figures")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "study",
        help="play thousands of campaigns and report outcome probabilities with CIs",
        description="Play N campaigns headless and report outcome probabilities with 95% "
        "confidence intervals, war end dates, losses, provinces and commanders; write "
        "summary.json, runs.csv and figures. Results depend only on the scenario, options, "
        "seed and run indices: never on the backend, workers or chunk size.",
    )
    add_play_args(p)
    g = p.add_argument_group("study")
    g.add_argument(
        "--sample-uncertain",
        action="store_true",
        help="draw every uncertain scenario value (strength ranges) per run",
    )
    g.add_argument(
        "--until-ci",
        type=float,
        default=None,
        metavar="TOL",
        help="stop once every outcome probability's 95%% CI half-width is below "
        "TOL (e.g. 0.01); --runs is then the most played",
    )
    g.add_argument(
        "--ci-every",
        type=int,
        default=1000,
        metavar="N",
        help="test the --until-ci rule every N runs (default 1,000)",
    )
    g.add_argument(
        "--vs",
        default=None,
        metavar="OVERLAY",
        help="also play this overlay on the same runs and report the paired "
        "difference in each outcome probability",
    )
    g.add_argument(
        "--vs-set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="define (or add to) the compared variant by changing one value (repeatable)",
    )
    g.add_argument(
        "--balance",
        action="store_true",
        help="print the balance report: does one side win almost always?",
    )
    g.add_argument(
        "--balance-threshold",
        type=float,
        default=0.9,
        metavar="P",
        help="win probability from which a side counts as winning almost always (default 0.9)",
    )
    p.set_defaults(func=run)


def policies_from_args(args: argparse.Namespace) -> dict[str, str]:
    """Return the policy per side id named by ``--policy SIDE=POLICY``.

    The side ids are checked against the scenario when the study starts, with the list of
    its sides in the message.
    """
    out: dict[str, str] = {}
    for item in args.policy:
        side, eq, name = item.partition("=")
        if not eq or not side.strip() or not name.strip():
            raise UsageError(f"--policy expects SIDE=POLICY, got {item!r}")
        out[side.strip()] = name.strip()
    return out


def default_out(args: argparse.Namespace, kind: str = "") -> Path:
    """Return ``--out``, or ``studies/<scenario name>[-kind]``."""
    if args.out:
        return Path(args.out)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", scenario_path(args).stem)
    return Path(STUDIES_DIR) / (f"{stem}-{kind}" if kind else stem)


def play_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Return the keyword arguments of :func:`game.study.run` shared by every command."""
    return {
        "overlays": list(args.overlay),
        "sets": list(args.sets),
        "runs": args.runs,
        "first_run": args.first_run,
        "seed": args.seed,
        "policies": policies_from_args(args),
        "difficulty": args.difficulty,
        "backend": args.backend,
        "workers": args.workers,
        "scheduler": args.scheduler,
        "chunk_size": args.chunk_size,
        "resume": args.resume,
        "overwrite": args.overwrite,
        "progress": not (args.quiet or args.json),
        "plots": not args.no_plots,
    }


def run(args: argparse.Namespace) -> int:
    """Play the study, print its summary and say where its files are."""
    from rich.console import Console

    from game.study import StudyInterrupted
    from game.study import run as run_study
    from game.study.terminal import print_study

    out = default_out(args)
    try:
        result = run_study(
            scenario_path(args),
            vs=args.vs,
            vs_sets=list(args.vs_set),
            sample_uncertain=args.sample_uncertain,
            until_ci=args.until_ci,
            ci_every=args.ci_every,
            out=out,
            balance_threshold=args.balance_threshold,
            **play_kwargs(args),
        )
    except StudyInterrupted as exc:
        interrupted(exc.result.runs, out)
        raise
    if args.json:
        print_json(result.summary)
        return 0
    console = Console()
    print_study(result.summary, console, balance=args.balance)
    console.print(f"Wrote {out}/: " + ", ".join(f.name for f in result.files))
    return 0


def interrupted(runs: int, out: Path) -> None:
    """Tell the user what Ctrl-C kept and how to go on."""
    print(
        f"finished chunks ({runs:,} runs in order) are saved in {out}; "
        "run the same command with --resume to continue",
        file=sys.stderr,
    )
