"""``ingavi tournament [SCENARIO]``: every policy against every other, on both sides.

Each ordered pair of different policies (and, with ``--mirror``, each policy against
itself) plays ``--games`` wars from the same seeds, the first on the scenario's first
side.  A game is won by the side its outcome names as winner (victory-point margins and
the scenario's other conditions); an outcome that names nobody (the status quo ante) is a
draw.  Win and draw rates come with Wilson 95% intervals.

Two measures of passivity are kept for each side: the turns in which it saw an enemy
force next to (or with) one of its own but attacked nowhere, and the objectives (the
scenario's ``war_aims.objectives``) it held at the start of a turn and lost during it
without a battle there.  Both are per game.

With ``--json`` one JSON object is printed on stdout: ``matches`` is a list of
``{<side id>: policy, ..., games, <side id>_wins, ..., draws}`` plus the intervals and
passivity figures; a progress bar runs on stderr either way.
"""

from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

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


@dataclass
class Match:
    """The tally of one pairing: who played which side, and what happened."""

    policies: tuple[str, ...]
    games: int = 0
    wins: list[int] = field(default_factory=list)
    draws: int = 0
    passive: list[int] = field(default_factory=list)
    abandoned: list[int] = field(default_factory=list)
    turns: int = 0
    treaties: int = 0
    seconds: float = 0.0

    def as_dict(self, sides: tuple[str, ...]) -> dict[str, Any]:
        """Return the JSON form, keyed by the scenario's side ids."""
        from game.study.intervals import wilson

        n = max(self.games, 1)
        out: dict[str, Any] = dict(zip(sides, self.policies, strict=True))
        out["games"] = self.games
        for i, s in enumerate(sides):
            out[f"{s}_wins"] = self.wins[i]
        out["draws"] = self.draws
        out["ci95"] = {
            **{f"{s}_wins": list(wilson(self.wins[i], self.games)) for i, s in enumerate(sides)},
            "draws": list(wilson(self.draws, self.games)),
        }
        out["passive_turns_per_game"] = {s: self.passive[i] / n for i, s in enumerate(sides)}
        out["objectives_abandoned_per_game"] = {
            s: self.abandoned[i] / n for i, s in enumerate(sides)
        }
        out["mean_turns"] = self.turns / n
        out["treaties"] = self.treaties
        out["seconds"] = round(self.seconds, 2)
        return out


def pairings(names: list[str], mirror: bool) -> list[tuple[str, str]]:
    """Return the ordered pairs to play (first name on the first side)."""
    pairs = list(itertools.permutations(names, 2))
    if mirror:
        pairs += [(n, n) for n in names]
    return pairs


def _adjacent_enemy(scn: Any, obs: Any) -> npt.NDArray[np.bool_]:
    """Return ``[R]``: a standing own force is with or next to a seen enemy force."""
    from game.codes import NONE, ForceStatus

    active = obs.status == ForceStatus.ACTIVE
    mine = active & obs.own[None, :] & (obs.nxt == NONE) & (obs.loc >= 0)
    foes = active & ~obs.own[None, :] & obs.seen & (obs.loc >= 0)
    R, P = obs.runs, scn.P
    at = np.zeros((R, P), bool)
    r, f = np.nonzero(mine)
    at[r, obs.loc[r, f]] = True
    near = np.zeros((R, P), bool)
    r, f = np.nonzero(foes)
    near[r, obs.loc[r, f]] = True
    adj = np.isfinite(np.asarray(scn.link_days)) | np.eye(P, dtype=bool)
    near = (near.astype(np.float32) @ adj.astype(np.float32)) > 0
    return (at & near).any(axis=1)


def _tally_turn(
    scn: Any, m: Match, before: Any, after: Any, orders: Any, report: Any, adjacent: list
) -> None:
    """Add one turn's passivity to the match (live runs only)."""
    from game.codes import OrderKind

    live = ~before.over
    # A treaty hands provinces back; that is the peace, not an abandoned objective.
    settled = after.over & ~after.truncated & live
    battles = report.table("battles")
    for s in range(scn.S):
        own = np.asarray(scn.force_side == s)
        attacked = (orders.kind[:, own] == OrderKind.ATTACK).any(axis=1)
        fought = np.zeros(before.runs, bool)
        if battles:
            np.logical_or.at(fought, battles["run"], battles["attacker"] == s)
        m.passive[s] += int((live & adjacent[s] & ~attacked & ~fought).sum())
        battle_at = np.zeros((before.runs, scn.P), bool)
        if battles:
            battle_at[battles["run"], battles["province"]] = True
        lost = (
            (before.owner == s)
            & (after.owner != s)
            & np.asarray(scn.objectives[s])[None, :]
            & ~battle_at
            & (live & ~settled)[:, None]
        )
        m.abandoned[s] += int(lost.sum())


def play_match(
    scn: Any,
    names: tuple[str, ...],
    games: int,
    seed: int,
    difficulty: str,
    batch: int,
    advance: Any = None,
) -> Match:
    """Play ``games`` wars of one pairing, ``batch`` at a time, and return the tally.

    ``advance(n)`` is called after every turn played, with the number of game-turns.
    """
    from game.ai import make_policy
    from game.engine.observe import observe
    from game.engine.state import initial_state
    from game.engine.turn import step
    from game.play_loop import decide_all

    m = Match(names, wins=[0] * scn.S, passive=[0] * scn.S, abandoned=[0] * scn.S)
    winner_of = np.array(
        [scn.side_index[o.winner] if o.winner is not None else -1 for o in scn.outcomes]
    )
    start = time.perf_counter()
    for lo in range(0, games, batch):
        ids = np.arange(lo, min(lo + batch, games))
        policies = {s: make_policy(names[s], s, scn, difficulty) for s in range(scn.S)}
        state = initial_state(scn, ids, seed)
        while not state.over.all() and state.turn < scn.n_turns:
            adjacent = [_adjacent_enemy(scn, observe(scn, state, s)) for s in range(scn.S)]
            orders = decide_all(scn, state, policies)
            after, report = step(scn, state, orders, record_moves=False)
            _tally_turn(scn, m, state, after, orders, report, adjacent)
            state = after
            if advance is not None:
                advance(ids.size)
        if advance is not None:
            advance(ids.size * (scn.n_turns - state.turn))
        won = winner_of[np.maximum(state.outcome, 0)]
        won = np.where(state.outcome >= 0, won, -1)
        for s in range(scn.S):
            m.wins[s] += int((won == s).sum())
        m.draws += int((won < 0).sum())
        m.games += ids.size
        end = np.where(state.end_day >= 0, state.end_day // scn.turn_days + 1, state.turn)
        m.turns += int(end.sum())
        m.treaties += int((state.over & ~state.truncated).sum())
    m.seconds = time.perf_counter() - start
    return m


def run(args: argparse.Namespace) -> int:
    """Play every pairing and print the results."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from game.ai import POLICY_NAMES

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
    if not 0 <= args.seed < 2**63:
        raise UsageError(f"--seed must be between 0 and 2**63-1, got {args.seed}")
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
