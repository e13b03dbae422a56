"""Pydantic models of a scenario file: the first of the loader's three passes.

These models check structure, types, ranges and dates only; references between parts
(a force's province, a link's ends) are checked in :mod:`game.scenario.checks`, and the
result is compiled to arrays in :mod:`game.scenario.compile`.  Every model forbids
unknown keys, and every field carries a description, because the same models produce
the JSON Schema that editors use to autocomplete scenario files and the reference in
``docs/scenario-format.md``.

Nothing here knows about 1841: terrain types, sides, provinces and the rules' numbers are
all data.  The defaults are generic military judgement (documented in ``docs/rules.md``),
not facts about any war.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    field_validator,
    model_validator,
)

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


# --------------------------------------------------------------------------- people and forces


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


# --------------------------------------------------------------------------- conditions and effects


class ControlsCond(Model):
    """A side holds a province."""

    side: Id = Field(description="Id of the side.")
    province: Id = Field(description="Id of the province it must hold.")


class OccupiedCond(Model):
    """A province has been held by a side (not its home side) for some turns."""

    province: Id = Field(description="Id of the occupied province.")
    by: Id = Field(description="Id of the occupying side.")
    turns: Int = Field(0, ge=0, le=1000, description="Full turns held, at least.")


class ForceAtCond(Model):
    """A force is in a province."""

    force: Id = Field(description="Id of the force.")
    province: Id = Field(description="Id of the province it must be in.")


class ForcesInCond(Model):
    """A side has at least some men in a set of provinces."""

    side: Id = Field(description="Id of the side whose men are counted.")
    provinces: list[Id] = Field(default_factory=list, description="Provinces counted.")
    home_of: Id | None = Field(None, description="Count the home provinces of this side too.")
    at_least: Int = Field(1, ge=0, description="Men needed.")


class WillCond(Model):
    """A side's war will is below a value."""

    side: Id = Field(description="Id of the side.")
    value: Float = Field(
        ge=0.0, le=1.0, description="Holds when the side's war will is below this."
    )


class PartyWillCond(Model):
    """An allied party's war will is below a value."""

    party: Id = Field(description="Id of the party.")
    value: Float = Field(ge=0.0, le=1.0, description="Holds when its will is below this.")


class BattleCond(Model):
    """A battle was fought this turn (optionally where, and who won)."""

    province: Id | None = Field(None, description="Only a battle in this province counts.")
    winner: Id | None = Field(None, description="Only a battle won by this side counts.")
    loser: Id | None = Field(None, description="Only a battle lost by this side counts.")


class HoldsCond(Model):
    """A side holds at least some of a list of provinces."""

    side: Id = Field(description="Id of the side.")
    provinces: list[Id] = Field(min_length=1, description="Ids of the provinces counted.")
    at_least: Int = Field(1, ge=1, description="How many of them it must hold.")


class MarginCond(Model):
    """A side leads in victory points by at least a margin."""

    side: Id = Field(description="Id of the side that must lead.")
    at_least: Float = Field(description="Lead in victory points needed.")


class EngagementCond(Model):
    """A recorded battle has been fought in this war (optionally: who won it).

    The played battle that stands for a record entry is the one fought in the entry's
    province nearest its date, within ``history.window_days``; before it is fought, or if
    no battle comes within the window, the condition does not hold (use ``not`` for that).
    """

    id: Id = Field(description="Id of a history.record entry of kind 'battle'.")
    winner: Id | None = Field(None, description="Only if this side won it.")
    loser: Id | None = Field(None, description="Only if this side lost it (a draw is no loss).")


class CountCond(Model):
    """At least some of a list of conditions hold."""

    count: Int = Field(ge=1, le=100, description="How many of them must hold.")
    of: list[Condition] = Field(min_length=1, description="The conditions counted.")


