"""What one force can do in the movement pass, compiled: one call per force.

:func:`game.ai.movement.options` weighs, for one force in every run where it is free,
marching to each province against staying where it stands: the chances of keeping each
place with it and without it (:func:`game.ai.holding.keep_chance`'s kernel), the march scores
(:mod:`game.ai.march_values`), joining the main body, garrisoning, covering and the
men an outcome needs.  numpy spent that as about a hundred calls on small ``[runs,
provinces]`` temporaries per force; this kernel reads the per-run tables in place and
loops over the runs and places, in numpy's order of operations, so the same floats come
out and the same decisions are taken.
"""

from __future__ import annotations

import numpy as np

from game.ai import army_kernels
from game.ai.holding import _TENTH, garrison_one, keep_at, threats_at
from game.ai.march_values import discount, join_value, march_bound, march_score, powers, within
from game.codes import Posture
from game.engine import jit

_MEETING = int(Posture.MEETING)
_HASTY = int(Posture.HASTY)
_PREPARED = int(Posture.PREPARED)
RUN_BLOCK = 64
"""Runs the movement pass weighs together (:func:`moves`): few enough that their rows of
the per-run tables stay in the cache from one force to the next, enough that a call of
the option kernel is worth its fixed cost (64 ran about 1.15 times as fast as the whole
batch at once, at a batch of 1,000)."""


@jit.kernel
def options(f, ri, army, prune, around, *tables):
    """Return the options of force ``f`` in the runs ``ri``: see :func:`game.ai.movement.options`.

    ``army`` (``[N]`` men, or empty) makes the force stand for the whole main body.
    ``tables`` are the scalars and the per-run tables the pass reads (each at ``ri``),
    as :func:`game.ai.movement.options` packs them.  Returns the fields of
    :class:`~game.ai.movement.Options`, in order: :func:`weigh`'s rows.
    """
    P = tables[1].shape[1]
    out = _rows(ri.size, P)
    weigh(f, ri, ri.size, army, prune, around, out, _work(P), *tables)
    return out


@jit.inline_kernel
def _rows(N, P):
    """Return the rows :func:`weigh` fills for ``N`` runs and ``P`` places (see :func:`options`)."""
    return (
        np.empty((N, P)),
        np.empty(N),
        np.empty((N, P)),
        np.empty((N, P)),
        np.zeros((N, P)),
        np.empty(N),
        np.empty(N),
        np.empty(N),
        np.empty(N),
        np.empty(N),
        np.empty(N),
        np.empty(N),
    )


@jit.inline_kernel
def _work(P):
    """Return :func:`weigh`'s rows of one run, used again from run to run and call to call."""
    return (
        np.empty(P),
        np.zeros(P, np.bool_),
        np.zeros(P, np.bool_),
        np.empty(P),
        np.empty(P),
        np.zeros(P, np.bool_),
        np.zeros(P + 1),
        np.zeros(P),
        powers(),
    )


