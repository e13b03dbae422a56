"""Policies by name, rebuilt inside each worker from a string.

A study names its policies rather than passing them, so a worker in another process or on
another machine builds its own.  A name is either one the project's registry knows
(:func:`game.ai.make_policy`: ``heuristic``, ``random``, ...) or ``module:factory``, an
importable callable ``factory(side, scn, difficulty=...)``, which lets an author study a
policy of their own without registering it.
"""

from __future__ import annotations

import importlib
from typing import Any

from game.ai.base import Policy
from game.errors import UsageError
from game.scenario.compile import CompiledScenario


def make(name: str, side: int, scn: CompiledScenario, difficulty: str) -> Policy:
    """Return the policy called ``name`` playing side index ``side``.

    Raises:
        UsageError: If the name is unknown, cannot be imported, or the factory refuses it.
    """
    if ":" in name:
        factory = _import(name)
        try:
            policy = factory(side, scn, difficulty=difficulty)
        except (KeyError, ValueError, TypeError) as exc:
            raise UsageError(f"cannot make policy '{name}': {exc}") from None
    else:
        policy = _registry(name, side, scn, difficulty)
    if not isinstance(policy, Policy):
        raise UsageError(f"policy '{name}' did not return a Policy (it has no decide method)")
    return policy


def make_all(policies: dict[str, str], scn: CompiledScenario, difficulty: str) -> dict[int, Policy]:
    """Return a policy per side index, from a policy name per side id."""
    return {
        scn.side_index[s]: make(n, scn.side_index[s], scn, difficulty) for s, n in policies.items()
    }


def _registry(name: str, side: int, scn: CompiledScenario, difficulty: str) -> Policy:
    try:
        from game.ai import make_policy  # type: ignore[attr-defined]
    except ImportError:
        raise UsageError(
            f"policy '{name}': the policy registry (game.ai.make_policy) is not available in "
            "this build; name a policy as module:factory instead"
        ) from None
    try:
        return make_policy(name, side, scn, difficulty=difficulty)  # type: ignore[no-any-return]
    except (KeyError, ValueError) as exc:
        raise UsageError(f"cannot make policy '{name}': {exc}") from exc


def _import(ref: str) -> Any:
    module_name, _, attr = ref.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"policy '{ref}': cannot import {module_name}: {exc}") from None
    factory = getattr(module, attr, None)
    if not callable(factory):
        raise UsageError(f"policy '{ref}': {module_name} has no callable '{attr}'")
    return factory
