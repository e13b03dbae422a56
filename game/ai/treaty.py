"""What the treaty needs: clear the enemy's detachments that stall the talks or win it a gain.

Once peace talks are open (or the scenario's end is as near as talks would take), a war
is decided by who stands where at the signing, not by the next battle.  Two things then
hang on the enemy's detachments standing on the side's own land:

* **The talks.**  A scenario may let the talks advance only while a condition holds
  (``victory.peace.negotiate_when``): a side's condition for negotiating, such as the
  enemy's evacuation of its towns.  Enemy men standing where the condition counts them
  keep the talks from moving (:func:`talk_blockers` reads which places those are, from
  the condition itself).
* **The outcome.**  The treaty names a winner from who holds what
  (:func:`game.engine.phases.peace.name_outcome`), and an enemy keeps a town of the
  side's own only with men in it.  Enemy men standing in own land the enemy's winning
  outcomes name make the peace an exchange, or the enemy's victory.

So the side detaches enough strength to clear them (:func:`clear`): for each such place
(the most valuable first), and for the other enemy bands seen on its own land, the
nearest free forces that can get there before the signing, until their men outnumber
the enemy's there by :data:`CLEAR_RATIO` and their odds clear :data:`CLEAR_ODDS`.  It
does not break up its army for it: the head of state stays with the army, the main body
gives only the men it can spare against the enemy's main army, a place the enemy's main
army holds is the main body's business (a decisive battle), and a force leaves no key
place it holds empty.  Forces that can strike this turn attack; the others march to the
last place short of it on the road.

And it holds what decides the outcome at the signing (:func:`guard`): over the last
:data:`GUARD_TURNS` turns every town of its own that the enemy's outcomes name, and
every enemy town its own gain rests on, keeps or gets a garrison strong enough for a
detachment of the enemy's usual size, since a band that walks into one on the last day
makes the peace an exchange.

Nothing here names a place or a side: the condition, the outcomes and the home lands
come from the scenario.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.ai.explain import Reason
from game.ai.features import Situation
from game.ai.operations import turns_left
from game.codes import NONE, OrderKind, Posture
from game.scenario.compile import CompiledScenario
from game.scenario.schema import Condition

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
GUARD_TURNS: Final = 3.0
"""Turns before the signing from which the side garrisons every town of its own that the
enemy's outcomes name: a band that walks into one on the last day makes the peace an
exchange."""
GUARD_ROUNDS: Final = 12
"""Forces sent to guard towns per turn at most (one per round)."""
GUARD_MEN: Final = 1.5
"""Strength a town is guarded with at the signing (men times their worth in battle),
per unit of a detachment of the enemy's usual size."""


def talk_blockers(scn: CompiledScenario, side: int) -> B:
    """Return ``[P]``: where enemy men keep the scenario's condition for negotiating failing.

    Read from ``victory.peace.negotiate_when``: the places of a ``forces_in`` test on the
    enemy's men, or of a ``controls``/``holds`` test on what the enemy holds, that must
    *not* hold (under an odd number of ``not``) for the talks to move.  Cached on the
    scenario.
    """
    cache = scn.extra.setdefault("ai_talk_blockers", {})
    if side in cache:
        return cache[side]  # type: ignore[no-any-return]
    out = np.zeros(scn.P, bool)
    enemy = 1 - side

    def walk(cond: Condition | None, negated: bool) -> None:
        if cond is None:
            return
        if cond.not_ is not None:
            walk(cond.not_, not negated)
        for sub in (cond.all or []) + (cond.any or []):
            walk(sub, negated)
        if cond.some_of is not None:
            for sub in cond.some_of.of:
                walk(sub, negated)
        if not negated:
            return
        if cond.forces_in is not None and scn.side_index[cond.forces_in.side] == enemy:
            out[[scn.province_index[p] for p in cond.forces_in.provinces]] = True
            if cond.forces_in.home_of is not None:
                out[np.asarray(scn.home[scn.side_index[cond.forces_in.home_of]], bool)] = True
        if cond.controls is not None and scn.side_index[cond.controls.side] == enemy:
            out[scn.province_index[cond.controls.province]] = True
        if cond.holds is not None and scn.side_index[cond.holds.side] == enemy:
            out[[scn.province_index[p] for p in cond.holds.provinces]] = True

    walk(scn.model.victory.peace.negotiate_when, False)
    cache[side] = out
    return out


def gain_towns(sit: Situation) -> B:
    """Return ``[P]``: the side's own home provinces the enemy's winning outcomes name.

    Enemy men standing in one at the signing win the enemy a gain: the treaty pass clears
    and guards them, and the look-ahead's plan of clearing aims at them.
    """
    return np.asarray(sit.scn.home[sit.side], bool) & (np.asarray(sit.st.key[sit.enemy]) > 0)


