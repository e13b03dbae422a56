"""Men of each side in each province, counted in one compiled pass over the force slots.

:func:`game.engine.forces.presence` is asked for three times a turn (battles, control,
resistance); counted with numpy it is some ten calls whatever the batch, which at a batch
of one costs more than the counting.  Men are whole numbers summed in int64, so the
counts are exactly those of the ``bincount`` they replace (whose float64 sums of whole
numbers below 2**53 are exact).  Kept apart from :mod:`game.engine.forces`, which the
scenario checks import without playing, so that they never load numba.
"""

from __future__ import annotations

import numpy as np

from game.engine import jit


@jit.kernel
def presence(mask, loc, men, force_side, n_provinces, n_sides):  # pragma: no cover - compiled
    """Return ``[R, P, S]``: men of the slots of ``mask`` by run, province and side.

    A slot counted with no province (``loc`` < 0) is counted in province 0, as the
    array version did.
    """
    R, F = mask.shape
    out = np.zeros((R, n_provinces, n_sides), np.int64)
    for r in range(R):
        for f in range(F):
            if mask[r, f]:
                p = loc[r, f]
                out[r, p if p >= 0 else 0, force_side[f]] += men[r, f]
    return out
