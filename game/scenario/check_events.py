"""Cross-reference checks of events, their conditions and effects, and the victory rules."""

from __future__ import annotations

from game.scenario.check_base import Context
from game.scenario.schema import Condition, Effect
from game.scenario.talks import check_talks
from game.scenario.yamldoc import Path_

_DIRECT: dict[str, str] = {
    "commander_dead": "commander",
    "commander_lost": "commander",
    "commander_captured": "commander",
    "party_left": "party",
    "force_destroyed": "force",
    "flag": "flag",
    "event_fired": "event",
}
"""Condition keys whose value is itself an id, and of what."""

_FIELDS: dict[str, str] = {
    "side": "side",
    "province": "province",
    "by": "side",
    "force": "force",
    "home_of": "side",
    "winner": "side",
    "loser": "side",
    "commander": "commander",
    "at": "province",
    "party": "party",
}
"""Fields of the keyed conditions and effects that hold ids, and of what."""


def check_condition(ctx: Context, cond: Condition | None, loc: Path_) -> None:
    """Check every id a condition (and its sub-conditions) refers to."""
    if cond is None:
        return
    key = cond.key()
    alias = type(cond).model_fields[key].alias or key
    value = getattr(cond, key)
    here = (*loc, alias)
    if key in _DIRECT:
        ctx.ref(_DIRECT[key], value, here)
    elif key in ("all", "any"):
        for i, sub in enumerate(value):
            check_condition(ctx, sub, (*here, i))
    elif key == "not_":
        check_condition(ctx, value, here)
    elif key == "some_of":
        for i, sub in enumerate(value.of):
            check_condition(ctx, sub, (*here, "of", i))
        if value.count > len(value.of):
            ctx.add((*here, "count"), f"can never hold: {value.count} of {len(value.of)}")
    elif key == "engagement":
        _check_fields(ctx, value, here)
        _check_engagement(ctx, value.id, (*here, "id"))
    elif key == "after" and value > ctx.model.meta.end:
        ctx.add(here, f"'after: {value}' never holds: the war ends {ctx.model.meta.end}")
    elif hasattr(type(value), "model_fields"):
        _check_fields(ctx, value, here)
        _check_counts(ctx, key, value, here)


def _check_engagement(ctx: Context, rid: str, loc: Path_) -> None:
    entry = ctx.item("record entry", rid) if ctx.ref("record entry", rid, loc) else None
    if entry is not None and entry.kind != "battle":
        ctx.add(loc, f"record entry '{rid}' is {entry.kind!r}, not a battle", "name a battle")


def _check_fields(ctx: Context, obj: object, loc: Path_) -> None:
    for name in getattr(type(obj), "model_fields", {}):
        val = getattr(obj, name)
        if name in _FIELDS:
            ctx.ref(_FIELDS[name], val, (*loc, name))
        elif name == "provinces":
            ctx.refs("province", val, (*loc, name))


def _check_counts(ctx: Context, key: str, value: object, loc: Path_) -> None:
    provinces = getattr(value, "provinces", [])
    at_least = getattr(value, "at_least", 0)
    if key == "holds" and at_least > len(provinces):
        ctx.add(
            (*loc, "at_least"),
            f"can never hold: at_least {at_least} of {len(provinces)} provinces",
        )
    if key == "forces_in" and not provinces and getattr(value, "home_of", None) is None:
        ctx.add(loc, "forces_in counts no province", "give 'provinces', 'home_of' or both")


def check_effect(ctx: Context, eff: Effect, loc: Path_) -> None:
    """Check the ids of one effect, and that a raised force waits for an event."""
    key = eff.key()
    alias = type(eff).model_fields[key].alias or key
    value = getattr(eff, key)
    here = (*loc, alias)
    if key == "leave_alliance":
        ctx.ref("party", value, here)
        return
    if not hasattr(type(value), "model_fields"):
        return  # open_talks, or set_flag (which defines a flag rather than using one)
    _check_fields(ctx, value, here)
    force = ctx.item("force", value.force) if key == "raise_" else None
    if force is not None and (force.arrival is None or not force.arrival.by_event):
        ctx.add(
            (*here, "force"),
            f"force '{value.force}' cannot be raised: it does not wait for an event",
            "give that force 'arrival: {by_event: true}' instead of 'start' or a date",
        )
    if key == "command":
        _check_command(ctx, value.force, value.commander, here)
    if key == "blockade":
        _check_ports(ctx, value.provinces, (*here, "provinces"))


def _check_ports(ctx: Context, ids: list[str], loc: Path_) -> None:
    ports = {p.id for p in ctx.model.map.provinces if p.supply_source}
    known = {p.id for p in ctx.model.map.provinces}
    for i, pid in enumerate(ids):
        if pid in known and pid not in ports:
            ctx.add(
                (*loc, i),
                f"'{pid}' supplies no one: a blockade closes ports that do",
                "name a province with 'supply_source: true'",
            )


def _check_command(ctx: Context, fid: str, cid: str, loc: Path_) -> None:
    forces = {f.id: f.side for f in ctx.model.forces}
    cmds = {c.id: c.side for c in ctx.model.commanders}
    if fid in forces and cid in cmds and forces[fid] != cmds[cid]:
        ctx.add(
            (*loc, "commander"),
            f"'{cid}' is a commander of the other side ('{cmds[cid]}')",
            f"force '{fid}' belongs to '{forces[fid]}'",
        )


def check_events(ctx: Context) -> None:
    """Each event's date lies in the war; its conditions and effects name real things."""
    for i, ev in enumerate(ctx.model.events):
        loc = ("events", i)
        ctx.in_war(ev.date, (*loc, "date"), "event date")
        check_condition(ctx, ev.when, (*loc, "when"))
        for j, eff in enumerate(ev.effects):
            check_effect(ctx, eff, (*loc, "effects", j))


def check_victory(ctx: Context) -> None:
    """Outcomes name real winners and conditions; the treaty is signed in a real place."""
    victory = ctx.model.victory
    for i, out in enumerate(victory.outcomes):
        loc = ("victory", "outcomes", i)
        ctx.ref("side", out.winner, (*loc, "winner"))
        check_condition(ctx, out.when, (*loc, "when"))
    ctx.ref("province", victory.peace.place, ("victory", "peace", "place"))
    check_condition(ctx, victory.peace.negotiate_when, ("victory", "peace", "negotiate_when"))
    ctx.ref("side", victory.peace.negotiate_side, ("victory", "peace", "negotiate_side"))
    for loc, message, hint in check_talks(ctx.model):
        ctx.add(loc, message, hint)
