"""Phase 1: reinforcements and events.

Forces due this turn enter the map where the scenario says; then every event whose date
and condition are met fires, in the scenario's order, so an event can raise a force, shake
a side's will, or open peace talks before anyone moves.
"""

from __future__ import annotations

import numpy as np

from game.engine.context import TurnContext
from game.engine.events import run_events
from game.engine.forces import activate
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario


def arrivals(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Bring on the forces scheduled for this turn, then fire due events."""
    for f in np.flatnonzero(scn.arrival_turn == ctx.turn):
        activate(scn, st, ctx, ctx.live, int(f), int(scn.arrival_at[f]))
    run_events(scn, st, ctx)
