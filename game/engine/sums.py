"""Per-row sums of sparse ``[n, width]`` arrays, bit for bit as numpy's dense row sums.

Battles aggregate their participants with weighted sums over the force slots, which the
engine long wrote densely: ``(w * x).sum(axis=1)`` on ``[battles, forces]`` arrays that
are mostly zeros.  The same sums over just the participants are far cheaper, but float
addition is not associative, so adding the same terms in another order may change the
last bit, and with it a battle.  :func:`row_sums` therefore adds the terms in exactly the
order numpy's pairwise summation adds a dense row of ``width`` elements:

* a row of fewer than 8 elements is added left to right;
* a row of 8 to 128 elements is added in 8 interleaved lanes (elements ``j, j+8, j+16...``
  left to right in lane ``j``), the lanes combined as ``((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7))``,
  then the last ``width % 8`` elements added one by one;
* a longer row is split in two (the first half a multiple of 8) and each half summed so.

The zeros of a dense row change nothing in this scheme (``x + 0.0 == x``, and numpy's
row sum is never ``-0.0``), so each lane is the plain sum of its participants' terms in
slot order, which :func:`numpy.bincount` gives.  ``tests/test_engine_fastpaths.py``
checks the result against numpy's own ``sum`` for many widths.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

Node = int | tuple["Node", "Node"]
"""A leaf (an index into the lane sums) or the sum of two nodes, left first."""


@dataclass(frozen=True)
class SumPlan:
    """How numpy adds up a dense row of ``width`` elements.

    Attributes:
        leaf: Which leaf (a run of elements added left to right) holds each column.
        n_leaves: Number of leaves.
        tree: The order in which the leaves' sums are added.
    """

    leaf: I64
    n_leaves: int
    tree: Node


@cache
def sum_plan(width: int) -> SumPlan:
    """Return the summation order of numpy's pairwise sum over a row of ``width``."""
    leaf = np.zeros(width, np.int64)
    count = 0

    def new_leaf(cols: range) -> int:
        nonlocal count
        leaf[list(cols)] = count
        count += 1
        return count - 1

    def block(start: int, n: int) -> Node:
        if n < 8:
            return new_leaf(range(start, start + n))
        if n <= 128:
            body = n - n % 8
            lanes = [new_leaf(range(start + j, start + body, 8)) for j in range(8)]
            node: Node = (
                ((lanes[0], lanes[1]), (lanes[2], lanes[3])),
                ((lanes[4], lanes[5]), (lanes[6], lanes[7])),
            )
            for col in range(start + body, start + n):
                node = (node, new_leaf(range(col, col + 1)))
            return node
        half = n // 2
        half -= half % 8
        return (block(start, half), block(start + half, n - half))

    tree = block(0, width)
    return SumPlan(leaf=leaf, n_leaves=count, tree=tree)


def row_sums(row: I64, col: I64, values: F64, n: int, width: int) -> F64:
    """Return the sum of each row of the dense arrays these entries describe.

    Args:
        row: Row of each entry; entries must come sorted by row, then by column, with
            no (row, column) twice.
        col: Column of each entry, ``0 <= col < width``.
        values: The entries (``float64``), ``[m]`` or ``[m, k]`` for ``k`` arrays sharing
            the same pattern; every other element of the dense arrays is 0.
        n: Number of rows.
        width: Number of columns of the dense array, which fixes the order of summing.

    Returns:
        ``[n]``, or ``[n, k]`` for ``[m, k]`` values.
    """
    vals = np.asarray(values, np.float64)
    flat = vals.ndim == 1
    vals = vals[:, None] if flat else vals
    counts = np.bincount(row, minlength=n)
    first = np.cumsum(counts) - counts
    # One or two terms add up the same in any order (IEEE addition is commutative), and
    # numpy's sum, which starts from +0.0, never gives -0.0: so a short row needs no plan.
    out = np.zeros((n, vals.shape[1]))
    one = np.flatnonzero(counts == 1)
    out[one] = vals[first[one]] + 0.0
    two = np.flatnonzero(counts == 2)
    out[two] = (vals[first[two]] + vals[first[two] + 1]) + 0.0
    many = counts >= 3
    if many.any():
        rows = np.flatnonzero(many)
        keep = many[row]
        rank = np.cumsum(many) - 1
        out[rows] = _planned_sums(rank[row[keep]], col[keep], vals[keep], rows.size, width)
    return out[:, 0] if flat else out


def _planned_sums(row: I64, col: I64, vals: F64, n: int, width: int) -> F64:
    """Return ``[n, k]`` row sums of ``[m, k]`` entries in numpy's order (:func:`sum_plan`)."""
    plan = sum_plan(width)
    k = vals.shape[1]
    # Lanes laid out [k, leaf, row], so each step of the plan adds two contiguous rows.
    bins = (np.arange(k)[None, :] * plan.n_leaves + plan.leaf[col][:, None]) * n + row[:, None]
    lanes = np.bincount(bins.ravel(), weights=vals.ravel(), minlength=k * plan.n_leaves * n)
    lanes = lanes.reshape(k, plan.n_leaves, n)

    def total(node: Node) -> F64:
        if isinstance(node, int):
            return lanes[:, node]
        return total(node[0]) + total(node[1])

    return np.ascontiguousarray(total(plan.tree).T)
