"""A cached kernel is stale exactly when something it is built from changed.

:func:`game.stamps.kernel_stamp` hashes a kernel's code, the kernels it calls
and the constants it reads.  Kernels here are made from source text in a namespace of
their own (as a module's would be), so a test can change one thing, a callee, a
constant, an enum, an unrelated name, and see whether the stamp moves.
"""

from __future__ import annotations

import enum
import subprocess
import sys
import textwrap
import types

import numba
import numpy as np

from game import rng, stamps
from game.engine import jit

SOURCE = """
def callee(x):
    return x * SCALE + OFFSET[0]

def kernel(x):
    return callee(x) + int(Mode.B) + helpers.step(x)

def other(x):
    return x + UNRELATED
"""


class Mode(enum.IntEnum):
    A = 1
    B = 2


class Moved(enum.IntEnum):
    A = 1
    B = 3


def _build(**changes: object) -> types.FunctionType:
    """Return the Python function ``kernel`` of SOURCE, its globals set as asked."""
    helpers = types.ModuleType("helpers")
    helpers.__file__ = "helpers.py"  # a module of the package
    helpers.step = numba.njit(lambda x: x + 1)  # type: ignore[attr-defined]
    space: dict[str, object] = {
        "SCALE": 2.0,
        "OFFSET": np.array([1.0, 2.0]),
        "Mode": Mode,
        "UNRELATED": 5,
        "helpers": helpers,
    }
    space.update(changes)
    exec(compile(textwrap.dedent(SOURCE), "<kernels>", "exec"), space)
    callee_src = changes.get("callee_source")
    if callee_src:
        exec(compile(str(callee_src), "<kernels>", "exec"), space)
    space["callee"] = numba.njit(space["callee"])
    return space["kernel"]  # type: ignore[return-value]


def _stamp(fn: types.FunctionType) -> str:
    return stamps.kernel_stamp(fn, lambda path: True, lambda: "whole package")


def test_the_stamp_is_the_same_for_the_same_kernel():
    assert _stamp(_build()) == _stamp(_build())


def test_a_change_elsewhere_leaves_the_kernel_cached():
    assert _stamp(_build(UNRELATED=6)) == _stamp(_build())


def test_a_callee_changed_makes_the_caller_stale():
    changed = "def callee(x):\n    return x * SCALE - OFFSET[0]\n"
    assert _stamp(_build(callee_source=changed)) != _stamp(_build())


def test_a_constant_it_reads_changed_makes_it_stale():
    base = _stamp(_build())
    assert _stamp(_build(SCALE=3.0)) != base  # read by the callee
    assert _stamp(_build(OFFSET=np.array([1.0, 2.5]))) != base  # an array frozen in
    assert _stamp(_build(Mode=Moved)) != base  # an enum's member values


def test_a_kernel_read_through_a_module_is_stamped_too():
    helpers = types.ModuleType("helpers")
    helpers.__file__ = "helpers.py"
    helpers.step = numba.njit(lambda x: x + 2)  # type: ignore[attr-defined]
    assert _stamp(_build(helpers=helpers)) != _stamp(_build())


def test_a_callee_inlined_or_not_is_stamped_apart():
    """Inlining a callee changes the caller's machine code: it must not load the old one."""
    inlined = _build()
    inlined.__globals__["callee"] = numba.njit(inline="always")(
        inlined.__globals__["callee"].py_func
    )
    assert _stamp(inlined) != _stamp(_build())


def test_a_code_generator_read_is_stamped_by_its_own_code():
    """An intrinsic (jit.prefetch) is stamped by its definition, not the whole package's."""
    helpers = types.ModuleType("helpers")
    helpers.__file__ = "helpers.py"
    helpers.step = jit.prefetch  # type: ignore[attr-defined]
    kernel = _build(helpers=helpers)

    def ours(path: str) -> bool:  # numba's and llvmlite's modules come with their versions
        return "numba" not in path and "llvmlite" not in path

    whole = stamps.kernel_stamp(kernel, ours, lambda: "whole package")
    assert whole == stamps.kernel_stamp(kernel, ours, lambda: "another")
    assert whole != stamps.kernel_stamp(_build(), ours, lambda: "whole package")


def test_a_prefetch_changes_nothing_it_is_asked_about():
    """Bringing rows into the cache, even past an array's end, reads nothing into a result."""

    @numba.njit
    def total(a, ahead):
        s = 0.0
        for i in range(a.size):
            jit.prefetch(a, i + ahead)
            s += a[i]
        return s

    @numba.njit
    def plain(a):
        s = 0.0
        for i in range(a.size):
            s += a[i]
        return s

    a = rng.uniform(rng.derive(np.uint64(3), 1, np.arange(1000)))
    for ahead in (0, 8, 64, 5000):
        assert total(a, ahead) == plain(a)


def test_something_of_unknown_kind_falls_back_to_the_whole_package():
    class Opaque:
        pass

    other = _build(UNRELATED=Opaque()).__globals__["other"]
    stamp = stamps._Stamper(lambda path: True, lambda: "whole package").function(other)
    assert stamp != stamps._Stamper(lambda path: True, lambda: "another").function(other)


def test_a_value_that_cannot_be_read_falls_back_to_the_whole_package():
    """A constant that holds itself cannot be walked; the kernel still gets a stamp."""
    looped: list[object] = []
    looped.append(looped)
    kernel = _build(SCALE=looped)
    whole = stamps.kernel_stamp(kernel, lambda path: True, lambda: "whole package")
    other = stamps.kernel_stamp(kernel, lambda path: True, lambda: "another")
    assert whole != other  # the whole package's stamp is what it rests on
    assert whole == stamps.kernel_stamp(kernel, lambda path: True, lambda: "whole package")


def test_kernels_of_the_package_are_stamped_the_same_in_every_process():
    """A stamp that changed from one process to the next would compile every time."""
    code = (
        "from game import compiling\n"
        "from game.engine import order_masks\n"
        "from game.stamps import kernel_stamp\n"
        "print(kernel_stamp(order_masks.refusals.py_func, compiling._ours, compiling.package_stamp))\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert len(outs) == 1
    assert len(outs.pop().strip()) == 64


def test_a_kernel_outside_the_package_keeps_numbas_own_stamp():
    @jit.kernel
    def plus_seven(x):  # pragma: no cover - compiled
        return jit.fold(x, 7)

    plus_seven(np.uint64(1))
    stamp = plus_seven._cache._cache_file._source_stamp
    # a kernel of the tests is not the package's: numba's own stamp (its file) is kept
    assert not str(stamp).startswith("not stamped")
