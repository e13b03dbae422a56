"""The peace pass: whether the side sues for peace this turn, and why."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal

SHORT_TALKS = 4
"""Turns of talks (quiet ones included) short enough to sue on a winning position."""


def sue(ap: Appraisal) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Return ``[R]``: runs in which the side sues for peace, and why (0, 1 or 2).

    A side whose will is spent (why 1) sues while a treaty would not yet name the enemy
    winner (status quo ante: its losses are returned) or when it is about to collapse
    anyway.  A side that a treaty signed now would name winner (why 2) sues to have one
    confirm it only when talks would end the war soon (they are short, at most
    :data:`SHORT_TALKS` turns with the quiet ones, or the war is nearly over): a lead
    must be held through every turn of talking, and long talks let it slip away.
    """
    sit, p, scn = ap.sit, ap.pers, ap.sit.scn
    spent = sit.will < p.peace_will
    lost = spent & ((ap.winner != sit.enemy) | (sit.will < 0.5 * p.peace_will))
    peace = scn.model.victory.peace
    talks = scn.talks.turns + peace.quiet_turns
    left = scn.n_turns - sit.obs.turn
    soon = (talks <= SHORT_TALKS) or (left <= talks + SHORT_TALKS)
    ahead = (ap.winner == sit.side) & soon
    closed = sit.obs.talks < 0
    why = np.where(ahead, 2, np.where(lost, 1, 0))
    return (lost | ahead) & closed & ~sit.obs.over, why
