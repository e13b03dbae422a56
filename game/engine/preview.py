"""What a side can expect from an attack it is thinking of, from what it can see.

The engine builds a battle's input from the true state (:mod:`game.engine.phases.battle`).
A player or an AI deciding whether to attack knows less: its own forces exactly, the enemy
only as the observation shows them (an estimate of their men; their cohesion and how long
they have stood unknown).  :func:`attack_input` aggregates the same way the engine does,
filling what cannot be seen with stated assumptions, so that the odds panel and the
resolver speak of the same battle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.codes import KIND_NAMES, NONE, ForceStatus, Posture
from game.engine.combat import BattleInput, Modifier, Odds, modifiers, odds
from game.engine.observe import Observation
from game.engine.turn import combat_params
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
        inp: The resolver's input for the battle.
    """

    province: int
    attackers: tuple[int, ...]
    defenders: tuple[int, ...]
    att_men: int
    def_men: int
    posture: Posture
    assumptions: tuple[str, ...]
    inp: BattleInput


def _kind_value(scn: CompiledScenario, attr: str) -> np.ndarray:
    out = np.zeros(len(KIND_NAMES))
    for name, k in KIND_NAMES.items():
        out[k] = getattr(scn.rules.kinds[name], attr)  # type: ignore[index]
    return out


def _side_values(
    scn: CompiledScenario, obs: Observation, forces: Sequence[int], cohesion: np.ndarray
) -> dict[str, float]:
    """Men-weighted averages over one side's forces, as the engine's battle phase takes them."""
    f = np.asarray(forces, dtype=np.int64)
    men = obs.men[0, f].astype(np.float64)
    w = men / max(float(men.sum()), 1.0)
    q = scn.quality[f] * _kind_value(scn, "quality")[scn.kind[f]] * (0.5 + 0.5 * cohesion)
    cmd = obs.commander[0, f]
    lead = np.where(cmd != NONE, np.append(scn.leadership, -np.inf)[cmd], -np.inf)
    best = int(cmd[int(np.argmax(lead))]) if (cmd != NONE).any() else NONE
    pad = lambda a: 0.0 if best == NONE else float(a[best])  # noqa: E731
    return {
        "men": float(men.sum()),
        "quality": float((w * q).sum()),
        "training": float((w * scn.training[f]).sum()),
        "morale": float((w * scn.morale[f]).sum()),
        "cavalry": float((w * scn.cavalry[f]).sum()),
        "surprise": float((w * _kind_value(scn, "surprise")[scn.kind[f]]).sum()),
        "commander": float(best),
        "leadership": pad(scn.leadership),
        "initiative": pad(scn.initiative),
        "exposure": pad(scn.exposure),
    }


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
    a = _side_values(scn, obs, attackers, obs.cohesion[0, list(attackers)].astype(np.float64))
    d = _side_values(scn, obs, dfd, np.full(len(dfd), ASSUMED_ENEMY_COHESION))
    posture, why = _posture(scn, obs, province)
    inp = BattleInput.build(
        att_men=a["men"],
        def_men=d["men"],
        keys=0,
        att_quality=a["quality"],
        def_quality=d["quality"],
        att_leadership=a["leadership"],
        def_leadership=d["leadership"],
        att_training=a["training"],
        def_training=d["training"],
        att_morale=a["morale"],
        def_morale=d["morale"],
        surprise=float(np.clip(a["surprise"] + 0.5 * (a["initiative"] - d["initiative"]), -3, 3)),
        posture=float(posture),
        terrain=float(scn.terrain_defence[scn.terrain[province]]),
        att_cavalry=a["cavalry"],
        def_cavalry=d["cavalry"],
        att_exposure=a["exposure"],
        def_exposure=d["exposure"],
    )
    notes = (
        "enemy strength is your scouts' estimate",
        f"enemy cohesion is unknown; assumed {ASSUMED_ENEMY_COHESION:.0%}",
        why,
    )
    return AttackPreview(
        province,
        tuple(int(f) for f in attackers),
        tuple(dfd),
        int(a["men"]),
        int(d["men"]),
        posture,
        notes,
        inp,
    )


def attack_odds(
    scn: CompiledScenario, preview: AttackPreview, samples: int = 1000
) -> tuple[Odds, list[Modifier]]:
    """Return the resolver's odds and every modifier of a previewed attack.

    Samples come from the PREVIEW stream with a fixed key, so the same proposal always
    shows the same odds and previews never touch the game's dice.
    """
    params = combat_params(scn)
    return odds(preview.inp, params, samples=samples, key=0)[0], modifiers(preview.inp, params)
