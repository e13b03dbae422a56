"""The movement pass's scores of each march, compiled: one call per force.

The movement pass weighs, for each force in turn, every province it could march to in
every run where it is free (:func:`game.ai.movement.options`).  The scores are a dozen
sums and products per run and province; numpy spent them as some forty calls on
``[runs, provinces]`` temporaries, each gathered by the runs first.  These kernels read
the per-run tables in place and write the scores directly, in numpy's order of
operations, so the same floats come out.
"""

from __future__ import annotations

import numpy as np

from game.ai.operations import SPHERE_MEN
from game.engine import jit

POWERS = 32
"""Whole turns of a march whose discount :func:`discount` keeps once worked out."""


@jit.kernel
def powers():
    """Return the table :func:`discount` keeps its powers in: none worked out yet (NaN)."""
    return np.full(POWERS, np.nan)


@jit.kernel
def discount(eta, T, per_turn, memo):
    """Return the value kept after a march of ``eta`` days: ``per_turn`` per turn after the first.

    A march's discount is a power of whole turns, and a force weighs dozens of marches
    of a few turns each: the power of each number of turns is taken once, at the first
    march that needs it, and kept in ``memo`` (:func:`powers`, for one ``T`` and
    ``per_turn``), so the same floats come out for a fraction of the work.
    """
    x = max(np.ceil(eta / T), 1.0) - 1.0
    if not x < memo.size:  # a long march (or no road): taken as it is
        return per_turn**x
    i = int(x)
    if np.isnan(memo[i]):
        memo[i] = per_turn**x
    return memo[i]


@jit.inline_kernel
def march_scores(
    r,
    f,
    T,
    per_turn,
    ap_t,
    march_t,
    eta,
    keep_go,
    keep_base,
    lost_go,
    lost_base,
    base,
    crossed,
    home,
    gdest,
    gval,
    dest,
    mf,
    effn,
    wear,
    legal,
    k_lose,
    scale,
    memo,
    n,
    move,
    take,
    v_gat,
):
    """Write into row ``n`` of ``move``, ``take`` and ``v_gat`` the score of marching to each place, its taking and its gathering.

    Only the places the force may march to (``legal``) are weighed: elsewhere the score
    is ``-inf`` and there is nothing to take or gather.

    See :func:`game.ai.movement.options`: ``r`` the run, ``f`` the force; the per-run
    tables of ``ap_t`` (``worth``, ``open_land``, ``own_held``, ``signing``, ``defend``)
    and ``march_t`` (``hold_turns``, ``sphere``, ``relief_foe``, ``mine``), and
    ``eta``, ``gdest``, ``gval`` and ``dest`` are read at ``r``; the others are the
    run's ``[P]`` rows (``mf`` and ``effn`` the force's men and their effectiveness;
    ``home`` ``[P]``: a side on the defensive takes nothing beyond its home land).

    Enemy land is worth taking only as far as it is kept: against the enemy's main army
    (``sphere``), and against the largest enemy force that can come before the own main
    body does (``relief_foe``, in fighting power), which the men standing there after
    the march must beat alone.  The chance of the second is the sphere's own reading of
    two masses, a logistic in :data:`~game.ai.operations.SPHERE_MEN` times the log of
    the ratio of their fighting power (men times effectiveness; the men already there
    taken at the force's own): a band facing its match keeps the town even odds, one
    facing twice its power one in five.  This weighs only on a side that already holds
    a gain a treaty now would give it (``mine``): one without needs a first conquest for
    any peace and takes it where it can; and not within the last turns before the
    earliest signing (``signing``), when what counts is who stands in the town on the
    day, which this turn's chance of keeping it already weighs.
    """
    worth, own_held, open_land, defend, signing = ap_t[2], ap_t[3], ap_t[4], ap_t[5], ap_t[7]
    hold_turns, sphere, relief_foe, mine = march_t
    P = move.shape[1]
    for p in range(P):
        if not legal[p]:  # no march there: nothing to weigh
            move[n, p] = -np.inf
            take[n, p] = 0.0
            v_gat[n, p] = 0.0
            continue
        e = eta[r, f, p]
        t = 0.0
        t2 = 0.0
        if open_land[r, p]:
            disc = discount(e, T, per_turn, memo)
            # Enemy land must be kept for some turns to be worth taking (the treaty
            # is far), and within reach of the own main army rather than the enemy's.
            if own_held[r, p]:  # (x ** 1.0 is x: the power is skipped)
                last, go, go_base = 1.0, keep_go[p], keep_base[p]
            else:
                h, last = hold_turns[r], sphere[r, p]
                foe = relief_foe[r, p]
                if foe > 0.0 and mine[r] and not signing[r]:
                    own = (base[p] + mf) * effn
                    odds = (foe / max(own, 1e-6)) ** SPHERE_MEN
                    last = min(last, 1.0 / (1.0 + odds))
                go, go_base = keep_go[p] ** h, keep_base[p] ** h
            t = worth[r, p] * last * (go - go_base) * disc
            t2 = 0.5 * worth[r, p] * last * go * disc * (1.0 if crossed[p] else 0.0)
        t = t + t2
        # Mutual support, and on the defensive nothing beyond the home land.
        t = t + k_lose * base[p] * max(lost_base[p] - lost_go[p], 0.0)
        if defend[r] and not home[p]:
            t = 0.0
        g = gval[r, f] if p == gdest[r, f] else 0.0
        persist = 0.05 * scale if p == dest[r, f] else 0.0
        risk = k_lose * mf * lost_go[p]
        tcost = 0.01 * scale * e / T
        take[n, p] = t
        v_gat[n, p] = g
        move[n, p] = t + g - risk - wear[p] - tcost + persist


@jit.inline_kernel
def join_value(
    r, f, T, per_turn, eta, rally, men, chief, defend, weights, regular, conc, k_lose, memo
):
    """Return where force ``f`` joins the main body in run ``r``, and what it adds there.

    See :func:`game.ai.movement.options`: ``weights`` are the worth of its men with
    the main body as a regular force and as a head of state's (``chief[R, F]``), and
    the factor on the defensive (``defend[R]``); ``regular`` whether the force fights in
    line, ``conc`` the personality's concentration.  The place is the main body's,
    ``rally[r]``, or -1 where there is none (joining is worth nothing anywhere).
    """
    q = rally[r]
    if q < 0:
        return q, 0.0
    w = weights[1] if chief[r, f] else weights[0]
    w = w * (weights[2] if defend[r] else 1.0)
    worth = w * conc * k_lose * men[r, f] * (1.0 if regular else 0.0)
    return q, worth * discount(eta[r, f, q], T, per_turn, memo)
