"""Counter-based, keyed random numbers: the only place randomness is made.

Every draw in Ingavi is a pure function of a key built from (seed, run, turn, phase, slot,
draw).  Nothing depends on the order in which draws are made or on which other runs share
a batch, so run *r* of a batch of 10,000 gives exactly what it gives alone, an AI's
look-ahead cannot shift the dice of the game, and a study gives the same rows on any
number of workers.  The hash is SplitMix64's finaliser applied to a running key, which is
cheap on ``uint64`` arrays and passes BigCrush when used as a counter-based generator.

Keys are ``numpy.uint64`` arrays; all functions broadcast, so ``derive(run_keys[:, None],
battle_slots[None, :])`` gives one key per (run, battle).

The functions ending in ``_one`` are the same streams for one key at a time, written in
the subset of Python that numba compiles: :mod:`game.engine.jit` compiles them for the
engine's kernels, which loop over runs in machine code.  They give the same bits, and the
same floats, as the array functions (``tests/test_jit_rng.py`` compares them); they are
never called uncompiled.  The normals and exponentials take ``log``, ``cos``, ``sin`` and
``exp`` from the C library (:mod:`game.libm`), as a kernel does: numpy's own differ in the
last bit on a processor with AVX-512.
"""

from __future__ import annotations

import enum
from typing import Final

import numpy as np
import numpy.typing as npt

from game import libm

U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]

SEED_LIMIT: Final = 2**63
"""Seeds are whole numbers from 0 to ``SEED_LIMIT - 1`` (what ``--seed`` accepts)."""
RUN_LIMIT: Final = 10**12
"""Run ids are whole numbers from 0 to ``RUN_LIMIT - 1``: a study's chunk files are named
by 12-digit run ids, and no study could play a trillion campaigns anyway."""

_GOLDEN: Final = np.uint64(0x9E3779B97F4A7C15)
_M1: Final = np.uint64(0xBF58476D1CE4E5B9)
_M2: Final = np.uint64(0x94D049BB133111EB)
_PART: Final = np.uint64(0xD6E8FEB86659FD93)
_S30: Final = np.uint64(30)
_S27: Final = np.uint64(27)
_S31: Final = np.uint64(31)
_S11: Final = np.uint64(11)
_S32: Final = np.uint64(32)
_LOW32: Final = np.uint64(0xFFFFFFFF)
_TWO53: Final = 1.0 / 9007199254740992.0
_TWO32: Final = 1.0 / 4294967296.0


class Stream(enum.IntEnum):
    """Top-level namespaces of randomness; each gets keys no other can reach.

    Separating them is what keeps an AI's rollouts or the interface's previews from ever
    consuming a draw that belongs to the game itself.
    """

    GAME = 1
    """The rules: combat, attrition, risings, events."""
    AI = 2
    """Policies' own choices (random policy, tie-breaks, look-ahead futures)."""
    FOG = 3
    """Noise in what a side believes about enemy strength."""
    SAMPLE = 4
    """Sampling uncertain scenario values per run in studies."""
    PREVIEW = 5
    """Odds previews for the interface and the AI; never used by the rules."""
    TEST = 6
    """Inputs drawn by tests and benchmarks."""


def _as_u64(x: object) -> U64:
    arr = np.asarray(x)
    if arr.dtype == np.uint64:
        return arr  # type: ignore[return-value]
    if arr.dtype.kind in "iu":
        return (
            arr.astype(np.int64).view(np.uint64) if arr.dtype.kind == "i" else arr.astype(np.uint64)
        )
    if arr.dtype.kind == "b":
        return arr.astype(np.uint64)
    raise TypeError(f"random keys must be integers, got {arr.dtype}")


def mix64(x: U64) -> U64:
    """Return the SplitMix64 finaliser of ``x`` (a bijection on 64-bit integers)."""
    z = np.atleast_1d(x).astype(np.uint64, copy=True)
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z.reshape(np.shape(x))


def derive(key: object, *parts: object) -> U64:
    """Return keys for sub-streams of ``key``, one per broadcast element of ``parts``.

    ``derive(k, a, b)`` differs from ``derive(k, b, a)`` and from ``derive(k, a)``: each part
    is folded in with its position, so keys never collide by rearrangement.
    """
    h = np.atleast_1d(_as_u64(key)).astype(np.uint64, copy=True)
    for part in parts:
        p = np.atleast_1d(_as_u64(part))
        h = mix64((h + _GOLDEN) ^ (p * _PART + _GOLDEN))
    shape = np.broadcast_shapes(np.shape(key), *(np.shape(p) for p in parts))
    if h.size == 1 and shape == ():
        return h.reshape(())
    return np.broadcast_to(h, shape).copy() if h.shape != shape else h


def root_key(seed: int, stream: Stream, runs: object) -> U64:
    """Return the key of each run (global run index) in one namespace of one seed."""
    if not 0 <= int(seed) < 2**64:
        raise ValueError(f"seed must be between 0 and 2**64-1, got {seed}")
    base = mix64(np.array([int(seed)], dtype=np.uint64) + _GOLDEN)
    return derive(base[0], int(stream), np.asarray(runs, dtype=np.int64))


def bits(key: object, *parts: object) -> U64:
    """Return 64 random bits for each broadcast element of ``key`` and ``parts``."""
    return mix64(derive(key, *parts) ^ _GOLDEN)


