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
from typing import Any

import numpy as np
import numpy.typing as npt

from game.ai.army_kernels import clip, maximum, picture
from game.ai.determinize import outcome_now
from game.ai.features import Group, Situation
from game.ai.groups import pool_kernel
from game.ai.odds_table import push_of
from game.ai.operations import Operations, own_ground, picture_args, picture_of
from game.ai.personality import Personality
from game.ai.posture import (
    Posture,
    _men_needed_kernel,
    _posture_kernel,
    _stakes_kernel,
    needed_args,
    posture_args,
    posture_of,
    stakes_args,
)
from game.ai.tables import once
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
    """Return what is at stake for ``sit.side`` this turn and what threatens it.

    The outcome a treaty now would name (:func:`~game.ai.determinize.outcome_now`), then
    one kernel call (:func:`_appraise_kernel`) for the rest: the threats, the operational
    picture, the posture, the stakes, where forces may march and strike, the least odds
    of an attack, what beating an enemy on the road opens up and the men the peace needs,
    each the kernel its own function calls, in that order.
    """
    scn, st = sit.scn, sit.st
    R, F, P = sit.runs, scn.F, scn.P
    T = float(scn.turn_days)
    s, e = sit.side, sit.enemy
    outcome, winner = outcome_now(scn, sit.obs, sit)
    prize, key = once(scn, f"ai_prize_{s}_{pers.objective!r}", lambda: _worth(sit, pers))
    hostile, garrison_need, protect, need, scale = once(
        scn, f"ai_occupation_{s}", lambda: _occupation(sit, T)
    )
    (
        threats,
        pictured,
        (defend, mine, theirs, signing),
        worth,
        (mt, reach, forced_only, reach_any),
        threshold,
        behind,
        need_men,
    ) = _appraise_kernel(
        s,
        _threat_args(sit),
        picture_args(sit, winner),
        posture_args(sit, outcome, winner),
        stakes_args(sit, pers.objective),
        _reach_args(sit, T),
        _threshold_args(sit, pers, winner),
        _behind_args(sit, key, T),
        needed_args(sit, need),
    )
    foe, foe_near, threat_t, ghost_here, dug, own_held, foe_any = threats
    threat_men_flat, threat_push_flat, chance, threat_men = threat_t
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
        scale=scale,
        own_held=own_held,
        foe=Group(*foe),
        foe_near=Group(*foe_near),
        chance=chance,
        threat_men=threat_men,
        threat_men_flat=threat_men_flat,
        threat_push_flat=threat_push_flat,
        chance_flat=chance.reshape(3, R * P),
        ghost_here=ghost_here,
        foe_any=foe_any,
        behind=behind,
        outcome=outcome,
        winner=winner,
        hostile=hostile,
        garrison_need=garrison_need,
        protect=protect,
        need_men=need_men,
        threshold=threshold,
        mt=mt,
        dug=dug,
        reach=reach,
        forced_only=forced_only,
        reach_any=reach_any,
        ops=picture_of(sit, pictured, pers.commander_safety),
        pos=posture_of(sit, (defend, mine, theirs, signing)),
    )


@jit.kernel
def _appraise_kernel(
    side, threat_a, picture_a, posture_a, stakes_a, reach_a, odds_a, behind_a, need_a
):
    """Return :func:`appraise`'s tables: each pass's kernel, in turn, in one call.

    Each pass's own function (:func:`_threats`, :func:`~game.ai.operations.operations`,
    :func:`~game.ai.posture.posture`, :func:`~game.ai.posture.stakes`,
    :func:`_strike_reach`, :func:`_threshold`, :func:`_behind`,
    :func:`~game.ai.posture.men_needed`) calls the same kernel with the same arguments
    (``*_a``: what each reads from the situation), the tables one pass hands the next
    wired here instead of through Python: a batch of one pays one call, not nine.
    """
    masks, ghost_men, slots, chances, thetas, places = threat_a
    owner = posture_a[0]
    R, P = owner.shape
    own_held = np.empty((R, P), np.bool_)
    for r in range(R):
        for p in range(P):
            own_held[r, p] = owner[r, p] == side
    foe, near, threat_t, ghost_here, dug = _threat_kernel(
        masks, ghost_men, slots, own_held, chances, thetas, places
    )
    foe_men = foe[0]
    foe_any = np.empty((R, P), np.bool_)
    for r in range(R):
        for p in range(P):
            foe_any[r, p] = foe_men[r, p] > 0
    forces, ghosts, where, order, scal, consts, plans = picture_a
    pictured = picture(foe_men, forces, ghosts, where, order, scal, consts, plans)
    armies, urgency = pictured[2], pictured[8]
    pos = _posture_kernel((armies[0], armies[1], armies[4]), *posture_a)
    left, worth_t, worth_s = stakes_a
    worth = _stakes_kernel(owner, (pos[1], pos[2], left), worth_t, worth_s)
    reach = _strike_reach_kernel(*reach_a)
    (margin, winner), odds_owner, odds_s = odds_a
    threshold = _threshold_kernel((margin, winner, urgency), odds_owner, odds_s)
    key, b_owner, b_side, here, able, eta, on_route, T = behind_a
    behind = _behind_kernel(key, worth, foe_any, b_owner, b_side, here, able, eta, on_route, T)
    need_men = _men_needed_kernel(*need_a)
    threats = (foe, near, threat_t, ghost_here, dug, own_held, foe_any)
    return threats, pictured, pos, worth, reach, threshold, behind, need_men


