"""The draft's bookkeeping, compiled: giving orders and moving the projected men.

Every pass of the heuristic writes its orders into the :class:`~game.ai.draft.Draft`
and moves the men of the forces that march in its projection of where men will stand,
some fifteen times a decision.  numpy spent each as half a dozen calls over the whole
``[runs, forces]`` tables (boolean gathers and scatters, ``nonzero``, ``add.at``); these
kernels pass over the table once, in the order numpy took the cells.
"""

from __future__ import annotations

from game.engine import jit


@jit.kernel
def assign(kind, target, free, mask, k, t):  # pragma: no cover - compiled
    """Give the forces of ``mask[R, F]`` the order ``k`` to ``t`` (``[R, F]`` each), in place.

    ``kind`` and ``target`` receive the order, and the forces leave the ``free`` pool.
    """
    R, F = mask.shape
    for r in range(R):
        for f in range(F):
            if mask[r, f]:
                kind[r, f] = k[r, f]
                target[r, f] = t[r, f]
                free[r, f] = False


@jit.kernel
def move_men(proj, mask, men, here, dest):  # pragma: no cover - compiled
    """Move the men of the forces of ``mask[R, F]`` from ``here`` to ``dest`` in ``proj[R, P]``.

    As ``numpy.add.at`` did it: every force's men taken from where it is, in the order
    of the cells, then every force's men added where it goes (a place below zero counts
    from the end, as numpy's index).
    """
    R, F = mask.shape
    P = proj.shape[1]
    for r in range(R):
        for f in range(F):
            if mask[r, f]:
                h = here[r, f]
                proj[r, h if h >= 0 else h + P] += -men[r, f]
    for r in range(R):
        for f in range(F):
            if mask[r, f]:
                q = dest[r, f]
                proj[r, q if q >= 0 else q + P] += men[r, f]
