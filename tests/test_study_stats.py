"""Statistics of studies: intervals against published values and simulated coverage,
the mergeable histogram, chunk planning, and the balance verdict."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game import rng
from game.study.balance import verdict
from game.study.intervals import (
    Histogram,
    Moments,
    independent_difference,
    mean_interval,
    paired_difference,
    wilson,
)
from game.study.plan import is_check_point, plan, reusable

# Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat. Med.
# 17:857-872, Table I, method 3 (Wilson score interval without continuity correction).
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "lo", "hi"), NEWCOMBE)
def test_wilson_matches_published_values(k, n, lo, hi):
    got = wilson(k, n)
    assert got == pytest.approx((lo, hi), abs=5e-5)


def test_wilson_edges_and_symmetry():
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == 1.0
    lo, hi = wilson(3, 10)
    lo2, hi2 = wilson(7, 10)
    assert lo == pytest.approx(1 - hi2) and hi == pytest.approx(1 - lo2)
    assert wilson(0, 0) == (0.0, 1.0)


def _binomials(p: float, n: int, trials: int, salt: int) -> np.ndarray:
    u = rng.uniform(rng.root_key(salt, rng.Stream.TEST, np.arange(trials))[:, None], np.arange(n))
    return (u < p).sum(axis=1)


@pytest.mark.parametrize(("p", "n"), [(0.3, 50), (0.05, 200), (0.5, 30)])
def test_wilson_covers_about_95_percent(p, n):
    ks = _binomials(p, n, 4000, salt=int(p * 1000) + n)
    covered = np.mean([lo <= p <= hi for lo, hi in (wilson(int(k), n) for k in ks)])
    assert 0.93 <= covered <= 0.975


def test_paired_difference_formula_and_coverage():
    # Agresti & Min (2005): add 1/2 to each cell, then Wald.
    d, lo, hi = paired_difference(10, 4, 100)
    b2, c2, n2 = 10.5, 4.5, 102.0
    dd = (b2 - c2) / n2
    se = math.sqrt((b2 + c2) - (b2 - c2) ** 2 / n2) / n2
    assert d == pytest.approx(0.06)
    assert (lo, hi) == pytest.approx((dd - 1.959964 * se, dd + 1.959964 * se), abs=1e-6)
    # Common random numbers: the variant's event contains the baseline's (P 0.40 -> 0.45),
    # so every discordant pair goes one way.  With ~50 discordant pairs per study the
    # interval covers at its nominal rate (it undercovers slightly below ~20).
    trials, n = 1500, 1000
    keys = rng.root_key(5, rng.Stream.TEST, np.arange(trials))[:, None]
    u = rng.uniform(keys, np.arange(n))
    a, b = u < 0.40, u < 0.45
    covered = 0
    for i in range(trials):
        _, lo, hi = paired_difference(int((a[i] & ~b[i]).sum()), int((b[i] & ~a[i]).sum()), n)
        covered += lo <= -0.05 <= hi
    assert 0.93 <= covered / trials <= 0.97


def test_paired_interval_is_tighter_than_independent_for_correlated_arms():
    _, lo, hi = paired_difference(b=12, c=2, n=1000)
    _, ilo, ihi = independent_difference(412, 1000, 402, 1000)
    assert (hi - lo) * 3 < ihi - ilo


def test_mean_interval_and_moments():
    m = Moments()
    m.add([1, 2, 3, 4])
    m.add([5])
    mean, lo, hi = m.interval()
    assert mean == 3.0
    assert (hi - lo) / 2 == pytest.approx(1.959964 * math.sqrt(2.5 / 5), rel=1e-6)
    assert mean_interval(7, 49, 1) == (7.0, 7.0, 7.0)


def test_histogram_is_exact_small_and_independent_of_chunking():
    values = _binomials(0.5, 20000, 64, salt=1) * 3
    whole = Histogram(bins=64)
    whole.add(values)
    parts = Histogram(bins=64)
    for chunk in np.array_split(values[::-1], 7):
        h = Histogram(bins=64)
        h.add(chunk)
        parts.merge(h)
    assert parts.width == whole.width > 1
    assert np.array_equal(parts.counts, whole.counts)
    assert whole.n == values.size
    exact = Histogram()
    exact.add([5, 1, 3, 3, 9])
    assert exact.width == 1
    assert exact.quantile(0.5) == 3.0
    assert exact.quantile(1.0) == 9.0


def test_plan_cuts_reuses_and_aligns():
    assert list(plan(10, 25, 10)) == [(10, 20), (20, 30), (30, 35)]
    assert list(plan(0, 10, 4, align=6)) == [(0, 4), (4, 6), (6, 10)]
    assert list(plan(5, 20, 4, align=6)) == [
        (5, 9),
        (9, 11),
        (11, 15),
        (15, 17),
        (17, 21),
        (21, 23),
        (23, 25),
    ]
    kept = list(plan(0, 30, 7, existing=[(0, 10), (5, 12), (20, 30), (40, 50)]))
    assert kept == [(0, 10), (10, 17), (17, 20), (20, 30)]
    assert reusable([(0, 5), (0, 10), (3, 4)], 0, 20) == [(0, 10)]
    assert [n for n in range(2501) if is_check_point(n, 2500, 1000)] == [1000, 2000, 2500]


def test_balance_verdicts():
    w = {
        "a": {"p": 0.97, "ci95": [0.95, 0.98]},
        "b": {"p": 0.02, "ci95": [0.01, 0.03]},
        "draw": {"p": 0.01, "ci95": [0.0, 0.02]},
    }
    assert verdict(w)["verdict"] == "one-sided"
    assert verdict(w)["favours"] == "a"
    w["a"]["ci95"] = [0.85, 0.99]
    assert verdict(w)["verdict"] == "probably one-sided"
    w["a"] = {"p": 0.5, "ci95": [0.45, 0.55]}
    assert verdict(w)["verdict"] == "heavily favours"  # 50% against 2% is not balanced
    assert verdict(w)["favours"] == "a"


def test_balance_words_match_the_shares():
    def shares(a: float, b: float, half: float = 0.03) -> dict:
        return {
            "a": {"p": a, "ci95": [a - half, a + half]},
            "b": {"p": b, "ci95": [b - half, b + half]},
            "draw": {"p": 1 - a - b, "ci95": [0.0, 1.0]},
        }

    v = verdict(shares(0.37, 0.04))
    assert v["verdict"] == "heavily favours" and v["favours"] == "a"
    assert "37.0%" in v["text"] and "4.0%" in v["text"] and "balanced" not in v["text"]
    assert "without a winner" in v["text"]  # 59% draws
    assert verdict(shares(0.30, 0.12))["verdict"] == "favours"
    assert verdict(shares(0.45, 0.35))["verdict"] == "slightly favours"
    even = verdict(shares(0.31, 0.29))
    assert even["verdict"] == "balanced" and even["favours"] is None
    assert verdict(shares(0.10, 0.40))["favours"] == "b"
