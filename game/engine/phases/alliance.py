"""Allied parties: their will, and their leaving the war (part of phase 8).

A side may fight beside allies with their own armies, aims and will: exiles fighting to
go home, a neighbour's auxiliary corps.  Each party's will moves like a side's, but with
its own fortunes: weariness, the battles its own forces fight, the men they lose, the
enemy's occupation of the provinces it calls home, and events.  When it falls below the
party's ``leave_will``, or an event says so, the party leaves the alliance: its forces
leave the map (their men are taken out of the side's arrivals, neither lost nor present),
and it never returns.  Everything is done for every run and party at once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.codes import NONE, ForceStatus
from game.engine.context import TurnContext, party_men
from game.engine.forces import field_army
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

B = npt.NDArray[np.bool_]


def update_party_will(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Move each party's will by weariness, its forces' battles and losses, and its home.

    The same shares as a side's will (:func:`~game.engine.phases.peace.update_will`): a
    battle weighs as it does for the party's side, losses count against the party's
    order of battle and occupation against the value of the provinces it calls home.
    """
    rules = scn.rules.war_will
    weeks = scn.turn_days / 7.0
    delta = np.full(st.party_will.shape, -rules.weariness * weeks)
    _battles(scn, st, ctx, delta)
    if ctx.party_men0 is not None:
        lost = np.maximum(ctx.party_men0 - party_men(scn, st), 0.0)
        delta -= rules.army_lost * lost / party_army(scn)[None, :]
    side = np.asarray(scn.party_side, np.int64)
    held_by_enemy = st.owner[:, None, :] != side[None, :, None]  # [R, Q, P]
    lost_home = (scn.party_home[None, :, :] & held_by_enemy) * scn.value[None, None, :]
    home_value = np.maximum((scn.party_home * scn.value[None, :]).sum(axis=1), 1e-9)
    delta -= rules.home_held * weeks * lost_home.sum(axis=2) / home_value[None, :]
    live = ctx.live[:, None] & ~st.party_left
    st.party_will = np.where(live, np.clip(st.party_will + delta, 0.0, 1.0), st.party_will).astype(
        np.float32
    )


def party_army(scn: CompiledScenario) -> npt.NDArray[np.float64]:
    """Return ``[Q]``: the men of each party's order of battle (its forces' strengths)."""
    fp = np.asarray(scn.force_party, np.int64)
    men = np.asarray(scn.men0, np.float64)
    return np.array([max(men[fp == q].sum(), 1.0) for q in range(scn.Q)])


def _battles(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, delta: npt.NDArray[np.float64]
) -> None:
    """Add each battle a party's forces fought to its will, won or lost, as its side weighs it."""
    fought = ctx.rec("battle_forces").table()
    battles = ctx.rec("battles").table()
    if not fought or not battles:
        return
    q = np.asarray(scn.force_party)[fought["force"]].astype(np.int64)
    has = q != NONE
    key = np.unique(fought["battle"][has] * scn.Q + q[has])  # one entry per battle and party
    b, q = key // scn.Q, key % scn.Q
    rules = scn.rules.war_will
    r = battles["run"][b]
    att, win = battles["attacker"][b].astype(np.int64), battles["winner"][b]
    own = np.asarray(scn.party_side, np.int64)[q]
    men = np.where(own == att, battles["att_men"][b], battles["def_men"][b])
    field = np.maximum(field_army(scn, st) + ctx.lost_men, 1)[r, own]
    weight = np.minimum(men / field, 1.0)
    winner = np.where(win == 1, att, 1 - att)
    decided = win != 0
    won = decided & (winner == own)
    lost = decided & ~won
    np.add.at(delta, (r[won], q[won]), rules.battle_won * weight[won])
    np.add.at(delta, (r[lost], q[lost]), -rules.battle_lost * weight[lost])


def leave(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, leaving: B, cause: str
) -> None:
    """Take the parties of ``leaving[R, Q]`` out of the war, with all their forces."""
    leaving = leaving & ~st.party_left & ctx.live[:, None]
    if not leaving.any():
        return
    st.party_left |= leaving
    fp = np.asarray(scn.force_party, np.int64)
    mine = (fp[None, :] != NONE) & np.take_along_axis(
        leaving, np.broadcast_to(np.maximum(fp, 0), st.men.shape), axis=1
    )
    on_map = mine & (st.status == ForceStatus.ACTIVE)
    side = np.asarray(scn.force_side, np.int64)
    for s in range(scn.S):
        st.arrived[:, s] -= (
            np.where(on_map & (side == s)[None, :], st.men, 0).sum(axis=1).astype(np.int32)
        )
    going = mine & ((st.status == ForceStatus.ACTIVE) | (st.status == ForceStatus.WAITING))
    st.status[going] = ForceStatus.WITHDRAWN
    st.men[going] = 0
    st.commander[going] = NONE
    st.dest[going] = NONE
    st.nxt[going] = NONE
    st.joining[going] = NONE
    r, q = np.nonzero(leaving)
    ctx.rec("alliance").add(run=r, party=q, will=st.party_will[r, q], cause=cause)


def alliance(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Update every party's will, and see off those whose will has failed."""
    if not scn.Q:
        return
    update_party_will(scn, st, ctx)
    leave(scn, st, ctx, st.party_will < np.asarray(scn.party_leave)[None, :], "will")
