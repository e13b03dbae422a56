"""The main body's battles, compiled: what it risks and what it seeks at each place.

:func:`game.ai.movement.main_body_target` weighs the main body's march against the
enemy's main army (:func:`army_peril`) and toward the battles it could fight
(:func:`seek_battle`).  Each is a battle per run and place looked up in the odds table;
numpy built them as some fifty calls on small gathered arrays per slot.  These kernels
loop over the runs and places and look each battle up with the one look-up every pass
uses (:func:`game.ai.odds_table.battle_index`; the odds in float32, as numpy keeps
them), so the same floats come out.
"""

from __future__ import annotations

import numpy as np

from game.ai.odds_table import battle_index, push_of
from game.engine import jit


@jit.kernel
def _with_chief(r, f, chief, here):
    """Return whether a head of state's force stands where force ``f`` does in run ``r``."""
    for g in range(chief.shape[1]):  # noqa: SIM110 (a loop numba compiles)
        if chief[r, g] and here[r, g] == here[r, f]:
            return True
    return False


@jit.kernel
def army_peril(f, ri, army, scal, sit_t, ops_t, tables, p_win):
    """Return ``[N, P]``: :func:`game.ai.movement.army_peril` of force ``f`` in the runs ``ri``.

    ``scal`` holds the turn's days, ``k_lose``, the scale of victory points, the chief's
    peril times his care, the hasty posture, and the tolerance and its span in float32
    (numpy takes the odds less the tolerance in float32).
    """
    T, k_lose, scale, chief_stake, hasty, tol, span = scal
    eff, lead, chief, here = sit_t
    foe_main_at, foe_main_men, fastest = ops_t
    N = ri.size
    P = fastest.shape[0]
    out = np.zeros((N, P))
    for n in range(N):
        r = ri[n]
        if foe_main_at[r] < 0:
            continue
        stakes = scale * (1.0 + chief_stake * (1.0 if _with_chief(r, f, chief, here) else 0.0))
        log_eff = np.log(max(eff[r, f], 1e-6))
        for q in range(P):
            if not fastest[foe_main_at[r], q] <= 2.0 * T:
                continue
            j = battle_index(0.0, foe_main_men[r], army[n], log_eff, lead[r, f], hasty, q, tables)
            danger = max(p_win[j] - tol, np.float32(0.0)) / span
            out[n, q] = danger * (k_lose * army[n] + stakes)
    return out


@jit.kernel
def seek_battle(f, ri, army, scal, sit_t, ap_t, ops_t, tables, odds):
    """Return ``[N, P]``: :func:`game.ai.movement.seek_battle` of force ``f`` in the runs ``ri``.

    ``scal`` holds the turn's days, the discount per turn, ``k_kill``, ``k_lose`` (in
    float32: numpy takes it times the float32 losses in float32), the
    weight of a battle that decides nothing, the margin asked of it, the chief's odds,
    the odds urgency takes off, the weight of gathering (``concentration`` x 0.6), and
    the combat's weights of leadership and surprise; ``odds`` the table's ``p_win``,
    ``att_loss`` and ``def_loss``.
    """
    T, per_turn, k_kill, k_lose32, minor_kill, margin, chief_odds, urgent, gather, th_l, th_s = scal
    eff, lead, init, surprise, chief, here, eta, stage = sit_t
    worth, behind, own_held, threshold, barred, posture = ap_t
    foe_mass, decisive, sphere, urgency = ops_t
    p_win, att_loss, def_loss = odds
    N = ri.size
    P = worth.shape[1]
    out = np.zeros((N, P))
    for n in range(N):
        r = ri[n]
        log_eff = np.log(max(eff[r, f], 1e-6))
        push = push_of(log_eff, lead[r, f], surprise[f], init[r, f], 0.0, th_l, th_s)
        with_chief = _with_chief(r, f, chief, here)
        for q in range(P):
            if not (foe_mass[r, q] > 0 and not barred[r, q]):
                continue
            foe_men = foe_mass[r, q]
            j = battle_index(push, army[n], foe_men, 0.0, 0.0, posture[r, q], q, tables)
            last = 1.0 if own_held[r, q] else sphere[r, q]
            kill = k_kill * (1.0 if decisive[r, q] else minor_kill)
            ev = (
                p_win[j] * (worth[r, q] * last + behind[r, q])
                + kill * def_loss[j] * foe_men
                - k_lose32 * att_loss[j] * army[n]
            )
            need = threshold[r] + margin * (0.0 if decisive[r, q] else 1.0)
            # A head of state marching with the main body rides into the battle it seeks.
            if with_chief:
                need = max(need, chief_odds - urgent * urgency[r])
            step = stage[here[r, f], q]
            if not (p_win[j] >= need and ev > 0 and step >= 0):
                continue
            disc = per_turn ** (max(np.ceil(eta[r, f, step] / T), 1.0) - 1.0)
            out[n, step] = max(out[n, step], gather * ev * disc)
    return out


@jit.kernel
def strongest_before(fastest, relief, mass):
    """Return the largest power that can come to each place in time, and where it comes from.

    ``fastest[P, P]`` are the days between places, ``relief[R, P]`` the days each place
    can wait, ``mass[R, P]`` the power standing in each place.  Returns ``[R, P]`` the
    largest ``mass`` of a place no further than ``relief`` (zero if none), and that place
    (the first of equals, as numpy's ``argmax`` over the places gives it; -1 where the
    power is zero): :func:`game.ai.operations.before_relief` without its ``[R, P, P]``
    tables.

    The places are sorted once by their days to each place, so a run reads only those
    near enough (a march or two, of some forty): the power of a place too far counts
    as zero, which matters only where nothing nearer beats it, so the first such place
    stands for them all.  A NaN power wins, the first by index, as with ``argmax``.
    """
    R, P = relief.shape
    near = np.empty((P, P), np.int64)  # near[q]: the places by their days to q, nearest first
    days = np.empty((P, P))
    far = np.empty((P, P + 1), np.int64)  # far[q, n]: the first place of near[q, n:], by index
    for q in range(P):
        near[q] = np.argsort(fastest[:, q], kind="mergesort")
        for i in range(P):
            days[q, i] = fastest[near[q, i], q]
        far[q, P] = -1
        for i in range(P - 1, -1, -1):
            p = near[q, i]
            far[q, i] = p if far[q, i + 1] < 0 else min(p, far[q, i + 1])
    top = np.zeros((R, P))
    src = np.empty((R, P), np.int64)
    for r in range(R):
        for q in range(P):
            limit = relief[r, q]
            best = -1
            value = 0.0
            first_nan = -1
            n = 0
            while n < P and days[q, n] <= limit:
                p = near[q, n]
                v = mass[r, p]
                n += 1
                if np.isnan(v):
                    if first_nan < 0 or p < first_nan:
                        first_nan = p
                elif best < 0 or v > value or (v == value and p < best):
                    best, value = p, v
            zero = far[q, n]  # the places too far count as zero power
            if zero >= 0 and (best < 0 or value < 0.0 or (value == 0.0 and zero < best)):
                best, value = zero, 0.0
            if first_nan >= 0:
                top[r, q] = mass[r, first_nan]
                src[r, q] = -1
            else:
                top[r, q] = value
                src[r, q] = best if value > 0 else -1
    return top, src
