"""What the war is and where it is fought.

The scenario's metadata, its sides with their parties and war aims, the terrain, the
provinces and the links between them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from game.scenario.schema.base import (
    Colour,
    Crossing,
    Fitted,
    Float,
    Id,
    Int,
    Model,
    Name,
    Road,
    SourceRef,
    Text,
)

# --------------------------------------------------------------------------- meta


class Source(Model):
    """A document that facts in the scenario are traced to."""

    id: Id
    title: Name = Field(description="Title of the document.")
    kind: Literal["seed", "research", "data", "judgement"] = Field(
        "research",
        description="seed: the scenario's primary text; research: notes from other sources; "
        "data: a dataset; judgement: the author's own estimate, stated as such.",
    )
    url: str | None = Field(None, description="Where the document can be read.")
    licence: str | None = Field(None, description="Licence of the document, if any.")
    path: str | None = Field(None, description="Path of a copy shipped with the project.")


class Meta(Model):
    """What the scenario is: identity, dates, turn length and sources."""

    id: Annotated[
        str,
        StringConstraints(pattern=r"^[a-z][a-z0-9_]*@\d+(\.\d+)*$"),
        Field(description="Versioned id, e.g. 'peru_bolivia_1841@1.0'; saves refer to it."),
    ]
    title: Name = Field(description="Title shown in menus.")
    description: Text = Field(description="A paragraph shown before the game starts.")
    start: dt.date = Field(description="Date of the first turn.")
    end: dt.date = Field(
        description="Last date of the war; if no treaty has ended it by then, it is cut off."
    )
    turn_days: Int = Field(7, ge=1, le=31, description="Days in one turn.")
    default_seed: Int = Field(
        0, ge=0, le=2**63 - 1, description="Seed used by replays when none is given."
    )
    sources: list[Source] = Field(min_length=1, description="Documents the facts come from.")

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must come after start {self.start}")
        if (self.end - self.start).days > 366 * 20:
            raise ValueError("a scenario may cover at most twenty years")
        return self


# --------------------------------------------------------------------------- sides


class AIWeights(Model):
    """The personality of a side's heuristic AI; difficulty levels act on top of it."""

    aggression: Float = Field(
        1.0, ge=0.0, le=3.0, description="Appetite for attacking (1 = balanced)."
    )
    caution: Float = Field(
        1.0, ge=0.0, le=3.0, description="Weight on threats to own provinces and forces."
    )
    min_odds: Float = Field(
        0.55, ge=0.0, le=1.0, description="Least chance of winning for an attack to be chosen."
    )
    objective: Float = Field(
        1.0, ge=0.0, le=5.0, description="Weight on provinces that count for victory."
    )
    garrison: Float = Field(
        1.0, ge=0.0, le=3.0, description="Weight on garrisoning conquered provinces."
    )
    concentration: Float = Field(
        1.0, ge=0.0, le=3.0, description="Weight on joining forces before attacking."
    )
    commander_safety: Float = Field(
        1.0, ge=0.0, le=3.0, description="Weight on keeping commanders out of lost battles."
    )
    harass: Float = Field(
        1.0, ge=0.0, le=3.0, description="Weight on using irregulars against weak garrisons."
    )
    peace_will: Float = Field(
        0.2, ge=0.0, le=1.0, description="Sue for peace when own war will falls below this."
    )


class WarAims(Model):
    """What a side fights for, in words and in provinces."""

    summary: Text = Field(description="The war aim in a sentence.")
    objectives: list[Id] = Field(
        default_factory=list, description="Provinces the side wants to take or keep."
    )


class Party(Model):
    """A member of a side's alliance with its own army, aims and will, free to leave it.

    Its forces (those with ``party:`` set to it) fight under the side's command, beside the
    side's own; its will moves with its own battles and losses; when the will falls below
    ``leave_will`` (or an event's ``leave_alliance`` says so) it leaves the war and takes
    its forces with it.
    """

    id: Id
    name: Name = Field(description="Name shown to players, e.g. 'The exiles'.")
    adjective: Name | None = Field(
        None, description="Adjective for its forces; defaults to the name."
    )
    war_aims: WarAims = Field(
        description="What it fights for (its objectives may differ from the side's)."
    )
    war_will: Float = Field(ge=0.0, le=1.0, description="Initial will to fight, 0 to 1.")
    leave_will: Float = Field(
        0.2, ge=0.0, le=1.0, description="It leaves the alliance when its will falls below this."
    )
    home_provinces: list[Id] = Field(
        default_factory=list,
        description="Provinces it calls home (their occupation by the enemy drains its will).",
    )
    source: SourceRef
    calibrated_to: Fitted


