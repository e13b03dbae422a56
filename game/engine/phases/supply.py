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

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import rng
from game.codes import ForceStatus
from game.engine.context import Phase, TurnContext
from game.engine.forces import pairs, take_men
from game.engine.kinds import kind_table
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
    nbr, nbr_days = scn.side_nbr[side], scn.side_nbr_days[side]  # links the side may use
    valid = nbr >= 0
    nb = np.where(valid, nbr, 0)
    days = np.where(valid, nbr_days, np.inf)
    for _ in range(P):
        best = (dist[:, nb] + days[None, :, :]).min(axis=2)
        new = np.where(own, np.minimum(dist, best), np.inf)
        if np.array_equal(new, dist):
            break
        dist = new
    reach = (dist[:, nb] + days[None, :, :]).min(axis=2)
    return np.where(own, dist, reach)


@dataclass(frozen=True)
class _Reach:
    """Link tables for finding, as bit masks, the provinces within supply range.

    With whole-day links, "within ``range_days`` march days of a source" is a question of
    reachability level by level: ``within[d]``, the own provinces at most ``d`` days from
    a source, is the sources plus every own province one link of ``w`` days from
    ``within[d - w]``.  A run's provinces fit in one ``uint64``, and "every province one
    ``w``-day link away from a set" is the OR of one table look-up per byte of the set's
    mask, so each level costs a few gathers over runs instead of relaxing a
    ``[runs, provinces, neighbours]`` array until it settles.  Distances of whole days
    are exact in any order of summing, so the answer is the float search's, bit for bit.
    """

    levels: int
    """Whole days of range: ``floor(range_days)``."""
    weights: tuple[int, ...]
    """Distinct link lengths, in days, no longer than the range."""
    step: npt.NDArray[np.uint64]
    """``[byte, weight, 256]``: the provinces one link of each weight from a byte's set."""
    sources: npt.NDArray[np.uint64]
    """``[S]``: each side's supply sources (depots, ports and its capital) as a mask."""


