"""game.libm's functions are the C library's, bit for bit, as Python's math (and the kernels) call it.

numpy's own ``exp``, ``log``, ``cos`` and ``sin`` differ from the C library's in the last
bit for about one value in a thousand on a processor with AVX-512, so the rules take
these from :mod:`game.libm`; here every value is compared on its bits with
:mod:`math`, over wide ranges, the edges (zeros, subnormals, the largest floats,
infinities, NaN) and the arguments the game gives them.
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import libm, rng

EDGES = [
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e-16,
    0.5,
    1.0,
    -1.0,
    2.0,
    math.pi / 4,
    math.pi / 2,
    math.pi,
    2 * math.pi,
    709.782712893384,
    709.7827128933841,
    -745.1332191019411,
    -745.2,
    1e22,
    1e300,
    sys.float_info.max,
    -sys.float_info.max,
    math.inf,
    -math.inf,
    math.nan,
]


def _math(fn, x: float) -> float:
    """Return Python's ``math.fn(x)``, with the C library's value where Python raises instead."""
    try:
        return getattr(math, fn)(x)
    except OverflowError:
        return math.inf
    except ValueError:
        if fn == "log" and x == 0.0:
            return -math.inf
        return math.nan


def _values() -> np.ndarray:
    keys = rng.root_key(3, rng.Stream.TEST, np.arange(40_000))
    u = rng.uniform(keys, 1)
    return np.concatenate(
        [
            np.array(EDGES),
            u,  # the uniforms the normals are made from
            2.0 * np.pi * u,
            (u - 0.5) * 60.0,  # exponents and log-odds
            (u - 0.5) * 1500.0,  # up to overflow and underflow
            np.exp2((u - 0.5) * 2000.0),  # logarithms over the whole range
            (u - 0.5) * 1e6,  # large angles
        ]
    )


def _check(fn: str, x: np.ndarray) -> None:
    with np.errstate(all="ignore"):  # overflow and log(-1) warn, as numpy's do
        got = getattr(libm, fn)(x)
    want = np.array([_math(fn, v) for v in x.tolist()], np.float64)
    assert got.dtype == np.float64 and got.shape == x.shape
    same = (got.view(np.uint64) == want.view(np.uint64)) | (np.isnan(got) & np.isnan(want))
    assert same.all(), f"{fn}: {x[~same][:5]} gave {got[~same][:5]}, C library {want[~same][:5]}"


def test_every_value_is_the_c_librarys_bit_for_bit():
    x = _values()
    for fn in ("exp", "log", "cos", "sin"):
        _check(fn, x)


@settings(max_examples=50)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=50))
def test_any_float(xs):
    x = np.array(xs, np.float64)
    for fn in ("exp", "log", "cos", "sin"):
        _check(fn, x)


def test_they_behave_as_numpys_ufuncs():
    """Scalars give scalars, shapes broadcast, ``out=`` is written, other dtypes are converted."""
    assert isinstance(libm.exp(1.0), np.float64) and libm.exp(0.0) == 1.0
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    assert libm.log(a + 1.0).shape == (2, 3)
    assert libm.cos(np.arange(3)).dtype == np.float64
    assert libm.sin(np.float32(0.5)) == math.sin(0.5)
    out = np.zeros(3)
    libm.exp(np.ones(3), out=out)
    assert (out == math.e).all()
    assert libm.log(a[:, ::2] + 1.0).tolist() == [
        [math.log(1.0), math.log(3.0)],
        [math.log(4.0), math.log(6.0)],
    ]


def test_numba_runs_without_intels_vector_library():
    """With SVML, numba would replace the C library's functions in vectorised loops."""
    import numba

    from game import compiling
    from game.engine import jit  # noqa: F401 - jit and libm load numba

    libm.exp(1.0)
    assert numba.config.USING_SVML is False
    assert compiling.compile_seconds() > 0.0


def test_the_ufuncs_are_cached_as_the_kernels_are(monkeypatch):
    """One mechanism: stamped with what they are built from, under the machine's cache lock.

    The stamp is :func:`game.stamps.kernel_stamp` of the scalar function, which reads
    nothing of the package but itself, so an edit elsewhere leaves the ufunc cached.
    """
    from game import compiling, stamps

    if compiling.fcntl is None:  # pragma: no cover - Windows
        return
    locks: list[int] = []
    real = compiling.fcntl.flock
    monkeypatch.setattr(compiling.fcntl, "flock", lambda fd, op: locks.append(op) or real(fd, op))
    stamped: list[object] = []
    stamp = compiling._stamp
    monkeypatch.setattr(
        compiling, "_stamp", lambda fn, cache: stamped.append(cache) or stamp(fn, cache)
    )
    before = compiling.compile_seconds()
    exp = compiling.ufunc(libm._exp, "float64(float64)")
    assert exp(1.0) == math.e
    sh, ex, un = compiling.fcntl.LOCK_SH, compiling.fcntl.LOCK_EX, compiling.fcntl.LOCK_UN
    assert locks in ([sh, un], [sh, un, ex, un])  # read shared; compiled exclusive (first time)
    assert compiling.compile_seconds() > before
    (cache,) = stamped
    want = stamps.kernel_stamp(libm._exp, compiling._ours, compiling.package_stamp)
    assert cache._cache_file._source_stamp == want  # type: ignore[attr-defined]
    assert want == stamps.kernel_stamp(libm._exp, compiling._ours, lambda: "another package")


def test_importing_the_game_loads_no_numba():
    """The ufuncs are compiled on first call: ``import game`` and the rules' modules stay cheap."""
    code = (
        "import sys, game, game.rng, game.libm, game.scenario; "
        "assert 'numba' not in sys.modules, 'numba loaded on import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
