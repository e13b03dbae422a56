"""Cross-reference checks of the historical record and the historical orders."""

from __future__ import annotations

from game.scenario.check_base import Context
from game.scenario.schema import RecordEntry

MOVES = frozenset({"march", "forced_march", "attack", "retreat"})
"""Orders that go somewhere, and so need ``to``."""


def check_record(ctx: Context) -> None:
    """Record entries lie in the war and name real places, sides and commanders."""
    for i, entry in enumerate(ctx.model.history.record):
        loc = ("history", "record", i)
        ctx.in_war(entry.date, (*loc, "date"), "date")
        ctx.in_war(entry.end_date, (*loc, "end_date"), "end_date")
        ctx.ref("province", entry.place, (*loc, "place"))
        ctx.ref("side", entry.attacker, (*loc, "attacker"))
        ctx.ref("side", entry.winner, (*loc, "winner"))
        for key in ("strengths", "killed", "casualties"):
            for side in getattr(entry, key):
                ctx.ref("side", side, (*loc, key, side), at_key=True)
        _check_present(ctx, entry, loc)
    totals = ctx.model.history.totals
    if totals is not None:
        for side in totals.strength:
            ctx.ref("side", side, ("history", "totals", "strength", side), at_key=True)


def _check_present(ctx: Context, entry: RecordEntry, loc: tuple[str | int, ...]) -> None:
    sides = {c.id: c.side for c in ctx.model.commanders}
    for side, cids in entry.commanders.items():
        here = (*loc, "commanders", side)
        if not ctx.ref("side", side, here, at_key=True):
            continue
        for j, cid in enumerate(cids):
            if ctx.ref("commander", cid, (*here, j)) and sides[cid] != side:
                ctx.add(
                    (*here, j),
                    f"'{cid}' is a commander of the other side ('{sides[cid]}')",
                    f"list him under '{sides[cid]}'",
                )


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def check_orders(ctx: Context) -> None:
    """Historical orders name real forces and targets, lie in the war, one per force a turn."""
    first: dict[tuple[str, int], int] = {}
    for i, order in enumerate(ctx.model.history.orders):
        loc = ("history", "orders", i)
        ctx.ref("force", order.force, (*loc, "force"))
        ctx.ref("province", order.to, (*loc, "to"))
        if order.order in MOVES and order.to is None:
            ctx.add(loc, f"{_a(order.order)} order needs 'to', the province it goes to")
        elif order.order not in MOVES and order.to is not None:
            ctx.add((*loc, "to"), f"{_a(order.order)} order takes no 'to'", "remove 'to'")
        ctx.in_war(order.date, (*loc, "date"), "order date")
        key = (order.force, ctx.turn(order.date))
        if key in first:
            ctx.add(
                (*loc, "date"),
                f"second historical order for force '{order.force}' in the turn of "
                f"{ctx.turn_start(key[1])}",
                "a force gets at most one order a turn",
                first=("history", "orders", first[key], "date"),
            )
        else:
            first[key] = i
