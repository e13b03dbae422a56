"""``ingavi battle``: the odds of one battle, from the resolver the game itself uses.

A calculator for players, scenario writers and anyone checking the combat model: give
the two sides and the ground, get the chance of each outcome, the spread of casualties,
the risk to each commander and every modifier that went into it.  The odds come from
resolving the battle many times with preview dice, exactly as the game's odds panel does.
"""

from __future__ import annotations

import argparse
from typing import Any

from game.errors import UsageError

_POSTURES = ("meeting", "hasty", "prepared", "fortified")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "battle",
        help="show the odds of one battle (outcomes, casualties, commanders, modifiers)",
        description="Resolve one battle many times with the game's combat model and show "
        "the distribution of outcomes and every modifier. Ratings run from -2 to 2; "
        "quality 1.0 is average line infantry.",
    )
    p.add_argument("--attacker-men", type=int, required=True, metavar="N", help="men attacking")
    p.add_argument("--defender-men", type=int, required=True, metavar="N", help="men defending")
    p.add_argument(
        "--posture", choices=_POSTURES, default="hasty", help="defender's posture (default hasty)"
    )
    p.add_argument(
        "--terrain",
        type=float,
        default=1.0,
        metavar="T",
        help="defender's terrain multiplier, at least 0.5 (1 open, 1.1 broken, 1.2 heights)",
    )
    p.add_argument(
        "--surprise",
        type=float,
        default=0.0,
        metavar="S",
        help="attacker's surprise, -3..3 (negative: the defender's ambush)",
    )
    for side in ("attacker", "defender"):
        p.add_argument(
            f"--{side}-quality", type=float, default=1.0, metavar="Q", help=f"{side}'s quality"
        )
        for rating in ("leadership", "training", "morale"):
            p.add_argument(
                f"--{side}-{rating}",
                type=float,
                default=0.0,
                metavar="R",
                help=f"{side}'s {rating}, -2..2",
            )
        p.add_argument(
            f"--{side}-cavalry",
            type=float,
            default=0.0,
            metavar="C",
            help=f"share of horsemen in the {side}'s force, 0..1",
        )
        p.add_argument(
            f"--{side}-exposure",
            type=float,
            default=1.0,
            metavar="X",
            help=f"how much the {side}'s commander exposes himself (0: no commander)",
        )
    p.add_argument("--samples", type=int, default=2000, metavar="N", help="battles to sample")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the preview dice")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _check(args: argparse.Namespace) -> None:
    """Reject values the model cannot take, with a message naming the option."""
    bounds: list[tuple[str, float, float]] = [
        ("attacker_men", 1, 10_000_000),
        ("defender_men", 1, 10_000_000),
        ("terrain", 0.5, 10.0),
        ("surprise", -3.0, 3.0),
        ("samples", 1, 1_000_000),
        ("seed", 0, 2**64 - 1),
    ]
    for side in ("attacker", "defender"):
        bounds += [(f"{side}_{r}", -2.0, 2.0) for r in ("leadership", "training", "morale")]
        bounds += [
            (f"{side}_quality", 0.01, 10.0),
            (f"{side}_cavalry", 0.0, 1.0),
            (f"{side}_exposure", 0.0, 10.0),
        ]
    for name, lo, hi in bounds:
        value = getattr(args, name)
        if not lo <= value <= hi:  # also rejects NaN
            option = "--" + name.replace("_", "-")
            raise UsageError(f"{option} must be between {lo:g} and {hi:g}, got {value:g}")


def _battle(args: argparse.Namespace) -> Any:
    from game.codes import Posture
    from game.engine.combat import BattleInput

    values: dict[str, object] = {}
    for side, short in (("attacker", "att"), ("defender", "def")):
        for field in ("quality", "leadership", "training", "morale", "cavalry", "exposure"):
            values[f"{short}_{field}"] = getattr(args, f"{side}_{field}")
    return BattleInput.build(
        att_men=args.attacker_men,
        def_men=args.defender_men,
        keys=0,
        posture=int(Posture[args.posture.upper()]),
        terrain=args.terrain,
        surprise=args.surprise,
        **values,
    )


def run(args: argparse.Namespace) -> int:
    """Compute the odds and print them as tables, or as one JSON object with --json."""
    from game.engine.combat import CombatParams, effectiveness, modifiers, odds

    _check(args)
    params = CombatParams.default()
    inp = _battle(args)
    result = odds(inp, params, samples=args.samples, key=args.seed)[0]
    mods = modifiers(inp, params)
    e_att, e_def = effectiveness(inp, params)
    power = float(e_att[0] * args.attacker_men / (e_def[0] * args.defender_men))
    if args.json:
        from game.commands.common import print_json

        print_json(
            {
                **result.to_dict(),
                "attacker_effectiveness": float(e_att[0]),
                "defender_effectiveness": float(e_def[0]),
                "power_ratio": power,
                "modifiers": [
                    {"name": m.name, "attacker": m.attacker, "defender": m.defender, "note": m.note}
                    for m in mods
                ],
                "seed": args.seed,
            }
        )
        return 0
    _print_tables(args, result, mods, (float(e_att[0]), float(e_def[0]), power))
    return 0


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _print_tables(
    args: argparse.Namespace, result: Any, mods: list[Any], eff: tuple[float, float, float]
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    title = (
        f"{args.attacker_men:,} attack {args.defender_men:,} "
        f"({args.posture} defence, terrain x{args.terrain:g}, surprise {args.surprise:g})"
    )
    outcome = Table(title=title)
    for col in ("", "attacker", "defender"):
        outcome.add_column(col, justify="right" if col else "left")
    outcome.add_row("wins", _pct(result.p_attacker_wins), _pct(result.p_defender_wins))
    for label, attr in (("casualties, median", "median"), ("p10", "p10"), ("p90", "p90")):
        outcome.add_row(
            label,
            _pct(getattr(result.attacker_casualty_fraction, attr)),
            _pct(getattr(result.defender_casualty_fraction, attr)),
        )
    outcome.add_row(
        "killed, expected",
        f"{result.expected_attacker_killed:,.0f}",
        f"{result.expected_defender_killed:,.0f}",
    )
    outcome.add_row(
        "commander killed or taken",
        _pct(result.p_attacker_commander_lost),
        _pct(result.p_defender_commander_lost),
    )
    console.print(outcome)
    console.print(
        f"Draw (nobody breaks): {_pct(result.p_draw)}.  Median length: "
        f"{result.median_hours:g} h.  {result.samples:,} samples, seed {args.seed}."
    )

    table = Table(title="Modifiers (x per-man effectiveness)")
    for col in ("factor", "attacker", "defender", "note"):
        table.add_column(col, justify="right" if col in ("attacker", "defender") else "left")
    for m in mods:
        table.add_row(m.name, f"{m.attacker:.2f}", f"{m.defender:.2f}", m.note)
    e_att, e_def, power = eff
    table.add_row("combined", f"{e_att:.2f}", f"{e_def:.2f}", "before each side's hidden fortune")
    console.print(table)
    console.print(f"Combat power ratio (effectiveness x men), attacker : defender = {power:.2f}")
