"""Phases 3 and 4: contact and battle, then retreat or rout.

Wherever both sides stand in one province after movement, a battle is fought: every
battle of every run goes to the combat resolver in one call.  All forces of a side in the
province fight together under the best commander present.  The attacker is the side that
marched in (the later arrival if both did); when neither did, it is the side that ordered
an attack, else the side not holding the province (insurgents, besiegers).  Losses are
shared among a side's forces in proportion to their men.  The loser then falls back to a
neighbouring province free of the enemy, toward its own capital; a force with nowhere to
go surrenders.  An attacker, beaten or held to a draw, falls back the way it came.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.codes import NONE, CommanderState, ForceStatus, Posture
from game.engine import keyed
from game.engine.battle_sides import BattleSide, aggregate_side, battle_input
from game.engine.combat import BattleInput, CombatParams, resolve
from game.engine.context import Phase, TurnContext
from game.engine.forces import contested, pairs, presence, standing
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]


@dataclass
class Engagement:
    """The battles of one turn: one row per battle, and one entry per force taking part.

    Participants are listed rather than marked in a ``[battles, forces]`` mask: a battle
    has a handful of forces out of the scenario's dozens of slots, and ten thousand runs
    fight tens of thousands of battles a turn.
    """

    run: I64
    province: I64
    attacker: I64
    battle: I64
    """Battle of each participant; participants come sorted by battle, then force slot."""
    force: I64
    """Force slot of each participant."""
    presence: I64
    """Men of each side standing in each province ``[R, P, S]``, kept up to date with the
    battles' losses (so that retreats need not count them again)."""

    @property
    def prun(self) -> I64:
        """Run of each participant."""
        return self.run[self.battle]

    def side_of(self, scn: CompiledScenario) -> I64:
        """Side of each participant."""
        return scn.force_side[self.force].astype(np.int64)

    def attacking(self, scn: CompiledScenario) -> B:
        """Whether each participant fights on its battle's attacking side."""
        return self.side_of(scn) == self.attacker[self.battle]


