"""The numbers behind the engine's rules.

Combat, arms of service, movement, supply, popular resistance, war will and fog.  The
defaults are generic military judgement, documented in ``docs/rules.md``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, field_validator

from game.scenario.schema.base import Fitted, Float, ForceKind, Int, Model


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

    retired: ClassVar[dict[str, str]] = {
        "will_drain": "replaced by 'occupier_drain': the occupier's will lost per week holding "
        "the enemy's whole home against a people of resistance 1, counted as a share of that "
        "home's value",
    }

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
    occupier_drain: Float = Field(
        0.02,
        ge=0.0,
        le=0.5,
        description="Occupier's war will lost per week holding the enemy's whole home against "
        "a people of resistance 1; in proportion to the value times the resistance of what it "
        "holds, as a share of the enemy's home value.",
    )
    min_turns: Int = Field(1, ge=0, le=100, description="Turns of occupation before risings start.")
    calibrated_to: Fitted


class WillRules(Model):
    """How war will moves: every term a share of what the side has (docs/rules.md §8)."""

    retired: ClassVar[dict[str, str]] = {
        "battle_scale": "a battle now weighs by the share of each side's field army that "
        "fought in it: remove the key",
        "per_1000_lost": "replaced by 'army_lost': the will lost once a side has lost as many "
        "men as it brought into the war, losses counting as a share of them",
        "home_occupied": "replaced by 'home_held': the will lost per week with the side's whole "
        "home held by the enemy, occupation counting as a share of its home value",
        "province_taken": "replaced by 'enemy_home_taken': the will gained by taking the enemy's "
        "whole home, conquests counting as a share of its home value",
    }

    weariness: Float = Field(0.004, ge=0.0, le=0.5, description="Will lost per week of war.")
    battle_won: Float = Field(
        0.04,
        ge=0.0,
        le=1.0,
        description="Will gained by a victory in which the side's whole field army fought "
        "(a smaller share of it, in proportion).",
    )
    battle_lost: Float = Field(
        0.08,
        ge=0.0,
        le=1.0,
        description="Will lost by a defeat in which the side's whole field army fought "
        "(a smaller share of it, in proportion).",
    )
    army_lost: Float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Will lost when a side has lost (killed, wounded, captured, deserted) as "
        "many men as it has brought into the war; in proportion to the share lost.",
    )
    home_held: Float = Field(
        0.04,
        ge=0.0,
        le=1.0,
        description="Will lost per week with the side's whole home held by the enemy; in "
        "proportion to the share of its home value held.",
    )
    enemy_home_taken: Float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="Will gained, once, by taking the enemy's whole home; in proportion to the "
        "share of the enemy's home value taken.",
    )
    commander_lost: Float = Field(0.03, ge=0.0, le=1.0, description="Will lost per commander lost.")
    head_of_state_lost: Float = Field(
        0.08,
        ge=0.0,
        le=1.0,
        description="Will lost, on top of commander_lost, when a commander who heads his side's "
        "government is killed or captured (by default as much as the defeat of the whole field "
        "army, battle_lost).",
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
