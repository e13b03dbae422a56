"""Why the movement pass's forces stay or march: the reasons noted after the kernel.

:func:`game.ai.option_kernels.moves` gives every free force its order (stay, garrison
or march) and keeps, per run and force, what explains the choice; :func:`note_moves`
turns that into the reasons of :class:`~game.ai.explain.Notes`: the part of the
option's value that decided it, with the numbers a player is shown.  Nothing here
changes an order, and nothing runs when no reasons are recorded (rollouts, studies).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.ai.explain import Reason

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def note_moves(ap: Appraisal, d: Draft, why: F64, gtarget: I64, gwin: F64) -> None:
    """Record why each force of the movement pass stayed or marched.

    ``why`` is ``[12, R, F]`` as :func:`game.ai.option_kernels.moves` fills it;
    ``gtarget`` and ``gwin`` (``[R]``) the strike being gathered for and its odds.
    """
    if not d.notes.recording:
        return
    eps = 1e-3 * ap.scale  # below this a reason is rounding, not a reason
    v_gar, v_keep, v_cov, v_gs, v_js = why[1:6]
    hold, men, proj = why[9], why[10], why[11]
    rest = why[0] == 1.0
    keep = rest & (v_keep > eps) & (v_keep >= v_gar) & (v_keep >= v_cov) & (v_keep >= v_gs)
    garrison = rest & ~keep & (v_gar > eps) & (v_gar >= v_cov) & (v_gar >= v_gs)
    cover = rest & ~keep & ~garrison & (v_cov > eps) & (v_cov >= v_gs) & (v_cov >= v_js)
    gather = rest & ~keep & ~garrison & ~cover & (v_gs > eps) & (v_gs >= v_js)
    join = rest & ~keep & ~garrison & ~cover & ~gather & (v_js > eps)
    idle = rest & ~keep & ~garrison & ~cover & ~gather & ~join
    here = ap.sit.here
    _note_stay(ap, d, (garrison, keep, cover, gather, idle), here, hold, gtarget, gwin, men, proj)
    _note_concentrate(ap, d, join, here, proj)
    go = why[0] == 2.0
    _note_march(ap, d, go, why[6:9], here, hold, gtarget, gwin, proj)


def _note_stay(
    ap: Appraisal,
    d: Draft,
    why: tuple[B, B, B, B, B],
    here: I64,
    hold: F64,
    gtarget: I64,
    gwin: F64,
    men: F64,
    proj: F64,
) -> None:
    """Record why forces stay: garrison, keep, cover, gather or nothing better."""
    garrison, keep, cover, gather, idle = why
    rows = ap.rows[:, None]
    d.notes.set(garrison, Reason.GARRISON, place=here, men=men)
    d.notes.set(keep, Reason.KEEP, place=here, men=proj, value=ap.need_men[rows, here])
    d.notes.set(cover, Reason.COVER, place=here, p_win=hold, foe=ap.threat_men[rows, here])
    d.notes.set(
        gather, Reason.GATHER, place=here, other=gtarget[:, None], p_win=gwin[:, None], men=proj
    )
    d.notes.set(idle, Reason.HOLD, place=here)


def _note_concentrate(ap: Appraisal, d: Draft, mask: B, place: I64, proj: F64) -> None:
    """Record that the forces of ``mask`` concentrate with the main body at ``place[R, F]``.

    With the enemy's main army, its leader and how many marches it is from there, and
    whether the side stands on the defensive (:mod:`game.ai.posture`).
    """
    if not mask.any():
        return
    ops = ap.ops
    fastest = ap.sit.st.fastest  # [P, P] at the fastest pace
    foe_at = ops.foe_main_at[:, None]
    days = fastest[np.maximum(foe_at, 0), place]
    marches = np.where(foe_at >= 0, np.ceil(days / ap.T), np.nan)
    for reason, when in ((Reason.CONCENTRATE, ~ap.pos.defend), (Reason.DEFENSIVE, ap.pos.defend)):
        d.notes.set(
            mask & when[:, None],
            reason,
            place=place,
            men=proj,
            foe=ops.foe_main_men[:, None],
            leader=ops.foe_main_leader[:, None],
            marches=marches,
        )


def _note_march(
    ap: Appraisal,
    d: Draft,
    go: B,
    comps: F64,
    here: I64,
    hold_here: F64,
    gtarget: I64,
    gwin: F64,
    proj: F64,
) -> None:
    """Record why forces march to their targets.

    ``comps`` (``[3, R, F]``) are the parts of the march's value that may explain it:
    taking or reinforcing the place, gathering for a strike, and joining the main body.
    """
    if not go.any():
        return
    why = np.argmax(comps, axis=0)
    useful = comps.max(axis=0) > 1e-3 * ap.scale
    rows = ap.rows[:, None]
    q = np.where(go, d.target, 0).astype(np.int64)
    theirs = ~ap.own_held[rows, q]
    cap = go & useful & (why == 0) & theirs
    rei = go & useful & (why == 0) & ~theirs
    gat = go & useful & (why == 1)
    join = go & useful & (why == 2)
    esc = go & ~useful
    near = ap.threat_men[rows, q]
    d.notes.set(cap, Reason.CAPTURE, place=q, foe=near, value=ap.worth[rows, q])
    d.notes.set(rei, Reason.REINFORCE, place=q, foe=near)
    d.notes.set(gat, Reason.GATHER, place=q, other=gtarget[:, None], p_win=gwin[:, None], men=proj)
    _note_concentrate(ap, d, join, q, proj)
    d.notes.set(
        esc,
        Reason.ESCAPE,
        place=q,
        other=here,
        p_win=hold_here,
        foe=ap.threat_men[rows, here],
    )
