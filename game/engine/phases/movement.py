"""Phase 2: orders take effect and forces march, day by day.

Forces walk the shortest route to their destination, link by link, at their arm's pace
(faster on a forced march, at a price in stragglers and cohesion).  Marching day by day
rather than jumping whole links per turn is what lets battles happen on the day armies
meet, and lets a column stop where it runs into the enemy instead of passing through.
Two columns moving in opposite directions along the same link pass each other; contact
happens only in provinces.

The daily loop is compiled (:mod:`game.engine.phases.marching`): one call per batch, with
the loop over runs, days and forces inside.  Joins are followed before it and merged
after it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.codes import NONE, ForceStatus
from game.engine.context import TurnContext
from game.engine.forces import pairs
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
    """Turn each side's legal orders into standing destinations (illegal ones are ignored).

    One compiled call writes them (:func:`game.engine.phases.marching.stand`).
    """
    from game.engine.phases.marching import stand

    r, f = pairs((orders.kind != NO_ORDER) & ctx.live[:, None])
    if r.size == 0:
        return
    refused = check(scn, st, scn.force_side[f].astype(np.int64), orders, (r, f))
    stand(
        r,
        f,
        refused,
        (orders.kind, orders.target),
        (st.nxt, st.loc, st.joining, st.dest, st.garrisoned, st.forced),
        ctx.attack_intent,
    )


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


def move(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """March every force with a destination, one day at a time, stopping at contact.

    The march is one compiled call for the whole batch
    (:func:`game.engine.phases.marching.march`); this records what it reports.
    """
    from game.engine.phases.marching import march

    follow_joins(scn, st, ctx)
    mvr = scn.rules.movement
    departures, arrivals = march(
        ctx.live,
        ctx.keys,
        st.status,
        st.loc,
        st.nxt,
        st.dest,
        st.progress,
        st.men,
        st.forced,
        st.cohesion,
        st.captured,
        st.deserted,
        ctx.lost_men,
        ctx.moved,
        ctx.came_from,
        ctx.arrived_day,
        ctx.contact_day,
        scn.force_side.astype(np.int64),
        kind_speed(scn),
        scn.side_next_hop,
        scn.side_link_days,
        (
            float(mvr.forced_speed),
            float(mvr.retreat_loss),
            float(mvr.forced_loss),
            float(mvr.forced_cohesion),
        ),
        int(scn.turn_days),
        bool(ctx.record_moves),
    )
    if len(departures):
        d = departures.T
        ctx.rec("departures").add(run=d[1], force=d[2], origin=d[3], dest=d[4])
    if len(arrivals):
        a = arrivals.T
        ctx.rec("arrivals_on_march").add(
            run=a[1], force=a[2], province=a[3], day=a[0], contact=a[4] == 1, done=a[5] == 1
        )
    merge_joins(scn, st, ctx)
