"""Clear the enemy's detachments that stall the talks or would win it a gain at the signing.

Once peace talks are open (or the scenario's end is as near as talks would take), enemy
men standing on the side's own land hang on two things: where the scenario's condition
for negotiating counts them they keep the talks from moving, and in an own town the
enemy's winning outcomes name they make the peace an exchange or the enemy's victory
(:mod:`game.ai.treaty` reads both from the scenario).

So the side detaches enough strength to clear them (:func:`clear`): for each such place
(the most valuable first), and for the other enemy bands seen on its own land, the
nearest free forces that can get there before the signing, until their men outnumber
the enemy's there by :data:`CLEAR_RATIO` and their odds clear :data:`CLEAR_ODDS`.  It
does not break up its army for it: the head of state stays with the army, the main body
gives only the men it can spare against the enemy's main army, a place the enemy's main
army holds is the main body's business (a decisive battle), and a force leaves no key
place it holds empty.  Forces that can strike this turn attack; the others march to the
last place short of it on the road.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai import treaty_kernels
from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.ai.explain import Reason
from game.ai.operations import turns_left
from game.ai.signing import GUARD_TURNS
from game.ai.treaty import gain_towns, talk_blockers, talks_near, usual_detachment
from game.codes import NONE, OrderKind, Posture
from game.engine import jit

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

CLEAR_RATIO: Final = 2.0
"""Own men per enemy man a detachment sent to clear a place must have."""
CLEAR_ODDS: Final = 0.75
"""Least chance of winning of a detachment sent to clear a place (or the side's
threshold, if higher)."""
MAIN_KEEP: Final = 1.0
"""Share of the enemy's main army's men the main body keeps when it gives detachments."""
CLEAR_ROUNDS: Final = 3
"""Places cleared per run and turn at most (one per round)."""


def at_stake(ap: Appraisal) -> tuple[F64, npt.NDArray[np.int8]]:
    """Return ``[R, P]``: the enemy men to clear from each place, and why (a Reason).

    Once talks are open (or the scenario's end is as near as talks would take): the
    enemy men seen or believed in each place where they stall the talks or win the
    enemy a gain at the signing, and within :data:`GUARD_TURNS` of the signing the bands
    seen anywhere on the side's own land (the fewer roam it then, the fewer walk into a
    town on the last day); 0 elsewhere.  An own
    town the enemy holds out of sight is presumed held by a detachment of the enemy's
    usual size (:func:`usual_detachment`).  Within :data:`GUARD_TURNS` of the signing,
    seen enemies that could walk into such a town this turn are to be cleared too.
    Places where the enemy's main army stands are left to the main body.  One kernel
    (:func:`_at_stake_kernel`) after the seen enemies poised to walk into a gain.
    """
    sit, scn = ap.sit, ap.sit.scn
    near = talks_near(sit)
    if not near.any():  # nothing is at stake before the talks are near
        return np.zeros((ap.R, ap.P)), np.full((ap.R, ap.P), Reason.NONE, np.int8)
    gain = gain_towns(sit)
    # Near the signing, a band one march from such a town may walk into it on the day.
    last = near & (turns_left(sit) <= GUARD_TURNS)
    at_gain = gain[None, :] & (sit.owner == sit.side)  # [R, P]
    poised = treaty_kernels.poised(last, sit.foe_reach, sit.enemy_seen, sit.obs.loc, at_gain)
    home = np.asarray(scn.home[sit.side], bool)
    return _at_stake_kernel(  # type: ignore[no-any-return]
        (near, last),
        (sit.ghost_at, sit.ghost_men, ap.foe.men, poised),
        (np.ascontiguousarray(sit.owner), sit.watched, sit.enemy, ap.ops.decisive),
        (home, gain, talk_blockers(scn, sit.side)),
        (usual_detachment(sit), float(max(scn.rules.control_men, 1))),
    )


_TALKS, _GAIN, _LAND = int(Reason.CLEAR_TALKS), int(Reason.CLEAR_GAIN), int(Reason.CLEAR_LAND)


@jit.kernel
def _at_stake_kernel(when_t, men_t, held_t, place_t, size_t):  # pragma: no cover - compiled
    """Return :func:`at_stake`'s men and reasons, run by run.

    ``when_t``: the runs where the talks are near, and those within :data:`GUARD_TURNS`
    of the signing; ``men_t``: where each presumed enemy is believed and its men, the
    seen enemies' men in each place and where a seen one is poised to walk into a gain;
    ``held_t``: who holds each place, the places the side watches, the enemy's index
    and the decisive battles; ``place_t``: the side's home, the own towns a gain rests
    on, where enemy men stall the talks; ``size_t``: the enemy's usual detachment and
    the men that control a place.  The presumed men in a place are summed slot by slot
    before the seen are added, as numpy's ``add.at`` summed them.
    """
    near, last = when_t
    ghost_at, ghost_men, foe_men, poised = men_t
    owner, watched, enemy, decisive = held_t
    home, gain, talks = place_t
    usual, control = size_t
    R, P = foe_men.shape
    F = ghost_at.shape[1]
    out = np.zeros((R, P))
    why = np.zeros((R, P), np.int8)
    ghost = np.empty(P)
    for r in range(R):
        if not near[r]:
            continue
        ghost[:] = 0.0
        for f in range(F):
            if ghost_at[r, f] >= 0:
                ghost[ghost_at[r, f]] += ghost_men[r, f]
        for p in range(P):
            if decisive[r, p]:
                continue
            men = foe_men[r, p] + ghost[p]
            if owner[r, p] == enemy and not watched[r, p] and men <= 0:
                men = usual  # an own town the enemy holds out of sight
            seen = foe_men[r, p] >= control
            stalls = talks[p] and men > 0
            wins = gain[p] and men >= control
            poised_here = poised[r, p] and last[r] and seen
            roam = home[p] and seen and last[r]
            if not (stalls or wins or poised_here or roam):
                continue
            out[r, p] = men
            why[r, p] = _TALKS if stalls else (_GAIN if wins or poised_here else _LAND)
    return out, why


def clear(ap: Appraisal, d: Draft) -> None:
    """Send detachments to clear the places :func:`at_stake` names (see the module's doc)."""
    foe_men, why = at_stake(ap)
    if not (foe_men > 0).any():
        return
    sit, ops = ap.sit, ap.ops
    left = np.maximum(turns_left(sit), 1.0)
    control = float(max(sit.scn.rules.control_men, 1))
    # The main body gives only what it can spare against the enemy's main army.
    spare = np.where(
        ops.foe_main_at >= 0, ops.main_men - MAIN_KEEP * ops.foe_main_men, 0.5 * ops.main_men
    )
    spare = np.maximum(spare, 0.0)
    with_main = sit.here == ops.main_at[:, None]
    todo = foe_men > 0
    priority = ap.worth + ap.scale * (why == Reason.CLEAR_TALKS)
    for _ in range(CLEAR_ROUNDS):
        if not (todo.any() and d.free.any()):
            return
        q = np.argmax(np.where(todo, priority, -np.inf), axis=1)
        has = todo[ap.rows, q]
        todo[ap.rows, q] = False
        sel, stage, enough = _detach(ap, d, q, has, foe_men, left, control, spare, with_main)
        if not sel.any():
            continue
        spare = spare - np.where(sel & with_main, sit.men, 0.0).sum(axis=1)
        _order(ap, d, sel, q, stage, enough, foe_men, why)


def _detach(
    ap: Appraisal,
    d: Draft,
    q: I64,
    has: B,
    foe_men: F64,
    left: F64,
    control: float,
    spare: F64,
    with_main: B,
) -> tuple[B, I64, F64]:
    """Return ``[R, F]`` the forces sent to clear ``q[R]``, where each goes, and their odds.

    The nearest free forces first (the main body's last), until their men reach
    :data:`CLEAR_RATIO` times the enemy's there; none if even then the odds fail.
    """
    sit, ops = ap.sit, ap.ops
    sel, stage = treaty_kernels.detach(
        q,
        has,
        CLEAR_RATIO * foe_men[ap.rows, q] + control,
        left * ap.T,
        (sit.men, np.ascontiguousarray(sit.here, np.int64), d.free, sit.own, ops.chief, sit.eta),
        (sit.st.stage, ap.foe_any, ap.own_held, ops.key, d.proj),
        (ap.reach, ap.mt, sit.clear, control),
        spare,
        with_main,
    )
    if not sel.any():
        return sel, stage, np.zeros(ap.R)
    p_win = _odds(ap, sel, q, foe_men)
    good = p_win >= np.maximum(CLEAR_ODDS, ap.threshold)
    sel &= good[:, None]
    return sel, stage, p_win


def _odds(ap: Appraisal, sel: B, q: I64, foe_men: F64) -> F64:
    """Return ``[R]``: the chance the forces of ``sel`` beat the enemy seen or believed at q.

    Seen enemies with their estimated quality and leader; the men presumed there on top.
    """
    sit = ap.sit
    rows = np.flatnonzero(sel.any(axis=1))
    out = np.zeros(ap.R)
    g = sit.group_of(sel[rows], rows)
    at = q[rows]
    held = sit.owner[rows, at] == sit.enemy
    posture = np.where(held, Posture.HASTY, Posture.MEETING)
    dfd = (foe_men[rows, at], ap.foe.log_eff[rows, at], ap.foe.lead[rows, at])
    o = sit.odds_of_push(
        sit.push(g, ap.foe.init[rows, at][:, None])[:, 0],
        g.men[:, 0],
        dfd,
        posture,
        fields=("p_win",),
        places=at,
    )
    out[rows] = o.p_win
    return out


def _order(
    ap: Appraisal,
    d: Draft,
    sel: B,
    q: I64,
    stage: I64,
    p_win: F64,
    foe_men: F64,
    why: npt.NDArray[np.int8],
) -> None:
    """Give the detachment of ``sel`` its orders: strike ``q`` now, or march to its stage.

    The forces that can strike this turn do so if they are enough by themselves;
    otherwise they wait where they are (if already one march short) or march up.
    """
    sit = ap.sit
    rows = ap.rows
    now = sel & ap.reach[rows, :, q]
    men_now = np.where(now, sit.men, 0.0).sum(axis=1)
    need = CLEAR_RATIO * foe_men[rows, q] + float(max(sit.scn.rules.control_men, 1))
    strike = now & (men_now >= need)[:, None]
    forced = ap.forced_only[rows, :, q] & strike
    kind = np.where(forced, OrderKind.FORCED_MARCH, OrderKind.ATTACK)
    if strike.any():
        d.assign(strike, kind, q[:, None])
        d.move_men(strike, np.broadcast_to(q[:, None], sel.shape))
    rest = sel & ~strike
    wait = rest & (stage == sit.here)
    go = rest & ~wait
    if wait.any():
        d.assign(wait, OrderKind.HOLD, NONE)
    if go.any():
        d.assign(go, OrderKind.MARCH, stage)
        d.move_men(go, stage)
    if not d.notes.recording:
        return
    because = why[rows, q]
    men = np.where(sel, sit.men, 0.0).sum(axis=1)
    for reason in (Reason.CLEAR_TALKS, Reason.CLEAR_GAIN, Reason.CLEAR_LAND):
        mask = sel & (because == reason)[:, None]
        d.notes.set(
            mask,
            reason,
            place=q[:, None],
            other=np.where(strike, q[:, None], stage),
            p_win=p_win[:, None],
            men=men[:, None],
            foe=foe_men[rows, q][:, None],
        )
