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
WITHDRAWN = 4
FOG = 3
"""``Stream.FOG``."""


@jit.kernel
def _watch(watch, owner, status, loc, nxt, force_side, side, into, links):
    """Write into ``watch`` ``[R, P]`` the provinces within ``links`` links of the side.

    Of its forces or its land: a force watches the province it stands in, or the one at the end of the road it is
    on; ``into[q]`` lists the provinces with a link to ``q`` (-1: none).
    """
    R, P = owner.shape
    F = status.shape[1]
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


@jit.kernel
def sight(owner, status, loc, nxt, force_side, side, into, links):
    """Return ``[R, P]``: the provinces within ``links`` links of the side's forces or land."""
    watch = np.zeros(owner.shape, np.bool_)
    _watch(watch, owner, status, loc, nxt, force_side, side, into, links)
    return watch


@jit.kernel
def sights(owner, status, loc, nxt, force_side, sides, into, links):
    """Return ``[S, R, P]``: each of the ``sides`` sides' :func:`sight`, in one call."""
    R, P = owner.shape
    watch = np.zeros((sides, R, P), np.bool_)
    for side in range(sides):
        _watch(watch[side], owner, status, loc, nxt, force_side, side, into, links)
    return watch


@jit.kernel
def in_view(watch, status, loc, nxt, r, f):
    """Return whether force ``f`` of run ``r`` is seen: standing on the map, where watched."""
    return status[r, f] == ACTIVE and nxt[r, f] == NONE and watch[r, max(loc[r, f], 0)]


@jit.kernel
def side_key(seed, run_id, turn, side):
    """Return the fog key of one run, turn and observing side."""
    return jit.fold(jit.fold(jit.root_key(seed, FOG, run_id), turn), side)


@jit.kernel
def estimate(key, f, men, error):
    """Return the side's estimate of force ``f``'s ``men`` under its ``key`` (:func:`side_key`).

    The truth times ``exp(error * z)``, ``z`` a standard normal keyed on the force, rounded
    to fifty men and at least fifty.
    """
    z = jit.normal(jit.bits(jit.fold(key, f)))
    guess = men * np.exp(error * z)
    return np.int32(max(np.rint(guess / 50.0) * 50.0, 50.0))


@jit.kernel
def view(watch, st, memory, force_side, side, seed, run_ids, turn, error):
    """Return the side's view of every force, each array ``[R, F]``.

    The view is ``(seen, loc, nxt, dest, progress, men, cohesion, supplied, status,
    commander, dug_in, garrisoned, joining, last_men, last_at, last_turn, known_gone)``;
    ``st`` is ``(status, loc, nxt, dest, progress, men, cohesion, supplied, commander,
    dug_in, garrisoned, joining)`` of the state and ``memory`` ``(men, at, turn, gone)``
    the sides' memories of the enemy ``[R, S, F]``.  The last four are the memory with this turn's sight
    laid over it: a force seen now is shown as seen now (its estimate, its province, this
    turn), one not seen as remembered, and a force seen now is not known gone.  Own forces are shown as they are; an enemy force
    standing in a watched province is seen, with its province, status and commander and
    its strength as an estimate: the truth times ``exp(error * z)``, ``z`` a standard
    normal from the fog stream, rounded to fifty men and at least fifty.  Everything else
    of an enemy force is hidden (province, road and commander -1, numbers 0, status
    waiting).
    """
    status, loc, nxt, dest, progress, men, cohesion, supplied, commander, dug_in, garr, joining = st
    m_men, m_at, m_turn, m_gone = memory
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
    last_men = np.empty((R, F), np.int32)
    last_at = np.empty((R, F), np.int16)
    last_turn = np.empty((R, F), np.int16)
    known_gone = np.empty((R, F), np.bool_)
    for r in range(R):
        key = side_key(seed, run_ids[r], turn, side)
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
                last_men[r, f] = men[r, f]
                last_at[r, f] = loc[r, f]
                last_turn[r, f] = turn
                known_gone[r, f] = False
                continue
            v_nxt[r, f] = NONE
            v_joining[r, f] = NONE
            v_dest[r, f] = NONE
            visible = in_view(watch, status, loc, nxt, r, f)
            seen[r, f] = visible
            if not visible:
                v_loc[r, f] = NONE
                v_status[r, f] = WAITING
                v_commander[r, f] = NONE
                last_men[r, f] = m_men[r, side, f]
                last_at[r, f] = m_at[r, side, f]
                last_turn[r, f] = m_turn[r, side, f]
                known_gone[r, f] = m_gone[r, side, f]
                continue
            v_loc[r, f] = loc[r, f]
            v_status[r, f] = status[r, f]
            v_commander[r, f] = commander[r, f]
            v_men[r, f] = estimate(key, f, men[r, f], error)
            last_men[r, f] = v_men[r, f]
            last_at[r, f] = loc[r, f]
            last_turn[r, f] = turn
            known_gone[r, f] = False
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
        last_men,
        last_at,
        last_turn,
        known_gone,
    )


