"""A player's what-if: the levers of the setup screen, and the overlay changes they make.

No pygame here.  A what-if starts from a *base* — the scenario itself or one of its
counterfactual overlays — and changes its main levers: the strength of each force (within
or beyond the range the sources give, which is shown beside it), which commanders are
present and their ratings, the scenario's what-if event switches (events with
``switch: true``), and how the game begins: the side played, whether the other side keeps
to the historical record or is free, and the start date.

Strengths, commanders and switches are scenario content and become an overlay (see
:mod:`game.ui.whatif_file`).  The start date is not: moving ``meta.start`` would leave
every army where it stood on the first day and every earlier order and event out of the
war.  A later start therefore means *taking command from history* on that date (the
branch of :mod:`game.ui.branch`): both sides follow the record, in the what-if's world,
until the turn containing the date, and the player takes over there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.scenario.compile import CompiledScenario
from game.scenario.schema import Uncertain

RATING_STEP = 0.5
EXPOSURE_STEP = 0.1
RATING_RANGE = (-2.0, 2.0)
EXPOSURE_RANGE = (0.0, 3.0)
MEN_RANGE = (0, 10_000_000)


@dataclass(frozen=True)
class ForceLever:
    """A force's strength as the base has it, and the range the sources give.

    Attributes:
        id: The force's id.
        name: Its name.
        side: Its side's id.
        men: The strength played in the base.
        low: The lowest strength the historical scenario's sources support (or ``men``).
        high: The highest (or ``men``).
        base_range: The range the base itself gives (a counterfactual may move it), or
            None where the base gives a plain number.
    """

    id: str
    name: str
    side: str
    men: int
    low: int
    high: int
    base_range: tuple[int, int] | None = None

    def within(self, men: int) -> bool:
        """Whether a strength lies inside the historical sources' range."""
        return self.low <= men <= self.high

    def keeps_range(self, men: int) -> bool:
        """Whether a strength can be written as a value inside the base's own range."""
        return self.base_range is not None and self.base_range[0] <= men <= self.base_range[1]


@dataclass(frozen=True)
class CommanderLever:
    """A commander's presence and ratings as the base has them."""

    id: str
    name: str
    side: str
    present: bool
    leadership: float
    initiative: float
    exposure: float


@dataclass(frozen=True)
class SwitchLever:
    """A what-if event the scenario offers as a switch, and whether the base enables it."""

    id: str
    name: str
    text: str
    enabled: bool


@dataclass(frozen=True)
class Levers:
    """Everything the setup screen can change, read from a compiled base."""

    sides: tuple[tuple[str, str], ...]
    forces: tuple[ForceLever, ...]
    commanders: tuple[CommanderLever, ...]
    switches: tuple[SwitchLever, ...]
    start: dt.date
    end: dt.date
    turn_days: int
    colours: tuple[str, ...] = ()
    """Each side's colour (#rrggbb), in the order of ``sides``."""
    record: tuple[tuple[dt.date, str], ...] = ()
    """The historical record's entries (date, title), in date order."""

    @classmethod
    def of(cls, base: CompiledScenario, history: CompiledScenario | None = None) -> Levers:
        """Read the levers of a base; ranges come from ``history`` (the plain scenario)."""
        m = base.model
        hist = {f.id: f.men for f in (history or base).model.forces}
        forces = []
        for f in m.forces:
            men = f.men.value if isinstance(f.men, Uncertain) else int(f.men)
            h = hist.get(f.id, f.men)
            low, high = h.range if isinstance(h, Uncertain) else (int(h), int(h))
            own = tuple(f.men.range) if isinstance(f.men, Uncertain) else None
            forces.append(ForceLever(f.id, f.name, f.side, men, low, high, own))
        commanders = tuple(
            CommanderLever(
                c.id,
                c.name,
                c.side,
                c.present,
                float(c.leadership),
                float(c.initiative),
                float(c.exposure),
            )
            for c in m.commanders
        )
        switches = tuple(
            SwitchLever(e.id, e.name, " ".join(e.text.split()), e.enabled)
            for e in m.events
            if e.switch
        )
        return cls(
            tuple((s.id, s.name) for s in m.sides),
            tuple(forces),
            commanders,
            switches,
            m.meta.start,
            m.meta.end,
            m.meta.turn_days,
            tuple(s.colour for s in m.sides),
            tuple((e.date, e.title) for e in sorted(m.history.record, key=lambda e: e.date)),
        )

    def force(self, fid: str) -> ForceLever:
        """Return a force's lever by id."""
        return next(f for f in self.forces if f.id == fid)

    def commander(self, cid: str) -> CommanderLever:
        """Return a commander's lever by id."""
        return next(c for c in self.commanders if c.id == cid)


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


