"""The orders taken as standing orders, and the march day by day, compiled.

:func:`stand` writes the turn's legal orders into the forces' standing orders in one call
per batch.  :func:`march` marches the batch, one call with the loop over runs inside.

Each run is marched on its own (runs never touch each other), its forces day by day in
slot order, so a run gives the same march alone or in any batch.  The kernel does every
step of :func:`game.engine.phases.movement.move` after the orders are in: the stragglers
lost by columns leaving a province shared with the enemy, the day loop (legs started,
days marched, arrivals, contact that stops a column), and the forced marchers' toll.
The men each side has standing in each province are kept up to date as columns leave
and arrive, so finding contact costs nothing for the forces that stay put.

Float operations follow the order of the rules as written in ``docs/rules.md`` (and of
the array code they replaced), so the results are the same bit for bit.

Routes are taken per side (``next_hop[side, a, b]`` and ``link_days[side, a, b]``), so a
side that may not use a link never marches along it; a scenario whose sides share their
routes passes the same table for each.
"""

from __future__ import annotations

import numpy as np

from game.codes import NONE, ForceStatus, OrderKind
from game.engine import jit
from game.engine.context import Phase

ACTIVE = int(ForceStatus.ACTIVE)
HOLD = int(OrderKind.HOLD)
FORCED_MARCH = int(OrderKind.FORCED_MARCH)
ATTACK = int(OrderKind.ATTACK)
GARRISON = int(OrderKind.GARRISON)
JOIN = int(OrderKind.JOIN)
MOVEMENT = int(Phase.MOVEMENT)
"""The sub-stream of the forced marchers' toll."""


@jit.kernel
def stand(runs, slots, refused, orders, st, attack_intent):
    """Write the legal orders given into the forces' standing orders, in place.

    ``runs``, ``slots`` are the orders given (run positions, force slots) and ``refused``
    their refusal codes (0: legal; the others are ignored); ``orders`` is ``(kind,
    target)`` ``[R, F]`` and ``st`` the state's ``(nxt, loc, joining, dest, garrisoned,
    forced)``.  A join's target is the force it joins (the march is set once every order
    is in); any other order ends a join.  Hold and garrison keep a force where it stands
    (or bound for the end of its road); the other orders set out for the target, unless
    the force is standing there.  An attack order is noted in ``attack_intent``.
    """
    kind, target = orders
    nxt, loc, joining, dest, garrisoned, forced = st
    for i in range(runs.size):
        if refused[i] != 0:
            continue
        r, f = runs[i], slots[i]
        k = kind[r, f]
        t = target[r, f]
        on_road = nxt[r, f] != NONE
        if k == JOIN:
            joining[r, f] = t
            t = NONE
        else:
            joining[r, f] = NONE
        if k in (HOLD, GARRISON):
            dest[r, f] = nxt[r, f] if on_road else NONE
        elif not on_road and t == loc[r, f]:
            dest[r, f] = NONE
        else:
            dest[r, f] = t
        garrisoned[r, f] = k == GARRISON
        forced[r, f] = k == FORCED_MARCH
        if k == ATTACK:
            attack_intent[r, f] = True


