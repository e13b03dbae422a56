"""Models of the parts of an overlay file that are not scenario sections.

An overlay is a small YAML file that changes a scenario: ``extends`` names the scenario
(or another overlay), ``overlay`` says what the what-if is and why, ``remove`` deletes items
by id, and every other top-level key is a scenario section holding only the changes.  The
changes are validated when merged into the scenario; the header and ``remove`` are
validated here, so their mistakes point into the overlay file itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from game.scenario.schema import Id, Model, Name, Source, Text

VersionedId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*@\d+(\.\d+)*$"),
    Field(description="Versioned id, e.g. 'no_ingavi@1.0'; it replaces meta.id when played."),
]


class OverlayHeader(Model):
    """What the what-if is: it replaces the scenario's identity so that saves record it."""

    id: VersionedId
    title: Name = Field(description="Title of the what-if; replaces meta.title.")
    description: Text = Field(
        description="A paragraph of historical motivation; replaces meta.description."
    )
    sources: list[Source] = Field(
        default_factory=list,
        description="Documents behind the what-if; appended to meta.sources (an entry with "
        "the id of an existing source replaces it).",
    )


class LinkRef(Model):
    """A link named by its two ends (either order), since links have no id."""

    a: Id = Field(alias="from", description="One end.")
    b: Id = Field(alias="to", description="The other end.")


class OrderRef(Model):
    """A historical order named by its force and date, since orders have no id."""

    force: Id
    date: dt.date


class Remove(Model):
    """Items to delete from the scenario, by id, before the overlay's changes are merged.

    Removing a force also removes its historical orders; removing a province also removes
    the links that touch it.  Anything else that still refers to a removed item is an error
    reported at the removal, so a what-if never silently drops more than it says.
    """

    sources: list[Id] = Field(default_factory=list, description="Ids of meta.sources entries.")
    sides: list[Id] = Field(default_factory=list, description="Ids of sides.")
    terrain: list[Id] = Field(default_factory=list, description="Ids of terrain types.")
    provinces: list[Id] = Field(default_factory=list, description="Ids of map.provinces.")
    links: list[LinkRef] = Field(default_factory=list, description="Links, by their ends.")
    commanders: list[Id] = Field(default_factory=list, description="Ids of commanders.")
    forces: list[Id] = Field(default_factory=list, description="Ids of forces.")
    events: list[Id] = Field(default_factory=list, description="Ids of events.")
    record: list[Id] = Field(default_factory=list, description="Ids of history.record entries.")
    orders: list[OrderRef] = Field(
        default_factory=list, description="Historical orders, by force and date."
    )
    outcomes: list[Id] = Field(default_factory=list, description="Ids of victory.outcomes.")
    premises: list[Id] = Field(default_factory=list, description="Ids of history.premises.")


class OverlayFile(Model):
    """The keys of an overlay file besides the scenario sections it changes."""

    extends: str = Field(
        min_length=1,
        description="The scenario or overlay this one changes: its id (the file name without "
        ".yaml of a bundled scenario or of one in your scenarios folder, e.g. "
        "peru_bolivia_1841), or its path relative to this file.",
    )
    overlay: OverlayHeader = Field(description="What the what-if is, and why.")
    remove: Remove = Field(default_factory=Remove, description="Items to delete, by id.")


REMOVABLE: dict[str, tuple[tuple[str, ...], str]] = {
    "sources": (("meta", "sources"), "source"),
    "sides": (("sides",), "side"),
    "terrain": (("terrain",), "terrain"),
    "provinces": (("map", "provinces"), "province"),
    "links": (("map", "links"), "link"),
    "commanders": (("commanders",), "commander"),
    "forces": (("forces",), "force"),
    "events": (("events",), "event"),
    "record": (("history", "record"), "record entry"),
    "orders": (("history", "orders"), "order"),
    "outcomes": (("victory", "outcomes"), "outcome"),
    "premises": (("history", "premises"), "premise"),
}
"""For each key of ``remove``: the list it deletes from, and the kind of thing listed."""
