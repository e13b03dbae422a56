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
from typing import Final

import numpy as np
import numpy.typing as npt

from game import rng
from game.ai import march_values
from game.ai.appraisal import DISCOUNT, URGENT_ODDS, Appraisal
from game.ai.draft import Draft, spread
from game.ai.features import Group, defender_posture
from game.ai.holding import garrison_value, keep_chance
from game.ai.movement_orders import march, stay
from game.ai.operations import chief_odds
from game.ai.strikes import MINOR_KILL, MINOR_MARGIN, barred, strike
from game.codes import NONE, Posture

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

JOIN: Final = 1.0
"""Worth of a regular force's men with the main body, as a share of what they are worth."""
CHIEF_JOIN: Final = 4.0
"""The same for a head of state's force: his place is with the army, not on a raid."""
DEFEND_JOIN: Final = 2.0
"""How much more joining the main body is worth to a side on the defensive
(:mod:`game.ai.posture`): it concentrates."""
PERIL_TOLERANCE: Final = 0.3
"""Chance of being beaten by the enemy's main army below which the main body does not
count the danger of standing within its reach."""
ARMY_PERSIST: Final = 0.1
"""Head start (a share of the scale of victory points) of the place the main body is
already bound for over any other: an army does not change its line of march every week."""
CHIEF_PERIL: Final = 1.0
"""What a head of state's force risks where it may be beaten away from the main body, as
a share of the war's stakes (the scale of victory points) times the personality's
side's ``chief_care``: he is kept out of harm's way unless the battle decides the war."""


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
    rally: I64  # [R] where the main body goes this turn (-1: none), see main_body_target


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
    v_join: F64  # [N, P] joining the main body
    v_gar: F64  # [N] holding down a hostile conquest where it stands
    v_keep: F64  # [N] the men an outcome needs where it stands
    v_cov: F64  # [N] covering where it stands (and supporting those there)
    v_gs: F64  # [N] gathering where it stands
    v_js: F64  # [N] being with the main body where it stands
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
    c.rally = main_body_target(ap, d, c)
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
        v = [spread(x, ri, R) for x in (o.v_gar, o.v_keep, o.v_cov, o.v_gs, o.v_js)]
        stay(ap, d, f, rest, tuple(v), hold, c.gtarget, c.gwin, men)  # type: ignore[arg-type]
        parts = [o.v_take[n, q_c], o.v_gat[n, q_c], o.v_join[n, q_c]]
        comps = spread(np.stack(parts, axis=1), ri, R)
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
        rally=np.full(ap.R, NONE, np.int64),
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
    decides = ap.ops.decisive | ap.ops.key[None, :]  # see strike_reach
    soon &= ~(ap.ops.chief[:, :, None] & ~decides[:, None, :])
    g = sit.group(soon)
    held_by_foe = sit.owner == sit.enemy
    post = defender_posture(sit, held_by_foe, held_by_foe)
    o = strike(ap, g, ap.foe, post)
    ev = (
        o.p_win * (ap.worth + ap.behind)
        + ap.k_kill * o.def_loss * ap.foe.men
        - ap.k_lose * o.att_loss * g.men
    )
    ok = ap.foe_any & ~barred(ap) & (g.men > 0) & (o.p_win >= ap.threshold[:, None]) & (ev > 0)
    best = np.argmax(np.where(ok, ev, -np.inf), axis=1)
    has = ok[ap.rows, best]
    member = soon[ap.rows, :, best] & has[:, None]
    stage = np.asarray(sit.st.stage)[sit.here, best[:, None]].astype(np.int64)
    dest = np.where(member, stage, NONE)
    value = np.where(member, p.concentration * 0.6 * ev[ap.rows, best][:, None], 0.0)
    return dest, value, np.where(has, best, NONE), o.p_win[ap.rows, best]


