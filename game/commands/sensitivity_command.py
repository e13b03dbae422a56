"""``ingavi sensitivity SCENARIO``: which uncertain inputs drive the outcome most.

Plays a study drawing every uncertain value (strength ranges) per run, then ranks the
inputs by how much each outcome's probability swings between the lowest and the highest
fifth of the input's range; prints the ranking and writes a tornado chart per outcome.
"""

from __future__ import annotations

import argparse

from game.commands.common import print_json, scenario_path
from game.commands.study_command import add_play_args, default_out, interrupted, play_kwargs
from game.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "sensitivity",
        help="which uncertain inputs drive the outcome most (tornado chart)",
        description="Play a study drawing every uncertain scenario value per run, and rank "
        "the inputs by the swing in each outcome's probability between the lowest and "
        "highest fifth of their ranges; writes tornado_<outcome>.png and summary.json.",
    )
    add_play_args(p)
    p.add_argument(
        "--outcome",
        default=None,
        metavar="ID",
        help="outcome to rank the inputs by (default: the one nearest 50%%)",
    )
    p.add_argument("--top", type=int, default=10, metavar="N", help="inputs to list (default 10)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Play the study and print the inputs that matter most."""
    from rich.console import Console

    from game.scenario.load import load_scenario
    from game.study import StudyInterrupted
    from game.study import run as run_study
    from game.study.chunk import uncertain_forces
    from game.study.terminal import drivers_table, footer

    if uncertain_forces(load_scenario(scenario_path(args))).size == 0:
        raise UsageError("this scenario has no uncertain values to sample (no strength ranges)")
    out = default_out(args, "sensitivity")
    try:
        res = run_study(scenario_path(args), sample_uncertain=True, out=out, **play_kwargs(args))
    except StudyInterrupted as exc:
        interrupted(exc.result.runs, out)
        raise
    summary = res.summary
    outcomes = summary["outcomes"]
    target = args.outcome or min(outcomes, key=lambda k: abs(outcomes[k]["p"] - 0.5))
    if target not in outcomes:
        raise UsageError(f"no outcome '{target}' (outcomes: {', '.join(outcomes)})")
    if args.json:
        print_json(
            {
                k: summary[k]
                for k in (
                    "command",
                    "scenario",
                    "seed",
                    "runs",
                    "outcomes",
                    "drivers",
                    "elapsed_s",
                    "runs_per_s",
                )
            }
        )
        return 0
    console = Console()
    console.print(drivers_table(summary["drivers"], target, outcomes[target]["name"], args.top))
    console.print(footer(summary))
    console.print(f"Wrote {out}/: " + ", ".join(f.name for f in res.files))
    return 0
