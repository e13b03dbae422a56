"""``ingavi tournament [SCENARIO]``: every policy against every other, on both sides.

Each ordered pair of different policies (and, with ``--mirror``, each policy against
itself) plays ``--games`` wars from the same seeds, the first on the scenario's first
side; :mod:`game.study.tournament` plays them and keeps the tally (wins and draws with
Wilson 95% intervals, and how passive each side was).  This module reads the arguments
and prints the results.

With ``--json`` one JSON object is printed on stdout: ``matches`` is a list of
``{<side id>: policy, ..., games, <side id>_wins, ..., draws}`` plus the intervals and
passivity figures; a progress bar runs on stderr either way.
"""

from __future__ import annotations

import argparse
from typing import Any

from game.commands.common import add_scenario_args, load_from_args, print_json
from game.errors import UsageError

DEFAULT_POLICIES = "random,heuristic,lookahead"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "tournament",
        help="play every policy against every other on both sides; win rates with 95%% CIs",
        description="Play every ordered pair of policies (the first on the scenario's first "
        "side) for a number of games from the same seeds, and report wins, draws and losses "
        "with 95% confidence intervals and how passive each side was.",
    )
    add_scenario_args(p)
    p.add_argument(
        "--policies",
        default=DEFAULT_POLICIES,
        metavar="P1,P2,...",
        help=f"policies to play (default {DEFAULT_POLICIES})",
    )
    p.add_argument("--games", type=int, default=100, metavar="N", help="games per pairing")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the first game")
    p.add_argument(
        "--difficulty",
        choices=("easy", "normal", "hard"),
        default="normal",
        help="difficulty of every policy (default normal)",
    )
    p.add_argument("--mirror", action="store_true", help="also play each policy against itself")
    p.add_argument(
        "--batch",
        type=int,
        default=50,
        metavar="N",
        help="games played at once, as one batch (default 50)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.set_defaults(func=run)


def _policy_names(args: argparse.Namespace) -> list[str]:
    """Return the policies to play, refusing arguments that cannot make a tournament."""
    from game.ai import POLICY_NAMES
    from game.rng import RUN_LIMIT
    from game.study.plan import MAX_CHUNK_SIZE

    names = [n.strip() for n in args.policies.split(",") if n.strip()]
    unknown = [n for n in names if n not in POLICY_NAMES]
    if unknown:
        raise UsageError(f"no policy {', '.join(unknown)} (choose from {', '.join(POLICY_NAMES)})")
    if len(set(names)) != len(names):
        raise UsageError("--policies lists a policy twice")
    if len(names) < 2 and not args.mirror:
        raise UsageError("--policies needs at least two policies (or --mirror)")
    if args.games < 1 or args.batch < 1:
        raise UsageError("--games and --batch must be at least 1")
    if args.games >= RUN_LIMIT:
        raise UsageError(f"--games must be below {RUN_LIMIT:,} (games are numbered as runs)")
    if args.batch > MAX_CHUNK_SIZE:
        raise UsageError(
            f"--batch must be between 1 and {MAX_CHUNK_SIZE:,} (a batch is held in memory)"
        )
    if not 0 <= args.seed < 2**63:
        raise UsageError(f"--seed must be between 0 and 2**63-1, got {args.seed}")
    return names


def run(args: argparse.Namespace) -> int:
    """Play every pairing and print the results."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from game.study.tournament import Match, pairings, play_match

    names = _policy_names(args)
    scn = load_from_args(args)
    sides = scn.side_ids
    pairs = pairings(names, args.mirror)
    err = Console(stderr=True)
    matches: list[Match] = []
    total = len(pairs) * args.games * scn.n_turns
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("tournament", total=total)
        for pair in pairs:
            bar.update(task, description=" vs ".join(pair))
            matches.append(
                play_match(
                    scn,
                    pair,
                    args.games,
                    args.seed,
                    args.difficulty,
                    args.batch,
                    lambda n: bar.advance(task, n),
                )
            )
    report = {
        "scenario": scn.model.meta.id,
        "seed": args.seed,
        "games": args.games,
        "difficulty": args.difficulty,
        "sides": list(sides),
        "policies": names,
        "matches": [m.as_dict(sides) for m in matches],
    }
    if args.json:
        print_json(report)
        return 0
    _print(report, sides)
    return 0


def _print(report: dict[str, Any], sides: tuple[str, ...]) -> None:
    """Print the matches as a table, and each policy's record on each side."""
    from rich.console import Console
    from rich.table import Table

    def rate(k: int, n: int, interval: list[float]) -> str:
        return f"{k}/{n} ({100 * interval[0]:.0f}–{100 * interval[1]:.0f}%)"

    t = Table(
        title=f"Tournament: {report['scenario']}, {report['games']} games a pairing, "
        f"seed {report['seed']} (95% CIs)",
        title_justify="left",
        caption="passive: turns with an enemy seen next to an own force and no attack; "
        "objectives lost: objectives held at the start of a turn and lost without a battle "
        "(both per game, for each side in turn)",
        caption_justify="left",
    )
    for s in sides:
        t.add_column(s)
    for s in sides:
        t.add_column(f"{s} wins", justify="right")
    t.add_column("draws", justify="right")
    t.add_column("passive/game", justify="right")
    t.add_column("objectives lost/game", justify="right")
    for m in report["matches"]:
        n = m["games"]
        t.add_row(
            *(m[s] for s in sides),
            *(rate(m[f"{s}_wins"], n, m["ci95"][f"{s}_wins"]) for s in sides),
            rate(m["draws"], n, m["ci95"]["draws"]),
            " / ".join(f"{m['passive_turns_per_game'][s]:.1f}" for s in sides),
            " / ".join(f"{m['objectives_abandoned_per_game'][s]:.2f}" for s in sides),
        )
    Console().print(t)
