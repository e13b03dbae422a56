"""``ingavi balance SCENARIO``: a balance report for scenario authors.

Plays a study for every assignment of the listed policies to the sides and reports each
side's win rate with its 95% CI, and whether one side wins almost always.
"""

from __future__ import annotations

import argparse

from game.commands.common import print_json, scenario_path
from game.commands.study_command import add_play_args, default_out, interrupted, play_kwargs
from game.errors import UsageError

DEFAULT_RUNS = 2000


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "balance",
        help="win rates by side for pairings of policies: is the scenario one-sided?",
        description="Play a study for every assignment of the listed policies to the sides; "
        "report each side's win rate with its 95% CI and whether one side wins almost "
        "always (at least the threshold, judged on the lower end of the CI).",
    )
    add_play_args(p, runs=DEFAULT_RUNS)
    p.add_argument(
        "--policies",
        default="heuristic",
        metavar="P1,P2,...",
        help="policies to pair up on every side (default heuristic)",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=0.9,
        metavar="P",
        help="win probability from which a side wins almost always (default 0.9)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Play each pairing and print the report."""
    from rich.console import Console
    from rich.table import Table

    from game.scenario.load import load_scenario
    from game.study import StudyInterrupted
    from game.study import run as run_study
    from game.study.balance import pairings, report
    from game.study.terminal import ci, pct

    if not 0.5 < args.threshold <= 1.0:
        raise UsageError(f"--threshold must be above 0.5 and at most 1, got {args.threshold}")
    names = [n.strip() for n in args.policies.split(",") if n.strip()]
    if not names:
        raise UsageError("--policies needs at least one policy name")
    sides = load_scenario(scenario_path(args)).side_ids
    base_out = default_out(args, "balance")
    kwargs = play_kwargs(args)
    studies = []
    for pol in pairings(names, sides):
        out = base_out / "-vs-".join(pol[s].replace(":", "_") for s in sides)
        kwargs["policies"] = {**kwargs["policies"], **pol}
        try:
            res = run_study(
                scenario_path(args), out=out, balance_threshold=args.threshold, **kwargs
            )
        except StudyInterrupted as exc:
            interrupted(exc.result.runs, out)
            raise
        studies.append((pol, res.summary))
    rep = report(studies, args.threshold)
    if args.json:
        print_json(rep)
        return 0
    t = Table(title=f"Balance ({args.threshold:.0%} threshold; 95% CIs)", title_justify="left")
    for s in sides:
        t.add_column(f"{s} policy")
    for s in sides:
        t.add_column(f"{s} wins", justify="right")
    t.add_column("draw", justify="right")
    t.add_column("verdict")
    for row in rep["pairings"]:
        t.add_row(
            *(row["policies"][s] for s in sides),
            *(f"{pct(row['win'][s]['p'])} ({ci(row['win'][s]['ci95'])})" for s in sides),
            pct(row["draw"]["p"]),
            row["verdict"] + (f" {row['favours']}" if row["favours"] else ""),
        )
    console = Console()
    console.print(t)
    console.print(f"[bold]{rep['overall']}[/bold]")
    for row in rep["pairings"]:
        console.print(f"  {' vs '.join(row['policies'][s] for s in sides)}: {row['text']}")
    return 0
