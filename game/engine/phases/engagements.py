"""After the battles: which played battle stands for which recorded one.

A scenario's record lists the battles of the real war.  A played battle stands for a
recorded one when it is fought in the same province within ``history.window_days`` of the
recorded date; of several, the one nearest the date counts (the first fought, on a tie).
The state keeps, per run and recorded battle, the winner of the nearest so far
(``rec_winner``) and its distance in days (``rec_gap``), which is what a premise's or an
event's ``engagement`` condition tests; the turn's report lists every update in the
``recorded_battles`` table (run, row of the ``battles`` table, recorded battle), which is
how the fidelity report finds the figures of the battle that counts.  One rule, kept here,
serves both.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.codes import Winner
from game.engine.context import TurnContext
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

DRAW = 2
"""``rec_winner`` of a recorded battle whose played battle was drawn."""

I64 = npt.NDArray[np.int64]


def candidates(
    scn: CompiledScenario, battles: dict[str, np.ndarray], turn: int
) -> tuple[I64, I64, I64]:
    """Return ``(row, recorded battle, gap in days)`` for every played battle in a window."""
    N = len(scn.rec_battle_ids)
    if not battles or N == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    day = turn * scn.turn_days + battles["day"].astype(np.int64)
    gap = np.abs(day[:, None] - scn.rec_battle_day[None, :].astype(np.int64))
    near = (battles["province"][:, None] == scn.rec_battle_province[None, :]) & (
        gap <= scn.window_days
    )
    row, e = np.nonzero(near)
    return row.astype(np.int64), e.astype(np.int64), gap[row, e].astype(np.int64)


def winner_side(battles: dict[str, np.ndarray]) -> npt.NDArray[np.int8]:
    """Return each played battle's winning side, or :data:`DRAW`."""
    att = battles["attacker"].astype(np.int64)
    win = battles["winner"]
    side = np.where(win == Winner.ATTACKER, att, 1 - att)
    return np.where(win == Winner.DRAW, DRAW, side).astype(np.int8)


def record_engagements(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Keep, per run and recorded battle, the played battle nearest its date so far."""
    battles = ctx.rec("battles").table()
    row, e, gap = candidates(scn, battles, ctx.turn)
    if row.size == 0:
        return
    run = battles["run"][row].astype(np.int64)
    # the nearest of this turn's candidates per (run, recorded battle), first row on a tie
    order = np.lexsort((row, gap, run * len(scn.rec_battle_ids) + e))
    slot = (run * len(scn.rec_battle_ids) + e)[order]
    first = order[np.r_[True, slot[1:] != slot[:-1]]]
    row, e, gap, run = row[first], e[first], gap[first], run[first]
    closer = gap < st.rec_gap[run, e]
    row, e, gap, run = row[closer], e[closer], gap[closer], run[closer]
    st.rec_gap[run, e] = gap
    st.rec_winner[run, e] = winner_side(battles)[row]
    ctx.rec("recorded_battles").add(run=run, battle=row, engagement=e)