@dataclass
class WhatIf:
    """The player's choices on the setup screen.

    Attributes:
        scenario: The scenario file at the root (what the overlay is ultimately built on).
        base: The file the overlay extends: the scenario, or a counterfactual overlay.
        levers: The base's values, for defaults and ranges.
        title: The what-if's name, shown in menus and saves.
        men: Strengths changed, by force id.
        commanders: Changed presence and ratings, by commander id then key.
        switches: Event switches changed, by event id.
        side: The side the player takes (a side id, or ``both``).
        other: What commands the other side: ``historical`` or an AI level.
        start: The date the player takes command (the base's start: from the beginning).
    """

    scenario: Path
    base: Path
    levers: Levers
    title: str = "My what-if"
    men: dict[str, int] = field(default_factory=dict)
    commanders: dict[str, dict[str, Any]] = field(default_factory=dict)
    switches: dict[str, bool] = field(default_factory=dict)
    side: str = ""
    other: str = "normal"
    start: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.side:
            self.side = self.levers.sides[0][0]
        if self.start is None:
            self.start = self.levers.start

    # ------------------------------------------------------------------ values
    def men_of(self, fid: str) -> int:
        """Return a force's strength in this what-if."""
        return self.men.get(fid, self.levers.force(fid).men)

    def commander_value(self, cid: str, key: str) -> Any:
        """Return a commander's ``present``, ``leadership``, ``initiative`` or ``exposure``."""
        return self.commanders.get(cid, {}).get(key, getattr(self.levers.commander(cid), key))

    def switch_of(self, eid: str) -> bool:
        """Return whether a switch event is enabled in this what-if."""
        base = next(s for s in self.levers.switches if s.id == eid)
        return self.switches.get(eid, base.enabled)

    # ------------------------------------------------------------------ changing
    def set_men(self, fid: str, men: int) -> None:
        """Set a force's strength (kept between 0 and ten million)."""
        self.men[fid] = int(_clamp(int(men), *MEN_RANGE))

    def step_men(self, fid: str, steps: int) -> None:
        """Change a force's strength by steps of 50 men (or 500 for ten steps)."""
        self.set_men(fid, self.men_of(fid) + 50 * steps)

    def set_commander(self, cid: str, key: str, value: Any) -> None:
        """Set a commander's presence or a rating (clamped to the format's bounds)."""
        if key == "present":
            value = bool(value)
        elif key == "exposure":
            value = round(_clamp(float(value), *EXPOSURE_RANGE), 2)
        else:
            value = round(_clamp(float(value), *RATING_RANGE), 2)
        self.commanders.setdefault(cid, {})[key] = value

    def step_commander(self, cid: str, key: str, steps: int) -> None:
        """Raise or lower a rating by steps (0.5 for ratings, 0.1 for exposure)."""
        step = EXPOSURE_STEP if key == "exposure" else RATING_STEP
        self.set_commander(cid, key, float(self.commander_value(cid, key)) + step * steps)

    def toggle(self, eid: str) -> None:
        """Switch a what-if event on or off."""
        self.switches[eid] = not self.switch_of(eid)

    def step_start(self, turns: int) -> None:
        """Move the start date by whole turns, within the war."""
        lv = self.levers
        assert self.start is not None
        last = (lv.end - lv.start).days // lv.turn_days
        t = (self.start - lv.start).days // lv.turn_days + turns
        t = int(_clamp(t, 0, last))
        self.start = lv.start + dt.timedelta(days=t * lv.turn_days)

    def reset(self) -> None:
        """Forget every change of the levers (the base's values come back)."""
        self.men.clear()
        self.commanders.clear()
        self.switches.clear()

    @property
    def later_start(self) -> bool:
        """Whether the player takes command after the first day (a branch from history)."""
        return self.start is not None and self.start > self.levers.start

    # ------------------------------------------------------------------ the overlay
    def changes(self) -> dict[str, list[dict[str, Any]]]:
        """Return the overlay's sections: only what differs from the base.

        A strength inside the base's range keeps the range (``men: {value: N}``); one
        beyond it is written as a plain number, since the sources do not support it.
        """
        lv = self.levers
        forces = []
        for f in lv.forces:
            men = self.men_of(f.id)
            if men != f.men:
                forces.append({"id": f.id, "men": {"value": men} if f.keeps_range(men) else men})
        commanders = []
        for c in lv.commanders:
            diff = {
                k: self.commander_value(c.id, k)
                for k in ("present", "leadership", "initiative", "exposure")
                if self.commander_value(c.id, k) != getattr(c, k)
            }
            if diff:
                commanders.append({"id": c.id, **diff})
        events = [
            {"id": s.id, "enabled": self.switch_of(s.id)}
            for s in lv.switches
            if self.switch_of(s.id) != s.enabled
        ]
        out: dict[str, list[dict[str, Any]]] = {}
        for key, items in (("forces", forces), ("commanders", commanders), ("events", events)):
            if items:
                out[key] = items
        return out

    def summary(self) -> list[str]:
        """Return each change in words, for the description and the screen."""
        lv = self.levers
        out = []
        for item in self.changes().get("forces", []):
            f = lv.force(item["id"])
            men = self.men_of(f.id)
            where = "" if f.within(men) else ", beyond the sources"
            out.append(f"{f.name}: {men:,} men (history {f.low:,}–{f.high:,}{where})")
        for item in self.changes().get("commanders", []):
            c = lv.commander(item["id"])
            if item.get("present") is False:
                out.append(f"{c.name} takes no part")
                continue
            words = [f"{k} {v:+.1f}" for k, v in item.items() if k in ("leadership", "initiative")]
            words += [f"exposure {item['exposure']:.1f}"] if "exposure" in item else []
            words += ["present"] if item.get("present") is True else []
            out.append(f"{c.name}: {', '.join(words)}")
        for item in self.changes().get("events", []):
            s = next(x for x in lv.switches if x.id == item["id"])
            out.append(f"{s.name}: {'on' if item['enabled'] else 'off'}")
        return out

    def header(self) -> dict[str, Any]:
        """Return the overlay's header: id, title and a description listing the changes."""
        slug = "".join(c if c.isascii() and c.isalnum() else "_" for c in self.title.lower())
        slug = "_".join(p for p in slug.split("_") if p)[:40] or "my_what_if"
        if not slug[0].isalpha():
            slug = f"w_{slug}"
        changes = self.summary()
        text = (
            "A what-if made on the setup screen. "
            + ("Changes: " + "; ".join(changes) + "." if changes else "No lever changed.")
            + f" Built on {self.base.name}."
        )
        title = self.title.strip() or "My what-if"
        return {"id": f"{slug}@1.0", "title": title, "description": text}
