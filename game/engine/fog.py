"""What one side sees, compiled: one call per batch and side, the loop over runs inside.

:func:`sight` finds the provinces within the side's detection range; :func:`view` masks
the state into the side's view of every force and draws the error of its estimate of
each enemy force it sees, from the fog stream keyed on (seed, run, turn, side, force),
so a run gives the same view alone or in any batch.
"""

from __future__ import annotations

import numpy as np

from game.engine import jit

NONE = -1
ACTIVE = 1
WAITING = 0
FOG = 3
"""``Stream.FOG``."""


@jit.kernel
def sight(owner, status, loc, nxt, force_side, side, into, links):
    """Return ``[R, P]``: the provinces within ``links`` links of the side's forces or land.

    A force watches the province it stands in, or the one at the end of the road it is
    on; ``into[q]`` lists the provinces with a link to ``q`` (-1: none).
    """
    R, P = owner.shape
    F = status.shape[1]
    watch = np.zeros((R, P), np.bool_)
    spread = np.empty(P, np.bool_)
    for r in range(R):
        w = watch[r]
        for p in range(P):
            w[p] = owner[r, p] == side
        for f in range(F):
            if status[r, f] == ACTIVE and force_side[f] == side:
                w[loc[r, f]] = True
                if nxt[r, f] != NONE:
                    w[nxt[r, f]] = True
        for _ in range(links):
            for q in range(P):
                spread[q] = w[q]
                for k in range(into.shape[1]):
                    p = into[q, k]
                    if p >= 0 and w[p]:
                        spread[q] = True
            w[:] = spread
    return watch


@jit.kernel
def view(watch, st, force_side, side, seed, run_ids, turn, error):
    """Return the side's view of every force, each array ``[R, F]``.

    The view is ``(seen, loc, nxt, dest, progress, men, cohesion, supplied, status,
    commander, dug_in, garrisoned, joining)``; ``st`` is ``(status, loc, nxt, dest,
    progress, men, cohesion, supplied, commander, dug_in, garrisoned, joining)`` of the
    state.  Own forces are shown as they are; an enemy force
    standing in a watched province is seen, with its province, status and commander and
    its strength as an estimate: the truth times ``exp(error * z)``, ``z`` a standard
    normal from the fog stream, rounded to fifty men and at least fifty.  Everything else
    of an enemy force is hidden (province, road and commander -1, numbers 0, status
    waiting).
    """
    status, loc, nxt, dest, progress, men, cohesion, supplied, commander, dug_in, garr, joining = st
    R, F = status.shape
    seen = np.empty((R, F), np.bool_)
    v_loc = np.empty((R, F), np.int16)
    v_nxt = np.empty((R, F), np.int16)
    v_dest = np.empty((R, F), np.int16)
    v_progress = np.zeros((R, F), np.float32)
    v_men = np.zeros((R, F), np.int32)
    v_cohesion = np.zeros((R, F), np.float32)
    v_supplied = np.zeros((R, F), np.bool_)
    v_status = np.empty((R, F), np.int8)
    v_commander = np.empty((R, F), np.int16)
    v_dug_in = np.zeros((R, F), np.int16)
    v_garrisoned = np.zeros((R, F), np.bool_)
    v_joining = np.empty((R, F), np.int16)
    for r in range(R):
        key = jit.root_key(seed, FOG, run_ids[r])
        key = jit.fold(jit.fold(key, turn), side)
        for f in range(F):
            if force_side[f] == side:
                seen[r, f] = True
                v_loc[r, f] = loc[r, f]
                v_nxt[r, f] = nxt[r, f]
                v_dest[r, f] = dest[r, f]
                v_progress[r, f] = progress[r, f]
                v_men[r, f] = men[r, f]
                v_cohesion[r, f] = cohesion[r, f]
                v_supplied[r, f] = supplied[r, f]
                v_status[r, f] = status[r, f]
                v_commander[r, f] = commander[r, f]
                v_dug_in[r, f] = dug_in[r, f]
                v_garrisoned[r, f] = garr[r, f]
                v_joining[r, f] = joining[r, f]
                continue
            v_nxt[r, f] = NONE
            v_joining[r, f] = NONE
            v_dest[r, f] = NONE
            visible = status[r, f] == ACTIVE and nxt[r, f] == NONE and watch[r, max(loc[r, f], 0)]
            seen[r, f] = visible
            if not visible:
                v_loc[r, f] = NONE
                v_status[r, f] = WAITING
                v_commander[r, f] = NONE
                continue
            v_loc[r, f] = loc[r, f]
            v_status[r, f] = status[r, f]
            v_commander[r, f] = commander[r, f]
            z = jit.normal(jit.bits(jit.fold(key, f)))
            estimate = men[r, f] * np.exp(error * z)
            v_men[r, f] = np.int32(max(np.rint(estimate / 50.0) * 50.0, 50.0))
    return (
        seen,
        v_loc,
        v_nxt,
        v_dest,
        v_progress,
        v_men,
        v_cohesion,
        v_supplied,
        v_status,
        v_commander,
        v_dug_in,
        v_garrisoned,
        v_joining,
    )
