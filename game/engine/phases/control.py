"""Phase 5: occupation and control.

A province changes hands only when a side stands in it with enough men and no enemy force
remains (or by treaty, in the peace phase).  Marching through does not take a province;
staying does.  The turn it changed hands is kept, because risings and events care how
long an occupation has lasted.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.engine.context import TurnContext
from game.engine.forces import pairs, presence
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

I64 = npt.NDArray[np.int64]


def occupy(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, pres: I64 | None = None
) -> None:
    """Give each province to the only side standing in it with enough men.

    ``pres`` is :func:`~game.engine.forces.presence` of the state as it stands, if the
    caller has it (the battle phase's, on a turn without battles); else it is counted.
    """
    if pres is None:
        pres = presence(scn, st)
    need = scn.rules.control_men
    for s in range(scn.S):
        take = (
            ctx.live[:, None] & (pres[:, :, s] >= need) & (pres[:, :, 1 - s] == 0) & (st.owner != s)
        )
        if not take.any():
            continue
        r, p = pairs(take)
        ctx.rec("control").add(run=r, province=p, side=s, previous=st.owner[r, p])
        # One side may take several provinces of one run in a turn: add every one of them.
        np.add.at(ctx.taken_value, (r, s), scn.value[p] * scn.home[1 - s, p])
        st.owner[r, p] = s
        st.held_since[r, p] = ctx.turn
