"""One turn of the campaign for a whole batch: ``step(scn, state, orders)``.

The phases run in a fixed order (see ``docs/rules.md`` for the reasons behind each):
reinforcements and events; orders and movement; contact and battle; retreat or rout;
occupation and control; supply and attrition; popular resistance; war will and peace.
Each side's memory of the enemy (:mod:`game.engine.memory`) notes what it saw at the
turn's start and what it witnessed by its end.
``step`` never changes its input state and never touches a run whose war is over.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from game.engine.combat import combat_params
from game.engine.context import TurnContext, new_context
from game.engine.forces import disperse_small
from game.engine.memory import remember_seen, remember_witnessed
from game.engine.orders import Orders
from game.engine.phases.arrivals import arrivals
from game.engine.phases.battle import fight, settle_dug_in
from game.engine.phases.control import occupy
from game.engine.phases.engagements import record_engagements
from game.engine.phases.movement import apply_orders, move
from game.engine.phases.peace import peace
from game.engine.phases.resistance import resist
from game.engine.phases.supply import supply
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario


@dataclass
class TurnReport:
    """What happened in one turn, as arrays (no per-run Python objects).

    ``tables`` maps a kind of happening ('battles', 'control', 'risings', 'events',
    'arrivals', 'departures', 'retreats', 'surrenders', 'dispersed', 'talks', 'war_end',
    'massacres', 'battle_forces', 'recorded_battles') to its columns; ``run`` columns are
    positions in the batch.  :mod:`game.engine.chronicle` turns a report of a batch of one
    into prose.
    """

    turn: int
    tables: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    sight: npt.NDArray[np.bool_] | None = None
    """Each side's sight at the end of the turn ``[S, R, P]``, worked out for the memory
    (None if no run was played): the next turn's observations and memory take it
    instead of working it out again (:func:`game.play_loop.play_from`)."""

    def table(self, name: str) -> dict[str, np.ndarray]:
        """Return one table (empty if nothing of that kind happened)."""
        return self.tables.get(name, {})

    def count(self, name: str) -> int:
        """Return how many rows a table has."""
        t = self.tables.get(name)
        return 0 if not t else int(next(iter(t.values())).size)


def step(
    scn: CompiledScenario,
    state: CampaignState,
    orders: Orders,
    *,
    record_moves: bool | None = None,
    sight: npt.NDArray[np.bool_] | None = None,
) -> tuple[CampaignState, TurnReport]:
    """Play one turn for every run of a batch and return the new state and a report.

    Args:
        scn: The compiled scenario.
        state: The state before the turn (left unchanged).
        orders: Both sides' orders for this turn (illegal orders are ignored: the
            :class:`~game.game.Game` facade refuses them before they get here).
        record_moves: Record every march and retreat (default: for batches of up to 8).
        sight: Each side's sight of ``state`` ``[S, R, P]`` if the caller has it (the
            previous turn's report's :attr:`TurnReport.sight`, when ``state`` is that
            turn's state, unchanged); else it is worked out.
    """
    st = state.copy()
    ctx = new_context(scn, st, record_moves=st.runs <= 8 if record_moves is None else record_moves)
    now = _phases(scn, st, ctx, orders, sight) if ctx.live.any() else None
    st.turn += 1
    return st, TurnReport(
        turn=state.turn,
        tables={k: v.table() for k, v in ctx.records.items() if len(v)},
        sight=now,
    )


def _phases(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    orders: Orders,
    sight: npt.NDArray[np.bool_] | None,
) -> npt.NDArray[np.bool_]:
    before = (st.status.copy(), st.loc.copy())
    sights = remember_seen(scn, st, ctx, sight)
    arrivals(scn, st, ctx)
    apply_orders(scn, st, ctx, orders)
    move(scn, st, ctx)
    eng = fight(scn, st, ctx, combat_params(scn))
    record_engagements(scn, st, ctx)
    settle_dug_in(st, ctx)
    # Without battles nothing has moved since the battle phase counted who stands where.
    occupy(scn, st, ctx, eng.presence if eng.run.size == 0 else None)
    supply(scn, st, ctx)
    resist(scn, st, ctx)
    disperse_small(scn, st, ctx)
    peace(scn, st, ctx, orders)
    return remember_witnessed(scn, st, ctx, before, sights)
