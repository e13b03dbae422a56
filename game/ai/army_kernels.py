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

import math

import numpy as np

from game.ai.odds_table import battle_index, push_of
from game.engine import jit
from game.engine.sums import tree_sum


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


def near_order(fastest: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the places by their days to each place, nearest first, for :func:`strongest_before`.

    ``near[q]`` the places sorted by their days to ``q`` (a stable sort), ``days[q]``
    those days, and ``far[q, n]`` the first place by index of ``near[q, n:]`` (-1 past
    the end): the same for every run and turn, worked out once per scenario.
    """
    return _near_order(np.ascontiguousarray(fastest, np.float64))  # type: ignore[no-any-return]


@jit.kernel
def _near_order(fastest):
    """Return :func:`near_order`'s tables."""
    P = fastest.shape[0]
    near = np.empty((P, P), np.int64)
    days = np.empty((P, P))
    far = np.empty((P, P + 1), np.int64)
    for q in range(P):
        near[q] = np.argsort(fastest[:, q], kind="mergesort")
        for i in range(P):
            days[q, i] = fastest[near[q, i], q]
        far[q, P] = -1
        for i in range(P - 1, -1, -1):
            p = near[q, i]
            far[q, i] = p if far[q, i + 1] < 0 else min(p, far[q, i + 1])
    return near, days, far


@jit.kernel
def strongest_before(order, relief, mass):
    """Return the largest power that can come to each place in time, and where it comes from.

    ``order`` is :func:`near_order` of ``fastest[P, P]``, the days between places;
    ``relief[R, P]`` the days each place can wait, ``mass[R, P]`` the power standing in
    each place.  Returns ``[R, P]`` the largest ``mass`` of a place no further than
    ``relief`` (zero if none), and that place (the first of equals, as numpy's ``argmax``
    over the places gives it; -1 where the power is zero):
    :func:`game.ai.operations.before_relief` without its ``[R, P, P]`` tables.

    A run reads only the places near enough (a march or two, of some forty); the power
    of a place too far counts as zero, which matters only where nothing nearer beats
    it, so the first such place stands for them all.  A NaN power wins, the first by
    index, as with ``argmax``.
    """
    near, days, far = order
    R, P = relief.shape
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


@jit.kernel
def power(foe_at, seen, men, eff, ghost_at, ghost_men, mean_eff, unseen, floor, presumed):
    """Return ``[R, P]``: the enemy's fighting power standing in each province.

    :func:`game.ai.clearing.enemy_power`: each seen force's men times effectiveness
    where it stands (``foe_at``, added in slot order, as numpy's ``einsum`` adds them
    over a map of two or more provinces); with ``presumed``, then each presumed one's
    men times the mean effectiveness ``mean_eff`` where it is believed to be (slot
    order, as ``add.at``), and at least ``floor`` where ``unseen``.
    """
    R, F, P = foe_at.shape
    out = np.zeros((R, P))
    for r in range(R):
        for f in range(F):
            if seen[r, f]:
                w = men[r, f] * eff[r, f]
                for p in range(P):
                    if foe_at[r, f, p]:
                        out[r, p] += w
        if not presumed:
            continue
        for f in range(F):
            if ghost_at[r, f] >= 0:
                out[r, ghost_at[r, f]] += ghost_men[r, f] * mean_eff
        for p in range(P):
            if unseen[r, p]:
                out[r, p] = maximum(out[r, p], floor)
    return out


@jit.kernel
def relief(order, fastest, own_at, turns_left, forces, ghosts, places, scal, presumed):
    """Return :func:`game.ai.operations.before_relief`: the power that comes before relief.

    Each place waits for the main body at ``own_at`` (``fastest`` days; forever where
    there is none), at most ``marches`` or the turns before the war can end; the
    enemy's :func:`power` there (seen forces alone without ``presumed``) and
    :func:`strongest_before` of it.
    """
    men, eff, seen, foe_at = forces[3], forces[4], forces[7], forces[9]
    ghost_at, ghost_men = ghosts
    owner, watched = places[0], places[1]
    T, enemy, mean_eff, floor, marches = scal[0], scal[1], scal[3], scal[4], scal[8]
    R, P = owner.shape
    limit = np.empty((R, P))
    unseen = np.zeros((R, P), np.bool_)
    for r in range(R):
        end = minimum(turns_left[r], marches) * T
        for p in range(P):
            wait = fastest[own_at[r], p] if own_at[r] >= 0 else np.inf
            limit[r, p] = minimum(wait, end)
            unseen[r, p] = not watched[r, p] and owner[r, p] == enemy
    mass = power(foe_at, seen, men, eff, ghost_at, ghost_men, mean_eff, unseen, floor, presumed)
    return strongest_before(order, limit, mass)


@jit.kernel
def maximum(a, b):
    """Return numpy's ``maximum`` of two floats (a NaN wins, the first if both)."""
    return a if (a >= b or a != a) else b


@jit.kernel
def minimum(a, b):
    """Return numpy's ``minimum`` of two floats (a NaN wins, the first if both)."""
    return a if (a <= b or a != a) else b


@jit.kernel
def clip(x, lo, hi):
    """Return numpy's ``clip`` of a float (the ``minimum`` of the ``maximum``)."""
    return minimum(maximum(x, lo), hi)


@jit.kernel
def argmax(a):
    """Return numpy's ``argmax`` of a row of floats: the first largest, or the first NaN."""
    best = 0
    for i in range(a.size):
        v = a[i]
        if v != v:
            return i
        if v > a[best]:
            best = i
    return best


@jit.kernel
def dense_sum(a, plan):
    """Return numpy's ``sum`` of a row of floats, in numpy's pairwise order.

    ``plan`` is :func:`game.engine.sums.plan_code` of the row's width: each element is
    added to its lane left to right, the lanes in the plan's order, then numpy's
    identity (so a row of -0.0 gives +0.0).
    """
    leaf, code, n_leaves = plan
    lanes = np.zeros(n_leaves)
    for i in range(a.size):
        lanes[leaf[i]] += a[i]
    return tree_sum(lanes, code) + 0.0


@jit.kernel
def picture(foe_men, forces, ghosts, places, order, scal, consts, plans):
    """Return the operational picture's per-run tables (:func:`game.ai.operations.operations`).

    In numpy's order of operations, run by run: the enemy's mass by place (the seen
    enemies' pooled men, plus the presumed ones' in slot order), its main army
    (``argmax``) and its men in the field (numpy's pairwise sum), the battles that
    decide the war, the own regular men by place and the main body, the own men in the
    field, the leader of the enemy's largest seen force at its main army, the sphere of
    each army, the power that comes before relief (:func:`power`,
    :func:`strongest_before`) and the urgency.
    """
    own, able, regular, men = forces[0], forces[1], forces[2], forces[3]
    here, head, seen, commander = forces[5], forces[6], forces[7], forces[8]
    ghost_at, ghost_men = ghosts
    aim, fastest = places[2], places[3]
    turns_left, winner, talks = order[3], order[4], order[5]
    near_t = (order[0], order[1], order[2])
    T, side, talks_turns, n_turns, turn = scal[0], scal[2], scal[5], scal[6], scal[7]
    decisive_share, sphere_men, urgency_turns, hold_turns = consts
    plan_p, plan_f = plans
    R, F = men.shape
    P = foe_men.shape[1]
    mass = np.empty((R, P))
    foe_field = np.empty(R)
    foe_main_at = np.empty(R, np.int64)
    foe_main_men = np.empty(R)
    leader = np.empty(R, np.int64)
    decisive = np.zeros((R, P), np.bool_)
    chief = np.zeros((R, F), np.bool_)
    main_at = np.empty(R, np.int64)
    main_men = np.empty(R)
    field = np.empty(R)
    sphere = np.empty((R, P))
    urgency = np.empty(R)
    hold = np.empty(R)
    ghost = np.zeros(P)
    ours = np.zeros(P)
    fielded = np.zeros(F)
    for r in range(R):
        ghost[:] = 0.0
        for f in range(F):
            if ghost_at[r, f] >= 0:
                ghost[ghost_at[r, f]] += ghost_men[r, f]
        for p in range(P):
            mass[r, p] = foe_men[r, p] + ghost[p]
        at = argmax(mass[r])
        top = mass[r, at]
        total = dense_sum(mass[r], plan_p)
        for p in range(P):
            decisive[r, p] = mass[r, p] > 0 and mass[r, p] >= decisive_share * total
        ours[:] = 0.0
        for f in range(F):
            mine = own[f] and able[r, f]
            fielded[f] = men[r, f] if mine else 0.0
            chief[r, f] = head[r, f] and mine
            if mine and regular[f]:
                ours[here[r, f]] += men[r, f]
        own_at = argmax(ours)
        own_men = ours[own_at]
        # The commander of the largest seen enemy force where the main army is.
        best = -1
        most = -1.0
        for f in range(F):
            v = men[r, f] if seen[r, f] and here[r, f] == at and commander[r, f] >= 0 else -1.0
            if best < 0 or v > most:
                best, most = f, v
        lead_here = seen[r, best] and here[r, best] == at and commander[r, best] >= 0
        leader[r] = commander[r, best] if lead_here else -1
        foe_at_r = at if top > 0 else -1
        foe_main_at[r] = foe_at_r
        foe_main_men[r] = top
        foe_field[r] = total
        main_at[r] = own_at if own_men > 0 else -1
        main_men[r] = own_men
        field[r] = dense_sum(fielded, plan_f)
        # Whose main army comes first, and how the two compare.
        known = own_men > 0 and top > 0
        ratio = math.log(maximum(own_men, 1.0) / maximum(top, 1.0))
        zr = sphere_men * (ratio if known else 0.0)
        for p in range(P):
            mine_t = fastest[own_at, p] / T
            theirs = fastest[max(foe_at_r, 0), p] / T
            lead = minimum(theirs - mine_t, 6.0) if known else 0.0
            z = lead + zr
            late = theirs > turns_left[r]
            sphere[r, p] = 1.0 if late or aim[p] else 1.0 / (1.0 + math.exp(-z))
        left = talks_turns - talks[r] if talks[r] >= 0 else n_turns - turn
        near = clip(1.0 - left / urgency_turns, 0.0, 1.0)
        urgency[r] = near if winner[r] != side else 0.0
        hold[r] = clip(turns_left[r], 1.0, hold_turns)
    relief_foe = relief(near_t, fastest, main_at, turns_left, forces, ghosts, places, scal, True)[0]
    armies = (foe_main_at, foe_main_men, leader, main_at, main_men)
    return mass, foe_field, armies, field, decisive, chief, sphere, relief_foe, urgency, hold
