"""Cross-reference checks of commanders and forces."""

from __future__ import annotations

from game.scenario.check_base import Context, party_side


def check_commanders(ctx: Context) -> None:
    """A commander's side exists; his historical fate lies in a real place, after the start.

    A fate may come after the war's end (a general who survived it died years later), but
    not before its start: a man dead before the war would not be in the scenario.
    """
    for i, cmd in enumerate(ctx.model.commanders):
        loc = ("commanders", i)
        ctx.ref("side", cmd.side, (*loc, "side"))
        if cmd.fate is not None:
            ctx.ref("province", cmd.fate.place, (*loc, "fate", "place"))
            ctx.in_war(cmd.fate.date, (*loc, "fate", "date"), "fate date", after_end=True)


def check_forces(ctx: Context) -> None:
    """A force's side, commander and places exist, and its commander serves its side."""
    led_by: dict[str, str] = {}
    sides = {c.id: c.side for c in ctx.model.commanders}
    for i, force in enumerate(ctx.model.forces):
        loc = ("forces", i)
        ctx.ref("side", force.side, (*loc, "side"))
        if force.party is not None and ctx.ref("party", force.party, (*loc, "party")):
            home = party_side(ctx, force.party)
            if home != force.side:
                ctx.add(
                    (*loc, "party"),
                    f"party '{force.party}' is an ally of '{home}', not of '{force.side}'",
                    f"a force of '{force.side}' can belong only to a party of '{force.side}'",
                )
        ctx.ref("province", force.start, (*loc, "start"))
        if force.arrival is not None:
            ctx.ref("province", force.arrival.at, (*loc, "arrival", "at"))
            ctx.in_war(force.arrival.date, (*loc, "arrival", "date"), "arrival date")
        cid = force.commander
        if cid is None or not ctx.ref("commander", cid, (*loc, "commander")):
            continue
        if sides[cid] != force.side:
            ctx.add(
                (*loc, "commander"),
                f"'{cid}' is a commander of the other side ('{sides[cid]}')",
                f"a force of '{force.side}' needs a commander of '{force.side}'",
            )
        if cid in led_by:
            ctx.add(
                (*loc, "commander"),
                f"commander '{cid}' already leads force '{led_by[cid]}'",
                "a commander leads one force at a time",
            )
        led_by.setdefault(cid, force.id)
