"""Phase 6: supply and attrition.

Armies of the 1840s lived on mule trains from depots and on what the country gave.  A
force is in supply if a chain of provinces held by its side links it to one of its supply
sources (capital, depots, ports) within a number of march days.  Every force loses men
each week to the country itself (altitude and cold on the altiplano, heat and thirst in
the coastal desert), to desertion (worse with low cohesion and low will, and abroad), and,
out of supply, to hunger in proportion to how little the land can feed it.  Losses are
expected values with the fraction of the last man drawn from the keyed stream, so a small
column does not lose men on a fixed schedule.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game import rng
from game.engine.codes import KIND_NAMES, ForceStatus
from game.engine.context import Phase, TurnContext
from game.engine.forces import lose_men
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]


def supply_distance(scn: CompiledScenario, owner: npt.NDArray[np.int8], side: int) -> F64:
    """Return march days from each province to ``side``'s nearest supply source ``[R, P]``.

    The chain runs through provinces the side holds; a province held by the enemy can
    still be reached from a neighbouring one (the last step may be into enemy land).
    Runs that share a map of ownership share the answer, so it is computed once per
    distinct map: early in a war, ten thousand runs have only a handful.
    """
    own = owner == side
    if own.shape[1] <= 63:
        bits = own.astype(np.uint64) << np.arange(own.shape[1], dtype=np.uint64)[None, :]
        _, first, inverse = np.unique(bits.sum(axis=1), return_index=True, return_inverse=True)
        patterns = owner[first]
    else:
        patterns, inverse = np.unique(own, axis=0, return_inverse=True)
        patterns = np.where(patterns, side, 1 - side).astype(np.int8)
    return _distance(scn, patterns, side)[inverse.reshape(-1)]


def _distance(scn: CompiledScenario, owner: npt.NDArray[np.int8], side: int) -> F64:
    P = owner.shape[1]
    own = owner == side
    src = scn.supply_source.copy()
    src[scn.capital[side]] = True
    dist = np.where(own & src[None, :], 0.0, np.inf)
    valid = scn.nbr >= 0
    nb = np.where(valid, scn.nbr, 0)
    days = np.where(valid, scn.nbr_days, np.inf)
    for _ in range(P):
        best = (dist[:, nb] + days[None, :, :]).min(axis=2)
        new = np.where(own, np.minimum(dist, best), np.inf)
        if np.array_equal(new, dist):
            break
        dist = new
    reach = (dist[:, nb] + days[None, :, :]).min(axis=2)
    return np.where(own, dist, reach)


def _kind(scn: CompiledScenario, attr: str) -> F64:
    out = np.zeros(len(KIND_NAMES))
    for name, k in KIND_NAMES.items():
        out[k] = getattr(scn.rules.kinds[name], attr)  # type: ignore[index]
    return out


def supply(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Mark forces in or out of supply, take the week's attrition, restore cohesion."""
    rules = scn.rules.supply
    active = (st.status == ForceStatus.ACTIVE) & ctx.live[:, None]
    loc = np.where(st.loc >= 0, st.loc, 0).astype(np.int64)
    supplied = np.zeros(st.men.shape, bool)
    for s in range(scn.S):
        d = supply_distance(scn, st.owner, s)
        mine = scn.force_side == s
        supplied[:, mine] = np.take_along_axis(d, loc[:, mine], axis=1) <= rules.range_days
    st.supplied = np.where(ctx.live[:, None], supplied, st.supplied)
    weeks = scn.turn_days / 7.0
    terrain = scn.terrain[loc]
    side = scn.force_side[None, :]
    will = np.take_along_axis(st.will, np.broadcast_to(side, st.men.shape).astype(np.int64), axis=1)
    home = scn.home[side, loc]
    share = (
        scn.terrain_attrition[terrain]
        + rules.desertion * (1.0 + 2.0 * (1.0 - st.cohesion)) * (1.5 - will)
        + rules.foreign_desertion * ~home * _kind(scn, "supply_need")[scn.kind][None, :]
        + rules.out_of_supply
        * ~supplied
        * (1.0 - scn.terrain_forage[terrain])
        * _kind(scn, "supply_need")[scn.kind][None, :]
    ) * weeks
    expected = np.where(active, st.men * np.clip(share, 0.0, 1.0), 0.0)
    u = rng.uniform(ctx.key(Phase.SUPPLY, np.arange(scn.F)))
    lost = np.floor(expected) + (u < expected - np.floor(expected))
    lose_men(scn, st, ctx, lost, "deserted")
    rest = active & supplied & ~ctx.fought & ~ctx.moved
    st.cohesion[rest] = np.minimum(st.cohesion[rest] + rules.cohesion_recovery * weeks, 1.0)
    hungry = active & ~supplied
    st.cohesion[hungry] = np.maximum(st.cohesion[hungry] - 0.05 * weeks, 0.05)
