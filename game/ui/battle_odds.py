"""The odds a reported battle had, for saying how lucky its result was.

If the viewer previewed the attack, the report compares the result with the odds that
were shown.  Otherwise the odds are estimated from the battle's own figures (men, the
defender's posture, surprise, ground and commanders) with the same resolver.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.codes import NONE
from game.engine.combat import BattleInput, combat_params, odds
from game.scenario.compile import CompiledScenario


def odds_from_figures(scn: CompiledScenario, fig: dict[str, Any], samples: int = 800) -> float:
    """Return the attacker's chance to win a battle with a report's figures."""
    lead = np.append(np.asarray(scn.leadership), 0.0)
    p = scn.province_index.get(str(fig.get("province_id")), int(fig.get("province", 0)))
    att_cmd, def_cmd = int(fig.get("att_cmd", NONE)), int(fig.get("def_cmd", NONE))
    inp = BattleInput.build(
        att_men=float(fig["att_men"]),
        def_men=float(fig["def_men"]),
        keys=0,
        posture=float(fig.get("posture", 1)),
        surprise=float(fig.get("surprise", 0.0)),
        terrain=float(scn.terrain_defence[scn.terrain[p]]),
        att_leadership=float(lead[att_cmd]),
        def_leadership=float(lead[def_cmd]),
    )
    return odds(inp, combat_params(scn), samples=samples, key=0)[0].p_attacker_wins
