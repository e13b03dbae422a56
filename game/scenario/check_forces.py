"""Cross-reference checks of commanders and forces."""

from __future__ import annotations

import datetime as dt
from typing import Any

from game.scenario.check_base import Context, party_side
from game.scenario.schema import Scenario
from game.scenario.yamldoc import Path_


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


NEUTRAL: dict[str, float] = {
    "leadership": 0.0,
    "initiative": 0.0,
    "exposure": 1.0,
    "quality": 1.0,
    "training": 0.0,
    "morale": 0.0,
}
"""The value of each rating when nothing is known about the man or the body of troops."""


def first_battles(model: Scenario) -> dict[str, dt.date]:
    """Return each commander's first recorded battle date (commanders with none left out)."""
    first: dict[str, dt.date] = {}
    for entry in model.history.record:
        if entry.kind != "battle":
            continue
        for cids in entry.commanders.values():
            for cid in cids:
                if cid not in first or entry.date < first[cid]:
                    first[cid] = entry.date
    return first


def check_evidence(ctx: Context) -> None:
    """Every rating that is not neutral rests on evidence from before the event it affects.

    The evidence must be dated before the commander's first recorded battle (for a force,
    its commander's), or before the war for a man or a body of troops with no recorded
    battle: ratings are inputs, and an input set from the result it affects is hindsight.
    A scenario with no historical record (an invented war, a test) cannot carry hindsight,
    and is not checked.
    """
    if not ctx.model.history.record:
        return
    first = first_battles(ctx.model)
    start = ctx.model.meta.start
    for kind, items in (("commanders", ctx.model.commanders), ("forces", ctx.model.forces)):
        for i, item in enumerate(items):
            cid = item.id if kind == "commanders" else item.commander
            deadline = first.get(cid, start) if cid is not None else start
            _check_item(ctx, item, (kind, i), deadline)


def _check_item(ctx: Context, item: Any, loc: Path_, deadline: dt.date) -> None:
    covered: set[str] = set()
    for j, ev in enumerate(item.evidence):
        here = (*loc, "evidence", j)
        for k, name in enumerate(ev.ratings):
            if name not in type(item).model_fields:
                ctx.add((*here, "ratings", k), f"a {loc[0][:-1]} has no rating '{name}'")
        covered.update(ev.ratings)
        if ev.date is not None and not ev.what_if and ev.date >= deadline:
            ctx.add(
                (*here, "date"),
                f"evidence of {ev.date} comes after the event it should predict ({deadline})",
                "use what was known before the first recorded battle (or the war), or make "
                "the rating neutral",
            )
    for name, neutral in NEUTRAL.items():
        value = getattr(item, name, None)
        if value is None or value == neutral or name in covered:
            continue
        ctx.add(
            (*loc, name),
            f"{name} {value:g} of '{item.id}' rests on no evidence",
            f"add an 'evidence' entry naming '{name}' with a source and a date before "
            f"{deadline}, or make it neutral ({neutral:g})",
            what_if=True,
        )