def _worth(sit: Situation, pers: Personality) -> tuple[F64, I64]:
    """Return ``[P]``: what holding each province is worth to the side, in victory points.

    Its swing in the margin, its share of the objectives, and what the named outcomes
    test there: full worth toward one's own win, half to deny the enemy one.  Also the
    key provinces :func:`_behind` reads (worth at least a winning margin).  The same
    all war for a side and a personality's ``objective``: worked out once, read-only.
    """
    scn, st = sit.scn, sit.st
    value = np.asarray(scn.value)
    objectives = np.asarray(scn.objectives[sit.side]) * 0.5 * np.maximum(value, value.mean())
    prize = pers.objective * (
        st.swing[sit.side] + objectives + st.key[sit.side] + 0.5 * st.key[sit.enemy]
    )
    key = np.flatnonzero((prize >= st.win_margin) & (st.win_margin > 0))
    for a in (prize, key):
        a.setflags(write=False)
    return prize, key


def _occupation(sit: Situation, T: float) -> tuple[B, F64, F64, F64, float]:
    """Return ``[P]`` tables of occupation: where a garrison is needed, and how much.

    Enemy homeland that rises against an occupier, the men a garrison needs there, and
    the share of the rising risk over :data:`HORIZON_TURNS` a garrison can take away.
    With them the men the side's winning outcomes need in each place (infinity where
    none; see :func:`~game.ai.posture.men_needed`) and the scale of victory points.
    The same all war: worked out once, read-only.
    """
    scn, st = sit.scn, sit.st
    hostile = (
        (np.asarray(scn.home_side) == sit.enemy)
        & (np.asarray(scn.resistance) > 0)
        & (np.asarray(scn.partisans) > 0)
    )
    hazard = scn.rules.resistance.rate * np.asarray(scn.resistance) * T / 7.0
    need = np.maximum(np.asarray(scn.garrison_needed), 1).astype(np.float64)
    protect = np.minimum(1.0, HORIZON_TURNS * hazard)
    men = st.need_men[sit.side]
    men = np.where(men > 0, men, np.inf)
    for a in (hostile, need, protect, men):
        a.setflags(write=False)
    scale = max(st.win_margin, float(np.max(st.swing[sit.side])), 1.0)
    return hostile, need, protect, men, scale


def _threats(sit: Situation, own_held: B) -> tuple[Any, ...]:
    """Return the seen enemies by place and in reach, the threats' tables, and more.

    The threats are the seen enemies in reach, the believed ones near and the lurking
    ones, in that order, each come with its chance (:data:`ATTACK_CHANCE`,
    :data:`GHOST_CHANCE`, and the lurking chance on own land).  One kernel
    (:func:`_threat_kernel`) pools the four groups and reads the three threats flat.
    """
    masks, ghost_men, slots, chances, thetas, places = _threat_args(sit)
    foe, near, tables, ghost_here, dug = _threat_kernel(
        masks, ghost_men, slots, own_held, chances, thetas, places
    )
    return Group(*foe), Group(*near), tables, ghost_here, dug


def _threat_args(sit: Situation) -> tuple[Any, ...]:
    """Return what :func:`_threat_kernel` reads besides the places the side holds."""
    c = sit.scn.rules.combat
    slots = sit.slots
    return (
        (sit.foe_at, sit.foe_reach, sit.ghost_near, sit.lurk_reach, sit.enemy_seen),
        sit.ghost_men,
        (slots.men, slots.eff, slots.surprise, slots.has_cmd, slots.rank, slots.ratings),
        (ATTACK_CHANCE, GHOST_CHANCE, 1.0 - (1.0 - LURK_CHANCE) ** LURK_TURNS),
        (float(c.theta_leadership), float(c.theta_surprise)),
        (sit.ghost_at, sit.stands, sit.obs.dug_in, sit.here),
    )


