"""The engine's keyed draws of a turn, compiled: the same bits as :mod:`game.rng`, one call each.

At a batch of one, :func:`game.rng.derive` and the draws made from it cost tens of numpy
calls on arrays of a few elements each; the keys of a turn and the draws of the phases
that take them run by run are asked for every turn.  These kernels give exactly what
the array functions give (:mod:`game.engine.jit` compiles the ``*_one`` functions of
:mod:`game.rng`, the same bits key for key), in one compiled call:

- :func:`turn_keys` is ``derive(root_key(seed, stream, run_ids), turn, *parts)`` (the
  engine's keys of a turn, and the keys of each side's policy in it);
- :func:`derive2` is ``derive(keys[rows], a, parts)``;
- :func:`uniforms` is ``uniform(derive(keys, a)[rows], parts)``, and
  :func:`uniform_pairs` ``uniform_pair(...)`` of the same.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.engine import jit

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


def turn_keys(seed: int, stream: int, run_ids: npt.ArrayLike, turn: int, *parts: int) -> U64:
    """Return each run's key of a turn: ``rng.derive(rng.root_key(seed, stream, run_ids), turn, *parts)``.

    ``parts`` are further integers folded in after the turn (a policy's side).
    """
    if not 0 <= int(seed) < 2**64:
        raise ValueError(f"seed must be between 0 and 2**64-1, got {seed}")
    ids = np.asarray(run_ids, np.int64)
    folded = np.array([int(turn), *(int(p) for p in parts)], np.int64)
    out = _turn_keys(np.uint64(int(seed)), int(stream), ids.reshape(-1), folded)
    return out.reshape(ids.shape)  # type: ignore[no-any-return]


@jit.kernel
def _turn_keys(seed, stream, run_ids, parts):  # pragma: no cover - compiled
    out = np.empty(run_ids.size, np.uint64)
    for i in range(run_ids.size):
        h = jit.root_key(seed, stream, run_ids[i])
        for p in parts:
            h = jit.fold(h, p)
        out[i] = h
    return out


@jit.kernel
def derive2(keys, a, rows, parts):  # pragma: no cover - compiled
    """Return ``rng.derive(keys[rows], a, parts)`` (``rows`` and ``parts`` of one length)."""
    out = np.empty(rows.size, np.uint64)
    for i in range(rows.size):
        out[i] = jit.fold(jit.fold(keys[rows[i]], a), parts[i])
    return out


@jit.kernel
def uniforms(keys, a, rows, parts):  # pragma: no cover - compiled
    """Return ``rng.uniform(rng.derive(keys, a)[rows], parts)``."""
    out = np.empty(rows.size, np.float64)
    for i in range(rows.size):
        out[i] = jit.uniform(jit.bits(jit.fold(jit.fold(keys[rows[i]], a), parts[i])))
    return out


@jit.kernel
def uniform_pairs(keys, a, rows, parts):  # pragma: no cover - compiled
    """Return ``rng.uniform_pair(rng.derive(keys, a)[rows], parts)`` as two arrays."""
    hi = np.empty(rows.size, np.float64)
    lo = np.empty(rows.size, np.float64)
    for i in range(rows.size):
        b = jit.bits(jit.fold(jit.fold(keys[rows[i]], a), parts[i]))
        hi[i] = jit.uniform_hi(b)
        lo[i] = jit.uniform_lo(b)
    return hi, lo
