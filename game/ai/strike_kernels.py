"""The attack pass's arithmetic, compiled: what each strike is worth, and who it can spare.

:func:`game.ai.strikes.attacks` weighs, for every run and seen target, the strike of
every free force in reach (:func:`scores`), then leaves out of the strike chosen the
forces it can spare (:func:`spare`, the economy of force of :mod:`game.ai.economy`).
numpy spent that as a few dozen calls per round on small gathers of battles, and a
dozen calls per force tried; these kernels loop over the runs, targets and forces in
machine code.  A strike is pooled as every other group (:func:`game.ai.groups.pool_one`)
and its odds are looked up in the odds table by the one look-up every pass uses
(:func:`game.ai.odds_table.battle_index`), the odds in float32 where numpy keeps them in
float32, so the same floats come out.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.features import Situation
from game.ai.groups import pool_one
from game.ai.holding import _keep_kernel
from game.ai.odds_table import battle_index, push_of
from game.ai.tables import odds_table
from game.codes import Posture
from game.engine import jit

F64 = npt.NDArray[np.float64]

_HASTY = int(Posture.HASTY)
_ONE = np.float32(1.0)


@jit.kernel
def odds_index(att, foe, odds_t):
    """Return the odds table's index of one battle.

    ``att`` is the attackers' men, ln effectiveness, leadership, initiative and surprise;
    ``foe`` the defenders' men, ln effectiveness, leadership, initiative, posture and
    place; ``odds_t`` the combat constants, the posture and terrain terms and the
    table's size steps, then the fields of the table wanted (the chance of winning
    first).
    """
    men, log_eff, lead, init, surprise = att
    d_men, d_log_eff, d_lead, d_init, post, place = foe
    push = push_of(log_eff, lead, surprise, init, d_init, odds_t[0], odds_t[1])
    terms = (odds_t[0], odds_t[2], odds_t[3], odds_t[4])
    return battle_index(push, men, d_men, d_log_eff, d_lead, post, place, terms)


@jit.kernel
def pooled(sel, r, slots_t):
    """Return the group of the forces ``sel[F]`` of run ``r``: men, ratings and stake."""
    men, eff, surprise, has_cmd, rank, ratings, cols = slots_t
    total, eff_sum, sur_sum, best = pool_one(sel, r, cols, men, False, eff, surprise, has_cmd, rank)
    safe = max(total, 1e-9)
    lead = ratings[0, r, best] if best >= 0 else 0.0
    init = ratings[1, r, best] if best >= 0 else 0.0
    stake = ratings[3, r, best] if best >= 0 else 0.0
    log_eff = np.log(max(eff_sum / safe, 1e-6))
    return (total, log_eff, lead, init, sur_sum / safe), stake


@jit.kernel
def p_win_of(sel, r, slots_t, foe, odds_t):
    """Return the chance the forces ``sel[F]`` of run ``r`` win their strike on ``foe``.

    ``odds_t`` as :func:`odds_index`.
    """
    att, _ = pooled(sel, r, slots_t)
    return np.float64(odds_t[5][odds_index(att, foe, odds_t)])


@jit.kernel
def _first(a, b):  # pragma: no cover - compiled
    """Return -1 if ``a`` sorts before ``b`` as numpy sorts floats (NaN last), 1 after, 0 if equal."""
    if np.isnan(a) or np.isnan(b):
        return 0 if np.isnan(a) and np.isnan(b) else (1 if np.isnan(a) else -1)
    return -1 if a < b else (1 if a > b else 0)


@jit.kernel
def strike_order(sel, chief, anchor, men0, r, out):  # pragma: no cover - compiled
    """Write into ``out`` the forces of run ``r``'s strike in the order they are tried.

    A head of state's force first, then those worth most where they stand (``anchor``),
    then the smallest (``men0``), then by slot: ``numpy.lexsort((men0, -anchor, ~chief,
    ~sel))``'s first forces, by a stable insertion sort (a strike has a few forces).
    Returns how many there are.
    """
    n = 0
    for f in range(sel.shape[1]):
        if not sel[r, f]:
            continue
        j = n
        while j > 0:
            g = out[j - 1]
            c = 0
            if chief[r, f] != chief[r, g]:
                c = -1 if chief[r, f] else 1
            if c == 0:
                c = _first(-anchor[r, f], -anchor[r, g])
            if c == 0:
                c = _first(men0[f], men0[g])
            if c >= 0:  # equal keys keep the order of the slots
                break
            out[j] = g
            j -= 1
        out[j] = f
        n += 1
    return n


@jit.kernel
def spare(sel, chief, anchor, men0, threshold, slack, slots_t, foe_t, odds_t):
    """Return the strikes ``sel[R, F]`` less the forces they can spare.

    Each run tries the forces of its strike in :func:`strike_order` (from ``chief[R, F]``,
    which marks heads of state, ``anchor[R, F]`` and ``men0[F]``); ``slack`` is the
    release slack, the chief's slack and the odds beyond which no more forces are
    needed (:mod:`game.ai.economy`).  ``foe_t`` holds the defenders' men, ln
    effectiveness, leadership, initiative and posture (``[R, P]`` each) and each run's
    target (``[R]``).  A force is left out if the odds without it stay at or above what
    :func:`game.ai.economy.economy` asks.
    """
    release, chief_slack, sure = slack
    d_men, d_log_eff, d_lead, d_init, post, place = foe_t
    R, F = sel.shape
    out = sel.copy()
    trial = np.empty(F, np.bool_)
    order = np.empty(F, np.int64)
    for r in range(R):
        count = strike_order(sel, chief, anchor, men0, r, order)
        if count == 0:
            continue
        q = place[r]
        foe = (d_men[r, q], d_log_eff[r, q], d_lead[r, q], d_init[r, q], post[r, q], q)
        full = p_win_of(out[r], r, slots_t, foe, odds_t)
        floor = max(threshold[r], min(full - release, sure))
        spared = min(floor, threshold[r] + chief_slack)
        for k in range(count):
            f = order[k]
            if not out[r, f] or count <= 1:
                continue
            for j in range(F):
                trial[j] = out[r, j]
            trial[f] = False
            need = spared if chief[r, f] else floor
            if p_win_of(trial, r, slots_t, foe, odds_t) >= need:
                out[r, f] = False
                count -= 1
    return out


@jit.kernel
def _battles(avail, reach, targets, slots_t, here, head, anchor):
    """Return the battles worth looking up: every target with strikers, run by run.

    Each battle's run and place, its strikers' group (men, ln effectiveness,
    leadership, initiative, surprise), their stake, whether a head of state rides with
    them, and what those leaving their place leave behind (``anchor``, summed slot by
    slot).
    """
    R, F, P = reach.shape
    n = 0
    for r in range(R):
        for q in range(P):
            n += targets[r, q]
    rq = np.empty((n, 2), np.int64)
    att = np.empty((n, 5))
    extra = np.empty((n, 3))
    sel = np.empty(F, np.bool_)
    k = 0
    for r in range(R):
        for q in range(P):
            if not targets[r, q]:
                continue
            rides = False
            leave = 0.0
            for f in range(F):
                sel[f] = avail[r, f] and reach[r, f, q]
                if sel[f]:
                    rides = rides or head[r, f]
                    if here[r, f] != q:
                        leave = leave + anchor[r, f]
            g, stake = pooled(sel, r, slots_t)
            if g[0] <= 0:
                continue
            rq[k, 0] = r
            rq[k, 1] = q
            for j in range(5):
                att[k, j] = g[j]
            extra[k, 0] = stake
            extra[k, 1] = 1.0 if rides else 0.0
            extra[k, 2] = leave
            k += 1
    return rq[:k], att[:k], extra[:k]


@jit.kernel
def scores(avail, reach, targets, slots_t, here_t, foe_t, odds_t, worth_t, scal, keep_t):
    """Return ``[R, P]`` what striking each target is worth (-inf if not), and whether any is.

    See :func:`game.ai.strikes._scores` for the terms.  ``here_t`` is where each force
    stands, heads of state and anchors (``[R, F]``); ``foe_t`` the defenders' men, ln
    effectiveness, leadership, initiative and posture (``[R, P]``); ``odds_t`` as
    :func:`odds_index`, with the table's chance of winning, attacker's and defender's
    losses and attacker's commander lost; ``worth_t`` the value
    of each place, the weight of enemy men destroyed there, the decisive battles, the
    urgency and threshold per run, own-held places, the sphere and the turns to hold;
    ``scal`` the harassing scale, the weight of own men lost, the commander's safety,
    the cost of a minor battle, the minor margin, the chief's odds and the urgent odds;
    ``keep_t`` the keep kernel's tables (:func:`game.ai.holding.keep_tables`).
    """
    here, head, anchor = here_t
    d_men, d_log_eff, d_lead, d_init, posture = foe_t
    p_win, att_loss, def_loss, att_cmd = odds_t[5], odds_t[6], odds_t[7], odds_t[8]
    value, kill, decisive, urgency, thr, own_held, sphere, hold_turns = worth_t
    scale, k_lose, safety, battle_cost, minor_margin, chief_odds, urgent_odds = scal
    R, _, P = reach.shape
    rq, att, extra = _battles(avail, reach, targets, slots_t, here, head, anchor)
    n = rq.shape[0]
    odds = np.empty((n, 4), np.float32)
    men = np.empty((1, n, 1))
    places = np.empty((n, 1), np.int64)
    log_eff = np.empty((n, 1))
    lead = np.empty((n, 1))
    for k in range(n):
        r, q = rq[k, 0], rq[k, 1]
        foe = (d_men[r, q], d_log_eff[r, q], d_lead[r, q], d_init[r, q], posture[r, q], q)
        i = odds_index((att[k, 0], att[k, 1], att[k, 2], att[k, 3], att[k, 4]), foe, odds_t)
        odds[k, 0] = p_win[i]
        odds[k, 1] = att_loss[i]
        odds[k, 2] = def_loss[i]
        odds[k, 3] = att_cmd[i]
        men[0, k, 0] = att[k, 0] * (_ONE - odds[k, 1])
        places[k, 0] = q
        log_eff[k, 0] = att[k, 1]
        lead[k, 0] = att[k, 2]
    need = np.ones((1, n, 1), np.bool_)
    post = np.full((1, n, 1), _HASTY, np.int64)
    keep, _ = _keep_kernel(men, need, post, rq[:, 0].copy(), places, log_eff, lead, P, *keep_t)
    score = np.full((R, P), -np.inf)
    good = False
    for k in range(n):
        r, q = rq[k, 0], rq[k, 1]
        theirs = not own_held[r, q]
        last = sphere[r, q] if theirs else 1.0
        hold = last * keep[0, k, 0] ** (hold_turns[r] if theirs else 1.0)
        minor = 0.0 if decisive[r, q] else 1.0
        gm = att[k, 0]
        ev = (
            odds[k, 0] * value[r, q] * hold
            + scale * kill[r, q] * odds[k, 2] * d_men[r, q]
            - np.float32(k_lose) * odds[k, 1] * gm
            - np.float32(safety) * odds[k, 3] * extra[k, 0]
            - extra[k, 2]
            - battle_cost * minor * (1.0 - urgency[r])
        )
        need_k = thr[r] + minor_margin * minor
        if extra[k, 1] > 0:
            need_k = max(need_k, chief_odds - urgent_odds * urgency[r])
        if odds[k, 0] >= need_k and ev > 0:
            score[r, q] = ev
            good = True
    return score, good


def odds_terms(sit: Situation) -> tuple[float, float, F64, F64, npt.NDArray[np.float32]]:
    """Return the first terms of :func:`odds_index`'s ``odds_t`` for a side's situation."""
    c = sit.scn.rules.combat
    table = odds_table(sit.scn)
    return (
        float(c.theta_leadership),
        float(c.theta_surprise),
        sit.st.log_posture,
        sit.st.log_terrain,
        table.size_cuts,
    )


@jit.kernel
def chief_reach(reach, chief, decides):  # pragma: no cover - compiled
    """Return ``[R, F, P]``: ``reach`` less where a head of state would strike for nothing.

    ``chief[R, F]`` marks a head of state's force, ``decides[R, P]`` the battles that
    decide something (see :func:`game.ai.strikes.strike_reach`).
    """
    R, F, P = reach.shape
    out = np.zeros((R, F, P), np.bool_)
    for r in range(R):
        for f in range(F):
            c = chief[r, f]
            for p in range(P):
                out[r, f, p] = reach[r, f, p] and (decides[r, p] or not c)
    return out


@jit.kernel
def reached(reach, avail):  # pragma: no cover - compiled
    """Return ``[R, P]``: the places some force of ``avail[R, F]`` can reach (``reach[R, F, P]``)."""
    R, F, P = reach.shape
    out = np.zeros((R, P), np.bool_)
    for r in range(R):
        for f in range(F):
            if avail[r, f]:
                for p in range(P):
                    if reach[r, f, p]:
                        out[r, p] = True
    return out
