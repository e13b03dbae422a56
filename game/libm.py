"""The C library's ``exp``, ``log``, ``cos`` and ``sin`` over arrays: the same bits on any machine.

The game promises the same results for the same inputs and seed on any machine.  numpy's
float64 transcendental functions do not keep it: on a processor with AVX-512 numpy
computes ``exp``, ``log``, ``cos``, ``sin`` (and ``power``, ``tanh``...) with its own
vectorised code, which differs from the C library's in the last bit for about one value
in a thousand; without AVX-512 it calls the C library.  A last bit is enough to turn a
rare comparison the other way (a province's hazard of rising, the odds an AI weighs).
The compiled kernels and Python's :mod:`math` call the C library everywhere, so the
rules, the engine, the AI and the studies take these functions from here, where each is
a numpy ufunc whose loop calls the C library's function (through numba), never numpy's
own.  Scalars taken with :mod:`math` and Python's ``**`` need nothing: they are the C
library's already.  The interface's drawing code keeps numpy's (a pixel is no result).

Each ufunc is float64 to float64 (other inputs are converted, as numpy would) and
broadcasts, returns and accepts ``out=`` like numpy's own.  It is compiled on its first
call and cached on disk beside the package like the kernels (:mod:`game.engine.jit`),
stamped with this file's source, so ``import game`` never loads numba.  numba is loaded
with Intel's vector math library (SVML) turned off, which would otherwise replace the
C library's functions in vectorised loops on a machine that has it installed.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


def _exp(x: float) -> float:
    return math.exp(x)


def _log(x: float) -> float:
    return math.log(x)


def _cos(x: float) -> float:
    return math.cos(x)


def _sin(x: float) -> float:
    return math.sin(x)


_SECONDS = [0.0]


def compile_seconds() -> float:
    """Return the seconds this process spent compiling these ufuncs or loading them."""
    return _SECONDS[0]


def load_numba() -> Any:
    """Import numba with Intel's SVML turned off (see the module's docstring) and return it."""
    os.environ["NUMBA_DISABLE_INTEL_SVML"] = "1"
    import numba

    if numba.config.USING_SVML:  # pragma: no cover - numba was imported before, with SVML
        numba.core.config.reload_config()
    return numba


@functools.cache
def _ufunc(fn: Any) -> Any:
    """Compile ``fn`` into a float64 ufunc, cached on disk and stamped with this file's source."""
    load_numba()
    from numba.np.ufunc.ufuncbuilder import UFuncBuilder

    t0 = time.perf_counter()
    builder = UFuncBuilder(fn, cache=True)
    cache = getattr(builder.nb_func, "cache", None)
    impl = getattr(cache, "_cache_file", None)
    if impl is not None:  # numba checks a cache against a stamp: this file's source
        impl._source_stamp = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    builder.add("float64(float64)")
    out = builder.build_ufunc()
    _SECONDS[0] += time.perf_counter() - t0
    return out


def exp(x: Any, **kwargs: Any) -> Any:
    """Return ``e ** x`` element-wise, the C library's ``exp``."""
    return _ufunc(_exp)(x, **kwargs)


def log(x: Any, **kwargs: Any) -> Any:
    """Return the natural logarithm element-wise, the C library's ``log``."""
    return _ufunc(_log)(x, **kwargs)


def cos(x: Any, **kwargs: Any) -> Any:
    """Return the cosine element-wise, the C library's ``cos``."""
    return _ufunc(_cos)(x, **kwargs)


def sin(x: Any, **kwargs: Any) -> Any:
    """Return the sine element-wise, the C library's ``sin``."""
    return _ufunc(_sin)(x, **kwargs)
