"""The building blocks of every scenario model.

Strict numbers, identifiers, source references, uncertain strengths, evidence, and the
keys added to the format over time.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64),
    Field(description="A stable identifier: lower case letters, digits and underscores."),
]
Colour = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"),
    Field(description="A colour as #rrggbb."),
]
SourceRef = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*(#.+)?$", max_length=200),
    Field(
        description=(
            "Where this fact comes from: the id of an entry of meta.sources, optionally "
            "followed by '#' and a section or locator, e.g. 'seed#Battle of Ingavi'."
        )
    ),
]
Int = Annotated[int, Strict()]
"""A whole number as written: ``yes``, ``on``, ``"3"`` or ``3.0`` are refused, not converted."""
Float = Annotated[float, Strict()]
"""A number as written (a whole number is accepted): never a boolean or a string."""
Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(max_length=4000)]
ADDED_FIELDS: dict[str, Any] = {
    "calibrated_to": {},
    "parties": [],
    "party": None,
    "party_will": None,
    "leave_alliance": None,
    "party_left": None,
    "party_will_below": None,
    "commander_captured": None,
    "remove_commander": None,
    "prelude": False,
    "days_back": None,
    "controlled_by": None,
    "with": None,
    "evidence": [],
    "engagement": None,
    "some_of": None,
    "occupier": None,
    "premise": None,
    "premises": [],
    "outcome": None,
    "window_days": 14,
    "mutual": False,
    "terms": None,
    "envoys": None,
    "negotiate_when": None,
    "army_lost": 0.5,
    "home_held": 0.04,
    "enemy_home_taken": 0.2,
    "occupier_drain": 0.02,
    "negotiate_side": None,
    "blockade": None,
}
"""Keys added to the format after its first version, with their defaults (as dumped to JSON).

A scenario's content hash leaves them out where they keep their default, so scenarios that
do not use a new key keep the hash their saves and studies recorded.  Every key added to the
format goes here, under a name no older key has.
"""
FITTED_TARGETS = ("outcome", "end_date", "killed")
"""Whole-war figures a value can be fitted to, besides the record's entries."""
FITTED_FIGURES = ("happens", "winner", "strengths", "losses")
"""The figures of one record entry a value can be fitted to alone (``r_ingavi.happens``)."""
FittedTarget = Annotated[
    str,
    StringConstraints(
        pattern=r"^[a-z][a-z0-9_]*(\.(happens|winner|strengths|losses))?$", max_length=80
    ),
]
Fitted = Annotated[
    dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]*$", max_length=200)],
        list[FittedTarget],
    ],
    Field(
        default_factory=dict,
        description="Values of this item that were set to match the record, so that the "
        "fidelity report shows those figures as fitted rather than as evidence: a key of "
        "this item (dotted for a nested one, e.g. ai.aggression) -> the ids of the record "
        "entries it was fitted to (all their figures; or one figure of an entry: "
        "'<id>.happens', '.winner', '.strengths' or '.losses'), or outcome, end_date or "
        "killed.",
    ),
]
Rating = Annotated[Float, Field(ge=-2.0, le=2.0)]

ForceKind = Literal["line_infantry", "cavalry", "militia", "montoneros", "artillery"]
OrderKind = Literal["hold", "march", "forced_march", "attack", "garrison", "retreat", "join"]
Road = Literal["road", "track", "path"]
Crossing = Literal["none", "border", "river", "pass", "desert", "sea"]
Posture = Literal["meeting", "hasty", "prepared", "fortified"]


class Model(BaseModel):
    """Base of every scenario model: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- values


Men = Annotated[Int, Field(ge=0, le=10_000_000)]
"""A count of men: never negative, and small enough for the engine's 32-bit arrays."""


class Uncertain(Model):
    """A number the sources do not agree on: the value played, and the range studies sample."""

    value: Men = Field(description="The value used in a normal game.")
    range: tuple[Men, Men] = Field(
        description="Lowest and highest value the sources support; studies with "
        "--sample-uncertain draw uniformly between them."
    )
    source: SourceRef | None = Field(None, description="Where the range comes from.")
    note: Text = Field("", description="Why the value and range were chosen.")

    @model_validator(mode="after")
    def _inside(self) -> Self:
        lo, hi = self.range
        if lo < 0 or lo > hi:
            raise ValueError(f"range [{lo}, {hi}] must be two numbers, low then high, both >= 0")
        if not lo <= self.value <= hi:
            raise ValueError(f"value {self.value} lies outside its range [{lo}, {hi}]")
        return self


Strength = Annotated[
    Men | Uncertain,
    Field(description="A number of men: a plain number, or {value, range} when sources disagree."),
]


def strength_value(s: int | Uncertain) -> int:
    """Return the played value of a strength."""
    return s if isinstance(s, int) else s.value


def strength_range(s: int | Uncertain) -> tuple[int, int]:
    """Return the sampled range of a strength (a point for a plain number)."""
    return (s, s) if isinstance(s, int) else s.range


RatingName = Literal["leadership", "initiative", "exposure", "quality", "training", "morale"]


class Evidence(Model):
    """Why a commander's or a force's rating is not neutral: evidence from before it counts.

    A rating must rest on what could be known before the event it affects: before the war,
    or before the first recorded battle of the commander (or of the force's commander).
    A rating that no such evidence supports stays neutral (0; 1 for exposure and quality).
    """

    ratings: list[RatingName] = Field(
        min_length=1, description="The ratings this evidence supports."
    )
    date: dt.date | None = Field(
        None,
        description="Date of the latest fact the evidence rests on; it must come before the "
        "commander's first recorded battle (or, with no battle recorded, the war's end).",
    )
    what_if: bool = Field(
        False,
        description="The rating is a what-if's change of cause (an overlay's), not a reading "
        "of the evidence; no date is needed.",
    )
    note: Text = Field(min_length=1, description="The evidence, in a sentence or two.")
    source: SourceRef

    @model_validator(mode="after")
    def _dated(self) -> Self:
        if self.date is None and not self.what_if:
            raise ValueError("evidence needs 'date' (when it could be known) or 'what_if: true'")
        return self