def at_stake(ap: Appraisal) -> tuple[F64, npt.NDArray[np.int8]]:
    """Return ``[R, P]``: the enemy men to clear from each place, and why (a Reason).

    Once talks are open (or the scenario's end is as near as talks would take): the
    enemy men seen or believed in each place where they stall the talks or win the
    enemy a gain at the signing, and the bands seen anywhere on the side's own land (the
    fewer roam it, the fewer walk into a town on the last day); 0 elsewhere.  An own
    town the enemy holds out of sight is presumed held by a detachment of the enemy's
    usual size (:func:`usual_detachment`).  Within :data:`GUARD_TURNS` of the signing,
    seen enemies that could walk into such a town this turn are to be cleared too.
    Places where the enemy's main army stands are left to the main body.
    """
    sit, scn = ap.sit, ap.sit.scn
    near = _talks_near(sit)
    ghost = np.zeros((ap.R, ap.P))
    r, f = np.nonzero(sit.ghost_at >= 0)
    np.add.at(ghost, (r, sit.ghost_at[r, f]), sit.ghost_men[r, f])
    men = ap.foe.men + ghost
    # An own town the enemy holds out of sight: held by a detachment of the usual size.
    usual = usual_detachment(sit)
    unseen = (sit.owner == sit.enemy) & ~sit.watched
    men = np.where(unseen & (men <= 0), usual, men)
    control = float(max(scn.rules.control_men, 1))
    home = np.asarray(scn.home[sit.side], bool)
    gain = gain_towns(sit)
    talks = talk_blockers(scn, sit.side)
    stalls = talks[None, :] & (men > 0)
    wins = gain[None, :] & (men >= control)
    # Near the signing, a band one march from such a town may walk into it on the day.
    last = near & (turns_left(sit) <= GUARD_TURNS)
    at_gain = gain[None, :] & (sit.owner == sit.side)  # [R, P]
    close = (sit.foe_reach & at_gain[:, None, :]).any(axis=2)  # [R, F]: seen, in reach
    poised = np.zeros((ap.R, ap.P), bool)
    r, f = np.nonzero(close & sit.enemy_seen)
    poised[r, np.maximum(sit.obs.loc[r, f], 0)] = True
    poised &= last[:, None] & (ap.foe.men >= control)
    # And any band seen on the side's own land: the fewer roam it, the fewer walk in.
    roam = home[None, :] & (ap.foe.men >= control)
    targets = (stalls | wins | poised | roam) & near[:, None] & ~ap.ops.decisive
    why = np.where(
        stalls, Reason.CLEAR_TALKS, np.where(wins | poised, Reason.CLEAR_GAIN, Reason.CLEAR_LAND)
    )
    return np.where(targets, men, 0.0), np.where(targets, why, Reason.NONE).astype(np.int8)


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
    R, F = ap.R, ap.F
    rows = ap.rows
    eta = sit.eta[rows, :, q]  # [R, F]
    stage = np.asarray(sit.st.stage)[sit.here, q[:, None]].astype(np.int64)  # [R, F]
    stage_ok = (stage >= 0) & ~ap.foe_any[rows[:, None], np.maximum(stage, 0)]
    strike_now = ap.reach[rows, :, q]
    road = ap.mt[rows[:, None], np.arange(F)[None, :], np.maximum(stage, 0)]
    road &= sit.clear[rows[:, None], np.arange(F)[None, :], np.maximum(stage, 0)]
    can = strike_now | (stage_ok & (road | (stage == sit.here)))
    in_time = eta <= left[:, None] * ap.T
    # A force in contact is the contact pass's, unless the enemy is where it stands.
    engaged = ap.foe_any[rows[:, None], sit.here] & (sit.here != q[:, None])
    # It leaves no key place it holds without the men to keep it.
    here_key = ops.key[sit.here] & ap.own_held[rows[:, None], sit.here]
    bare = here_key & (d.proj[rows[:, None], sit.here] - sit.men < control)
    cand = d.free & sit.own[None, :] & ~ops.chief & can & in_time & ~engaged & ~bare
    cand &= has[:, None] & (sit.men > 0)
    # The main body's own forces last, and only as many men as it can spare.
    key = np.where(cand, eta + np.where(with_main, 1e6, 0.0), np.inf)
    order = np.argsort(key, axis=1, kind="stable")
    men_o = np.take_along_axis(np.where(cand, sit.men, 0.0), order, axis=1)
    main_o = np.take_along_axis(with_main & cand, order, axis=1)
    over = main_o & (np.cumsum(np.where(main_o, men_o, 0.0), axis=1) > spare[:, None])
    men_o = np.where(over, 0.0, men_o)
    need = CLEAR_RATIO * foe_men[rows, q] + control
    cum = np.cumsum(men_o, axis=1)
    # Take forces until the men suffice (the one that crosses the line included).
    take_o = (men_o > 0) & ((cum - men_o) < need[:, None])
    enough = cum[:, -1] >= need if F else np.zeros(R, bool)
    sel = np.zeros((R, F), bool)
    np.put_along_axis(sel, order, take_o & enough[:, None], axis=1)
    if not sel.any():
        return sel, stage, np.zeros(R)
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
    d.assign(strike, kind, q[:, None])
    d.move_men(strike, np.broadcast_to(q[:, None], sel.shape))
    rest = sel & ~strike
    wait = rest & (stage == sit.here)
    go = rest & ~wait
    d.assign(wait, OrderKind.HOLD, NONE)
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


