"""Which run ranges a study plays as chunks, reusing those already on disk.

A chunk is a range of run indices.  Because a run's result depends only on its index,
any way of cutting the study into chunks gives the same rows; the plan only decides how
much work is sent at once, and which finished chunks from an earlier session can be
reused by ``--resume`` even if the chunk size has changed since.

A plan is lazy: it yields one range at a time as the driver asks for the next, so its
memory does not grow with ``--runs`` (a trillion runs costs no more to plan than ten).
The limits on run ids are :data:`game.rng.RUN_LIMIT` and :func:`check_runs`.
"""

from __future__ import annotations

from collections.abc import Iterator

from game.errors import UsageError
from game.rng import RUN_LIMIT

Range = tuple[int, int]
"""``(first, end)``: runs ``first .. end-1``."""
MAX_CHUNK_SIZE = 10_000
"""Most runs in one chunk: a chunk's arrays are all in memory at once (the engine gains
nothing beyond a few hundred runs per batch)."""


def check_runs(first: int, count: int) -> None:
    """Refuse run ranges the game cannot number.

    Raises:
        UsageError: Unless ``0 <= first`` and ``1 <= count`` and the last run id is below
            :data:`game.rng.RUN_LIMIT`.
    """
    if count < 1:
        raise UsageError(f"--runs must be at least 1, got {count}")
    if first < 0:
        raise UsageError(f"--first-run must be 0 or more, got {first}")
    if first + count > RUN_LIMIT:
        raise UsageError(
            f"--first-run {first} with --runs {count} goes past the last run id "
            f"{RUN_LIMIT - 1:,} (run ids are below 10^12)"
        )


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
) -> Iterator[Range]:
    """Yield the chunks of runs ``first .. first+count-1`` in run order, one at a time.

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
    pos = first
    for a, b in [*reusable(existing or [], first, end), (end, end)]:
        yield from _cut(pos, a, first, chunk, align)
        if a < b:
            yield (a, b)
        pos = b


def _cut(a: int, b: int, origin: int, chunk: int, align: int | None) -> Iterator[Range]:
    """Cut ``a .. b-1`` at multiples of ``align`` from ``origin``, then into ``chunk``s."""
    x = a
    while x < b:
        y = min(b, origin + ((x - origin) // align + 1) * align) if align else b
        for s in range(x, y, chunk):
            yield (s, min(s + chunk, y))
        x = y


def is_check_point(done: int, count: int, every: int) -> bool:
    """Whether ``--until-ci`` tests its rule after ``done`` of ``count`` runs."""
    return done == count or (done > 0 and done % every == 0)
