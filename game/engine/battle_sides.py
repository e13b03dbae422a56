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
from game.engine import jit, sums
from game.engine.combat import BattleInput
from game.engine.kinds import kind_table
from game.engine.sums import plan_code
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
    (:mod:`game.engine.sums`), the order the engine has always used, so a battle's inputs
    do not depend on how many battles are aggregated with it.  One kernel
    (:func:`_aggregate`) over the participants.
    """
    leaf, code, n_leaves = plan_code(scn.F)
    total, means, best = _aggregate(
        np.asarray(battle, np.int64),
        np.asarray(force, np.int64),
        np.asarray(men, np.float64),
        np.asarray(cohesion, np.float32),
        np.asarray(commander, np.int64),
        n,
        _slot_tables(scn),
        np.asarray(scn.leadership, np.float64),
        ratings_known,
        (leaf, code, n_leaves),
    )
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


def _slot_tables(scn: CompiledScenario) -> tuple[F64, F64, F64, F64, F64, F64]:
    """Return ``[F]`` tables of each force slot, once per scenario.

    Its own quality, its arm's quality, training, morale, share of horsemen and its
    arm's surprise.
    """
    if "battle_slot_tables" not in scn.extra:
        kind = np.asarray(scn.kind, np.int64)
        scn.extra["battle_slot_tables"] = tuple(
            np.ascontiguousarray(a, np.float64)
            for a in (
                scn.quality,
                kind_table(scn, "quality")[kind],
                scn.training,
                scn.morale,
                scn.cavalry,
                kind_table(scn, "surprise")[kind],
            )
        )
    return scn.extra["battle_slot_tables"]  # type: ignore[no-any-return]


_HALF32 = np.float32(0.5)


@jit.kernel
def _aggregate(
    battle, force, men, cohesion, commander, n, tables, leadership, ratings_known, plan
):  # pragma: no cover - compiled
    """Return each battle's men, its five weighted means ``[n, 5]`` and its leader.

    The formulas of the array version, participant by participant: a participant's
    weight is its men over its battle's (at least 1); its quality is its own times its
    arm's (its arm's alone when the ratings are not known) times ``0.5 + 0.5 *
    cohesion`` worked out in float32; each mean is added lane by lane and then in the
    plan's order (:func:`game.engine.sums.tree_sum`).  The leader is the participant's
    commander of highest leadership, the first in order among equals.
    """
    quality, arms_quality, training, morale, cavalry, arms_surprise = tables
    leaf, code, n_leaves = plan
    total = np.zeros(n)
    for i in range(battle.size):
        total[battle[i]] += men[i]
    means = np.zeros((n, 5))
    best = np.full(n, -1, np.int64)
    lanes = np.zeros((5, n_leaves))
    terms = np.empty(5)
    i = 0
    while i < battle.size:
        b = battle[i]
        lanes[:] = 0.0
        top = -np.inf
        while i < battle.size and battle[i] == b:
            f = force[i]
            w = men[i] / max(total[b], 1.0)
            coh = _HALF32 + _HALF32 * cohesion[i]
            own = quality[f] * arms_quality[f] if ratings_known else arms_quality[f]
            terms[0] = own * coh
            terms[1] = training[f] if ratings_known else 0.0
            terms[2] = morale[f] if ratings_known else 0.0
            terms[3] = cavalry[f]
            terms[4] = arms_surprise[f]
            for k in range(5):
                lanes[k, leaf[f]] += w * terms[k]
            c = commander[i]
            if c >= 0 and (best[b] < 0 or leadership[c] > top):
                top = leadership[c]
                best[b] = c
            i += 1
        for k in range(5):
            means[b, k] = sums.tree_sum(lanes[k], code) + 0.0
    return total, means, best


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