class Condition(Model):
    """A test on the state of one run; give exactly one key (combine with all/any/not)."""

    after: dt.date | None = Field(None, description="On or after this date.")
    before: dt.date | None = Field(None, description="Before this date.")
    controls: ControlsCond | None = Field(None, description="A side holds a province.")
    occupied: OccupiedCond | None = Field(
        None, description="A side has occupied a province for some turns."
    )
    commander_dead: Id | None = Field(None, description="This commander has been killed.")
    commander_lost: Id | None = Field(None, description="This commander is killed or captured.")
    commander_captured: Id | None = Field(
        None, description="This commander has been taken prisoner (and is still held)."
    )
    party_left: Id | None = Field(None, description="This allied party has left the war.")
    party_will_below: PartyWillCond | None = Field(
        None, description="An allied party's war will is below a value."
    )
    force_destroyed: Id | None = Field(None, description="This force has been destroyed.")
    force_at: ForceAtCond | None = Field(None, description="A force is in a province.")
    forces_in: ForcesInCond | None = Field(None, description="A side has men in some provinces.")
    war_will_below: WillCond | None = Field(None, description="A side's war will is below a value.")
    battle: BattleCond | None = Field(None, description="A battle was fought this turn.")
    talks_open: bool | None = Field(None, description="Peace talks are (true) or are not open.")
    flag: Id | None = Field(None, description="A flag set by an event's set_flag effect.")
    event_fired: Id | None = Field(None, description="This event has happened.")
    holds: HoldsCond | None = Field(None, description="A side holds some of a list of provinces.")
    vp_margin: MarginCond | None = Field(None, description="A side leads in victory points.")
    engagement: EngagementCond | None = Field(
        None, description="A recorded battle has been fought (and won or lost by a side)."
    )
    some_of: CountCond | None = Field(
        None, description="At least a number of a list of conditions hold."
    )
    all: list[Condition] | None = Field(None, description="Every one of these holds.")
    any: list[Condition] | None = Field(None, description="At least one of these holds.")
    not_: Condition | None = Field(None, alias="not", description="This does not hold.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        keys = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(keys) != 1:
            names = [type(self).model_fields[k].alias or k for k in keys]
            raise ValueError(
                "a condition needs exactly one key"
                + (f", got {', '.join(names)}" if names else "")
                + " (combine several with all: or any:)"
            )
        return self

    def key(self) -> str:
        """Return the single key this condition uses."""
        for k in type(self).model_fields:
            if getattr(self, k) is not None:
                return k
        raise AssertionError("validated condition has no key")


class WillEffect(Model):
    """Change a side's war will."""

    side: Id = Field(description="Id of the side.")
    delta: Float = Field(ge=-1.0, le=1.0, description="Change of war will, -1 to +1.")


class RaiseEffect(Model):
    """Bring a force with 'arrival: {by_event: true}' into the game."""

    force: Id = Field(description="Id of a force with 'arrival: {by_event: true}'.")
    at: Id = Field(description="Province where it appears.")


class RisingEffect(Model):
    """Raise irregulars in a province for its home side (or a named side)."""

    province: Id = Field(description="Id of the province that rises.")
    men: Int = Field(ge=1, le=100_000, description="Irregulars raised.")
    side: Id | None = Field(None, description="Side that gains them; default its home side.")


class ReinforceEffect(Model):
    """Add men to a force already in the game."""

    force: Id = Field(description="Id of the force reinforced.")
    men: Int = Field(ge=1, le=100_000, description="Men added.")


class DetachEffect(Model):
    """A share of a force's men leave it (civil strife, sickness, desertion)."""

    force: Id = Field(description="Id of the force.")
    fraction: Float = Field(gt=0.0, le=1.0, description="Share of its men who leave.")


class CohesionEffect(Model):
    """Shake or steady every force of a side (or one force)."""

    side: Id | None = Field(None, description="Id of the side whose forces are affected.")
    force: Id | None = Field(None, description="Id of the one force affected.")
    delta: Float = Field(ge=-1.0, le=1.0, description="Change of cohesion, -1 to +1.")

    @model_validator(mode="after")
    def _target(self) -> Self:
        if (self.side is None) == (self.force is None):
            raise ValueError("give exactly one of 'side' or 'force'")
        return self


class KillWoundedEffect(Model):
    """A share of a side's wounded so far are killed (a massacre, an epidemic)."""

    side: Id = Field(description="Id of the side whose wounded die.")
    fraction: Float = Field(
        gt=0.0, le=1.0, description="Share of its wounded so far who are killed."
    )


class CommandEffect(Model):
    """Put a commander at the head of a force."""

    force: Id = Field(description="Id of the force.")
    commander: Id = Field(description="Id of the commander who takes it over.")


class PartyWillEffect(Model):
    """Change an allied party's war will."""

    party: Id = Field(description="Id of the party.")
    delta: Float = Field(ge=-1.0, le=1.0, description="Change of war will, -1 to +1.")


class RemoveCommanderEffect(Model):
    """Take a commander out of the war: executed, killed, captured or deposed."""

    commander: Id = Field(description="Id of the commander.")
    fate: Literal["executed", "killed", "captured", "deposed"] = Field(
        description="What becomes of him: executed or killed (dead), captured (a prisoner; "
        "commander_captured holds), or deposed (out of the war, alive)."
    )


class Effect(Model):
    """What an event does; give exactly one key per list item."""

    war_will: WillEffect | None = Field(None, description="Change a side's war will.")
    raise_: RaiseEffect | None = Field(
        None, alias="raise", description="Bring a waiting force into the game."
    )
    rising: RisingEffect | None = Field(None, description="Raise irregulars in a province.")
    reinforce: ReinforceEffect | None = Field(None, description="Add men to a force.")
    detach: DetachEffect | None = Field(None, description="A share of a force's men leave it.")
    cohesion: CohesionEffect | None = Field(None, description="Shake or steady forces.")
    kill_wounded: KillWoundedEffect | None = Field(
        None, description="A share of a side's wounded are killed."
    )
    command: CommandEffect | None = Field(
        None, description="Put a commander at the head of a force."
    )
    open_talks: bool | None = Field(None, description="Open peace talks (true).")
    set_flag: Id | None = Field(None, description="Set a flag other events can test.")
    remove_commander: RemoveCommanderEffect | None = Field(
        None, description="Take a commander out of the war (executed, killed, captured, deposed)."
    )
    party_will: PartyWillEffect | None = Field(
        None, description="Change an allied party's war will."
    )
    leave_alliance: Id | None = Field(
        None, description="This allied party leaves the war, taking its forces with it."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        keys = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(keys) != 1:
            raise ValueError("an effect needs exactly one key (use one list item per effect)")
        return self

    def key(self) -> str:
        """Return the single key this effect uses."""
        for k in type(self).model_fields:
            if getattr(self, k) is not None:
                return k
        raise AssertionError("validated effect has no key")


class Event(Model):
    """A dated or conditional happening, with its effects in the scenario's own vocabulary."""

    id: Id
    name: Name = Field(description="Name shown in the chronicle.")
    text: Text = Field(description="What happened, for the chronicle.")
    date: dt.date | None = Field(None, description="Fires in the turn containing this date.")
    when: Condition | None = Field(None, description="Fires in a turn where this holds.")
    chance: Float = Field(
        1.0, ge=0.0, le=1.0, description="Chance per turn of firing when due (keyed draw)."
    )
    once: bool = Field(True, description="Fire at most once per game.")
    enabled: bool = Field(True, description="Whether the event can happen at all.")
    switch: bool = Field(False, description="Offer it as a what-if switch in the setup screen.")
    effects: list[Effect] = Field(
        min_length=1, description="What it does, one effect per list item, in order."
    )
    source: SourceRef
    calibrated_to: Fitted

    @model_validator(mode="after")
    def _trigger(self) -> Self:
        if self.date is None and self.when is None:
            raise ValueError("an event needs 'date', 'when', or both")
        return self


# --------------------------------------------------------------------------- history


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


# --------------------------------------------------------------------------- victory and peace


class Outcome(Model):
    """A named way the war can end, judged on who holds what when the war ends.

    Each side's outcomes are tested in their order and the first that holds is that side's
    gain; the order of the sides never matters. If one side gains, its outcome is the
    result; if both do, the ``mutual`` outcome (if the scenario has one; otherwise the side
    ahead by the winning margin in victory points, else the default); if neither, the first
    draw outcome with a ``when`` that holds, else the default (the one without ``when``).
    """

    id: Id
    name: Name = Field(description="Name shown at the end of the war.")
    description: Text = Field("", description="What it means, shown at the end of the war.")
    winner: Id | None = Field(None, description="The side that wins by it, or none for a draw.")
    when: Condition | None = Field(
        None, description="Test at the end; omit for the default (and for the mutual outcome)."
    )
    mutual: bool = Field(
        False,
        description="The outcome when outcomes of both sides hold: each keeps its gains. "
        "It has no 'when' and no 'winner'.",
    )
    terms: Literal["status_quo", "as_held"] | None = Field(
        None,
        description="What the treaty does with the map: 'status_quo' hands every province back "
        "to its pre-war owner, 'as_held' leaves each with the side holding it. Default: "
        "status_quo for a draw, as_held for a win or a mutual outcome.",
    )
    source: SourceRef | None = Field(None, description="Where this reading of the war comes from.")

    @model_validator(mode="after")
    def _mutual(self) -> Self:
        if self.mutual and (self.when is not None or self.winner is not None):
            raise ValueError("a mutual outcome has no 'when' and no 'winner'")
        return self

    def settles(self) -> str:
        """Return the treaty's terms for the map: 'status_quo' or 'as_held'."""
        if self.terms is not None:
            return self.terms
        return "as_held" if self.winner is not None or self.mutual else "status_quo"


class VictoryPoints(Model):
    """How victory points are counted at the end of the war."""

    enemy_home: Float = Field(
        1.0, ge=0.0, description="Points per unit of value of enemy home provinces held."
    )
    claimed: Float = Field(
        0.5, ge=0.0, description="Points per unit of value of other claimed provinces held."
    )


class Envoys(Model):
    """How long peace talks last, from the envoys' journeys over the scenario's own routes.

    When talks open, each side's plenipotentiary travels from its seat of government (the
    side's ``capital``) to the place of the talks (``peace.place``; without one, to the
    other side's capital).  Before signing, the plenipotentiaries refer the terms to their
    governments ``referrals`` times, each a journey home and back.  The talks last as long
    as the slowest side's journeys, ``1 + 2 * referrals`` of them, at ``pace`` times an
    army's marching speed, in whole turns (rounded up): the scenario's map, not the
    record, sets how long a treaty takes.
    """

    pace: Float = Field(
        3.0,
        gt=0.0,
        le=20.0,
        description="Days of an army's march (the links' days) an envoy covers in a day: "
        "post horses, relays of mules, a ship. Default 3 (judgement: a traveller riding post "
        "covers 60-70 km a day where an army marches 20-25).",
    )
    referrals: Int = Field(
        1,
        ge=0,
        le=10,
        description="Times the plenipotentiaries, once met, refer the terms to their "
        "governments and wait for the answer before they sign. Default 1: proposal, reply, "
        "signature (full powers covered the rest; ratification came after the signing).",
    )
    source: SourceRef | None = Field(None, description="Where the pace and referrals come from.")
    calibrated_to: Fitted


class Peace(Model):
    """How talks open and a treaty ends the war."""

    treaty_name: Name = Field("Treaty of peace", description="Name of the treaty in reports.")
    place: Id | None = Field(None, description="Province where the treaty is signed.")
    talks_will: Float = Field(
        0.45, ge=0.0, le=1.0, description="Talks open when every side's will is below this."
    )
    collapse_will: Float = Field(
        0.1, ge=0.0, le=1.0, description="A side below this sues for peace on any terms."
    )
    talks_turns: Int | None = Field(
        None,
        ge=0,
        le=100,
        description="A fixed number of turns of negotiation before the treaty is signed, "
        "instead of the envoys' journeys (give one or the other, not both).",
    )
    envoys: Envoys | None = Field(
        None,
        description="How long the talks last from the envoys' journeys between the seats of "
        "government and the place of the talks (see Envoys); the rule used, with its "
        "defaults, unless talks_turns is given.",
    )
    quiet_turns: Int = Field(
        2,
        ge=0,
        le=100,
        description="Talks conclude only after this many turns without a battle.",
    )
    negotiate_when: Condition | None = Field(
        None,
        description="The talks advance, and the treaty is signed, only in turns in which "
        "this holds: a side's condition for negotiating, such as the enemy's evacuation of "
        "its towns (default: always). Waived once a side's will has collapsed below "
        "collapse_will: a side that sues on any terms sets no conditions.",
    )
    withdrawal_days: Int = Field(
        8, ge=0, le=365, description="Days after the treaty for occupiers to leave."
    )
    source: SourceRef | None = Field(None, description="Where the peace rules come from.")
    calibrated_to: Fitted

    @model_validator(mode="after")
    def _one_length(self) -> Self:
        if self.talks_turns is not None and self.envoys is not None:
            raise ValueError(
                "give either talks_turns (a fixed length of the talks) or envoys (their "
                "length from the envoys' journeys), not both"
            )
        return self

    def length_rule(self) -> Envoys | None:
        """Return the envoys' rule that sets the talks' length, or None for a fixed one."""
        if self.talks_turns is not None:
            return None
        return self.envoys if self.envoys is not None else Envoys()


class Victory(Model):
    """Victory points, named outcomes, and peace."""

    points: VictoryPoints = Field(
        default_factory=VictoryPoints, description="How victory points are counted."
    )
    margin: Float = Field(
        5.0, ge=0.0, description="Victory-point lead that counts as a win (else a draw)."
    )
    outcomes: list[Outcome] = Field(
        min_length=1,
        description="Named ends of the war (see Outcome); the last, without 'when', is the "
        "default.",
    )
    peace: Peace = Field(
        default_factory=Peace, description="How talks open and a treaty ends the war."
    )
    calibrated_to: Fitted

    @model_validator(mode="after")
    def _default_last(self) -> Self:
        defaults = [o.id for o in self.outcomes if o.when is None and not o.mutual]
        if len(defaults) != 1:
            raise ValueError(
                f"exactly one outcome must have no 'when' (the default); found {len(defaults)}"
            )
        last = self.outcomes[-1]
        if last.when is not None or last.mutual:
            raise ValueError(f"the default outcome '{defaults[0]}' must come last")
        if sum(o.mutual for o in self.outcomes) > 1:
            raise ValueError("at most one outcome may be mutual")
        return self


# --------------------------------------------------------------------------- rules


class CombatRules(Model):
    """Parameters of the battle resolver (docs/rules.md; calibrated on CDB90)."""

    # Where each default comes from (docs/combat.md, "Every default and where it comes
    # from").  calibrated_to: the pre-1900 CDB90 figures of benchmarks/calibration.py,
    # sections A and B (winners' and losers' casualties, attacker wins and draws, the
    # smaller side's wins, the exchange exponent, duration, loss rates per hour), by a
    # random search over k0, w, g_size, sigma_phi, b0, sigma_b, gamma, h0, pi0_att and
    # the thetas, later adjusted by hand (k0, g_size) to the same figures.  Those
    # figures are in sample: fits, not evidence.
    k0: Float = Field(0.028, gt=0, le=1, description="Loss rate per hour at parity, 10,000 men.")
    w: Float = Field(0.35, ge=0.0, le=1.0, description="Helmbold attrition exponent W.")
    g_size: Float = Field(0.15, ge=0.0, le=1.0, description="Size effect on loss rates.")
    sigma_phi: Float = Field(0.45, ge=0.0, le=2.0, description="Hidden per-battle fortune.")
    b0: Float = Field(0.30, gt=0.0, le=2.0, description="Median breakpoint.")
    sigma_b: Float = Field(0.9, ge=0.0, le=3.0, description="Log-sd of breakpoints.")
    gamma: Float = Field(0.15, ge=0.0, le=2.0, description="Weight of relative power in stress.")
    h0: Float = Field(0.01, ge=0.0, le=1.0, description="Hourly hazard of collapse at parity.")
    # calibrated_to: losers losing 50% or more (CDB90 pre-1900: 12.5% of losers), with
    # sigma_pi; the pursuit's shape (a median share, a log-normal tail) is judgement.
    pi0_def: Float = Field(
        0.05, ge=0.0, le=1.0, description="Pursuit loss when the defender breaks."
    )
    pi0_att: Float = Field(
        0.015, ge=0.0, le=1.0, description="Pursuit loss when the attacker is repulsed."
    )
    sigma_pi: Float = Field(1.5, ge=0.0, le=3.0, description="Log-sd of pursuit losses.")
    # hours_per_day, max_days: judgement (daylight; pre-1900 battles of more than three
    # days are 2% of the record).  p_continue calibrated_to: one-day battles (82.8%).
    hours_per_day: Float = Field(14.0, gt=0.0, le=24.0, description="Hours of fighting per day.")
    max_days: Int = Field(3, ge=1, le=10, description="Longest battle, in days.")
    p_continue: Float = Field(
        0.85, ge=0.0, le=1.0, description="Chance an unbroken battle resumes."
    )
    dt: Float = Field(0.5, gt=0.0, le=2.0, description="Hours per tick of the resolver.")
    # kappa, rho calibrated_to: commanders killed or captured, about 2% of winners and
    # 6% of losers (a count over the pre-1900 battles compiled from general knowledge,
    # not checked against sources); shock: judgement.
    kappa: Float = Field(
        0.2, ge=0.0, le=5.0, description="Commander death hazard per loss fraction."
    )
    rho: Float = Field(
        0.25, ge=0.0, le=5.0, description="Commander lost in a rout, per pursuit loss."
    )
    shock: Float = Field(
        0.3, ge=0.0, le=1.0, description="Breakpoint cut when the commander falls."
    )
    # The thetas calibrated_to: the replays of section A with HERO's codes, the effect
    # of complete surprise and of a step of leadership (section B).  Fitted to who won
    # instead, the codes' effects come out far larger (leadership about 1.7 a step;
    # the cross-validation of benchmarks/calibration.py refits them per fold): HERO
    # gave the codes knowing the outcome, so the game keeps these smaller values.
    theta_leadership: Float = Field(0.4, ge=0.0, le=2.0, description="Effect per leadership step.")
    theta_training: Float = Field(0.35, ge=0.0, le=2.0, description="Effect per training step.")
    theta_morale: Float = Field(0.4, ge=0.0, le=2.0, description="Effect per morale step.")
    theta_surprise: Float = Field(0.3, ge=0.0, le=2.0, description="Effect per surprise level.")
    # Posture: judgement from Dupuy's QJM factors (hasty 1.3, prepared 1.5, fortified
    # 1.6); hasty 1.2, between Dupuy's and CDB90's regression of the exchange (1.15).
    posture_meeting: Float = Field(1.0, gt=0.0, le=3.0, description="Defender multiplier: meeting.")
    posture_hasty: Float = Field(1.2, gt=0.0, le=3.0, description="Defender multiplier: hasty.")
    posture_prepared: Float = Field(
        1.5, gt=0.0, le=3.0, description="Defender multiplier: prepared."
    )
    posture_fortified: Float = Field(
        1.6, gt=0.0, le=3.0, description="Defender multiplier: fortified."
    )
    # The bounds of the exchange (docs/combat.md).  fire_cap, capture_cap: judgement.
    # exchange_cap and pursuit_cap calibrated_to: the most killed and wounded any pre-1900
    # CDB90 side lost per man of the other, 1.67 (Isandhlwana): together they allow at
    # most 0.95 x 1.5 + 0.25 = 1.675 (prisoners beyond that only from a rout; the most
    # with prisoners was 2.15, San Jacinto).
    fire_cap: Float = Field(
        4.0,
        ge=1.0,
        le=100.0,
        description="Most a firing man's hits grow with the targets before him (x parity).",
    )
    exchange_cap: Float = Field(
        1.5,
        gt=0.0,
        le=10.0,
        description="Most losses per enemy man a side takes before breaking.",
    )
    pursuit_cap: Float = Field(
        0.25,
        ge=0.0,
        le=10.0,
        description="Most men a pursuit kills or wounds per winning man (the rest surrender).",
    )
    capture_cap: Float = Field(
        2.0, ge=0.0, le=10.0, description="Most men a pursuit takes per winning man."
    )
    # How losses split: judgement, no figure fitted.  In the fighting about a fifth
    # killed (US Civil War reports gave 1 killed to 4.8 wounded, Fox, Regimental Losses,
    # 1889, ch. 2).  In a pursuit about three quarters taken or missing (CDB90 counts the
    # missing with the casualties; in a rout most losses are prisoners and stragglers,
    # range 0.6-0.9) and the rest split as in the fighting.
    killed_share: Float = Field(
        0.2, ge=0.0, le=1.0, description="Share of attrition casualties who are killed."
    )
    captured_share: Float = Field(
        0.05, ge=0.0, le=1.0, description="Share of attrition casualties taken prisoner."
    )
    pursuit_killed_share: Float = Field(
        0.05, ge=0.0, le=1.0, description="Share of pursuit losses who are killed."
    )
    pursuit_captured_share: Float = Field(
        0.75, ge=0.0, le=1.0, description="Share of pursuit losses taken prisoner."
    )
    calibrated_to: Fitted


class KindRules(Model):
    """What an arm of service is worth and how it behaves."""

    quality: Float = Field(1.0, gt=0.0, le=3.0, description="Multiplier on force quality.")
    cavalry: Float = Field(0.0, ge=0.0, le=1.0, description="Default share of horsemen.")
    surprise: Float = Field(0.0, ge=0.0, le=3.0, description="Surprise it achieves when attacking.")
    speed: Float = Field(1.0, gt=0.0, le=3.0, description="Marching speed relative to infantry.")
    supply_need: Float = Field(
        1.0, ge=0.0, le=2.0, description="How much it suffers out of supply (0 = lives off land)."
    )
    calibrated_to: Fitted


def _default_kinds() -> dict[str, KindRules]:
    return {
        "line_infantry": KindRules(),
        "cavalry": KindRules(quality=1.1, cavalry=1.0, speed=1.3),
        "militia": KindRules(quality=0.7, supply_need=0.7),
        "montoneros": KindRules(
            quality=0.75, cavalry=0.3, surprise=1.5, speed=1.2, supply_need=0.2
        ),
        "artillery": KindRules(quality=1.2, speed=0.8),
    }


class MovementRules(Model):
    """Marching."""

    forced_speed: Float = Field(1.6, ge=1.0, le=3.0, description="Pace of a forced march.")
    forced_loss: Float = Field(
        0.03, ge=0.0, le=0.5, description="Share of men lost (stragglers) on a forced march."
    )
    forced_cohesion: Float = Field(
        0.1, ge=0.0, le=1.0, description="Cohesion lost on a forced march."
    )
    retreat_loss: Float = Field(
        0.02, ge=0.0, le=0.5, description="Share lost when breaking contact to retreat."
    )
    calibrated_to: Fitted


class SupplyRules(Model):
    """Supply lines and attrition."""

    range_days: Float = Field(
        12.0,
        ge=0.0,
        le=200.0,
        description="March days from a supply source through friendly land that still supplies.",
    )
    desertion: Float = Field(
        0.004, ge=0.0, le=0.5, description="Share deserting per week at ordinary morale."
    )
    out_of_supply: Float = Field(
        0.04, ge=0.0, le=0.5, description="Extra share lost per week out of supply."
    )
    cohesion_recovery: Float = Field(
        0.15, ge=0.0, le=1.0, description="Cohesion regained per week in supply."
    )
    foreign_desertion: Float = Field(
        0.006, ge=0.0, le=0.5, description="Extra share deserting per week outside home provinces."
    )
    calibrated_to: Fitted


class ResistanceRules(Model):
    """Popular resistance to occupation."""

    rate: Float = Field(
        0.25,
        ge=0.0,
        le=1.0,
        description="Chance per week of a rising in an ungarrisoned province of resistance 1.",
    )
    garrison_effect: Float = Field(
        2.0,
        ge=0.0,
        le=20.0,
        description="How strongly a garrison at the needed size suppresses risings.",
    )
    attrition: Float = Field(
        0.01, ge=0.0, le=0.5, description="Share of a garrison lost per week to ambushes."
    )
    will_drain: Float = Field(
        0.002,
        ge=0.0,
        le=0.5,
        description="Occupier's war will lost per week per unit of hostile value held.",
    )
    min_turns: Int = Field(1, ge=0, le=100, description="Turns of occupation before risings start.")
    calibrated_to: Fitted


class WillRules(Model):
    """How war will moves."""

    weariness: Float = Field(0.004, ge=0.0, le=0.5, description="Will lost per week of war.")
    battle_won: Float = Field(0.04, ge=0.0, le=1.0, description="Will gained by a big victory.")
    battle_lost: Float = Field(0.08, ge=0.0, le=1.0, description="Will lost by a big defeat.")
    battle_scale: Int = Field(
        3000, ge=1, description="Men engaged for a battle to count fully (smaller ones count less)."
    )
    per_1000_lost: Float = Field(0.02, ge=0.0, le=1.0, description="Will lost per 1,000 men lost.")
    home_occupied: Float = Field(
        0.004, ge=0.0, le=1.0, description="Will lost per week per unit of home value occupied."
    )
    province_taken: Float = Field(
        0.01, ge=0.0, le=1.0, description="Will gained per unit of value taken from the enemy."
    )
    commander_lost: Float = Field(0.03, ge=0.0, le=1.0, description="Will lost per commander lost.")
    head_of_state_lost: Float = Field(
        0.08,
        ge=0.0,
        le=1.0,
        description="Will lost, on top of commander_lost, when a commander who heads his side's "
        "government is killed or captured (by default as much as a big defeat, battle_lost).",
    )
    calibrated_to: Fitted


class FogRules(Model):
    """What a side can see."""

    detect_links: Int = Field(
        1,
        ge=0,
        le=5,
        description="Links from own forces and provinces within which enemies are seen.",
    )
    estimate_error: Float = Field(
        0.25, ge=0.0, le=2.0, description="Log-sd of strength estimates of seen enemies."
    )
    calibrated_to: Fitted


class Rules(Model):
    """The numbers behind the rules; the defaults are documented in docs/rules.md."""

    combat: CombatRules = Field(default_factory=CombatRules, description="The battle resolver.")
    kinds: dict[ForceKind, KindRules] = Field(
        default_factory=_default_kinds,
        description="Each arm of service; kinds left out keep their defaults.",
    )
    movement: MovementRules = Field(default_factory=MovementRules, description="Marching.")
    supply: SupplyRules = Field(default_factory=SupplyRules, description="Supply and attrition.")
    resistance: ResistanceRules = Field(
        default_factory=ResistanceRules, description="Popular resistance to occupation."
    )
    war_will: WillRules = Field(default_factory=WillRules, description="How war will moves.")
    fog: FogRules = Field(default_factory=FogRules, description="What each side can see.")
    min_force: Int = Field(20, ge=1, le=10_000, description="A force with fewer men disperses.")
    control_men: Int = Field(
        20, ge=1, le=10_000, description="Men needed to take control of a province."
    )
    calibrated_to: Fitted

    @field_validator("kinds", mode="before")
    @classmethod
    def _merge_kinds(cls, v: Any) -> Any:
        if isinstance(v, dict):
            merged: dict[str, Any] = {k: r.model_dump() for k, r in _default_kinds().items()}
            for k, r in v.items():
                if k in merged and isinstance(r, dict):
                    merged[k] = {**merged[k], **r}
                else:
                    merged[k] = r
            return merged
        return v


# --------------------------------------------------------------------------- the scenario


class Scenario(Model):
    """A whole war: the root of a scenario file."""

    meta: Meta = Field(
        description="What the scenario is: id, title, dates, turn length and sources."
    )
    sides: list[Side] = Field(min_length=2, max_length=2, description="The two belligerents.")
    terrain: list[Terrain] = Field(min_length=1, description="Kinds of country used by provinces.")
    map: MapSection = Field(description="The theatre: provinces and the links between them.")
    commanders: list[Commander] = Field(
        default_factory=list, description="Generals and officers who can lead forces."
    )
    forces: list[Force] = Field(
        min_length=1, description="Bodies of troops, present at the start or arriving later."
    )
    events: list[Event] = Field(
        default_factory=list, description="Dated or conditional happenings and their effects."
    )
    history: History = Field(
        default_factory=History, description="The real campaign, for replays and fidelity reports."
    )
    victory: Victory = Field(description="Victory points, named outcomes, and how peace is made.")
    rules: Rules = Field(
        default_factory=Rules, description="The numbers behind the rules; omit to use the defaults."
    )


Condition.model_rebuild()
CountCond.model_rebuild()
