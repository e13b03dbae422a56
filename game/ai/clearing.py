"""The look-ahead's plan of clearing: a column sent against the enemy's last hold on its land.

A peace of exchange ("both sides keep gains") is what a side gets when the treaty finds
the enemy still standing in a province of its own that the enemy's winning outcomes name,
however much it holds of the enemy's: often a detachment of a few hundred men left in a
town while both main armies are elsewhere.  The heuristic's plans, under any
personality, rarely send the column that would throw it out (a battle for one town does
not decide the war, and the town is worth no more to it than any other).  This plan
does, from the scenario's outcome rules alone: it takes the heuristic's orders and sends
the nearest own forces, enough of them to outnumber the detachment
:data:`CLEAR_RATIO` to one, against the weakest enemy hold on own land that an enemy
winning outcome names.  The look-ahead's rollouts then judge it against the other plans,
and play it on in the turns after (a column needs more than one march).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai import army_kernels
from game.ai.base import Explanation
from game.ai.features import Situation
from game.ai.tables import once
from game.ai.treaty import gain_towns
from game.codes import OrderKind
from game.engine.orders import Orders
from game.scenario.compile import CompiledScenario
from game.scenario.schema import Condition

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

CLEAR_RATIO: Final = 2.0
"""Own fighting power sent against a detachment, per unit of its estimated power, when
that much is within reach (judgement: two to one makes the attacker's win likely in the
resolver's odds); with less, all within reach go if they at least match it."""

CLEAR_MARCHES: Final = 3.0
"""Turns of marching within which an own force may join the column."""


def gain_places(sit: Situation) -> F64:
    """Return ``[R, P]``: how much the enemy's gains rest on each own province it holds.

    2 for a province the enemy's winning outcomes name, 1 for one that only counts in
    its victory-point margin (when an enemy outcome is won by a margin), else 0.
    """
    scn = sit.scn
    home = np.asarray(scn.home_side) == sit.side
    named = gain_towns(sit)
    by_margin = any(
        o.winner == scn.side_ids[sit.enemy] and _counts_margin(o.when) for o in scn.outcomes
    )
    worth = np.where(named, 2.0, np.where(by_margin & (np.asarray(scn.value) > 0), 1.0, 0.0))
    return np.where((sit.owner == sit.enemy) & home[None, :], worth[None, :], 0.0)


def _counts_margin(cond: Condition | None) -> bool:
    """Return whether a (not negated) condition tests a victory-point margin."""
    if cond is None:
        return False
    if cond.vp_margin is not None:
        return True
    return any(_counts_margin(c) for c in (cond.all or []) + (cond.any or []))


def enemy_power(sit: Situation) -> F64:
    """Return ``[R, P]``: the enemy's fighting power believed standing in each province.

    Seen forces at their estimated strength and effectiveness; forces not seen at the
    place they are presumed to be (at their presumed strength and the mean effectiveness
    of the enemy's slots); an enemy-held province nobody watches at least the men a
    province needs to be held.  One kernel (:func:`game.ai.army_kernels.power`).
    """
    mean_eff = mean_enemy_eff(sit)
    unseen = ~sit.watched & (sit.owner == sit.enemy)
    return army_kernels.power(  # type: ignore[no-any-return]
        sit.foe_at,
        sit.enemy_seen,
        sit.men,
        sit.eff,
        sit.ghost_at,
        sit.ghost_men,
        mean_eff,
        unseen,
        float(sit.scn.rules.control_men) * mean_eff,
        True,
    )


def mean_enemy_eff(sit: Situation) -> float:
    """Return the mean per-man effectiveness of the enemy's slots (1 if it has none), once."""
    return once(sit.scn, f"ai_enemy_mean_eff_{sit.side}", lambda: _mean_eff(sit))


def _mean_eff(sit: Situation) -> float:
    """Return the mean per-man effectiveness of the enemy's slots (1 if it has none)."""
    return float(np.mean(sit.st.base_eff[~sit.own])) if (~sit.own).any() else 1.0


def clearing(sit: Situation, base: Orders) -> tuple[Orders, B]:
    """Return ``base`` with a column sent to clear the weakest enemy hold on own land.

    Returns the orders and ``[R]`` the runs in which any order changed.  Per run, the
    target is the enemy-held own province named by the enemy's winning outcomes (see
    :func:`gain_places`; named places first) with the least enemy power there, among
    those the own forces within :data:`CLEAR_MARCHES` by a road clear of seen enemies
    at least match; the nearest such forces go (heads of state last) until they
    outnumber it :data:`CLEAR_RATIO` to one, or all of them.  Those that can reach it
    this turn attack; the others march on it.
    """
    return _clear(sit, base, holds=1, spare=sit.able & sit.own[None, :])


def clearing_all(sit: Situation, base: Orders) -> tuple[Orders, B]:
    """Return ``base`` with a column sent against every enemy hold on own land it can clear.

    As :func:`clearing`, hold after hold in the same order (the weakest of the named
    places first), each column made of the forces no earlier column took: a peace of
    exchange rests on every hold the enemy keeps at the signing, so clearing one of
    two changes nothing.  Forces that hold a conquest stay (see :func:`spare`).
    """
    return _clear(sit, base, holds=sit.scn.P, spare=spare(sit))


def spare(sit: Situation) -> B:
    """Return ``[R, F]``: own forces free to leave for a blow on own land.

    Those that can take an order, less those standing in a province of the enemy's that
    their side holds: a conquest is a gain at the peace only while men stand in it (an
    enemy town its occupier has marched out of goes back at the signing).
    """
    scn = sit.scn
    r = np.arange(sit.runs)[:, None]
    enemy_home = (np.asarray(scn.home_side) == sit.enemy)[sit.here]
    held = sit.owner[r, sit.here] == sit.side
    return sit.able & sit.own[None, :] & ~(sit.stands & enemy_home & held)


def _clear(sit: Situation, base: Orders, holds: int, spare: B) -> tuple[Orders, B]:
    """Return ``base`` with columns of ``spare`` forces sent against up to ``holds`` holds."""
    scn = sit.scn
    R = sit.runs
    rows = np.arange(R)
    days = CLEAR_MARCHES * scn.turn_days
    foe = enemy_power(sit)
    worth = gain_places(sit)
    free = spare.copy()  # [R, F]
    power = np.where(free, sit.men * sit.eff, 0.0)  # [R, F]
    # Only by a road clear of the enemy: a column that marches through the enemy's army on
    # its way to a weaker hold fights it there, alone.
    reach = (sit.eta <= days) & sit.clear  # [R, F, P]
    hold = (worth > 0) & (foe > 0)
    # The places the outcomes name first, then the weakest hold.
    rank = np.where(hold, foe - worth * (1.0 + foe.max(initial=0.0)), np.inf)
    out = base.copy()
    for _ in range(holds):
        near = free[:, :, None] & reach
        within = np.einsum("rfp,rf->rp", near, power)
        ok = np.isfinite(rank) & (within >= foe)
        target = np.argmin(np.where(ok, rank, np.inf), axis=1)
        go = ok[rows, target]
        if not go.any():
            break
        sent = _column(sit, near, power, target, go, CLEAR_RATIO * foe[rows, target])
        send(sit, out, sent, target)
        free &= ~sent
        rank[rows[go], target[go]] = np.inf
    changed = ((out.kind != base.kind) | (out.target != base.target)).any(axis=1)
    return out, changed


def _column(sit: Situation, near: B, power: F64, target: I64, go: B, need: F64) -> B:
    """Return ``[R, F]``: the nearest forces (heads of state last) until ``need`` is met."""
    R, F = sit.runs, sit.scn.F
    rows = np.arange(R)
    eta = sit.eta[rows[:, None], np.arange(F)[None, :], target[:, None]]  # [R, F]
    rank = np.where(near[rows, :, target] & go[:, None], eta + np.where(sit.head, 1e6, 0.0), np.inf)
    order = np.argsort(rank, axis=1, kind="stable")
    sent = np.zeros((R, F), bool)
    gathered = np.zeros(R)
    for k in range(F):
        f = order[:, k]
        more = np.isfinite(rank[rows, f]) & (gathered < need)
        if not more.any():
            break
        sent[rows[more], f[more]] = True
        gathered[more] += power[rows[more], f[more]]
    return sent


def send(sit: Situation, out: Orders, sent: B, target: I64) -> None:
    """Order the column ``sent`` on ``target``: attack if it reaches it this turn, else march."""
    scn = sit.scn
    rows, cols = np.arange(sit.runs)[:, None], np.arange(scn.F)[None, :]
    eta = sit.eta[rows, cols, target[:, None]]
    now = sent & (eta <= scn.turn_days) & sit.clear[rows, cols, target[:, None]]
    here = sit.here == target[:, None]
    kind = np.where(now | here, OrderKind.ATTACK, OrderKind.MARCH)
    out.kind = np.where(sent, kind, out.kind).astype(out.kind.dtype)
    out.target = np.where(sent, target[:, None], out.target).astype(out.target.dtype)


def redrawn(
    base: Orders, drawn: Orders, reasons: list[Explanation]
) -> tuple[list[Explanation], I64]:
    """Return the reasons of the forces a plan leaves as ``base`` had them, and the others.

    For a batch of one: the explanations of the forces whose orders the plan drawn over
    ``base`` did not change, and the indices of the forces whose orders it did.
    """
    sent = (drawn.kind[0] != base.kind[0]) | (drawn.target[0] != base.target[0])
    return [e for e in reasons if e.force < 0 or not sent[e.force]], np.flatnonzero(sent)


def explain_clearing(
    scn: CompiledScenario, base: Orders, cleared: Orders, reasons: list[Explanation]
) -> list[Explanation]:
    """Return ``reasons`` with the column of the clearing plan saying where it goes, and why."""
    out, sent = redrawn(base, cleared, reasons)
    for f in sent:
        place = scn.province_name(int(cleared.target[0, f]))
        verb = "attack" if cleared.kind[0, f] == OrderKind.ATTACK else "march on"
        text = f"{verb} {place}: the enemy's hold there is what its gain at the peace rests on"
        out.append(Explanation(int(f), text))
    return out
