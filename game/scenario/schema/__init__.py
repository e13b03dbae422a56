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

from pydantic import Field

from game.scenario.schema.base import (
    ADDED_FIELDS,
    FITTED_FIGURES,
    FITTED_TARGETS,
    Colour,
    Crossing,
    Evidence,
    Fitted,
    FittedTarget,
    Float,
    ForceKind,
    Id,
    Int,
    Men,
    Model,
    Name,
    OrderKind,
    Posture,
    Rating,
    RatingName,
    Road,
    SourceRef,
    Strength,
    Text,
    Uncertain,
    strength_range,
    strength_value,
)
from game.scenario.schema.events import (
    BattleCond,
    BlockadeEffect,
    CohesionEffect,
    CommandEffect,
    Condition,
    ControlsCond,
    CountCond,
    DetachEffect,
    Effect,
    EngagementCond,
    Event,
    ForceAtCond,
    ForcesInCond,
    HoldsCond,
    KillWoundedEffect,
    MarginCond,
    OccupiedCond,
    PartyWillCond,
    PartyWillEffect,
    RaiseEffect,
    ReinforceEffect,
    RemoveCommanderEffect,
    RisingEffect,
    WillCond,
    WillEffect,
)
from game.scenario.schema.forces import (
    Arrival,
    Commander,
    Fate,
    Force,
)
from game.scenario.schema.history import (
    HistoricalOrder,
    History,
    Premise,
    RecordEntry,
    Totals,
)
from game.scenario.schema.rules import (
    CombatRules,
    FogRules,
    KindRules,
    MovementRules,
    ResistanceRules,
    Rules,
    SupplyRules,
    WillRules,
)
from game.scenario.schema.victory import (
    Envoys,
    Outcome,
    Peace,
    Victory,
    VictoryPoints,
)
from game.scenario.schema.world import (
    AIWeights,
    Link,
    MapSection,
    Meta,
    Party,
    Place,
    Province,
    Side,
    Source,
    Terrain,
    WarAims,
)


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


__all__ = [
    "ADDED_FIELDS",
    "FITTED_FIGURES",
    "FITTED_TARGETS",
    "AIWeights",
    "Arrival",
    "BattleCond",
    "BlockadeEffect",
    "CohesionEffect",
    "Colour",
    "CombatRules",
    "CommandEffect",
    "Commander",
    "Condition",
    "ControlsCond",
    "CountCond",
    "Crossing",
    "DetachEffect",
    "Effect",
    "EngagementCond",
    "Envoys",
    "Event",
    "Evidence",
    "Fate",
    "Fitted",
    "FittedTarget",
    "Float",
    "FogRules",
    "Force",
    "ForceAtCond",
    "ForceKind",
    "ForcesInCond",
    "HistoricalOrder",
    "History",
    "HoldsCond",
    "Id",
    "Int",
    "KillWoundedEffect",
    "KindRules",
    "Link",
    "MapSection",
    "MarginCond",
    "Men",
    "Meta",
    "Model",
    "MovementRules",
    "Name",
    "OccupiedCond",
    "OrderKind",
    "Outcome",
    "Party",
    "PartyWillCond",
    "PartyWillEffect",
    "Peace",
    "Place",
    "Posture",
    "Premise",
    "Province",
    "RaiseEffect",
    "Rating",
    "RatingName",
    "RecordEntry",
    "ReinforceEffect",
    "RemoveCommanderEffect",
    "ResistanceRules",
    "RisingEffect",
    "Road",
    "Rules",
    "Scenario",
    "Side",
    "Source",
    "SourceRef",
    "Strength",
    "SupplyRules",
    "Terrain",
    "Text",
    "Totals",
    "Uncertain",
    "Victory",
    "VictoryPoints",
    "WarAims",
    "WillCond",
    "WillEffect",
    "WillRules",
    "strength_range",
    "strength_value",
]
