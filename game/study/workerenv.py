"""Set up a worker process before it imports numpy: one BLAS thread, no Ctrl-C.

This module imports nothing heavy, so a pool can name :func:`init_worker` as its
initializer and have it run before numpy is loaded in the child.  Two workers on two
cores each running a multi-threaded BLAS would fight over the cores; one thread each is
what a pool of single-threaded campaigns wants.  Ctrl-C is left to the parent, which
stops the pool and keeps every chunk already finished; a worker that caught it too
would print a traceback from the middle of a chunk.
"""

from __future__ import annotations

import importlib
import os
import signal

THREAD_VARIABLES: tuple[str, ...] = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
"""Environment variables that cap the threads of the BLAS libraries numpy may use."""


def single_thread_environ() -> dict[str, str]:
    """Return the variables (name -> "1") that give a process one BLAS thread."""
    return dict.fromkeys(THREAD_VARIABLES, "1")


def init_worker(module: str = "") -> None:
    """Cap BLAS threads at one, ignore Ctrl-C (the parent handles it), then import ``module``.

    ``module`` is the module of the pool's play function, named by the parent's code
    (never read from a file): imported here, as the worker starts, it is ready while
    the parent still reads the scenario, instead of when the first task arrives.
    """
    os.environ.update(single_thread_environ())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if module:
        importlib.import_module(module)
