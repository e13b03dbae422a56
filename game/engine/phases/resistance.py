"""Phase 7: popular resistance to occupation.

In 1841-42 the Bolivian occupation of southern Peru collapsed because it could not hold
hostile provinces: the people rose as montoneros, ambushed garrisons and wore down the
occupier's will.  Here every province whose people belong to one side but which the other
side holds may rise each week, the more readily the more hostile its people
(``resistance``) and the thinner its garrison against ``garrison_needed``, and the more so
while the people's own side still has the will to fight.  A rising raises irregulars of
the home side in the province itself, so the next turn the garrison must fight them.
Garrisons also bleed from ambushes, and the occupier's will drains with every hostile
province it holds, by its value and hostility as a share of its people's home value.
"""

from __future__ import annotations

import numpy as np

from game import libm
from game.codes import NONE, ForceStatus
from game.engine import keyed
from game.engine.context import Phase, TurnContext
from game.engine.forces import pairs, presence, raise_many, take_men
from game.engine.outcome import home_values
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario


def resist(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Draw risings, bleed garrisons and drain occupiers' will in every occupied province."""
    rules = scn.rules.resistance
    weeks = scn.turn_days / 7.0
    home = scn.home_side.astype(np.int64)
    hostile = (home[None, :] != NONE) & (st.owner != home[None, :]) & ctx.live[:, None]
    hostile &= (ctx.turn - st.held_since) >= rules.min_turns
    hostile &= (scn.resistance > 0)[None, :]
    if not hostile.any():
        return
    pres = presence(scn, st)
    # Draws and hazards only where a province is hostile, province by province: the
    # order in which risings are recorded.
    p, r = pairs(hostile.T)
    garrison = pres[r, p, st.owner[r, p].astype(np.int64)]
    need = np.maximum(scn.garrison_needed, 1)[p]
    hazard = (
        rules.rate
        * scn.resistance[p]
        * libm.exp(-rules.garrison_effect * garrison / need)
        * (0.5 + st.will[r, home[p]])
        * weeks
    )
    u1, u2 = keyed.uniform_pairs(ctx.keys, int(Phase.RESISTANCE), r, p)
    rise = (u1 < np.clip(hazard, 0.0, 1.0)) & (scn.partisans[p] > 0)
    men = np.floor(scn.partisans[p] * (0.4 + 0.6 * u2)).astype(np.int64)
    raise_many(scn, st, ctx, r[rise], p[rise], home[p[rise]], men[rise], cause="rising")
    _ambush(scn, st, ctx, hostile, weeks)
    # the occupier's cost: the value times the hostility of what it holds, as a share of
    # the home value of the people it holds down (docs/rules.md §8)
    share = scn.value * scn.resistance / home_values(scn)[np.maximum(home, 0)]
    drain = rules.occupier_drain * weeks * (hostile * share[None, :])
    for s in range(scn.S):
        st.will[:, s] = np.clip(st.will[:, s] - (drain * (st.owner == s)).sum(axis=1), 0.0, 1.0)


def _ambush(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, hostile: np.ndarray, weeks: float
) -> None:
    """Garrisons of hostile provinces lose men to ambushes (killed and wounded)."""
    rules = scn.rules.resistance
    r, f = pairs((st.status == ForceStatus.ACTIVE) & (st.loc >= 0))
    loc = st.loc[r, f].astype(np.int64)
    occupying = hostile[r, loc] & (st.owner[r, loc] == scn.force_side[f])
    r, f, loc = r[occupying], f[occupying], loc[occupying]
    share = rules.attrition * scn.resistance[loc] * weeks
    expected = st.men[r, f] * share
    u = keyed.uniforms(ctx.keys, int(Phase.RESISTANCE), r, scn.P + f)
    lost = (np.floor(expected) + (u < expected - np.floor(expected))).astype(np.int64)
    if not lost.any():
        return
    killed = np.floor(lost * scn.rules.combat.killed_share).astype(np.int64)
    take_men(scn, st, ctx, r, f, killed, "killed")
    take_men(scn, st, ctx, r, f, lost - killed, "wounded")
