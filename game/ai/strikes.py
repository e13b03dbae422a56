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

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft, pick
from game.ai.economy import economy
from game.ai.explain import Reason
from game.ai.features import Group, defender_posture, is_irregular
from game.ai.holding import anchors
from game.ai.odds_table import BattleOdds
from game.codes import OrderKind

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

STRIKE = ("p_win", "att_loss", "def_loss", "att_cmd", "att_killed")
"""The odds an attack is judged (and explained) by."""
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
    of the grid in a big batch).  Irregulars raid at a threshold lowered by ``harass``.
    """
    sit, p = ap.sit, ap.pers
    targets = ap.foe_any.copy()
    defenders = ap.foe_near if p.foresight else ap.foe
    held_by_foe = sit.owner == sit.enemy
    posture = defender_posture(sit, held_by_foe, held_by_foe)
    thr = ap.threshold - (0.1 * p.harass if irregular_only else 0.0)
    anchor = anchors(ap, d)
    for _ in range(ATTACK_ROUNDS):
        avail = d.free & (is_irregular(sit.scn)[None, :] if irregular_only else True)
        if not (avail.any() and targets.any()):
            return
        score = _scores(ap, avail, targets, defenders, posture, anchor, thr, irregular_only)
        if score is None:
            return
        best = np.argmax(score, axis=1)
        has = score[ap.rows, best] > -np.inf
        sel = economy(
            ap, avail & ap.reach[ap.rows, :, best] & has[:, None], best, defenders, posture, anchor
        )
        via_forced = ap.forced_only[ap.rows, :, best] & sel & avail
        kind = np.where(via_forced, OrderKind.FORCED_MARCH, OrderKind.ATTACK)
        d.assign(sel, kind, best[:, None])
        d.move_men(sel, np.broadcast_to(best[:, None], sel.shape))
        if d.notes.recording:
            _note_strike(ap, d, sel, best, defenders, posture, irregular_only)
        targets[ap.rows[has], best[has]] = False


def _scores(
    ap: Appraisal,
    avail: B,
    targets: B,
    defenders: Group,
    posture: npt.NDArray[np.int64],
    anchor: F64,
    thr: F64,
    irregular_only: bool,
) -> F64 | None:
    """Return ``[R, P]``: what striking each target is worth (-inf if not worth it).

    None if no strike anywhere is good enough.
    """
    sit, p = ap.sit, ap.pers
    scale = p.harass if irregular_only else 1.0
    value = ap.worth + ap.behind
    # The forces that can join a strike somewhere, and where each can strike.
    cols = np.flatnonzero((avail & ap.reach_any).any(axis=0))
    join = avail[:, cols, None] & ap.reach[:, cols]  # [R, C, P]
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
    cmd_worth = ap.scale * np.where(head, 2.0, 0.5)
    ev = (
        o.p_win * value[r, q]
        + scale * ap.k_kill * o.def_loss * defenders.men[r, q]
        - ap.k_lose * o.att_loss * gm
        - p.commander_safety * o.att_cmd * g.exposure[r, q] * cmd_worth
        - leave
    )
    need = thr[r] + 0.05 * p.commander_safety * head
    good = (o.p_win >= need) & (ev > 0)
    if not good.any():
        return None
    score = np.full((ap.R, ap.P), -np.inf)
    score[r, q] = np.where(good, ev, -np.inf)
    return score


def _note_strike(
    ap: Appraisal,
    d: Draft,
    sel: B,
    best: I64,
    defenders: Group,
    posture: npt.NDArray[np.int64],
    irregular_only: bool,
) -> None:
    """Explain the strike of ``sel`` on ``best``: its odds with the forces that go."""
    g = ap.sit.group(sel[:, :, None] & ap.reach)
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
