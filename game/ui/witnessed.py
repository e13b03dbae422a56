"""A turn's chronicle as one side saw it: enemy marches only where its scouts could watch.

The engine's chronicle tells everything that happened.  A player reads the turn through
the fog of war (:mod:`game.engine.observe`): a side sees an enemy force only when it
stands within sight of its own forces or provinces, at the start or at the end of a turn,
and it never learns where an enemy column is bound.  So an enemy's march is reported

* as a departure only if the force was seen before the turn, where it stood, and then
  only as the road it was seen to take (never its destination);
* as an arrival only if the force is seen standing there after the turn, or it ran into
  this side's own troops;
* as a retreat from a field this side fought on, or to a place where it is seen after.

Everything else (battles, occupations, risings, events, the treaty) is news both sides
hear.  Own forces are reported in full.  No pygame here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np

from game.codes import NONE, ForceStatus
from game.engine.chronicle import Entry
from game.engine.observe import Observation
from game.scenario.compile import CompiledScenario

SECRET = ("march", "arrival", "retreat")
"""Kinds of entries that tell of a force's movements, which the fog of war may hide."""


def witnessed(
    scn: CompiledScenario, entries: Iterable[Entry], before: Observation, after: Observation
) -> list[Entry]:
    """Return the entries one side could know, enemy movements reworded to what it saw.

    Args:
        scn: The compiled scenario.
        entries: A turn's chronicle (one run).
        before: The side's observation at the start of the turn.
        after: The same side's observation at its end.
    """
    entries = list(entries)
    fought = {e.figures.get("province_id") for e in entries if e.kind == "battle"}
    present = _own_places(before) | _own_places(after)
    out = []
    for e in entries:
        f = scn.force_index.get(str(e.figures.get("force")))
        if e.kind not in SECRET or f is None or before.own[f]:
            out.append(e)
            continue
        seen = _as_seen(scn, e, f, before, after, fought, present)
        if seen is not None:
            out.append(seen)
    return out


def _own_places(obs: Observation) -> set[int]:
    """Return the provinces where the observing side's own forces stand."""
    mine = obs.own & (obs.status[0] == ForceStatus.ACTIVE) & (obs.loc[0] >= 0)
    return {int(p) for p in np.unique(obs.loc[0][mine])}


def _seen_at(scn: CompiledScenario, obs: Observation, f: int, pid: object) -> bool:
    p = scn.province_index.get(str(pid), NONE)
    return bool(obs.seen[0, f]) and p != NONE and int(obs.loc[0, f]) == p


def _as_seen(
    scn: CompiledScenario,
    e: Entry,
    f: int,
    before: Observation,
    after: Observation,
    fought: set[object],
    present: set[int],
) -> Entry | None:
    """Return an enemy's movement as the side saw it, or None if it saw nothing of it."""
    fig = e.figures
    name = scn.force_name(f)
    if e.kind == "march" and "origin" in fig:  # a departure
        if not _seen_at(scn, before, f, fig["origin"]):
            return None
        a = scn.province_index[fig["origin"]]
        hop = int(scn.next_hop[a, scn.province_index[fig["dest"]]])
        road = f" by the road to {scn.province_name(hop)}" if hop != NONE else ""
        text = f"{name} is seen leaving {scn.province_name(a)}{road}."
        return _reworded(e, text, origin=fig["origin"])
    if e.kind == "march":  # reaching a town, or running into the enemy
        p = scn.province_index.get(str(fig.get("province")), NONE)
        met = bool(fig.get("contact")) and (fig.get("province") in fought or p in present)
        if not (met or _seen_at(scn, after, f, fig.get("province"))):
            return None
        verb = "meets your troops at" if met else "is seen arriving at"
        return _reworded(e, f"{name} {verb} {scn.province_name(p)}.", province=fig["province"])
    if e.kind == "arrival":
        if not _seen_at(scn, after, f, fig.get("province")):
            return None
        p = scn.province_index[str(fig["province"])]
        men = int(after.men[0, f])
        text = (
            f"{name} (about {men:,} men, by your scouts' count) appears at {scn.province_name(p)}."
        )
        return _reworded(e, text, province=fig["province"], men=men)
    if _seen_at(scn, after, f, fig.get("to")):  # a retreat seen to its end
        return _reworded(e, e.text, origin=fig.get("origin"), to=fig.get("to"))
    if fig.get("origin") in fought:
        origin = scn.province_name(scn.province_index[str(fig["origin"])])
        return _reworded(e, f"{name} falls back from {origin}.", origin=fig["origin"])
    return None


def _reworded(e: Entry, text: str, **figures: object) -> Entry:
    """Return an entry with new words and only the figures the side may know."""
    return dataclasses.replace(e, text=text, figures={"force": e.figures["force"], **figures})
