"""Phase 2: orders take effect and forces march, day by day.

Forces walk the shortest route to their destination, link by link, at their arm's pace
(faster on a forced march, at a price in stragglers and cohesion).  Marching day by day
rather than jumping whole links per turn is what lets battles happen on the day armies
meet, and lets a column stop where it runs into the enemy instead of passing through.
Two columns moving in opposite directions along the same link pass each other; contact
happens only in provinces.

For speed the daily loop works on the list of marching (run, force) pairs only, and keeps
the men each side has standing in each province up to date as columns leave and arrive,
so finding contact costs nothing for the forces that stay put.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import rng
from game.codes import NONE, ForceStatus, OrderKind
from game.engine.context import Phase, TurnContext
from game.engine.forces import contested, pairs, presence, take_men
from game.engine.kinds import kind_table
from game.engine.orders import NO_ORDER, Orders, check
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

I64 = npt.NDArray[np.int64]


def kind_speed(scn: CompiledScenario) -> npt.NDArray[np.float64]:
    """Return the marching pace of each force slot relative to line infantry."""
    return kind_table(scn, "speed")[scn.kind]


def apply_orders(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, orders: Orders
) -> None:
    """Turn each side's legal orders into standing destinations (illegal ones are ignored)."""
    r, f = pairs((orders.kind != NO_ORDER) & ctx.live[:, None])
    if r.size == 0:
        return
    ok = check(scn, st, scn.force_side[f].astype(np.int64), orders, (r, f)) == 0
    slot = (r * scn.F + f)[ok]  # positions in the flattened [R, F] arrays
    kind = np.take(orders.kind, slot)
    tgt = np.take(orders.target, slot)
    nxt = np.take(st.nxt, slot)
    on_road = nxt != NONE
    # A join's target is the force it joins: the march is set by follow_joins, once every
    # order is in (the other force may be setting out too); any other order ends a join.
    join = kind == OrderKind.JOIN
    np.put(st.joining, slot, np.where(join, tgt, NONE))
    tgt = np.where(join, NONE, tgt)
    # Hold and garrison keep a force where it stands (or bound for the end of its road);
    # the other orders set out for the target, unless the force is standing there.
    hold = (kind == OrderKind.HOLD) | (kind == OrderKind.GARRISON)
    here = ~on_road & (tgt == np.take(st.loc, slot))
    dest = np.where(hold, np.where(on_road, nxt, NONE), np.where(here, NONE, tgt))
    np.put(st.dest, slot, dest)
    np.put(st.garrisoned, slot, kind == OrderKind.GARRISON)
    np.put(st.forced, slot, kind == OrderKind.FORCED_MARCH)
    np.put(ctx.attack_intent, slot[kind == OrderKind.ATTACK], True)


def _partner_place(scn: CompiledScenario, st: CampaignState, r: I64, g: I64) -> I64:
    """Return where the forces ``g`` of runs ``r`` stand, or the end of their road."""
    nxt = st.nxt[r, g].astype(np.int64)
    return np.where(nxt != NONE, nxt, st.loc[r, g].astype(np.int64))


