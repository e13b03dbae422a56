"""What the cross-reference checks share: findings, the id tables, and reference tests.

A check never raises and never stops early: it appends a :class:`Finding` for every problem
to the :class:`Context` and goes on, so that an author sees every mistake in one run.  A
finding names the YAML path of the offending value (as written, e.g. ``map.links[3].from``);
the loader turns paths into file, line and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from game.scenario.messages import did_you_mean
from game.scenario.schema import Scenario
from game.scenario.yamldoc import Path_

LISTED = 12
"""Most ids a hint lists by name."""


def _listing(ids: list[str]) -> str:
    shown = ", ".join(ids[:LISTED])
    return shown + (f" and {len(ids) - LISTED} more" if len(ids) > LISTED else "")


@dataclass(frozen=True)
class Finding:
    """One problem found by a cross-reference check.

    Attributes:
        loc: YAML path of the offending value, with keys as written (``from``, ``raise``).
        message: What is wrong, in one sentence.
        hint: How to fix it (may be empty).
        at_key: Point at the key rather than at its value.
        first: For a duplicate, the path of the first occurrence (named in the hint).
        ref: For an unknown id, ``(kind, id)``, so that an overlay that removed the thing
            can be blamed instead of the file that still refers to it.
        what_if: A finding about a value an overlay or ``--set`` may set as a what-if's
            cause (a rating without evidence): not a problem where the value comes from
            one of them rather than from the scenario itself.
    """

    loc: Path_
    message: str
    hint: str = ""
    at_key: bool = False
    first: Path_ | None = None
    ref: tuple[str, str] | None = None
    what_if: bool = False


ID_LISTS: dict[str, tuple[str, ...]] = {
    "source": ("meta", "sources"),
    "side": ("sides",),
    "terrain": ("terrain",),
    "province": ("map", "provinces"),
    "commander": ("commanders",),
    "force": ("forces",),
    "event": ("events",),
    "record entry": ("history", "record"),
    "outcome": ("victory", "outcomes"),
    "premise": ("history", "premises"),
}
"""Every list whose items have an ``id``, by the kind of thing it holds."""


def items_at(model: Scenario, path: Sequence[str]) -> list[Any]:
    """Return the list found at ``path`` of the model (``("map", "provinces")``)."""
    node: Any = model
    for part in path:
        node = getattr(node, part)
    return list(node)


class Context:
    """The scenario being checked, its ids, and the findings so far."""

    def __init__(self, model: Scenario) -> None:
        self.model = model
        self.findings: list[Finding] = []
        self.ids: dict[str, dict[str, Path_]] = {}
        for kind, path in ID_LISTS.items():
            table: dict[str, Path_] = {}
            for i, item in enumerate(items_at(model, path)):
                table.setdefault(item.id, (*path, i, "id"))
            self.ids[kind] = table
        self.ids["party"] = {}
        for i, side in enumerate(model.sides):
            for j, party in enumerate(side.parties):
                self.ids["party"].setdefault(party.id, ("sides", i, "parties", j, "id"))
        self.ids["flag"] = {}
        for i, ev in enumerate(model.events):
            for j, eff in enumerate(ev.effects):
                if eff.set_flag is not None:
                    self.ids["flag"].setdefault(eff.set_flag, ("events", i, "effects", j))

    def item(self, kind: str, value: str) -> Any | None:
        """Return the first thing of ``kind`` with id ``value``, or ``None``."""
        loc = self.ids[kind].get(value)
        if loc is None:
            return None
        if kind == "party":
            return self.model.sides[int(loc[1])].parties[int(loc[3])]
        return items_at(self.model, ID_LISTS[kind])[int(loc[-2])]

    def add(self, loc: Path_, message: str, hint: str = "", **extra: Any) -> None:
        """Record a finding."""
        self.findings.append(Finding(loc, message, hint, **extra))

    def ref(self, kind: str, value: str | None, loc: Path_, *, at_key: bool = False) -> bool:
        """Check that ``value`` (if given) is the id of a ``kind``; return whether it is.

        ``at_key`` says the id is a mapping key (``strengths: {peru: ...}``), so a problem
        points at the key rather than at its value.
        """
        if value is None:
            return True
        table = self.ids[kind]
        if value in table:
            return True
        hint = did_you_mean(value, list(table))
        if not hint and kind == "flag":
            hint = "no event sets this flag with set_flag"
        if kind == "source":
            known = f"meta.sources has {_listing(list(table))}"
            hint = f"{hint} {known}" if hint else known
        self.add(loc, f"unknown {kind} '{value}'", hint, ref=(kind, value), at_key=at_key)
        return False

    def refs(self, kind: str, values: Iterable[str], loc: Path_) -> None:
        """Check every id of a list (``loc`` is the list's path)."""
        for i, value in enumerate(values):
            self.ref(kind, value, (*loc, i))

    def in_war(
        self, date: dt.date | None, loc: Path_, what: str, *, after_end: bool = False
    ) -> None:
        """Check that ``date`` falls inside the war (or after its start, if ``after_end``)."""
        if date is None:
            return
        meta = self.model.meta
        if date < meta.start or (date > meta.end and not after_end):
            span = (
                f"on or after {meta.start}" if after_end else f"between {meta.start} and {meta.end}"
            )
            self.add(loc, f"{what} {date} lies outside the war", f"it must be {span}")

    def turn(self, date: dt.date) -> int:
        """Return the turn containing ``date``, the way the compiler counts turns."""
        return (date - self.model.meta.start).days // self.model.meta.turn_days

    def turn_start(self, turn: int) -> dt.date:
        """Return the first day of ``turn``."""
        return self.model.meta.start + dt.timedelta(days=turn * self.model.meta.turn_days)


def party_side(ctx: Context, party: str) -> str | None:
    """Return the id of the side an allied party belongs to, or None if there is no such party."""
    loc = ctx.ids["party"].get(party)
    return None if loc is None else ctx.model.sides[int(loc[1])].id


def check_duplicate_ids(ctx: Context) -> None:
    """Every list of things with ids must not give the same id twice."""
    seen: dict[str, Path_] = {}
    for i, side in enumerate(ctx.model.sides):
        for j, party in enumerate(side.parties):
            loc: Path_ = ("sides", i, "parties", j, "id")
            if party.id in seen:
                ctx.add(
                    loc,
                    f"duplicate party id '{party.id}'",
                    "ids must be unique",
                    first=seen[party.id],
                )
            seen.setdefault(party.id, loc)
    for kind, path in ID_LISTS.items():
        first: dict[str, Path_] = {}
        for i, item in enumerate(items_at(ctx.model, path)):
            loc: Path_ = (*path, i, "id")
            if item.id in first:
                ctx.add(
                    loc,
                    f"duplicate {kind} id '{item.id}'",
                    "ids must be unique",
                    first=first[item.id],
                )
            else:
                first[item.id] = loc


def walk_models(obj: Any, loc: Path_ = ()) -> Iterable[tuple[BaseModel, Path_]]:
    """Yield every model inside ``obj`` with its YAML path (keys as written)."""
    if isinstance(obj, BaseModel):
        yield obj, loc
        for name, info in type(obj).model_fields.items():
            yield from walk_models(getattr(obj, name), (*loc, info.alias or name))
    elif isinstance(obj, list | tuple):
        for i, item in enumerate(obj):
            yield from walk_models(item, (*loc, i))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from walk_models(item, (*loc, key))


def check_sources(ctx: Context) -> None:
    """Every ``source`` must name an entry of meta.sources (before any ``#section``)."""
    for obj, loc in walk_models(ctx.model):
        ref = getattr(obj, "source", None)
        if isinstance(ref, str) and "source" in type(obj).model_fields:
            ctx.ref("source", ref.split("#", 1)[0], (*loc, "source"))
