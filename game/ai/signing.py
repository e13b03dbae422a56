"""Stand where the outcome is decided at the signing: the army in its prize, garrisons at home.

The peace judges who holds what when it is signed, and a side holds a town of the
other's only with men standing in it (:mod:`game.ai.treaty` reads which towns the
outcomes name).  Two passes, before the attacks, so that nobody marches out on the
last day:

* :func:`station`: once the talks are open, the army, its head of state with it, keeps
  to the enemy town its own gain rests on (or marches back to the nearest it can reach
  before the signing) instead of following the enemy's bands about the country.
* :func:`guard`: over the last :data:`GUARD_TURNS` turns every own town the enemy's
  outcomes name keeps or gets a garrison strong enough for a detachment of the enemy's
  usual size, since a band that walks into one on the last day makes the peace an
  exchange; every enemy town the side's gain rests on does so from the day the talks
  open (talks may stand still for months, and the gain is lost with the town).
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai import treaty_kernels
from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.ai.explain import Reason
from game.ai.operations import turns_left
from game.ai.treaty import gain_towns, prizes, talks_near, usual_detachment
from game.codes import NONE, OrderKind
from game.engine import jit

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

ARMY_MATCH: Final = 1.0
"""Share of the army's men from which the enemy's main army, a march off, is a match for it:
then the attack and contact passes decide whether the army stands, strikes or falls back."""
GUARD_TURNS: Final = 3.0
"""Turns before the signing from which the side garrisons every town of its own that the
enemy's outcomes name: a band that walks into one on the last day makes the peace an
exchange."""
GUARD_ROUNDS: Final = 12
"""Forces sent to guard towns per turn at most (one per round)."""
GUARD_MEN: Final = 1.5
"""Strength a town is guarded with at the signing (men times their worth in battle),
per unit of a detachment of the enemy's usual size."""


def station(ap: Appraisal, d: Draft) -> None:
    """Keep the army, its head of state with it, where the side's own gain rests at the signing.

    Once the talks are open (or the scenario's end is as near as talks would take), the
    peace is judged on who holds what when it is signed.  The side's own gain rests on
    the enemy towns its winning outcomes name that it holds, and an enemy town counts as
    held only with men standing in it: the army, the surest garrison, stands in the one
    it holds (or marches to the nearest it can reach before the signing) instead of
    following the enemy's bands about the country.  One kernel (:func:`_stations`).
    """
    sit, ops = ap.sit, ap.ops
    near = talks_near(sit)
    if not near.any():
        return
    left = np.maximum(turns_left(sit), 1.0)
    there, march, dest = _stations(
        (near, prizes(sit), left * ap.T),
        (ops.chief, d.free, sit.stands, np.ascontiguousarray(sit.here, np.int64), sit.men),
        (ops.main_at, ap.own_held, ap.foe_any, ap.mt, sit.eta),
        (ops.foe_main_at, ops.foe_main_men, _fastest(ap), ARMY_MATCH, float(ap.T)),
    )
    if there.any():
        d.assign(there, OrderKind.HOLD, NONE)
        if d.notes.recording:
            d.notes.set(there, Reason.STATION, place=dest, other=dest, men=sit.men)
    if march.any():
        d.assign(march, OrderKind.MARCH, dest)
        d.move_men(march, dest)
        if d.notes.recording:
            d.notes.set(march, Reason.STATION, place=dest, other=sit.here, men=sit.men)


