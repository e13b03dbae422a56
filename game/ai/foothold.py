"""The look-ahead's plan of the foothold: men kept in a town whose holding stalls the talks.

A scenario may let the talks advance only while a side's condition for negotiating
holds (``victory.peace.negotiate_when``), such as the enemy's evacuation of its towns;
that side signs with the other's men still in them only once its own will collapses.
So once the talks are open, a side that has no men left in those towns lets them run
on to a treaty judged on the map as it stands, however it stands: with the enemy's army
in its capital, a lost war.  Men standing in one of those towns stop the talks, and the
war goes on while the enemy's will keeps falling (its towns are held) and the side may
still take back what it lost.  The heuristic never does this on purpose (its detachments
come and go with its other aims).  This plan does, from the scenario's condition alone
(:func:`game.ai.treaty.talk_blockers`): with the talks open, a force already standing
in such a town stays, and where none does, the nearest force that can take one (at
least :data:`FOOTHOLD_RATIO` times the enemy's power believed there) marches on it.  The
look-ahead's rollouts, which play on to a treaty that is due, judge whether the treaty
coming is worse for the side than the war going on.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.base import Explanation
from game.ai.clearing import enemy_power, redrawn, send, spare
from game.ai.features import Situation
from game.ai.treaty import talk_blockers
from game.codes import OrderKind
from game.engine.orders import Orders
from game.scenario.compile import CompiledScenario

B = npt.NDArray[np.bool_]

FOOTHOLD_RATIO: Final = 1.5
"""Own fighting power a force needs, per unit of the enemy's believed there, to be sent
into a town (judgement: enough to win the skirmish for it more often than not)."""

FOOTHOLD_MARCHES: Final = 3.0
"""Turns of marching within which a force may be sent (the plan of clearing's reach)."""


def foothold(sit: Situation, base: Orders) -> tuple[Orders, B]:
    """Return ``base`` with a foothold kept or taken in a town that stalls the talks.

    Returns the orders and ``[R]`` the runs in which any order changed.  Only where the
    talks are open and the enemy has a condition for negotiating that own men in some
    places keep failing.  A run with own men (at least the scenario's ``control_men``)
    standing in such a place keeps the smallest force that does there; any other sends
    the force (not a head of state's) that reaches such a place soonest among those at
    least :data:`FOOTHOLD_RATIO` times the enemy's believed power there, within
    :data:`FOOTHOLD_MARCHES` turns.
    """
    scn = sit.scn
    R, F = sit.runs, scn.F
    rows = np.arange(R)
    out = base.copy()
    places = talk_blockers(scn, sit.enemy)  # where own men stall the enemy's condition
    talking = (np.asarray(sit.obs.talks) >= 0) & ~np.asarray(sit.obs.over)
    if not places.any() or not talking.any():
        return out, np.zeros(R, bool)
    floor = float(scn.rules.control_men)
    big = sit.able & sit.own[None, :] & (sit.men >= floor)
    # Forces already standing in such a place: keep the smallest that holds it.
    standing = big & sit.stands & places[sit.here]
    small = np.where(standing, sit.men, np.inf)
    keeper = np.argmin(small, axis=1)
    kept = talking & np.isfinite(small[rows, keeper])
    out.kind[rows[kept], keeper[kept]] = OrderKind.HOLD
    out.target[rows[kept], keeper[kept]] = sit.here[rows[kept], keeper[kept]]
    # Elsewhere, the force that reaches such a place soonest, strong enough for it.
    need = FOOTHOLD_RATIO * enemy_power(sit)  # [R, P]
    power = sit.men * sit.eff  # [R, F]
    movable = spare(sit) & (sit.men >= floor) & ~sit.head
    fit = (
        movable[:, :, None]
        & places[None, None, :]
        & (power[:, :, None] >= need[:, None, :])
        & (sit.eta <= FOOTHOLD_MARCHES * scn.turn_days)
    )
    eta = np.where(fit, sit.eta, np.inf).reshape(R, -1)
    best = np.argmin(eta, axis=1)
    go = talking & ~kept & np.isfinite(eta[rows, best])
    f, p = best // scn.P, best % scn.P
    sent = np.zeros((R, F), bool)
    sent[rows[go], f[go]] = True
    send(sit, out, sent, p)
    changed = ((out.kind != base.kind) | (out.target != base.target)).any(axis=1)
    return out, changed


def explain_foothold(
    scn: CompiledScenario, base: Orders, drawn: Orders, reasons: list[Explanation]
) -> list[Explanation]:
    """Return ``reasons`` with the foothold's force saying where it goes, and why."""
    out, moved = redrawn(base, drawn, reasons)
    for f in moved:
        place = scn.province_name(int(drawn.target[0, f]))
        kind = drawn.kind[0, f]
        verb = (
            "hold"
            if kind == OrderKind.HOLD
            else "attack"
            if kind == OrderKind.ATTACK
            else "march on"
        )
        text = f"{verb} {place}: men there keep the talks from moving to a treaty"
        out.append(Explanation(int(f), text))
    return out
