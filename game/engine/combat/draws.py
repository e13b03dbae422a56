"""The resolver's random draws: pure functions of each battle's key and a draw index.

Every random number of a battle is drawn from :func:`game.rng.counter_bits` at a fixed
index, so battle *b* gives the same result alone, in any batch and at any position.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.rng import counter_bits, poisson_from_uniform, to_uniform_pair

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]

# Draw indices within each battle's counter-based stream (game.rng.counter_bits).  Each
# index is used at most once per battle, so no two draws of a battle can coincide.
C_FORTUNE: Final = 0
C_BREAKPOINT: Final = 1
C_COMMANDER: Final = 2
C_COLLAPSE: Final = 3
C_PURSUIT: Final = 4
C_ROUT: Final = 5
C_PRIOR: Final = 8
"""Plus the field index (0..3): ratings drawn for a preview whose ratings are unknown."""
C_DAY: Final = 16
"""Plus the day index (0 .. max_days - 2): whether an unbroken battle resumes."""
C_TICK: Final = 64
"""Plus the tick index, counted over all days: the casualty dice of each tick."""


POISSON_EXACT_BELOW: Final = 1.0
"""Tick casualty means below this are drawn exactly by inversion; above it by a
skew-corrected (Cornish-Fisher) rounded normal, within about 1% total variation of the
Poisson (tests/test_combat.py checks it)."""


def normals(u1: F64, u2: F64) -> tuple[F32, F32]:
    """Return two independent standard normals from two uniforms (Box-Muller).

    Computed in float32, which is ample for 32-bit uniforms and several times faster
    for the logarithm and the trigonometry.
    """
    r = np.log(u1.astype(np.float32))
    r *= np.float32(-2.0)
    np.sqrt(r, out=r)
    t = u2.astype(np.float32)
    t *= np.float32(2.0 * np.pi)
    return r * np.cos(t), r * np.sin(t)


def normal_pair(keys: U64, counter: int) -> tuple[F32, F32]:
    """Return the two normals of draw ``counter`` of each battle's stream."""
    return normals(*to_uniform_pair(counter_bits(keys, counter)))


def exponential_pair(keys: U64, counter: int) -> tuple[F64, F64]:
    """Return two Exp(1) thresholds from draw ``counter`` of each battle's stream."""
    u1, u2 = to_uniform_pair(counter_bits(keys, counter))
    return -np.log(u1), -np.log(u2)


def poisson(lam: F32, u: F32, z: F32) -> F32:
    """Return Poisson(``lam``) draws from one uniform ``u`` and one normal ``z`` each.

    Means of :data:`POISSON_EXACT_BELOW` or more use a rounded normal with a
    Cornish-Fisher skewness term, ``lam + sqrt(lam) z + (z**2 - 1) / 6``, which is within
    1.2% total variation of the Poisson there (the plain rounded normal is 3.5-7% off
    at means of 1-12, common in small actions).  Smaller means are drawn exactly, by
    inversion of the CDF at ``u`` (:func:`game.rng.poisson_from_uniform`).  Arrays of
    any shape, all float32.
    """
    out = z * z
    out -= np.float32(1.0)
    out *= np.float32(1.0 / 6.0)
    out += np.float32(0.5)
    out += lam
    root = np.sqrt(lam)
    root *= z
    out += root
    np.floor(out, out=out)
    np.maximum(out, np.float32(0.0), out=out)
    small = np.flatnonzero(lam < POISSON_EXACT_BELOW)
    if small.size:
        flat = out.reshape(-1)
        flat[small] = poisson_from_uniform(
            lam.reshape(-1)[small].astype(np.float64),
            u.reshape(-1)[small].astype(np.float64),
            np.zeros(small.size),
            POISSON_EXACT_BELOW,
        )
    return out
