"""The scenario's historical record, read as what a played war is compared with.

The record (``history.record`` in a scenario) lists what really happened.  The replay
shows its entries beside the turns they fall in; the fidelity report turns its battles,
occupations, withdrawals, deaths and treaty into things a played war can be checked
against.  Everything here is derived from the scenario, so an overlay that adds or
removes record entries changes what is measured without touching code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from game.scenario.compile import CompiledScenario
from game.scenario.schema import RecordEntry, strength_range, strength_value

WINDOW_DAYS = 14
"""How far from its recorded date a played battle (or occupation) still counts as it.

Two weeks is two turns: a column a few days late on the road still fights the battle
history remembers, while a fight a month later at the same place is another affair.
"""


@dataclass(frozen=True)
class Engagement:
    """A recorded battle, as the fidelity report looks for it in a played war.

    Attributes:
        id: Id of the record entry.
        name: Its title.
        date: The day it was fought.
        day: Days from the scenario's start.
        province: Index of the province it was fought in.
        winner: Index of the side that won in history, or None if the record gives none.
        men: Both sides' recorded strengths added up (0 where the record has none).
    """

    id: str
    name: str
    date: dt.date
    day: int
    province: int
    winner: int | None
    men: int


@dataclass(frozen=True)
class Occupation:
    """A recorded occupation of an enemy province, and when history says it ended.

    Attributes:
        id: Id of the record entry.
        name: Its title.
        date: The day the occupation began.
        day: Days from the scenario's start.
        province: Index of the province.
        side: Index of the occupying side (the side whose home it is not).
        until: Last day of the first recorded withdrawal from that province after it
            began, or None if the record gives no end.
        until_day: ``until`` in days from the start, or None.
    """

    id: str
    name: str
    date: dt.date
    day: int
    province: int
    side: int
    until: dt.date | None
    until_day: int | None


def day_of(scn: CompiledScenario, date: dt.date) -> int:
    """Return a date as days from the scenario's start."""
    return (date - scn.start).days


def entries(scn: CompiledScenario) -> list[RecordEntry]:
    """Return the record's entries of the war in date order (stable for entries of one day).

    Prelude entries (before the start) are left out: nothing played can be compared with
    them; :func:`prelude` lists them.
    """
    return sorted((r for r in scn.model.history.record if not r.prelude), key=lambda r: r.date)


def prelude(scn: CompiledScenario) -> list[RecordEntry]:
    """Return the record's prelude: the entries dated before the war, in date order."""
    return sorted((r for r in scn.model.history.record if r.prelude), key=lambda r: r.date)


def engagements(scn: CompiledScenario) -> list[Engagement]:
    """Return every recorded battle, in date order."""
    out = []
    for r in entries(scn):
        if r.kind != "battle" or r.place is None:
            continue
        winner = scn.side_index.get(r.winner) if r.winner else None
        men = sum(strength_value(v) for v in r.strengths.values())
        p = scn.province_index[r.place]
        out.append(Engagement(r.id, r.title, r.date, day_of(scn, r.date), p, winner, men))
    return out


def decisive(battles: list[Engagement]) -> str | None:
    """Return the id of the largest recorded battle (by both sides' strengths), if any."""
    sized = [b for b in battles if b.men > 0]
    return max(sized, key=lambda b: b.men).id if sized else None


def occupier(scn: CompiledScenario, place: str) -> int | None:
    """Return the side that occupies a province in history: the one whose home it is not.

    None for a province no side calls home (nobody's occupation to measure) or in a
    scenario with other than two sides.
    """
    home = int(scn.home_side[scn.province_index[place]])
    if scn.S != 2 or home < 0:
        return None
    return 1 - home


def occupations(scn: CompiledScenario) -> list[Occupation]:
    """Return every recorded occupation with the recorded withdrawal that ended it."""
    recs = entries(scn)
    out = []
    for r in recs:
        if r.kind != "occupation" or r.place is None:
            continue
        side = occupier(scn, r.place)
        if side is None:
            continue
        until = next(
            (
                w.end_date or w.date
                for w in recs
                if w.kind == "withdrawal" and w.place == r.place and w.date >= r.date
            ),
            None,
        )
        out.append(
            Occupation(
                r.id,
                r.title,
                r.date,
                day_of(scn, r.date),
                scn.province_index[r.place],
                side,
                until,
                None if until is None else day_of(scn, until),
            )
        )
    return out


def killed_in_history(scn: CompiledScenario) -> list[str]:
    """Return the ids of the commanders the record says were killed in the war."""
    return [
        c.id
        for c in scn.model.commanders
        if c.fate is not None and c.fate.kind in ("killed", "executed") and c.fate.date is not None
    ]


def treaty(scn: CompiledScenario) -> RecordEntry | None:
    """Return the recorded treaty that ended the war, if the record has one."""
    return next((r for r in entries(scn) if r.kind == "treaty"), None)


def historical_outcome(scn: CompiledScenario) -> str | None:
    """Return the id of the outcome history gave, if the record ends in a treaty.

    A scenario's last outcome is the one that holds when no other does: a treaty with no
    gains kept, every province back with its pre-war owner.  That was the Treaty of
    Puno's peace (status quo ante bellum), and it is how a recorded treaty is read.
    """
    if treaty(scn) is None or not scn.outcomes:
        return None
    return scn.outcomes[-1].id


def between(scn: CompiledScenario, first_day: int, last_day: int) -> list[RecordEntry]:
    """Return the record entries dated from ``first_day`` to ``last_day`` (inclusive)."""
    return [r for r in entries(scn) if first_day <= day_of(scn, r.date) <= last_day]


def killed_total(scn: CompiledScenario) -> tuple[int, tuple[int, int]] | None:
    """Return the recorded total of killed and its range, if the record gives them."""
    totals = scn.model.history.totals
    if totals is None or totals.killed is None:
        return None
    return strength_value(totals.killed), strength_range(totals.killed)
