"""The computer's generals: AI levels offered in the menus, mapped to policies.

Policies come from the registry :func:`game.ai.make_policy`; a caller (a test, a study's
replay) may pass its own factory instead.  The levels a player chooses from are names for
(policy, difficulty) pairs, so menus need not know how the AI is built.
"""

from __future__ import annotations

from collections.abc import Callable

from game.ai.base import Policy
from game.errors import UsageError
from game.scenario.compile import CompiledScenario

PolicyFactory = Callable[[str, int, CompiledScenario, str], Policy]
"""``factory(name, side, scenario, difficulty) -> Policy``."""

LEVELS: dict[str, tuple[str, str]] = {
    "easy": ("heuristic", "easy"),
    "normal": ("heuristic", "normal"),
    "hard": ("lookahead", "hard"),
    "random": ("random", "normal"),
    "historical": ("historical", "normal"),
}
"""AI levels by name: the policy used and its difficulty."""

LEVEL_NAMES: tuple[str, ...] = ("easy", "normal", "hard")
"""Levels offered on the start screen, weakest first."""


def registry_factory(name: str, side: int, scn: CompiledScenario, difficulty: str) -> Policy:
    """Build a policy with the project's registry.

    Raises:
        UsageError: If the registry is missing or does not know the policy.
    """
    try:
        from game.ai import make_policy  # type: ignore[attr-defined]
    except ImportError:
        raise UsageError("the computer players are not available in this build") from None
    try:
        return make_policy(name, side, scn, difficulty=difficulty)  # type: ignore[no-any-return]
    except ImportError:
        raise UsageError(f"the '{name}' computer player is not available in this build") from None


def make(
    level: str, side: int, scn: CompiledScenario, factory: PolicyFactory | None = None
) -> Policy:
    """Return the policy for an AI level (or a policy name) playing one side.

    Raises:
        UsageError: If the level is unknown or the policy cannot be made.
    """
    if level in LEVELS:
        name, difficulty = LEVELS[level]
    elif level in ("heuristic", "lookahead"):
        name, difficulty = level, "normal"
    else:
        raise UsageError(f"no AI level '{level}' (levels: {', '.join(LEVELS)})")
    return (factory or registry_factory)(name, side, scn, difficulty)