@jit.kernel
def _threat_kernel(masks, ghost_men, slots, own_held, chances, thetas, places):
    """Return :func:`_threats`: the groups, the threats flat, where ghosts stand, dug in.

    The four groups are pooled as :meth:`~game.ai.features.Situation.group` pools them
    (:func:`~game.ai.groups.pool_kernel`; the presumed enemies at their presumed men);
    the threats' men, their part of the odds against defenders without initiative
    (:func:`~game.ai.odds_table.push_of`) and their chances flat over ``3 x R x P``, for
    gathering by index (see :func:`game.ai.holding.keep_chance`); the men that may come
    at each place this turn, seen or presumed (for the reasons); where an unseen enemy
    is believed to stand; and where every own force standing there has stood a turn.
    """
    foe_at, foe_reach, ghost_near, lurk_reach, enemy_seen = masks
    men, eff, surprise, has_cmd, rank, ratings = slots
    attack, ghost, lurk = chances
    theta_l, theta_s = thetas
    ghost_at, stands, dug_in, here = places
    R, F, P = foe_at.shape
    rows = np.arange(R)
    cols = np.arange(F)
    # Only the slots seen as enemies stand in the seen enemies' masks: the others (own
    # forces, with men) are handed to the pooling as empty, which it passes over.
    seen_men = np.zeros((R, F))
    seen_cmd = np.zeros((R, F), np.bool_)
    for r in range(R):
        for f in range(F):
            if enemy_seen[r, f]:
                seen_men[r, f] = men[r, f]
                seen_cmd[r, f] = has_cmd[r, f]
    foe = pool_kernel(foe_at, rows, cols, seen_men, False, eff, surprise, seen_cmd, rank, ratings)
    near = pool_kernel(
        foe_reach, rows, cols, seen_men, False, eff, surprise, seen_cmd, rank, ratings
    )
    believed = pool_kernel(
        ghost_near, rows, cols, ghost_men, True, eff, surprise, has_cmd, rank, ratings
    )
    lurking = pool_kernel(
        lurk_reach, rows, cols, ghost_men, True, eff, surprise, has_cmd, rank, ratings
    )
    RP = R * P
    men_flat = np.empty(3 * RP)
    push_flat = np.empty(3 * RP)
    chance = np.empty((3, 1, R, P))
    threat_men = np.empty((R, P))
    for t in range(3):
        g = near if t == 0 else (believed if t == 1 else lurking)
        for r in range(R):
            for p in range(P):
                i = t * RP + r * P + p
                men_flat[i] = g[0, r, p]
                push_flat[i] = push_of(
                    g[1, r, p], g[2, r, p], g[4, r, p], g[3, r, p], 0.0, theta_l, theta_s
                )
    for r in range(R):
        for p in range(P):
            lurks = lurk if own_held[r, p] else 0.0
            chance[0, 0, r, p] = attack
            chance[1, 0, r, p] = ghost
            chance[2, 0, r, p] = lurks
            away = lurking[0, r, p] * (1.0 if lurks > 0 else 0.0)
            threat_men[r, p] = near[0, r, p] + maximum(believed[0, r, p], away)
    ghost_here = np.zeros((R, P), np.bool_)
    dug = np.ones((R, P), np.bool_)
    for r in range(R):
        for f in range(F):
            if ghost_at[r, f] >= 0:
                ghost_here[r, ghost_at[r, f]] = True
            if stands[r, f] and not dug_in[r, f] >= 1:
                dug[r, here[r, f]] = False
    return foe, near, (men_flat, push_flat, chance, threat_men), ghost_here, dug


def _threshold(sit: Situation, p: Personality, winner: I64, urgency: F64) -> F64:
    """Return the least chance of winning an attack must have, per run.

    The personality's ``min_odds``, moved by caution and aggression, and lowered when
    the stakes demand it: behind (by victory points, or by the outcome a treaty now
    would name) late in the war, or with the capital lost; then lower by
    :data:`URGENT_ODDS` times the urgency of acting before the war ends.  One kernel
    (:func:`_threshold_kernel`).
    """
    (margin, winner), owner, scal = _threshold_args(sit, p, winner)
    return _threshold_kernel((margin, winner, urgency), owner, scal)  # type: ignore[no-any-return]


def _threshold_args(sit: Situation, p: Personality, winner: I64) -> tuple[Any, ...]:
    """Return what :func:`_threshold_kernel` reads besides the urgency."""
    scn = sit.scn
    base = p.min_odds + 0.06 * (p.caution - 1.0) - 0.08 * (p.aggression - 1.0)
    late = min(max(1.5 * sit.obs.turn / max(scn.n_turns, 1), 0.0), 1.0)  # numpy's clip
    win = max(sit.st.win_margin, 1.0)
    return (
        (sit.margin, np.asarray(winner, np.int64)),
        sit.owner,
        (base, late, win, sit.enemy, sit.side, int(scn.capital[sit.side])),
    )


