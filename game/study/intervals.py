"""Confidence intervals and a mergeable histogram, all from integer counts.

Everything a study reports is computed from integer counts and sums, never from running
floating-point totals, so the numbers are bit-identical whatever the chunk size, worker
count or order in which chunks came back.

Intervals are 95% unless ``z`` says otherwise:

* a probability: Wilson's score interval, which keeps its coverage near 0 and 1 where
  the plain normal interval collapses (an outcome seen 0 times in 1,000 runs still gets
  an upper bound);
* a difference of two probabilities from *paired* runs (common random numbers):
  Agresti and Min's adjusted Wald interval (add one half to each cell of the 2x2 table),
  which covers at its nominal rate once a few dozen runs change outcome between the arms
  (with fewer, as with any interval built on so few events, somewhat below);
* the same difference as if the runs were *independent*: Agresti and Caffo's interval
  (add one success and one failure to each sample), shown beside the paired one so the
  gain from pairing is visible;
* a mean: the normal interval from the sample variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Z95 = 1.959963984540054
"""The 97.5% quantile of the standard normal."""


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Return Wilson's score interval for ``k`` successes in ``n`` trials."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def paired_difference(b: int, c: int, n: int, z: float = Z95) -> tuple[float, float, float]:
    """Return the difference of two paired proportions and its interval.

    Args:
        b: Runs where the event happened in the first arm only.
        c: Runs where it happened in the second arm only.
        n: Runs (pairs).
        z: Normal quantile.

    Returns:
        ``(d, lo, hi)``: ``d = (b - c) / n``, the first arm's probability minus the
        second's, and the Agresti-Min interval around it.
    """
    if n <= 0:
        return (0.0, -1.0, 1.0)
    d = (b - c) / n
    n2 = n + 2.0
    b2, c2 = b + 0.5, c + 0.5
    dd = (b2 - c2) / n2
    se = math.sqrt(max((b2 + c2) - (b2 - c2) ** 2 / n2, 0.0)) / n2
    return (d, max(-1.0, dd - z * se), min(1.0, dd + z * se))


def independent_difference(
    k1: int, n1: int, k2: int, n2: int, z: float = Z95
) -> tuple[float, float, float]:
    """Return ``k1/n1 - k2/n2`` and the Agresti-Caffo interval for independent samples."""
    if n1 <= 0 or n2 <= 0:
        return (0.0, -1.0, 1.0)
    d = k1 / n1 - k2 / n2
    p1, p2 = (k1 + 1) / (n1 + 2), (k2 + 1) / (n2 + 2)
    se = math.sqrt(p1 * (1 - p1) / (n1 + 2) + p2 * (1 - p2) / (n2 + 2))
    centre = p1 - p2
    return (d, max(-1.0, centre - z * se), min(1.0, centre + z * se))


def mean_interval(total: int, squares: int, n: int, z: float = Z95) -> tuple[float, float, float]:
    """Return the mean and its normal interval from an integer sum and sum of squares."""
    if n <= 0:
        return (math.nan, math.nan, math.nan)
    mean = total / n
    if n == 1:
        return (mean, mean, mean)
    var = max((squares - total * total / n) / (n - 1), 0.0)
    half = z * math.sqrt(var / n)
    return (mean, mean - half, mean + half)


def half_width(lo: float, hi: float) -> float:
    """Return half an interval's width (what ``--until-ci`` compares with its tolerance)."""
    return (hi - lo) / 2.0


@dataclass
class Moments:
    """Count, sum and sum of squares of integer values, exact and mergeable."""

    n: int = 0
    total: int = 0
    squares: int = 0

    def add(self, values: npt.ArrayLike) -> None:
        """Add a batch of integer values."""
        v = np.asarray(values, dtype=np.int64)
        self.n += int(v.size)
        self.total += int(v.sum())
        self.squares += int((v * v).sum())

    def interval(self) -> tuple[float, float, float]:
        """Return the mean and its 95% interval."""
        return mean_interval(self.total, self.squares, self.n)


@dataclass
class Histogram:
    """Counts of non-negative integers in bins whose width doubles as values grow.

    The bin width is the smallest power of two that keeps the largest value seen within
    ``bins`` bins, so it depends only on the data, never on the order it arrived in or on
    how it was chunked: merging two histograms gives exactly the histogram of the union.
    Values up to ``bins - 1`` (a war's length in days, say) are counted exactly.
    """

    bins: int = 4096
    width: int = 1
    counts: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))

    def __post_init__(self) -> None:
        if self.counts.size == 0:
            self.counts = np.zeros(self.bins, np.int64)

    def add(self, values: npt.ArrayLike) -> None:
        """Count a batch of values (negative values are counted as 0)."""
        v = np.maximum(np.asarray(values, dtype=np.int64).ravel(), 0)
        if v.size == 0:
            return
        self._widen(int(v.max()))
        self.counts += np.bincount(v // self.width, minlength=self.bins)[: self.bins]

    def merge(self, other: Histogram) -> None:
        """Add another histogram's counts to this one."""
        top = other.width * other.bins - 1
        self._widen(top if other.counts.any() else 0)
        theirs = other.counts
        w = other.width
        while w < self.width:
            theirs = theirs.reshape(-1, 2).sum(axis=1)
            theirs = np.concatenate([theirs, np.zeros(self.bins - theirs.size, np.int64)])
            w *= 2
        self.counts += theirs

    def _widen(self, value: int) -> None:
        while value // self.width >= self.bins:
            self.counts = np.concatenate(
                [self.counts.reshape(-1, 2).sum(axis=1), np.zeros(self.bins // 2, np.int64)]
            )
            self.width *= 2

    @property
    def n(self) -> int:
        """Number of values counted."""
        return int(self.counts.sum())

    def quantile(self, q: float) -> float:
        """Return the ``q`` quantile (the middle of its bin; exact when the width is 1)."""
        n = self.n
        if n == 0:
            return math.nan
        rank = max(1, math.ceil(q * n))
        i = int(np.searchsorted(np.cumsum(self.counts), rank))
        return i * self.width + (self.width - 1) / 2.0

    def trimmed(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Return ``(edges, counts)`` of the bins up to the last non-empty one."""
        nz = np.flatnonzero(self.counts)
        last = int(nz[-1]) + 1 if nz.size else 1
        edges = np.arange(last + 1, dtype=np.int64) * self.width
        return edges, self.counts[:last].copy()
