"""Policies that give orders for one side from its observation, vectorised over runs.

Every policy implements :class:`game.ai.base.Policy`; the interface, the replay, the
tournament and studies all build them through :func:`make_policy`:

* ``historical`` -- the scenario's recorded orders, the heuristic where history diverged;
* ``random`` -- uniformly random legal orders (a baseline);
* ``heuristic`` -- orders scored by odds, threats, supply, victory points and will;
* ``lookahead`` -- candidate plans judged by rollouts of the real engine.

Nothing here imports the interface (pygame): policies run headless in studies.
"""

from __future__ import annotations

from typing import Any, Final

from game.ai.base import Decision, Explanation, Policy, policy_keys
from game.ai.personality import DIFFICULTIES
from game.errors import UsageError
from game.scenario.compile import CompiledScenario

POLICY_NAMES: Final = ("historical", "random", "heuristic", "lookahead")
"""Names :func:`make_policy` accepts, from the most scripted to the strongest."""


def make_policy(
    name: str, side: int, scn: CompiledScenario, difficulty: str = "normal", **options: Any
) -> Policy:
    """Return a policy playing ``side`` of ``scn``.

    Args:
        name: One of :data:`POLICY_NAMES`.
        side: Index of the side it plays.
        scn: The compiled scenario (for the side's AI weights and the map).
        difficulty: 'easy', 'normal' or 'hard' (ignored by the random policy).
        **options: Policy-specific settings, e.g. ``futures=``, ``horizon=`` or
            ``time_budget=`` for the look-ahead.

    Raises:
        UsageError: An unknown policy name, side or difficulty, or options a policy
            does not take.
    """
    if not 0 <= side < scn.S:
        raise UsageError(f"no side {side} (the scenario has {scn.S})")
    if difficulty not in DIFFICULTIES:
        raise UsageError(f"no difficulty '{difficulty}' (choose from {', '.join(DIFFICULTIES)})")
    if name not in POLICY_NAMES:
        raise UsageError(f"no policy '{name}' (choose from {', '.join(POLICY_NAMES)})")
    if name == "lookahead":
        from game.ai.lookahead import LookaheadPolicy

        return LookaheadPolicy(side, scn, difficulty, **options)
    if options:
        raise UsageError(f"policy '{name}' takes no options ({', '.join(sorted(options))} given)")
    if name == "random":
        from game.ai.random_policy import RandomPolicy

        return RandomPolicy(side)
    if name == "heuristic":
        from game.ai.heuristic import HeuristicPolicy

        return HeuristicPolicy(side, scn, difficulty)
    from game.ai.historical import HistoricalPolicy

    return HistoricalPolicy(side, scn, difficulty)


__all__ = [
    "DIFFICULTIES",
    "POLICY_NAMES",
    "Decision",
    "Explanation",
    "Policy",
    "make_policy",
    "policy_keys",
]