def follow_joins(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Point every standing join at where the force it joins is going, or stands.

    Called when the turn's orders are in, so a column joining a force that sets out this
    turn heads for that force's destination and they meet there.  A join whose partner
    has left the map (destroyed, or withdrawn) lapses, and the force stops at the end of
    the link it is on.
    """
    r, f = pairs((st.joining != NONE) & ctx.live[:, None] & (st.status == ForceStatus.ACTIVE))
    if r.size == 0:
        return
    g = st.joining[r, f].astype(np.int64)
    gone = st.status[r, g] != ForceStatus.ACTIVE
    st.joining[r[gone], f[gone]] = NONE
    on_road = st.nxt[r[gone], f[gone]]
    st.dest[r[gone], f[gone]] = on_road  # finish the link it is on, then stand
    keep = ~gone
    r, f, g = r[keep], f[keep], g[keep]
    bound = st.dest[r, g].astype(np.int64)
    where = np.where(bound != NONE, bound, _partner_place(scn, st, r, g))
    standing_there = (st.nxt[r, f] == NONE) & (st.loc[r, f] == where)
    st.dest[r, f] = np.where(standing_there, NONE, where)


def merge_joins(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Merge every joining force that stands with the force it joins into that force.

    The men take on the quality, training and morale of the force they join; its cohesion
    becomes the average of both, weighted by men; the better of the two commanders (by
    leadership; the host's on a tie) leads it.  A force joined by another that is itself
    joining a third merges first, and those that were joining it follow it on.
    """
    for _ in range(scn.F):
        joining = (st.joining != NONE) & ctx.live[:, None] & (st.status == ForceStatus.ACTIVE)
        r, f = pairs(joining)
        if r.size == 0:
            return
        g = st.joining[r, f].astype(np.int64)
        together = (
            (st.status[r, g] == ForceStatus.ACTIVE)
            & (st.nxt[r, f] == NONE)
            & (st.nxt[r, g] == NONE)
            & (st.loc[r, f] == st.loc[r, g])
        )
        # A host that is itself merging this round waits: its joiners follow it next round.
        host_merging = np.zeros(st.joining.shape, bool)
        host_merging[r[together], f[together]] = True
        ready = together & ~host_merging[r, g]
        if not ready.any():
            return
        _merge(scn, st, ctx, r[ready], f[ready], g[ready])


def _merge(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, r: I64, f: I64, g: I64
) -> None:
    men_f = st.men[r, f].astype(np.float64)
    weight = np.zeros(st.men.shape)
    np.add.at(weight, (r, g), men_f)
    coh = np.zeros(st.men.shape)
    np.add.at(coh, (r, g), men_f * st.cohesion[r, f])
    hosts = weight > 0
    host_men = st.men.astype(np.float64)
    total = host_men + weight
    st.cohesion = np.where(
        hosts, (st.cohesion * host_men + coh) / np.maximum(total, 1.0), st.cohesion
    ).astype(np.float32)
    np.add.at(st.men, (r, g), st.men[r, f])
    cf, cg = st.commander[r, f].astype(np.int64), st.commander[r, g].astype(np.int64)
    lead = np.append(np.asarray(scn.leadership), -np.inf)  # the pad stands for "none"
    better = lead[np.where(cf != NONE, cf, scn.C)] > lead[np.where(cg != NONE, cg, scn.C)]
    st.commander[r[better], g[better]] = cf[better]
    province = st.loc[r, f].astype(np.int64)
    men = st.men[r, f].copy()
    day = np.maximum(np.maximum(ctx.arrived_day[r, f], ctx.arrived_day[r, g]), 0)
    st.men[r, f] = 0
    st.status[r, f] = ForceStatus.JOINED
    st.commander[r, f] = NONE
    st.dest[r, f] = NONE
    st.joining[r, f] = NONE
    # those that were joining a force that has now merged follow it to its host
    into = np.full(st.joining.shape, NONE, np.int64)
    into[r, f] = g
    j = st.joining.astype(np.int64)
    rows = np.arange(st.runs)[:, None]
    moved_on = np.where(j != NONE, into[rows, np.maximum(j, 0)], NONE)
    st.joining = np.where(moved_on != NONE, moved_on, j).astype(np.int16)
    ctx.rec("joins").add(run=r, force=f, into=g, province=province, men=men, day=day)


@dataclass
class _Column:
    """The marching (run, force) pairs of one turn, as flat arrays.

    ``slot`` is each pair's position in the flattened ``[R, F]`` arrays and ``base`` its
    side's entry for province 0 of its run in the flattened ``[R, P, S]`` presence
    (province ``p`` is ``base + p * S``), so the daily loop reads and writes with 1-D
    indices instead of building them from (run, force) pairs every day.
    """

    r: I64
    f: I64
    slot: I64
    base: I64
    side: I64
    loc: I64
    nxt: I64
    dest: I64
    progress: npt.NDArray[np.float64]
    speed: npt.NDArray[np.float64]
    marched: npt.NDArray[np.float64]
    length: npt.NDArray[np.float64]
    men: I64


def _columns(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> _Column:
    moving = (st.status == ForceStatus.ACTIVE) & ctx.live[:, None]
    moving &= (st.dest != NONE) | (st.nxt != NONE)
    r, f = pairs(moving)
    slot = r * scn.F + f
    pace = kind_speed(scn)[f] * np.where(
        np.take(st.forced, slot), scn.rules.movement.forced_speed, 1.0
    )
    loc = np.take(st.loc, slot).astype(np.int64)
    nxt = np.take(st.nxt, slot).astype(np.int64)
    side = scn.force_side[f].astype(np.int64)
    return _Column(
        r=r,
        f=f,
        slot=slot,
        base=r * (scn.P * scn.S) + side,
        side=side,
        loc=loc,
        nxt=nxt,
        dest=np.take(st.dest, slot).astype(np.int64),
        progress=np.take(st.progress, slot).astype(np.float64),
        speed=pace,
        marched=np.zeros(r.size),
        length=np.where(
            nxt >= 0,
            np.take(scn.side_link_days, (side * scn.P + loc) * scn.P + np.maximum(nxt, 0)),
            0.0,
        ),
        men=np.take(st.men, slot).astype(np.int64),
    )


def move(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """March every force with a destination, one day at a time, stopping at contact."""
    follow_joins(scn, st, ctx)
    pres = presence(scn, st)
    ctx.contact_day[contested(pres) & ctx.live[:, None]] = 0
    col = _columns(scn, st, ctx)
    if col.r.size:
        _leaving_contact(scn, st, ctx, col, pres)
        col.men = np.take(st.men, col.slot).astype(np.int64)
        for day in range(scn.turn_days):
            if not _march_day(scn, st, ctx, col, pres, day):
                break
        _write_back(st, col)
        _forced_march_toll(scn, st, ctx, col)
    merge_joins(scn, st, ctx)


def _leaving_contact(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, col: _Column, pres: I64
) -> None:
    """Forces that march out of a province shared with the enemy lose stragglers to it."""
    standing = col.nxt == NONE
    leaving = standing & (col.dest != NONE) & (col.dest != col.loc)
    leaving &= pres[col.r, col.loc, 1 - col.side] > 0
    if leaving.any():
        i = np.flatnonzero(leaving)
        r, f = col.r[i], col.f[i]
        lost = np.floor(st.men[r, f] * scn.rules.movement.retreat_loss).astype(np.int64)
        take_men(scn, st, ctx, r, f, lost, "captured")
        np.subtract.at(pres.reshape(-1), col.base[i] + col.loc[i] * scn.S, lost)


def _march_day(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    col: _Column,
    pres: I64,
    day: int,
) -> bool:
    """Advance every column one day; return False once nobody is marching."""
    standing = col.nxt == NONE
    col.dest[standing & (col.loc == col.dest)] = NONE  # arrived: the march is over
    active = (col.dest != NONE) | ~standing
    if not active.any():
        return False
    start = active & standing
    if start.any():
        _start_legs(scn, ctx, col, pres, start)
    road = active & (col.nxt != NONE)
    np.add(col.progress, col.speed, out=col.progress, where=road)
    np.add(col.marched, 1.0, out=col.marched, where=road)
    arrive = road & (col.progress >= col.length - 1e-6)
    if arrive.any():
        _arrive(scn, ctx, col, pres, arrive, day)
    return True


def _start_legs(
    scn: CompiledScenario,
    ctx: TurnContext,
    col: _Column,
    pres: I64,
    start: npt.NDArray[np.bool_],
) -> None:
    i = np.flatnonzero(start)
    loc = col.loc[i]
    side = col.side[i]
    nxt = scn.side_next_hop[side, loc, col.dest[i]].astype(np.int64)
    col.nxt[i] = nxt
    col.length[i] = scn.side_link_days[side, loc, nxt]
    col.progress[i] = 0.0
    np.subtract.at(pres.reshape(-1), col.base[i] + loc * scn.S, col.men[i])
    slot = col.slot[i]
    np.put(ctx.came_from, slot, loc)
    first = ~np.take(ctx.moved, slot)
    np.put(ctx.moved, slot, True)
    if ctx.record_moves and first.any():
        j = i[first]
        ctx.rec("departures").add(run=col.r[j], force=col.f[j], origin=col.loc[j], dest=col.dest[j])


def _arrive(
    scn: CompiledScenario,
    ctx: TurnContext,
    col: _Column,
    pres: I64,
    arrive: npt.NDArray[np.bool_],
    day: int,
) -> None:
    i = np.flatnonzero(arrive)
    p = col.nxt[i]
    col.loc[i] = p
    col.nxt[i] = NONE
    col.progress[i] = 0.0
    flat = pres.reshape(-1)
    np.add.at(flat, col.base[i] + p * scn.S, col.men[i])
    np.put(ctx.arrived_day, col.slot[i], day)
    done = p == col.dest[i]
    col.dest[i[done]] = NONE
    r = col.r[i]
    first = (r * scn.P + p) * scn.S  # side 0 of the province; side 1 follows
    contact = (flat[first] > 0) & (flat[first + 1] > 0)
    fresh = contact & (ctx.contact_day[r, p] == NONE)
    ctx.contact_day[r[fresh], p[fresh]] = day
    col.dest[i[contact]] = NONE
    if ctx.record_moves:
        ctx.rec("arrivals_on_march").add(
            run=r, force=col.f[i], province=p, day=day, contact=contact, done=done
        )


def _write_back(st: CampaignState, col: _Column) -> None:
    np.put(st.loc, col.slot, col.loc)
    np.put(st.nxt, col.slot, col.nxt)
    np.put(st.dest, col.slot, col.dest)
    np.put(st.progress, col.slot, col.progress.astype(np.float32))


def _forced_march_toll(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, col: _Column
) -> None:
    """Forced marchers lose stragglers and cohesion in proportion to days marched."""
    mvr = scn.rules.movement
    toll = np.take(st.forced, col.slot) & (col.marched > 0)
    if not toll.any():
        return
    i = np.flatnonzero(toll)
    r, f = col.r[i], col.f[i]
    share = mvr.forced_loss * col.marched[i] / scn.turn_days
    expected = st.men[r, f] * share
    u = rng.uniform(ctx.keys[r], int(Phase.MOVEMENT), f)
    lost = (np.floor(expected) + (u < expected - np.floor(expected))).astype(np.int64)
    take_men(scn, st, ctx, r, f, lost, "deserted")
    drop = mvr.forced_cohesion * col.marched[i] / scn.turn_days
    st.cohesion[r, f] = np.maximum(st.cohesion[r, f] - drop, 0.05).astype(np.float32)
