"""What a side remembers of the enemy: where each force was last seen, and how strong.

An observation (:mod:`game.engine.observe`) is one week's view: an enemy force out of
sight is simply absent, and each week's estimate of its men is drawn afresh.  A player
remembers: this module keeps, for every enemy force a side has seen, each sighting
(the turn, the province, the scouts' estimate), from the states the game went through.
It also gives the range an estimate stands for, since the error of the scouts is part
of the scenario's rules.  No pygame here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.codes import ForceStatus
from game.engine.observe import in_sight, observe
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

Z90 = 1.645
"""Standard normal quantile of a two-sided 90% range."""


@dataclass(frozen=True)
class Sighting:
    """One week's view of an enemy force.

    Attributes:
        turn: Turns played when it was seen (the date is ``scn.date_of(turn)``).
        province: Where it stood.
        men: The scouts' estimate of its men.
    """

    turn: int
    province: int
    men: int


class Memory:
    """Every sighting of the enemy one side has made, state after state."""

    def __init__(self, scn: CompiledScenario, side: int) -> None:
        self.scn = scn
        self.side = side
        self.seen: dict[int, list[Sighting]] = {}
        self._states = 0

    def update(self, states: Sequence[CampaignState]) -> None:
        """Take in the states not read yet (the game's states so far, in order)."""
        for st in states[self._states :]:
            obs = observe(self.scn, st, self.side)
            enemy = ~obs.own & obs.seen[0] & (obs.status[0] == ForceStatus.ACTIVE)
            for f in np.flatnonzero(enemy):
                self.seen.setdefault(int(f), []).append(
                    Sighting(int(st.turn), int(obs.loc[0, f]), int(obs.men[0, f]))
                )
        self._states = max(self._states, len(states))

    def last(self, force: int) -> Sighting | None:
        """Return the last sighting of a force, if it was ever seen."""
        seen = self.seen.get(force)
        return seen[-1] if seen else None

    def before(self, force: int, turn: int) -> Sighting | None:
        """Return the last sighting of a force before a turn."""
        earlier = [s for s in self.seen.get(force, ()) if s.turn < turn]
        return earlier[-1] if earlier else None


def estimate_range(scn: CompiledScenario, estimates: Sequence[int]) -> tuple[int, int]:
    """Return the range, nine times in ten, of the true men behind scouts' estimates.

    Each estimate is the true number times ``exp(sigma * z)`` (``rules.fog.
    estimate_error``), drawn apart for each force; the range of a sum narrows as the
    independent errors partly cancel (the spread of the sum by the delta method).
    """
    total = float(sum(estimates))
    sigma = float(scn.rules.fog.estimate_error)
    if total <= 0 or sigma <= 0:
        return int(total), int(total)
    spread = sigma * math.sqrt(sum(float(m) ** 2 for m in estimates)) / total
    lo, hi = total * math.exp(-Z90 * spread), total * math.exp(Z90 * spread)
    return int(round(lo / 50) * 50), int(round(hi / 50) * 50)


GHOST_TURNS = 4
"""How many turns a force out of sight stays on the map where it was last seen."""


def out_of_sight(
    memory: Memory, scn: CompiledScenario, st: CampaignState, max_age: int = GHOST_TURNS
) -> list[tuple[int, Sighting]]:
    """Return the enemy forces not seen now, with their last sighting, to show as ghosts.

    Only sightings of the last ``max_age`` turns count, and only where the side cannot see
    now (had the force stayed in sight of its scouts, it would be seen).
    """
    sight = in_sight(scn, st, memory.side)[0]
    seen_now = {f for f, s in memory.seen.items() if s[-1].turn == st.turn}
    out = []
    for f, sightings in sorted(memory.seen.items()):
        last = sightings[-1]
        if f in seen_now or st.turn - last.turn > max_age or sight[last.province]:
            continue
        out.append((f, last))
    return out