@jit.kernel
def weigh(
    f,
    ri,
    N,
    army,
    prune,
    around,
    out,
    work,
    scal,
    proj,
    sit_t,
    ap_t,
    cost_t,
    garrison_t,
    keep_t,
    join_t,
    march_t,
):
    """Write into ``out`` the options of force ``f`` in the first ``N`` runs of ``ri``.

    ``out`` are :func:`options`'s rows (at least ``N`` of each), ``work`` the rows of one
    run (:func:`_work`); the other arguments as :func:`options` takes them.  The caller
    that weighs force after force (:func:`moves`) passes the same rows each time.

    Run by run: staying first (the chances of keeping where it stands with the force
    and without it, :func:`game.ai.holding.keep_at`), then each place it may march to
    (the chances of keeping it with the force and what is left there without it, the
    place's threats read once for both, then the march's score,
    :func:`~game.ai.march_values.march_score`), on rows of one run that stay in the
    cache.

    With ``prune``, only the march that would be chosen is weighed in full, for
    :func:`moves`: every place the force may march to gets a bound on its score before
    any look-up of a battle (:func:`~game.ai.march_values.march_bound`, with joining the
    main body and the noise as the score adds them), and the places are weighed from
    the highest bound down until the highest left is below staying or below the best
    weighed; those left score ``-inf`` (and take and gather nothing).  numpy's
    ``argmax`` of the row then gives the place, and the score, of weighing every place
    wherever the march is taken (its score finite and above staying).  Where a bound
    cannot be trusted (a head of state's peril below zero, NaN in the force's men or in
    joining), every place is weighed.  For the main body (``army``), ``around`` are what
    :func:`main_body` adds to each score and to staying before it chooses: the peril
    and the battle sought at each place (``[N, P]`` each), the place it is bound for
    (``[N]``) and the head start of marching on there; pruned, the bounds and staying
    are taken as it takes them.
    """
    T, per_turn, k_lose, scale, chief_care, chief_peril, ge, w_gar, noise = scal
    men, here_t, stands_t, eff, lead, mt, clear, dest = sit_t
    foe_any, need_men, worth, own_held, open_land, defend, home, signing, chief_t = ap_t
    hungry, supply_need, wear_p, stay_post, gdest, gval, foe_main_at, fastest, keys = cost_t
    eta, rally, weights, regular, conc = join_t
    hold_turns, sphere, relief_foe, mine = march_t
    gneed, hostile, prize, protect = garrison_t
    threats, control_men, theta_lead, log_posture, log_terrain, p_win, def_loss, cuts = keep_t
    odds_t = (control_men, (theta_lead, log_posture, log_terrain, cuts), p_win, def_loss)
    rates = (T, k_lose, scale)
    P = proj.shape[1]
    is_army = army.size > 0
    move, stay, take, v_gat, join, v_gar, v_keep, v_cov, v_gs, v_js, keep_stay, mfs = out
    # One run's rows, used again for the next; the discounts of marches of whole turns,
    # each taken once.
    base, legal, crossed, wear, bound, done, z, disc, memo = work
    rows = (base, crossed, wear, disc)
    place_t = (worth, own_held, open_land, sphere, relief_foe, eta, home, gdest, gval, dest)
    sn = supply_need[f]
    for n in range(N):
        r = ri[n]
        if n + 1 < N:  # the next run's rows of the force, read cold otherwise
            r2 = ri[n + 1]
            nxt = r2 * men.shape[1] + f
            jit.prefetch(men, nxt)
            jit.prefetch(here_t, nxt)
            jit.prefetch(stands_t, nxt)
            jit.prefetch(eff, nxt)
            jit.prefetch(lead, nxt)
            jit.prefetch(dest, nxt)
            jit.prefetch(gdest, nxt)
            jit.prefetch(gval, nxt)
            jit.prefetch(chief_t, nxt)
            jit.prefetch(mt, nxt * P)
            jit.prefetch(clear, nxt * P)
            for j in range(0, P, 8):
                jit.prefetch(eta, nxt * P + j)
        mf = army[n] if is_army else men[r, f]
        mfs[n] = mf
        here = here_t[r, f]
        stands = stands_t[r, f]
        for p in range(P):
            base[p] = proj[r, p]
        base[here] = max(base[here] - mf, 0.0)  # (an army's men may be on the road)
        le = np.log(max(eff[r, f], 1e-6))
        ld = lead[r, f]
        top = base[0]
        for p in range(P):
            top = max(top, base[p])
            with_f = base[p] + mf
            ok = mt[r, f, p] and clear[r, f, p] and not (stands and p == here)
            legal[p] = ok and not foe_any[r, p]
            crossed[p] = with_f >= need_men[r, p] and base[p] < need_men[r, p]
            wear[p] = k_lose * mf * (hungry[r, p] * sn + wear_p[p])
            if legal[p] and open_land[r, p]:
                disc[p] = discount(eta[r, f, p], T, per_turn, memo)
        run_t = (defend[r], signing[r], hold_turns[r], mine[r])
        force_t = (mf, eff[r, f])
        chief = chief_t[r, f]
        peril = chief_care * scale * chief_peril if chief else 0.0
        q_join, value = -1, 0.0
        for p in range(P):
            join[n, p] = 0.0
        if not is_army:
            q_join, value = join_value(
                r,
                f,
                T,
                per_turn,
                eta,
                rally,
                men,
                chief_t,
                defend,
                weights,
                regular[f],
                conc,
                k_lose,
                memo,
            )
            if q_join >= 0:
                join[n, q_join] = value
        if noise > 0:
            key = jit.fold(jit.fold(keys[r], 11), f)
            for p in range(P + 1):
                z[p] = jit.normal(jit.bits(jit.fold(key, p)))
        # Staying: the chances of keeping where it stands with it and without it.
        th = _threats(threats, r, here)
        ks, lost_stay = keep_at(base[here] + mf, stay_post[r, here], here, th, le, ld, odds_t)
        keep_stay[n] = ks
        kb_here, lb_here = keep_at(base[here], _HASTY, here, th, le, ld, odds_t)
        alone_here = base[here] + mf < top
        worth_h = worth[r, here]
        held = own_held[r, here]
        g0 = base[here]
        v_keep[n] = 0.5 * worth_h * ks * crossed[here] if held else 0.0
        gar = garrison_one(
            hostile[here], held, gneed[here], prize[here], protect[here], g0, mf, ge, w_gar
        )
        v_gar[n] = 0.0 if chief else gar
        cov = worth_h * (ks - kb_here) if open_land[r, here] else 0.0
        # On the defensive, detachments abroad come home; a head of state, to the army.
        if (defend[r] and not home[here]) or (chief and alone_here and not is_army):
            v_gar[n] = 0.0
            cov = 0.0
        cov += k_lose * g0 * max(lb_here - lost_stay, 0.0)
        if is_army:  # the main body covers only against the enemy's main army, or
            # against anyone as the signing nears (see game.ai.movement._main_near)
            foe_at = foe_main_at[r]
            near = foe_at >= 0 and fastest[max(foe_at, 0), here] <= 2.0 * T
            if not (near or signing[r]):
                cov = 0.0
        v_cov[n] = cov
        v_gs[n] = gval[r, f] if gdest[r, f] == here else 0.0
        v_js[n] = join[n, here]
        rest = v_gar[n] + v_keep[n] + v_cov[n] + v_gs[n] + v_js[n]
        rest = rest - k_lose * mf * lost_stay - wear[here]
        rest -= peril * (1.0 - ks) * (1.0 if alone_here else 0.0)
        # A montonero band abroad, beyond the places the war aims name, goes home
        # (its march targets say where it may be: game.ai.operations.own_ground).
        if stands and (regular[f] or mt[r, f, here]):
            stay[n] = rest + (1e-3 if dest[r, f] < 0 else 0.0)
        else:
            stay[n] = -np.inf
        if noise > 0:
            stay[n] = stay[n] + noise * scale * z[P]
        # Marching: every place in order, or (pruned) from the highest bound down.
        trusted = prune and peril >= 0.0 and np.isfinite(mf * eff[r, f] * scale)
        trusted = trusted and not np.isnan(value)
        floor = stay[n]  # what a march must beat
        if is_army and prune:
            floor = (floor if np.isfinite(floor) else -np.inf) - around[0][n, here]
        for p in range(P):
            move[n, p] = -np.inf
            take[n, p] = 0.0
            v_gat[n, p] = 0.0
            done[p] = trusted and not legal[p]  # (there the score is -inf)
            if done[p] or not trusted:
                continue
            b, size = march_bound(
                run_t, _place(r, f, p, place_t, rows), threats[r, p, _LOST_MOST], rates
            )
            j = join[n, p]
            b = within(b + j, size + abs(j))
            b = b + noise * scale * z[p] if noise > 0 else b
            bound[p] = _around(b, p, around, n) if is_army else b
        # The place of the highest bound first (NaN first; the first of equals), then
        # the others in order, each only if its bound reaches staying and the best.
        first = -1
        if trusted:
            for k in range(P):
                if done[k]:
                    continue
                nan_k, nan_f = np.isnan(bound[k]), first >= 0 and np.isnan(bound[first])
                if first < 0 or (nan_k and not nan_f) or bound[k] > bound[first]:
                    first = k
        best = -np.inf
        for i in range(-1, P):
            p = first if i < 0 else i
            if p < 0 or (i >= 0 and p == first) or done[p]:
                continue
            if trusted and (bound[p] < floor or bound[p] < best):
                continue
            keep_go = 0.0
            if legal[p]:
                th = _threats(threats, r, p)
                keep_go, lost_go = keep_at(base[p] + mf, _MEETING, p, th, le, ld, odds_t)
                keep_base, lost_base = keep_at(base[p], _HASTY, p, th, le, ld, odds_t)
                keeps = (keep_go, keep_base, lost_go, lost_base)
                place = _place(r, f, p, place_t, rows)
                m, t, g = march_score(run_t, place, keeps, force_t, rates)
            else:  # no march there: nothing to weigh
                m, t, g = -np.inf, 0.0, 0.0
            alone = base[p] + mf < top
            risk = peril * (1.0 - keep_go) * (1.0 if alone else 0.0)
            m = m + join[n, p] - risk
            # A head of state goes where the army goes: on his own he takes nothing.
            if chief and alone and not is_army:
                if legal[p]:
                    m = m - t
                t = 0.0
            if noise > 0:
                m = m + noise * scale * z[p]
            move[n, p] = m
            take[n, p] = t
            v_gat[n, p] = g
            if is_army and prune:
                m = _around(m, p, around, n)
            if np.isnan(m) and trusted:  # (argmax stops at the first NaN: no march)
                break
            best = max(best, m)


