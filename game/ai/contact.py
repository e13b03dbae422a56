"""The contact pass: forces sharing a province with the enemy stand or fall back.

A free force in a province where enemies are seen (and that did not attack) stands if
its side's odds of holding there are fair (of defending its own province, or of the
fight it would have to make in the enemy's), and otherwise retreats toward its own side.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft, pick
from game.ai.explain import Reason
from game.ai.features import defender_posture
from game.ai.groups import Group
from game.codes import NONE, OrderKind, Posture
from game.engine import jit
from game.engine.orders import retreat_targets

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

CHIEF_MARGIN = 0.15
"""Extra chance of holding a head of state's force needs to stand in contact (times the
side's :attr:`~game.ai.operations.Operations.chief_care`)."""


def contact(ap: Appraisal, d: Draft) -> None:
    """Stand or fall back where free forces share a province with the enemy.

    The odds of holding are looked up only where such a force stands, against the own
    free men standing with it (:func:`_touching`); whether it stands is
    :func:`_stands`'s to say.
    """
    sit = ap.sit
    if not ap.foe_any.any():
        return  # no enemy seen anywhere: nobody is in contact
    touching, r, f, ours = _touching(
        d.free, sit.stands, np.ascontiguousarray(sit.here, np.int64), ap.foe_any, sit.mine_at
    )
    if r.size == 0:
        return
    q = sit.here[r, f]
    we_hold = ap.own_held
    post = defender_posture(sit, we_hold, ap.dug)
    foe = pick(ap.foe, r, q)
    g = sit.group_of(ours, r)
    mine = Group(*(getattr(g, k)[:, 0] for k in Group.__dataclass_fields__))
    o_def = sit.battle(foe, mine, post[r, q], ("p_win",), q)
    o_att = sit.battle(mine, foe, Posture.HASTY, ("p_win",), q)
    hold, stay, leave = _stands(
        (r, f, we_hold[r, q], o_def.p_win, o_att.p_win),
        touching,
        ap.threshold,
        (ap.ops.chief, CHIEF_MARGIN * ap.ops.chief_care),
    )
    loc = sit.here
    at = ap.rows[:, None], loc
    kind = np.where(we_hold[at], OrderKind.HOLD, OrderKind.ATTACK)
    d.assign(stay, kind, np.where(we_hold[at], NONE, loc))
    if d.notes.recording:
        men = np.zeros((ap.R, ap.F))
        men[r, f] = mine.men
        d.notes.set(stay, Reason.DEFEND, place=loc, p_win=hold, foe=ap.foe.men[at], men=men)
    if leave.any():
        fall_back(ap, d, leave, hold, Reason.RETREAT)


@jit.kernel
def _touching(free, stands, here, foe_any, mine_at):  # pragma: no cover - compiled
    """Return the free standing forces in a place where enemies are seen, and who is with them.

    ``[R, F]`` those forces, the runs and slots of each (in the order of ``np.nonzero``),
    and ``[n, F]`` for each the own free forces standing in its place (itself among
    them): the men whose odds of holding there are weighed.
    """
    R, F = free.shape
    touching = np.zeros((R, F), np.bool_)
    n = 0
    for r in range(R):
        for f in range(F):
            if free[r, f] and stands[r, f] and foe_any[r, here[r, f]]:
                touching[r, f] = True
                n += 1
    rows = np.empty(n, np.int64)
    cols = np.empty(n, np.int64)
    ours = np.zeros((n, F), np.bool_)
    k = 0
    for r in range(R):
        for f in range(F):
            if touching[r, f]:
                rows[k] = r
                cols[k] = f
                q = here[r, f]
                for g in range(F):
                    ours[k, g] = mine_at[r, g, q] and free[r, g]
                k += 1
    return touching, rows, cols, ours


