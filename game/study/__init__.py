"""Headless Monte Carlo studies: thousands of campaigns, their odds and what drives them.

``game.study.run(...)`` plays a study and returns a :class:`~game.study.result.StudyResult`;
``game.study.sweep(...)`` maps outcome probabilities over one or two parameters; the
``ingavi study``, ``sweep``, ``sensitivity`` and ``balance`` commands are thin wrappers.
Names are imported on first use, so that worker processes, which import this package
before anything else, start without loading numpy (see :mod:`game.study.workerenv`).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "run": "game.study.api",
    "StudyResult": "game.study.result",
    "StudyInterrupted": "game.study.result",
    "sweep": "game.study.sweeps",
    "SweepResult": "game.study.sweeps",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'game.study' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
