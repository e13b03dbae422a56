"""Compiled kernels for the engine and the AI: the decorator, and the keyed draws in kernels.

The engine's hot loops (the march day by day, supply, what a side can see) and the AI's
innermost passes are kernels that take a whole batch and loop over runs in machine
code: one call per batch and phase, no Python per force or per day.  :func:`kernel`
compiles each on its first call and keeps the machine code on disk, stamped with what
it is built from and compiled under a machine-wide lock; how is :mod:`game.compiling`,
which :mod:`game.libm`'s functions over arrays share.  This module gives the kernels'
modules what they use: the decorator, the lock, the compile clock the benchmarks report
(``compile_s``), the folder where the program keeps what it computes once per machine,
and the keyed random streams in compiled form.

Only modules that hold kernels import this one, and they are imported when a turn is
played, so ``import game`` and the commands that play nothing never load numba.

The keyed random streams are those of :mod:`game.rng`, compiled from its ``*_one``
functions: the same bits and the same floats as the array functions, key for key (the
array functions take ``log``, ``cos`` and ``sin`` from the C library, as kernels do:
:mod:`game.libm`).
"""

from __future__ import annotations

import types
from typing import Any

from game import rng
from game.compiling import (
    cache_folder,
    cache_lock,
    compile_seconds,
    fcntl,
    inline_kernel,
    kernel,
    numba_version,
    package_stamp,
    prefetch,
)

__all__ = [
    "cache_folder",
    "cache_lock",
    "compile_seconds",
    "fcntl",
    "inline_kernel",
    "kernel",
    "numba_version",
    "package_stamp",
    "prefetch",
]


def _compile_family(module: types.ModuleType, names: tuple[str, ...]) -> dict[str, Any]:
    """Compile functions of ``module`` that call one another, as kernels.

    numba calls only compiled functions from a kernel, so each is compiled from a copy
    whose globals see the compiled versions of the others (under the same names).
    """
    space = dict(vars(module))
    out = {}
    for name in names:
        fn = getattr(module, name)
        copy = types.FunctionType(fn.__code__, space, fn.__name__, fn.__defaults__)
        copy.__qualname__ = fn.__qualname__
        copy.__module__ = fn.__module__
        copy.__doc__ = fn.__doc__
        space[name] = out[name] = kernel(copy)
    return out


_RNG = _compile_family(
    rng,
    (
        "mix64_one",
        "fold_one",
        "root_key_one",
        "bits_one",
        "counter_bits_one",
        "uniform_one",
        "uniform_hi_one",
        "uniform_lo_one",
        "normal_one",
        "normal_second_one",
    ),
)
# The keyed streams of game.rng, one key at a time (see game.rng for each).
mix64 = _RNG["mix64_one"]
fold = _RNG["fold_one"]
root_key = _RNG["root_key_one"]
bits = _RNG["bits_one"]
counter_bits = _RNG["counter_bits_one"]
uniform = _RNG["uniform_one"]
uniform_hi = _RNG["uniform_hi_one"]
uniform_lo = _RNG["uniform_lo_one"]
normal = _RNG["normal_one"]
normal_second = _RNG["normal_second_one"]