def find_battles(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> Engagement:
    """Return every province of every live run where both sides stand."""
    pres = presence(scn, st)
    fronts = contested(pres) & ctx.live[:, None]
    if not fronts.any():  # most turns of a run: no battle anywhere, nothing to sort out
        none = np.zeros(0, np.int64)
        return Engagement(none, none, none, none, none, pres)
    r, p = pairs(fronts)
    battle_at = np.full(fronts.shape, -1, np.int64)
    battle_at[r, p] = np.arange(r.size)
    sr, sf = pairs(standing(st) & fronts.any(axis=1)[:, None])
    loc = st.loc[sr, sf].astype(np.int64)
    b = np.where(loc >= 0, battle_at[sr, np.maximum(loc, 0)], -1)
    fights = b >= 0
    order = np.argsort(b[fights], kind="stable")  # by battle; slots stay in order
    eng = Engagement(
        run=r.astype(np.int64),
        province=p.astype(np.int64),
        attacker=np.zeros(r.size, np.int64),
        battle=b[fights][order],
        force=sf[fights][order].astype(np.int64),
        presence=pres,
    )
    eng.attacker = _choose_attacker(scn, st, ctx, eng)
    return eng


def _choose_attacker(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, eng: Engagement
) -> I64:
    n, b, f, pr = eng.run.size, eng.battle, eng.force, eng.prun
    side = eng.side_of(scn)
    late = np.full(n * 2, NONE, np.int64)  # latest arrival day of each side, or -1
    np.maximum.at(late, b * 2 + side, ctx.arrived_day[pr, f].astype(np.int64))
    late = late.reshape(n, 2)
    wants = np.zeros((n, 2), bool)
    intent = ctx.attack_intent[pr, f]
    wants[b[intent], side[intent]] = True
    owner = st.owner[eng.run, eng.province].astype(np.int64)
    att = 1 - owner  # default: the side not holding the province
    both_moved = (late >= 0).all(axis=1)
    one_moved = (late >= 0).any(axis=1) & ~both_moved
    att = np.where(wants[:, 0] & ~wants[:, 1], 0, np.where(wants[:, 1] & ~wants[:, 0], 1, att))
    att = np.where(one_moved, np.argmax(late >= 0, axis=1), att)
    later = np.where(late[:, 0] > late[:, 1], 0, np.where(late[:, 1] > late[:, 0], 1, att))
    return np.where(both_moved, later, att).astype(np.int64)


def _aggregate(scn: CompiledScenario, st: CampaignState, eng: Engagement, sel: I64) -> BattleSide:
    """Aggregate one side's participants (positions ``sel``) in each battle."""
    b, f = eng.battle[sel], eng.force[sel]
    pr = eng.run[b]
    return aggregate_side(
        scn,
        b,
        f,
        st.men[pr, f].astype(np.float64),
        st.cohesion[pr, f],
        st.commander[pr, f].astype(np.int64),
        eng.run.size,
    )


def _posture(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    eng: Engagement,
    dsel: I64,
) -> npt.NDArray[np.int8]:
    n = eng.run.size
    b, f = eng.battle[dsel], eng.force[dsel]
    pr = eng.run[b]
    moved = np.zeros(n, bool)
    moved[b[ctx.arrived_day[pr, f] != NONE]] = True
    dug = np.ones(n, bool)  # every defender has stood a turn or more
    dug[b[st.dug_in[pr, f] < 1]] = False
    garr = np.zeros(n, bool)
    garr[b[st.garrisoned[pr, f]]] = True
    fort = scn.fort[eng.province] >= 1
    posture = np.where(dug, Posture.PREPARED, Posture.HASTY)
    posture = np.where(dug & garr & fort, Posture.FORTIFIED, posture)
    return np.where(moved, Posture.MEETING, posture).astype(np.int8)


def build_input(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    eng: Engagement,
    asel: I64,
    dsel: I64,
) -> tuple[BattleInput, BattleSide, BattleSide]:
    """Return the resolver's input for the turn's battles, and each side's aggregates.

    ``asel`` and ``dsel`` are the positions of the attackers' and defenders' participants.
    """
    a = _aggregate(scn, st, eng, asel)
    d = _aggregate(scn, st, eng, dsel)
    inp = battle_input(
        scn,
        a,
        d,
        posture=_posture(scn, st, ctx, eng, dsel),
        province=eng.province,
        keys=keyed.derive2(ctx.keys, int(Phase.BATTLE), eng.run, eng.province),
    )
    return inp, a, d


def _share(b: I64, total: I64, weights: F64) -> I64:
    """Split integer totals ``[n]`` over the weights of each battle's entries exactly.

    Cumulative rounding along the force slots: entry ``i`` (sorted by battle ``b``, then
    slot) gets ``floor(total * cum_i / sum) - floor(total * cum_prev / sum)``.  Weights
    are whole men, so the running sums are exact whichever way they are added.
    """
    w = np.maximum(weights, 0.0)
    run_sum = np.cumsum(w)
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]]) if b.size else b
    before = np.zeros(b.size)
    before[starts[1:]] = run_sum[starts[1:] - 1]
    cum = run_sum - np.maximum.accumulate(before)  # the sum within the battle so far
    whole = np.bincount(b, weights=w, minlength=total.size)
    tot = np.maximum(whole, 1e-12)[b]
    c = np.floor(total[b] * cum / tot + 1e-9)
    prev = np.zeros(b.size)
    later = np.r_[False, b[1:] == b[:-1]] if b.size else b.astype(bool)
    prev[later] = c[np.flatnonzero(later) - 1]
    return (c - prev).astype(np.int64)


def _split3(b: I64, tot: I64, k: I64, w: I64, c: I64) -> tuple[I64, I64, I64]:
    """Split each force's loss into killed, wounded, captured in the battle's proportions."""
    loss = np.maximum(k + w + c, 1)[b]
    kk = np.minimum(np.rint(tot * k[b] / loss), tot).astype(np.int64)
    cc = np.minimum(np.rint(tot * c[b] / loss), tot - kk).astype(np.int64)
    return kk, tot - kk - cc, cc


def apply_losses(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    eng: Engagement,
    sel: I64,
    killed: I64,
    wounded: I64,
    captured: I64,
) -> tuple[I64, I64, I64]:
    """Take one side's battle losses from its forces (positions ``sel``); return the totals."""
    n = eng.run.size
    b, f = eng.battle[sel], eng.force[sel]
    pr = eng.run[b]
    men = st.men[pr, f].astype(np.int64)
    present = np.bincount(b, weights=men, minlength=n).astype(np.int64)
    total = np.minimum(killed + wounded + captured, present)
    tot = np.minimum(_share(b, total, men.astype(np.float64)), men)
    k, w, c = _split3(b, tot, killed, wounded, captured)
    st.men[pr, f] -= tot.astype(np.int32)
    side = scn.force_side[f]
    np.subtract.at(eng.presence.reshape(-1), (pr * scn.P + eng.province[b]) * scn.S + side, tot)
    run_side = pr * scn.S + side

    def per_run_side(x: I64) -> I64:
        sums = np.bincount(run_side, weights=x, minlength=st.runs * scn.S)
        return sums.reshape(st.runs, scn.S).astype(np.int64)

    for arr, name in ((k, "killed"), (w, "wounded"), (c, "captured")):
        getattr(st, name)[...] += per_run_side(arr)
    ctx.lost_men += per_run_side(tot)

    def per_battle(x: I64) -> I64:
        return np.bincount(b, weights=x, minlength=n).astype(np.int64)

    return per_battle(k), per_battle(w), per_battle(c)