def main_body_target(ap: Appraisal, d: Draft, c: MoveCosts) -> I64:
    """Return ``[R]``: where the main body marches this turn (or stays), -1 if none.

    The main body is the largest mass of free regular forces bound for one province
    (standing there, or marching to it); it is weighed as one army (its men together,
    under its largest force's pace and road), on the same terms as any force
    (:func:`options`) and against the enemy's main army (:func:`army_peril`), and the
    others then concentrate where it goes (:func:`join_values`).  It keeps the march it
    is on unless another place is clearly better (:data:`ARMY_PERSIST`).
    """
    sit = ap.sit
    free = d.free & ap.ops.regular[None, :]
    bound = np.where(sit.stands, sit.here, np.where(sit.obs.dest >= 0, sit.obs.dest, sit.here))
    men = np.where(free, sit.men, 0.0)
    mass = np.zeros((ap.R, ap.P))
    r, f = np.nonzero(free)
    np.add.at(mass, (r, bound[r, f]), men[r, f])
    at = np.argmax(mass, axis=1)
    army = mass[ap.rows, at]
    core = np.argmax(np.where(bound == at[:, None], men, -1.0), axis=1)
    has = army > 0
    target = np.where(has, at, NONE).astype(np.int64)
    for slot in np.unique(core[has]):
        ri = np.flatnonzero(has & (core == slot))
        o = options(ap, d, int(slot), ri, c, army=army[ri])
        n = np.arange(ri.size)
        move = o.move - army_peril(ap, int(slot), ri, army[ri])
        move += seek_battle(ap, int(slot), ri, army[ri]) * np.isfinite(move)
        here = sit.here[ri, slot]
        stay = (
            np.where(np.isfinite(o.stay), o.stay, -np.inf)
            - army_peril(ap, int(slot), ri, army[ri])[n, here]
        )
        # Marching on to where it is bound is the default; another place must be better.
        move[n, at[ri]] += ARMY_PERSIST * ap.scale
        q = np.argmax(move, axis=1)
        best = move[n, q]
        go = np.isfinite(best) & (best > stay)
        target[ri] = np.where(go, q, here)
    return target


def seek_battle(ap: Appraisal, f: int, ri: I64, army: F64) -> F64:
    """Return ``[N, P]``: what marching to strike the enemy is worth to the main body.

    For every place where enemies are seen or the enemy's main army is believed to be,
    the battle the main body would fight there is weighed as the attack pass weighs a
    strike (the decisive battle on good terms, any other on better ones); the place one
    march short of it on the road is worth the best such battle, times the
    personality's ``concentration`` x 0.6 as gathering for a strike is, discounted by
    the turns it takes to get there.  Generals marched on the enemy's army and on what
    it held, not only on what lay open.
    """
    sit, ops = ap.sit, ap.ops
    out = np.zeros((ri.size, ap.P))
    target = (ops.foe_mass[ri] > 0) & ~barred(ap)[ri]
    n, q = np.nonzero(target)
    if n.size == 0:
        return out
    r = ri[n]
    foe_men = ops.foe_mass[r, q]
    held = sit.owner == sit.enemy
    posture = defender_posture(sit, held, held)[r, q]
    log_eff = np.log(np.maximum(sit.eff[r, f], 1e-6))
    ones = np.ones(n.size)
    g = Group(
        army[n],
        log_eff,
        sit.lead[r, f],
        sit.init[r, f],
        sit.st.surprise[f] * ones,
        sit.exposure[r, f],
        sit.stake[r, f],
    )
    # The enemy's quality and leader are not known: taken as average.
    o = sit.odds_of_push(
        sit.push(g, 0.0),
        army[n],
        (foe_men, 0.0 * ones, 0.0 * ones),
        posture,
        fields=("p_win", "att_loss", "def_loss"),
        places=q,
    )
    decisive = ops.decisive[r, q]
    last = np.where(ap.own_held[r, q], 1.0, ops.sphere[r, q])
    kill = ap.k_kill * np.where(decisive, 1.0, MINOR_KILL)
    ev = (
        o.p_win * (ap.worth[r, q] * last + ap.behind[r, q])
        + kill * o.def_loss * foe_men
        - ap.k_lose * o.att_loss * army[n]
    )
    need = ap.threshold[r] + MINOR_MARGIN * ~decisive
    # A head of state marching with the main body rides into the battle it seeks.
    with_chief = (ops.chief[r] & (sit.here[r] == sit.here[r, f][:, None])).any(axis=1)
    chief = chief_odds(ap.ops.chief_care) - URGENT_ODDS * ops.urgency[r]
    need = np.where(with_chief, np.maximum(need, chief), need)
    stage = np.asarray(sit.st.stage)[sit.here[r, f], q].astype(np.int64)
    ok = (o.p_win >= need) & (ev > 0) & (stage >= 0)
    days = sit.eta[r, f, np.maximum(stage, 0)]
    disc = DISCOUNT ** (np.maximum(np.ceil(days / ap.T), 1.0) - 1.0)
    value = ap.pers.concentration * 0.6 * ev * disc
    np.maximum.at(out, (n[ok], stage[ok]), value[ok])
    return out


