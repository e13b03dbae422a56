"""``ingavi fidelity``: how close the model comes to what happened, over many runs.

Plays the historical orders N times and reports, against the scenario's record: how often
each recorded battle happens and how often history's winner wins it, how often each
commander killed in history dies, the dead, the occupations and their collapse, the
outcome and the end date; a proper score of the battles beside two baselines; the battles' losses
beside the record's; how the war answers its decisive battle; which figures were fitted
(a parameter was set to match them) and which are predictions; then the targets read from
the scenario's record, met or not.  ``--blind`` plays with every commander rated neutral;
``--runs-csv FILE`` writes one row per war; ``--compare OVERLAY...`` plays what-ifs on the
same runs and shows them beside it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.commands.common import add_scenario_args, load_from_args, print_json, scenario_path
from game.errors import UsageError

if TYPE_CHECKING:
    from game.history.historical_runs import Setup

DEFAULT_RUNS = 1000


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "fidelity",
        help="play the historical orders many times and compare the wars with the record",
        description="Play both sides' historical orders N times (nothing scripted about any "
        "battle's result) and report, against the scenario's record: how often each recorded "
        "battle happens (same place, within two weeks) and how often history's winner wins, "
        "commanders killed, total killed, occupations and their collapse, the outcome and "
        "the end date. Results depend only on the scenario, seed, options and run ids.",
    )
    add_scenario_args(p)
    g = p.add_argument_group("runs and dice")
    g.add_argument(
        "--runs",
        type=int,
        default=DEFAULT_RUNS,
        metavar="N",
        help=f"number of wars to play (default {DEFAULT_RUNS:,})",
    )
    g.add_argument(
        "--first-run", type=int, default=0, metavar="K", help="id of the first run (default 0)"
    )
    g.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="S",
        help="seed of the dice (default: the scenario's meta.default_seed)",
    )
    g.add_argument(
        "--sample-uncertain",
        action="store_true",
        help="draw every uncertain strength (its range in the sources) per run",
    )
    g = p.add_argument_group("orders")
    g.add_argument(
        "--fallback",
        choices=("heuristic", "hold"),
        default="heuristic",
        help="what forces without a legal recorded order do: heuristic (the 'historical' "
        "policy, default) or hold (stand and defend; peace only by the rules)",
    )
    g.add_argument(
        "--difficulty",
        default="normal",
        metavar="LEVEL",
        help="difficulty of the heuristic fallback (default normal)",
    )
    g.add_argument(
        "--blind",
        action="store_true",
        help="play with every commander rated neutral (leadership and initiative 0, exposure 1)",
    )
    g = p.add_argument_group("what-ifs")
    g.add_argument(
        "--compare",
        nargs="+",
        default=[],
        metavar="OVERLAY",
        help="also play these overlays on the same runs and show them beside the baseline",
    )
    g = p.add_argument_group("where to play and output")
    g.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="W",
        help="worker processes (default: one per CPU; 1 plays in this process)",
    )
    g.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        metavar="C",
        help="runs per chunk of work (default: from runs and workers; never changes results)",
    )
    g.add_argument(
        "--json", action="store_true", help="print the report as one JSON object on stdout"
    )
    g.add_argument(
        "--runs-csv",
        metavar="FILE",
        default=None,
        help="also write one row per war (outcome, end date, dead, who won each recorded "
        "battle, which recorded occupations happened) to FILE",
    )
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _check(args: argparse.Namespace) -> None:
    if args.runs < 1:
        raise UsageError(f"--runs must be at least 1, got {args.runs}")
    if args.first_run < 0:
        raise UsageError(f"--first-run must be at least 0, got {args.first_run}")
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise UsageError(f"--seed must be between 0 and 2**63-1, got {args.seed}")
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    for o in args.compare:
        if not Path(o).is_file():
            raise UsageError(f"--compare {o}: no such file")
    if args.runs_csv is not None:
        out = Path(args.runs_csv)
        if out.is_dir():
            raise UsageError(f"--runs-csv {out}: is a folder; give a file name")
        if not out.parent.is_dir():
            raise UsageError(f"--runs-csv {out}: no folder {out.parent}; create it first")


def _label(path: str) -> str:
    return Path(path).stem.replace("_", " ")


def run(args: argparse.Namespace) -> int:
    """Play the runs, then print the report (and the comparison)."""
    from rich.console import Console

    from game.history.fidelity_view import compare_table, print_fidelity
    from game.history.historical_runs import Setup
    from game.study.progress import Progress

    _check(args)
    scn = load_from_args(args)
    setup = Setup(
        str(scenario_path(args)),
        tuple(args.overlay),
        tuple(args.sets),
        seed=scn.model.meta.default_seed if args.seed is None else args.seed,
        fallback=args.fallback,
        difficulty=args.difficulty,
        sample_uncertain=args.sample_uncertain,
        blind=args.blind,
    )
    arms = [(None, setup.pinned(setup.load()))] + [(o, setup.with_overlay(o)) for o in args.compare]
    workers = args.workers or os.cpu_count() or 1
    csv_path = args.runs_csv
    reports: list[dict[str, Any]] = []
    with Progress(
        args.runs * len(arms), enabled=not (args.quiet or args.json), label="wars"
    ) as bar:
        for overlay, arm in arms:
            rep = _play_arm(arm, args, workers, bar.advance, csv_path if overlay is None else None)
            if overlay is not None:
                rep["label"] = _label(overlay)
                rep["overlay"] = overlay
            reports.append(rep)
    base, others = reports[0], reports[1:]
    if args.json:
        print_json({**base, "compare": others} if others else base)
        return 0
    console = Console()
    print_fidelity(base, console)
    if others:
        console.print(compare_table(base, others))
    return 0


def _play_arm(
    setup: Setup,
    args: argparse.Namespace,
    workers: int,
    advance: Callable[[int], None],
    csv_path: str | None = None,
) -> dict[str, Any]:
    """Play one scenario variant over the runs and return its report (and its runs table)."""
    from game.history.fidelity import summarise
    from game.history.historical_runs import play
    from game.history.runs_csv import write_runs_csv

    scn = setup.load()
    cols = play(
        setup.pinned(scn),
        args.runs,
        first_run=args.first_run,
        workers=workers,
        chunk_size=args.chunk_size,
        on_chunk=advance,
    )
    if csv_path is not None:
        write_runs_csv(csv_path, scn, cols)
    return summarise(scn, cols, setup)
