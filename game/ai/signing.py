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

from typing import Final

import numpy as np
import numpy.typing as npt

from game import libm
from game.ai import treaty_kernels
from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.ai.explain import Reason
from game.ai.operations import turns_left
from game.ai.treaty import gain_towns, prizes, talks_near, usual_detachment
from game.codes import NONE, OrderKind

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
    following the enemy's bands about the country.
    """
    sit, ops = ap.sit, ap.ops
    near = talks_near(sit)
    if not near.any():
        return
    towns = prizes(sit)[None, :] & near[:, None]
    # The head of state's force is the army only while it stands with the main body: a
    # head of state whose own column is a detachment away from it does not go to hold a
    # town with it (the movement pass brings him back to the army).
    with_main = sit.here == ops.main_at[:, None]
    army = ops.chief & with_main & d.free & sit.stands & (sit.men > 0) & near[:, None]
    if not (towns.any() and army.any()):
        return
    rows = ap.rows
    left = np.maximum(turns_left(sit), 1.0)
    for f in np.flatnonzero(army.any(axis=0)):
        eta = sit.eta[:, f, :]  # [R, P]
        # The town it stands in, or the nearest it holds that it can reach before the
        # signing with no enemy seen there: it marches through its own conquests, not
        # into a battle (an enemy-held town is the attack pass's to weigh).
        back = towns & ap.own_held & ~ap.foe_any & ap.mt[:, f, :]
        back &= eta <= (left * ap.T)[:, None]
        ok = back | (towns & (np.arange(ap.P)[None, :] == sit.here[:, f][:, None]))
        cost = np.where(ok, eta, np.inf)
        q = np.argmin(cost, axis=1)
        go = army[:, f] & np.isfinite(cost[rows, q])
        if not go.any():
            continue
        # Where the enemy's main army can strike the town this turn, whether to stand,
        # strike or fall back is for the attack and contact passes (they weigh the head
        # of state's life)
        # Against the enemy's main army in strength, that is, not against its bands.
        match = ops.foe_main_men >= ARMY_MATCH * sit.men[:, f]
        go &= ~(match & _main_near(ap, q, marches=1.0))
        there = go & (sit.here[:, f] == q)
        march = go & ~there
        if there.any():
            col = np.zeros((ap.R, ap.F), bool)
            col[:, f] = there
            d.assign(col, OrderKind.HOLD, NONE)
            if d.notes.recording:
                d.notes.set(col, Reason.STATION, place=q[:, None], other=q[:, None], men=sit.men)
        if march.any():
            col = np.zeros((ap.R, ap.F), bool)
            col[:, f] = march
            dest = np.broadcast_to(q[:, None], col.shape)
            d.assign(col, OrderKind.MARCH, dest)
            d.move_men(col, np.ascontiguousarray(dest))
            if d.notes.recording:
                d.notes.set(col, Reason.STATION, place=dest, other=sit.here, men=sit.men)


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
    last = talks_near(sit) & (left <= GUARD_TURNS)
    # The enemy towns its own gain rests on are kept from the day the talks open: talks
    # may stand still for months (on the enemy's condition, say, that they be given up),
    # and the peace counts only the towns with men in them when they move again.
    talking = talks_near(sit) & (sit.obs.talks >= 0)
    if not (last | talking).any():
        return
    towns = gain_towns(sit)[None, :] & ap.own_held & last[:, None]
    # ... and the enemy towns it holds that its own winning outcomes name.
    towns |= prizes(sit)[None, :] & ap.own_held & (last | talking)[:, None]
    towns &= ~ap.foe_any
    if not towns.any():
        return
    control = float(max(scn.rules.control_men, 1))
    # Enough for a detachment of the usual size, or for the seen enemies in reach: in
    # men times their worth in battle (militia do not hold a town against regulars).
    rows = ap.rows
    power = sit.men * sit.eff
    near_foe = ap.foe_near.men * libm.exp(ap.foe_near.log_eff)
    want = GUARD_MEN * np.maximum(usual_detachment(sit, power=True), near_foe)
    fit = d.free & sit.own[None, :] & ~ops.chief & (sit.men > 0)
    fit &= ~ap.foe_any[rows[:, None], sit.here]
    army = ops.chief & (sit.here == ops.main_at[:, None]) & d.free & (sit.men > 0)
    there = (fit | army) & sit.stands & towns[rows[:, None], sit.here]
    # The free forces standing in such a town stay, the largest first, until enough;
    # then the towns still short get the nearest free force enough by itself, those
    # that enemies seen or presumed can reach first (a band unseen may come to any).
    # The army itself (its head of state with it) may come to a town far from the
    # enemy's main army: the side's own land is where it stands at the signing.
    priority = ap.worth + ap.scale * (ap.threat_men > 0)
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


def _main_near(ap: Appraisal, places: I64, marches: float = 2.0) -> B:
    """Return ``[R]``: the enemy's main army can strike each run's place within ``marches``."""
    foe_at = ap.ops.foe_main_at
    return (foe_at >= 0) & (_fastest(ap)[np.maximum(foe_at, 0), places] <= marches * ap.T)


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
