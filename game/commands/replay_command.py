"""``ingavi replay``: the war played by the historical orders, turn by turn, beside history.

Prints each turn's date, marches, battles (strengths, losses, commanders lost),
occupations, risings and the treaty, with what really happened in those days and its
source beside it.  ``--study DIR --run N`` replays run N of a study with the study's own
scenario, seed and policies; ``--gui`` opens the replay window instead.
"""

from __future__ import annotations

import argparse
from typing import Any

from game.commands.common import add_scenario_args, load_from_args, print_json, scenario_path
from game.commands.study_command import policies_from_args
from game.errors import UsageError
from game.rng import RUN_LIMIT


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "replay",
        help="replay the war by the historical orders, turn by turn, beside what happened",
        description="Play both sides' historical orders and print the chronicle turn by "
        "turn (marches, battles with strengths and losses, commanders lost, occupations, "
        "risings, the treaty), with what really happened in those days and its source "
        "beside each turn. The same seed and run always give the same war.",
    )
    add_scenario_args(p)
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help="seed of the dice (default: the scenario's meta.default_seed)",
    )
    p.add_argument(
        "--run",
        type=int,
        default=None,
        metavar="N",
        help="run id whose dice to use: run N of a study with the same seed (default 0)",
    )
    p.add_argument(
        "--study",
        default=None,
        metavar="DIR",
        help="replay run --run of the study in DIR, with its scenario, seed and policies",
    )
    p.add_argument(
        "--explain", action="store_true", help="show each side's orders and why they were given"
    )
    p.add_argument(
        "--fallback",
        choices=("heuristic", "hold"),
        default="heuristic",
        help="what forces without a legal recorded order do: heuristic (the 'historical' "
        "policy, default) or hold (stand and defend)",
    )
    p.add_argument(
        "--difficulty",
        default="normal",
        metavar="LEVEL",
        help="difficulty of the heuristic fallback (default normal)",
    )
    p.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="SIDE=POLICY",
        help="with --study: the policy a side of the study was played by, when it is "
        "module:factory code (a study folder never makes Ingavi import code; naming it "
        "here says you trust it)",
    )
    p.add_argument("--gui", action="store_true", help="open the replay window instead of printing")
    p.add_argument(
        "--json", action="store_true", help="print the chronicle as one JSON object on stdout"
    )
    p.set_defaults(func=run)


def _check(args: argparse.Namespace) -> None:
    if args.study and (args.scenario or args.overlay or args.sets):
        raise UsageError(
            "--study replays the study's own scenario: give no SCENARIO, --overlay or --set"
        )
    if args.study and args.seed is not None:
        raise UsageError("--study replays with the study's seed: --seed cannot be given")
    if args.policy and not args.study:
        raise UsageError("--policy is for --study (the historical replay plays the record)")
    if args.study and args.run is None:
        raise UsageError("--study needs --run N: which run of the study to replay")
    if args.run is not None and not 0 <= args.run < RUN_LIMIT:
        raise UsageError(f"--run must be between 0 and {RUN_LIMIT - 1:,}, got {args.run}")
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise UsageError(f"--seed must be between 0 and 2**63-1, got {args.seed}")
    if args.gui and args.json:
        raise UsageError("--gui and --json cannot be combined")


RECORD = ("historical", "game.history.record_policies:recorded")
"""Policy names that play the scenario's recorded orders (their refusals are logged)."""


def _setup(args: argparse.Namespace) -> dict[str, Any]:
    """Return the scenario, policies, seed, run and options the replay plays."""
    from game.game import ScenarioSource
    from game.history.record_policies import make_all
    from game.study.policy_names import make

    if args.study:
        from game.history.study_run import read_study

        study = read_study(args.study)
        study.check_run(args.run)
        names = study.policies_to_play(policies_from_args(args))
        scn = study.load()
        policies = {
            scn.side_index[s]: make(name, scn.side_index[s], scn, study.difficulty)
            for s, name in names.items()
        }
        audit = tuple(scn.side_index[s] for s, name in study.policies.items() if name in RECORD)
        label = f"Run {args.run} of the study in {args.study}"
        return {
            "scn": scn,
            "policies": policies,
            "seed": study.seed,
            "run": args.run,
            "sample_uncertain": study.sample_uncertain,
            "source": study.source,
            "label": label,
            "audit": audit,
        }
    scn = load_from_args(args)
    seed = scn.model.meta.default_seed if args.seed is None else args.seed
    return {
        "scn": scn,
        "policies": make_all(args.fallback, scn, args.difficulty),
        "seed": seed,
        "run": args.run or 0,
        "sample_uncertain": False,
        "source": ScenarioSource(str(scenario_path(args)), tuple(args.overlay), tuple(args.sets)),
        "label": "The war as it was fought",
        "audit": tuple(range(scn.S)),
    }


def run(args: argparse.Namespace) -> int:
    """Replay the war and print it (or open it in the window)."""
    _check(args)
    s = _setup(args)
    if args.gui:
        from game.ui import open_replay

        open_replay(
            s["scn"],
            s["policies"],
            s["seed"],
            s["run"],
            sample_uncertain=s["sample_uncertain"],
            source=s["source"],
            label=s["label"],
        )
        return 0
    from rich.console import Console

    from game.history.replay import replay, to_json
    from game.history.replay_view import print_end, print_prelude, print_turn

    console = Console()
    scn = s["scn"]
    if not args.json:
        console.print(
            f"[bold]{scn.model.meta.title}[/bold] — {s['label']}, seed {s['seed']}, run {s['run']}"
        )
        print_prelude(console, scn)

    def show(turn: Any) -> None:
        if not args.json:
            print_turn(console, scn, turn, explain=args.explain)

    ch = replay(
        scn,
        s["policies"],
        s["seed"],
        run=s["run"],
        sample_uncertain=s["sample_uncertain"],
        explain=args.explain,
        on_turn=show,
        audit=s["audit"],
    )
    if args.json:
        print_json(to_json(ch))
    else:
        print_end(console, ch)
    return 0