def guard(ap: Appraisal, d: Draft) -> None:
    """Keep a garrison at the signing in every own town the enemy's gain could rest on.

    Within :data:`GUARD_TURNS` of the signing, every town of the side's own that the
    enemy's winning outcomes name and that it holds should have men enough to beat off
    a detachment of the enemy's usual size (:func:`usual_detachment`): the free forces
    standing in it stay (the largest first, until there are), and the towns still short
    get the nearest free force that can reach them this turn, those that enemies seen or
    presumed can reach first, the most valuable first (a band out of sight may walk into
    any of them).  The head of state stays with the army, and no force leaves a key
    place it holds empty.
    """
    sit, scn, ops = ap.sit, ap.sit.scn, ap.ops
    left = turns_left(sit)
    last = _talks_near(sit) & (left <= GUARD_TURNS)
    if not last.any():
        return
    home = np.asarray(scn.home[sit.side], bool)
    towns = gain_towns(sit)[None, :] & ap.own_held
    # ... and the enemy towns it holds that its own winning outcomes name.
    towns |= ~home[None, :] & (sit.st.key[sit.side] > 0)[None, :] & ap.own_held
    towns &= last[:, None] & ~ap.foe_any
    if not towns.any():
        return
    control = float(max(scn.rules.control_men, 1))
    # Enough for a detachment of the usual size, or for the seen enemies in reach: in
    # men times their worth in battle (militia do not hold a town against regulars).
    rows = ap.rows
    power = sit.men * sit.eff
    near_foe = ap.foe_near.men * np.exp(ap.foe_near.log_eff)
    want = GUARD_MEN * np.maximum(usual_detachment(sit, power=True), near_foe)
    fit = d.free & sit.own[None, :] & ~ops.chief & (sit.men > 0)
    fit &= ~ap.foe_any[rows[:, None], sit.here]
    # Strength already bound to stand in each place (none yet: this pass comes first).
    have = np.zeros((ap.R, ap.P))
    # The free forces standing in such a town stay, the largest first, until enough.
    army = ops.chief & (sit.here == ops.main_at[:, None]) & d.free & (sit.men > 0)
    there = (fit | army) & sit.stands & towns[rows[:, None], sit.here]
    for f in np.argsort(-np.asarray(scn.men0), kind="stable"):
        at = sit.here[:, f]
        keep = there[:, f] & (have[rows, at] < want[rows, at])
        if keep.any():
            col = np.zeros((ap.R, ap.F), bool)
            col[:, f] = keep
            d.assign(col, OrderKind.HOLD, NONE)
            _note_guard(ap, d, col, sit.here)
            have[rows[keep], at[keep]] += power[keep, f]
    towns &= have < want
    here_key = ops.key[sit.here] & ap.own_held[rows[:, None], sit.here]
    bare = here_key & (d.proj[rows[:, None], sit.here] - sit.men < control)
    # Those enemies seen or presumed can reach first (a band unseen may come to any).
    priority = ap.worth + ap.scale * (ap.threat_men > 0)
    # The army itself (its head of state with it) may come to a town far from the
    # enemy's main army: the side's own land is where it stands at the signing.
    reach = np.maximum(left, 1.0)[:, None] * ap.T
    for _ in range(GUARD_ROUNDS):
        if not towns.any():
            return
        q = np.argmax(np.where(towns, priority, -np.inf), axis=1)
        has = towns[rows, q]
        soon = sit.eta[rows, :, q] <= reach
        road = ap.mt[rows, :, q] & sit.clear[rows, :, q] & soon & (sit.here != q[:, None])
        safe = ~_main_near(ap, q)
        cand = (fit | (army & safe[:, None])) & d.free & ~bare & road & has[:, None]
        # A force sent there must be enough by itself: a weak one only locks men away.
        cand &= power >= (want - have)[rows, q][:, None]
        pick = np.argmin(np.where(cand, sit.eta[rows, :, q], np.inf), axis=1)
        got = cand[rows, pick]
        towns[rows[~got], q[~got]] = False  # nobody can come: leave it
        if not got.any():
            continue
        sel = np.zeros((ap.R, ap.F), bool)
        sel[rows, pick] = got
        dest = np.broadcast_to(q[:, None], sel.shape)
        d.assign(sel, OrderKind.MARCH, dest)
        d.move_men(sel, np.ascontiguousarray(dest))
        _note_guard(ap, d, sel, dest)
        have[rows[got], q[got]] += power[rows[got], pick[got]]
        towns &= have < want


