"""Enemy forces that are not seen: which are presumed in the field, and where they may be.

Enemy forces that are not seen are not forgotten.  Those that should be in the field (on
the map from the start, due by now, or raised by an event that has fired, which is public
news) and that the side does not know gone (:mod:`game.engine.memory`: it fought them or
saw them destroyed, dispersed or merged) are *presumed*: at :data:`GHOST_STRENGTH` of
their scenario strength, or at the strength the side last saw if that was less (the
estimate its observation then showed: an army seen beaten is presumed beaten).  They are
reasoned about in two ways: where each is *believed* to be (its start or arrival point
if nobody watches it, else the nearest unwatched province, preferring its own side's
land), and, for raids on own land, *anywhere* it could have slipped away to (a column on
the road is never seen, so any province within two turns' march of unwatched or enemy
land is in reach).  Unless the side saw it go, it never learns whether a presumed force
still exists: that is what fog means.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.tables import Static, once, static
from game.engine import jit
from game.engine.observe import Observation
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]

GHOST_STRENGTH: Final = 0.8
"""Share of its starting strength assumed for an enemy force that is not seen."""


def watched_places(scn: CompiledScenario, obs: Observation, able: B) -> B:
    """Return ``[R, P]``: provinces within detection range of own forces and provinces.

    Those the side holds and those its forces able to move stand in or march to, then
    every province linked to one of them, ``rules.fog.detect_links`` times over.  One
    kernel (:func:`_watch_kernel`).
    """
    return _watch_kernel(  # type: ignore[no-any-return]
        np.ascontiguousarray(obs.owner),
        obs.side,
        np.asarray(obs.loc, np.int64),
        np.asarray(obs.nxt, np.int64),
        np.ascontiguousarray(able),
        static(scn).linked,
        int(scn.rules.fog.detect_links),
    )


@jit.kernel
def _watch_kernel(owner, side, loc, nxt, able, linked, links):
    """Return :func:`watched_places`, run by run, each round's links read as packed words.

    A province is watched after a round if it was before, or if some province linked
    to it was (``linked[p]`` packs the provinces linked to ``p``, as
    :func:`~game.ai.tables.pack` packs them).
    """
    R, P = owner.shape
    W = linked.shape[1]
    watch = np.zeros((R, P), np.bool_)
    bits = np.zeros(W, np.uint64)
    for r in range(R):
        for p in range(P):
            watch[r, p] = owner[r, p] == side
        for f in range(loc.shape[1]):
            if able[r, f]:
                watch[r, loc[r, f]] = True
                if nxt[r, f] >= 0:
                    watch[r, nxt[r, f]] = True
        for _ in range(links):
            bits[:] = 0
            for q in range(P):
                if watch[r, q]:
                    bits[q >> 6] |= np.uint64(1) << np.uint64(q & 63)
            for p in range(P):
                if not watch[r, p]:
                    for w in range(W):
                        if linked[p, w] & bits[w]:
                            watch[r, p] = True
    return watch


def presumed(scn: CompiledScenario, obs: Observation, seen: B) -> B:
    """Return ``[R, F]``: enemy forces not seen that should be in the field by now.

    Those that started on the map, those due by now, and those raised by an event that
    has fired (events are public news); not those the side knows gone.  One kernel
    (:func:`_presumed_kernel`).
    """
    return _presumed_kernel(  # type: ignore[no-any-return]
        np.ascontiguousarray(seen),
        np.ascontiguousarray(obs.known_gone),
        np.ascontiguousarray(obs.over),
        np.ascontiguousarray(obs.fired),
        int(obs.turn),
        _fielded(scn, obs.side),
    )


def _fielded(scn: CompiledScenario, side: int) -> tuple[B, B, I64, I64]:
    """Return, per slot, what makes an enemy force be in the field (once per scenario and side).

    The enemy's scenario forces, those on the map from the start, their arrival turns
    (or -1) and the events that raise them (or -1).
    """

    def build() -> tuple[B, B, I64, I64]:
        enemy = np.asarray(scn.force_side != side) & (np.arange(scn.F) < scn.n_scenario_forces)
        return (
            np.ascontiguousarray(enemy),
            np.ascontiguousarray(np.asarray(scn.start_at) >= 0),
            np.asarray(scn.arrival_turn, np.int64),
            np.asarray(static(scn).raised_by, np.int64),
        )

    return once(scn, f"ai_fielded_{side}", build)


@jit.kernel
def _presumed_kernel(seen, gone, over, fired, turn, fielded):
    """Return :func:`presumed`, force by force."""
    enemy, on_map, arrival, raised_by = fielded
    R, F = seen.shape
    out = np.zeros((R, F), np.bool_)
    for r in range(R):
        if over[r]:
            continue
        for f in range(F):
            if not enemy[f] or seen[r, f] or gone[r, f]:
                continue
            due = on_map[f] or (arrival[f] >= 0 and arrival[f] <= turn)
            event = raised_by[f]
            out[r, f] = due or (event >= 0 and fired[r, event])
    return out


def origins(scn: CompiledScenario, side: int) -> I64:
    """Return ``[F]``: where each force starts, arrives or is raised (else ``side``'s capital)."""
    return static(scn).origin[side]  # type: ignore[no-any-return]


def presumed_men(scn: CompiledScenario, obs: Observation) -> F64:
    """Return ``[R, F]``: the men presumed in each enemy force while it is not seen.

    :data:`GHOST_STRENGTH` of its scenario strength, the standing presumption of what a
    force keeps in the field; or less, its men as the side last saw them (the estimate
    its observation then showed), if it was seen weaker: beaten, wasted by the march or
    split.  A sighting never raises the presumption (see docs/ai.md, "The enemy
    remembered": presuming forces at a stronger sighting, and where they were last
    seen, made the wars worse, and a force seen at full strength before the march is
    still worn by it).
    """
    start = GHOST_STRENGTH * np.asarray(scn.men0, np.float64)
    seen = np.minimum(obs.last_men, start[None, :])
    return np.where(obs.last_turn >= 0, seen, start[None, :]).astype(np.float64)


def place_costs(
    scn: CompiledScenario, obs: Observation, watched: B, forces: I64 | None = None
) -> F64:
    """Return ``[R, F, P]``: how unlikely each unwatched province is as a hidden force's post.

    The cost is the march days from the force's start (or arrival) point, plus five days
    for a province its side does not hold; watched provinces cost infinity (a force
    standing there would be seen).  With ``forces`` only those slots (``[R, len, P]``).
    One kernel (:func:`place_cost` for each).
    """
    e = 1 - obs.side
    origin = origins(scn, e)
    return _place_costs(  # type: ignore[no-any-return]
        np.ascontiguousarray(origin if forces is None else origin[forces], np.int64),
        np.asarray(scn.dist_days, np.float64),
        np.ascontiguousarray(obs.owner),
        e,
        np.ascontiguousarray(watched),
    )


@jit.kernel
def place_cost(dist, owner, e, watched):
    """Return one province's cost as a hidden force's post (see :func:`place_costs`).

    ``dist`` the march days from the force's origin, ``owner`` who holds it, ``e`` the
    force's side, ``watched`` whether the observer would see a force there.
    """
    if watched:
        return np.inf
    return dist + (0.0 if owner == e else 5.0)


@jit.kernel
def _place_costs(origin, dist_days, owner, e, watched):
    """Return :func:`place_costs` of the slots whose origins are ``origin[C]``."""
    R, P = owner.shape
    C = origin.size
    out = np.empty((R, C, P))
    for r in range(R):
        for c in range(C):
            for p in range(P):
                out[r, c, p] = place_cost(dist_days[origin[c], p], owner[r, p], e, watched[r, p])
    return out


def ghosts(
    scn: CompiledScenario, st: Static, obs: Observation, seen: B, watched: B
) -> tuple[F64, I64, B, B]:
    """Return presumed unseen enemy forces' men, believed places and reaches.

    See :class:`Situation` (``ghost_men``, ``ghost_at``, ``ghost_near``, ``lurk_reach``).
    Each presumed force is presumed at :func:`presumed_men` (a share of its scenario
    strength, or less if it was seen weaker) and believed at its likeliest unwatched
    province (:func:`place_costs`: the first of the least cost, none if every province is
    watched); from there it can strike what it reaches within the turn.  A column on
    the road is never seen, so a hidden force may also have left, during the last turn,
    any province nobody watches or its own side holds: it lurks within reach of every
    province within two turns' march of one.  One kernel over runs and slots
    (:func:`_ghosts_kernel`).
    """
    e = 1 - obs.side
    return _ghosts_kernel(  # type: ignore[no-any-return]
        presumed(scn, obs, seen),
        presumed_men(scn, obs),
        st.origin[e],
        np.asarray(scn.dist_days, np.float64),
        np.ascontiguousarray(obs.owner),
        e,
        np.ascontiguousarray(watched),
        st.route_days,
        st.pace_of,
        float(scn.turn_days),
    )


@jit.kernel
def _ghosts_kernel(
    presumed, strength, origin, dist_days, owner, e, watched, route_days, pace_of, T
):
    """Return :func:`ghosts`' men, believed places, reach and lurking reach, run by run."""
    R, F = presumed.shape
    P = owner.shape[1]
    V = route_days.shape[0]
    men = np.zeros((R, F))
    at = np.full((R, F), -1, np.int64)
    near = np.zeros((R, F, P), np.bool_)
    lurk = np.zeros((R, F, P), np.bool_)
    far = np.zeros((V, P), np.bool_)
    done = np.zeros(V, np.bool_)
    for r in range(R):
        done[:] = False
        for f in range(F):
            if not presumed[r, f]:
                continue
            men[r, f] = strength[r, f]
            o = origin[f]
            best = 0
            low = place_cost(dist_days[o, 0], owner[r, 0], e, watched[r, 0])
            for p in range(1, P):
                cost = place_cost(dist_days[o, p], owner[r, p], e, watched[r, p])
                if cost < low:
                    best, low = p, cost
            v = pace_of[f]
            if np.isfinite(low):
                at[r, f] = best
                for p in range(P):
                    near[r, f, p] = route_days[v, best, p] <= T
            if not done[v]:  # some hidden province within two turns' march of each
                done[v] = True
                for p in range(P):
                    far[v, p] = False
                    for q in range(P):
                        hidden = not watched[r, q] or owner[r, q] == e
                        if hidden and route_days[v, q, p] <= 2.0 * T:
                            far[v, p] = True
                            break
            for p in range(P):
                lurk[r, f, p] = far[v, p]
    return men, at, near, lurk