@jit.kernel
def _stands(pairs, touching, threshold, chief_t):  # pragma: no cover - compiled
    """Return ``[R, F]`` each touching force's chance of holding, and whether it stands or leaves.

    ``pairs``: the runs and slots of the forces, whether the side holds their place, and
    the odds of the enemy's attack there and of their own.  The chance of holding is
    that of beating off the enemy's attack in a place of the side's own, otherwise that
    of winning the fight in the enemy's; a force stands if it reaches the side's
    threshold less 0.15 (within 0.1 and 0.9), and a head of state's force only with the
    margin ``chief_t`` gives on top (the chiefs and the margin).
    """
    rows, cols, held, p_def, p_att = pairs
    chief, margin = chief_t
    R, F = touching.shape
    hold = np.zeros((R, F), np.float32)
    for k in range(rows.size):
        hold[rows[k], cols[k]] = np.float32(1.0) - p_def[k] if held[k] else p_att[k]
    stay = np.zeros((R, F), np.bool_)
    leave = np.zeros((R, F), np.bool_)
    for r in range(R):
        need = threshold[r] - 0.15
        if need < 0.1:
            need = 0.1
        elif need > 0.9:
            need = 0.9
        for f in range(F):
            if not touching[r, f]:
                continue
            least = need + (margin if chief[r, f] else 0.0)
            if hold[r, f] >= least:
                stay[r, f] = True
            else:
                leave[r, f] = True
    return hold, stay, leave


def _on_rows(values: npt.NDArray[np.generic], r: I64, f: I64, shape: tuple[int, int]) -> F64:
    """Return ``values`` (one per (run, force) pair) on an ``[R, F]`` grid, zero elsewhere."""
    out = np.zeros(shape, values.dtype)
    out[r, f] = values
    return out


def fall_back(ap: Appraisal, d: Draft, mask: B, hold: F64, reason: Reason) -> None:
    """Send the forces of ``mask`` to the safest neighbouring province they can reach.

    A province of their own side's nearest the capital and where more of their men will
    stand; failing that, any neighbour free of the enemy.  Worked out for the forces of
    ``mask`` only (a handful in a big batch).
    """
    sit, scn = ap.sit, ap.sit.scn
    r, f = np.nonzero(mask)
    shape = (ap.R, ap.F)
    rt = retreat_targets(scn, sit.obs, sit.side)[r, f] & ~ap.foe_any[r]  # [n, P]
    cap = int(scn.capital[sit.side])
    home_days = np.asarray(scn.dist_days)[:, cap]
    # Scaled by the run's own largest force: a run's choice never depends on its batch.
    crowd = d.proj[r] / np.maximum(sit.men.max(axis=1), 1.0)[r, None]
    score = np.where(rt, -home_days[None, :] / 100.0 + crowd, -np.inf)
    n = np.arange(r.size)
    best_p = np.argmax(score, axis=1)
    best = _on_rows(best_p.astype(np.int64), r, f, shape)
    can = _on_rows(rt[n, best_p], r, f, shape)
    go = mask & can
    d.assign(go, OrderKind.RETREAT, best)
    d.move_men(go, best)
    foe_here = ap.foe.men[ap.rows[:, None], sit.here]
    d.notes.set(go, reason, place=best, other=sit.here, p_win=hold, foe=foe_here)
    # No province of ours to retreat to: march to any neighbour free of the enemy.
    links = np.isfinite(np.asarray(scn.link_days))[sit.here[r, f]]  # [n, P]
    away = links & ap.mt[r, f] & ~ap.foe_any[r]
    score = np.where(away, -home_days[None, :] / 100.0, -np.inf)
    alt_p = np.argmax(score, axis=1)
    alt = _on_rows(alt_p.astype(np.int64), r, f, shape)
    can2 = _on_rows(away[n, alt_p], r, f, shape)
    go2 = mask & ~can & can2
    d.assign(go2, OrderKind.MARCH, alt)
    d.move_men(go2, alt)
    d.notes.set(go2, reason, place=alt, other=sit.here, p_win=hold, foe=foe_here)
