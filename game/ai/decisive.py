"""The look-ahead's plan of the decisive battle: the whole army against the enemy's army.

A side that cannot win the peace by holding towns (its gains are raided away, its will
drains while the enemy's army sits in its land) must beat the enemy's army: a general of
the 1840s gathered every man within reach and sought the one battle that decides the
campaign, on his own terms.  The plans of clearing and of the blow
(:mod:`game.ai.clearing`, :mod:`game.ai.blow`) go only for the enemy's holds on own land
that its outcomes name; this plan goes for the enemy's **main army** wherever it stands,
on either side's land: the place with the most enemy fighting power believed there, if it
holds at least :data:`~game.ai.operations.DECISIVE_SHARE` of the enemy's power in the
field (a battle against less decides nothing).  The army gathers and strikes as the blow
does (:func:`game.ai.blow.strike`: every own force within reach that holds no conquest,
heads of state too, attacking once those that can strike this turn have a clear
superiority).  The rollouts judge whether the battle is worth its risk, and the plan is
played on in the turns after (a blow needs a gathering).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.base import Explanation
from game.ai.blow import explain_army, strike
from game.ai.clearing import enemy_power, gain_places
from game.ai.features import Situation
from game.ai.operations import DECISIVE_SHARE
from game.ai.treaty import prizes
from game.engine.orders import Orders
from game.scenario.compile import CompiledScenario

B = npt.NDArray[np.bool_]

ALL_IN_MARCHES: Final = 6.0
"""Turns of marching from which the army gathers for the blow that keeps one foothold
(judgement: the six weeks of a treaty's talks, what a side can gather once it sees the
signing coming)."""


def main_army(sit: Situation) -> B:
    """Return ``[R, P]``: where the enemy's main army is believed to stand (one place a run).

    The place with the most enemy fighting power (:func:`~game.ai.clearing.enemy_power`),
    if that is at least :data:`~game.ai.operations.DECISIVE_SHARE` of all of it.
    """
    foe = enemy_power(sit)
    at = np.argmax(foe, axis=1)
    most = foe[np.arange(sit.runs), at]
    main = (most > 0) & (most >= DECISIVE_SHARE * foe.sum(axis=1))
    out = np.zeros(foe.shape, bool)
    out[np.arange(sit.runs), at] = main
    return out


def decisive(sit: Situation, base: Orders) -> tuple[Orders, B]:
    """Return ``base`` with the army gathered against the enemy's main army, and where it changed.

    See :func:`game.ai.blow.strike` for who goes and when they attack.
    """
    return strike(sit, base, main_army(sit))


def foothold_kept(sit: Situation) -> B:
    """Return ``[R, F]``: the one own force that stays to keep a gain at the peace.

    The smallest own force (of at least the men that hold a province) standing in an
    enemy town its own side's winning outcomes name (:func:`~game.ai.treaty.prizes`)
    and holds: without it the peace that follows the blow gives the side nothing.
    """
    scn = sit.scn
    rows = np.arange(sit.runs)
    held = sit.owner[rows[:, None], sit.here] == sit.side
    keeps = (
        sit.able
        & sit.own[None, :]
        & sit.stands
        & held
        & prizes(sit)[sit.here]
        & (sit.men >= float(scn.rules.control_men))
    )
    small = np.where(keeps, sit.men, np.inf)
    keeper = np.argmin(small, axis=1)
    out = np.zeros(keeps.shape, bool)
    found = np.isfinite(small[rows, keeper])
    out[rows[found], keeper[found]] = True
    return out


def all_in(sit: Situation, base: Orders) -> tuple[Orders, B]:
    """Return ``base`` with every force but one foothold sent against the enemy's hold.

    The blow of :func:`game.ai.blow.blow` against the enemy's strongest hold on own land
    that its outcomes name, from :data:`ALL_IN_MARCHES` turns away, with every force
    that can take an order but the one that keeps a gain (:func:`foothold_kept`): the
    blow leaves the other conquests, which count at the peace only if the enemy's hold
    does not.
    """
    may = sit.able & sit.own[None, :] & ~foothold_kept(sit)
    return strike(sit, base, gain_places(sit) > 0, may, ALL_IN_MARCHES)


def explain_decisive(
    scn: CompiledScenario, base: Orders, drawn: Orders, reasons: list[Explanation]
) -> list[Explanation]:
    """Return ``reasons`` with the army of the plan of the decisive battle saying what it does."""
    return explain_army(
        scn,
        base,
        drawn,
        reasons,
        hold="the army gathers here to fight the enemy's army",
        attack="the battle against the enemy's main army",
        march="the army gathers to fight the enemy's main army",
    )
