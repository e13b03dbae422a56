"""The look-ahead's plan of the decisive blow: the whole army against the enemy's hold.

The plan of clearing (:mod:`game.ai.clearing`) sends a column against the weakest enemy
hold on own land; where the hold is the enemy's main army, standing in a town its
winning outcome names, no column will do: the peace gives the enemy its gain unless the
army that holds it is beaten or driven out before the signing.  A general of the period
would concentrate every man within reach and seek the battle on his own soil.  This plan
does, from the scenario's outcome rules alone: against the enemy hold on own land with
the most enemy fighting power (among those the own forces within :data:`BLOW_MARCHES`
at least match), every own force within reach that holds no conquest gathers at the last place before it on
the road from the largest of them, and attacks once the forces that can reach it this
turn outnumber the enemy there :data:`BLOW_RATIO` to one.  The look-ahead's rollouts
judge it against the other plans and play it on in the turns after.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.base import Explanation
from game.ai.clearing import enemy_power, gain_places, redrawn, spare
from game.ai.features import Situation
from game.codes import NONE, OrderKind
from game.engine.orders import Orders
from game.scenario.compile import CompiledScenario

B = npt.NDArray[np.bool_]

BLOW_MARCHES: Final = 4.0
"""Turns of marching within which an own force joins the army (judgement: about a
month, what a general could gather before a treaty a few weeks off)."""

BLOW_RATIO: Final = 1.5
"""Own fighting power that must be able to strike this turn, per unit of the enemy's
estimated power there, before the army attacks rather than gathers (judgement: the
resolver's numbers count for little in a battle, so a blow is only sure at a clear
superiority; the rollouts judge whether it is worth it)."""


def blow(sit: Situation, base: Orders) -> tuple[Orders, B]:
    """Return ``base`` with the army sent against the enemy's strongest hold on own land.

    Returns the orders and ``[R]`` the runs in which any order changed.  Per run, the
    target is the enemy-held own province the enemy's gains rest on (see
    :func:`~game.ai.clearing.gain_places`) with the most enemy power, among those the
    own forces within :data:`BLOW_MARCHES` at least match.  Every own force within
    reach by a road clear of seen enemies goes (a force whose road runs through an
    enemy would fight it there alone), heads of state too (this is the battle that decides the peace), but
    those that hold a conquest (:func:`~game.ai.clearing.spare`).  If
    those that can reach it this turn by a clear road have :data:`BLOW_RATIO` times
    its power, they attack and the rest march on it; otherwise all gather at the last
    place before it on the road from the largest of them.
    """
    return strike(sit, base, gain_places(sit) > 0)


def strike(
    sit: Situation,
    base: Orders,
    aims: B,
    may: B | None = None,
    marches: float = BLOW_MARCHES,
) -> tuple[Orders, B]:
    """Return ``base`` with the army gathered and sent against the strongest of ``aims``.

    ``aims`` is ``[R, P]``: the places worth a blow; ``may`` ``[R, F]`` the forces free
    to go (default :func:`~game.ai.clearing.spare`), from within ``marches`` turns by
    a road clear of seen enemies.  Against the place with the most enemy power, among those the forces within reach at
    least match, as :func:`blow` says.
    """
    scn = sit.scn
    R, F = sit.runs, scn.F
    rows = np.arange(R)
    cols = np.arange(F)[None, :]
    foe = enemy_power(sit)
    may = spare(sit) if may is None else may
    power = np.where(may, sit.men * sit.eff, 0.0)
    near = may[:, :, None] & (sit.eta <= marches * scn.turn_days) & sit.clear  # [R, F, P]
    within = np.einsum("rfp,rf->rp", near, power)
    ok = aims & (foe > 0) & (within >= foe)
    target = np.argmax(np.where(ok, foe, -1.0), axis=1)
    go = ok[rows, target]
    out = base.copy()
    if not go.any():
        return out, go
    army = near[rows, :, target] & go[:, None]  # [R, F]
    eta = sit.eta[rows[:, None], cols, target[:, None]]
    road = sit.clear[rows[:, None], cols, target[:, None]]
    here = sit.here == target[:, None]
    now = army & (((eta <= scn.turn_days) & road) | here)
    blow = (power * now).sum(axis=1) >= BLOW_RATIO * foe[rows, target]
    core = np.argmax(np.where(army, power, -1.0), axis=1)
    stage = np.asarray(sit.st.stage)[sit.here[rows, core], target].astype(np.int64)
    stage = np.where(stage >= 0, stage, target)
    attack = blow[:, None] & army
    at_stage = sit.stands & (sit.here == stage[:, None])
    kind = np.where(
        attack,
        np.where(now, OrderKind.ATTACK, OrderKind.MARCH),
        np.where(at_stage, OrderKind.HOLD, OrderKind.MARCH),
    )
    dest = np.where(attack, target[:, None], np.where(at_stage, NONE, stage[:, None]))
    out.kind = np.where(army, kind, out.kind).astype(out.kind.dtype)
    out.target = np.where(army, dest, out.target).astype(out.target.dtype)
    changed = ((out.kind != base.kind) | (out.target != base.target)).any(axis=1)
    return out, changed


def explain_blow(
    scn: CompiledScenario, base: Orders, struck: Orders, reasons: list[Explanation]
) -> list[Explanation]:
    """Return ``reasons`` with the army of the plan of the blow saying where it goes, and why."""
    return explain_army(
        scn,
        base,
        struck,
        reasons,
        hold="the army gathers here for the blow",
        attack="the enemy's army there holds what its gain at the peace rests on",
        march="the army gathers for the blow against the enemy's hold",
    )


def explain_army(
    scn: CompiledScenario,
    base: Orders,
    drawn: Orders,
    reasons: list[Explanation],
    *,
    hold: str,
    attack: str,
    march: str,
) -> list[Explanation]:
    """Return ``reasons`` with the forces a plan of the army sent saying what they do.

    For a batch of one.  The plans that gather the army and strike (the blow, the blow
    with every force, the decisive battle) differ only in why: ``hold``, ``attack`` and
    ``march`` say it after "hold: ", "attack PLACE with the army: " and "march on PLACE: ".
    """
    out, sent = redrawn(base, drawn, reasons)
    for f in sent:
        kind = drawn.kind[0, f]
        if kind == OrderKind.HOLD:
            out.append(Explanation(int(f), f"hold: {hold}"))
            continue
        place = scn.province_name(int(drawn.target[0, f]))
        if kind == OrderKind.ATTACK:
            text = f"attack {place} with the army: {attack}"
        else:
            text = f"march on {place}: {march}"
        out.append(Explanation(int(f), text))
    return out
