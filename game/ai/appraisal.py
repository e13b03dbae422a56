"""The heuristic's first pass: what is at stake this turn, and what threatens it.

Read once a turn from the side's :class:`~game.ai.features.Situation` and personality,
and then only read by the passes that build the orders (:mod:`game.ai.strikes`,
:mod:`game.ai.contact`, :mod:`game.ai.movement`, :mod:`game.ai.peace`).

Values are in victory points (a province is worth what it would change in the margin if
it changed hands, plus what the named outcomes make of it; objectives weigh more); men
are converted at what the other side's home provinces are worth per man defending them.
Threats to each province come in three kinds, weighed by the chance each strikes: seen
enemies in reach, unseen enemies from where they are believed to be, and, for own land,
raids from anywhere nobody watches (:mod:`game.ai.features`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.ai.determinize import outcome_now
from game.ai.features import Group, Situation
from game.ai.operations import Operations, operations, own_ground
from game.ai.personality import Personality
from game.ai.posture import Posture, men_needed, posture, stakes
from game.engine import jit
from game.engine.orders import march_targets

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]

HORIZON_TURNS = 4
"""Turns over which a garrison's protection against risings is counted."""
URGENT_ODDS = 0.2
"""How much lower the odds a side attacks at fall when its war is slipping away
(:attr:`~game.ai.operations.Operations.urgency` 1)."""
DISCOUNT = 0.85
"""Value kept per extra turn a march takes to pay off."""
ATTACK_CHANCE = 0.5
"""Chance assumed that a seen enemy in reach of a province attacks it this turn."""
GHOST_CHANCE = 0.35
"""Chance assumed that an unseen enemy force strikes a province in reach of the place it
is believed to be (it may not be there, and may not come)."""
LURK_CHANCE = 0.25
"""Chance a turn that an unseen enemy force that could be anywhere unwatched strikes an
own province in reach of there (compounded over :data:`LURK_TURNS`)."""
LURK_TURNS = 1
"""Turns over which the lurking threat to an own province is compounded."""


@dataclass
class Appraisal:
    """One side's stakes and threats this turn, per run (read-only for the passes).

    Attributes:
        sit, pers, keys: The situation, the personality and the policy's keys per run.
        R, F, P: Runs, force slots and provinces; ``rows`` is ``arange(R)``.
        T: Days in a turn.
        worth: ``[R, P]`` what holding each province is worth in victory points now,
            given who holds what (:func:`~game.ai.posture.stakes`).
        prize: ``[P]`` what each province is worth whoever holds what (its swing, the
            objectives and the outcomes' worth, as a conquest to keep down).
        k_kill, k_lose: Victory points per enemy man destroyed (times aggression) and
            per own man lost.
        scale: The scenario's scale of victory points (the winning margin or more).
        own_held: ``[R, P]`` provinces the side holds.
        foe, foe_near: Seen enemies standing in each province, and able to reach it.
        chance: ``[3, 1, R, P]`` the chance the seen, believed and lurking enemies
            that may come at each province come.
        threat_men: ``[R, P]`` men that may come at each province (for the reasons).
        threat_men_flat, threat_push_flat, chance_flat: the men of the three threats,
            their part of the odds and ``chance``, flat over ``3 x R x P`` (for gathering
            by index, see :func:`game.ai.holding.keep_chance`).
        ghost_here: ``[R, P]`` an unseen enemy is believed to stand there.
        foe_any: ``[R, P]`` an enemy is seen there.
        behind: ``[R, P]`` what beating the enemy there opens the road to.
        outcome, winner: ``[R]`` the outcome a treaty now would name, and its winner.
        hostile: ``[P]`` enemy homeland that rises against an occupier.
        garrison_need, protect: ``[P]`` men a garrison needs, and the share of the
            rising risk a garrison can take away over :data:`HORIZON_TURNS`.
        need_men: ``[R, P]`` men the peace the side wants needs there (infinity where
            none; see :func:`~game.ai.posture.men_needed`).
        threshold: ``[R]`` the least chance of winning an attack must have (lower by
            :data:`URGENT_ODDS` times the urgency of acting before the war ends).
        mt: ``[R, F, P]`` where each force may legally march.
        dug: ``[R, P]`` every own force standing there has stood a turn.
        reach, forced_only, reach_any: ``[R, F, P]`` where each force can strike this
            turn, and which only by a forced march; ``[R, F]`` whether anywhere.
        ops: The operational picture (main armies, decisive battles, chiefs).
        pos: The side's posture (defensive, ahead) and who holds a gain now.
    """

    sit: Situation
    pers: Personality
    keys: U64
    R: int
    F: int
    P: int
    rows: I64
    T: float
    worth: F64
    prize: F64
    k_kill: float
    k_lose: float
    scale: float
    own_held: B
    foe: Group
    foe_near: Group
    chance: F64
    threat_men: F64
    threat_men_flat: F64
    threat_push_flat: F64
    chance_flat: F64
    ghost_here: B
    foe_any: B
    behind: F64
    outcome: I64
    winner: I64
    hostile: B
    garrison_need: F64
    protect: F64
    need_men: F64
    threshold: F64
    mt: B
    dug: B
    reach: B
    forced_only: B
    reach_any: B
    ops: Operations
    pos: Posture


