"""How a war is scored and ended: victory points, named outcomes, and the peace talks."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from game.scenario.schema.base import Fitted, Float, Id, Int, Model, Name, SourceRef, Text
from game.scenario.schema.events import Condition


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
        "its towns (default: always). Waived once the will of the side whose condition "
        "it is (negotiate_side) has collapsed below collapse_will: a side that sues on any "
        "terms sets no conditions.",
    )
    negotiate_side: Id | None = Field(
        None,
        description="The side whose condition for negotiating negotiate_when is: only its "
        "collapse waives it, and the enemy it is imposed on must meet it even when that "
        "enemy's own will has collapsed (default: any side's collapse waives it).",
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
