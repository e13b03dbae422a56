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
from typing import Any

from game.scenario.compile import CompiledScenario
from game.scenario.fitted import fitted_targets
from game.scenario.schema import (
    FITTED_FIGURES,
    Premise,
    RecordEntry,
    strength_range,
    strength_value,
)


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
        side: Index of the occupying side (the entry's ``occupier``).
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


def occupier(scn: CompiledScenario, entry: RecordEntry) -> int | None:
    """Return the side that occupied an entry's place.

    Its ``occupier``, else the one side whose commanders it names, else None (the report
    then says it cannot measure the entry).
    """
    if entry.occupier is not None:
        return scn.side_index[entry.occupier]
    sides = [s for s, cids in entry.commanders.items() if cids]
    return scn.side_index[sides[0]] if len(sides) == 1 else None


def _withdrawal_end(
    recs: list[RecordEntry], r: RecordEntry, side: int, scn: CompiledScenario
) -> dt.date | None:
    for w in recs:
        if w.kind != "withdrawal" or w.place != r.place or w.date < r.date:
            continue
        if w.occupier is None or scn.side_index[w.occupier] == side:
            return w.end_date or w.date
    return None


def occupations(scn: CompiledScenario) -> list[Occupation]:
    """Return every measurable recorded occupation with the withdrawal that ended it.

    An occupation is measurable when it names its occupier (see :func:`occupier`) and the
    place is not the occupier's own home (a headquarters is not an occupation).
    """
    recs = entries(scn)
    out = []
    for r in recs:
        if r.kind != "occupation" or r.place is None:
            continue
        side = occupier(scn, r)
        p = scn.province_index[r.place]
        if side is None or scn.home[side, p]:
            continue
        until = _withdrawal_end(recs, r, side, scn)
        out.append(
            Occupation(
                r.id,
                r.title,
                r.date,
                day_of(scn, r.date),
                p,
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


def talks(scn: CompiledScenario) -> RecordEntry | None:
    """Return the recorded opening of peace talks, if the record has one."""
    return next((r for r in entries(scn) if r.kind == "talks"), None)


def treaty(scn: CompiledScenario) -> RecordEntry | None:
    """Return the recorded treaty that ended the war, if the record has one."""
    return next((r for r in entries(scn) if r.kind == "treaty"), None)


def historical_outcome(scn: CompiledScenario) -> str | None:
    """Return the id of the outcome history had (``history.outcome``), if the scenario says."""
    return scn.model.history.outcome


def between(scn: CompiledScenario, first_day: int, last_day: int) -> list[RecordEntry]:
    """Return the record entries dated from ``first_day`` to ``last_day`` (inclusive)."""
    return [r for r in entries(scn) if first_day <= day_of(scn, r.date) <= last_day]


def killed_total(scn: CompiledScenario) -> tuple[int, tuple[int, int]] | None:
    """Return the recorded total of killed and its range, if the record gives them."""
    totals = scn.model.history.totals
    if totals is None or totals.killed is None:
        return None
    return strength_value(totals.killed), strength_range(totals.killed)


def premised(scn: CompiledScenario) -> list[RecordEntry]:
    """Return the record entries that rest on a premise, in date order."""
    return [r for r in entries(scn) if r.premise is not None]


def conditional_entries(scn: CompiledScenario) -> list[tuple[int, Premise]]:
    """Return ``(turn of the entry, its premise)`` for each entry of :func:`premised`."""
    return [
        (scn.turn_of(r.date), scn.premises[scn.premise_index[r.premise]])
        for r in premised(scn)
        if r.premise is not None
    ]


def unmeasured(scn: CompiledScenario) -> list[dict[str, str]]:
    """Return each record entry the fidelity report cannot measure, with why.

    Battles, occupations with their withdrawals, deaths of commanders whose fate is
    recorded, and the treaty are measured; the rest is shown in the replay only.
    """
    measured = {b.id for b in engagements(scn)} | {o.id for o in occupations(scn)}
    recs = entries(scn)
    ended = {
        w.id
        for o in occupations(scn)
        for w in recs
        if w.kind == "withdrawal"
        and w.place == scn.province_ids[o.province]
        and (w.end_date or w.date) == o.until
    }
    killed = set(killed_in_history(scn))
    first_treaty = treaty(scn)
    out = []
    for r in recs:
        why = _why_unmeasured(scn, r, measured | ended, killed, first_treaty)
        if why:
            out.append({"id": r.id, "title": r.title, "kind": r.kind, "why": why})
    return out


def _why_unmeasured(
    scn: CompiledScenario,
    r: RecordEntry,
    measured: set[str],
    killed: set[str],
    first_treaty: RecordEntry | None,
) -> str:
    if r.id in measured:
        return ""
    if r.kind in ("march", "event", "rising"):
        article = "an" if r.kind[0] in "aeiou" else "a"
        return f"{article} {r.kind} is shown in the replay but has no figure to measure"
    if r.kind == "treaty":
        return "" if r is first_treaty else "only the first treaty ends the war"
    if r.kind == "talks":
        return "" if r is talks(scn) else "only the first opening of talks is measured"
    if r.kind == "death":
        names = [c for cids in r.commanders.values() for c in cids]
        if names and all(c in killed for c in names):
            return ""
        return "names no commander whose fate is 'killed' with a date"
    if r.kind == "battle":
        return "has no place"
    if r.kind == "occupation":
        side = occupier(scn, r) if r.place else None
        if r.place is None:
            return "has no place"
        if side is None:
            return "names no occupier (give 'occupier')"
        return "the place is the occupier's own home: a headquarters, not an occupation"
    return f"ends no measured occupation of {r.place or 'its place'}"


FIGURES = FITTED_FIGURES
"""The figures of a record entry that a parameter can be calibrated to."""


def calibrations(scn: CompiledScenario) -> dict[str, list[str]]:
    """Return, per figure of the report, the values set to match it (``calibrated_to``).

    Keys are ``<entry id>.<figure>`` for each of :data:`FIGURES` of a record entry a value
    was fitted to (or the one figure named), and ``outcome``, ``end_date`` and ``killed``
    for the whole war (a value fitted to the treaty's entry fits the end date too); values
    are the values' dotted paths, as ``--set`` names them.
    """
    treaties = [r.id for r in scn.model.history.record if r.kind == "treaty"]
    ids = {r.id for r in scn.model.history.record}
    out: dict[str, list[str]] = {}
    for target, paths in fitted_targets(scn.model).items():
        keys = [f"{target}.{f}" for f in FIGURES] if target in ids else [target]
        if target.split(".")[0] in treaties[:1] and target.partition(".")[2] in ("", "happens"):
            keys.append("end_date")
        for k in keys:
            out.setdefault(k, []).extend(p for p in paths if p not in out.get(k, []))
    return out


def is_fitted(fits: dict[str, list[str]], figure: str) -> dict[str, Any]:
    """Return ``{"fitted": bool, "calibrated_by": [...]}`` for one figure of the report."""
    by = fits.get(figure, [])
    return {"fitted": bool(by), "calibrated_by": by}