@jit.kernel
def remember(watch, st, force_side, seed, run_ids, turn, error, live, memory):
    """Write into ``memory`` (``men, at, turn, gone`` ``[R, S, F]``) the enemies each side sees now.

    ``watch`` is every side's sight ``[S, R, P]``; ``st`` is ``(status, loc, nxt, men)`` of
    the state; a force is seen and estimated exactly as :func:`view` shows it, so what is
    remembered is what the observation showed.  Runs not ``live`` are left alone.
    """
    status, loc, nxt, men = st
    m_men, m_at, m_turn, m_gone = memory
    R, F = status.shape
    for side in range(watch.shape[0]):
        for r in range(R):
            if not live[r]:
                continue
            key = side_key(seed, run_ids[r], turn, side)
            for f in range(F):
                if force_side[f] != side and in_view(watch[side], status, loc, nxt, r, f):
                    m_men[r, side, f] = estimate(key, f, men[r, f], error)
                    m_at[r, side, f] = loc[r, f]
                    m_turn[r, side, f] = turn
                    m_gone[r, side, f] = False  # an irregulars' slot raised again


@jit.kernel
def witness(before, after, watch, fought, force_side, seed, run_ids, turn, error, memory):
    """Write into ``memory`` what each side witnessed of the enemy during the turn just played.

    ``before`` and ``after`` are ``(status, loc)`` at the turn's start and ``(status, loc,
    men)`` at its end; ``watch`` each side's sight at the start and at the end ``[2, S, R,
    P]``; ``fought`` ``[R, S, F]`` the province where the force fought one of the side's
    forces this turn, else -1; ``turn`` the turn the next observation is made on.  An
    enemy force that left the field (destroyed, captured, dispersed, merged or withdrawn)
    is known gone if the side fought it this turn, watched where it stood at the turn's
    start or end, or its party left the war (public news).  One that fought the side and
    stands on is remembered where it fought, with its men after the battle as the next
    observation's estimate would give them, even if it came onto the map only this turn
    (reinforcements arrive before the battles).  ``memory`` is ``(men, at, turn, gone)``
    ``[R, S, F]``.
    """
    status0, loc0 = before
    status1, loc1, men1 = after
    m_men, m_at, m_turn, m_gone = memory
    R, F = status1.shape
    for side in range(watch.shape[1]):
        for r in range(R):
            key = side_key(seed, run_ids[r], turn, side)
            for f in range(F):
                if force_side[f] == side:
                    continue
                at = fought[r, side, f]
                if status0[r, f] != ACTIVE and at < 0:
                    continue  # not in the field at the start, and not met in a battle since
                if status1[r, f] == ACTIVE:
                    if at >= 0:
                        m_men[r, side, f] = estimate(key, f, men1[r, f], error)
                        m_at[r, side, f] = at
                        m_turn[r, side, f] = turn
                    continue
                if status1[r, f] == WAITING:
                    continue
                known = (
                    status1[r, f] == WITHDRAWN
                    or at >= 0
                    or watch[0, side, r, max(loc0[r, f], 0)]
                    or watch[1, side, r, max(loc1[r, f], 0)]
                )
                if known:
                    m_gone[r, side, f] = True