@jit.kernel
def threat_table(threat_men, threat_push, chance, own_held, lost_most):
    """Return ``[R, P, 14]``: the threats at each place of each run, as the keep chances read them.

    :func:`game.ai.holding.threats_at` of every place, worked out once a turn for every
    force the movement pass weighs (each force asks for most places), in one row of
    memory per place; then the most men standing there can lose, as a share
    (:data:`_LOST_MOST`): ``lost_most`` (:func:`most_lost`) times the chance of the
    seen threat and the larger of the unseen ones, as :func:`game.ai.holding.keep_at`
    adds them (NaN where a chance is below zero or anything read is NaN: no bound).
    """
    R, P = own_held.shape
    threat_t = (threat_men, threat_push, chance, own_held.reshape(-1))
    out = np.empty((R, P, 14))
    for r in range(R):
        for p in range(P):
            th = threats_at(r * P + p, threat_t)
            nan = 0.0
            for k in range(13):
                out[r, p, k] = th[k]
                nan += 0.0 * th[k]
            c0, c1, c2, f0, f1, f2 = th[:6]
            w0 = c0 if f0 > 0 and c0 > 0 else 0.0
            w1 = c1 if f1 > 0 and c1 > 0 else 0.0
            w2 = c2 if f2 > 0 and c2 > 0 else 0.0
            sure = c0 >= 0.0 and c1 >= 0.0 and c2 >= 0.0
            out[r, p, _LOST_MOST] = lost_most * (w0 + max(w1, w2)) + nan if sure else np.nan
    return out


