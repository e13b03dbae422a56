"""The resolver's random draws: pure functions of each battle's key and a draw index.

Every random number of a battle is drawn from :func:`game.rng.counter_bits` at a fixed
index, so battle *b* gives the same result alone, in any batch and at any position.  The
resolver draws them in compiled code (:mod:`game.engine.combat.ticks`, with the compiled
streams of :mod:`game.engine.jit`); the array functions here serve the previews' prior.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.engine import jit
from game.rng import counter_bits, to_uniform_pair

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


@jit.kernel
def poisson_one(lam, u, z):
    """Return a Poisson(``lam``) draw from one uniform ``u`` and one normal ``z``.

    Means of :data:`POISSON_EXACT_BELOW` or more use a rounded normal with a
    Cornish-Fisher skewness term, ``lam + sqrt(lam) z + (z**2 - 1) / 6``, which is within
    1.2% total variation of the Poisson there (the plain rounded normal is 3.5-7% off
    at means of 1-12, common in small actions).  Smaller means are drawn exactly, by
    inversion of the CDF at ``u`` (as :func:`game.rng.poisson_from_uniform`).  In float64.
    """
    lam = np.float64(lam)
    if lam >= POISSON_EXACT_BELOW:
        z = np.float64(z)
        return max(np.floor((z * z - 1.0) * (1.0 / 6.0) + 0.5 + lam + np.sqrt(lam) * z), 0.0)
    u = np.float64(u)
    p = np.exp(-lam)
    c = p
    k = 0
    while u > c and k < 200:
        k += 1
        p = p * lam / k
        c = c + p
    return np.float64(k)


@jit.kernel
def poisson(lam, u, z):
    """Return :func:`poisson_one` of each element of equal-shaped arrays (float64)."""
    lam_f, u_f, z_f = lam.ravel(), u.ravel(), z.ravel()
    out = np.empty(lam_f.size)
    for i in range(lam_f.size):
        out[i] = poisson_one(lam_f[i], u_f[i], z_f[i])
    return out.reshape(lam.shape)
