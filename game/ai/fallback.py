"""Bands that cannot resist what is coming fall back to the main body before it comes.

Most of the small battles the heuristic fought were garrisons and columns attacked where
they stood: a few hundred men left in a town with an enemy column of twice their
strength a march away, beaten there, and the town lost all the same.  A general of the
1840s drew such a detachment in before the enemy arrived, unless the place was one his
war aims required him to hold and the fight was worth the men.

:func:`fall_back` does that, after the contact pass and before the movement pass.  A free
regular force standing away from the own main body
(:attr:`~game.ai.operations.Operations.main_at`) whose province the enemy can strike
this turn before the main body can come (the largest power of enemy forces seen in one
province within :data:`FALLBACK_MARCHES` and no farther than the main body,
:func:`~game.ai.operations.before_relief`) weighs its chance of holding as the movement
pass weighs a band's chance of keeping a conquest: the sphere's logistic in
:data:`~game.ai.operations.SPHERE_MEN` times the log of the ratio of the two fighting
powers (all own men standing there, at the force's effectiveness).  Where the enemy
has more than :data:`FALLBACK_POWER` times its power, the force marches to the main body,
if the road there is open and no enemy stands there.  It stays where the place is one
the war aims require (the side's objectives, or a place either side's winning outcomes
name) and what holding it is worth at that chance outweighs the men it would lose.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.ai.explain import Reason
from game.ai.operations import SPHERE_MEN, before_relief
from game.codes import OrderKind

F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

FALLBACK_MARCHES: Final = 1.0
"""Marches within which an enemy force counts against a band: what can strike it before
its next order (a farther force is weighed next turn, when it is nearer)."""
FALLBACK_POWER: Final = 2.0
"""Times its own fighting power beyond which a band falls back: one in five to hold, by the
sphere's reading (:func:`hold_chance`).  A band that faces less than that stays to the
movement pass's weighing, which counts the chance the enemy comes at all."""


def hold_chance(own: F64, foe: F64) -> F64:
    """Return the chance own fighting power ``own`` keeps a place against ``foe``.

    The sphere's reading of two masses (:data:`~game.ai.operations.SPHERE_MEN`): even
    odds against its match, one in five against twice its power.
    """
    ratio = foe / np.maximum(own, 1e-6)
    return 1.0 / (1.0 + ratio**SPHERE_MEN)


def fall_back(ap: Appraisal, d: Draft) -> None:
    """March the free bands that cannot resist what can strike them to the main body."""
    sit, ops = ap.sit, ap.ops
    rows = ap.rows
    at = ops.main_at
    band = d.free & sit.stands & ops.regular[None, :] & ~ops.chief & (sit.men > 0)
    band &= (at[:, None] >= 0) & (sit.here != at[:, None])
    if not band.any():
        return
    foe_power, src = before_relief(sit, at, FALLBACK_MARCHES, seen=True)
    here = sit.here
    cell = rows[:, None], here
    foe = foe_power[cell]  # [R, F]
    band &= foe > 0
    if not band.any():
        return
    own = d.proj[cell] * sit.eff
    chance = hold_chance(own, foe)
    weak = band & (chance < hold_chance(np.ones(1), np.full(1, FALLBACK_POWER))[0])
    # A place the war aims require is held where holding it is worth the men: the side's
    # objectives, and the places either side's winning outcomes name.
    st = sit.st
    aim = (
        (st.key[sit.side] > 0)
        | (st.key[sit.enemy] > 0)
        | np.asarray(sit.scn.objectives[sit.side], bool)
    )
    worth_it = chance * ap.worth[cell] >= (1.0 - chance) * ap.k_lose * d.proj[cell]
    weak &= ~(aim[here] & ap.own_held[cell] & worth_it)
    q = np.maximum(at, 0)
    weak &= ap.mt[rows, :, q] & sit.clear[rows, :, q] & np.isfinite(sit.eta[rows, :, q])
    weak &= ~ap.foe_any[rows, q][:, None]
    if not weak.any():
        return
    men_there = d.proj[cell]
    dest = np.ascontiguousarray(np.broadcast_to(q[:, None], weak.shape))
    d.assign(weak, OrderKind.MARCH, dest)
    d.move_men(weak, dest)
    if d.notes.recording:
        came = np.maximum(src[cell], 0)
        d.notes.set(
            weak,
            Reason.FALL_BACK,
            place=dest,
            other=here,
            p_win=chance,
            foe=ops.foe_mass[rows[:, None], came],
            men=men_there,
        )