@jit.kernel
def most_lost(p_win, def_loss):
    """Return the most share of its men a defender can lose in one battle of the odds table.

    As :func:`game.ai.holding.keep_at` reads a battle's losses (float32), over every cell;
    NaN if a cell holds a chance or a loss below zero, or NaN (no bound then).
    """
    most = np.float32(0.0)
    for j in range(p_win.size):
        lost = def_loss[j] + p_win[j] * _TENTH
        if not (p_win[j] >= 0 and def_loss[j] >= 0):
            return np.nan
        most = max(most, lost)
    return float(most)


_LOST_MOST = 13
"""The column of :func:`threat_table` holding the most men standing at a place can lose."""


@jit.inline_kernel
def _around(m, p, around, n):
    """Return the main body's score ``m`` of place ``p`` in row ``n`` as :func:`main_body` takes it.

    Less its peril there, plus the battle it seeks there (if the score is finite), plus
    the head start of the place it is bound for (``around``: see :func:`options`).
    """
    peril, seek, at, persist = around
    m = m - peril[n, p]
    m = m + seek[n, p] * (1.0 if np.isfinite(m) else 0.0)
    return m + persist if p == at[n] else m


@jit.inline_kernel
def _place(r, f, p, place_t, rows):
    """Return what :func:`~game.ai.march_values.march_score` reads of place ``p``, as scalars.

    ``place_t`` are the per-run tables it reads (``worth``, ``own_held``, ``open_land``,
    ``sphere``, ``relief_foe``, ``eta``, ``home``, ``gdest``, ``gval``, ``dest``), ``rows``
    the run's rows of :func:`options` (the men without the force, ``crossed``, the
    force's wear and the march's discount).
    """
    worth, own_held, open_land, sphere, relief_foe, eta, home, gdest, gval, dest = place_t
    base, crossed, wear, disc = rows
    g = gval[r, f] if p == gdest[r, f] else 0.0
    return (
        worth[r, p],
        own_held[r, p],
        open_land[r, p],
        sphere[r, p],
        relief_foe[r, p],
        eta[r, f, p],
        disc[p],
        base[p],
        crossed[p],
        home[p],
        g,
        p == dest[r, f],
        wear[p],
    )


