"""Where each force may go, compiled: the masks of legal targets and the orders' refusals.

Policies ask every turn which provinces each of their forces may march, attack or
retreat to.  Built with numpy, each mask costs several ``[runs, forces, provinces]``
temporaries; a kernel writes the mask directly, run by run, with nothing in between.
The engine and the game check the orders given the same way: :func:`refusals` gives
each order's first refusal in one pass over the orders.
"""

from __future__ import annotations

import numpy as np

from game.codes import NONE, ForceStatus, OrderKind, Refusal
from game.engine import jit

ACTIVE = int(ForceStatus.ACTIVE)


@jit.kernel
def march_mask(nxt, loc, status, owner, over, force_side, side, dist_days, off_map):
    """Return ``[R, F, P]``: the provinces each force of ``side`` may march or attack to.

    Those its side's routes reach from where it stands (or the end of its road), less the
    off-map bases the side does not hold; nothing for forces not on the map, the enemy's,
    or in finished wars.
    """
    R, F = status.shape
    P = owner.shape[1]
    out = np.zeros((R, F, P), np.bool_)
    for r in range(R):
        if over[r]:
            continue
        for f in range(F):
            if status[r, f] != ACTIVE or force_side[f] != side:
                continue
            here = nxt[r, f] if nxt[r, f] != NONE else loc[r, f]
            here = max(here, 0)
            for p in range(P):
                out[r, f, p] = np.isfinite(dist_days[here, p]) and not (
                    off_map[p] and owner[r, p] != side
                )
    return out


@jit.kernel
def retreat_mask(nxt, loc, status, owner, over, force_side, side, link_days):
    """Return ``[R, F, P]``: the neighbouring provinces held by ``side`` a force may retreat to.

    Only forces of ``side`` standing in a province (not on the road), in wars not over.
    """
    R, F = status.shape
    P = owner.shape[1]
    out = np.zeros((R, F, P), np.bool_)
    for r in range(R):
        if over[r]:
            continue
        for f in range(F):
            if status[r, f] != ACTIVE or nxt[r, f] != NONE or force_side[f] != side:
                continue
            here = max(loc[r, f], 0)
            for p in range(P):
                out[r, f, p] = np.isfinite(link_days[here, p]) and owner[r, p] == side
    return out


# Order kinds and refusals as plain ints, the kernels' constants.
MARCH, FORCED_MARCH, ATTACK = (
    int(OrderKind.MARCH),
    int(OrderKind.FORCED_MARCH),
    int(OrderKind.ATTACK),
)
GARRISON, RETREAT, JOIN = int(OrderKind.GARRISON), int(OrderKind.RETREAT), int(OrderKind.JOIN)
NOT_YOURS, NOT_ON_MAP = int(Refusal.NOT_YOURS), int(Refusal.NOT_ON_MAP)
NO_SUCH_PROVINCE, UNREACHABLE = int(Refusal.NO_SUCH_PROVINCE), int(Refusal.UNREACHABLE)
ALREADY_THERE, ON_THE_ROAD = int(Refusal.ALREADY_THERE), int(Refusal.ON_THE_ROAD)
NOT_FRIENDLY, NOT_ADJACENT = int(Refusal.NOT_FRIENDLY), int(Refusal.NOT_ADJACENT)
ENEMY_HELD, WAR_OVER, ENEMY_BASE = (
    int(Refusal.ENEMY_HELD),
    int(Refusal.WAR_OVER),
    int(Refusal.ENEMY_BASE),
)
NEEDS_TARGET, UNKNOWN_ORDER = int(Refusal.NEEDS_TARGET), int(Refusal.UNKNOWN_ORDER)
NO_SUCH_FORCE, JOIN_ITSELF = int(Refusal.NO_SUCH_FORCE), int(Refusal.JOIN_ITSELF)
JOIN_STRANGER, JOIN_ABSENT = int(Refusal.JOIN_STRANGER), int(Refusal.JOIN_ABSENT)


@jit.kernel
def _join_refusal(r, f, g, loc, nxt, status, force_side, force_party):
    """Return why force ``f`` of run ``r`` may not join force ``g`` (0: it may)."""
    if g < 0 or g >= force_side.size:
        return NO_SUCH_FORCE
    if g == f:
        return JOIN_ITSELF
    if force_side[g] != force_side[f] or force_party[g] != force_party[f]:
        return JOIN_STRANGER
    if status[r, g] != ACTIVE:
        return JOIN_ABSENT
    return 0


@jit.kernel
def refusals(r, f, kind, target, side, view, known, force_side, force_party, maps):
    """Return the refusal of each order ``(r[i], f[i], kind[i], target[i])`` (0: legal).

    ``view`` is ``(loc, nxt, status, owner, over)`` of the ordering side's view, ``side``
    each order's side, ``known`` the order kinds that exist, ``maps`` the scenario's
    ``(side_dist_days, side_link_days, off_map)``.  The first refusal that applies is
    the one given, in the order of the checks below; a join goes where the force it
    joins stands, or to the end of its road.
    """
    loc, nxt, status, owner, over = view
    dist_days, link_days, off_map = maps
    P = owner.shape[1]
    out = np.zeros(r.size, np.int8)
    for i in range(r.size):
        ri, fi, k, s = r[i], f[i], kind[i], side[i]
        tgt = target[i]
        join_why = 0
        if k == JOIN:
            join_why = _join_refusal(ri, fi, tgt, loc, nxt, status, force_side, force_party)
            if join_why == 0:
                tgt = nxt[ri, tgt] if nxt[ri, tgt] != NONE else loc[ri, tgt]
            else:
                tgt = NONE
        here0 = loc[ri, fi]
        active = status[ri, fi] == ACTIVE
        stands = active and nxt[ri, fi] == NONE
        valid_t = 0 <= tgt < P
        t = tgt if valid_t else 0
        here = nxt[ri, fi] if nxt[ri, fi] != NONE else here0
        here = here if here >= 0 else 0
        safe_loc = here0 if here0 >= 0 else 0
        moving = k in (MARCH, FORCED_MARCH, ATTACK)
        needs_t = moving or k == RETREAT or (k == JOIN and join_why == 0)
        routes = force_side[fi]
        why = 0
        if not (0 <= k < known.size and known[k]):
            why = UNKNOWN_ORDER
        elif over[ri]:
            why = WAR_OVER
        elif force_side[fi] != s:
            why = NOT_YOURS
        elif not active:
            why = NOT_ON_MAP
        elif k == JOIN and join_why != 0:
            why = join_why
        elif needs_t and tgt == NONE:
            why = NEEDS_TARGET
        elif needs_t and not valid_t:
            why = NO_SUCH_PROVINCE
        elif needs_t and not np.isfinite(dist_days[routes, here, t]):
            why = UNREACHABLE
        elif moving and off_map[t] and owner[ri, t] != s:
            why = ENEMY_BASE
        elif (k in (MARCH, FORCED_MARCH)) and stands and t == here0:
            why = ALREADY_THERE
        elif (k in (GARRISON, RETREAT)) and not stands:
            why = ON_THE_ROAD
        elif k == GARRISON and owner[ri, safe_loc] != s:
            why = NOT_FRIENDLY
        elif k == RETREAT and not np.isfinite(link_days[routes, safe_loc, t]):
            why = NOT_ADJACENT
        elif k == RETREAT and owner[ri, t] != s:
            why = ENEMY_HELD
        out[i] = why
    return out