@jit.kernel
def _stations(when_t, force_t, road_t, foe_t):  # pragma: no cover - compiled
    """Return ``[R, F]`` the army's forces that stand in a prize, those that march to one, and where.

    ``when_t``: the runs where the talks are near, ``[P]`` the prizes (the enemy towns
    the side's own gain rests on) and ``[R]`` the days left before the signing.  The
    army is the free forces a head of state leads that stand with the main body and
    have men (``force_t``: the chiefs, the free forces, those standing, where each is and
    its men).  Each goes to the town it stands in, or the nearest it holds that it can
    reach before the signing with no enemy seen there (``road_t``: the main body's
    place, the places held, where enemies are seen, the legal marches, the days): the
    first of the fewest days, as numpy's ``argmin``.  Where the enemy's main army, a
    match for it (``foe_t``: its place, its men, the share of the army's men that makes
    a match), can strike the town within a march (the fastest days, a turn's days), it
    is for the attack and contact passes to decide.
    """
    near, prize, limit = when_t
    chief, free, stands, here, men = force_t
    main_at, own_held, foe_any, mt, eta = road_t
    foe_at, foe_men, fastest, match_share, T = foe_t
    R, F = chief.shape
    P = prize.size
    there = np.zeros((R, F), np.bool_)
    march = np.zeros((R, F), np.bool_)
    dest = np.zeros((R, F), np.int64)
    if not prize.any():
        return there, march, dest
    for r in range(R):
        if not near[r]:
            continue
        for f in range(F):
            h = here[r, f]
            if not (chief[r, f] and h == main_at[r] and free[r, f] and stands[r, f]):
                continue
            if not men[r, f] > 0:
                continue
            q = 0
            low = np.inf
            for p in range(P):
                cost = np.inf
                if prize[p]:
                    ok = p == h
                    if own_held[r, p] and not foe_any[r, p] and mt[r, f, p]:
                        ok = ok or eta[r, f, p] <= limit[r]
                    if ok:
                        cost = eta[r, f, p]
                if cost < low or p == 0:
                    q, low = p, cost
            if not np.isfinite(low):
                continue
            match = foe_men[r] >= match_share * men[r, f]
            a = foe_at[r]
            if match and a >= 0 and fastest[a, q] <= 1.0 * T:
                continue
            dest[r, f] = q
            if h == q:
                there[r, f] = True
            else:
                march[r, f] = True
    return there, march, dest


def guard(ap: Appraisal, d: Draft) -> None:
    """Keep a garrison at the signing in every own town the enemy's gain could rest on.

    Within :data:`GUARD_TURNS` of the signing, every town of the side's own that the
    enemy's winning outcomes name and that it holds (and, from the day the talks open,
    every enemy town it holds that its own winning outcomes name: talks may stand still
    for months, on a condition such as the evacuation of those very towns, and the peace
    counts a town only with men in it) should have men enough to beat off
    a detachment of the enemy's usual size (:func:`usual_detachment`): the free forces
    standing in it stay (the largest first, until there are), and the towns still short
    get the nearest free force that can reach them this turn, those that enemies seen or
    presumed can reach first, the most valuable first (a band out of sight may walk into
    any of them).  The head of state stays with the army, and no force leaves a key
    place it holds empty.
    """
    sit, scn, ops = ap.sit, ap.sit.scn, ap.ops
    left = turns_left(sit)
    near = talks_near(sit)
    if not near.any():
        return
    # Enough for a detachment of the usual size, or for the seen enemies in reach: in
    # men times their worth in battle (militia do not hold a town against regulars).
    # The free forces standing in such a town stay, the largest first, until enough;
    # then the towns still short get the nearest free force enough by itself, those
    # that enemies seen or presumed can reach first (a band unseen may come to any).
    # The army itself (its head of state with it) may come to a town far from the
    # enemy's main army: the side's own land is where it stands at the signing.
    towns, want, priority, power, fit, army, there = _guarded(
        (near, left, sit.obs.talks, gain_towns(sit), prizes(sit)),
        (ap.own_held, ap.foe_any, ap.foe_near.men, ap.foe_near.log_eff, ap.worth, ap.threat_men),
        (d.free, sit.own, ops.chief, sit.stands, np.ascontiguousarray(sit.here, np.int64)),
        (sit.men, sit.eff, ops.main_at),
        (usual_detachment(sit, power=True), float(ap.scale)),
    )
    if not towns.any():
        return
    control = float(max(scn.rules.control_men, 1))
    act, dest = treaty_kernels.guard(
        np.argsort(-np.asarray(scn.men0), kind="stable"),
        towns,
        want,
        priority,
        (power, fit, army, there, np.ascontiguousarray(d.free)),
        np.ascontiguousarray(sit.here, np.int64),
        (ops.key, ap.own_held, d.proj, sit.men, control),
        (sit.eta, ap.mt, sit.clear, np.maximum(left, 1.0) * ap.T),
        (ops.foe_main_at, _fastest(ap), 2.0 * ap.T),
        GUARD_ROUNDS,
    )
    stay, go = act == treaty_kernels.STAY, act == treaty_kernels.GO
    # An empty order changes nothing: most turns nobody is sent (a batch of one).
    if stay.any():
        d.assign(stay, OrderKind.HOLD, NONE)
    if go.any():
        d.assign(go, OrderKind.MARCH, dest)
        d.move_men(go, dest)
    _note_guard(ap, d, stay | go, dest)