@jit.inline_kernel
def _threats(table, r, p):
    """Return the threats of place ``p`` in run ``r`` from :func:`threat_table`, as a tuple."""
    return (
        table[r, p, 0],
        table[r, p, 1],
        table[r, p, 2],
        table[r, p, 3],
        table[r, p, 4],
        table[r, p, 5],
        table[r, p, 6],
        table[r, p, 7],
        table[r, p, 8],
        table[r, p, 9],
        table[r, p, 10],
        table[r, p, 11],
        table[r, p, 12],
    )


@jit.kernel
def soon(free, eta, mt, clear, chief, decides, T, cols):
    """Return ``[R, C, P]``: which of the slots ``cols`` (``[C]``) are free and can reach each place by a clear road in two marches.

    A head of state's force only where the battle decides: ``decides`` are the places
    of the battles that decide the war (``[R, P]``) and the provinces the outcomes turn
    on (``[P]``).  The table :func:`game.ai.movement.gather` pools its strikes from, of
    the side's own slots (no other is ever free).
    """
    decisive, key = decides
    R, _, P = eta.shape
    days = 2.0 * T
    out = np.zeros((R, cols.size, P), np.bool_)
    for r in range(R):
        for c in range(cols.size):
            f = cols[c]
            if not free[r, f]:
                continue
            for p in range(P):
                ok = eta[r, f, p] <= days and mt[r, f, p] and clear[r, f, p]
                out[r, c, p] = ok and (decisive[r, p] or key[p] or not chief[r, f])
    return out


@jit.kernel
def costs(supply_d, range_days, lack, place_t):
    """Return what the movement pass reads of each place of each run besides the force's own.

    The share a force loses to hunger there in two weeks (``lack[P]`` where supply is
    more than ``range_days`` away, ``supply_d[R, P]``), the posture of forces that stay
    (prepared where dug in, else hasty), and the land to take or cover (no enemy seen
    there, and none believed to be there unless the side holds it); ``place_t`` are
    where the side is dug in, where enemies are seen, where they are believed to be and
    what it holds (``[R, P]`` each).  numpy's floats: the hunger (one or zero) times
    ``lack``.
    """
    dug, foe_any, ghost_here, own_held = place_t
    R, P = supply_d.shape
    hungry = np.empty((R, P))
    post = np.empty((R, P), np.int64)
    open_land = np.empty((R, P), np.bool_)
    for r in range(R):
        for p in range(P):
            hungry[r, p] = (1.0 if supply_d[r, p] > range_days else 0.0) * lack[p]
            post[r, p] = _PREPARED if dug[r, p] else _HASTY
            open_land[r, p] = not foe_any[r, p] and not (ghost_here[r, p] and not own_held[r, p])
    return hungry, post, open_land


@jit.kernel
def gathering(odds, worth, behind, foe_men, g_men, ok_t, soon_t, stage, here, scal):
    """Return where each free force gathers for next turn's best strike: see :func:`game.ai.movement.gather`.

    ``odds`` are the strike's chance of winning and the shares each side loses
    (``[R, P]`` each, float32), ``worth`` and ``behind`` what beating the enemy there is
    worth, ``foe_men`` and ``g_men`` the enemy's men and those who can gather there;
    ``ok_t`` the places with seen enemies, where the side strikes nobody, and the least
    odds of each run; ``soon_t`` who can gather where (:func:`soon`, of the slots ``cols``), ``stage[P, P]`` the place
    one march short of another on the road, ``here[R, F]`` where each force is; ``scal``
    the worth of an enemy killed and of a man lost, and the personality's
    concentration.  numpy's order of operations and types: each loss times its weight
    in float32, then times the men in float64; the first best place (numpy's
    ``argmax``), the odds there whether or not it is taken.
    """
    p_win, def_loss, att_loss = odds
    foe_any, bar, threshold = ok_t
    k_kill, k_lose, conc = scal
    soon, cols = soon_t
    R, F = here.shape
    P = soon.shape[2]
    dest = np.full((R, F), -1, np.int64)
    value = np.zeros((R, F))
    target = np.full(R, -1, np.int64)
    gwin = np.empty(R, np.float32)
    kill = np.float32(k_kill)
    lose = np.float32(k_lose)
    share = conc * 0.6
    for r in range(R):
        best = 0
        top = -np.inf
        has = False
        for p in range(P):
            pw = p_win[r, p]
            gain = np.float64(pw) * (worth[r, p] + behind[r, p])
            ev = gain + np.float64(kill * def_loss[r, p]) * foe_men[r, p]
            ev = ev - np.float64(lose * att_loss[r, p]) * g_men[r, p]
            ok = foe_any[r, p] and not bar[r, p] and g_men[r, p] > 0
            ok = ok and np.float64(pw) >= threshold[r] and ev > 0
            if ok and ev > top:
                best, top, has = p, ev, True
        gwin[r] = p_win[r, best]
        if not has:
            continue
        target[r] = best
        for c in range(cols.size):
            f = cols[c]
            if soon[r, c, best]:
                h = here[r, f]
                dest[r, f] = stage[h if h >= 0 else h + P, best]
                value[r, f] = share * top
    return dest, value, target, gwin


