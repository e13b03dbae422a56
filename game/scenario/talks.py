"""How long peace talks last: the envoys' journeys over the scenario's own routes.

A treaty of the musket age took as long as its envoys took to travel.  Each side's
plenipotentiary set out from his seat of government to the place of the talks with full
powers and instructions; once the two had agreed a text, they referred it home and waited
for the answer before signing.  So the length of the talks is not a number to be read off
the record but follows from the map: the journeys between each side's capital and the
place of the talks, at an envoy's pace, as many times as the scenario's
:class:`~game.scenario.schema.Envoys` rule says.  A scenario may instead fix the number of
turns (``peace.talks_turns``), and then says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.scenario.routes import shortest
from game.scenario.schema import Scenario

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TalksLength:
    """The length of the talks and what it comes from.

    Attributes:
        turns: Turns from the opening of the talks to the signing.
        days: The same in days, before rounding up to whole turns (``nan`` for a fixed
            length).
        side: Index of the side whose journeys are the longest (-1 for a fixed length).
        march_days: That side's days of marching on the map, out to the talks and back
            for each referral (``nan`` for a fixed length).
    """

    turns: int
    days: float = math.nan
    side: int = -1
    march_days: float = math.nan

    @property
    def fixed(self) -> bool:
        """Whether the scenario fixed the number of turns rather than the journeys."""
        return self.side < 0


def side_journeys(model: Scenario, dist: F64, pidx: dict[str, int]) -> list[float]:
    """Return each side's days of marching on the talks' journeys (``inf`` if no route).

    ``dist`` is the compiled map's shortest routes in days (``dist[a, b]`` from a to b).
    Out from the capital to the place of the talks (the other side's capital without
    one), and for each referral home and back again.
    """
    peace = model.victory.peace
    rule = peace.length_rule()
    referrals = 0 if rule is None else rule.referrals
    capitals = [pidx[s.capital] for s in model.sides]
    out = []
    for s, home in enumerate(capitals):
        if peace.place is not None:
            places = [pidx[peace.place]]
        else:
            places = [c for t, c in enumerate(capitals) if t != s]
        days = max(
            float(dist[home, p]) + referrals * float(dist[p, home] + dist[home, p]) for p in places
        )
        out.append(days)
    return out


def talks_length(model: Scenario, dist: F64, pidx: dict[str, int], turn_days: int) -> TalksLength:
    """Return how many turns the scenario's talks last, and why."""
    peace = model.victory.peace
    rule = peace.length_rule()
    if rule is None:
        assert peace.talks_turns is not None
        return TalksLength(turns=peace.talks_turns)
    journeys = side_journeys(model, dist, pidx)
    side = int(np.argmax(journeys))
    march = journeys[side]
    days = march / rule.pace
    turns = math.ceil(days / turn_days - 1e-9)
    return TalksLength(turns=turns, days=days, side=side, march_days=march)


def check_talks(model: Scenario) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Return the problems of the talks' length rule: ``(path, message, hint)`` each.

    Every side's envoy needs a route from its capital to the place of the talks; a side
    whose capital is an off-map base without a link has none.  Unknown ids are reported by
    the reference checks, so a scenario with one is not judged here.
    """
    peace = model.victory.peace
    if peace.length_rule() is None:
        return []
    pidx = {p.id: i for i, p in enumerate(model.map.provinces)}
    ends = [s.capital for s in model.sides] + [peace.place] * (peace.place is not None)
    ends += [e for ln in model.map.links for e in (ln.a, ln.b)]
    if any(e not in pidx for e in ends):
        return []
    days = np.full((len(pidx), len(pidx)), np.inf)
    for ln in model.map.links:
        a, b = pidx[ln.a], pidx[ln.b]
        days[a, b] = min(days[a, b], ln.days)
        days[b, a] = min(days[b, a], ln.days if ln.days_back is None else ln.days_back)
    dist = shortest(days)
    where = peace.place or "the other side's capital"
    return [
        (
            ("sides", s, "capital"),
            f"the envoys of '{side.id}' have no route from its capital '{side.capital}' to "
            f"{where}, so the talks' length cannot be worked out",
            "link the capital to the map, or fix the talks' length with victory.peace.talks_turns",
        )
        for s, (side, journey) in enumerate(
            zip(model.sides, side_journeys(model, dist, pidx), strict=True)
        )
        if not math.isfinite(journey)
    ]