def counter_bits(key: U64, counter: int) -> U64:
    """Return the ``counter``-th output of a SplitMix64 sequence seeded by each key.

    One multiply-xorshift pass per element: the cheapest draw, for hot loops such as the
    combat resolver's ticks, where ``key`` is already a per-battle key from :func:`derive`.
    """
    step = np.uint64(((counter + 1) * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)
    return mix64(key + step)


def to_uniform_pair(b: U64) -> tuple[F64, F64]:
    """Split 64 random bits into two uniforms in (0, 1) with 32 bits each."""
    hi = ((b >> _S32).astype(np.float64) + 0.5) * _TWO32
    lo = ((b & _LOW32).astype(np.float64) + 0.5) * _TWO32
    return hi, lo


def uniform(key: object, *parts: object) -> F64:
    """Return uniforms strictly inside (0, 1) with 53 bits of resolution."""
    b = bits(key, *parts)
    return ((b >> _S11).astype(np.float64) + 0.5) * _TWO53


def uniform_pair(key: object, *parts: object) -> tuple[F64, F64]:
    """Return two independent uniforms in (0, 1) (32 bits each) from one hash.

    Half the cost of two :func:`uniform` calls; used on the combat resolver's hot path.
    """
    return to_uniform_pair(bits(key, *parts))


def normal_pair(key: object, *parts: object) -> tuple[F64, F64]:
    """Return two independent standard normals per element (Box-Muller on one hash)."""
    u1, u2 = uniform_pair(key, *parts)
    r = np.sqrt(-2.0 * libm.log(u1))
    t = 2.0 * np.pi * u2
    return r * libm.cos(t), r * libm.sin(t)


def normal(key: object, *parts: object) -> F64:
    """Return one standard normal per element."""
    return normal_pair(key, *parts)[0]


def exponential(key: object, *parts: object) -> F64:
    """Return Exp(1) draws (time to an event of unit hazard)."""
    return -libm.log(uniform(key, *parts))


def integers(n: object, key: object, *parts: object) -> npt.NDArray[np.int64]:
    """Return integers uniform on ``0 .. n-1`` (``n`` broadcasts; ``n`` >= 1)."""
    u = uniform(key, *parts)
    nn = np.asarray(n, dtype=np.int64)
    return np.minimum((u * nn).astype(np.int64), nn - 1)


def poisson_from_uniform(lam: F64, u: F64, z: F64, small: float = 12.0) -> F64:
    """Return Poisson(``lam``) draws from a uniform ``u`` and a normal ``z`` per element.

    Small means (below ``small``) are drawn exactly by inversion of the CDF using ``u``;
    larger ones by a rounded normal with continuity correction using ``z``, whose error
    is negligible there.  Taking the uniform and normal from the caller lets the combat
    resolver spend one hash per tick on both sides of every battle.
    """
    lam = np.asarray(lam, dtype=np.float64)
    out = np.maximum(np.floor(lam + np.sqrt(lam) * z + 0.5), 0.0)
    sm = lam < small
    if np.any(sm):
        ls = lam[sm]
        us = u[sm]
        p = libm.exp(-ls)
        c = p.copy()
        k = np.zeros_like(ls)
        todo = us > c
        kk = 0
        while np.any(todo) and kk < 200:
            kk += 1
            p = p * ls / kk
            c = c + p
            k = np.where(todo, kk, k)
            todo &= us > c
        out[sm] = k
    return out


# One key at a time, for compiled kernels (see the module's docstring).  Every constant is
# a numpy.uint64 so that the arithmetic stays in wrapping 64-bit unsigned integers.


def mix64_one(z: np.uint64) -> np.uint64:
    """Return :func:`mix64` of one key."""
    z = z ^ (z >> _S30)
    z = z * _M1
    z = z ^ (z >> _S27)
    z = z * _M2
    return z ^ (z >> _S31)


def fold_one(h: np.uint64, part: np.int64) -> np.uint64:
    """Return ``derive(h, part)`` for one key and one part (a signed or unsigned integer)."""
    return mix64_one((h + _GOLDEN) ^ (np.uint64(part) * _PART + _GOLDEN))


def root_key_one(seed: np.uint64, stream: np.int64, run: np.int64) -> np.uint64:
    """Return :func:`root_key` of one run (``seed`` already checked, as a uint64)."""
    return fold_one(fold_one(mix64_one(seed + _GOLDEN), stream), run)


def bits_one(key: np.uint64) -> np.uint64:
    """Return :func:`bits` of a key whose parts are already folded in with :func:`fold_one`."""
    return mix64_one(key ^ _GOLDEN)


def counter_bits_one(key: np.uint64, counter: np.int64) -> np.uint64:
    """Return :func:`counter_bits` of one key."""
    return mix64_one(key + np.uint64(counter + 1) * _GOLDEN)


def uniform_one(b: np.uint64) -> float:
    """Return the uniform :func:`uniform` makes of 64 random bits."""
    return (np.float64(b >> _S11) + 0.5) * _TWO53


def uniform_hi_one(b: np.uint64) -> float:
    """Return the first uniform of :func:`to_uniform_pair` (the high 32 bits)."""
    return (np.float64(b >> _S32) + 0.5) * _TWO32


def uniform_lo_one(b: np.uint64) -> float:
    """Return the second uniform of :func:`to_uniform_pair` (the low 32 bits)."""
    return (np.float64(b & _LOW32) + 0.5) * _TWO32


def normal_one(b: np.uint64) -> float:
    """Return the first normal of :func:`normal_pair` made of 64 random bits."""
    r = np.sqrt(-2.0 * np.log(uniform_hi_one(b)))
    return r * np.cos(2.0 * np.pi * uniform_lo_one(b))


def normal_second_one(b: np.uint64) -> float:
    """Return the second normal of :func:`normal_pair` made of 64 random bits."""
    r = np.sqrt(-2.0 * np.log(uniform_hi_one(b)))
    return r * np.sin(2.0 * np.pi * uniform_lo_one(b))