def station(ap: Appraisal, d: Draft) -> None:
    """Keep the army, its head of state with it, where the side's own gain rests at the signing.

    Once the talks are open (or the scenario's end is as near as talks would take), the
    peace is judged on who holds what when it is signed.  The side's own gain rests on
    the enemy towns its winning outcomes name that it holds, and an enemy town counts as
    held only with men standing in it: the army, the surest garrison, stands in the one
    it holds (or marches to the nearest it can reach before the signing) instead of
    following the enemy's bands about the country.
    """
    sit, scn, ops = ap.sit, ap.sit.scn, ap.ops
    near = _talks_near(sit)
    if not near.any():
        return
    home = np.asarray(scn.home[sit.side], bool)
    prizes = ~home[None, :] & (sit.st.key[sit.side] > 0)[None, :] & near[:, None]
    army = ops.chief & d.free & sit.stands & (sit.men > 0) & near[:, None]
    if not (prizes.any() and army.any()):
        return
    rows = ap.rows
    left = np.maximum(turns_left(sit), 1.0)
    for f in np.flatnonzero(army.any(axis=0)):
        eta = sit.eta[:, f, :]  # [R, P]
        ok = prizes & (eta <= (left * ap.T)[:, None]) & ap.mt[:, f, :] | (
            prizes & (np.arange(ap.P)[None, :] == sit.here[:, f][:, None])
        )
        # The nearest such town, one the side holds (or nobody is seen in) first.
        free_of_foe = ap.own_held | ~ap.foe_any
        cost = np.where(ok, eta + np.where(free_of_foe, 0.0, 1e3), np.inf)
        q = np.argmin(cost, axis=1)
        go = army[:, f] & np.isfinite(cost[rows, q])
        if not go.any():
            continue
        there = go & (sit.here[:, f] == q)
        # An enemy seen in the town is for the attack pass (it strikes with everyone).
        march = go & ~there & ~ap.foe_any[rows, q]
        col = np.zeros((ap.R, ap.F), bool)
        col[:, f] = there
        d.assign(col, OrderKind.HOLD, NONE)
        if d.notes.recording:
            d.notes.set(col, Reason.STATION, place=q[:, None], other=q[:, None], men=sit.men)
        col = np.zeros((ap.R, ap.F), bool)
        col[:, f] = march
        dest = np.broadcast_to(q[:, None], col.shape)
        d.assign(col, OrderKind.MARCH, dest)
        d.move_men(col, np.ascontiguousarray(dest))
        if d.notes.recording:
            d.notes.set(col, Reason.STATION, place=dest, other=sit.here, men=sit.men)


def _main_near(ap: Appraisal, places: I64) -> B:
    """Return ``[R]``: the enemy's main army can strike each run's place within two marches."""
    foe_at = ap.ops.foe_main_at
    fastest = ap.sit.st.route_days.min(axis=0)
    return (foe_at >= 0) & (fastest[np.maximum(foe_at, 0), places] <= 2.0 * ap.T)


def _talks_near(sit: Situation) -> B:
    """Return ``[R]``: talks are open, or the scenario's end is as near as talks would take."""
    scn, obs = sit.scn, sit.obs
    return ((obs.talks >= 0) | (scn.n_turns - obs.turn <= scn.talks.turns + 1)) & ~obs.over


def usual_detachment(sit: Situation, *, power: bool = False) -> float:
    """Return the men of the enemy's usual detachment: the mean of its forces' in the scenario.

    With ``power``, their men times their worth in battle (quality, arm, training and
    morale), as :attr:`~game.ai.features.Situation.eff` weighs own men.
    """
    scn = sit.scn
    enemy = np.asarray(scn.force_side) == sit.enemy
    men0 = np.asarray(scn.men0, np.float64)[enemy]
    if power:
        men0 = men0 * np.asarray(sit.st.base_eff)[enemy]
    return float(men0.mean()) if men0.size else 0.0


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
