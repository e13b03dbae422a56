"""What a compiled kernel was built from, as one hash: when its cached machine code is stale.

numba keeps a kernel's machine code on disk and checks it, by default, against the
kernel's own file alone.  But the machine code also holds what the kernel reads: the
kernels it calls (compiled into it), and the values of the globals it reads (numbers,
arrays and enum members are frozen into the code).  A change in any of these, in another
file, must compile the kernel again; a change anywhere else need not.

:func:`kernel_stamp` hashes exactly that, read from the live objects when the kernel is
first compiled (so every global the kernel names exists by then): the kernel's
bytecode, its defaults and closure, and for each name its code reads, the value the
name stands for: a kernel it calls is stamped the same way (recursively, cycles
included), a module of the package by the names read from it, a number, string, tuple,
array, dtype or enum member by its value, an enum by its members.  Anything of the
package it cannot read that precisely stamps the kernel with the whole package's source
instead (the safe fallback), so a stamp is never too weak, only sometimes too coarse.
"""

from __future__ import annotations

import builtins
import enum
import hashlib
import sys
import types
from collections.abc import Callable
from typing import Any

import numpy as np
from numba.core.dispatcher import Dispatcher
from numba.core.extending import _Intrinsic

_SCALARS = (bool, int, float, complex, str, bytes, type(None))


def kernel_stamp(
    py_func: types.FunctionType, ours: Callable[[str], bool], whole: Callable[[], str]
) -> str:
    """Return the hash of everything the machine code of ``py_func`` is built from.

    ``ours(path)`` tells whether a source file belongs to the package; ``whole()`` is
    the hash of the whole package's source, the stamp of last resort.  A value that
    cannot be walked (one that holds itself, or whose reading raises) stamps the kernel
    with the whole package too: a stamp that failed would stop the kernel compiling.
    """
    try:
        content = _Stamper(ours, whole).function(py_func)
    except Exception:  # any failure (RecursionError included): the safe stamp
        content = "package:" + whole()
    return hashlib.sha256("|".join(("numpy " + np.__version__, content)).encode()).hexdigest()


class _Stamper:
    """One kernel's stamp: walks the functions, modules and values it reads, once each."""

    def __init__(self, ours: Callable[[str], bool], whole: Callable[[], str]) -> None:
        self.ours = ours
        self.whole = whole
        self.done: dict[int, str] = {}
        self.visiting: set[int] = set()

    def function(self, fn: types.FunctionType) -> str:
        """Return the stamp of a Python function: its code and what its code reads."""
        key = id(fn)
        if key in self.done:
            return self.done[key]
        if key in self.visiting:  # a cycle: this function's content is hashed further up
            return f"cycle {fn.__module__}.{fn.__qualname__}"
        self.visiting.add(key)
        h = hashlib.sha256()
        names: set[str] = set()
        _code(fn.__code__, h, names)
        h.update(self.value(fn.__defaults__, names).encode())
        h.update(self.value(fn.__kwdefaults__, names).encode())
        for cell in fn.__closure__ or ():
            h.update(self.value(cell.cell_contents, names).encode())
        glb = fn.__globals__
        for name in sorted(names):
            if name in glb:
                h.update(f"{name}={self.value(glb[name], names)};".encode())
            elif hasattr(builtins, name):
                h.update(f"{name}=builtin;".encode())
        self.visiting.discard(key)
        out = self.done[key] = h.hexdigest()
        return out

    def value(self, v: Any, names: set[str]) -> str:
        """Return the stamp of a value a kernel reads (``names``: the names its code reads)."""
        if isinstance(v, _SCALARS):
            return f"{type(v).__name__}:{v!r}"
        if isinstance(v, Dispatcher):
            inline = "inline:" if v.targetoptions.get("inline") == "always" else ""
            return f"kernel:{inline}" + self.function(v.py_func)
        if isinstance(v, _Intrinsic):  # code generated in the kernel: what generates it
            return "intrinsic:" + self.function(v._defn)
        if isinstance(v, enum.Enum):
            return f"member:{type(v).__qualname__}.{v.name}={self.value(v.value, names)}"
        if isinstance(v, np.ndarray):
            data = hashlib.sha256(np.ascontiguousarray(v).tobytes()).hexdigest()
            return f"array:{v.dtype.str}{v.shape}{data}"
        if isinstance(v, np.generic):
            return f"scalar:{v.dtype.str}:{v.tobytes().hex()}"
        if isinstance(v, np.dtype):
            return f"dtype:{v.str}"
        if isinstance(v, (tuple, list)):
            return f"{type(v).__name__}(" + ",".join(self.value(x, names) for x in v) + ")"
        if isinstance(v, (set, frozenset)):
            return "set(" + ",".join(sorted(self.value(x, names) for x in v)) + ")"
        if isinstance(v, dict):
            items = sorted(f"{self.value(k, names)}:{self.value(x, names)}" for k, x in v.items())
            return "dict(" + ",".join(items) + ")"
        if isinstance(v, types.ModuleType):
            return self.module(v, names)
        if isinstance(v, type) and issubclass(v, enum.Enum):
            return f"enum:{v.__qualname__}(" + ",".join(self.value(m, names) for m in v) + ")"
        if isinstance(v, types.FunctionType):
            if self.ours(v.__code__.co_filename):
                return "function:" + self.function(v)
            return f"external:{v.__module__}.{v.__qualname__}"
        if not self._of_ours(v):
            # numpy's and numba's functions, ufuncs and types: what they do comes with
            # their versions (numba's is part of its cache index, numpy's of the stamp)
            kind = type(v)
            label = getattr(v, "__qualname__", None)
            if not isinstance(label, str):
                text = repr(v)
                label = text if " at 0x" not in text else ""
            return f"external:{kind.__module__}.{kind.__qualname__}:{label}"
        return "package:" + self.whole()  # something of ours of an unknown kind

    def module(self, mod: types.ModuleType, names: set[str]) -> str:
        """Return the stamp of a module as read by a function: the names it reads from it."""
        path = getattr(mod, "__file__", None)
        if not path or not self.ours(path):
            return f"module:{mod.__name__}"
        key = id(mod)
        if key in self.visiting:
            return f"cycle module {mod.__name__}"
        self.visiting.add(key)
        attrs = vars(mod)
        parts = [f"{n}={self.value(attrs[n], names)}" for n in sorted(names) if n in attrs]
        self.visiting.discard(key)
        return f"module:{mod.__name__}(" + ";".join(parts) + ")"

    def _of_ours(self, v: Any) -> bool:
        """Whether ``v`` (or its class) is defined in the package."""
        for mod_name in (getattr(v, "__module__", None), type(v).__module__):
            mod = sys.modules.get(mod_name) if isinstance(mod_name, str) else None
            path = getattr(mod, "__file__", None)
            if path and self.ours(path):
                return True
        return False


def _code(code: types.CodeType, h: Any, names: set[str]) -> None:
    """Hash a code object (and those nested in it); collect the names it reads."""
    h.update(code.co_code)
    h.update(getattr(code, "co_exceptiontable", b""))
    shape = (
        code.co_name,
        code.co_argcount,
        code.co_posonlyargcount,
        code.co_kwonlyargcount,
        code.co_flags,
        code.co_names,
        code.co_varnames,
        code.co_freevars,
        code.co_cellvars,
    )
    h.update(repr(shape).encode())
    names.update(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _code(const, h, names)
        elif isinstance(const, frozenset):
            h.update(repr(sorted(map(repr, const))).encode())
        else:
            h.update(f"{type(const).__name__}:{const!r};".encode())