def appraise(sit: Situation, pers: Personality, keys: U64) -> Appraisal:
    """Return what is at stake for ``sit.side`` this turn and what threatens it."""
    scn, st = sit.scn, sit.st
    R, F, P = sit.runs, scn.F, scn.P
    T = float(scn.turn_days)
    s, e = sit.side, sit.enemy
    own_held = sit.owner == s
    foe = sit.group(sit.foe_at)
    foe_near, threats, chance, threat_men = _threats(sit, own_held)
    # The three threats' tables flat, for gathering by index (see keep_chance): their men
    # and their part of the odds (they meet defenders without initiative).
    threat_men_flat = np.concatenate([g.men.reshape(-1) for g in threats])
    threat_push_flat = np.concatenate([sit.push(g, 0.0).reshape(-1) for g in threats])
    foe_any = foe.men > 0
    outcome, winner = outcome_now(scn, sit.obs, sit)
    ops = operations(sit, foe, winner, pers.commander_safety)
    pos = posture(sit, ops, outcome, winner)
    worth = stakes(sit, pers.objective, pos)
    prize = _worth(sit, pers)
    hostile, garrison_need, protect = _occupation(sit, T)
    need = st.need_men[s]
    dug = _dug_in(sit)
    # Montoneros are sent only on their own land and the places the war aims name.
    mt = march_targets(scn, sit.obs, s) & own_ground(sit)[None, :, :]
    reach, forced_only, reach_any = _strike_reach(sit, mt, T)
    threshold = np.clip(_threshold(sit, pers, winner) - URGENT_ODDS * ops.urgency, 0.15, 0.95)
    return Appraisal(
        sit=sit,
        pers=pers,
        keys=keys,
        R=R,
        F=F,
        P=P,
        rows=np.arange(R),
        T=T,
        worth=worth,
        prize=prize,
        k_kill=float(st.men_value[s]) * pers.aggression,
        k_lose=float(st.men_value[e]),
        scale=max(st.win_margin, float(np.max(st.swing[s])), 1.0),
        own_held=own_held,
        foe=foe,
        foe_near=foe_near,
        chance=chance,
        threat_men=threat_men,
        threat_men_flat=threat_men_flat,
        threat_push_flat=threat_push_flat,
        chance_flat=np.ascontiguousarray(chance).reshape(3, R * P),
        ghost_here=_ghost_here(sit),
        foe_any=foe_any,
        behind=_behind(sit, prize, worth, foe_any, T),
        outcome=outcome,
        winner=winner,
        hostile=hostile,
        garrison_need=garrison_need,
        protect=protect,
        need_men=men_needed(sit, np.where(need > 0, need, np.inf)),
        threshold=threshold,
        mt=mt,
        dug=dug,
        reach=reach,
        forced_only=forced_only,
        reach_any=reach_any,
        ops=ops,
        pos=pos,
    )


