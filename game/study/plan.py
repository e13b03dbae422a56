"""Which run ranges a study plays as chunks, reusing those already on disk.

A chunk is a range of run indices.  Because a run's result depends only on its index,
any way of cutting the study into chunks gives the same rows; the plan only decides how
much work is sent at once, and which finished chunks from an earlier session can be
reused by ``--resume`` even if the chunk size has changed since.
"""

from __future__ import annotations

import itertools

Range = tuple[int, int]
"""``(first, end)``: runs ``first .. end-1``."""


def reusable(existing: list[Range], first: int, end: int) -> list[Range]:
    """Return non-overlapping ranges on disk that lie inside ``first .. end-1``.

    Longer ranges win where two overlap (they are the larger share of finished work).
    """
    inside = sorted((a, b) for a, b in set(existing) if first <= a < b <= end)
    inside.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    out: list[Range] = []
    for a, b in inside:
        if not out or a >= out[-1][1]:
            out.append((a, b))
    return out


def plan(
    first: int,
    count: int,
    chunk: int,
    *,
    existing: list[Range] | None = None,
    align: int | None = None,
) -> list[Range]:
    """Return the chunks of runs ``first .. first+count-1`` in run order.

    Args:
        first: Index of the first run.
        count: Number of runs.
        chunk: Largest number of runs in a new chunk.
        existing: Ranges already on disk (for any arm); those inside are kept as they are.
        align: Also cut new chunks at every multiple of this many runs from ``first``
            (``--until-ci`` checks its stopping rule only there, so where it stops does
            not depend on the chunk size).
    """
    if chunk < 1:
        raise ValueError("chunk size must be at least 1")
    end = first + count
    kept = reusable(existing or [], first, end)
    out: list[Range] = []
    pos = first
    for a, b in [*kept, (end, end)]:
        out.extend(_cut(pos, a, first, chunk, align))
        if a < b:
            out.append((a, b))
        pos = b
    return out


def _cut(a: int, b: int, origin: int, chunk: int, align: int | None) -> list[Range]:
    """Cut ``a .. b-1`` at multiples of ``align`` from ``origin``, then into ``chunk``s."""
    points = [a]
    if align:
        k = (a - origin) // align + 1
        while origin + k * align < b:
            points.append(origin + k * align)
            k += 1
    points.append(b)
    out: list[Range] = []
    for x, y in itertools.pairwise(points):
        out.extend((s, min(s + chunk, y)) for s in range(x, y, chunk))
    return out


def check_points(first: int, count: int, every: int) -> set[int]:
    """Return the run counts (from ``first``) at which ``--until-ci`` tests its rule."""
    return set(range(every, count + 1, every)) | {count}
