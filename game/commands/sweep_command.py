"""``ingavi sweep SCENARIO --param PATH=START:STOP:STEP``: outcomes against parameters.

Each grid point of one or two parameters (paths as in ``--set``) is played on the same
runs; prints a table of outcome probabilities with 95% CIs per point and writes
``sweep.json``, ``sweep.csv`` and ``sweep.png`` into ``--out``.
"""

from __future__ import annotations

import argparse

from game.commands.common import print_json, scenario_path
from game.commands.study_command import add_play_args, default_out, interrupted, play_kwargs

DEFAULT_RUNS = 2000


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "sweep",
        help="outcome probabilities as a function of one or two scenario parameters",
        description="Play the scenario at every value of one or two parameters (paths as "
        "in --set), all on the same runs, and report each outcome's probability with its "
        "95% CI per point; writes sweep.json, sweep.csv and sweep.png.",
    )
    add_play_args(p, runs=DEFAULT_RUNS)
    p.add_argument(
        "--param",
        action="append",
        required=True,
        metavar="PATH=START:STOP:STEP",
        help="a parameter and its values, STOP included (or PATH=V1,V2,...); give one or "
        "two, e.g. --param forces.FORCE_ID.men=5000:9000:1000",
    )
    p.add_argument(
        "--sample-uncertain",
        action="store_true",
        help="draw every uncertain scenario value per run at every point",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Play the sweep and print its table."""
    from rich.console import Console
    from rich.table import Table

    from game.study import StudyInterrupted, sweep
    from game.study.terminal import ci, pct

    out = default_out(args, "sweep")
    try:
        res = sweep(
            scenario_path(args),
            params=args.param,
            out=out,
            sample_uncertain=args.sample_uncertain,
            **play_kwargs(args),
        )
    except StudyInterrupted as exc:
        interrupted(exc.result.played.runs, out)
        raise
    if args.json:
        print_json(res.summary)
        return 0
    names = [p["path"] for p in res.summary["params"]]
    t = Table(
        title=f"Outcome probabilities ({res.summary['runs']:,} runs per point, 95% CI)",
        title_justify="left",
    )
    for n in names:
        t.add_column(n, justify="right")
    outcomes = res.played.scenarios[0].outcomes
    for o in outcomes:
        t.add_column(o.name, justify="right")
    for pt in res.points:
        cells = [str(pt["values"][n]) for n in names]
        cells += [
            f"{pct(pt['outcomes'][o.id]['p'])} ({ci(pt['outcomes'][o.id]['ci95'])})"
            for o in outcomes
        ]
        t.add_row(*cells)
    console = Console()
    console.print(t)
    console.print(f"Wrote {out}/: " + ", ".join(f.name for f in res.files))
    return 0
