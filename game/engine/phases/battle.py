"""Phases 3 and 4: contact and battle, then retreat or rout.

Wherever both sides stand in one province after movement, a battle is fought: every
battle of every run goes to the combat resolver in one call.  All forces of a side in the
province fight together under the best commander present.  The attacker is the side that
marched in (the later arrival if both did); when neither did, it is the side that ordered
an attack, else the side not holding the province (insurgents, besiegers).  Losses are
shared among a side's forces in proportion to their men.  The loser then falls back to a
neighbouring province free of the enemy, toward its own capital; a force with nowhere to
go surrenders.  After a draw the attacker falls back the way it came.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import rng
from game.engine.codes import KIND_NAMES, NONE, CommanderState, ForceStatus, Posture
from game.engine.combat import BattleInput, CombatParams, resolve
from game.engine.context import Phase, TurnContext
from game.engine.forces import presence, standing
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@dataclass
class Engagement:
    """The battles of one turn: one row per battle, plus its participants."""

    run: I64
    province: I64
    attacker: I64
    part: npt.NDArray[np.bool_]  # [n, F] force takes part


def _kind_table(scn: CompiledScenario, attr: str) -> F64:
    out = np.zeros(len(KIND_NAMES))
    for name, k in KIND_NAMES.items():
        out[k] = getattr(scn.rules.kinds[name], attr)  # type: ignore[index]
    return out


def find_battles(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> Engagement:
    """Return every province of every live run where both sides stand."""
    pres = presence(scn, st)
    contested = (pres > 0).all(axis=2) & ctx.live[:, None]
    r, p = np.nonzero(contested)
    stand = standing(st)
    part = stand[r] & (st.loc[r] == p[:, None])
    side = scn.force_side[None, :]
    attacker = _choose_attacker(scn, st, ctx, r, p, part, side)
    return Engagement(r.astype(np.int64), p.astype(np.int64), attacker, part)


def _choose_attacker(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    r: I64,
    p: I64,
    part: npt.NDArray[np.bool_],
    side: npt.NDArray[np.int8],
) -> I64:
    day = np.where(part, ctx.arrived_day[r], NONE)
    intent = part & ctx.attack_intent[r]
    late = np.stack([np.where(side == s, day, NONE).max(axis=1) for s in range(2)], axis=1)
    wants = np.stack([(intent & (side == s)).any(axis=1) for s in range(2)], axis=1)
    owner = st.owner[r, p].astype(np.int64)
    att = 1 - owner  # default: the side not holding the province
    both_moved = (late >= 0).all(axis=1)
    one_moved = (late >= 0).any(axis=1) & ~both_moved
    att = np.where(wants[:, 0] & ~wants[:, 1], 0, np.where(wants[:, 1] & ~wants[:, 0], 1, att))
    att = np.where(one_moved, np.argmax(late >= 0, axis=1), att)
    later = np.where(late[:, 0] > late[:, 1], 0, np.where(late[:, 1] > late[:, 0], 1, att))
    return np.where(both_moved, later, att).astype(np.int64)


def _pad(per_commander: F64) -> F64:
    """Return a commander table with a trailing 0 so that index -1 (none) reads 0."""
    return np.append(per_commander, 0.0)


def _aggregate(
    scn: CompiledScenario, st: CampaignState, eng: Engagement, mask: npt.NDArray[np.bool_]
) -> dict[str, F64]:
    """Sum or men-weight one side's participants in each battle."""
    r = eng.run
    men = np.where(mask, st.men[r], 0).astype(np.float64)
    total = men.sum(axis=1)
    w = men / np.maximum(total, 1.0)[:, None]
    cohesion_q = 0.5 + 0.5 * st.cohesion[r]
    q = scn.quality[None, :] * _kind_table(scn, "quality")[scn.kind][None, :] * cohesion_q
    cmd = st.commander[r]
    has = mask & (cmd != NONE)
    lead = np.where(has, _pad(scn.leadership)[cmd], -np.inf)
    best = np.argmax(lead, axis=1)
    rows = np.arange(r.size)
    best_cmd = np.where(has[rows, best], cmd[rows, best], NONE)
    return {
        "men": total,
        "quality": (w * q).sum(axis=1),
        "training": (w * scn.training[None, :]).sum(axis=1),
        "morale": (w * scn.morale[None, :]).sum(axis=1),
        "cavalry": (w * scn.cavalry[None, :]).sum(axis=1),
        "surprise": (w * _kind_table(scn, "surprise")[scn.kind][None, :]).sum(axis=1),
        "commander": best_cmd.astype(np.float64),
        "leadership": _pad(scn.leadership)[best_cmd],
        "initiative": _pad(scn.initiative)[best_cmd],
        "exposure": _pad(scn.exposure)[best_cmd],
    }


