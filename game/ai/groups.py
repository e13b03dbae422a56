"""A side's men pooled in a province: their strength and battle ratings, per run and place.

A :class:`Group` is what the odds table is asked about: men, their men-weighted
effectiveness and surprise, and the ratings of the best commander among them
(:func:`leader`).  :class:`~game.ai.features.Situation` builds groups from masks of force
slots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.engine import jit

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Group:
    """One side's men gathered in a province (or joining a battle there), per run and place.

    All fields are ``[R, P]``; ``men`` may be zero (then the others are neutral).
    ``lead``, ``init``, ``exposure`` and ``stake`` are those of the leading commander
    (``stake``: victory points his side loses per unit of his chance of falling at
    exposure 1, see :mod:`game.ai.commanders`).
    """

    men: F64
    log_eff: F64
    lead: F64
    init: F64
    surprise: F64
    exposure: F64
    stake: F64

    def plus(self, other: Group) -> Group:
        """Return the two groups fighting together (the better commander leads)."""
        men = self.men + other.men
        safe = np.maximum(men, 1e-9)
        eff = (self.men * np.exp(self.log_eff) + other.men * np.exp(other.log_eff)) / safe
        mine = (self.lead >= other.lead) | (other.men <= 0)
        return Group(
            men=men,
            log_eff=np.log(np.maximum(eff, 1e-6)),
            lead=np.where(mine, self.lead, other.lead),
            init=np.where(mine, self.init, other.init),
            surprise=(self.men * self.surprise + other.men * other.surprise) / safe,
            exposure=np.where(mine, self.exposure, other.exposure),
            stake=np.where(mine, self.stake, other.stake),
        )


@dataclass(frozen=True)
class SlotTables:
    """What each force slot adds to a group, per run (see :meth:`Situation.group_of`).

    Attributes:
        weights: ``[R, 3, F]`` float32 men, men x effectiveness, men x surprise.
        finite: Every weight is finite (else slots outside a group are masked out).
        code: ``[R, F]`` leadership rank x F + (F - 1 - slot) for slots with a
            commander, else -1: the best leader of a group, first slot if tied, has the
            largest code.
    """

    weights: npt.NDArray[np.float32]
    finite: bool
    code: I64


def leader(mask: npt.NDArray[np.float32], has_cmd: B, rank: I64, ratings: F64) -> F64:
    """Return the ratings of the best commander among the forces of ``mask[N, F, P]``.

    ``mask`` is 0 or 1; ``rank`` orders the commanders' leadership (equal ratings, equal
    ranks); ``ratings`` are their ratings wanted (``[K, N, F]``).  Returns ``[K, N, P]``:
    the first slot of the best if they tie; zeros where no commander is present.
    One kernel over runs, places and slots (:func:`_leader_kernel`).
    """
    return _leader_kernel(  # type: ignore[no-any-return]
        np.ascontiguousarray(mask),
        np.ascontiguousarray(has_cmd),
        rank,
        np.ascontiguousarray(ratings, np.float64),
    )


@jit.kernel
def _leader_kernel(mask, has_cmd, rank, ratings):
    """Return ``[K, N, P]``: the ratings of the best-ranked commander present, first slot if tied."""
    N, F, P = mask.shape
    out = np.zeros((ratings.shape[0], N, P))
    for n in range(N):
        for p in range(P):
            best = -1
            for f in range(F):
                if has_cmd[n, f] and mask[n, f, p] > 0 and (best < 0 or rank[n, f] > rank[n, best]):
                    best = f
            if best >= 0:
                for k in range(ratings.shape[0]):
                    out[k, n, p] = ratings[k, n, best]
    return out