def army_peril(ap: Appraisal, f: int, ri: I64, army: F64) -> F64:
    """Return ``[N, P]``: what the main body risks from the enemy's main army at each place.

    Where the enemy's main army can strike within two marches, the chance it beats the
    main body there, beyond :data:`PERIL_TOLERANCE` (rescaled to 0..1), (attacking a hasty defence, its quality and leader unknown and so
    taken as average) times what the main body is worth: its men, and the war's stakes,
    for the battle that follows would decide the campaign (and the head of state's life,
    if he is with it).
    """
    sit, ops = ap.sit, ap.ops
    fastest = sit.st.route_days.min(axis=0)
    foe_at = np.maximum(ops.foe_main_at[ri], 0)
    near = (fastest[foe_at] <= 2.0 * ap.T) & (ops.foe_main_at[ri] >= 0)[:, None]  # [N, P]
    if not near.any():
        return np.zeros((ri.size, ap.P))
    n, q = np.nonzero(near)
    log_eff = np.log(np.maximum(sit.eff[ri[n], f], 1e-6))
    o = sit.odds_of_push(
        np.zeros(n.size),
        ops.foe_main_men[ri[n]],
        (army[n], log_eff, sit.lead[ri[n], f]),
        Posture.HASTY,
        fields=("p_win",),
        places=q,
    )
    # A head of state with the main body is lost with it, and the war with him.
    with_chief = (ops.chief[ri] & (sit.here[ri] == sit.here[ri, f][:, None])).any(axis=1)
    stakes = ap.scale * (1.0 + CHIEF_PERIL * ap.ops.chief_care * with_chief)
    # An attack it would likely beat off is no reason to give ground; one it may well
    # lose is, the more so the likelier.
    danger = np.maximum(o.p_win - PERIL_TOLERANCE, 0.0) / (1.0 - PERIL_TOLERANCE)
    out = np.zeros((ri.size, ap.P))
    out[n, q] = danger * (ap.k_lose * army[n] + stakes[n])
    return out


def options(
    ap: Appraisal, d: Draft, f: int, ri: I64, c: MoveCosts, army: F64 | None = None
) -> Options:
    """Return what force ``f`` would achieve by marching to each province or staying.

    Marching: taking or covering the place (the change in the chance of keeping it),
    the men an outcome needs there, support to men already threatened there, gathering
    for a strike and joining the main body; less the risk of losses there (and, for a
    head of state, of being beaten there), hunger and the country's attrition, and a
    little for the time it takes.  Staying: the same for where it stands, plus holding
    down a hostile conquest.

    Only for the runs ``ri`` (where the force is free to choose): every array of the
    answer has one row per run of ``ri``.  With ``army`` (``[N]`` men), the force stands
    for the whole main body around it (:func:`main_body_target`), which joins nothing.
    """
    sit, p = ap.sit, ap.pers
    places = np.arange(ap.P)[None, :]
    n = np.arange(ri.size)
    mf = sit.men[ri, f] if army is None else army
    here = sit.here[ri, f]
    at = n, here
    stands = sit.stands[ri, f]
    base = d.proj[ri]
    base[at] = np.maximum(base[at] - mf, 0.0)  # (an army's men may be still on the road)
    with_f = base + mf[:, None]
    legal = ap.mt[ri, f, :] & sit.clear[ri, f, :]
    legal &= ~(stands[:, None] & (places == here[:, None]))
    # Marching into seen enemies is an attack: the attack pass alone decides those.
    legal &= ~ap.foe_any[ri]
    k = _chances(ap, f, ri, c, base, with_f, legal)
    need = ap.need_men[ri]  # a forces_in condition, or an enemy town at the signing
    crossed = (with_f >= need) & (base < need)
    wear = ap.k_lose * mf[:, None] * (c.hungry[ri] * sit.st.supply_need[f] + c.wear[None, :])
    dest_now = sit.obs.dest[ri, f]
    join = join_values(ap, f, ri, c) if army is None else np.zeros((ri.size, ap.P))
    move, take, v_gat = _march_scores(ap, f, ri, c, k, (base, mf), crossed, wear, legal)
    # A head of state away from the main body risks a battle that decides nothing.
    chief = ap.ops.chief[ri, f]
    peril = np.where(chief, ap.ops.chief_care * ap.scale * CHIEF_PERIL, 0.0)
    alone = with_f < base.max(axis=1, keepdims=True)
    move = move + join - peril[:, None] * (1.0 - k.keep_go) * alone
    # ... and goes where the army goes: on his own he takes and covers nothing.
    bare = chief[:, None] & alone & (army is None)
    move = move - np.where(bare & legal, take, 0.0)
    take = np.where(bare, 0.0, take)
    worth = ap.worth[ri, here]
    held = ap.own_held[ri, here]
    v_keep = np.where(held, 0.5 * worth * k.keep_stay * crossed[at], 0.0)
    g0 = base[at]
    v_gar = np.where(chief, 0.0, garrison_value(ap, here, held, g0, mf))
    v_cov = np.where(c.open_land[ri][at], worth * (k.keep_stay - k.keep_base[at]), 0.0)
    # On the defensive, detachments abroad come home; a head of state, to the army.
    recall = abroad(ap, ri)[at] | (chief & alone[at] & (army is None))
    v_gar = np.where(recall, 0.0, v_gar)
    v_cov = np.where(recall, 0.0, v_cov)
    v_cov += ap.k_lose * g0 * np.maximum(k.lost_base[at] - k.lost_stay, 0.0)
    if army is not None:  # the main body covers only against the enemy's main army,
        # or against anyone as the signing nears (a band walking in decides the peace)
        v_cov = np.where(_main_near(ap, ri, here) | ap.pos.signing[ri], v_cov, 0.0)
    v_gs = np.where(c.gdest[ri, f] == here, c.gval[ri, f], 0.0)
    v_js = join[at]
    rest = v_gar + v_keep + v_cov + v_gs + v_js - ap.k_lose * mf * k.lost_stay - wear[at]
    rest -= peril * (1.0 - k.keep_stay) * alone[at]
    stay_v = np.where(stands, rest + np.where(dest_now < 0, 1e-3, 0.0), -np.inf)
    if p.noise > 0:
        z = rng.normal(rng.derive(ap.keys[ri, None], 11, f, np.arange(ap.P + 1)[None, :]))
        move = move + p.noise * ap.scale * z[:, : ap.P]
        stay_v = stay_v + p.noise * ap.scale * z[:, ap.P]
    return Options(
        move, stay_v, take, v_gat, join, v_gar, v_keep, v_cov, v_gs, v_js, k.keep_stay, mf
    )