def _posture(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    eng: Engagement,
    dmask: npt.NDArray[np.bool_],
) -> npt.NDArray[np.int8]:
    r = eng.run
    moved = (dmask & (ctx.arrived_day[r] != NONE)).any(axis=1)
    dug = np.where(dmask, st.dug_in[r], 10_000).min(axis=1) >= 1
    garr = (dmask & st.garrisoned[r]).any(axis=1)
    fort = scn.fort[eng.province] >= 1
    posture = np.where(dug, Posture.PREPARED, Posture.HASTY)
    posture = np.where(dug & garr & fort, Posture.FORTIFIED, posture)
    return np.where(moved, Posture.MEETING, posture).astype(np.int8)


def build_input(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, eng: Engagement
) -> tuple[BattleInput, dict[str, F64], dict[str, F64]]:
    """Return the resolver's input for the turn's battles, and each side's aggregates."""
    side = scn.force_side[None, :]
    amask = eng.part & (side == eng.attacker[:, None])
    dmask = eng.part & (side != eng.attacker[:, None])
    a = _aggregate(scn, st, eng, amask)
    d = _aggregate(scn, st, eng, dmask)
    surprise = np.clip(a["surprise"] + 0.5 * (a["initiative"] - d["initiative"]), -3.0, 3.0)
    keys = rng.derive(ctx.keys[eng.run], int(Phase.BATTLE), eng.province)
    inp = BattleInput(
        att_men=a["men"],
        def_men=d["men"],
        att_quality=a["quality"],
        def_quality=d["quality"],
        att_leadership=a["leadership"],
        def_leadership=d["leadership"],
        att_training=a["training"],
        def_training=d["training"],
        att_morale=a["morale"],
        def_morale=d["morale"],
        surprise=surprise,
        posture=_posture(scn, st, ctx, eng, dmask),
        terrain=scn.terrain_defence[scn.terrain[eng.province]],
        att_cavalry=a["cavalry"],
        def_cavalry=d["cavalry"],
        att_exposure=a["exposure"],
        def_exposure=d["exposure"],
        keys=keys,
    )
    return inp, a, d


def _share(total: I64, weights: F64) -> I64:
    """Split integer totals ``[n]`` over weights ``[n, F]`` exactly (cumulative rounding)."""
    w = np.maximum(weights, 0.0)
    cum = np.cumsum(w, axis=1)
    tot = np.maximum(cum[:, -1:], 1e-12)
    c = np.floor(total[:, None] * cum / tot + 1e-9)
    return np.diff(np.concatenate([np.zeros((w.shape[0], 1)), c], axis=1), axis=1).astype(np.int64)


def _split3(tot: I64, k: I64, w: I64, c: I64) -> tuple[I64, I64, I64]:
    """Split each force's loss into killed, wounded, captured in the battle's proportions."""
    loss = np.maximum(k + w + c, 1)[:, None]
    kk = np.minimum(np.rint(tot * k[:, None] / loss), tot).astype(np.int64)
    cc = np.minimum(np.rint(tot * c[:, None] / loss), tot - kk).astype(np.int64)
    return kk, tot - kk - cc, cc


def apply_losses(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    eng: Engagement,
    mask: npt.NDArray[np.bool_],
    killed: I64,
    wounded: I64,
    captured: I64,
) -> tuple[I64, I64, I64]:
    """Take one side's battle losses from its forces; return what was actually taken."""
    r = eng.run
    men = np.where(mask, st.men[r], 0).astype(np.int64)
    total = np.minimum(killed + wounded + captured, men.sum(axis=1))
    tot = np.minimum(_share(total, men.astype(np.float64)), men)
    k, w, c = _split3(tot, killed, wounded, captured)
    rows, cols = np.nonzero(mask)
    st.men[r[rows], cols] -= tot[rows, cols].astype(np.int32)
    side = scn.force_side[cols]
    for arr, name in ((k, "killed"), (w, "wounded"), (c, "captured")):
        np.add.at(getattr(st, name), (r[rows], side), arr[rows, cols].astype(np.int32))
    np.add.at(ctx.lost_men, (r[rows], side), tot[rows, cols])
    return k.sum(axis=1), w.sum(axis=1), c.sum(axis=1)


def _commander_fates(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    eng: Engagement,
    agg: dict[str, F64],
    killed: npt.NDArray[np.bool_],
    captured: npt.NDArray[np.bool_],
    side: I64,
) -> npt.NDArray[np.int8]:
    cmd = agg["commander"].astype(np.int64)
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
    return fate


