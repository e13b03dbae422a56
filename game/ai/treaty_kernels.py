"""The passes that act on the treaty, compiled: one call per batch, the loop over runs inside.

:func:`game.ai.signing.guard` keeps garrisons in the towns the outcome turns on at the
signing; in numpy it spent a dozen greedy rounds of fancy indexing on ``[runs, forces]``
tables for every side and turn near the signing.  Each run's rounds read and write that
run's rows only, so the kernel plays them run by run, in the order numpy did (the forces
that stand first, largest first; then one town per round, the most valuable first, the
nearest force that is enough by itself), with the same comparisons on the same floats:
the same orders come out.
"""

from __future__ import annotations

import numpy as np

from game.engine import jit

STAY = 1
"""A force guarding the town it stands in."""
GO = 2
"""A force marching to guard a town."""


@jit.kernel
def _argmax_masked(mask, values):
    """Return numpy's ``argmax(where(mask, values, -inf))``: the first largest (or NaN)."""
    best = 0
    top = values[0] if mask[0] else -np.inf
    if np.isnan(top):
        return 0
    for p in range(1, mask.size):
        v = values[p] if mask[p] else -np.inf
        if np.isnan(v):
            return p
        if v > top:
            best, top = p, v
    return best


@jit.kernel
def guard(order, towns, want, priority, force_t, here_t, proj_t, road_t, safe_t, rounds):
    """Return ``[R, F]``: which forces guard a town (:data:`STAY`, :data:`GO`) and where.

    ``order`` are the forces largest first; ``towns`` (``[R, P]``, written in place) the
    towns to guard, ``want`` the strength each should have and ``priority`` which comes
    first.  ``force_t`` holds ``[R, F]`` tables of :func:`game.ai.signing.guard`: each
    force's strength, whether it is fit to go, whether it is the army, whether it stands
    in such a town, whether it is free; ``proj_t`` what tells whether a force would leave
    a key place it holds empty (the key places, who holds what, the men projected in each
    place, each force's men, the men that keep a place); ``road_t`` what a march needs
    (days to each place, legal moves, clear roads, each run's reach in days); ``safe_t``
    where the enemy's main army is, the fastest days between places and the days within
    which it can strike.  Returns the action and the destination of each force.
    """
    power, fit, army, there, free = force_t
    key, own_held, proj, men, control = proj_t
    eta, mt, clear, reach = road_t
    foe_at, fastest, strike_days = safe_t
    R, F = power.shape
    P = towns.shape[1]
    act = np.zeros((R, F), np.int8)
    dest = np.full((R, F), -1, np.int64)
    have = np.zeros(P)
    free_r = np.empty(F, np.bool_)
    bare = np.empty(F, np.bool_)
    for r in range(R):
        have[:] = 0.0
        for f in range(F):
            free_r[f] = free[r, f]
        # The free forces standing in such a town stay, the largest first, until enough.
        for f in order:
            at = here_t[r, f]
            if there[r, f] and have[at] < want[r, at]:
                act[r, f] = STAY
                dest[r, f] = at
                free_r[f] = False
                have[at] += power[r, f]
        left = False
        for p in range(P):
            towns[r, p] = towns[r, p] and have[p] < want[r, p]
            left = left or towns[r, p]
        if not left:
            continue
        for f in range(F):
            at = here_t[r, f]
            bare[f] = key[at] and own_held[r, at] and proj[r, at] - men[r, f] < control
        for _ in range(rounds):
            if not left:
                break
            q = _argmax_masked(towns[r], priority[r])
            if not towns[r, q]:
                break
            safe = not (foe_at[r] >= 0 and fastest[max(foe_at[r], 0), q] <= strike_days)
            short = want[r, q] - have[q]
            pick = -1
            best = np.inf
            for f in range(F):
                road = mt[r, f, q] and clear[r, f, q] and eta[r, f, q] <= reach[r]
                road = road and here_t[r, f] != q
                cand = (fit[r, f] or (army[r, f] and safe)) and free_r[f] and not bare[f]
                if cand and road and power[r, f] >= short:
                    e = eta[r, f, q]
                    if pick < 0 or e < best or (np.isnan(e) and not np.isnan(best)):
                        pick, best = f, e
            if pick < 0:
                towns[r, q] = False  # nobody can come: leave it
            else:
                act[r, pick] = GO
                dest[r, pick] = q
                free_r[pick] = False
                have[q] += power[r, pick]
            left = False
            for p in range(P):
                towns[r, p] = towns[r, p] and have[p] < want[r, p]
                left = left or towns[r, p]
    return act, dest
