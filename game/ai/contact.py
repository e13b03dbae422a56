"""The contact pass: forces sharing a province with the enemy stand or fall back.

A free force in a province where enemies are seen (and that did not attack) stands if
its side's odds of holding there are fair (of defending its own province, or of the
fight it would have to make in the enemy's), and otherwise retreats toward its own side.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft, pick, spread
from game.ai.explain import Reason
from game.ai.features import defender_posture
from game.codes import NONE, OrderKind, Posture
from game.engine.orders import retreat_targets

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

CHIEF_MARGIN = 0.15
"""Extra chance of holding a head of state's force needs to stand in contact (times the
side's :attr:`~game.ai.operations.Operations.chief_care`)."""


def contact(ap: Appraisal, d: Draft) -> None:
    """Stand or fall back where free forces share a province with the enemy.

    The odds of holding are looked up only where such a force stands.
    """
    sit = ap.sit
    if not ap.foe_any.any():
        return  # no enemy seen anywhere: nobody is in contact
    loc = sit.here
    touching = d.free & sit.stands & ap.foe_any[ap.rows[:, None], loc]
    if not touching.any():
        return
    # Own men in each place, pooled only in the runs where a force touches the enemy.
    rt = np.flatnonzero(touching.any(axis=1))
    ours = sit.group(sit.mine_at[rt] & d.free[rt, :, None], rows=rt)
    we_hold = ap.own_held
    post = defender_posture(sit, we_hold, ap.dug)
    r, f = np.nonzero(touching)
    q = loc[r, f]
    foe, mine = pick(ap.foe, r, q), pick(ours, np.searchsorted(rt, r), q)
    o_def = sit.battle(foe, mine, post[r, q], ("p_win",), q)
    o_att = sit.battle(mine, foe, Posture.HASTY, ("p_win",), q)
    hold = np.zeros((ap.R, ap.F), np.float32)
    hold[r, f] = np.where(we_hold[r, q], 1.0 - o_def.p_win, o_att.p_win)
    need = np.clip(ap.threshold - 0.15, 0.1, 0.9)[:, None]
    # A head of state stands only on better odds (he is not risked but to decide the war).
    need = need + np.where(ap.ops.chief, CHIEF_MARGIN * ap.ops.chief_care, 0.0)
    at = ap.rows[:, None], loc
    stay = touching & (hold >= need)
    kind = np.where(we_hold[at], OrderKind.HOLD, OrderKind.ATTACK)
    d.assign(stay, kind, np.where(we_hold[at], NONE, loc))
    d.notes.set(
        stay,
        Reason.DEFEND,
        place=loc,
        p_win=hold,
        foe=ap.foe.men[at],
        men=spread(ours.men, rt, ap.R)[at],
    )
    leave = touching & ~(hold >= need)
    if leave.any():
        fall_back(ap, d, leave, hold, Reason.RETREAT)


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
