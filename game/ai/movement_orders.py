"""The movement pass's orders: a force stays or marches, and says why.

:mod:`game.ai.movement` weighs the options; these functions give the chosen order to
one force in the runs where it chose it, move its men in the projection, and (when
reasons are recorded) name the part of the option's value that decided it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.ai.explain import Reason
from game.codes import NONE, OrderKind

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def _column(ap: Appraisal, f: int) -> B:
    """Return ``[R, F]``: true in force ``f``'s column."""
    col = np.zeros((ap.R, ap.F), bool)
    col[:, f] = True
    return col


def stay(
    ap: Appraisal,
    d: Draft,
    f: int,
    rest: B,
    values: tuple[F64, F64, F64, F64, F64],
    hold: F64,
    gtarget: I64,
    gwin: F64,
    men: F64,
) -> None:
    """Keep force ``f`` where it stands in the runs of ``rest``, saying why.

    ``values`` are what staying is worth for each reason: garrisoning, keeping the men
    an outcome needs, covering, gathering for a strike, and being with the main body.
    """
    if not rest.any():
        return
    v_gar, v_keep, v_cov, v_gs, v_js = values
    here = ap.sit.here[:, f]
    eps = 1e-3 * ap.scale  # below this a reason is rounding, not a reason
    keep = rest & (v_keep > eps) & (v_keep >= v_gar) & (v_keep >= v_cov) & (v_keep >= v_gs)
    garrison = rest & ~keep & (v_gar > eps) & (v_gar >= v_cov) & (v_gar >= v_gs)
    d.kind[:, f] = np.where(
        garrison, OrderKind.GARRISON, np.where(rest, OrderKind.HOLD, d.kind[:, f])
    )
    d.target[rest, f] = NONE
    d.free[rest, f] = False
    if not d.notes.recording:  # the rest only says why (rollouts need no reasons)
        return
    cover = rest & ~keep & ~garrison & (v_cov > eps) & (v_cov >= v_gs) & (v_cov >= v_js)
    gather = rest & ~keep & ~garrison & ~cover & (v_gs > eps) & (v_gs >= v_js)
    join = rest & ~keep & ~garrison & ~cover & ~gather & (v_js > eps)
    idle = rest & ~keep & ~garrison & ~cover & ~gather & ~join
    col = _column(ap, f)
    why = (garrison, keep, cover, gather, idle)
    _note_stay(ap, d, col, why, here, hold, gtarget, gwin, men)
    _note_concentrate(ap, d, col & join[:, None], here)


def _note_stay(
    ap: Appraisal,
    d: Draft,
    col: B,
    why: tuple[B, B, B, B, B],
    here: I64,
    hold: F64,
    gtarget: I64,
    gwin: F64,
    men: F64,
) -> None:
    """Record why a force stays: garrison, keep, cover, gather or nothing better."""
    garrison, keep, cover, gather, idle = why
    rows = ap.rows
    foe_here = ap.threat_men[rows, here]
    h = here[:, None]
    d.notes.set(col & garrison[:, None], Reason.GARRISON, place=h, men=men[:, None])
    d.notes.set(
        col & keep[:, None],
        Reason.KEEP,
        place=h,
        men=d.proj[rows, here][:, None],
        value=ap.need_men[rows, here][:, None],
    )
    d.notes.set(
        col & cover[:, None], Reason.COVER, place=h, p_win=hold[:, None], foe=foe_here[:, None]
    )
    d.notes.set(
        col & gather[:, None],
        Reason.GATHER,
        place=h,
        other=gtarget[:, None],
        p_win=gwin[:, None],
        men=d.proj[rows, here][:, None],
    )
    d.notes.set(col & idle[:, None], Reason.HOLD, place=h)


def _note_concentrate(ap: Appraisal, d: Draft, mask: B, place: I64) -> None:
    """Record that the forces of ``mask`` concentrate with the main body at ``place[R]``.

    With the enemy's main army, its leader and how many marches it is from there, and
    whether the side stands on the defensive (:mod:`game.ai.posture`).
    """
    ops = ap.ops
    fastest = ap.sit.st.route_days.min(axis=0)  # [P, P] at the fastest pace
    days = fastest[np.maximum(ops.foe_main_at, 0), place]
    marches = np.where(ops.foe_main_at >= 0, np.ceil(days / ap.T), np.nan)
    for reason, when in ((Reason.CONCENTRATE, ~ap.pos.defend), (Reason.DEFENSIVE, ap.pos.defend)):
        d.notes.set(
            mask & when[:, None],
            reason,
            place=place[:, None],
            men=d.proj[ap.rows, place][:, None],
            foe=ops.foe_main_men[:, None],
            leader=ops.foe_main_leader[:, None],
            marches=marches[:, None],
        )


def march(
    ap: Appraisal,
    d: Draft,
    f: int,
    go: B,
    q: I64,
    comps: F64,
    hold_here: F64,
    gtarget: I64,
    gwin: F64,
    men: F64,
) -> None:
    """March force ``f`` to ``q`` in the runs of ``go``, saying why.

    ``comps`` (``[3, R]``) are the parts of the march's value that may explain it:
    taking or reinforcing the place, gathering for a strike, and joining the main body.
    """
    if not go.any():
        return
    col = _column(ap, f)
    mask = col & go[:, None]
    d.kind[go, f] = OrderKind.MARCH
    d.target[go, f] = q[go]
    d.free[go, f] = False
    dest = np.broadcast_to(q[:, None], (ap.R, ap.F))
    d.move_men(mask, np.ascontiguousarray(dest))
    if not d.notes.recording:  # the rest only says why (rollouts need no reasons)
        return
    why = np.argmax(comps, axis=0)
    useful = comps.max(axis=0) > 1e-3 * ap.scale
    rows = ap.rows
    here = ap.sit.here[:, f]
    qq = q[:, None]
    theirs = ~ap.own_held[rows, q]
    cap = go & useful & (why == 0) & theirs
    rei = go & useful & (why == 0) & ~theirs
    gat = go & useful & (why == 1)
    join = go & useful & (why == 2)
    esc = go & ~useful
    near = ap.threat_men[rows, q][:, None]
    d.notes.set(
        col & cap[:, None], Reason.CAPTURE, place=qq, foe=near, value=ap.worth[rows, q][:, None]
    )
    d.notes.set(col & rei[:, None], Reason.REINFORCE, place=qq, foe=near)
    d.notes.set(
        col & gat[:, None],
        Reason.GATHER,
        place=qq,
        other=gtarget[:, None],
        p_win=gwin[:, None],
        men=d.proj[rows, q][:, None],
    )
    _note_concentrate(ap, d, col & join[:, None], q)
    d.notes.set(
        col & esc[:, None],
        Reason.ESCAPE,
        place=qq,
        other=here[:, None],
        p_win=hold_here[:, None],
        foe=ap.threat_men[rows, here][:, None],
    )
