"""The people and the troops: commanders, their fates, and forces with their arrivals."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from game.scenario.schema.base import (
    Evidence,
    Fitted,
    Float,
    ForceKind,
    Id,
    Model,
    Name,
    Rating,
    SourceRef,
    Strength,
    Text,
)


class Fate(Model):
    """What happened to a commander in history."""

    kind: Literal["killed", "captured", "executed", "wounded", "survived", "deposed", "died"] = (
        Field(description="What happened to him (executed: put to death by the enemy).")
    )
    date: dt.date | None = Field(None, description="When it happened.")
    place: Id | None = Field(None, description="Province where it happened.")
    note: Text = Field("", description="Remarks for authors and the encyclopedia.")
    source: SourceRef


class Commander(Model):
    """A general or officer who can lead a force."""

    id: Id
    name: Name = Field(description="Name shown to players.")
    side: Id = Field(description="Id of the side he serves.")
    rank: Name = Field(description="Rank or title as the sources give it.")
    leadership: Rating = Field(0.0, description="Battle leadership, -2 (poor) to +2 (great).")
    initiative: Rating = Field(0.0, description="Boldness in manoeuvre, -2 to +2.")
    exposure: Float = Field(
        1.0, ge=0.0, le=3.0, description="How much he risks himself (1 normal, 2-3 at the front)."
    )
    head_of_state: bool = Field(False, description="Whether he also heads his side's government.")
    present: bool = Field(True, description="Whether he takes part (what-ifs may remove him).")
    fate: Fate | None = Field(None, description="His fate in history, for comparison.")
    evidence: list[Evidence] = Field(
        default_factory=list,
        description="Evidence for each rating that is not neutral (see Evidence).",
    )
    note: Text = Field("", description="Remarks for authors and the encyclopedia.")
    source: SourceRef
    calibrated_to: Fitted


class Arrival(Model):
    """When and where a force not present at the start enters the game."""

    date: dt.date | None = Field(None, description="Date it arrives (with 'at').")
    at: Id | None = Field(None, description="Province where it appears.")
    by_event: bool = Field(False, description="It is raised only by an event's 'raise' effect.")

    @model_validator(mode="after")
    def _one(self) -> Self:
        if self.by_event == (self.date is not None):
            raise ValueError("give either 'date' (with 'at') or 'by_event: true', not both")
        if self.date is not None and self.at is None:
            raise ValueError("a dated arrival needs 'at', the province where the force appears")
        return self


class Force(Model):
    """A body of troops that moves and fights as one counter."""

    id: Id
    name: Name = Field(description="Name shown on the counter.")
    side: Id = Field(description="Id of the side it belongs to.")
    kind: ForceKind = Field(
        description="Arm: line infantry, cavalry, militia, montoneros, artillery."
    )
    men: Strength
    quality: Float = Field(
        1.0, ge=0.2, le=3.0, description="Weapons, drill and mix (1 = average line)."
    )
    training: Rating = Field(0.0, description="Training, -2 to +2.")
    morale: Rating = Field(0.0, description="Morale, -2 to +2.")
    cavalry: Float | None = Field(
        None, ge=0.0, le=1.0, description="Share of horsemen; defaults from the kind."
    )
    commander: Id | None = Field(None, description="Commander leading it, if any.")
    start: Id | None = Field(None, description="Province where it stands at the start.")
    arrival: Arrival | None = Field(None, description="How it enters later, if not at the start.")
    evidence: list[Evidence] = Field(
        default_factory=list,
        description="Evidence for each rating that is not neutral (see Evidence).",
    )
    note: Text = Field("", description="Remarks for authors and the encyclopedia.")
    source: SourceRef
    calibrated_to: Fitted
    party: Id | None = Field(
        None, description="The allied party of its side it belongs to, if not the side itself."
    )

    @model_validator(mode="after")
    def _where(self) -> Self:
        if (self.start is None) == (self.arrival is None):
            raise ValueError("give exactly one of 'start' (a province) or 'arrival'")
        return self
