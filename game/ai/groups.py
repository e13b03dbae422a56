"""A side's men pooled in a province: their strength and battle ratings, per run and place.

A :class:`Group` is what the odds table is asked about: men, their men-weighted
effectiveness and surprise, and the ratings of the best commander among them
(:func:`pool`).  :class:`~game.ai.features.Situation` builds groups from masks of force
slots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import libm
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
        eff = (self.men * libm.exp(self.log_eff) + other.men * libm.exp(other.log_eff)) / safe
        mine = (self.lead >= other.lead) | (other.men <= 0)
        return Group(
            men=men,
            log_eff=libm.log(np.maximum(eff, 1e-6)),
            lead=np.where(mine, self.lead, other.lead),
            init=np.where(mine, self.init, other.init),
            surprise=(self.men * self.surprise + other.men * other.surprise) / safe,
            exposure=np.where(mine, self.exposure, other.exposure),
            stake=np.where(mine, self.stake, other.stake),
        )


@dataclass(frozen=True)
class Slots:
    """What each force slot brings to a group, per run: the tables :func:`pool` reads.

    Attributes:
        men: ``[R, F]`` men of each slot (own exactly, seen enemies as estimated).
        eff: ``[R, F]`` per-man effectiveness.
        surprise: ``[F]`` the surprise of each slot's arm.
        has_cmd: ``[R, F]`` a commander leads the slot.
        rank: ``[R, F]`` the order of the commanders' leadership (equal ratings, equal
            ranks).
        ratings: ``[4, R, F]`` leadership, initiative, exposure and stake of each slot's
            commander.
    """

    men: F64
    eff: F64
    surprise: F64
    has_cmd: B
    rank: I64
    ratings: F64

    def kernel_tuple(self) -> tuple[F64, F64, F64, B, I64, F64, I64]:
        """Return the tables as the kernels take them, with every slot's index last."""
        F = self.men.shape[1]
        return (
            self.men,
            self.eff,
            self.surprise,
            self.has_cmd,
            self.rank,
            self.ratings,
            np.arange(F),
        )


FIELDS = ("men", "log_eff", "lead", "init", "surprise", "exposure", "stake")
"""The fields of a :class:`Group`, in the order :func:`pool` returns them."""


def pool(slots: Slots, mask: B, rows: I64, cols: I64, men: F64 | None = None) -> Group:
    """Return the group of the forces of ``mask[N, C, P]`` in each place.

    Row ``n`` of the mask is run ``rows[n]``, column ``c`` slot ``cols[c]`` (ascending).
    ``men`` (``[R, F]``) replaces the slots' men (presumed, unseen enemies: only slots
    with men there can lead).  One kernel over runs, places and slots
    (:func:`pool_kernel`): each sum runs over the slots in order, in float64, so a run's
    groups depend on that run alone (a run plays the same in any batch).
    """
    out = pool_kernel(
        np.ascontiguousarray(mask, np.bool_),
        np.asarray(rows, np.int64),
        np.asarray(cols, np.int64),
        slots.men if men is None else np.ascontiguousarray(men, np.float64),
        men is not None,
        slots.eff,
        slots.surprise,
        slots.has_cmd,
        slots.rank,
        slots.ratings,
    )
    return Group(*out)


@jit.kernel
def pool_one(sel, r, cols, men, manned, eff, surprise, has_cmd, rank):
    """Return the men, men x effectiveness, men x surprise and leader of one group.

    ``sel[C]`` marks the slots ``cols`` in the group, in run ``r``; the leader is the
    slot of the best-ranked commander present (the first if tied), or -1.
    """
    total = 0.0
    eff_sum = 0.0
    sur_sum = 0.0
    best = -1
    for c in range(cols.size):
        if not sel[c]:
            continue
        f = cols[c]
        w = men[r, f]
        total += w
        eff_sum += w * eff[r, f]
        sur_sum += w * surprise[f]
        if has_cmd[r, f] and (w > 0 or not manned) and (best < 0 or rank[r, f] > rank[r, best]):
            best = f
    return total, eff_sum, sur_sum, best


@jit.kernel
def group_logs(total, eff_sum, sur_sum):
    """Return a group's ln effectiveness and surprise (:data:`FIELDS` 1 and 4) from its sums.

    Of scalars only: the kernel that writes a group per place calls it for each, and an
    array passed to a call is counted in and out of use every time.
    """
    safe = max(total, 1e-9)
    return np.log(max(eff_sum / safe, 1e-6)), sur_sum / safe


@jit.kernel
def pool_kernel(mask, rows, cols, men, manned, eff, surprise, has_cmd, rank, ratings):
    """Return ``[7, N, P]``: the fields of the groups of :func:`pool`.

    Slot by slot over each row of the mask (its places in a row of memory): each
    place's sums take its slots in the order :func:`pool_one` takes them, the same
    floats.  A slot without men or a leader in the run is passed over: it would add
    zeros (a sum that starts at +0 and adds products of men, effectiveness and
    surprise never holds -0, so adding a zero changes no bit), and most slots of a
    side's view are empty (unseen enemies, irregulars not risen).  Likewise a place
    with nobody in it (most of them) keeps the zeros it starts with and the ln
    effectiveness of an empty group, worked out once (:func:`group_logs` of zeros).
    """
    N, C, P = mask.shape
    out = np.zeros((7, N, P))
    floor = group_logs(0.0, 0.0, 0.0)[0]
    total = np.empty(P)
    eff_sum = np.empty(P)
    sur_sum = np.empty(P)
    best = np.empty(P, np.int64)
    for n in range(N):
        r = rows[n]
        total[:] = 0.0
        eff_sum[:] = 0.0
        sur_sum[:] = 0.0
        best[:] = -1
        for c in range(C):
            f = cols[c]
            w = men[r, f]
            leads = has_cmd[r, f] and (w > 0 or not manned)
            if w == 0.0 and not leads and np.isfinite(eff[r, f]) and np.isfinite(surprise[f]):
                continue  # no men and no leader: adds zeros, which change no sum
            we = w * eff[r, f]
            ws = w * surprise[f]
            for p in range(P):
                if mask[n, c, p]:
                    total[p] += w
                    eff_sum[p] += we
                    sur_sum[p] += ws
                    if leads and (best[p] < 0 or rank[r, f] > rank[r, best[p]]):
                        best[p] = f
        for p in range(P):
            b = best[p]
            if total[p] == 0.0 and eff_sum[p] == 0.0 and sur_sum[p] == 0.0 and b < 0:
                out[1, n, p] = floor  # nobody there: the fields of an empty group
                continue
            log_eff, sur = group_logs(total[p], eff_sum[p], sur_sum[p])
            out[0, n, p] = total[p]
            out[1, n, p] = log_eff
            out[4, n, p] = sur
            if b >= 0:
                out[2, n, p] = ratings[0, r, b]
                out[3, n, p] = ratings[1, r, b]
                out[5, n, p] = ratings[2, r, b]
                out[6, n, p] = ratings[3, r, b]
    return out