@jit.kernel
def _guarded(when_t, place_t, force_t, men_t, size_t):  # pragma: no cover - compiled
    """Return the towns :func:`guard` keeps, the strength each wants, and who may keep them.

    ``[R, P]`` the towns: within :data:`GUARD_TURNS` of the signing (``when_t``: the runs
    where the talks are near, the turns left, the talks' turn, ``[P]`` the own towns
    the enemy's gain rests on and the enemy towns the side's own does) the own towns
    the enemy's gain rests on that the side holds, and from the day the talks open the
    enemy towns its own gain rests on that it holds, where no enemy is seen
    (``place_t``: the places held, where enemies are seen, the men and ln effectiveness
    of the seen enemies in reach of each place, its worth and the men that may come at
    it); the strength each wants (:data:`GUARD_MEN` times the larger of the usual
    detachment's and the enemies' in reach, in men times their worth in battle, with
    ``exp`` the C library's); each town's priority (its worth, and the scale of victory
    points where men may come at it); ``[R, F]`` each force's strength, the free forces
    of the side with men and no head of state where no enemy is seen (``force_t``: the
    free forces, the own slots, the chiefs, those standing, where each is), the army
    with its head of state (``men_t``: the men, the effectiveness, the main body's
    place), and those of either standing in such a town.  ``size_t``: the usual
    detachment's strength and the scale.  All empty where no town is to be kept.
    """
    near, left, talks, gain, prize = when_t
    own_held, foe_any, foe_men, foe_log_eff, worth, threat_men = place_t
    free, own, chief, stands, here = force_t
    men, eff, main_at = men_t
    usual, scale = size_t
    R, P = own_held.shape
    F = free.shape[1]
    towns = np.zeros((R, P), np.bool_)
    any_town = False
    for r in range(R):
        if not near[r]:
            continue
        last = left[r] <= GUARD_TURNS
        talking = talks[r] >= 0
        if not (last or talking):
            continue
        for p in range(P):
            if own_held[r, p] and not foe_any[r, p] and ((gain[p] and last) or prize[p]):
                towns[r, p] = True
                any_town = True
    want = np.zeros((R, P))
    priority = np.zeros((R, P))
    power = np.zeros((R, F))
    fit = np.zeros((R, F), np.bool_)
    army = np.zeros((R, F), np.bool_)
    there = np.zeros((R, F), np.bool_)
    if not any_town:
        return towns, want, priority, power, fit, army, there
    for r in range(R):
        for p in range(P):
            near_foe = foe_men[r, p] * math.exp(foe_log_eff[r, p])
            want[r, p] = GUARD_MEN * (usual if usual >= near_foe else near_foe)
            priority[r, p] = worth[r, p] + scale * (threat_men[r, p] > 0)
        for f in range(F):
            h = here[r, f]
            power[r, f] = men[r, f] * eff[r, f]
            manned = free[r, f] and men[r, f] > 0
            fit[r, f] = manned and own[f] and not chief[r, f] and not foe_any[r, h]
            army[r, f] = manned and chief[r, f] and h == main_at[r]
            there[r, f] = (fit[r, f] or army[r, f]) and stands[r, f] and towns[r, h]
    return towns, want, priority, power, fit, army, there


def _fastest(ap: Appraisal) -> F64:
    """Return ``[P, P]``: days between places at the fastest pace."""
    return ap.sit.st.fastest


def _note_guard(ap: Appraisal, d: Draft, sel: B, place: I64) -> None:
    """Record that the forces of ``sel`` hold ``place`` for the signing."""
    if not d.notes.recording or not sel.any():
        return
    rows = ap.rows[:, None]
    d.notes.set(
        sel,
        Reason.GUARD,
        place=place,
        men=ap.sit.men,
        foe=ap.threat_men[rows, place],
    )
