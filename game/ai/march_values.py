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


@jit.inline_kernel
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
def march_score(run, place, keeps, force, rates):
    """Return the score of marching to a place, what taking it is worth, and gathering there.

    Of a place the force may march to only (elsewhere the score is ``-inf`` and there
    is nothing to take or gather); see :func:`game.ai.movement.options`.  Of scalars only,
    read by the caller (an array handed to an inlined function in a kernel's innermost
    loop is counted in and out of use every time):

    - ``run``: whether the side is on the defensive, whether the signing nears, the
      turns a conquest must be kept and whether the side holds a gain a treaty would
      give it (``mine``);
    - ``place``: its worth, whether the side holds it, whether it is open land, the
      sphere's chance of keeping it and the largest enemy that can relieve it, the
      march's days and discount (:func:`discount`, of open land only), the men standing
      there without the force, whether the force brings them to what an outcome needs
      (``crossed``), whether it is home land (a side on the defensive takes nothing
      beyond it), what gathering there is worth, whether the force is already bound
      there, and the force's wear there;
    - ``keeps``: the chances of keeping it with the force and without it, and the
      shares of men lost in each;
    - ``force``: its men and their effectiveness;
    - ``rates``: the length of a turn, the worth of a man lost and the scale of victory
      points.

    :func:`march_bound` is the most this can be.  Enemy land is worth taking only as
    far as it is kept: against the enemy's main army (the sphere), and against the
    largest enemy force that can come before the own main body does (in fighting power),
    which the men standing there after the march must beat alone.  The chance of the
    second is the sphere's own reading of two masses, a logistic in
    :data:`~game.ai.operations.SPHERE_MEN` times the log of the ratio of their fighting
    power (men times effectiveness; the men already there taken at the force's own): a
    band facing its match keeps the town even odds, one facing twice its power one in
    five.  This weighs only on a side that already holds a gain a treaty now would give
    it: one without needs a first conquest for any peace and takes it where it can; and
    not within the last turns before the earliest signing, when what counts is who
    stands in the town on the day, which this turn's chance of keeping it already
    weighs.
    """
    defend, signing, h, mine = run
    worth, held, open_land, sphere, foe, e, disc, base, crossed, home, g, bound_for, wear = place
    keep_go, keep_base, lost_go, lost_base = keeps
    mf, effn = force
    T, k_lose, scale = rates
    t = 0.0
    t2 = 0.0
    if open_land:
        # Enemy land must be kept for some turns to be worth taking (the treaty
        # is far), and within reach of the own main army rather than the enemy's.
        if held:  # (x ** 1.0 is x: the power is skipped)
            last, go, go_base = 1.0, keep_go, keep_base
        else:
            last = sphere
            if foe > 0.0 and mine and not signing:
                own = (base + mf) * effn
                odds = (foe / max(own, 1e-6)) ** SPHERE_MEN
                last = min(last, 1.0 / (1.0 + odds))
            go, go_base = keep_go**h, keep_base**h
        t = worth * last * (go - go_base) * disc
        t2 = 0.5 * worth * last * go * disc * (1.0 if crossed else 0.0)
    t = t + t2
    # Mutual support, and on the defensive nothing beyond the home land.
    t = t + k_lose * base * max(lost_base - lost_go, 0.0)
    if defend and not home:
        t = 0.0
    persist = 0.05 * scale if bound_for else 0.0
    risk = k_lose * mf * lost_go
    tcost = 0.01 * scale * e / T
    return t + g - risk - wear - tcost + persist, t, g


@jit.inline_kernel
def march_bound(run, place, lost_most, rates):
    """Return the most :func:`march_score` can give at a place before a battle is looked up.

    ``run``, ``place`` and ``rates`` as :func:`march_score`'s; instead of the chances of
    keeping the place and the shares lost there, which need the odds table,
    ``lost_most``: the most men standing there can lose
    (:func:`game.ai.option_kernels.threat_table`).  What taking the place is worth is at
    most its worth, times what is left of it after the march (the sphere, the discount),
    once and a half (the men an outcome needs); supporting the men there, at most what
    they would lose; the risk of the march is at least nothing.  Returns the bound and
    the size of the terms it adds, the scale of the rounding of the score
    (:func:`within`).  NaN where something it reads is (the place is then weighed in
    full).
    """
    defend, _, h, _ = run
    worth, held, open_land, sphere, _, e, disc, base, crossed, home, g, bound_for, wear = place
    T, k_lose, scale = rates
    t = abs(k_lose * base) * lost_most
    if open_land:
        # (go ** h and go_base ** h stay within [0, 1] only for h >= 0)
        last = 1.0 if held else abs(sphere) * (1.0 if h >= 0.0 else np.nan)
        t += abs(worth) * last * abs(disc) * (1.5 if crossed else 1.0)
    if defend and not home:
        t = 0.0
    persist = 0.05 * scale if bound_for else 0.0
    tcost = 0.01 * scale * e / T
    return t + g - wear - tcost + persist, t + abs(g) + abs(wear) + abs(tcost) + persist


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


@jit.inline_kernel
def within(bound, size):
    """Return ``bound`` widened by far more than the rounding of a sum of terms of ``size``.

    :func:`march_bound` bounds the score in exact arithmetic; the score itself is a
    dozen float operations on terms no larger in all than ``size``, each off by at most
    half a unit in the last place.
    """
    return bound + 1e-9 * size
