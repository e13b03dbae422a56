"""Statistics of a finished (or running) campaign, turn by turn, for the end screen.

No pygame.  The series are rebuilt by replaying the game's recorded orders from the
start, which is exact (the engine is deterministic) and cheap, and works as well for a
game that was loaded from a save as for one played in this sitting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.codes import ForceStatus
from game.engine.state import CampaignState
from game.game import Game


@dataclass(frozen=True)
class Series:
    """Per-turn figures by side: ``values[t, s]`` after ``t`` turns."""

    name: str
    values: np.ndarray


def _snapshot(game: Game, st: CampaignState) -> tuple[list[int], list[int], list[int]]:
    scn = game.scenario
    active = st.status[0] == ForceStatus.ACTIVE
    men = [int(st.men[0][active & (scn.force_side == s)].sum()) for s in range(scn.S)]
    held = [int((st.owner[0] == s).sum()) for s in range(scn.S)]
    lost = [int(st.killed[0, s] + st.wounded[0, s] + st.captured[0, s]) for s in range(scn.S)]
    return men, held, lost


def series(game: Game) -> list[Series]:
    """Return men under arms, provinces held and losses by side after every turn."""
    fresh = Game(game.scenario, game.seed, source=game.source)
    rows = [_snapshot(fresh, fresh.state)]
    for rec in game.history:
        fresh.play_orders(rec.orders)
        rows.append(_snapshot(fresh, fresh.state))
    arr = np.array(rows)  # [T, 3, S]
    return [
        Series("Men under arms", arr[:, 0, :]),
        Series("Provinces held", arr[:, 1, :]),
        Series("Men lost (killed, wounded, captured)", arr[:, 2, :]),
    ]
