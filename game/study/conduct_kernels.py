"""The conduct recorder's per-turn reading, compiled: one call per batch and turn.

:func:`field_masses` finds each side's men on the map and its men in its largest group
(its forces in one province) for every run, a loop over force slots in place of some ten
numpy calls on arrays of a few runs.  The men are whole numbers, so their sums in float64
are exact in any order: the same figures as the array code's.
"""

from __future__ import annotations

import numpy as np

from game.codes import ForceStatus
from game.engine import jit

ACTIVE = int(ForceStatus.ACTIVE)


@jit.kernel
def field_masses(status, loc, men, force_side, sides, places):
    """Return ``[R, S]`` each side's men on the map, and ``[R, S]`` its men in its largest group.

    A force is on the map when active with a province (one on the road counts where it
    last stood); a group is a side's forces in one province.
    """
    R, F = status.shape
    field = np.zeros((R, sides))
    largest = np.zeros((R, sides))
    mass = np.zeros((sides, places))
    for r in range(R):
        mass[:] = 0.0
        for f in range(F):
            if status[r, f] == ACTIVE and loc[r, f] >= 0:
                mass[force_side[f], loc[r, f]] += men[r, f]
        for s in range(sides):
            total = 0.0
            most = mass[s, 0]
            for p in range(places):
                total += mass[s, p]
                most = max(most, mass[s, p])
            field[r, s] = total
            largest[r, s] = most
    return field, largest
