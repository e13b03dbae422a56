"""Conditions, effects and events.

The condition language is shared by events, the premises of recorded orders and the
peace rules; effects are what events do.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from game.scenario.schema.base import Fitted, Float, Id, Int, Model, Name, SourceRef, Text


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
        # The fields given are few (one, once validated); the engine asks this of every
        # condition every turn, so those are looked at first.
        for k in self.model_fields_set:
            if getattr(self, k) is not None:
                return k
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


class BlockadeEffect(Model):
    """A hostile fleet closes a side's ports: from now on they no longer supply it.

    A port supplies its holder by sea (``supply_source``); under blockade it does not, for
    that side, for the rest of the war, and forces that drew on it must find supply
    overland within the rules' range or go hungry.  Both sides see the blockade (the AI
    reckons with it as with any loss of supply).
    """

    side: Id = Field(description="Id of the side whose ports are closed.")
    provinces: list[Id] = Field(
        min_length=1,
        max_length=200,
        description="Ids of the ports closed to it (provinces with supply_source: true).",
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
    blockade: BlockadeEffect | None = Field(
        None, description="A fleet closes a side's ports: they no longer supply it."
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


Condition.model_rebuild()
CountCond.model_rebuild()
