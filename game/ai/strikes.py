"""The attack pass: strike seen enemies where the pooled forces in reach have the odds.

For every province where enemies are seen, the free forces that can reach it this turn
by a road no other enemy bars are pooled (concentration: everyone in range strikes
together) and the battle is scored from the odds table: the chance of winning times what
the province is worth (and what lies behind it on the road to a key province), plus
enemy men destroyed, minus own men lost, the risk to commanders and what the forces
leave behind.  The best target per run is attacked if its odds clear the threshold
(raised when a head of state would ride with it); forces the strike can spare are left
behind (:mod:`game.ai.economy`); then the next target, for a few rounds.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import URGENT_ODDS, Appraisal
from game.ai.draft import Draft, pick
from game.ai.economy import economy
from game.ai.explain import Reason
from game.ai.features import Group, defender_posture, is_irregular
from game.ai.holding import anchors, keep_chance
from game.ai.odds_table import BattleOdds
from game.ai.operations import chief_odds
from game.ai.treaty import talk_blockers
from game.codes import OrderKind, Posture

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

STRIKE = ("p_win", "att_loss", "def_loss", "att_cmd", "att_killed")
"""The odds an attack is judged (and explained) by."""
MINOR_MARGIN = 0.1
"""Extra chance of winning asked of a battle that does not decide the campaign."""
BATTLE_COST = 0.35
"""What a battle that does not decide the war must gain beyond its expected losses, as a
share of the war's stakes (the scale of victory points): what any battle risks that its
odds do not say (cohesion, commanders, will, the unforeseen)."""
MINOR_KILL = 0.5
"""Weight of enemy men destroyed in a battle that does not decide the campaign."""
IRREGULAR_ODDS = 0.75
"""Least chance of winning of a strike by irregulars alone (at ``harass`` 1)."""
ATTACK_ROUNDS = 4
"""Greedy rounds of target selection (each strikes one more province per run)."""


def strike(
    ap: Appraisal,
    g: Group,
    defenders: Group,
    posture: npt.NDArray[np.int64],
    fields: tuple[str, ...] = STRIKE,
    places: I64 | None = None,
) -> BattleOdds:
    """Return the odds of ``g`` attacking the ``defenders`` seen there.

    Only seen enemies are counted (with foresight, those that can reach the battle
    too).  Weighing the unseen forces that might join was tried: it made the
    heuristic too timid, and it won fewer games of the 1841 war against random play.
    """
    return ap.sit.battle(g, defenders, posture, fields, places)


def attacks(ap: Appraisal, d: Draft, irregular_only: bool = False) -> None:
    """Strike seen enemies where pooled forces in reach have good enough odds.

    Each round pools, for every target, the free forces that can reach it, and looks
    up the odds only where there is a target and someone to strike it (a small share
    of the grid in a big batch).  Strikes by irregulars alone come in a pass of their
    own (``irregular_only``): montoneros ambush what they can overwhelm
    (:data:`IRREGULAR_ODDS`, a little less the more the personality ``harass``-es), they
    do not trade blows.
    """
    sit, p = ap.sit, ap.pers
    irregular = is_irregular(sit.scn)
    targets = ap.foe_any & ~barred(ap)
    defenders = ap.foe_near if p.foresight else ap.foe
    held_by_foe = sit.owner == sit.enemy
    posture = defender_posture(sit, held_by_foe, held_by_foe)
    thr = ap.threshold
    if irregular_only:
        thr = np.maximum(thr, IRREGULAR_ODDS) - 0.05 * (p.harass - 1.0)
    else:  # a regular force must take part (irregulars alone raid in their own pass)
        regular = ap.reach & (d.free & ~irregular[None, :])[:, :, None]
        targets &= regular.any(axis=1)
    anchor = anchors(ap, d)
    reach = strike_reach(ap)
    for _ in range(ATTACK_ROUNDS):
        avail = d.free & (irregular[None, :] if irregular_only else True)
        if not (avail.any() and targets.any()):
            return
        score = _scores(
            ap, avail, reach, targets, (defenders, posture), anchor, thr, irregular_only
        )
        if score is None:
            return
        best = np.argmax(score, axis=1)
        has = score[ap.rows, best] > -np.inf
        sel = economy(
            ap, avail & reach[ap.rows, :, best] & has[:, None], best, defenders, posture, anchor
        )
        via_forced = ap.forced_only[ap.rows, :, best] & sel & avail
        kind = np.where(via_forced, OrderKind.FORCED_MARCH, OrderKind.ATTACK)
        d.assign(sel, kind, best[:, None])
        d.move_men(sel, np.broadcast_to(best[:, None], sel.shape))
        if d.notes.recording:
            _note_strike(ap, d, sel, reach, best, (defenders, posture), irregular_only)
        targets[ap.rows[has], best[has]] = False


def barred(ap: Appraisal) -> B:
    """Return ``[R, P]``: where the side strikes nobody this turn.

    A side on the defensive (:mod:`game.ai.posture`) fights on its own land, or the
    enemy's main army wherever it can be brought to battle; it sends no column to
    strike the enemy's towns and detachments abroad.  While peace talks are open, a
    side strikes only where the battle can change the treaty's terms: the places the
    outcomes turn on (:attr:`~game.ai.operations.Operations.key`), those where enemy men
    stall the talks (:func:`~game.ai.treaty.talk_blockers`), and the enemy's main army.
    """
    pos, ops = ap.pos, ap.ops
    out = pos.defend[:, None] & ~pos.home[None, :] & ~ops.decisive
    # While the talks are open the treaty is judged on who holds the places its outcomes
    # name: a battle elsewhere changes nothing in it, unless it is fought against the
    # enemy's main army.
    talking = ap.sit.obs.talks >= 0
    return out | (talking[:, None] & ~(terms(ap)[None, :] | ops.decisive))


def terms(ap: Appraisal) -> B:
    """Return ``[P]``: the places a battle can change the treaty's terms in.

    Those the scenario's outcomes turn on (:attr:`~game.ai.operations.Operations.key`)
    and those where enemy men stall the talks (:func:`~game.ai.treaty.talk_blockers`).
    """
    sit = ap.sit
    return ap.ops.key | talk_blockers(sit.scn, sit.side)


def strike_reach(ap: Appraisal) -> B:
    """Return ``[R, F, P]``: where each force may strike this turn.

    Where it can reach (:attr:`Appraisal.reach`), except that a head of state's force
    joins no battle that decides nothing: one against the enemy's main army, or for a
    province the outcomes turn on (:class:`~game.ai.operations.Operations`).
    """
    ops = ap.ops
    decides = ops.decisive | ops.key[None, :]
    return ap.reach & ~(ops.chief[:, :, None] & ~decides[:, None, :])


def _scores(
    ap: Appraisal,
    avail: B,
    reach: B,
    targets: B,
    foe: tuple[Group, npt.NDArray[np.int64]],
    anchor: F64,
    thr: F64,
    irregular_only: bool,
) -> F64 | None:
    """Return ``[R, P]``: what striking each target is worth (-inf if not worth it).

    ``foe`` is the defenders and their posture in each place.  Worth: the chance of
    winning times what the place opens (its worth and the road it clears), the enemy men
    destroyed, less own men lost, the chance of losing the leading commander times what
    he is worth (:attr:`Group.stake`), and what the forces leave behind.  None if no
    strike anywhere is good enough.
    """
    sit, p = ap.sit, ap.pers
    defenders, posture = foe
    scale = p.harass if irregular_only else 1.0
    value = ap.worth + ap.behind
    # Men destroyed count in full in the battle against the enemy's main army; elsewhere
    # a trade of men for men is no reason to fight.
    kill = ap.k_kill * np.where(ap.ops.decisive, 1.0, MINOR_KILL)
    # The forces that can join a strike somewhere, and where each can strike.
    cols = np.flatnonzero((avail & ap.reach_any).any(axis=0))
    join = avail[:, cols, None] & reach[:, cols]  # [R, C, P]
    g = sit.group(join, cols=cols)
    r, q = np.nonzero(targets & (g.men > 0))  # the battles worth looking up
    o = strike(ap, pick(g, r, q), pick(defenders, r, q), posture[r, q], places=q)
    # Does a head of state ride with the strike, and what the forces leave behind.
    joins = join[r, :, q]  # [n, C]
    head = (joins & sit.head[r][:, cols]).any(axis=1)
    away = joins & (sit.here[r][:, cols] != q[:, None])
    left = np.where(away, anchor[r][:, cols], 0.0)
    leave = np.zeros(r.size)
    for j in range(cols.size):  # summed slot by slot, in the same order as ever
        leave = leave + left[:, j]
    gm = g.men[r, q]
    # The decisive battle is sought on good terms; any other only on better ones, and
    # only if it gains more than what any battle risks beyond its odds.
    minor = ~ap.ops.decisive[r, q]
    hold = _held_after(ap, g, r, q, gm * (1.0 - o.att_loss))
    ev = (
        o.p_win * value[r, q] * hold
        + scale * kill[r, q] * o.def_loss * defenders.men[r, q]
        - ap.k_lose * o.att_loss * gm
        - p.commander_safety * o.att_cmd * g.stake[r, q]
        - leave
        - BATTLE_COST * ap.scale * minor * (1.0 - ap.ops.urgency[r])
    )
    need = thr[r] + MINOR_MARGIN * minor
    chief = chief_odds(ap.ops.chief_care) - URGENT_ODDS * ap.ops.urgency[r]
    need = np.where(head, np.maximum(need, chief), need)
    good = (o.p_win >= need) & (ev > 0)
    if not good.any():
        return None
    score = np.full((ap.R, ap.P), -np.inf)
    score[r, q] = np.where(good, ev, -np.inf)
    return score


def _held_after(ap: Appraisal, g: Group, r: I64, q: I64, men: F64) -> F64:
    """Return the chance the strikers would keep each place won for the turns that count.

    Taking a province is worth its victory points only if it is still held when the
    treaty is signed: a raid into land the enemy can take back at once gains nothing
    that lasts.  Own land retaken counts for this turn only (its people are loyal); enemy
    land must be kept :attr:`~game.ai.operations.Operations.hold_turns` turns against what can come,
    and lie within the own main army's reach rather than the enemy's (``sphere``).
    """
    if r.size == 0:
        return np.ones(0)
    keep, _ = keep_chance(
        ap,
        men[None, :, None],
        g.log_eff[r, q][:, None],
        g.lead[r, q][:, None],
        Posture.HASTY,
        places=q[:, None],
        rows=r,
    )
    theirs = ~ap.own_held[r, q]
    last = np.where(theirs, ap.ops.sphere[r, q], 1.0)
    return last * keep[0, :, 0] ** np.where(theirs, ap.ops.hold_turns[r], 1.0)


def _note_strike(
    ap: Appraisal,
    d: Draft,
    sel: B,
    reach: B,
    best: I64,
    foe: tuple[Group, npt.NDArray[np.int64]],
    irregular_only: bool,
) -> None:
    """Explain the strike of ``sel`` on ``best``: its odds with the forces that go."""
    defenders, posture = foe
    g = ap.sit.group(sel[:, :, None] & reach)
    b = ap.rows, best
    o = strike(ap, pick(g, *b), pick(defenders, *b), posture[b], places=best)
    d.notes.set(
        sel,
        Reason.HARASS if irregular_only else Reason.ATTACK,
        place=best[:, None],
        p_win=o.p_win[:, None],
        killed=(o.att_killed * g.men[b])[:, None],
        men=g.men[b][:, None],
        foe=defenders.men[b][:, None],
    )
