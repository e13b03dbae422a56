"""The orders of one side as the heuristic's passes build them, and where its men will stand.

Each pass gives some of the still-free forces an order (:meth:`Draft.assign`) and, when
they march, moves their men in the projection of where men will stand at the end of the
turn (:meth:`Draft.move_men`), so that later passes see what earlier ones decided: two
forces do not chase one prize, and the last force in a conquest is the one left to hold
it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from game.ai import draft_kernels
from game.ai.explain import Notes
from game.ai.features import Group, Situation
from game.codes import NONE
from game.engine.orders import NO_ORDER

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


@dataclass
class Draft:
    """The side's orders so far, per run and force slot.

    Attributes:
        sit: The situation the orders answer.
        kind, target: ``[R, F]`` order codes and targets (no order yet: ``NO_ORDER``).
        free: ``[R, F]`` forces still without an order.
        notes: Why each order was given.
        proj: ``[R, P]`` men that will stand in each province at the end of the turn,
            as decided so far (undecided forces are counted where they are; men are
            whole numbers, so the sums are exact in any order).
    """

    sit: Situation
    kind: npt.NDArray[np.int16]
    target: npt.NDArray[np.int16]
    free: B
    notes: Notes
    proj: F64

    @classmethod
    def start(cls, sit: Situation, *, notes: bool = True) -> Draft:
        """Return a draft with no orders (recording reasons only if ``notes``)."""
        R, F, P = sit.runs, sit.scn.F, sit.scn.P
        r, f = np.nonzero(sit.able)  # standing where they are, or where the road leads
        cell = r * P + sit.here[r, f]
        proj = np.bincount(cell, weights=sit.men[r, f], minlength=R * P).reshape(R, P)
        return cls(
            sit=sit,
            kind=np.full((R, F), NO_ORDER, np.int16),
            target=np.full((R, F), NONE, np.int16),
            free=sit.able.copy(),
            notes=Notes.empty(R, F, recording=notes),
            proj=proj,
        )

    def assign(self, mask: B, kind: npt.ArrayLike, target: npt.ArrayLike) -> None:
        """Give the forces of ``mask`` an order and take them out of the free pool.

        One kernel (:func:`game.ai.draft_kernels.assign`).
        """
        draft_kernels.assign(
            self.kind, self.target, self.free, mask, _cells(kind, mask), _cells(target, mask)
        )

    def move_men(self, mask: B, dest: I64) -> None:
        """Move the projected men of the forces of ``mask`` from where they are to ``dest``.

        ``dest`` is ``[R, F]``, or ``[R]`` (one place per run).  One kernel
        (:func:`game.ai.draft_kernels.move_men`).
        """
        dest = np.asarray(dest)
        draft_kernels.move_men(
            self.proj,
            mask,
            self.sit.men,
            self.sit.here,
            _cells(dest if dest.ndim == 2 else dest[:, None], mask),
        )


def _cells(x: npt.ArrayLike, mask: B) -> I64:
    """Return ``x`` (a code, or per run, or per force) as an ``[R, F]`` table of integers."""
    return np.broadcast_to(np.asarray(x, np.int64), mask.shape)


def spread(x: npt.NDArray[np.generic], rows: I64, runs: int) -> npt.NDArray[Any]:
    """Return ``x`` (one row per run of ``rows``) on every run of the batch, zero elsewhere.

    The passes weigh a force's options only in the runs where it has a choice; the
    orders and notes are then set on the whole batch through masks that never read the
    other rows.
    """
    out = np.zeros((runs, *x.shape[1:]), x.dtype)
    out[rows] = x
    return out


def pick(g: Group, rows: I64, places: I64 | None = None) -> Group:
    """Return the group's values at the given runs (and places): flat, one per pair."""
    if places is None:
        return Group(*(getattr(g, k)[rows] for k in Group.__dataclass_fields__))
    return Group(*(getattr(g, k)[rows, places] for k in Group.__dataclass_fields__))