@jit.kernel
def _argmax(row):
    """Return numpy's ``argmax`` of a row: the first largest value, or the first NaN."""
    best = 0
    for p in range(row.size):
        if np.isnan(row[p]):
            return p
        if row[p] > row[best]:
            best = p
    return best


NO_AROUND = (np.zeros((0, 0)), np.zeros((0, 0)), np.zeros(0, np.int64), 0.0)
"""What :func:`options` takes for ``around`` when it weighs a force alone."""


@jit.kernel
def moves(
    order,
    codes,
    eps,
    kind,
    target,
    free,
    why,
    scal,
    proj,
    sit_t,
    ap_t,
    cost_t,
    garrison_t,
    keep_t,
    join_t,
    march_t,
):
    """Let every free force of ``order`` stay or march: the movement pass.

    The forces choose in ``order`` (largest first), each in every run where it is free,
    on the projection of men as the forces before it left it (``proj``, updated in
    place as they march), from its :func:`options`: the best march if it beats staying,
    else staying (a garrison, or holding), else nothing (the force stays free).  ``kind``,
    ``target`` and ``free`` are the draft's orders, written in place with ``codes``
    (hold, garrison, march, none).  ``why`` (``[12, R, F]``) receives what explains each
    choice (see :func:`game.ai.movement_orders.note_moves`): 1 stayed or 2 marched, the
    five values of staying, the three parts of the march chosen (nothing for a force
    that stays), the chance of keeping where it stood, its men and the men projected
    where it ends.  A run reads and moves only its own row of every table, so the runs
    are taken a block of :data:`RUN_BLOCK` at a time: one call of :func:`options` per
    force and block, over the block's runs where it is free (the same floats as over
    the whole batch at once), pruned: only the march that can be chosen is weighed in
    full, and it is the march, with the score, that weighing every place would choose.
    """
    hold_code, garrison_code, march_code, none_code = codes
    men, here_t = sit_t[0], sit_t[1]
    R, P = proj.shape
    no_army = np.zeros(0)
    o = _rows(RUN_BLOCK, P)  # the rows of a block's runs, force after force
    work = _work(P)
    ri = np.empty(RUN_BLOCK, np.int64)
    for lo in range(0, R, RUN_BLOCK):  # a block of runs at a time, each apart
        hi = min(lo + RUN_BLOCK, R)
        for f in order:
            count = 0
            for r in range(lo, hi):
                if free[r, f]:
                    ri[count] = r
                    count += 1
            if count == 0:
                continue
            weigh(
                f,
                ri,
                count,
                no_army,
                True,
                NO_AROUND,
                o,
                work,
                scal,
                proj,
                sit_t,
                ap_t,
                cost_t,
                garrison_t,
                keep_t,
                join_t,
                march_t,
            )
            move, stay, take, v_gat, join, v_gar, v_keep, v_cov, v_gs, v_js, keep_stay, mf = o
            for n in range(count):
                r = ri[n]
                q = _argmax(move[n])
                best = move[n, q]
                go = np.isfinite(best) and best > stay[n]
                here = here_t[r, f]
                if go:
                    kind[r, f] = march_code
                    target[r, f] = q
                    free[r, f] = False
                    proj[r, here] -= men[r, f]
                    proj[r, q] += men[r, f]
                    why[0, r, f] = 2.0
                    why[6, r, f] = take[n, q]
                    why[7, r, f] = v_gat[n, q]
                    why[8, r, f] = join[n, q]
                    why[11, r, f] = proj[r, q]
                elif np.isfinite(stay[n]):
                    vk, vg, vc, vgs = v_keep[n], v_gar[n], v_cov[n], v_gs[n]
                    keep = vk > eps and vk >= vg and vk >= vc and vk >= vgs
                    garrison = not keep and vg > eps and vg >= vc and vg >= vgs
                    kind[r, f] = garrison_code if garrison else hold_code
                    target[r, f] = none_code
                    free[r, f] = False
                    why[0, r, f] = 1.0
                    why[11, r, f] = proj[r, here]
                else:
                    continue
                why[1, r, f] = v_gar[n]
                why[2, r, f] = v_keep[n]
                why[3, r, f] = v_cov[n]
                why[4, r, f] = v_gs[n]
                why[5, r, f] = v_js[n]
                why[9, r, f] = keep_stay[n]
                why[10, r, f] = mf[n]


