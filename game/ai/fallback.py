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
powers (all own men standing there, at the force's effectiveness; :func:`hold_chance`).
The weighing is one kernel over runs and forces (:func:`_weak`).  Where the enemy
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
from game.ai.features import Situation
from game.ai.operations import SPHERE_MEN, before_relief
from game.ai.tables import once
from game.codes import OrderKind
from game.engine import jit

F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

FALLBACK_MARCHES: Final = 1.0
"""Marches within which an enemy force counts against a band: what can strike it before
its next order (a farther force is weighed next turn, when it is nearer)."""
FALLBACK_POWER: Final = 2.0
"""Times its own fighting power beyond which a band falls back: one in five to hold, by the
sphere's reading (:func:`hold_chance`).  A band that faces less than that stays to the
movement pass's weighing, which counts the chance the enemy comes at all."""


@jit.kernel
def hold_chance(own, foe):  # pragma: no cover - compiled
    """Return the chance own fighting power ``own`` keeps a place against ``foe``.

    The sphere's reading of two masses (:data:`~game.ai.operations.SPHERE_MEN`): even
    odds against its match, one in five against twice its power.  Of two scalars, in
    numpy's order of operations (its power of 2 is a product, as here).
    """
    ratio = foe / max(own, 1e-6)
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
    here = np.ascontiguousarray(sit.here, np.int64)
    weak, chance = _weak(
        band,
        foe_power,
        here,
        (d.proj, sit.eff, ap.worth, ap.own_held, _aims(sit), float(ap.k_lose)),
        (np.asarray(at, np.int64), ap.mt, sit.clear, sit.eta, ap.foe_any),
    )
    if not weak.any():
        return
    q = np.maximum(at, 0)
    cell = rows[:, None], here
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


def _aims(sit: Situation) -> B:
    """Return ``[P]``: the places the war aims require (once per scenario and side).

    The side's objectives, and the places either side's winning outcomes name.
    """

    def build() -> B:
        st = sit.st
        key = (st.key[sit.side] > 0) | (st.key[sit.enemy] > 0)
        return np.ascontiguousarray(key | np.asarray(sit.scn.objectives[sit.side], bool))

    return once(sit.scn, f"ai_fallback_aims_{sit.side}", build)


@jit.kernel
def _weak(band, foe_power, here, hold_t, road_t):  # pragma: no cover - compiled
    """Return ``[R, F]`` the bands of ``band`` that fall back, and each band's chance.

    A band weighs the largest power that can strike its place before relief
    (``foe_power[R, P]``) against all own men standing there at its effectiveness
    (:func:`hold_chance`); it falls back where that is below the chance against
    :data:`FALLBACK_POWER` times its power, unless its place is one the war aims require
    (``hold_t``: the men projected in each place, the effectiveness, the worth of each
    place, who holds it, the aims and the weight of own men lost), it holds it and
    holding it is worth the men; and only by an open road, marked in ``road_t`` (the
    main body's place, where each force may march, the clear roads, the days, where
    enemies are seen), to a main body no enemy stands with.  The chance is 0 where no
    enemy power can come.
    """
    proj, eff, worth, own_held, aim, k_lose = hold_t
    main_at, mt, clear, eta, foe_any = road_t
    limit = hold_chance(1.0, FALLBACK_POWER)
    R, F = band.shape
    weak = np.zeros((R, F), np.bool_)
    chance = np.zeros((R, F))
    for r in range(R):
        q = main_at[r]
        for f in range(F):
            h = here[r, f]
            foe = foe_power[r, h]
            if not (band[r, f] and foe > 0):
                continue
            c = hold_chance(proj[r, h] * eff[r, f], foe)
            chance[r, f] = c
            if not c < limit:
                continue
            worth_it = c * worth[r, h] >= (1.0 - c) * k_lose * proj[r, h]
            if aim[h] and own_held[r, h] and worth_it:
                continue
            if mt[r, f, q] and clear[r, f, q] and np.isfinite(eta[r, f, q]) and not foe_any[r, q]:
                weak[r, f] = True
    return weak, chance
