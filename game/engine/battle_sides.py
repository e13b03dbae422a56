"""The two sides of a battle, aggregated the one way both the battle and its previews use.

A battle's side is every force it brings to the province.  The turn's battle phase
(:mod:`game.engine.phases.battle`) aggregates the true state of the forces fighting;
a preview (:mod:`game.engine.preview`, the odds panel, the AI's enemies) aggregates
what its side can see.  Both go through :func:`aggregate_side` and
:func:`battle_input`, so the odds a player is shown are worked out exactly as the
battle that is then fought: the same weights, the same sums in the same order, the
same leader, the same surprise formula.

How a side is aggregated:

* its men are added up;
* quality (the force's own x its arm's x cohesion), training, morale, the share of
  horsemen and the surprise its arms achieve are averaged, weighted by men;
* the best commander present leads (highest leadership, the lowest slot among
  equals), and his leadership, initiative and exposure are the side's.

The attacker's surprise is its arms' surprise plus half its leader's lead in initiative
over the defender's (:func:`surprise_level`).

A side whose ratings are unknown (an enemy, in a preview) is aggregated from what can be
seen: its men, its arms (their quality, horsemen and surprise) and its cohesion as
assumed; the forces' own quality, training and morale and its leader's leadership and
initiative are left neutral, for the odds to draw them from the record
(:mod:`game.engine.combat.prior`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.codes import NONE
from game.engine.combat import BattleInput
from game.engine.kinds import kind_table
from game.engine.sums import row_sums
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class BattleSide:
    """One side of ``n`` battles: every field is ``[n]``.

    Attributes:
        men: Men engaged.
        quality: Men-weighted quality: the force's x its arm's x ``0.5 + 0.5 cohesion``.
        training: Men-weighted training rating.
        morale: Men-weighted morale rating.
        cavalry: Men-weighted share of horsemen.
        surprise: Men-weighted surprise of the side's arms when attacking.
        commander: The leading commander, or -1 (:data:`~game.codes.NONE`).
        leadership: His leadership (0 without one).
        initiative: His initiative (0 without one).
        exposure: His personal exposure (0 without one: nobody to fall).
    """

    men: F64
    quality: F64
    training: F64
    morale: F64
    cavalry: F64
    surprise: F64
    commander: I64
    leadership: F64
    initiative: F64
    exposure: F64


def _pad(per_commander: npt.ArrayLike) -> F64:
    """Return a commander table with a trailing 0 so that index -1 (none) reads 0."""
    return np.append(per_commander, 0.0)


def _best_commander(scn: CompiledScenario, battle: I64, commander: I64, n: int) -> I64:
    """Return the leading commander of each battle: the best leader, lowest slot if tied."""
    has = commander != NONE
    lead = _pad(scn.leadership)[commander]
    top = np.full(n, -np.inf)
    np.maximum.at(top, battle[has], lead[has].astype(np.float64))
    first = np.flatnonzero(has & (lead == top[battle]))
    led, at = np.unique(battle[first], return_index=True)
    best = np.full(n, NONE, np.int64)
    best[led] = commander[first[at]]
    return best


def aggregate_side(
    scn: CompiledScenario,
    battle: I64,
    force: I64,
    men: F64,
    cohesion: npt.ArrayLike,
    commander: I64,
    n: int,
    *,
    ratings_known: bool = True,
) -> BattleSide:
    """Aggregate one side's forces in each of ``n`` battles.

    Args:
        scn: The compiled scenario.
        battle: Battle of each participating force, ``0 <= battle < n``; participants
            sorted by battle, then by force slot, each slot at most once per battle.
        force: Force slot of each participant.
        men: Men of each participant (``float64``, whole men).
        cohesion: Cohesion of each participant (taken as ``float32``, the state's type).
        commander: Commander leading each participant, or -1.
        n: Number of battles.
        ratings_known: False to leave the side's ratings neutral (see the module).

    Weighted means are summed in the order of a dense row over all force slots
    (:func:`~game.engine.sums.row_sums`), the order the engine has always used, so a
    battle's inputs do not depend on how many battles are aggregated with it.
    """
    b, f = battle, force
    total = np.bincount(b, weights=men, minlength=n)  # whole men: exact in any order
    w = men / np.maximum(total, 1.0)[b]
    cohesion_q = 0.5 + 0.5 * np.asarray(cohesion, np.float32)
    arms_q = kind_table(scn, "quality")[scn.kind[f]]
    q = (scn.quality[f] * arms_q if ratings_known else arms_q) * cohesion_q
    zero = np.zeros(f.size)
    best = _best_commander(scn, b, commander, n)
    traits = np.stack(
        [
            q,
            scn.training[f] if ratings_known else zero,
            scn.morale[f] if ratings_known else zero,
            scn.cavalry[f],
            kind_table(scn, "surprise")[scn.kind[f]],
        ],
        axis=1,
    )
    means = row_sums(b, f, w[:, None] * traits, n, scn.F)
    rated = best if ratings_known else np.full(n, NONE, np.int64)
    return BattleSide(
        men=total,
        quality=means[:, 0],
        training=means[:, 1],
        morale=means[:, 2],
        cavalry=means[:, 3],
        surprise=means[:, 4],
        commander=best,
        leadership=_pad(scn.leadership)[rated],
        initiative=_pad(scn.initiative)[rated],
        exposure=_pad(scn.exposure)[best],
    )


def surprise_level(
    att_surprise: npt.ArrayLike, att_init: npt.ArrayLike, def_init: npt.ArrayLike
) -> F64:
    """Return the attacker's surprise: its arms' surprise plus half its lead in initiative.

    Clipped to the resolver's range, -3..3 (negative: the defender's leader saw it
    coming so well that the attacker walks into an ambush).
    """
    return np.clip(
        np.asarray(att_surprise) + 0.5 * (np.asarray(att_init) - np.asarray(def_init)),
        -3.0,
        3.0,
    )


def battle_input(
    scn: CompiledScenario,
    att: BattleSide,
    dfd: BattleSide,
    *,
    posture: npt.NDArray[np.int8],
    province: I64,
    keys: U64,
) -> BattleInput:
    """Return the resolver's input for battles between two aggregated sides.

    Args:
        scn: The compiled scenario.
        att: The attacking side of each battle.
        dfd: The defending side.
        posture: The defender's :class:`~game.codes.Posture` code in each battle.
        province: Where each battle is fought (its terrain helps the defender).
        keys: Each battle's random key.
    """
    return BattleInput(
        att_men=att.men,
        def_men=dfd.men,
        att_quality=att.quality,
        def_quality=dfd.quality,
        att_leadership=att.leadership,
        def_leadership=dfd.leadership,
        att_training=att.training,
        def_training=dfd.training,
        att_morale=att.morale,
        def_morale=dfd.morale,
        surprise=surprise_level(att.surprise, att.initiative, dfd.initiative),
        posture=posture,
        terrain=scn.terrain_defence[scn.terrain[province]],
        att_cavalry=att.cavalry,
        def_cavalry=dfd.cavalry,
        att_exposure=att.exposure,
        def_exposure=dfd.exposure,
        keys=keys,
    )