class Side(Model):
    """A belligerent."""

    id: Id
    name: Name = Field(description="Name shown to players.")
    adjective: Name | None = Field(None, description="'Peruvian' for Peru; defaults to the name.")
    colour: Colour = Field(description="Main colour of the side's counters and provinces.")
    accent: Colour = Field("#000000", description="Colour of text on the side's counters.")
    capital: Id = Field(description="The province that is the side's seat of government.")
    home_provinces: list[Id] = Field(
        min_length=1, description="Provinces whose people are loyal to this side."
    )
    war_aims: WarAims = Field(description="What the side fights for.")
    war_will: Float = Field(
        ge=0.0, le=1.0, description="Initial will to fight, 0 (none) to 1 (total)."
    )
    ai: AIWeights = Field(default_factory=AIWeights, description="Heuristic AI personality.")
    source: SourceRef
    calibrated_to: Fitted
    parties: list[Party] = Field(
        default_factory=list,
        description="Allied parties fighting beside the side with their own forces, aims and "
        "will, which may leave the alliance.",
    )


# --------------------------------------------------------------------------- map


class Terrain(Model):
    """A kind of country, with what it does to battles and to armies living in it."""

    id: Id
    name: Name = Field(description="Name shown to players.")
    colour: Colour = Field(description="Shading on the map.")
    defence: Float = Field(
        1.0, ge=0.5, le=2.5, description="Multiplier on the defender's effectiveness."
    )
    attrition: Float = Field(
        0.0,
        ge=0.0,
        le=0.5,
        description="Share of men lost per week to cold, altitude, heat or thirst.",
    )
    forage: Float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="How far an army can live off the land when out of supply (1 = fully).",
    )
    source: SourceRef | None = Field(None, description="Where this terrain's numbers come from.")
    calibrated_to: Fitted


class Place(Model):
    """A named site inside a province: a town, battlefield or pass."""

    name: Name = Field(description="Name of the site.")
    lat: Float = Field(ge=-90, le=90, description="Latitude in decimal degrees (south < 0).")
    lon: Float = Field(ge=-180, le=180, description="Longitude in decimal degrees (west < 0).")
    note: Text = Field("", description="Remarks for authors and the encyclopedia.")
    source: SourceRef


class Province(Model):
    """A node of the map: a town and its district."""

    id: Id
    name: Name = Field(description="Name shown on the map.")
    lat: Float = Field(ge=-90, le=90, description="Latitude in decimal degrees (south < 0).")
    lon: Float = Field(ge=-180, le=180, description="Longitude in decimal degrees (west < 0).")
    altitude: Float = Field(ge=-500, le=7000, description="Altitude in metres.")
    terrain: Id = Field(description="Id of an entry of the terrain list.")
    value: Float = Field(0.0, ge=0, le=100, description="Victory value of holding it.")
    owner: Id = Field(description="Side holding it at the start.")
    claimed_by: list[Id] = Field(
        default_factory=list, description="Sides that claim it besides its owner."
    )
    off_map: bool = Field(
        False,
        description="A base beyond the theatre (drawn at the edge) that feeds reinforcements.",
    )
    fort: Int = Field(
        0, ge=0, le=2, description="Fortification: 0 none, 1 walls or works, 2 a fortress."
    )
    supply_source: bool = Field(
        False, description="Its holder draws supply here (capital, depot, port)."
    )
    resistance: Float = Field(
        0.0, ge=0.0, le=1.0, description="How readily its people rise against an occupier."
    )
    partisans: Int = Field(0, ge=0, le=100_000, description="Men a rising here can raise at most.")
    garrison_needed: Int = Field(
        0, ge=0, le=100_000, description="Garrison that keeps it quiet under occupation."
    )
    places: list[Place] = Field(default_factory=list, description="Named sites inside it.")
    note: Text = Field("", description="Remarks for authors and the encyclopedia.")
    source: SourceRef
    calibrated_to: Fitted


class Link(Model):
    """A route between two provinces, usable both ways (or by one side only)."""

    a: Id = Field(alias="from", description="One end.")
    b: Id = Field(alias="to", description="The other end.")
    days: Float = Field(
        gt=0, le=120, description="Days of normal marching (or sailing), from 'from' to 'to'."
    )
    road: Road = Field("track", description="Quality of the way: road, track or path.")
    crossing: Crossing = Field(
        "none", description="What the route crosses: border, river, pass, desert or sea."
    )
    note: Text = Field("", description="Remarks for authors and the encyclopedia.")
    source: SourceRef
    calibrated_to: Fitted
    days_back: Float | None = Field(
        None,
        gt=0,
        le=120,
        description="Days from 'to' back to 'from' where they differ from 'days' (winds and "
        "currents on a sea lane, a climb one way); default the same as 'days'.",
    )
    controlled_by: Id | None = Field(
        None,
        description="The only side whose forces may use it (a sea lane its navy commands); "
        "default every side.",
    )


class MapSection(Model):
    """The theatre: provinces and the routes between them."""

    provinces: list[Province] = Field(min_length=2, description="The nodes of the map.")
    links: list[Link] = Field(
        min_length=1, description="Routes between provinces, each usable both ways."
    )
