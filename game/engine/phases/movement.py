"""Phase 2: orders take effect and forces march, day by day.

Forces walk the shortest route to their destination, link by link, at their arm's pace
(faster on a forced march, at a price in stragglers and cohesion).  Marching day by day
rather than jumping whole links per turn is what lets battles happen on the day armies
meet, and lets a column stop where it runs into the enemy instead of passing through.
Two columns moving in opposite directions along the same link pass each other; contact
happens only in provinces.
"""

from __future__ import annotations

import numpy as np

from game import rng
from game.engine.codes import KIND_NAMES, NONE, ForceStatus, OrderKind
from game.engine.context import Phase, TurnContext
from game.engine.forces import lose_men, presence
from game.engine.orders import NO_ORDER, Orders, check
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario


def _kind_speed(scn: CompiledScenario) -> np.ndarray:
    speed = np.ones(len(KIND_NAMES))
    for name, k in KIND_NAMES.items():
        speed[k] = scn.rules.kinds[name].speed  # type: ignore[index]
    return speed


def apply_orders(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, orders: Orders
) -> None:
    """Turn each side's legal orders into standing destinations (illegal ones are ignored)."""
    ok = np.zeros(st.men.shape, bool)
    for s in range(scn.S):
        ok |= (check(scn, st, s, orders) == 0) & (scn.force_side == s)[None, :]
    active = (st.status == ForceStatus.ACTIVE) & ctx.live[:, None]
    kind = np.where(ok & active, orders.kind, NO_ORDER)
    tgt = orders.target
    on_road = st.nxt != NONE

    hold = (kind == OrderKind.HOLD) | (kind == OrderKind.GARRISON)
    st.dest[hold] = np.where(on_road[hold], st.nxt[hold], NONE)
    st.garrisoned[hold] = kind[hold] == OrderKind.GARRISON
    st.forced[hold] = False

    go = np.isin(
        kind, [OrderKind.MARCH, OrderKind.FORCED_MARCH, OrderKind.ATTACK, OrderKind.RETREAT]
    )
    here = go & ~on_road & (tgt == st.loc)
    st.dest[go] = np.where(here[go], NONE, tgt[go])
    st.forced[go] = kind[go] == OrderKind.FORCED_MARCH
    st.garrisoned[go] = False
    ctx.attack_intent |= kind == OrderKind.ATTACK


def _start_legs(scn: CompiledScenario, st: CampaignState, ctx: TurnContext, mv: np.ndarray) -> None:
    at_dest = mv & (st.nxt == NONE) & (st.loc == st.dest)
    st.dest[at_dest] = NONE
    start = mv & (st.nxt == NONE) & (st.dest != NONE) & ~at_dest
    if not start.any():
        return
    r, f = np.nonzero(start)
    hop = scn.next_hop[st.loc[r, f], st.dest[r, f]]
    st.nxt[r, f] = hop
    st.progress[r, f] = 0.0
    ctx.came_from[r, f] = st.loc[r, f]
    first = ~ctx.moved[r, f]
    ctx.moved[r, f] = True
    if ctx.record_moves and first.any():
        ctx.rec("departures").add(
            run=r[first], force=f[first], origin=st.loc[r, f][first], dest=st.dest[r, f][first]
        )


def _leaving_contact(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Forces that march out of a province shared with the enemy lose stragglers to it."""
    pres = presence(scn, st)
    both = (pres > 0).all(axis=2)  # [R, P]
    loc = np.where(st.loc >= 0, st.loc, 0)
    in_contact = np.take_along_axis(both, loc.astype(np.int64), axis=1)
    leaving = (
        in_contact
        & (st.status == ForceStatus.ACTIVE)
        & (st.nxt == NONE)
        & (st.dest != NONE)
        & (st.dest != st.loc)
        & ctx.live[:, None]
    )
    if leaving.any():
        lost = np.floor(st.men * scn.rules.movement.retreat_loss * leaving)
        lose_men(scn, st, ctx, lost, "captured")


def move(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """March every force with a destination, one day at a time, stopping at contact."""
    _leaving_contact(scn, st, ctx)
    mvr = scn.rules.movement
    speed = _kind_speed(scn)[scn.kind][None, :] * np.where(st.forced, mvr.forced_speed, 1.0)
    marched = np.zeros(st.men.shape, np.float32)
    for day in range(scn.turn_days):
        mv = (
            (st.status == ForceStatus.ACTIVE)
            & ctx.live[:, None]
            & ((st.dest != NONE) | (st.nxt != NONE))
        )
        if not mv.any():
            break
        _start_legs(scn, st, ctx, mv)
        road = mv & (st.nxt != NONE)
        st.progress[road] += speed[road].astype(np.float32)
        marched[road] += 1.0
        r, f = np.nonzero(road)
        length = scn.link_days[st.loc[r, f], st.nxt[r, f]]
        arr = st.progress[r, f] >= length - 1e-6
        ra, fa = r[arr], f[arr]
        st.loc[ra, fa] = st.nxt[ra, fa]
        st.nxt[ra, fa] = NONE
        st.progress[ra, fa] = 0.0
        ctx.arrived_day[ra, fa] = day
        done = st.loc[ra, fa] == st.dest[ra, fa]
        st.dest[ra[done], fa[done]] = NONE
        _contact(scn, st, ctx, day, ra, fa, done)
    _forced_march_toll(scn, st, ctx, marched)


def _contact(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    day: int,
    ra: np.ndarray,
    fa: np.ndarray,
    done: np.ndarray,
) -> None:
    pres = presence(scn, st)
    contested = (pres > 0).all(axis=2) & ctx.live[:, None]
    new = contested & (ctx.contact_day == NONE)
    ctx.contact_day[new] = day
    if ra.size:
        stop = contested[ra, st.loc[ra, fa]]
        st.dest[ra[stop], fa[stop]] = NONE
        if ctx.record_moves:
            ctx.rec("arrivals_on_march").add(
                run=ra, force=fa, province=st.loc[ra, fa], day=day, contact=stop, done=done
            )


def _forced_march_toll(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, marched: np.ndarray
) -> None:
    mvr = scn.rules.movement
    toll = st.forced & (marched > 0) & ctx.live[:, None]
    if not toll.any():
        return
    share = mvr.forced_loss * marched / scn.turn_days
    expected = st.men * share * toll
    u = rng.uniform(ctx.key(Phase.MOVEMENT, np.arange(scn.F)))
    lost = np.floor(expected) + (u < expected - np.floor(expected))
    lose_men(scn, st, ctx, lost, "deserted")
    st.cohesion[toll] = np.maximum(
        st.cohesion[toll] - mvr.forced_cohesion * (marched[toll] / scn.turn_days), 0.05
    )