def _worth(sit: Situation, pers: Personality) -> F64:
    """Return ``[P]``: what holding each province is worth to the side, in victory points.

    Its swing in the margin, its share of the objectives, and what the named outcomes
    test there: full worth toward one's own win, half to deny the enemy one.
    """
    scn, st = sit.scn, sit.st
    value = np.asarray(scn.value)
    objectives = np.asarray(scn.objectives[sit.side]) * 0.5 * np.maximum(value, value.mean())
    return pers.objective * (
        st.swing[sit.side] + objectives + st.key[sit.side] + 0.5 * st.key[sit.enemy]
    )


def _occupation(sit: Situation, T: float) -> tuple[B, F64, F64]:
    """Return ``[P]`` tables of occupation: where a garrison is needed, and how much.

    Enemy homeland that rises against an occupier, the men a garrison needs there, and
    the share of the rising risk over :data:`HORIZON_TURNS` a garrison can take away.
    """
    scn = sit.scn
    hostile = (
        (np.asarray(scn.home_side) == sit.enemy)
        & (np.asarray(scn.resistance) > 0)
        & (np.asarray(scn.partisans) > 0)
    )
    hazard = scn.rules.resistance.rate * np.asarray(scn.resistance) * T / 7.0
    need = np.maximum(np.asarray(scn.garrison_needed), 1).astype(np.float64)
    return hostile, need, np.minimum(1.0, HORIZON_TURNS * hazard)


def _threats(sit: Situation, own_held: B) -> tuple[Group, tuple[Group, Group, Group], F64, F64]:
    """Return the seen enemies in reach, the three threats, their chances and men.

    The threats are the seen enemies in reach, the believed ones near and the lurking
    ones, in that order.
    """
    R, P = sit.runs, sit.scn.P
    foe_near = sit.group(sit.foe_reach)
    believed = sit.group(sit.ghost_near, men=sit.ghost_men)
    lurking = sit.group(sit.lurk_reach, men=sit.ghost_men)
    threats = (foe_near, believed, lurking)
    lurk = np.where(own_held, 1.0 - (1.0 - LURK_CHANCE) ** LURK_TURNS, 0.0)
    # Men that may come at each province this turn, seen or presumed (for the reasons).
    threat_men = foe_near.men + np.maximum(believed.men, lurking.men * (lurk > 0))
    chance = np.stack([np.full((R, P), ATTACK_CHANCE), np.full((R, P), GHOST_CHANCE), lurk])[
        :, None
    ]  # [3, 1, R, P]
    return foe_near, threats, chance, threat_men


def _ghost_here(sit: Situation) -> B:
    """Return ``[R, P]``: an unseen enemy force is believed to stand there."""
    ghost_here = np.zeros((sit.runs, sit.scn.P), bool)
    r, f = np.nonzero(sit.ghost_at >= 0)
    ghost_here[r, sit.ghost_at[r, f]] = True
    return ghost_here


def _threshold(sit: Situation, p: Personality, winner: I64) -> F64:
    """Return the least chance of winning an attack must have, per run.

    The personality's ``min_odds``, moved by caution and aggression, and lowered when
    the stakes demand it: behind (by victory points, or by the outcome a treaty now
    would name) late in the war, or with the capital lost.
    """
    scn = sit.scn
    base = p.min_odds + 0.06 * (p.caution - 1.0) - 0.08 * (p.aggression - 1.0)
    late = np.clip(1.5 * sit.obs.turn / max(scn.n_turns, 1), 0.0, 1.0)
    win = max(sit.st.win_margin, 1.0)
    losing = winner == sit.enemy
    behind = np.maximum(np.clip(-sit.margin / win, 0.0, 1.0), 1.0 * losing)
    cap = int(scn.capital[sit.side])
    lost_capital = sit.owner[:, cap] != sit.side
    despair = np.maximum(behind * late, 0.5 * lost_capital)
    return np.clip(base - 0.2 * despair, 0.15, 0.95)