def _commander_fates(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    eng: Engagement,
    side_values: BattleSide,
    killed: npt.NDArray[np.bool_],
    captured: npt.NDArray[np.bool_],
    side: I64,
) -> npt.NDArray[np.int8]:
    cmd = side_values.commander
    fate = np.where(killed, 1, np.where(captured, 2, 0)).astype(np.int8) * (cmd >= 0)
    hit = fate > 0
    if hit.any():
        r, c = eng.run[hit], cmd[hit]
        st.cmd_state[r, c] = np.where(
            fate[hit] == 1, CommanderState.KILLED, CommanderState.CAPTURED
        )
        lead = st.commander[r] == c[:, None]
        st.commander[r] = np.where(lead, NONE, st.commander[r])
        np.add.at(ctx.commanders_lost, (r, side[hit]), 1)
        np.add.at(ctx.heads_of_state_lost, (r, side[hit]), scn.head_of_state[c])
    return fate


def fight(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, params: CombatParams
) -> Engagement:
    """Resolve every battle of the turn and apply losses and commanders' fates."""
    st.last_battle[ctx.live] = NONE
    eng = find_battles(scn, st, ctx)
    if eng.run.size == 0:
        return eng
    attacking = eng.attacking(scn)
    asel, dsel = np.flatnonzero(attacking), np.flatnonzero(~attacking)
    inp, a, d = build_input(scn, st, ctx, eng, asel, dsel)
    res = resolve(inp, params)
    ak, aw, ac = apply_losses(
        scn, st, ctx, eng, asel, res.att_killed, res.att_wounded, res.att_captured
    )
    dk, dw, dc = apply_losses(
        scn, st, ctx, eng, dsel, res.def_killed, res.def_wounded, res.def_captured
    )
    defender = 1 - eng.attacker
    af = _commander_fates(
        scn, st, ctx, eng, a, res.att_cmd_killed, res.att_cmd_captured, eng.attacker
    )
    df = _commander_fates(scn, st, ctx, eng, d, res.def_cmd_killed, res.def_cmd_captured, defender)
    winner_side = np.where(res.winner == 1, eng.attacker, np.where(res.winner == -1, defender, 2))
    st.last_battle[eng.run, eng.province] = winner_side
    np.add.at(st.battles, eng.run, 1)  # a run may fight several battles in one turn
    # Every force of every battle has fought this turn (and will not recover cohesion as
    # if it had rested), also when its run fought several battles.
    ctx.fought[eng.prun, eng.force] = True
    _shake(st, eng, asel, dsel, res.winner)
    day = ctx.contact_day[eng.run, eng.province]
    ctx.rec("battles").add(
        run=eng.run,
        province=eng.province,
        day=np.where(day >= 0, day, 0),
        attacker=eng.attacker,
        att_men=inp.att_men.astype(np.int64),
        def_men=inp.def_men.astype(np.int64),
        winner=res.winner,
        att_killed=ak,
        att_wounded=aw,
        att_captured=ac,
        def_killed=dk,
        def_wounded=dw,
        def_captured=dc,
        hours=res.hours,
        att_cmd=a.commander,
        def_cmd=d.commander,
        att_cmd_fate=af,
        def_cmd_fate=df,
        posture=inp.posture,
        surprise=inp.surprise,
    )
    ctx.rec("battle_forces").add(
        battle=eng.battle + len(ctx.rec("battles")) - eng.run.size, force=eng.force
    )
    retreat(scn, st, ctx, eng, res.winner)
    return eng


def _shake(
    st: CampaignState,
    eng: Engagement,
    asel: I64,
    dsel: I64,
    winner: npt.NDArray[np.int8],
) -> None:
    """Lower cohesion after battle: a little for the winner, much for a routed loser."""
    for sel, lost_if in ((asel, -1), (dsel, 1)):
        drop = np.where(winner == lost_if, 0.35, np.where(winner == 0, 0.15, 0.05))
        b, f = eng.battle[sel], eng.force[sel]
        pr = eng.run[b]
        st.cohesion[pr, f] = np.maximum(st.cohesion[pr, f] - drop[b], 0.05)