def abroad(ap: Appraisal, ri: I64) -> B:
    """Return ``[N, P]``: land beyond the side's own that it leaves alone in these runs.

    A side on the defensive (:mod:`game.ai.posture`) takes and holds nothing beyond its
    own home land: its detachments come back to the army and the capital.
    """
    return ap.pos.defend[ri, None] & ~ap.pos.home[None, :]


def _main_near(ap: Appraisal, ri: I64, places: I64) -> B:
    """Return ``[N]``: the enemy's main army can strike each run's place within two marches.

    Only then is the main body needed to cover it: against raids and presumed bands a
    garrison will do (economy of force), and the forces left free see the place bare
    and cover it themselves.
    """
    foe_at = ap.ops.foe_main_at[ri]
    fastest = ap.sit.st.route_days.min(axis=0)
    return (foe_at >= 0) & (fastest[np.maximum(foe_at, 0), places] <= 2.0 * ap.T)


def join_values(ap: Appraisal, f: int, ri: I64, c: MoveCosts) -> F64:
    """Return ``[N, P]``: what force ``f`` adds by joining the main body where it goes.

    A regular force is worth its own men with the main body (a head of state's
    :data:`CHIEF_JOIN` times as much), times the personality's
    ``concentration`` (what a detachment must achieve elsewhere to be worth keeping
    apart), discounted by the turns it takes to get there (:func:`main_body_target`).
    """
    return march_values.join_values(
        ri,
        f,
        ap.T,
        DISCOUNT,
        ap.sit.eta,
        c.rally,
        ap.sit.men,
        ap.ops.chief,
        ap.pos.defend,
        _JOIN_WEIGHTS,
        bool(ap.ops.regular[f]),
        ap.pers.concentration,
        ap.k_lose,
    )


_JOIN_WEIGHTS = np.array([JOIN, CHIEF_JOIN, DEFEND_JOIN])


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
    men: tuple[F64, F64],
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
    base, mf = men  # [N, P] others' men there, [N] the force's own
    return march_values.march_scores(
        ri,
        f,
        ap.T,
        DISCOUNT,
        ap.worth,
        c.open_land,
        sit.eta,
        ap.own_held,
        ap.ops.hold_turns,
        ap.ops.sphere,
        k.keep_go,
        k.keep_base,
        k.lost_go,
        k.lost_base,
        base,
        crossed,
        ap.pos.defend,
        ap.pos.home,
        c.gdest,
        c.gval,
        sit.obs.dest,
        mf,
        wear,
        legal,
        ap.k_lose,
        ap.scale,
    )
