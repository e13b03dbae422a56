"""A side's AI personality (from the scenario) with a difficulty level on top.

Authors tune a side's character in the scenario (``sides[].ai``: an aggressive invader,
a careful opportunist); the player picks how hard the computer plays.  Difficulty
never lets the AI see more: it changes how carefully it reads what it sees.

* ``easy``: orders are chosen with noisy judgement, and now and then a force is given a
  hasty random order; it attacks more readily and gathers its forces less.
* ``normal``: the scenario's personality as written.
* ``hard``: also counts the enemy forces that could reinforce a battle this turn before
  attacking, and insists a little more on concentration.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Final

from game.errors import UsageError
from game.scenario.schema import AIWeights

DIFFICULTIES: Final = ("easy", "normal", "hard")


@dataclass(frozen=True)
class Personality:
    """The effective weights of a heuristic decision (scenario weights and difficulty).

    The first nine fields are those of :class:`~game.scenario.schema.AIWeights`.

    Attributes:
        noise: Spread of the random error added to each option's score, as a share of
            the scenario's winning margin in victory points.
        blunder: Chance that a force is given a random legal order instead.
        foresight: Count enemy forces that can reach a battle this turn as defenders.
    """

    aggression: float = 1.0
    caution: float = 1.0
    min_odds: float = 0.55
    objective: float = 1.0
    garrison: float = 1.0
    concentration: float = 1.0
    commander_safety: float = 1.0
    harass: float = 1.0
    peace_will: float = 0.2
    noise: float = 0.0
    blunder: float = 0.0
    foresight: bool = False

    @classmethod
    def of(cls, weights: AIWeights, difficulty: str = "normal") -> Personality:
        """Return the personality of a side's weights at a difficulty level.

        Raises:
            UsageError: An unknown difficulty.
        """
        base = cls(**{f: float(getattr(weights, f)) for f in AIWeights.model_fields})
        if difficulty == "normal":
            return base
        if difficulty == "easy":
            return base.tuned(
                noise=0.35,
                blunder=0.12,
                min_odds=max(base.min_odds - 0.08, 0.0),
                concentration=base.concentration * 0.5,
            )
        if difficulty == "hard":
            return base.tuned(foresight=True, concentration=base.concentration * 1.2)
        raise UsageError(f"no difficulty '{difficulty}' (choose from {', '.join(DIFFICULTIES)})")

    def tuned(self, **changes: float | bool) -> Personality:
        """Return a copy with some weights changed."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
