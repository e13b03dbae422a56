"""The movement pass: every force still free stays or marches, largest first.

Each force weighs staying (garrisoning a hostile conquest against risings, keeping the
men an outcome's ``forces_in`` condition needs, covering a threatened province, waiting
where a strike gathers) against marching along a clear road to each province (taking
enemy land worth victory points, reinforcing a threatened province or an outnumbered
friend, gathering to strike next turn), minus the risk of being caught there, of
starving out of supply and of the country's attrition.  Each choice updates where own
men will stand (:class:`~game.ai.draft.Draft`), so two forces do not chase one prize and
the last force in a conquest is the one to hold it.  The orders are given, with their
reasons, by :mod:`game.ai.movement_orders`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import rng
from game.ai.appraisal import DISCOUNT, Appraisal
from game.ai.draft import Draft, spread
from game.ai.features import defender_posture
from game.ai.holding import garrison_value, keep_chance
from game.ai.movement_orders import march, stay
from game.ai.strikes import strike
from game.codes import NONE, Posture

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


@dataclass
class MoveCosts:
    """What the movement pass needs that does not depend on the force deciding."""

    gdest: I64  # [R, F] where each force would gather for next turn's strike, or -1
    gval: F64  # [R, F] what gathering there is worth
    gtarget: I64  # [R] the strike being prepared, or -1
    gwin: F64  # [R] its odds with everyone gathered
    hungry: F64  # [R, P] share lost to hunger there in two weeks (before arm's need)
    wear: F64  # [P] share lost to the country there in two weeks
    stay_post: npt.NDArray[np.int64]  # [R, P] posture of forces that stay
    open_land: B  # [R, P] no enemy seen or believed there


@dataclass
class Options:
    """What one force can do: a score per destination and for staying, with the parts.

    One row per run in which the force is free to choose (N of them; see
    :func:`options`).
    """

    move: F64  # [N, P]
    stay: F64  # [N]
    v_take: F64  # [N, P] taking, covering, outcome men and support at each place
    v_gat: F64  # [N, P] gathering for a strike
    v_gar: F64  # [N] holding down a hostile conquest where it stands
    v_keep: F64  # [N] the men an outcome needs where it stands
    v_cov: F64  # [N] covering where it stands (and supporting those there)
    v_gs: F64  # [N] gathering where it stands
    keep_stay: F64  # [N] chance of keeping where it stands if it stays
    men: F64  # [N]


@dataclass
class _Chances:
    """The chances of keeping, and the losses, of one force's options (``[N, P]``).

    ``go``: it marches there; ``base``: what is there without it; ``stay`` (``[N]``):
    it stays where it stands.
    """

    keep_go: F64
    keep_base: F64
    keep_stay: F64
    lost_go: F64
    lost_base: F64
    lost_stay: F64


def moves(ap: Appraisal, d: Draft) -> None:
    """Choose between staying and marching for every force still free, largest first.

    The largest forces choose first, so the main army takes the richest prize and
    smaller ones the rest; a force not yet decided counts where it stands, so the
    last force left in a conquest is the one asked to garrison it.  Each force's
    options are weighed only in the runs where it is still free to choose (in a big
    batch that is often a small share of them).
    """
    c = move_costs(ap, d)
    R = ap.R
    for f in np.argsort(-np.asarray(ap.sit.scn.men0), kind="stable"):
        f = int(f)
        act = d.free[:, f]
        if not ap.sit.own[f] or not act.any():
            continue
        ri = np.flatnonzero(act)
        o = options(ap, d, f, ri, c)
        n = np.arange(ri.size)
        q_c = np.argmax(o.move, axis=1)
        best = o.move[n, q_c]
        go_c = np.isfinite(best) & (best > o.stay)
        rest_c = ~go_c & np.isfinite(o.stay)
        go, rest, q = spread(go_c, ri, R), spread(rest_c, ri, R), spread(q_c, ri, R)
        hold, men = spread(o.keep_stay, ri, R), spread(o.men, ri, R)
        v = [spread(x, ri, R) for x in (o.v_gar, o.v_keep, o.v_cov, o.v_gs)]
        stay(ap, d, f, rest, *v, hold, c.gtarget, c.gwin, men)
        comps = spread(np.stack([o.v_take[n, q_c], o.v_gat[n, q_c]], axis=1), ri, R)
        march(ap, d, f, go, q, comps.T, hold, c.gtarget, c.gwin, men)


def move_costs(ap: Appraisal, d: Draft) -> MoveCosts:
    """Return what the movement pass needs that does not depend on the force."""
    sit = ap.sit
    scn, rules = sit.scn, sit.scn.rules
    weeks = ap.T / 7.0
    gdest, gval, gtarget, gwin = gather(ap, d)
    forage = np.asarray(scn.terrain_forage)[scn.terrain]
    hungry = (sit.supply_d > rules.supply.range_days) * (1.0 - forage)[None, :]
    wear = np.asarray(scn.terrain_attrition)[scn.terrain] * weeks * 2.0
    return MoveCosts(
        gdest=gdest,
        gval=gval,
        gtarget=gtarget,
        gwin=gwin,
        hungry=hungry * rules.supply.out_of_supply * weeks * 2.0,
        wear=wear,
        stay_post=np.where(ap.dug, Posture.PREPARED, Posture.HASTY),
        # Land to take or cover: no enemy seen there, and none believed to be there.
        open_land=~ap.foe_any & ~(ap.ghost_here & ~ap.own_held),
    )


def gather(ap: Appraisal, d: Draft) -> tuple[I64, F64, I64, F64]:
    """Return where each free force should gather for next turn's best strike.

    Returns:
        ``dest[R, F]`` (the province one step short of the target on the force's
        road, or -1), its value ``[R, F]``, the target per run ``[R]`` (or -1), and
        the chance of winning with everyone gathered ``[R]``.
    """
    sit, p = ap.sit, ap.pers
    soon = d.free[:, :, None] & (sit.eta <= 2.0 * ap.T) & ap.mt & sit.clear
    g = sit.group(soon)
    held_by_foe = sit.owner == sit.enemy
    post = defender_posture(sit, held_by_foe, held_by_foe)
    o = strike(ap, g, ap.foe, post)
    ev = (
        o.p_win * (ap.worth + ap.behind)
        + ap.k_kill * o.def_loss * ap.foe.men
        - ap.k_lose * o.att_loss * g.men
    )
    ok = ap.foe_any & (g.men > 0) & (o.p_win >= ap.threshold[:, None]) & (ev > 0)
    best = np.argmax(np.where(ok, ev, -np.inf), axis=1)
    has = ok[ap.rows, best]
    member = soon[ap.rows, :, best] & has[:, None]
    stage = np.asarray(sit.st.stage)[sit.here, best[:, None]].astype(np.int64)
    dest = np.where(member, stage, NONE)
    value = np.where(member, p.concentration * 0.6 * ev[ap.rows, best][:, None], 0.0)
    return dest, value, np.where(has, best, NONE), o.p_win[ap.rows, best]


def options(ap: Appraisal, d: Draft, f: int, ri: I64, c: MoveCosts) -> Options:
    """Return what force ``f`` would achieve by marching to each province or staying.

    Marching: taking or covering the place (the change in the chance of keeping it),
    the men an outcome needs there, support to men already threatened there, and
    gathering for a strike; less the risk of losses there, hunger and the country's
    attrition, and a little for the time it takes.  Staying: the same for where it
    stands, plus holding down a hostile conquest.

    Only for the runs ``ri`` (where the force is free to choose): every array of the
    answer has one row per run of ``ri``.
    """
    sit, p = ap.sit, ap.pers
    places = np.arange(ap.P)[None, :]
    n = np.arange(ri.size)
    mf = sit.men[ri, f]
    here = sit.here[ri, f]
    at = n, here
    stands = sit.stands[ri, f]
    base = d.proj[ri]
    base[at] -= mf
    with_f = base + mf[:, None]
    legal = ap.mt[ri, f, :] & sit.clear[ri, f, :]
    legal &= ~(stands[:, None] & (places == here[:, None]))
    k = _chances(ap, f, ri, c, base, with_f, legal)
    crossed = (with_f >= ap.need_men) & (base < ap.need_men)  # a forces_in condition
    wear = ap.k_lose * mf[:, None] * (c.hungry[ri] * sit.st.supply_need[f] + c.wear[None, :])
    dest_now = sit.obs.dest[ri, f]
    move, take, v_gat = _march_scores(ap, f, ri, c, k, base, crossed, wear, legal)
    worth = ap.worth[0]  # the same in every run
    held = ap.own_held[ri, here]
    v_keep = np.where(held, 0.5 * worth[here] * k.keep_stay * crossed[at], 0.0)
    g0 = base[at]
    v_gar = garrison_value(ap, here, held, g0, mf)
    v_cov = np.where(c.open_land[ri][at], worth[here] * (k.keep_stay - k.keep_base[at]), 0.0)
    v_cov += ap.k_lose * g0 * np.maximum(k.lost_base[at] - k.lost_stay, 0.0)
    v_gs = np.where(c.gdest[ri, f] == here, c.gval[ri, f], 0.0)
    rest = v_gar + v_keep + v_cov + v_gs - ap.k_lose * mf * k.lost_stay - wear[at]
    stay_v = np.where(stands, rest + np.where(dest_now < 0, 1e-3, 0.0), -np.inf)
    if p.noise > 0:
        z = rng.normal(rng.derive(ap.keys[ri, None], 11, f, np.arange(ap.P + 1)[None, :]))
        move = move + p.noise * ap.scale * z[:, : ap.P]
        stay_v = stay_v + p.noise * ap.scale * z[:, ap.P]
    return Options(move, stay_v, take, v_gat, v_gar, v_keep, v_cov, v_gs, k.keep_stay, mf)


def _chances(
    ap: Appraisal, f: int, ri: I64, c: MoveCosts, base: F64, with_f: F64, legal: B
) -> _Chances:
    """Return the chances of keeping each place force ``f`` could march to or stay in.

    Worked out only where they are read: marching to the places the force may legally
    go (with it, and without it), and staying where it stands.
    """
    sit = ap.sit
    n = np.arange(ri.size)
    here = sit.here[ri, f]
    is_here = np.arange(ap.P)[None, :] == here[:, None]
    log_eff = np.log(np.maximum(sit.eff[ri, f], 1e-6))[:, None]
    lead = sit.lead[ri, f][:, None]
    # Marching there, what is left there without it, and staying where it stands.
    post = np.stack(
        np.broadcast_arrays(Posture.MEETING, Posture.HASTY, c.stay_post[ri]), dtype=np.int64
    )
    (keep_go, keep_base, keep_stay), (lost_go, lost_base, lost_stay) = keep_chance(
        ap,
        np.stack([with_f, base, with_f]),
        log_eff,
        lead,
        post,
        rows=ri,
        need=np.stack([legal, legal | is_here, is_here]),
    )
    at = n, here
    return _Chances(keep_go, keep_base, keep_stay[at], lost_go, lost_base, lost_stay[at])


def _march_scores(
    ap: Appraisal,
    f: int,
    ri: I64,
    c: MoveCosts,
    k: _Chances,
    base: F64,
    crossed: B,
    wear: F64,
    legal: B,
) -> tuple[F64, F64, F64]:
    """Return ``[N, P]``: the score of marching to each place, and its taking and gathering.

    Taking (or covering) open land, the men an outcome needs there, support to the men
    already threatened there and gathering for a strike, less the risk of losses there,
    hunger and the country's wear, and a little for the time it takes; a little more to
    keep the march it is already on.
    """
    sit = ap.sit
    places = np.arange(ap.P)[None, :]
    worth = ap.worth[0]  # the same in every run
    open_land = c.open_land[ri]
    eta = sit.eta[ri, f, :]
    disc = DISCOUNT ** (np.maximum(np.ceil(eta / ap.T), 1.0) - 1.0)
    take = np.where(open_land, worth * (k.keep_go - k.keep_base) * disc, 0.0)
    take += np.where(open_land, 0.5 * worth * k.keep_go * disc * crossed, 0.0)
    take += ap.k_lose * base * np.maximum(k.lost_base - k.lost_go, 0.0)  # mutual support
    gdest, gval = c.gdest[ri, f], c.gval[ri, f]
    v_gat = np.where(places == gdest[:, None], gval[:, None], 0.0)
    dest_now = sit.obs.dest[ri, f]
    persist = np.where(places == dest_now[:, None], 0.05 * ap.scale, 0.0)
    risk = ap.k_lose * sit.men[ri, f][:, None] * k.lost_go
    tcost = 0.01 * ap.scale * eta / ap.T
    move = np.where(legal, take + v_gat - risk - wear - tcost + persist, -np.inf)
    return move, take, v_gat
