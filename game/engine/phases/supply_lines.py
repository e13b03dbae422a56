"""Supply lines and the week's attrition, compiled: one call per batch, runs looped inside.

A side's distance to supply is a shortest-path search from its supply sources through
the provinces it holds (the last step may enter a province it does not hold), in march
days along the links that side may use.  Each run is searched on its own, the provinces
in order of distance (Dijkstra's method on a map of a few dozen provinces), so a run
gives the same answer alone or in any batch.  Link lengths are summed along each route
from the source, so the distances are those of any exact search, bit for bit.

The attrition of the week follows the formula of ``docs/rules.md`` in the order of
operations of the rules as written, float32 where the state is float32 (cohesion, will),
so that the losses are the same in any batch and on any machine.
"""

from __future__ import annotations

import numpy as np

from game.engine import jit

NONE = -1
ACTIVE = 1
SUPPLY = 4
"""``Phase.SUPPLY``: the sub-stream of the fraction of the last man lost."""


@jit.kernel
def _search(owner, side, sources, links, limit, out, done):
    """Write into ``out[P]`` the march days from each province to ``side``'s supply.

    ``owner[P]`` is one run's map; ``sources[P]`` the side's sources (depots, ports, its
    capital); ``links`` the links ``side`` may use, as :func:`link_tables` gives them.
    A province the side holds is reached through the side's land; one it does not hold
    is one last link from such a province (infinity if neither).  Distances beyond
    ``limit`` are only known to be beyond it (the search stops there).
    """
    nbr, nbr_days, succ, succ_days = links
    P = owner.shape[0]
    for p in range(P):
        out[p] = 0.0 if owner[p] == side and sources[p] else np.inf
        done[p] = False
    while True:
        best = -1
        for p in range(P):
            open_ = owner[p] == side and not done[p] and out[p] < np.inf
            if open_ and (best < 0 or out[p] < out[best]):
                best = p
        if best < 0 or out[best] > limit:
            break
        done[best] = True
        for k in range(succ.shape[1]):
            v = succ[best, k]
            if v >= 0 and owner[v] == side and not done[v]:
                d = out[best] + succ_days[best, k]
                if d < out[v]:
                    out[v] = d
    for v in range(P):
        if owner[v] == side:
            continue
        reach = np.inf
        for k in range(nbr.shape[1]):
            u = nbr[v, k]
            if u >= 0 and owner[u] == side and done[u]:
                d = out[u] + nbr_days[v, k]
                if d < reach:
                    reach = d
        out[v] = reach


def link_tables(nbr, nbr_days):
    """Return one side's links for :func:`_search`: into each province and out of it.

    ``nbr[v, k]`` is a province ``u`` with a link ``u -> v`` of ``nbr_days[v, k]`` days
    (-1: none); the search also needs the links out of each province, which this adds.
    """
    P, K = nbr.shape
    outs: list[list[tuple[int, float]]] = [[] for _ in range(P)]
    for v in range(P):
        for k in range(K):
            if nbr[v, k] >= 0:
                outs[int(nbr[v, k])].append((v, float(nbr_days[v, k])))
    width = max(1, max(len(o) for o in outs))
    succ = np.full((P, width), NONE, np.int64)
    succ_days = np.full((P, width), np.inf)
    for u, o in enumerate(outs):
        for k, (v, days) in enumerate(o):
            succ[u, k], succ_days[u, k] = v, days
    return (nbr.astype(np.int64), nbr_days.astype(np.float64), succ, succ_days)


@jit.kernel
def distances(owner, side, sources, links):
    """Return ``[R, P]``: march days from each province to ``side``'s supply, per run."""
    R, P = owner.shape
    out = np.empty((R, P))
    done = np.empty(P, np.bool_)
    for r in range(R):
        _search(owner[r], side, sources[side], links[side], np.inf, out[r], done)
    return out


@jit.kernel
def in_supply(owner, loc, force_side, sources, links, range_days, live):
    """Return ``[R, F]``: whether each force's province (``loc``, -1 read as 0) is in supply.

    Runs that are not ``live`` are left False (their supply is not looked at).
    """
    R, P = owner.shape
    S = len(links)
    F = loc.shape[1]
    dist = np.empty((S, P))
    done = np.empty(P, np.bool_)
    out = np.zeros((R, F), np.bool_)
    for r in range(R):
        if not live[r]:
            continue
        for s in range(S):
            _search(owner[r], s, sources[s], links[s], range_days, dist[s], done)
        for f in range(F):
            out[r, f] = dist[force_side[f], max(loc[r, f], 0)] <= range_days
    return out


@jit.kernel
def attrition(
    live,
    keys,
    status,
    loc,
    men,
    cohesion,
    will,
    supplied,
    deserted,
    fought,
    moved,
    force_side,
    need,
    terrain,
    terrain_attrition,
    terrain_forage,
    home,
    rules,
    weeks,
):
    """Take the week's attrition from every force on the map and rest or starve it.

    ``rules`` is ``(desertion, foreign_desertion, out_of_supply, cohesion_recovery)``;
    ``supplied`` is this turn's supply of every force.  Changes the state in place.
    """
    desertion, foreign, out_of_supply, recovery = rules
    R, F = status.shape
    one = np.float32(1.0)
    rest_gain = np.float32(recovery * weeks)
    hunger = np.float32(0.05 * weeks)
    floor = np.float32(0.05)
    for r in range(R):
        if not live[r]:
            continue
        key = jit.fold(keys[r], SUPPLY)
        for f in range(F):
            if status[r, f] != ACTIVE:
                continue
            at = max(loc[r, f], 0)
            t = terrain[at]
            side = force_side[f]
            fed = supplied[r, f]
            # float32 like the state it reads, then float64 from the scenario's tables
            spirit = np.float32(desertion) * (one + np.float32(2.0) * (one - cohesion[r, f]))
            spirit = spirit * (np.float32(1.5) - will[r, side])
            share = terrain_attrition[t] + np.float64(spirit)
            share = share + (0.0 if home[side, at] else foreign) * need[f]
            share = share + (0.0 if fed else out_of_supply) * (1.0 - terrain_forage[t]) * need[f]
            share = share * weeks
            expected = men[r, f] * min(max(share, 0.0), 1.0)
            whole = np.floor(expected)
            u = jit.uniform(jit.bits(jit.fold(key, f)))
            lost = min(np.int64(whole + (1.0 if u < expected - whole else 0.0)), men[r, f])
            men[r, f] -= lost
            deserted[r, side] += lost
            c = cohesion[r, f]
            if fed and not fought[r, f] and not moved[r, f]:
                c = min(c + rest_gain, one)
            if not fed:
                c = max(c - hunger, floor)
            cohesion[r, f] = c