def fight(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, params: CombatParams
) -> Engagement:
    """Resolve every battle of the turn and apply losses and commanders' fates."""
    st.last_battle[ctx.live] = NONE
    eng = find_battles(scn, st, ctx)
    if eng.run.size == 0:
        return eng
    inp, a, d = build_input(scn, st, ctx, eng)
    res = resolve(inp, params)
    side = scn.force_side[None, :]
    amask = eng.part & (side == eng.attacker[:, None])
    dmask = eng.part & ~amask
    ak, aw, ac = apply_losses(
        scn, st, ctx, eng, amask, res.att_killed, res.att_wounded, res.att_captured
    )
    dk, dw, dc = apply_losses(
        scn, st, ctx, eng, dmask, res.def_killed, res.def_wounded, res.def_captured
    )
    defender = 1 - eng.attacker
    af = _commander_fates(
        scn, st, ctx, eng, a, res.att_cmd_killed, res.att_cmd_captured, eng.attacker
    )
    df = _commander_fates(scn, st, ctx, eng, d, res.def_cmd_killed, res.def_cmd_captured, defender)
    winner_side = np.where(res.winner == 1, eng.attacker, np.where(res.winner == -1, defender, 2))
    st.last_battle[eng.run, eng.province] = winner_side
    np.add.at(st.battles, eng.run, 1)  # a run may fight several battles in one turn
    ctx.fought[eng.run] |= eng.part
    _shake(st, eng, amask, dmask, res.winner, inp)
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
        att_cmd=a["commander"].astype(np.int64),
        def_cmd=d["commander"].astype(np.int64),
        att_cmd_fate=af,
        def_cmd_fate=df,
        posture=inp.posture,
        surprise=inp.surprise,
    )
    ctx.rec("battle_forces").add(
        battle=np.repeat(
            np.arange(eng.run.size) + len(ctx.rec("battles")) - eng.run.size, eng.part.sum(axis=1)
        ),
        force=np.nonzero(eng.part)[1],
    )
    retreat(scn, st, ctx, eng, res.winner)
    return eng


def _shake(
    st: CampaignState,
    eng: Engagement,
    amask: npt.NDArray[np.bool_],
    dmask: npt.NDArray[np.bool_],
    winner: npt.NDArray[np.int8],
    inp: BattleInput,
) -> None:
    """Lower cohesion after battle: a little for the winner, much for a routed loser."""
    r = eng.run
    for mask, lost_if in ((amask, -1), (dmask, 1)):
        drop = np.where(winner == lost_if, 0.35, np.where(winner == 0, 0.15, 0.05))
        sel = mask
        rows, cols = np.nonzero(sel)
        st.cohesion[r[rows], cols] = np.maximum(st.cohesion[r[rows], cols] - drop[rows], 0.05)


def retreat(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    eng: Engagement,
    winner: npt.NDArray[np.int8],
) -> None:
    """Send beaten forces (and attackers after a draw) to safety, or into captivity."""
    side = scn.force_side[None, :]
    loser = np.where(winner == 1, 1 - eng.attacker, eng.attacker)
    mover = np.where(winner == 0, eng.attacker, loser)
    must = eng.part & (side == mover[:, None]) & (st.men[eng.run] > 0)
    rows, cols = np.nonzero(must)
    if rows.size == 0:
        return
    r = eng.run[rows]
    p = eng.province[rows]
    s = scn.force_side[cols].astype(np.int64)
    pres = presence(scn, st)
    back = ctx.came_from[r, cols]
    nbr = scn.nbr[p]  # [m, D]
    valid = nbr >= 0
    nb = np.where(valid, nbr, 0)
    enemy_there = pres[r[:, None], nb, (1 - s)[:, None]] > 0
    enemy_base = scn.off_map[nb] & (st.owner[r[:, None], nb] != s[:, None])
    ok = valid & ~enemy_there & ~enemy_base
    home = scn.dist_days[scn.capital[s][:, None], nb]
    score = (
        home
        + 1000.0 * (st.owner[r[:, None], nb] != s[:, None])
        - 5000.0 * ((nb == back[:, None]) & (winner[rows] == 0)[:, None])
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
        st.commander[rs, fs] = NONE
        st.men[rs, fs] = 0
        st.status[rs, fs] = ForceStatus.GONE
        ctx.rec("surrenders").add(run=rs, force=fs, province=p[surrender])
    if ctx.record_moves:
        ctx.rec("retreats").add(run=r[go], force=cols[go], origin=p[go], to=to[go])


def settle_dug_in(st: CampaignState, ctx: TurnContext) -> None:
    """Count turns standing in place; marching or being driven off resets the count."""
    still = (st.status == ForceStatus.ACTIVE) & ~ctx.moved & (st.nxt == NONE)
    st.dug_in = np.where(ctx.live[:, None], np.where(still, st.dug_in + 1, 0), st.dug_in).astype(
        np.int16
    )
