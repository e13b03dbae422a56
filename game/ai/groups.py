"""A side's men pooled in a province: their strength and battle ratings, per run and place.

A :class:`Group` is what the odds table is asked about: men, their men-weighted
effectiveness and surprise, and the ratings of the best commander among them
(:func:`leader`).  :class:`~game.ai.features.Situation` builds groups from masks of force
slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

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


EXACT_BITS: Final = 24
"""Commanders a group's leader can be found among by one float32 product (its sums of
distinct powers of two stay exact below 2 ** 24)."""


def leader(
    mask: npt.NDArray[np.float32], has_cmd: B, rank: I64, ratings: tuple[F64, ...]
) -> tuple[F64, ...]:
    """Return the ratings of the best commander among the forces of ``mask[N, F, P]``.

    ``mask`` is 0 or 1; ``rank`` orders the commanders' leadership (equal ratings, equal
    ranks); ``ratings`` are their ratings wanted (``[N, F]`` each).
    The first slot of the best if they tie; zeros where no commander is present.

    Only the slots with a commander in some run count.  In each run they are put in
    order, best leader (then earliest slot) first, and the i-th of K weighs
    ``2 ** (K - 1 - i)``: the mask's product with those weights is exact, and its highest
    bit in each place names the best commander present.  That is one small matrix
    product instead of a maximum over the slots of the whole mask.
    """
    N, _, P = mask.shape
    cols = np.flatnonzero(has_cmd.any(axis=0))
    if cols.size == 0:
        return tuple(np.zeros((N, P)) for _ in ratings)
    K = cols.size
    code = rank[:, cols] * K + (K - 1 - np.arange(K))
    code = np.where(has_cmd[:, cols], code, -1)  # [N, K]
    order = np.argsort(-code, axis=1)  # the best first; slots without a commander last
    run = np.arange(N)[:, None]
    if K <= EXACT_BITS:
        bits = np.zeros((N, mask.shape[1]), np.float32)
        power = np.ldexp(np.float32(1.0), K - 1 - np.arange(K)).astype(np.float32)
        bits[run, cols[order]] = np.where(np.take_along_axis(code, order, 1) >= 0, power, 0)
        total = np.matmul(bits[:, None, :], mask)[:, 0]  # [N, P]
        any_cmd = total > 0
        top = np.frexp(total)[1]  # 2 ** (top - 1) is the highest bit
        i = np.clip(K - top, 0, K - 1)
    else:
        sorted_code = np.take_along_axis(code, order, 1)
        # Position of the best present: the largest code, K - 1 - position.
        ranked = np.where(sorted_code >= 0, K - 1 - np.arange(K), -1)  # [N, K]
        present = mask[run, cols[order], :] > 0  # [N, K, P] in order
        best = np.where(present, ranked[:, :, None], -1).max(axis=1)
        any_cmd = best >= 0
        i = np.where(any_cmd, K - 1 - best, 0)
    k = np.take_along_axis(order, i, axis=1)  # [N, P] index into ``cols``
    at = k + K * np.arange(N)[:, None]
    return tuple(np.where(any_cmd, x[:, cols].reshape(-1).take(at), 0.0) for x in ratings)