@jit.kernel
def _threshold_kernel(runs, owner, scal):
    """Return :func:`_threshold`, run by run, in numpy's order of operations."""
    margin, winner, urgency = runs
    base, late, win, enemy, side, cap = scal
    R = margin.size
    out = np.empty(R)
    for r in range(R):
        losing = 1.0 if winner[r] == enemy else 0.0
        behind = maximum(clip(-margin[r] / win, 0.0, 1.0), 1.0 * losing)
        lost_capital = 1.0 if owner[r, cap] != side else 0.0
        despair = maximum(behind * late, 0.5 * lost_capital)
        least = clip(base - 0.2 * despair, 0.15, 0.95)
        out[r] = clip(least - URGENT_ODDS * urgency[r], 0.15, 0.95)
    return out


def _behind(sit: Situation, key: I64, worth: F64, foe_any: B, T: float) -> F64:
    """Return ``[R, P]``: what beating the enemy in each province opens the road to.

    For each key province (worth at least a winning margin) that the other side holds,
    a seen enemy standing on the route to it from an own force is worth half of it,
    discounted by the march: an army cut off from its capital must fight its way
    through whatever stands on the road, however little that place is worth itself.
    Only forces able to move somewhere can open a road.
    """
    key, owner, side, here, able, eta, on_route, T = _behind_args(sit, key, T)
    return _behind_kernel(  # type: ignore[no-any-return]
        key, np.ascontiguousarray(worth), foe_any, owner, side, here, able, eta, on_route, T
    )


def _behind_args(sit: Situation, key: I64, T: float) -> tuple[Any, ...]:
    """Return what :func:`_behind_kernel` reads besides the worths and the enemies seen."""
    return (key, sit.owner, sit.side, sit.here, sit.able, sit.eta, np.asarray(sit.st.on_route), T)


@jit.kernel
def _behind_kernel(key, worth, foe_any, owner, side, here, able, eta, on_route, T):
    """Return :func:`_behind`'s ``[R, P]``, run by run (a maximum: any order gives it).

    Zero without key places, or where no enemy is seen.
    """
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


def _strike_reach(sit: Situation, T: float) -> tuple[B, B, B, B]:
    """Return ``[R, F, P]``: where each force may march, and where it can strike this turn.

    A force may march where the rules let it (:func:`~game.engine.orders.march_targets`),
    montoneros only on their own land and the places the war aims name
    (:func:`~game.ai.operations.own_ground`).  It can strike a province it can reach
    within the turn (at its pace or on a forced march) by a road it may take that no
    seen enemy bars; also which only by a forced march, and ``[R, F]`` whether it can
    strike anywhere.  One kernel (:func:`_strike_reach_kernel`).
    """
    return _strike_reach_kernel(*_reach_args(sit, T))  # type: ignore[no-any-return]


def _reach_args(sit: Situation, T: float) -> tuple[Any, ...]:
    """Return what :func:`_strike_reach_kernel` reads (the rules' march targets fresh)."""
    ground, narrow = once(sit.scn, f"ai_own_ground_{sit.side}", lambda: _ground(sit))
    return (
        march_targets(sit.scn, sit.obs, sit.side),
        ground,
        narrow,
        sit.able,
        sit.clear,
        sit.eta,
        sit.eta_forced,
        float(T),
    )


def _ground(sit: Situation) -> tuple[B, B]:
    """Return :func:`~game.ai.operations.own_ground`, and ``[F]`` the slots it narrows.

    Read-only: a slot that may go anywhere (a regular force) is not narrowed, nor one of
    the other side (the rules let a side march its own forces only).
    """
    ground = np.ascontiguousarray(own_ground(sit))
    narrow = ~ground.all(axis=1) & (np.asarray(sit.scn.force_side) == sit.side)
    for a in (ground, narrow):
        a.setflags(write=False)
    return ground, narrow


@jit.kernel
def _strike_reach_kernel(mt, ground, narrow, able, clear, eta, eta_forced, T):
    """Return :func:`_strike_reach`'s four tables, cell by cell.

    ``mt`` (the rules' march targets, a fresh array) is narrowed to ``ground`` in place,
    for the slots it ``narrow``s.  A force unable to take an order reaches nowhere (its
    days are infinite), so only the able are weighed.
    """
    R, F, P = mt.shape
    reach = np.zeros((R, F, P), np.bool_)
    forced = np.zeros((R, F, P), np.bool_)
    reach_any = np.zeros((R, F), np.bool_)
    for r in range(R):
        for f in range(F):
            if narrow[f]:
                for p in range(P):
                    mt[r, f, p] = mt[r, f, p] and ground[f, p]
            if not able[r, f]:
                continue
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
    return mt, reach, forced, reach_any
