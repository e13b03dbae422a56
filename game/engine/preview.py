"""What a side can expect from an attack it is thinking of, from what it can see.

The engine builds a battle's input from the true state (:mod:`game.engine.phases.battle`).
A player or an AI deciding whether to attack knows less: its own forces exactly, the enemy
only as the observation shows them (an estimate of their men, their arms; their cohesion,
how long they have stood and their ratings unknown, the ratings drawn from the record of
armies that were attacked).  :func:`attack_input` aggregates with the engine's own
:func:`~game.engine.battle_sides.aggregate_side` and
:func:`~game.engine.battle_sides.battle_input`, filling what cannot be seen with stated
assumptions, so that the odds panel and the resolver speak of the same battle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.codes import ForceStatus, Posture
from game.engine.battle_sides import BattleSide, aggregate_side, battle_input
from game.engine.combat import BattleInput, Modifier, Odds, combat_params, modifiers, odds
from game.engine.combat.prior import DEFENDER
from game.engine.observe import Observation
from game.scenario.compile import CompiledScenario

ASSUMED_ENEMY_COHESION = 0.9
"""Cohesion assumed for enemy forces, which no observation shows (fresh is 1.0)."""


@dataclass(frozen=True)
class AttackPreview:
    """A proposed attack as the attacking side sees it.

    Attributes:
        province: The province attacked.
        attackers: Force slots that would attack.
        defenders: Enemy force slots seen standing there.
        att_men: Men attacking (exact).
        def_men: Men defending (the observation's estimate).
        posture: The defender's posture assumed (:class:`Posture`).
        assumptions: What could not be seen and was assumed, in words.
        inp: The resolver's input for the battle, the enemy's ratings left neutral.
        unknown: Which ratings the odds draw from the record
            (:mod:`game.engine.combat.prior`): the enemy's.
    """

    province: int
    attackers: tuple[int, ...]
    defenders: tuple[int, ...]
    att_men: int
    def_men: int
    posture: Posture
    assumptions: tuple[str, ...]
    inp: BattleInput
    unknown: int = DEFENDER


def _side(
    scn: CompiledScenario,
    obs: Observation,
    forces: Sequence[int],
    cohesion: npt.ArrayLike,
    *,
    ratings_known: bool,
) -> BattleSide:
    """Aggregate one side's forces (sorted slots) as the engine's battle phase does."""
    f = np.asarray(forces, dtype=np.int64)
    return aggregate_side(
        scn,
        np.zeros(f.size, np.int64),
        f,
        obs.men[0, f].astype(np.float64),
        cohesion,
        obs.commander[0, f].astype(np.int64),
        1,
        ratings_known=ratings_known,
    )


def defenders_seen(scn: CompiledScenario, obs: Observation, province: int) -> list[int]:
    """Return the enemy force slots the observer sees standing in a province."""
    enemy = ~obs.own & obs.seen[0] & (obs.status[0] == ForceStatus.ACTIVE)
    return [int(f) for f in np.flatnonzero(enemy & (obs.loc[0] == province))]


def _posture(scn: CompiledScenario, obs: Observation, province: int) -> tuple[Posture, str]:
    held = int(obs.owner[0, province]) != obs.side
    if held and scn.fort[province] >= 1:
        return Posture.FORTIFIED, "the enemy is assumed to garrison the works it holds"
    return Posture.PREPARED, "the enemy is assumed to have stood a turn (a prepared position)"


def attack_input(
    scn: CompiledScenario, obs: Observation, attackers: Sequence[int], province: int
) -> AttackPreview | None:
    """Return the battle an attack on ``province`` would bring, or None if no enemy is seen.

    Args:
        scn: The compiled scenario.
        obs: The attacking side's observation (a batch of one).
        attackers: The attacking side's force slots (their men and cohesion are exact).
        province: The province attacked.
    """
    dfd = defenders_seen(scn, obs, province)
    if not dfd or not attackers:
        return None
    own = sorted({int(f) for f in attackers})
    a = _side(scn, obs, own, obs.cohesion[0, own], ratings_known=True)
    cohesion = np.full(len(dfd), ASSUMED_ENEMY_COHESION, np.float32)
    d = _side(scn, obs, dfd, cohesion, ratings_known=False)
    posture, why = _posture(scn, obs, province)
    inp = battle_input(
        scn,
        a,
        d,
        posture=np.array([posture], np.int8),
        province=np.array([province], np.int64),
        keys=np.zeros(1, np.uint64),
    )
    notes = (
        "enemy strength is your scouts' estimate",
        f"enemy cohesion is unknown; assumed {ASSUMED_ENEMY_COHESION:.0%}",
        "enemy quality, training, morale and leadership are unknown: drawn from the record "
        "of armies that were attacked",
        why,
    )
    return AttackPreview(
        province,
        tuple(own),
        tuple(dfd),
        int(a.men[0]),
        int(d.men[0]),
        posture,
        notes,
        inp,
        DEFENDER,
    )


def attack_odds(
    scn: CompiledScenario, preview: AttackPreview, samples: int = 1000
) -> tuple[Odds, list[Modifier]]:
    """Return the resolver's odds and every modifier of a previewed attack.

    Samples come from the PREVIEW stream with a fixed key, so the same proposal always
    shows the same odds and previews never touch the game's dice.  The enemy's ratings
    are drawn in each sample from the record of armies that were attacked.
    """
    params = combat_params(scn)
    result = odds(preview.inp, params, samples=samples, key=0, unknown=preview.unknown)[0]
    return result, modifiers(preview.inp, params)