def retreat(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    eng: Engagement,
    winner: npt.NDArray[np.int8],
) -> None:
    """Send beaten forces (and attackers after a draw) to safety, or into captivity."""
    loser = np.where(winner == 1, 1 - eng.attacker, eng.attacker)
    mover = np.where(winner == 0, eng.attacker, loser)
    must = (eng.side_of(scn) == mover[eng.battle]) & (st.men[eng.prun, eng.force] > 0)
    rows, cols = eng.battle[must], eng.force[must]
    if rows.size == 0:
        return
    r = eng.run[rows]
    p = eng.province[rows]
    s = scn.force_side[cols].astype(np.int64)
    pres = eng.presence  # after the battles' losses
    back = ctx.came_from[r, cols]
    nbr = scn.side_nbr[s, p]  # [m, D]: the neighbours its side's routes reach
    valid = nbr >= 0
    nb = np.where(valid, nbr, 0)
    enemy_there = pres[r[:, None], nb, (1 - s)[:, None]] > 0
    enemy_base = scn.off_map[nb] & (st.owner[r[:, None], nb] != s[:, None])
    ok = valid & ~enemy_there & ~enemy_base
    home = scn.side_dist_days[s[:, None], nb, scn.capital[s][:, None]]  # days home from nb
    # An attacker's line of retreat is the road it came by: the enemy it attacked stands
    # across the others.  Beaten or held to a draw, it falls back the way it came while no
    # enemy stands there; a beaten defender falls back towards its own side.
    attacking = (s == eng.attacker[rows])[:, None]
    score = (
        home
        + 1000.0 * (st.owner[r[:, None], nb] != s[:, None])
        - 5000.0 * ((nb == back[:, None]) & attacking)
    )
    score = np.where(ok, score, np.inf)
    pick = np.argmin(score, axis=1)
    has = np.isfinite(score[np.arange(rows.size), pick])
    to = nb[np.arange(rows.size), pick]
    go = has
    st.loc[r[go], cols[go]] = to[go]
    st.nxt[r[go], cols[go]] = NONE
    st.dest[r[go], cols[go]] = NONE
    st.progress[r[go], cols[go]] = 0.0
    st.garrisoned[r[go], cols[go]] = False
    ctx.moved[r[go], cols[go]] = True
    surrender = ~has & (winner[rows] != 0)
    if surrender.any():
        rs, fs = r[surrender], cols[surrender]
        np.add.at(st.captured, (rs, scn.force_side[fs]), st.men[rs, fs])
        np.add.at(ctx.lost_men, (rs, scn.force_side[fs]), st.men[rs, fs].astype(np.int64))
        c = st.commander[rs, fs]
        hc = c >= 0
        st.cmd_state[rs[hc], c[hc]] = CommanderState.CAPTURED
        np.add.at(ctx.commanders_lost, (rs[hc], scn.force_side[fs][hc]), 1)
        np.add.at(
            ctx.heads_of_state_lost, (rs[hc], scn.force_side[fs][hc]), scn.head_of_state[c[hc]]
        )
        st.commander[rs, fs] = NONE
        st.men[rs, fs] = 0
        st.status[rs, fs] = ForceStatus.GONE
        ctx.rec("surrenders").add(run=rs, force=fs, province=p[surrender])
    if ctx.record_moves:
        ctx.rec("retreats").add(run=r[go], force=cols[go], origin=p[go], to=to[go])


def settle_dug_in(st: CampaignState, ctx: TurnContext) -> None:
    """Count turns standing in place; marching or being driven off resets the count.

    A force that ended its march in the first half of the turn and then stood, unfought,
    for the rest of it (four days or more of a seven-day turn) has dug in too: by the next
    turn it has stood a full turn's days, which is what a prepared position takes
    (docs/rules.md): an army that arrived on a turn's second day and is attacked late in
    the next has stood the best part of two weeks behind its parapets.
    """
    half = ctx.scn.turn_days - 1 - ctx.scn.turn_days // 2
    settled = (ctx.arrived_day != NONE) & (ctx.arrived_day <= half) & ~ctx.fought
    still = (st.status == ForceStatus.ACTIVE) & (~ctx.moved | settled) & (st.nxt == NONE)
    st.dug_in = np.where(ctx.live[:, None], np.where(still, st.dug_in + 1, 0), st.dug_in).astype(
        np.int16
    )
