"""Where each force may go, compiled: the ``[R, F, P]`` masks of legal targets in one pass.

Policies ask every turn which provinces each of their forces may march, attack or
retreat to.  Built with numpy, each mask costs several ``[runs, forces, provinces]``
temporaries; a kernel writes the mask directly, run by run, with nothing in between.
"""

from __future__ import annotations

import numpy as np

from game.codes import NONE, ForceStatus
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
