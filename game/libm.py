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
call by :func:`game.compiling.ufunc`, with the kernels' cache, stamps, lock and compile
clock (and numba loaded with Intel's vector math library, SVML, turned off, which would
otherwise replace the C library's functions in vectorised loops), so ``import game``
never loads numba.
"""

from __future__ import annotations

import functools
from math import cos as _c_cos
from math import exp as _c_exp
from math import log as _c_log
from math import sin as _c_sin
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


# Each reads the C library's function under a name of its own: a compiled function's
# cache is stamped with what the names its code reads stand for (game.stamps).
def _exp(x: float) -> float:
    return _c_exp(x)


def _log(x: float) -> float:
    return _c_log(x)


def _cos(x: float) -> float:
    return _c_cos(x)


def _sin(x: float) -> float:
    return _c_sin(x)


@functools.cache
def _ufunc(fn: Any) -> Any:
    """Compile ``fn`` into a float64 ufunc (on first use; numba is loaded then)."""
    from game import compiling

    return compiling.ufunc(fn, "float64(float64)")


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
