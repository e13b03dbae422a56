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
def _still_short(towns_r, have, want_r):
    """Keep in ``towns_r`` only the towns still short of their strength; whether any is."""
    left = False
    for p in range(towns_r.size):
        towns_r[p] = towns_r[p] and have[p] < want_r[p]
        left = left or towns_r[p]
    return left


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
        left = _still_short(towns[r], have, want[r])
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
            left = _still_short(towns[r], have, want[r])
    return act, dest


@jit.kernel
def detach(q, has, need, in_days, force_t, place_t, road_t, spare, with_main):
    """Return ``[R, F]``: the forces sent to clear ``q[R]``, and the stage each marches to.

    :func:`game.ai.detachments._detach` before the odds: in each run where ``has``, the
    candidates (free own forces that are not a head of state's, with men, that can
    strike the place now or reach its stage clear of the enemy in ``in_days`` days, not
    held in contact elsewhere, leaving no key place bare) sorted by days away, the main
    body's last (a stable sort, as numpy's), its men counted only up to ``spare``;
    taken until their men reach ``need`` (the one that crosses the line included), and
    none if all of them fall short.  ``force_t`` holds ``[R, F]`` tables (each force's
    men, place, whether free, own, a head of state's) and ``[R, F, P]`` its days to each
    place; ``place_t`` the stage table, the places the enemy is seen in, the side's own
    places, the key places and the men projected in each; ``road_t`` where each force
    can strike now, may legally march, and has a clear road, and the men that keep a
    place.
    """
    men, here_t, free, own, chief, eta = force_t
    stage_t, foe_any, own_held, key, proj = place_t
    reach, mt, clear, control = road_t
    R, F = men.shape
    sel = np.zeros((R, F), np.bool_)
    stage = np.empty((R, F), np.int64)
    order = np.empty(F, np.int64)
    sort_key = np.empty(F)
    taken = np.empty(F, np.bool_)
    for r in range(R):
        Q = q[r]
        n = 0
        for f in range(F):
            here = here_t[r, f]
            s = np.int64(stage_t[here, Q])
            stage[r, f] = s
            # The force's own tables first: most slots are no candidate, and their
            # days and roads (rows of [R, F, P] tables) need not be read.
            if not (has[r] and free[r, f] and own[f] and not chief[r, f] and men[r, f] > 0):
                continue
            if foe_any[r, here] and here != Q:
                continue  # held in contact elsewhere
            if key[here] and own_held[r, here] and proj[r, here] - men[r, f] < control:
                continue  # it would leave a key place bare
            e = eta[r, f, Q]
            if not e <= in_days[r]:
                continue
            s0 = max(s, 0)
            stage_ok = s >= 0 and not foe_any[r, s0]
            road = mt[r, f, s0] and clear[r, f, s0]
            if not (reach[r, f, Q] or (stage_ok and (road or s == here))):
                continue
            # Placed after the candidates with a smaller or equal key: numpy's stable
            # sort of the days (the main body's last), the others left out.
            k = e + (1e6 if with_main[r, f] else 0.0)
            i = n
            while i > 0 and sort_key[i - 1] > k:
                sort_key[i] = sort_key[i - 1]
                order[i] = order[i - 1]
                i -= 1
            sort_key[i] = k
            order[i] = f
            n += 1
        if n == 0:
            continue
        # The main body's men past what it can spare count for nothing, and the men
        # are summed in numpy's order.
        main_men = 0.0
        cum = 0.0
        for i in range(n):
            f = order[i]
            m = men[r, f]
            if with_main[r, f]:
                main_men += m
                if main_men > spare[r]:
                    m = 0.0
            cum += m
            taken[i] = m > 0 and cum - m < need[r]
        if cum >= need[r]:
            for i in range(n):
                sel[r, order[i]] = taken[i]
    return sel, stage


@jit.kernel
def poised(last, foe_reach, enemy_seen, loc, at_gain):  # pragma: no cover - compiled
    """Return ``[R, P]``: where a seen enemy stands that can walk into a gain this turn.

    Only in the runs where the signing is near (``last[R]``; elsewhere nothing is
    read); ``foe_reach[R, F, P]`` where each seen enemy can reach, ``loc[R, F]`` where
    it stands (below zero: counted at place 0, as numpy's index of ``max(loc, 0)``),
    ``at_gain[R, P]`` the own towns a gain at the signing rests on
    (:func:`game.ai.detachments.at_stake`).
    """
    R, F, P = foe_reach.shape
    out = np.zeros((R, P), np.bool_)
    for r in range(R):
        if not last[r]:
            continue
        for f in range(F):
            if not enemy_seen[r, f]:
                continue
            for p in range(P):
                if foe_reach[r, f, p] and at_gain[r, p]:
                    out[r, max(loc[r, f], 0)] = True
                    break
    return out