def _reach_tables(scn: CompiledScenario, side: int) -> _Reach | None:
    """Return ``side``'s :class:`_Reach` tables, or None if links are not whole days.

    Built once per compiled scenario and side (over the links the side may use) and kept
    in ``scn.extra``.  None (links of fractional days, more than 64 provinces, or a range
    so long that going level by level would cost more) sends :func:`forces_in_supply` to
    the general float search.
    """
    key = f"supply_reach_{side}"
    if key in scn.extra:
        return scn.extra[key]  # type: ignore[no-any-return]
    P = scn.P
    nbr, nbr_days = scn.side_nbr[side], scn.side_nbr_days[side]
    levels = int(np.floor(scn.rules.supply.range_days))
    valid = nbr >= 0
    days = nbr_days[valid]
    weights = tuple(int(w) for w in np.unique(days) if w <= levels)
    whole = bool(np.all(days == np.floor(days)))
    tables: _Reach | None = None
    if whole and 0 < P <= 64 and levels * max(len(weights), 1) <= 512:
        n_bytes = -(-P // 8)
        step = np.zeros((n_bytes, len(weights), 256), np.uint64)
        byte_values = np.arange(256)
        for i, w in enumerate(weights):
            for v in range(P):
                for k in np.flatnonzero(valid[v] & (nbr_days[v] == w)):
                    u = int(nbr[v, k])  # a link u -> v of w days
                    has_u = (byte_values >> (u % 8)) & 1 == 1
                    step[u // 8, i, has_u] |= np.uint64(1) << np.uint64(v)
        sources = np.zeros(scn.S, np.uint64)
        for s in range(scn.S):
            src = scn.supply_source.copy()
            src[scn.capital[s]] = True
            sources[s] = np.uint64(sum(1 << int(p) for p in np.flatnonzero(src)))
        tables = _Reach(levels, weights, step, sources)
    scn.extra[key] = tables
    return tables


def _one_link(reach: _Reach, mask: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Return ``[weight, U]``: the provinces one link of each weight from each mask's set."""
    out = np.zeros((len(reach.weights), mask.size), np.uint64)
    eight = np.uint64(8)
    byte = np.uint64(255)
    for b in range(reach.step.shape[0]):
        out |= np.take(reach.step[b], (mask >> (eight * np.uint64(b))) & byte, axis=1)
    return out


def supplied_masks(reach: _Reach, own: npt.NDArray[np.uint64], side: int) -> npt.NDArray[np.uint64]:
    """Return the provinces in ``side``'s supply range for each ownership mask ``own``.

    As :func:`supply_distance` ``<= range_days``: own provinces linked to a source
    through own land within the range, and any province one last link from such a chain.
    """
    src = own & reach.sources[side]
    one_link = []  # [d]: what lies one link of each weight from the own land within d days
    for d in range(reach.levels):
        within = src.copy()
        for i, w in enumerate(reach.weights):
            if w <= d:
                within |= one_link[d - w][i]
        one_link.append(_one_link(reach, within & own))
    edge = src.copy()
    for i, w in enumerate(reach.weights):
        edge |= one_link[reach.levels - w][i]
    return edge


def province_masks(held: npt.NDArray[np.bool_]) -> npt.NDArray[np.uint64]:
    """Return ``[R]``: each run's provinces where ``held[R, P]`` is set, as bits of a uint64."""
    packed = np.packbits(held, axis=1, bitorder="little")
    eight = np.zeros((held.shape[0], 8), np.uint8)
    eight[:, : packed.shape[1]] = packed
    return eight.view("<u8")[:, 0].astype(np.uint64)


def forces_in_supply(
    scn: CompiledScenario, owner: npt.NDArray[np.int8], loc: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Return ``[R, F]``: whether each force's province (``loc``, never -1) is in supply.

    Runs sharing a map of ownership share the answer, so it is worked out once per
    distinct map (early in a war, ten thousand runs have only a handful).
    """
    reaches = [_reach_tables(scn, s) for s in range(scn.S)]
    supplied = np.zeros(loc.shape, bool)
    if any(reach is None for reach in reaches):
        for s in range(scn.S):
            d = supply_distance(scn, owner, s)
            mine = scn.force_side == s
            supplied[:, mine] = (
                np.take_along_axis(d, loc[:, mine], axis=1) <= scn.rules.supply.range_days
            )
        return supplied
    place = np.uint64(1) << np.arange(scn.P, dtype=np.uint64)
    bit = place[loc]
    for s, reach in enumerate(reaches):
        patterns, inverse = np.unique(province_masks(owner == s), return_inverse=True)
        in_range = supplied_masks(reach, patterns, s)[inverse.reshape(-1)]  # type: ignore[arg-type]
        mine = scn.force_side == s
        supplied[:, mine] = (in_range[:, None] & bit[:, mine]) != 0
    return supplied


def supply(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Mark forces in or out of supply, take the week's attrition, restore cohesion."""
    rules = scn.rules.supply
    active = (st.status == ForceStatus.ACTIVE) & ctx.live[:, None]
    loc = np.where(st.loc >= 0, st.loc, 0).astype(np.int64)
    supplied = forces_in_supply(scn, st.owner, loc)
    st.supplied = np.where(ctx.live[:, None], supplied, st.supplied)
    weeks = scn.turn_days / 7.0
    # Attrition touches only the forces on the map: work on that list, not on [R, F].
    r, f = pairs(active)
    at = loc[r, f]
    terrain = scn.terrain[at]
    side = scn.force_side[f]
    will = st.will[r, side]
    home = scn.home[side, at]
    in_supply = supplied[r, f]
    need = kind_table(scn, "supply_need")[scn.kind][f]
    share = (
        scn.terrain_attrition[terrain]
        + rules.desertion * (1.0 + 2.0 * (1.0 - st.cohesion[r, f])) * (1.5 - will)
        + rules.foreign_desertion * ~home * need
        + rules.out_of_supply * ~in_supply * (1.0 - scn.terrain_forage[terrain]) * need
    ) * weeks
    expected = st.men[r, f] * np.clip(share, 0.0, 1.0)
    u = rng.uniform(ctx.key(Phase.SUPPLY)[r], f)
    lost = np.floor(expected) + (u < expected - np.floor(expected))
    take_men(scn, st, ctx, r, f, lost, "deserted")
    slot = r * scn.F + f
    cohesion = np.take(st.cohesion, slot)
    rest = in_supply & ~np.take(ctx.fought, slot) & ~np.take(ctx.moved, slot)
    cohesion[rest] = np.minimum(cohesion[rest] + rules.cohesion_recovery * weeks, 1.0)
    hungry = ~in_supply
    cohesion[hungry] = np.maximum(cohesion[hungry] - 0.05 * weeks, 0.05)
    np.put(st.cohesion, slot, cohesion)
