"""The map's links as arrays: days per link, neighbour lists, shortest routes.

Part of compiling a scenario (:mod:`game.scenario.compile`): movement, supply and the AI
read these tables rather than walking the YAML's list of links.  A link may take longer
one way than the other (``days_back``: winds and currents on a sea lane) and may be open to
one side only (``controlled_by``: a lane its navy commands), so besides the map as drawn
there is a set of routes per side, which is what the rules use.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from game.codes import CROSSINGS, NONE, ROADS
from game.scenario.schema import Scenario

I16 = npt.NDArray[np.int16]
F64 = npt.NDArray[np.float64]


def link_fields(
    model: Scenario, pidx: dict[str, int], sidx: dict[str, int] | None = None
) -> dict[str, Any]:
    """Return the compiled scenario's link and route arrays (writable; the caller freezes).

    ``link_days[a, b]`` is the days of the direct link from a to b (infinite if none; a
    link's ``days_back`` gives b to a where the two differ); ``nbr[p]`` lists a
    province's neighbours, nearest first (padded with :data:`NONE`); ``dist_days`` and
    ``next_hop`` are all-pairs shortest routes.  These cover every link, whoever may use
    it: the map as drawn.  The ``side_`` arrays (a leading side axis) leave out, for each
    side, the links another side controls (``controlled_by``): the routes its columns,
    retreats and supply may really take.
    """
    P = len(pidx)
    sidx = sidx or {s.id: i for i, s in enumerate(model.sides)}
    S = len(sidx)
    link_days = np.full((P, P), np.inf)
    crossing = np.zeros((P, P), np.int8)
    road = np.zeros((P, P), np.int8)
    closed = np.zeros((S, P, P), bool)  # [s, a, b]: the link a-b is another side's
    for ln in model.map.links:
        a, b = pidx[ln.a], pidx[ln.b]
        link_days[a, b] = ln.days
        link_days[b, a] = ln.days if ln.days_back is None else ln.days_back
        crossing[a, b] = crossing[b, a] = CROSSINGS.index(ln.crossing)
        road[a, b] = road[b, a] = ROADS.index(ln.road)
        if ln.controlled_by is not None:
            others = np.arange(S) != sidx[ln.controlled_by]
            closed[others, a, b] = closed[others, b, a] = True
    D = int(np.isfinite(link_days).sum(axis=1).max()) if P else 0
    nbr, nbr_days = _neighbours(link_days, D)
    dist = shortest(link_days)
    hop = _next_hop(link_days, dist)
    side_days = np.where(closed, np.inf, link_days[None, :, :])
    side = [
        (nbr, nbr_days, dist, hop)
        if not closed[s].any()
        else (
            *_neighbours(side_days[s], D),
            d := shortest(side_days[s]),
            _next_hop(side_days[s], d),
        )
        for s in range(S)
    ]
    return {
        "link_days": link_days,
        "link_crossing": crossing,
        "link_road": road,
        "nbr": nbr,
        "nbr_days": nbr_days,
        "dist_days": dist,
        "next_hop": hop,
        "side_link_days": side_days,
        "side_nbr": np.stack([x[0] for x in side]),
        "side_nbr_days": np.stack([x[1] for x in side]),
        "side_dist_days": np.stack([x[2] for x in side]),
        "side_next_hop": np.stack([x[3] for x in side]),
    }


def _neighbours(link_days: F64, D: int) -> tuple[I16, F64]:
    """Return each province's neighbours, nearest first, and the days to each."""
    P = link_days.shape[0]
    nbr = np.full((P, D), NONE, np.int16)
    nbr_days = np.full((P, D), np.inf)
    for j in range(P):
        ns = np.flatnonzero(np.isfinite(link_days[j]))
        ns = ns[np.argsort(link_days[j, ns], kind="stable")]
        nbr[j, : ns.size] = ns
        nbr_days[j, : ns.size] = link_days[j, ns]
    return nbr, nbr_days


def shortest(link_days: F64) -> F64:
    """Return the days of the shortest route between every pair (Floyd-Warshall)."""
    d = link_days.copy()
    np.fill_diagonal(d, 0.0)
    for k in range(d.shape[0]):
        d = np.minimum(d, d[:, k : k + 1] + d[k : k + 1, :])
    return d


TIE = 1e-9
"""Routes whose days differ by less than this share are equally short."""


def _next_hop(link_days: F64, dist: F64) -> I16:
    """Return the first province on a shortest route from a to b (-1 if none or a == b).

    When several routes are equally short, the column takes the one whose next province
    comes first in ``map.provinces``: a rule the author controls and ``validate`` reports.
    Days are compared with a relative tolerance, so that sums of fractional days that
    differ only by rounding count as the tie they are.
    """
    P = link_days.shape[0]
    via = link_days[:, :, None] + dist[None, :, :]  # [a, n, b]: a -> n, then n ~> b
    best = np.min(via, axis=1)
    tied = via <= (best + TIE * np.maximum(best, 1.0))[:, None, :]
    hop = np.argmax(tied, axis=1).astype(np.int16)  # the first tied n, in province order
    hop[~np.isfinite(best)] = NONE
    hop[np.arange(P), np.arange(P)] = NONE
    return hop
