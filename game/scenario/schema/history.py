"""The historical record, for replays and the fidelity report.

What happened (engagements, occupations, totals) and the recorded orders with their
premises.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from game.scenario.schema.base import (
    Fitted,
    Id,
    Int,
    Model,
    Name,
    OrderKind,
    SourceRef,
    Strength,
    Text,
)
from game.scenario.schema.events import Condition


class RecordEntry(Model):
    """One dated entry of the real campaign, for the replay and the fidelity report."""

    id: Id
    date: dt.date = Field(description="Date it happened (or began).")
    end_date: dt.date | None = Field(
        None, description="Date it ended, if it lasted more than a day."
    )
    kind: Literal[
        "march",
        "occupation",
        "battle",
        "rising",
        "talks",
        "treaty",
        "withdrawal",
        "event",
        "death",
    ] = Field(description="What sort of entry it is ('talks': peace talks opened).")
    title: Name = Field(description="Title shown in the replay.")
    place: Id | None = Field(None, description="Province where it happened.")
    site: Name | None = Field(None, description="Name of the exact site, if not the province.")
    text: Text = Field("", description="What happened, in a few sentences.")
    attacker: Id | None = Field(None, description="For battles: the attacking side.")
    winner: Id | None = Field(None, description="For battles: the side that won.")
    commanders: dict[Id, list[Id]] = Field(
        default_factory=dict, description="Commanders present, by side."
    )
    strengths: dict[Id, Strength] = Field(default_factory=dict, description="Men, by side.")
    killed: dict[Id, Strength] = Field(default_factory=dict, description="Killed, by side.")
    casualties: dict[Id, Strength] = Field(
        default_factory=dict, description="Killed, wounded and captured, by side."
    )
    occupier: Id | None = Field(
        None,
        description="For occupations and withdrawals: the side that occupied the place (and "
        "later left it). Without it the fidelity report cannot measure the entry.",
    )
    premise: Id | None = Field(
        None,
        description="Id of a history.premises entry: the entry is expected only in wars where "
        "that premise holds (judged when the turn before it ends); the fidelity report's "
        "'happens' figure counts those wars only.",
    )
    source: SourceRef
    prelude: bool = Field(
        False,
        description="Part of the war's prelude, dated before meta.start: shown before the "
        "first turn of a replay, never measured by the fidelity report.",
    )

    @model_validator(mode="after")
    def _battle(self) -> Self:
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError(f"end_date {self.end_date} comes before date {self.date}")
        if self.kind == "battle" and self.place is None:
            raise ValueError("a battle needs 'place', the province where it was fought")
        if self.occupier is not None and self.kind not in ("occupation", "withdrawal"):
            raise ValueError("only occupations and withdrawals have an 'occupier'")
        return self


class HistoricalOrder(Model):
    """An order a force really carried out, given in the turn containing its date."""

    date: dt.date = Field(
        description="Date it was carried out; it is given in the turn containing it."
    )
    force: Id = Field(description="Id of the force.")
    order: OrderKind = Field(description="What the force did.")
    to: Id | None = Field(None, description="Target province for march, attack and retreat.")
    premise: Id | None = Field(
        None,
        description="Id of a history.premises entry the order rests on. It is tested in the "
        "order's turn and in every turn until the force's next recorded order; while it "
        "fails, the order has lapsed and the fallback policy commands the force.",
    )
    note: Text = Field("", description="Remarks for authors.")
    source: SourceRef
    calibrated_to: Fitted
    with_: Id | None = Field(
        None,
        alias="with",
        description="For join: the force of the same side it marches to and merges into.",
    )


class Premise(Model):
    """What a recorded order, or a block of them, rests on: when it fails they lapse.

    History's orders answered what had happened: an army marches home because it lost, a
    column invades because the battle was won. A premise says so in the condition language
    of events. Orders refer to it with ``premise:``; or the premise names ``forces`` and a
    span of dates (``from`` .. ``until``) and then governs every turn of those forces in the
    span, whether or not an order falls in it (a block). While a premise fails, the forces
    it governs are commanded by the fallback policy (the heuristic AI, or standing fast),
    and the replay says so: "the record's order lapsed: <lapsed>".
    """

    id: Id
    name: Name = Field(description="What the premise is, e.g. 'Ingavi lost'.")
    when: Condition = Field(
        description="Holds where the premise holds; judged on the war as it stands at the start "
        "of each turn (what the commanders concerned knew)."
    )
    lapsed: Name = Field(
        description="What the replay says when it fails, after 'the record's order lapsed: ', "
        "e.g. 'Ingavi was not lost'."
    )
    forces: list[Id] = Field(
        default_factory=list, description="For a block: the forces whose turns it governs."
    )
    from_: dt.date | None = Field(None, alias="from", description="For a block: first day.")
    until: dt.date | None = Field(None, description="For a block: last day.")
    note: Text = Field("", description="Why history's orders rest on it.")
    source: SourceRef

    @model_validator(mode="after")
    def _block(self) -> Self:
        given = (bool(self.forces), self.from_ is not None, self.until is not None)
        if any(given) and not all(given):
            raise ValueError("a block needs all of 'forces', 'from' and 'until'")
        if self.from_ is not None and self.until is not None and self.until < self.from_:
            raise ValueError(f"until {self.until} comes before from {self.from_}")
        return self


class Totals(Model):
    """Whole-war figures from the sources, to compare with studies."""

    strength: dict[Id, Strength] = Field(default_factory=dict, description="Men, by side.")
    killed: Strength | None = Field(None, description="Killed in all.")
    source: SourceRef


class History(Model):
    """The real campaign: what happened, and the orders that made it happen."""

    record: list[RecordEntry] = Field(
        default_factory=list, description="Dated entries of the real campaign."
    )
    orders: list[HistoricalOrder] = Field(
        default_factory=list,
        description="Orders the forces really carried out (one per force a turn at most).",
    )
    totals: Totals | None = Field(None, description="Whole-war figures from the sources.")
    premises: list[Premise] = Field(
        default_factory=list,
        description="What recorded orders rest on: where a premise fails, they lapse.",
    )
    outcome: Id | None = Field(
        None,
        description="Id of the victory.outcomes entry history had (the fidelity report "
        "compares the played wars with it).",
    )
    window_days: Int = Field(
        14,
        ge=0,
        le=365,
        description="How far from its recorded date a played battle or occupation still counts "
        "as the recorded one (two weeks: a column a few days late still fights it).",
    )