@jit.kernel
def main_mass(free, regular, stands, here, dest, men, P):
    """Return the main body of each run: its largest force, whether it has men, its men, its place.

    The largest mass of free regular forces bound for one province (where it stands,
    or where it marches), its men added force by force in the order of the slots; the
    first place of the largest mass and, there, the first force of the most men (the
    first NaN, as numpy's ``argmax``).  The place is also the target returned (``[R]``,
    -1 where the mass is empty), until :func:`main_body` weighs it.
    """
    R, F = free.shape
    core = np.zeros(R, np.int64)
    has = np.zeros(R, np.bool_)
    army = np.empty(R)
    at = np.zeros(R, np.int64)
    target = np.empty(R, np.int64)
    mass = np.zeros(P)
    bound = np.empty(F, np.int64)
    pick = np.empty(F)
    for r in range(R):
        mass[:] = 0.0
        for f in range(F):
            go = dest[r, f] if dest[r, f] >= 0 else here[r, f]
            bound[f] = here[r, f] if stands[r, f] else go
            if free[r, f] and regular[f]:
                mass[bound[f]] += men[r, f]
        q = _argmax(mass)
        at[r] = q
        army[r] = mass[q]
        for f in range(F):
            m = men[r, f] if free[r, f] and regular[f] else 0.0
            pick[f] = m if bound[f] == q else -1.0
        core[r] = _argmax(pick)
        has[r] = army[r] > 0
        target[r] = q if has[r] else -1
    return core, has, army, at, target


@jit.kernel
def main_body(core, has, army, at, persist, target, tables, peril_t, seek_t):
    """Weigh where the main body marches: :func:`game.ai.movement.main_body_target`.

    ``core[R]`` is the main body's largest force, ``army[R]`` its men and ``at[R]``
    where it is bound, in the runs where it ``has`` men; ``tables`` are
    :func:`options`'s after its force, runs and men, ``peril_t`` and ``seek_t`` those of
    :func:`game.ai.army_kernels.army_peril` and :func:`~game.ai.army_kernels.seek_battle`.
    Each force that is some run's core is weighed once over the runs it leads, in the
    order of the slots, as the pass in numpy did; ``target[R]`` receives the place
    marched to, or where the core stands when staying is better.
    """
    here_t = tables[2][1]
    R = core.size
    top = -1
    for r in range(R):
        if has[r]:
            top = max(top, core[r])
    for slot in range(top + 1):
        count = 0
        for r in range(R):
            count += 1 if has[r] and core[r] == slot else 0
        if count == 0:
            continue
        ri = np.empty(count, np.int64)
        men = np.empty(count)
        count = 0
        for r in range(R):
            if has[r] and core[r] == slot:
                ri[count] = r
                men[count] = army[r]
                count += 1
        peril = army_kernels.army_peril(slot, ri, men, *peril_t)
        seek = army_kernels.seek_battle(slot, ri, men, *seek_t)
        o = options(slot, ri, men, True, (peril, seek, at[ri], persist), *tables)
        move, stay = o[0], o[1]
        for n in range(count):
            r = ri[n]
            row = move[n]
            for p in range(row.size):
                m = row[p] - peril[n, p]
                row[p] = m + seek[n, p] * (1.0 if np.isfinite(m) else 0.0)
            here = here_t[r, slot]
            s = stay[n] if np.isfinite(stay[n]) else -np.inf
            s = s - peril[n, here]
            # Marching on to where it is bound is the default; another place must be better.
            row[at[r]] += persist
            q = _argmax(row)
            best = row[q]
            target[r] = q if np.isfinite(best) and best > s else here
