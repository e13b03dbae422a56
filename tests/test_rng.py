"""Tests of the keyed, counter-based random numbers in game.rng."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng

N = 400_000


def _keys(seed: int = 0, n: int = N) -> np.ndarray:
    return rng.root_key(seed, rng.Stream.TEST, np.arange(n))


def _chi2_uniform(u: np.ndarray, bins: int = 100) -> float:
    counts = np.bincount(np.minimum((u * bins).astype(np.int64), bins - 1), minlength=bins)
    expected = u.size / bins
    return float(((counts - expected) ** 2 / expected).sum())


def _chi2_bound(dof: int) -> float:
    # mean + 5 standard deviations of a chi-square: a false alarm is practically impossible.
    return dof + 5 * math.sqrt(2 * dof)


def test_uniforms_are_uniform_and_strictly_inside_the_unit_interval() -> None:
    k = _keys()
    for u in (rng.uniform(k, 1), *rng.uniform_pair(k, 2)):
        assert u.dtype == np.float64
        assert u.min() > 0.0 and u.max() < 1.0
        assert _chi2_uniform(u) < _chi2_bound(99)
        assert abs(u.mean() - 0.5) < 5 * math.sqrt(1 / 12 / N)


def test_the_two_halves_of_a_pair_are_independent() -> None:
    u1, u2 = rng.uniform_pair(_keys(), 3)
    joint = np.minimum((u1 * 10).astype(int), 9) * 10 + np.minimum((u2 * 10).astype(int), 9)
    counts = np.bincount(joint, minlength=100)
    expected = N / 100
    assert ((counts - expected) ** 2 / expected).sum() < _chi2_bound(99)
    assert abs(np.corrcoef(u1, u2)[0, 1]) < 5 / math.sqrt(N)


def test_normals_have_the_moments_of_a_standard_normal() -> None:
    z1, z2 = rng.normal_pair(_keys(), 4)
    for z in (z1, z2, rng.normal(_keys(), 5)):
        assert abs(z.mean()) < 5 / math.sqrt(N)
        assert abs(z.var() - 1) < 5 * math.sqrt(2 / N)
        assert abs(np.mean(z**3)) < 5 * math.sqrt(15 / N)
        assert abs(np.mean(z**4) - 3) < 5 * math.sqrt(96 / N)
        # Tail mass beyond 2 sd: 4.55%.
        assert abs(np.mean(np.abs(z) > 2) - 0.0455) < 0.003
    assert abs(np.corrcoef(z1, z2)[0, 1]) < 5 / math.sqrt(N)


def test_exponentials_and_integers() -> None:
    e = rng.exponential(_keys(), 6)
    assert e.min() > 0
    assert abs(e.mean() - 1) < 5 / math.sqrt(N)
    assert abs(e.var() - 1) < 5 * math.sqrt(8 / N)
    i = rng.integers(7, _keys(), 7)
    assert i.min() == 0 and i.max() == 6
    counts = np.bincount(i, minlength=7)
    assert ((counts - N / 7) ** 2 / (N / 7)).sum() < _chi2_bound(6)
    sizes = np.arange(1, 9)
    j = rng.integers(sizes[:, None], _keys(n=1000)[None, :], 8)
    assert j.shape == (8, 1000)
    assert np.all((j >= 0) & (j < sizes[:, None]))


def test_same_inputs_give_the_same_numbers() -> None:
    k = _keys(n=1000)
    assert np.array_equal(rng.uniform(k, 1, 2), rng.uniform(k, 1, 2))
    assert np.array_equal(rng.counter_bits(k, 5), rng.counter_bits(k, 5))
    assert np.array_equal(
        rng.root_key(42, rng.Stream.GAME, 7), rng.root_key(42, rng.Stream.GAME, 7)
    )
    # Element i never depends on the other elements of the batch.
    assert np.array_equal(rng.normal(k[17:18], 3), rng.normal(k, 3)[17:18])
    assert np.array_equal(rng.counter_bits(k[::-1], 2), rng.counter_bits(k, 2)[::-1])


def test_keys_are_distinct_across_parts_streams_and_seeds() -> None:
    k = rng.root_key(1, rng.Stream.GAME, np.arange(10_000))
    assert np.unique(k).size == k.size
    assert not np.isin(k, rng.root_key(1, rng.Stream.AI, np.arange(10_000))).any()
    assert not np.isin(k, rng.root_key(2, rng.Stream.GAME, np.arange(10_000))).any()
    one = rng.root_key(1, rng.Stream.GAME, 0)
    assert rng.derive(one, 1, 2) != rng.derive(one, 2, 1)
    assert rng.derive(one, 1) != rng.derive(one, 1, 0)
    steps = np.stack([rng.counter_bits(k, c) for c in range(8)])
    assert all(np.unique(row).size == row.size for row in steps)
    assert not np.array_equal(steps[0], steps[1])


def test_streams_of_neighbouring_keys_are_uncorrelated() -> None:
    k = _keys()
    a = rng.uniform(k, 1)
    b = rng.uniform(k, 2)
    c = rng.uniform(rng.derive(k, 1), 0)
    shifted = rng.uniform(np.roll(k, 1), 1)
    for other in (b, c, shifted):
        assert abs(np.corrcoef(a, other)[0, 1]) < 5 / math.sqrt(N)
    u1, _ = rng.to_uniform_pair(rng.counter_bits(k, 0))
    v1, _ = rng.to_uniform_pair(rng.counter_bits(k, 1))
    assert abs(np.corrcoef(u1, v1)[0, 1]) < 5 / math.sqrt(N)


def test_broadcasting_gives_one_key_per_combination() -> None:
    runs = rng.root_key(3, rng.Stream.GAME, np.arange(50))
    slots = np.arange(7)
    keys = rng.derive(runs[:, None], slots[None, :])
    assert keys.shape == (50, 7)
    assert keys.dtype == np.uint64
    assert np.unique(keys).size == 350
    assert np.array_equal(keys[12, 3], rng.derive(runs[12], 3))
    assert rng.uniform(runs[:, None], slots[None, :]).shape == (50, 7)
    assert rng.derive(runs[0], 1).shape == ()
    assert rng.normal_pair(runs, 1)[0].shape == (50,)


@pytest.mark.parametrize("lam", [0.3, 2.0, 8.0, 30.0, 200.0])
def test_poisson_mean_and_variance(lam: float) -> None:
    u, _ = rng.uniform_pair(_keys(), 9)
    z, _ = rng.normal_pair(_keys(), 10)
    x = rng.poisson_from_uniform(np.full(N, lam), u, z)
    assert np.all(x >= 0) and np.all(x == np.floor(x))
    assert abs(x.mean() - lam) < 5 * math.sqrt(lam / N) + 0.01 * (lam >= 12)
    assert abs(x.var() / lam - 1) < 0.03 + (0.02 if lam >= 12 else 0.0)


def test_poisson_small_means_follow_the_exact_distribution() -> None:
    lam = 1.7
    u, _ = rng.uniform_pair(_keys(), 11)
    x = rng.poisson_from_uniform(np.full(N, lam), u, np.zeros(N)).astype(np.int64)
    counts = np.bincount(x, minlength=9)[:9]
    pmf = np.array([math.exp(-lam) * lam**k / math.factorial(k) for k in range(9)])
    expected = N * pmf
    assert ((counts - expected) ** 2 / expected).sum() < _chi2_bound(8)


def test_keys_must_be_integers_and_seeds_in_range() -> None:
    with pytest.raises(TypeError):
        rng.derive(np.array([1.5]), 1)
    with pytest.raises(ValueError, match="seed"):
        rng.root_key(-1, rng.Stream.GAME, 0)
    with pytest.raises(ValueError, match="seed"):
        rng.root_key(2**64, rng.Stream.GAME, 0)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**64 - 1), st.integers(0, 10**6), st.integers(0, 10**6))
def test_any_key_and_part_gives_uniforms_inside_the_unit_interval(
    seed: int, a: int, b: int
) -> None:
    k = rng.root_key(seed, rng.Stream.TEST, a)
    u = rng.uniform(k, b)
    u1, u2 = rng.uniform_pair(k, b)
    assert 0.0 < float(u) < 1.0
    assert 0.0 < float(u1) < 1.0 and 0.0 < float(u2) < 1.0
    assert math.isfinite(float(rng.normal(k, b)))
    assert np.array_equal(rng.derive(k, b), rng.derive(np.array([k]), b)[0])
