"""The heuristic policy: orders scored by odds, threats, supply, victory points and will.

It reads only its side's observation (:mod:`game.ai.features`), reasons in passes
(:mod:`game.ai.planner`: appraisal, attacks, contact, movement, peace) and explains
every order.  Its character comes from the scenario's ``sides[].ai`` weights
(:class:`~game.scenario.schema.AIWeights`) with a difficulty level on top
(:mod:`game.ai.personality`).  It is deterministic for given keys: the only draws are the
noise and blunders of the easy level, taken from the policy's own keys.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.base import Decision, Explanation
from game.ai.explain import explain
from game.ai.features import situation
from game.ai.personality import Personality
from game.ai.planner import Thought, plan
from game.engine.observe import Observation
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]


def think(
    scn: CompiledScenario,
    obs: Observation,
    keys: U64,
    personality: Personality,
    *,
    notes: bool = True,
) -> Thought:
    """Return the heuristic's orders (and, if ``notes``, its reasons) for ``obs.side``.

    The reasons never change the orders; leaving them out saves time in rollouts.
    """
    keys = np.asarray(keys, np.uint64)
    return plan(situation(scn, obs), personality, keys, notes=notes)


class HeuristicPolicy:
    """Scores candidate orders from what the side can see, by its scenario personality.

    Args:
        side: The side it plays.
        scn: The scenario (for the side's AI weights).
        difficulty: 'easy', 'normal' or 'hard'.
        personality: Use these weights instead of the scenario's (for variants).
    """

    name = "heuristic"

    def __init__(
        self,
        side: int,
        scn: CompiledScenario,
        difficulty: str = "normal",
        personality: Personality | None = None,
    ) -> None:
        self.side = side
        self.difficulty = difficulty
        self.personality = personality or Personality.of(scn.model.sides[side].ai, difficulty)

    def decide(
        self, scn: CompiledScenario, obs: Observation, keys: U64, *, explain: bool = False
    ) -> Decision:
        """Return orders for every force of the side in every run (explained for one run)."""
        wanted = explain and obs.runs == 1
        thought = think(scn, obs, keys, self.personality, notes=wanted)
        notes = explain_thought(scn, obs, thought) if wanted else []
        return Decision(thought.orders, notes)


def explain_thought(scn: CompiledScenario, obs: Observation, thought: Thought) -> list[Explanation]:
    """Return the explanations of a batch-of-one decision (force -1: the peace decision)."""
    own = np.asarray(scn.force_side == obs.side)
    out = explain(scn, thought.notes, own)
    why = int(thought.peace[0])
    if why == 1:
        out.append(Explanation(-1, f"sue for peace: war will {float(obs.will[0]):.2f} is spent"))
    elif why == 2:
        name = scn.outcomes[int(thought.outcome[0])].name
        out.append(Explanation(-1, f"sue for peace: a treaty now would bring {name}"))
    return out
