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


def supply_distance(scn: CompiledScenario, owner: npt.NDArray[np.int8], side: int) -> F64:
    """Return march days from each province to ``side``'s nearest supply source ``[R, P]``.

    The chain runs through provinces the side holds; a province held by the enemy can
    still be reached from a neighbouring one (the last step may be into enemy land).
    """
    from game.engine.phases.supply_lines import distances

    sources, links = _tables(scn)
    return distances(np.ascontiguousarray(owner), side, sources, links)  # type: ignore[no-any-return]


def forces_in_supply(
    scn: CompiledScenario,
    owner: npt.NDArray[np.int8],
    loc: npt.NDArray[np.int64],
    live: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.bool_]:
    """Return ``[R, F]``: whether each force's province (``loc``, -1 read as 0) is in supply.

    Within ``rules.supply.range_days`` of :func:`supply_distance`.  Runs not ``live``
    (default: all are) are left False.
    """
    from game.engine.phases.supply_lines import in_supply

    sources, links = _tables(scn)
    return in_supply(  # type: ignore[no-any-return]
        np.ascontiguousarray(owner),
        loc,
        scn.force_side.astype(np.int64),
        sources,
        links,
        float(scn.rules.supply.range_days),
        np.ones(owner.shape[0], bool) if live is None else live,
    )


def supply(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Mark forces in or out of supply, take the week's attrition, restore cohesion.

    Both steps are compiled calls over the whole batch
    (:mod:`game.engine.phases.supply_lines`).
    """
    from game.engine.phases.supply_lines import attrition

    rules = scn.rules.supply
    supplied = forces_in_supply(scn, st.owner, st.loc, ctx.live)
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
