"""``ingavi battle``: the odds of one battle, from the resolver the game itself uses.

A calculator for players, scenario writers and anyone checking the combat model: give
the two sides and the ground, get the chance of each outcome, the spread of casualties,
the risk to each commander and every modifier that went into it.  The odds come from
resolving the battle many times with preview dice, exactly as the game's odds panel does.

Ratings (quality, leadership, training, morale) that are not given are unknown, and
unknown ratings are drawn in every sample from the record of the battles armies chose
to fight (:mod:`game.engine.combat.prior`): the side that attacked had, on the whole,
an edge that numbers do not show.  ``--ratings equal`` gives instead the resolver's
conditional odds, every rating not given taken as average.
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
from pathlib import Path
from typing import Any

from game.errors import UsageError

_POSTURES = ("meeting", "hasty", "prepared", "fortified")
_SIDES = (("attacker", "att"), ("defender", "def"))
_RATINGS = ("quality", "leadership", "training", "morale")
_NEUTRAL = {"quality": 1.0, "leadership": 0.0, "training": 0.0, "morale": 0.0}
_RECORD = {
    "attacker": "the record of armies that chose to attack",
    "defender": "the record of armies that were attacked",
}
CSV_COLUMNS = (
    "winner",
    "att_killed",
    "att_wounded",
    "att_captured",
    "def_killed",
    "def_wounded",
    "def_captured",
    "hours",
)
"""Columns of ``--samples-csv``, one row per sampled battle."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "battle",
        help="show the odds of one battle (outcomes, casualties, commanders, modifiers)",
        description="Resolve one battle many times with the game's combat model and show "
        "the distribution of outcomes and every modifier. Ratings run from -2 to 2; "
        "quality 1.0 is average line infantry. A rating not given is unknown and drawn "
        "in every sample from the record of pre-1900 battles (CDB90): for the attacker, "
        "from armies that chose to attack; for the defender, from armies that were "
        "attacked. --ratings equal takes every rating not given as average instead.",
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
    p.add_argument(
        "--ratings",
        choices=("record", "equal"),
        default="record",
        help="ratings not given: drawn from the historical record (default) or taken as "
        "average (equal: the resolver's conditional odds)",
    )
    for side, _ in _SIDES:
        p.add_argument(
            f"--{side}-quality",
            type=float,
            default=None,
            metavar="Q",
            help=f"{side}'s quality (1 is average line infantry; default unknown)",
        )
        for rating in ("leadership", "training", "morale"):
            p.add_argument(
                f"--{side}-{rating}",
                type=float,
                default=None,
                metavar="R",
                help=f"{side}'s {rating}, -2..2 (default unknown)",
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
    p.add_argument(
        "--samples-csv",
        metavar="FILE",
        help="also write every sampled battle to FILE, one row each: " + ", ".join(CSV_COLUMNS),
    )
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
    for side, _ in _SIDES:
        bounds += [(f"{side}_{r}", -2.0, 2.0) for r in ("leadership", "training", "morale")]
        bounds += [
            (f"{side}_quality", 0.01, 10.0),
            (f"{side}_cavalry", 0.0, 1.0),
            (f"{side}_exposure", 0.0, 10.0),
        ]
    for name, lo, hi in bounds:
        value = getattr(args, name)
        if value is not None and not lo <= value <= hi:  # also rejects NaN
            option = "--" + name.replace("_", "-")
            raise UsageError(f"{option} must be between {lo:g} and {hi:g}, got {value:g}")


def _drawn(args: argparse.Namespace) -> dict[str, list[str]]:
    """Return the ratings of each side that are unknown and drawn from the record."""
    if args.ratings == "equal":
        return {side: [] for side, _ in _SIDES}
    return {
        side: [r for r in _RATINGS if getattr(args, f"{side}_{r}") is None] for side, _ in _SIDES
    }


def _battle(args: argparse.Namespace) -> tuple[Any, int]:
    """Return the battle's input (ratings not given at their neutral value) and its mask."""
    from game.codes import Posture
    from game.engine.combat import BattleInput
    from game.engine.combat.prior import field_bit

    values: dict[str, object] = {}
    for side, short in _SIDES:
        for field in ("cavalry", "exposure"):
            values[f"{short}_{field}"] = getattr(args, f"{side}_{field}")
        for r in _RATINGS:
            given = getattr(args, f"{side}_{r}")
            values[f"{short}_{r}"] = _NEUTRAL[r] if given is None else given
    mask = 0
    for (_, short), fields in zip(_SIDES, _drawn(args).values(), strict=True):
        for r in fields:
            mask |= field_bit(short, r)
    inp = BattleInput.build(
        att_men=args.attacker_men,
        def_men=args.defender_men,
        keys=0,
        posture=int(Posture[args.posture.upper()]),
        terrain=args.terrain,
        surprise=args.surprise,
        **values,
    )
    return inp, mask


def _ratings_note(drawn: dict[str, list[str]], mode: str) -> str:
    """Return one sentence saying which ratings were drawn, and from what."""
    parts = [
        f"{side}'s {', '.join(fields)} drawn from {_RECORD[side]}"
        for side, fields in drawn.items()
        if fields
    ]
    if parts:
        return "ratings unknown: " + "; ".join(parts) + " (CDB90, battles before 1900)"
    if mode == "equal":
        return "ratings not given are taken as average (the resolver's conditional odds)"
    return "every rating given"


def _csv_target(path: str) -> Path:
    """Return where ``--samples-csv`` writes, refusing a directory or an unwritable place."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"--samples-csv {path} is a directory; give a file name")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"--samples-csv {path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise UsageError(f"--samples-csv {path}: not writable")
    return target


def _write_samples(target: Path, res: Any) -> None:
    """Write one row per sampled battle, atomically (a crash leaves no half file)."""
    names = {1: "attacker", -1: "defender", 0: "draw"}
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"--samples-csv {target}: cannot write ({exc.strerror})") from exc
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(CSV_COLUMNS)
            cols = [res.winner.tolist()] + [getattr(res, c).tolist() for c in CSV_COLUMNS[1:]]
            for row in zip(*cols, strict=True):
                out.writerow([names[row[0]], *row[1:]])
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"--samples-csv {target}: cannot write ({exc.strerror})") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Compute the odds and print them as tables, or as one JSON object with --json."""
    from game.engine.combat import CombatParams, effectiveness, modifiers
    from game.engine.combat.odds import sample, summarise

    _check(args)
    target = _csv_target(args.samples_csv) if args.samples_csv else None
    params = CombatParams.default()
    inp, mask = _battle(args)
    _, res = sample(inp, params, args.samples, args.seed, unknown=mask)
    result = summarise(inp, res, args.samples)[0]
    if target is not None:
        _write_samples(target, res)
    drawn = _drawn(args)
    note = _ratings_note(drawn, args.ratings)
    mods = modifiers(inp, params)
    e_att, e_def = effectiveness(inp, params)
    power = float(e_att[0] * args.attacker_men / (e_def[0] * args.defender_men))
    if args.json:
        from game.commands.common import print_json

        print_json(
            {
                **result.to_dict(),
                "ratings": {"mode": args.ratings, "drawn": drawn, "note": note},
                "attacker_effectiveness": float(e_att[0]),
                "defender_effectiveness": float(e_def[0]),
                "power_ratio": power,
                "modifiers": [
                    {"name": m.name, "attacker": m.attacker, "defender": m.defender, "note": m.note}
                    for m in mods
                ],
                "seed": args.seed,
                "samples_csv": str(target) if target is not None else None,
            }
        )
        return 0
    _print_tables(args, result, mods, (float(e_att[0]), float(e_def[0]), power), note)
    return 0


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _print_tables(
    args: argparse.Namespace,
    result: Any,
    mods: list[Any],
    eff: tuple[float, float, float],
    note: str,
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
    console.print(f"{note[0].upper()}{note[1:]}.")
    console.print(
        f"Draw (nobody breaks): {_pct(result.p_draw)}.  Median length: "
        f"{result.median_hours:g} h.  {result.samples:,} samples, seed {args.seed}."
    )
    if args.samples_csv:
        console.print(f"Every sample written to {args.samples_csv}.")

    table = Table(title="Modifiers given (x per-man effectiveness; drawn ratings not shown)")
    for col in ("factor", "attacker", "defender", "note"):
        table.add_column(col, justify="right" if col in ("attacker", "defender") else "left")
    for m in mods:
        table.add_row(m.name, f"{m.attacker:.2f}", f"{m.defender:.2f}", m.note)
    e_att, e_def, power = eff
    table.add_row("combined", f"{e_att:.2f}", f"{e_def:.2f}", "before each side's hidden fortune")
    console.print(table)
    console.print(f"Combat power ratio (effectiveness x men), attacker : defender = {power:.2f}")
