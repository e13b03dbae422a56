"""The blind scenario: every commander's ratings neutral.

``ingavi fidelity --blind`` plays the war as if nothing were known of its commanders:
leadership and initiative 0, exposure 1.  Set beside the rated scenario, it shows how much
of the model's agreement with history the ratings carry; since every rating must rest on
evidence from before the events it affects (``ingavi validate`` checks), that part is
still a prediction, but a blind model that does as well needs no ratings at all.
"""

from __future__ import annotations

from game.scenario.compile import CompiledScenario, compile_scenario
from game.scenario.schema import Scenario

NEUTRAL = {"leadership": 0.0, "initiative": 0.0, "exposure": 1.0}
"""The commander ratings of a man about whom nothing is known."""


def neutral_commanders(model: Scenario) -> Scenario:
    """Return the scenario with every commander rated neutral (and no evidence needed)."""
    commanders = [c.model_copy(update={**NEUTRAL, "evidence": []}) for c in model.commanders]
    return model.model_copy(update={"commanders": commanders})


def blind(scn: CompiledScenario) -> CompiledScenario:
    """Return the compiled blind version of a compiled scenario."""
    return compile_scenario(neutral_commanders(scn.model))