def _behind(sit: Situation, prize: F64, worth: F64, foe_any: B, T: float) -> F64:
    """Return ``[R, P]``: what beating the enemy in each province opens the road to.

    For each key province (worth at least a winning margin) that the other side holds,
    a seen enemy standing on the route to it from an own force is worth half of it,
    discounted by the march: an army cut off from its capital must fight its way
    through whatever stands on the road, however little that place is worth itself.
    Only forces able to move somewhere can open a road.
    """
    key = np.flatnonzero((prize >= sit.st.win_margin) & (sit.st.win_margin > 0))
    if key.size == 0 or not foe_any.any():
        return np.zeros((sit.runs, sit.scn.P))
    return _behind_kernel(
        key,
        np.ascontiguousarray(worth),
        foe_any,
        sit.owner,
        sit.side,
        sit.here,
        sit.able,
        sit.eta,
        np.asarray(sit.st.on_route),
        T,
    )


@jit.kernel
def _behind_kernel(key, worth, foe_any, owner, side, here, able, eta, on_route, T):
    """Return :func:`_behind`'s ``[R, P]``, run by run (a maximum: any order gives it)."""
    R, F = able.shape
    P = foe_any.shape[1]
    out = np.zeros((R, P))
    foes = np.empty(P, np.int64)
    for r in range(R):
        n = 0  # the places an enemy is seen in: the only ones a road can open through
        for p in range(P):
            if foe_any[r, p]:
                foes[n] = p
                n += 1
        if n == 0:
            continue
        for q in key:
            if owner[r, q] == side:
                continue
            for f in range(F):
                if not able[r, f]:
                    continue
                gain = -1.0  # worked out at the first enemy on the road (a power is slow)
                for i in range(n):
                    p = foes[i]
                    if p != q and on_route[here[r, f], q, p]:
                        if gain < 0.0:
                            gain = 0.5 * worth[r, q] * DISCOUNT ** (eta[r, f, q] / T)
                        out[r, p] = max(out[r, p], gain)
    return out


def _dug_in(sit: Situation) -> B:
    """Return ``[R, P]``: every own force standing in the province has stood a turn.

    One kernel (:func:`_dug_in_kernel`) over the forces, each standing where it is.
    """
    return _dug_in_kernel(  # type: ignore[no-any-return]
        np.ascontiguousarray(sit.stands),
        np.ascontiguousarray(sit.obs.dug_in >= 1),
        np.ascontiguousarray(sit.here, np.int64),
        sit.scn.P,
    )


@jit.kernel
def _dug_in_kernel(stands, dug, here, P):
    """Return :func:`_dug_in`'s ``[R, P]``: false where a force stands that has not dug in.

    A standing force is where it stands (``here``); the places of ``sit.mine_at``.
    """
    R, F = stands.shape
    out = np.ones((R, P), np.bool_)
    for r in range(R):
        for f in range(F):
            if stands[r, f] and not dug[r, f]:
                out[r, here[r, f]] = False
    return out


def _strike_reach(sit: Situation, mt: B, T: float) -> tuple[B, B, B]:
    """Return ``[R, F, P]``: where each force can strike this turn, and which only forced.

    A force can strike a province it can reach within the turn (at its pace or on a
    forced march) by a road it may take that no seen enemy bars.  Also ``[R, F]``:
    whether it can strike anywhere.  One kernel (:func:`_strike_reach_kernel`).
    """
    return _strike_reach_kernel(  # type: ignore[no-any-return]
        np.ascontiguousarray(mt), sit.clear, sit.eta, sit.eta_forced, float(T)
    )


@jit.kernel
def _strike_reach_kernel(mt, clear, eta, eta_forced, T):
    """Return :func:`_strike_reach`'s three tables, cell by cell."""
    R, F, P = mt.shape
    reach = np.zeros((R, F, P), np.bool_)
    forced = np.zeros((R, F, P), np.bool_)
    reach_any = np.zeros((R, F), np.bool_)
    for r in range(R):
        for f in range(F):
            for p in range(P):
                if not (mt[r, f, p] and clear[r, f, p]):
                    continue
                if eta[r, f, p] <= T:
                    reach[r, f, p] = True
                elif eta_forced[r, f, p] <= T:
                    reach[r, f, p] = True
                    forced[r, f, p] = True
                else:
                    continue
                reach_any[r, f] = True
    return reach, forced, reach_any