@jit.kernel
def march(
    live,
    keys,
    status,
    loc,
    nxt,
    dest,
    progress,
    men,
    forced,
    cohesion,
    captured,
    deserted,
    lost_men,
    moved,
    came_from,
    arrived_day,
    contact_day,
    force_side,
    pace,
    next_hop,
    link_days,
    rules,
    turn_days,
    record,
):
    """March every force with a destination in every live run; return the moves made.

    ``rules`` is ``(forced_speed, retreat_loss, forced_loss, forced_cohesion)``.  State
    and context arrays are changed in place.  With ``record``, returns the departures
    ``[n, 5]`` (day, run, force, origin, destination) and arrivals ``[n, 6]`` (day, run,
    force, province, contact, done), in the order the days came and, within a day, by
    run and force; without, two empty tables.
    """
    R, F = status.shape
    P = contact_day.shape[1]
    S = lost_men.shape[1]
    forced_speed, retreat_loss, forced_loss, forced_cohesion = rules
    cap = R * F * turn_days if record else 0
    departures = np.empty((cap, 5), np.int64)
    arrivals = np.empty((cap, 6), np.int64)
    n_dep = 0
    n_arr = 0
    pres = np.zeros((P, S), np.int64)
    cols = np.empty(F, np.int64)
    c_loc = np.empty(F, np.int64)
    c_nxt = np.empty(F, np.int64)
    c_dest = np.empty(F, np.int64)
    c_prog = np.empty(F, np.float64)
    c_speed = np.empty(F, np.float64)
    c_len = np.empty(F, np.float64)
    c_marched = np.empty(F, np.float64)
    c_men = np.empty(F, np.int64)
    leaving = np.zeros(F, np.bool_)
    arrived = np.zeros(F, np.bool_)
    for r in range(R):
        if not live[r]:
            continue
        # the men of each side standing in each province, and contact already there
        pres[:] = 0
        for f in range(F):
            if status[r, f] == ACTIVE and nxt[r, f] == NONE:
                pres[max(loc[r, f], 0), force_side[f]] += men[r, f]
        for p in range(P):
            everyone = True
            for s in range(S):
                everyone = everyone and pres[p, s] > 0
            if everyone:
                contact_day[r, p] = 0
        n = 0
        for f in range(F):
            if status[r, f] == ACTIVE and (dest[r, f] != NONE or nxt[r, f] != NONE):
                cols[n] = f
                side = force_side[f]
                c_loc[n] = loc[r, f]
                c_nxt[n] = nxt[r, f]
                c_dest[n] = dest[r, f]
                c_prog[n] = np.float64(progress[r, f])
                c_speed[n] = pace[f] * (forced_speed if forced[r, f] else 1.0)
                c_marched[n] = 0.0
                c_len[n] = link_days[side, c_loc[n], c_nxt[n]] if c_nxt[n] >= 0 else 0.0
                n += 1
        if n == 0:
            continue
        # columns leaving a province shared with the enemy lose stragglers to it (who is
        # leaving is decided before anyone's stragglers are taken off)
        for i in range(n):
            leaving[i] = (
                c_nxt[i] == NONE
                and c_dest[i] != NONE
                and c_dest[i] != c_loc[i]
                and pres[c_loc[i], 1 - force_side[cols[i]]] > 0
            )
        for i in range(n):
            if leaving[i]:
                f = cols[i]
                side = force_side[f]
                lost = min(np.int64(np.floor(men[r, f] * retreat_loss)), np.int64(men[r, f]))
                men[r, f] -= lost
                captured[r, side] += lost
                lost_men[r, side] += lost
                pres[c_loc[i], side] -= lost
        for i in range(n):
            c_men[i] = men[r, cols[i]]
        for day in range(turn_days):
            any_active = False
            for i in range(n):
                if c_nxt[i] == NONE and c_loc[i] == c_dest[i]:
                    c_dest[i] = NONE  # arrived: the march is over
                if c_dest[i] == NONE and c_nxt[i] == NONE:
                    continue
                any_active = True
                f = cols[i]
                side = force_side[f]
                if c_nxt[i] == NONE:  # set out on the next leg
                    here = c_loc[i]
                    step = np.int64(next_hop[side, here, c_dest[i]])
                    c_nxt[i] = step
                    c_len[i] = link_days[side, here, step]
                    c_prog[i] = 0.0
                    pres[here, side] -= c_men[i]
                    came_from[r, f] = here
                    if not moved[r, f]:
                        moved[r, f] = True
                        if record:
                            _row(departures, n_dep, day, r, f, here, c_dest[i], 0)
                            n_dep += 1
                if c_nxt[i] != NONE:
                    c_prog[i] += c_speed[i]
                    c_marched[i] += 1.0
            if not any_active:
                break
            # arrivals: every column arriving today is counted in before contact is looked for
            for i in range(n):
                arrived[i] = c_nxt[i] != NONE and c_prog[i] >= c_len[i] - 1e-6
                if not arrived[i]:
                    continue
                f = cols[i]
                p = c_nxt[i]
                c_loc[i] = p
                c_nxt[i] = NONE
                c_prog[i] = 0.0
                pres[p, force_side[f]] += c_men[i]
                arrived_day[r, f] = day
            for i in range(n):
                if not arrived[i]:
                    continue
                f = cols[i]
                p = c_loc[i]
                done = p == c_dest[i]
                if done:
                    c_dest[i] = NONE
                contact = pres[p, 0] > 0 and pres[p, 1] > 0
                if contact:
                    if contact_day[r, p] == NONE:
                        contact_day[r, p] = day
                    c_dest[i] = NONE
                if record:
                    _row(arrivals, n_arr, day, r, f, p, contact, done)
                    n_arr += 1
        for i in range(n):
            f = cols[i]
            loc[r, f] = c_loc[i]
            nxt[r, f] = c_nxt[i]
            dest[r, f] = c_dest[i]
            progress[r, f] = np.float32(c_prog[i])
        # forced marchers lose stragglers and cohesion in proportion to days marched
        for i in range(n):
            f = cols[i]
            if not forced[r, f] or c_marched[i] <= 0.0:
                continue
            side = force_side[f]
            share = forced_loss * c_marched[i] / turn_days
            expected = men[r, f] * share
            whole = np.floor(expected)
            u = jit.uniform(jit.bits(jit.fold(jit.fold(keys[r], MOVEMENT), f)))
            lost = min(np.int64(whole + (1.0 if u < expected - whole else 0.0)), men[r, f])
            men[r, f] -= lost
            deserted[r, side] += lost
            drop = forced_cohesion * c_marched[i] / turn_days
            cohesion[r, f] = np.float32(max(np.float64(cohesion[r, f]) - drop, 0.05))
    return _by_day(departures[:n_dep]), _by_day(arrivals[:n_arr])


@jit.kernel
def _row(table, i, a, b, c, d, e, f):
    """Write one row of a record table (as many of the six values as it has columns)."""
    values = (np.int64(a), np.int64(b), np.int64(c), np.int64(d), np.int64(e), np.int64(f))
    for k in range(table.shape[1]):
        table[i, k] = values[k]


@jit.kernel
def _by_day(rows):
    """Return the rows ordered by day (column 0), keeping their order within a day."""
    order = np.argsort(rows[:, 0], kind="mergesort")
    return rows[order]
