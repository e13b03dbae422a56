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
slot order.  The plan is worked out once per width (:func:`sum_plan`, and as arrays for
kernels :func:`plan_code`); the sums are compiled (:func:`tree_sum`, which the battle's
aggregation calls from its own kernel).  ``tests/test_engine_fastpaths.py`` checks the
result against numpy's own ``sum`` for many widths.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from game.engine import jit

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


@cache
def plan_code(width: int) -> tuple[I64, I64, int]:
    """Return :func:`sum_plan` as arrays a kernel reads.

    Each column's leaf, the tree as postfix code (a leaf's index pushes that leaf's sum;
    -1 adds the last two, the earlier on the left) and the number of leaves.
    """
    plan = sum_plan(width)
    code: list[int] = []

    def emit(node: Node) -> None:
        if isinstance(node, int):
            code.append(node)
        else:
            emit(node[0])
            emit(node[1])
            code.append(-1)

    emit(plan.tree)
    return plan.leaf, np.array(code, np.int64), plan.n_leaves


@jit.kernel
def tree_sum(lanes, code):  # pragma: no cover - compiled
    """Return the sum of the leaves' sums ``lanes`` in the order of the postfix ``code``."""
    return tree_sum_in(lanes, code, np.empty(code.size))


@jit.kernel
def tree_sum_in(lanes, code, stack):  # pragma: no cover - compiled
    """Return :func:`tree_sum`, working in ``stack`` (at least ``code.size`` long)."""
    sp = 0
    for op in code:
        if op >= 0:
            stack[sp] = lanes[op]
            sp += 1
        else:
            stack[sp - 2] = stack[sp - 2] + stack[sp - 1]
            sp -= 1
    return stack[0]


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
    vals = np.ascontiguousarray(vals[:, None] if flat else vals)
    leaf, code, n_leaves = plan_code(width)
    out = _row_sums(
        np.asarray(row, np.int64), np.asarray(col, np.int64), vals, n, leaf, n_leaves, code
    )
    return out[:, 0] if flat else out  # type: ignore[no-any-return]


@jit.kernel
def _row_sums(row, col, values, n, leaf, n_leaves, code):  # pragma: no cover - compiled
    """Return :func:`row_sums`: each row's entries added lane by lane, then by the plan.

    A lane is the plain sum of its entries in column order from 0.0 (the zeros of the
    dense row change nothing); the final ``+ 0.0`` is numpy's sum starting from its
    identity (so a row of -0.0 terms gives +0.0, as numpy's does).
    """
    k = values.shape[1]
    out = np.zeros((n, k))
    lanes = np.zeros((k, n_leaves))
    i = 0
    while i < row.size:
        r = row[i]
        lanes[:] = 0.0
        while i < row.size and row[i] == r:
            for j in range(k):
                lanes[j, leaf[col[i]]] += values[i, j]
            i += 1
        for j in range(k):
            out[r, j] = tree_sum(lanes[j], code) + 0.0
    return out


@jit.kernel
def held_sums(owner, worth, leaf, n_leaves, code):  # pragma: no cover - compiled
    """Return ``[R, S]``: each side's ``worth[s]`` summed over the provinces it holds.

    ``owner`` is ``[R, P]``; the sum of each run and side is numpy's dense row sum of
    ``(owner[r] == s) * worth[s]`` over ``P`` columns (``leaf``, ``n_leaves`` and ``code``
    are :func:`plan_code` of ``P``), bit for bit: the provinces not held add zeros, which
    change nothing.  ``worth`` must hold no negative values (a zero term would be -0.0).
    """
    R, P = owner.shape
    S = worth.shape[0]
    out = np.zeros((R, S))
    lanes = np.zeros((S, n_leaves))
    stack = np.empty(code.size)
    for r in range(R):
        lanes[:] = 0.0
        for p in range(P):  # each side's lanes take its terms in column order
            s = owner[r, p]
            if 0 <= s < S:
                lanes[s, leaf[p]] += worth[s, p]
        for s in range(S):
            out[r, s] = tree_sum_in(lanes[s], code, stack) + 0.0
    return out
