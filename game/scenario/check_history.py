"""Cross-reference checks of the historical record and the historical orders."""

from __future__ import annotations

from game.scenario.check_base import Context
from game.scenario.check_events import check_condition
from game.scenario.schema import HistoricalOrder, RecordEntry

MOVES = frozenset({"march", "forced_march", "attack", "retreat"})
"""Orders that go somewhere, and so need ``to``."""


def check_record(ctx: Context) -> None:
    """Record entries lie in the war (or before it, marked prelude) and name real things."""
    start = ctx.model.meta.start
    for i, entry in enumerate(ctx.model.history.record):
        loc = ("history", "record", i)
        if entry.prelude and entry.date >= start:
            ctx.add(
                (*loc, "prelude"),
                f"a prelude entry comes before the war, but this one is dated {entry.date}, "
                f"on or after the start {start}",
                "remove 'prelude: true', or correct the date",
            )
        elif not entry.prelude and entry.date < start:
            ctx.add(
                (*loc, "date"),
                f"date {entry.date} lies before the war, which starts {start}",
                "mark it 'prelude: true' if it belongs to the war's prelude",
            )
        elif not entry.prelude:
            ctx.in_war(entry.date, (*loc, "date"), "date")
        if entry.end_date is not None and entry.end_date > ctx.model.meta.end:
            ctx.in_war(entry.end_date, (*loc, "end_date"), "end_date")
        ctx.ref("province", entry.place, (*loc, "place"))
        ctx.ref("side", entry.attacker, (*loc, "attacker"))
        ctx.ref("side", entry.winner, (*loc, "winner"))
        ctx.ref("side", entry.occupier, (*loc, "occupier"))
        ctx.ref("premise", entry.premise, (*loc, "premise"))
        for key in ("strengths", "killed", "casualties"):
            for side in getattr(entry, key):
                ctx.ref("side", side, (*loc, key, side), at_key=True)
        _check_present(ctx, entry, loc)
    totals = ctx.model.history.totals
    if totals is not None:
        for side in totals.strength:
            ctx.ref("side", side, ("history", "totals", "strength", side), at_key=True)
    ctx.ref("outcome", ctx.model.history.outcome, ("history", "outcome"))


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


def _check_join(ctx: Context, order: HistoricalOrder, loc: tuple[str | int, ...]) -> None:
    """A join names another force of the same side (and party) with 'with'."""
    if order.order != "join":
        if order.with_ is not None:
            ctx.add((*loc, "with"), f"{_a(order.order)} order takes no 'with'", "remove 'with'")
        return
    if order.with_ is None:
        ctx.add(loc, "a join order needs 'with', the force it joins")
        return
    if not ctx.ref("force", order.with_, (*loc, "with")):
        return
    joiner, host = ctx.item("force", order.force), ctx.item("force", order.with_)
    if joiner is None or host is None:
        return
    if joiner.id == host.id:
        ctx.add((*loc, "with"), f"force '{joiner.id}' cannot join itself", "name another force")
    elif joiner.side != host.side:
        ctx.add(
            (*loc, "with"),
            f"'{host.id}' is a force of the other side ('{host.side}')",
            f"a force of '{joiner.side}' joins only a force of '{joiner.side}'",
        )
    elif joiner.party != host.party:
        ctx.add(
            (*loc, "with"),
            f"'{joiner.id}' and '{host.id}' serve different parties "
            f"({joiner.party or joiner.side} and {host.party or host.side})",
            "a force joins only a force of its own party",
        )


def check_orders(ctx: Context) -> None:
    """Historical orders name real forces and targets, lie in the war, one per force a turn."""
    first: dict[tuple[str, int], int] = {}
    for i, order in enumerate(ctx.model.history.orders):
        loc = ("history", "orders", i)
        ctx.ref("force", order.force, (*loc, "force"))
        ctx.ref("province", order.to, (*loc, "to"))
        ctx.ref("premise", order.premise, (*loc, "premise"))
        if order.order in MOVES and order.to is None:
            ctx.add(loc, f"{_a(order.order)} order needs 'to', the province it goes to")
        elif order.order not in MOVES and order.to is not None:
            hint = "a join names the force it joins with 'with'" if order.order == "join" else ""
            ctx.add((*loc, "to"), f"{_a(order.order)} order takes no 'to'", hint or "remove 'to'")
        _check_join(ctx, order, loc)
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


def check_premises(ctx: Context) -> None:
    """Premises test real things; blocks name real forces, lie in the war, never overlap.

    Two blocks may not govern the same force in the same turn (which premise would
    decide?); an order inside a block may carry a premise of its own, and then both must
    hold.
    """
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for i, prem in enumerate(ctx.model.history.premises):
        loc = ("history", "premises", i)
        check_condition(ctx, prem.when, (*loc, "when"))
        ctx.refs("force", prem.forces, (*loc, "forces"))
        ctx.in_war(prem.from_, (*loc, "from"), "block start")
        ctx.in_war(prem.until, (*loc, "until"), "block end")
        if prem.from_ is None or prem.until is None:
            continue
        first, last = ctx.turn(prem.from_), ctx.turn(prem.until)
        for j, fid in enumerate(prem.forces):
            for a, b, k in spans.get(fid, []):
                if a <= last and first <= b:
                    ctx.add(
                        (*loc, "forces", j),
                        f"force '{fid}' is already governed by the block of premise "
                        f"'{ctx.model.history.premises[k].id}' in some of these turns",
                        "one block per force and turn: split the spans, or join the premises "
                        "with all:",
                    )
            spans.setdefault(fid, []).append((first, last, i))
