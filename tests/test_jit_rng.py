"""The compiled keyed streams (game.engine.jit) give the array functions' draws, bit for bit.

Kernels draw one key at a time from the ``*_one`` functions of :mod:`game.rng`; a run
alone must equal the same run in any batch, and a kernel's draws must equal what the
numpy version of the same phase drew, so every draw is compared exactly (``==`` on
bits and on floats), over keys, parts and counters of every kind, negative parts
included.

The normals too: the array functions take ``log``, ``cos`` and ``sin`` from the C library
(:mod:`game.libm`), as the kernels do, on any processor (with AVX-512 numpy's own differ
in the last bit for about one value in a thousand).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.engine import jit

U64 = st.integers(0, 2**64 - 1)
PART = st.integers(-(2**63), 2**63 - 1)


@jit.kernel
def _draw_all(keys, parts, counters):  # pragma: no cover - compiled
    n = keys.size
    out_bits = np.empty((6, n), np.uint64)
    out_f = np.empty((6, n), np.float64)
    for i in range(n):
        k = keys[i]
        out_bits[0, i] = jit.mix64(k)
        out_bits[1, i] = jit.fold(k, parts[i])
        out_bits[2, i] = jit.fold(jit.fold(k, parts[i]), counters[i])
        out_bits[3, i] = jit.bits(jit.fold(k, parts[i]))
        out_bits[4, i] = jit.counter_bits(k, counters[i])
        out_bits[5, i] = jit.root_key(k >> np.uint64(1), counters[i], parts[i])
        b = jit.bits(jit.fold(k, parts[i]))
        out_f[0, i] = jit.uniform(b)
        out_f[1, i] = jit.uniform_hi(b)
        out_f[2, i] = jit.uniform_lo(b)
        out_f[3, i] = jit.normal(b)
        out_f[4, i] = jit.normal_second(b)
        out_f[5, i] = jit.uniform(jit.counter_bits(k, counters[i]))
    return out_bits, out_f


def _numpy_draws(keys, parts, counters):
    b = np.stack(
        [
            rng.mix64(keys),
            rng.derive(keys, parts),
            rng.derive(keys, parts, counters),
            rng.bits(keys, parts),
            np.array(
                [rng.counter_bits(keys[i : i + 1], int(c))[0] for i, c in enumerate(counters)]
            ),
            np.array(
                [
                    rng.root_key(int(k >> np.uint64(1)), int(c), [int(p)])[0]
                    for k, c, p in zip(keys, counters, parts, strict=True)
                ],
                dtype=np.uint64,
            ),
        ]
    )
    hi, lo = rng.uniform_pair(keys, parts)
    z1, z2 = rng.normal_pair(keys, parts)
    tick = np.array([rng.counter_bits(keys[i : i + 1], int(c))[0] for i, c in enumerate(counters)])
    f = np.stack(
        [rng.uniform(keys, parts), hi, lo, z1, z2, ((tick >> np.uint64(11)) + 0.5) * 2.0**-53]
    )
    return b, f


def _check(keys, parts, counters):
    keys = np.asarray(keys, np.uint64)
    parts = np.asarray(parts, np.int64)
    counters = np.asarray(counters, np.int64)
    got_b, got_f = _draw_all(keys, parts, counters)
    want_b, want_f = _numpy_draws(keys, parts, counters)
    np.testing.assert_array_equal(got_b, want_b)
    np.testing.assert_array_equal(got_f.view(np.uint64), want_f.view(np.uint64))  # bit for bit


def test_many_keys_exactly():
    keys = rng.root_key(7, rng.Stream.TEST, np.arange(5_000))
    parts = rng.integers(2**62, keys, 1) - 2**61  # negative and positive parts
    counters = rng.integers(200, keys, 2)
    _check(keys, parts, counters)


@settings(max_examples=60)
@given(st.lists(st.tuples(U64, PART, st.integers(0, 10**6)), min_size=1, max_size=8))
def test_any_key_part_and_counter(cases):
    keys, parts, counters = zip(*cases, strict=True)
    _check(list(keys), list(parts), list(counters))


def test_compile_clock_counts():
    assert jit.compile_seconds() > 0.0  # the kernels above were compiled or loaded


def _seven():
    """Return a new kernel of the same function each call (one cache entry for all)."""

    @jit.kernel
    def seven(x):  # pragma: no cover - compiled
        return jit.fold(x, 7)

    return seven


def test_kernels_compile_under_the_machine_wide_lock_and_load_under_it_shared(
    monkeypatch, tmp_path
):
    """numba's cache is not safe between processes: compiling and saving take a file lock,
    exclusive; loading from the cache takes it shared, so processes that only load (the
    workers of a study starting) load side by side."""
    if jit.fcntl is None:  # pragma: no cover - Windows
        return
    import numba

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))  # an empty cache (numba reloads
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))  # its config from the env)
    calls = []
    real = jit.fcntl.flock
    monkeypatch.setattr(jit.fcntl, "flock", lambda fd, op: calls.append(op) or real(fd, op))
    sh, ex, un = jit.fcntl.LOCK_SH, jit.fcntl.LOCK_EX, jit.fcntl.LOCK_UN

    assert _seven()(np.uint64(3)) == rng.derive(np.uint64(3), 7)
    assert calls == [sh, un, ex, un]  # a miss read shared, then compiled and saved exclusive
    assert list(tmp_path.rglob("*.nbi")), "the compiled kernel was saved"
    calls.clear()
    assert _seven()(np.uint64(5)) == rng.derive(np.uint64(5), 7)
    assert calls == [sh, un]  # loaded from the cache: the shared lock only


def test_calls_into_llvm_are_not_timed_one_by_one():
    """numba's callbacks around each call into LLVM (compile statistics) are removed: they
    took about a quarter of loading the kernels from the cache in every process."""
    from llvmlite.binding import ffi

    from game import compiling

    def named() -> list[str]:
        return [acq.__qualname__ for acq, _ in ffi.lib._lock._cblist]

    assert not [n for n in named() if "llvm_lock" in n]

    def enter():
        pass

    ffi.register_lock_callback(enter, enter)
    try:
        compiling._untimed_llvm_calls()
        assert named().count(enter.__qualname__) == 1  # other callbacks are left alone
    finally:
        ffi.unregister_lock_callback(enter, enter)


def test_the_cache_folder_is_checked_once_and_source_files_resolved_once(monkeypatch):
    """Setting up a kernel's cache checks its folder can be written (a file written and
    removed) and asks whether its file is the package's: once per folder, once per file."""
    import tempfile

    from game import compiling
    from game.engine import keyed

    probes = []
    real = tempfile.TemporaryFile
    monkeypatch.setattr(
        tempfile, "TemporaryFile", lambda *a, **k: probes.append(k) or real(*a, **k)
    )
    monkeypatch.setattr(compiling, "_WRITABLE", set())
    kernels = (keyed._turn_keys, keyed.derive2, keyed.uniforms)
    for k in kernels:
        where = compiling._InTree.from_function(k.py_func, k.py_func.__code__.co_filename)
        assert where is not None and where.get_cache_path() == str(
            Path(keyed.__file__).parent / "__pycache__"
        )
    assert len(probes) == 1  # one folder: checked once
    hits = compiling._ours.cache_info().hits
    assert compiling._ours(keyed.__file__) and compiling._ours.cache_info().hits > hits
    assert not compiling._ours(__file__)
