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

from game.engine.context import TurnContext
from game.engine.kinds import kind_table
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]


def _tables(scn: CompiledScenario) -> tuple[npt.NDArray[np.bool_], tuple[object, ...]]:
    """Return each side's supply sources ``[S, P]`` and the links it may use (built once)."""
    if "supply_tables" not in scn.extra:
        from game.engine.phases.supply_lines import link_tables

        sources = np.repeat(scn.supply_source[None, :], scn.S, axis=0)
        sources[np.arange(scn.S), scn.capital] = True
        links = tuple(link_tables(scn.side_nbr[s], scn.side_nbr_days[s]) for s in range(scn.S))
        scn.extra["supply_tables"] = (sources, links)
    return scn.extra["supply_tables"]  # type: ignore[no-any-return]


def _blockades(
    scn: CompiledScenario,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64] | None]:
    """Return ``[E, S, P]``: the ports each event's ``blockade`` effects close to each side.

    With it, the events that close any port (None if none does), which the supply
    distances ask about every turn.
    """
    if "blockades" not in scn.extra:
        closes = np.zeros((scn.E, scn.S, scn.P), bool)
        for e, ev in enumerate(scn.events):
            for eff in ev.effects:
                if eff.blockade is not None:
                    s = scn.side_index[eff.blockade.side]
                    closes[e, s, [scn.province_index[p] for p in eff.blockade.provinces]] = True
        blockading = np.flatnonzero(closes.any(axis=(1, 2))) if closes.any() else None
        scn.extra["blockades"] = (closes, blockading)
    return scn.extra["blockades"]  # type: ignore[no-any-return]


def _source_groups(
    scn: CompiledScenario, runs: int, fired: npt.NDArray[np.bool_] | None
) -> list[tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]]:
    """Return ``(runs, sources [S, P])`` pairs: each run's supply sources, grouped alike.

    A port under blockade (an event with a ``blockade`` effect has fired in that run) is
    no source for the side it is closed to.  Without blockades there is one group.
    """
    sources, _ = _tables(scn)
    closes, blockading = _blockades(scn)
    if fired is None or blockading is None or not fired[:, blockading].any():
        return [(np.ones(runs, bool), sources)]
    closed = np.einsum("re,esp->rsp", fired.astype(np.int64), closes.astype(np.int64)) > 0
    if runs == 1:  # one pattern: the run's own
        return [(np.ones(1, bool), sources & ~closed[0])]
    flat = closed.reshape(runs, -1)
    patterns, which = np.unique(flat, axis=0, return_inverse=True)
    return [
        (which.ravel() == k, sources & ~pat.reshape(sources.shape))
        for k, pat in enumerate(patterns)
    ]


def supply_distance(
    scn: CompiledScenario,
    owner: npt.NDArray[np.int8],
    side: int,
    fired: npt.NDArray[np.bool_] | None = None,
) -> F64:
    """Return march days from each province to ``side``'s nearest supply source ``[R, P]``.

    The chain runs through provinces the side holds; a province held by the enemy can
    still be reached from a neighbouring one (the last step may be into enemy land).
    ``fired`` (``[R, E]``, the events that have happened) closes the ports under blockade.
    """
    from game.engine.phases.supply_lines import distances

    _, links = _tables(scn)
    owner = np.ascontiguousarray(owner)
    groups = _source_groups(scn, owner.shape[0], fired)
    if len(groups) == 1:
        return distances(owner, side, groups[0][1], links)  # type: ignore[no-any-return]
    out = np.empty(owner.shape, np.float64)
    for sel, sources in groups:
        out[sel] = distances(np.ascontiguousarray(owner[sel]), side, sources, links)
    return out


def forces_in_supply(
    scn: CompiledScenario,
    owner: npt.NDArray[np.int8],
    loc: npt.NDArray[np.int64],
    live: npt.NDArray[np.bool_] | None = None,
    fired: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.bool_]:
    """Return ``[R, F]``: whether each force's province (``loc``, -1 read as 0) is in supply.

    Within ``rules.supply.range_days`` of :func:`supply_distance` (``fired`` closes the
    ports under blockade).  Runs not ``live`` (default: all are) are left False.
    """
    from game.engine.phases.supply_lines import in_supply

    _, links = _tables(scn)
    owner = np.ascontiguousarray(owner)
    live = np.ones(owner.shape[0], bool) if live is None else live
    out = np.zeros(loc.shape, bool)
    for sel, sources in _source_groups(scn, owner.shape[0], fired):
        out |= in_supply(
            owner,
            loc,
            scn.force_side.astype(np.int64),
            sources,
            links,
            float(scn.rules.supply.range_days),
            live & sel,
        )
    return out


def supply(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Mark forces in or out of supply, take the week's attrition, restore cohesion.

    Both steps are compiled calls over the whole batch
    (:mod:`game.engine.phases.supply_lines`).
    """
    from game.engine.phases.supply_lines import attrition

    rules = scn.rules.supply
    supplied = forces_in_supply(scn, st.owner, st.loc, ctx.live, st.fired)
    st.supplied = np.where(ctx.live[:, None], supplied, st.supplied)
    attrition(
        ctx.live,
        ctx.keys,
        st.status,
        st.loc,
        st.men,
        st.cohesion,
        st.will,
        st.supplied,
        st.deserted,
        ctx.fought,
        ctx.moved,
        scn.force_side.astype(np.int64),
        kind_table(scn, "supply_need")[scn.kind],
        scn.terrain.astype(np.int64),
        scn.terrain_attrition,
        scn.terrain_forage,
        scn.home,
        (
            float(rules.desertion),
            float(rules.foreign_desertion),
            float(rules.out_of_supply),
            float(rules.cohesion_recovery),
        ),
        scn.turn_days / 7.0,
    )
