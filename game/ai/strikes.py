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
from game.ai.features import Group, is_irregular
from game.ai.holding import anchors, keep_tables
from game.ai.odds_table import BattleOdds, OddsTable
from game.ai.operations import chief_odds
from game.ai.strike_kernels import chief_reach, odds_terms, reached, scores
from game.ai.tables import odds_table
from game.ai.treaty import talk_blockers
from game.codes import OrderKind

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
_FOE = ("men", "log_eff", "lead", "init")


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
    if not (ap.foe_any.any() and d.free.any()):
        return  # no seen enemy to strike, or nobody free to strike it
    irregular = is_irregular(sit.scn)
    if irregular_only and not (d.free & irregular[None, :]).any():
        return  # no free irregulars: the first round below would stop at once
    targets = ap.foe_any & ~barred(ap)
    defenders = ap.foe_near if p.foresight else ap.foe
    posture = sit.foe_posture
    thr = ap.threshold
    if irregular_only:
        thr = np.maximum(thr, IRREGULAR_ODDS) - 0.05 * (p.harass - 1.0)
    else:  # a regular force must take part (irregulars alone raid in their own pass)
        targets &= reached(ap.reach, d.free & ~irregular[None, :])
    if not targets.any():
        return  # the loop below would stop at once
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
    Worked out once a turn (asked by the attack and movement passes) and kept in the
    situation's memo with the posture and operations it was read from; read-only.
    """
    pos, ops = ap.pos, ap.ops
    kept = ap.sit.memo.get("barred")
    if kept is not None and kept[0] is pos and kept[1] is ops:
        return kept[2]  # type: ignore[no-any-return]
    out = _barred(ap)
    ap.sit.memo["barred"] = (pos, ops, out)
    return out


def _barred(ap: Appraisal) -> B:
    """Return :func:`barred`, worked out."""
    pos, ops = ap.pos, ap.ops
    out = pos.defend[:, None] & ~pos.home[None, :] & ~ops.decisive
    # While the talks are open the treaty is judged on who holds the places its outcomes
    # name: a battle elsewhere changes nothing in it, unless it is fought against the
    # enemy's main army.
    talking = ap.sit.obs.talks >= 0
    if not talking.any():
        return out
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
    return chief_reach(ap.reach, ops.chief, ops.decisive | ops.key[None, :])


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

    ``foe`` is the defenders and their posture in each place.  The strike on a target
    pools every available force that can reach it; only targets with strikers are
    looked up.  Worth: the chance of winning times what the place opens (its worth and
    the road it clears) and the chance of keeping it for the turns that count, the enemy
    men destroyed, less own men lost, the chance of losing the leading commander times
    what he is worth (:attr:`Group.stake`), and what the forces leave behind (their
    anchors, summed slot by slot).  Men destroyed count in full in the battle against
    the enemy's main army; elsewhere a trade of men for men is no reason to fight.  The
    decisive battle is sought on good terms; any other only on better ones
    (:data:`MINOR_MARGIN`), and only if it gains more than what any battle risks beyond
    its odds (:data:`BATTLE_COST`).  A strike a head of state rides with needs his
    odds.  None if no strike anywhere is good enough.  One kernel
    (:func:`game.ai.strike_kernels.scores`).
    """
    sit, p = ap.sit, ap.pers
    defenders, posture = foe
    posture = np.ascontiguousarray(posture, np.int64)
    table = odds_table(sit.scn)
    fields = (table.fine[OddsTable.FIELDS.index(f)] for f in STRIKE[:4])
    score, good = scores(
        np.ascontiguousarray(avail),
        np.ascontiguousarray(reach),
        np.ascontiguousarray(targets),
        sit.slots.kernel_tuple(),
        (np.ascontiguousarray(sit.here, np.int64), np.ascontiguousarray(sit.head), anchor),
        (*(np.ascontiguousarray(getattr(defenders, k), np.float64) for k in _FOE), posture),
        (*odds_terms(sit), *fields),
        (
            ap.worth + ap.behind,
            ap.k_kill * np.where(ap.ops.decisive, 1.0, MINOR_KILL),
            np.ascontiguousarray(ap.ops.decisive),
            np.asarray(ap.ops.urgency, np.float64),
            np.asarray(thr, np.float64),
            np.ascontiguousarray(ap.own_held),
            np.ascontiguousarray(ap.ops.sphere, np.float64),
            np.asarray(ap.ops.hold_turns, np.float64),
        ),
        (
            float(p.harass) if irregular_only else 1.0,
            float(ap.k_lose),
            float(p.commander_safety),
            BATTLE_COST * ap.scale,
            MINOR_MARGIN,
            chief_odds(ap.ops.chief_care),
            URGENT_ODDS,
        ),
        keep_tables(ap),
    )
    return score if good else None


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
