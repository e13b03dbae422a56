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

import weakref
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai import army_kernels, option_kernels
from game.ai.appraisal import DISCOUNT, URGENT_ODDS, Appraisal
from game.ai.draft import Draft
from game.ai.features import Situation, defender_posture
from game.ai.movement_orders import note_moves
from game.ai.odds_table import OddsTable
from game.ai.operations import chief_odds
from game.ai.strikes import MINOR_KILL, MINOR_MARGIN, barred, strike
from game.ai.tables import odds_table, once
from game.codes import NONE, OrderKind, Posture
from game.scenario.compile import CompiledScenario

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
    fastest: F64  # [P, P] days between provinces at the fastest pace
    threats: F64  # [R, P, 14] the threats at each place (option_kernels.threat_table)
    foe_post: npt.NDArray[np.int64]  # [R, P] the posture of enemies standing in their land
    barred: B  # [R, P] where the side strikes nobody this turn (strikes.barred)


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


def moves(ap: Appraisal, d: Draft) -> None:
    """Choose between staying and marching for every force still free, largest first.

    The largest forces choose first, so the main army takes the richest prize and
    smaller ones the rest; a force not yet decided counts where it stands, so the
    last force left in a conquest is the one asked to garrison it.  One kernel
    (:func:`game.ai.option_kernels.moves`) weighs each force's :func:`options` in every
    run where it is free and gives the orders; the reasons are then noted from what
    it kept (:func:`game.ai.movement_orders.note_moves`).
    """
    c = move_costs(ap, d)
    c.rally = main_body_target(ap, d, c)
    order = once(ap.sit.scn, f"ai_move_order_{ap.sit.side}", lambda: _order(ap.sit))
    why = np.zeros((12, ap.R, ap.F))
    option_kernels.moves(
        order,
        _CODES,
        1e-3 * ap.scale,  # below this a reason is rounding, not a reason
        d.kind,
        d.target,
        d.free,
        why,
        *option_tables(ap, d, c),
    )
    note_moves(ap, d, why, c.gtarget, c.gwin)


_CODES = (int(OrderKind.HOLD), int(OrderKind.GARRISON), int(OrderKind.MARCH), NONE)


def _order(sit: Situation) -> I64:
    """Return the side's force slots, largest first (the order the forces choose in)."""
    order = np.argsort(-np.asarray(sit.scn.men0), kind="stable")
    return np.ascontiguousarray(order[np.asarray(sit.own)[order]], np.int64)


def move_costs(ap: Appraisal, d: Draft) -> MoveCosts:
    """Return what the movement pass needs that does not depend on the force."""
    sit = ap.sit
    held_by_foe = sit.owner == sit.enemy
    post = defender_posture(sit, held_by_foe, held_by_foe)
    bar = barred(ap)
    gdest, gval, gtarget, gwin = gather(ap, d, post, bar)
    lack, wear = once(sit.scn, "ai_move_wear", lambda: _wear(sit.scn, ap.T))
    hungry, stay_post, open_land = option_kernels.costs(
        sit.supply_d,
        float(sit.scn.rules.supply.range_days),
        lack,
        (ap.dug, ap.foe_any, ap.ghost_here, ap.own_held),
    )
    return MoveCosts(
        gdest=gdest,
        gval=gval,
        gtarget=gtarget,
        gwin=gwin,
        hungry=hungry,
        wear=wear,
        stay_post=stay_post,
        open_land=open_land,
        rally=np.full(ap.R, NONE, np.int64),
        fastest=sit.st.fastest,
        threats=option_kernels.threat_table(
            ap.threat_men_flat,
            ap.threat_push_flat,
            ap.chance_flat.reshape(-1),
            ap.own_held,
            _most_lost(odds_table(sit.scn)),
        ),
        foe_post=post,
        barred=bar,
    )


_MOST_LOST: weakref.WeakKeyDictionary[OddsTable, float] = weakref.WeakKeyDictionary()


def _most_lost(table: OddsTable) -> float:
    """Return the most share of its men a defender loses in a battle of ``table`` (kept per table)."""
    most = _MOST_LOST.get(table)
    if most is None:
        most = _MOST_LOST[table] = option_kernels.most_lost(
            table.fine[_P_WIN], table.fine[_DEF_LOSS]
        )
    return most


def _wear(scn: CompiledScenario, T: float) -> tuple[F64, F64]:
    """Return the shares a force loses in two weeks out of supply and to the country, ``[P]`` each.

    Per scenario: out of supply, the rules' rate times the share of the land that does
    not feed it (:func:`game.ai.option_kernels.costs` counts it where supply is beyond
    reach); the country's attrition anywhere.
    """
    weeks = T / 7.0
    forage = np.asarray(scn.terrain_forage)[scn.terrain]
    lack = (1.0 - forage) * scn.rules.supply.out_of_supply * weeks * 2.0
    return lack, np.asarray(scn.terrain_attrition)[scn.terrain] * weeks * 2.0


def gather(
    ap: Appraisal, d: Draft, post: npt.NDArray[np.int64], bar: B
) -> tuple[I64, F64, I64, F64]:
    """Return where each free force should gather for next turn's best strike.

    ``post`` is the posture of the enemies standing in each place (``[R, P]``), ``bar``
    where the side strikes nobody (:func:`game.ai.strikes.barred`).

    Returns:
        ``dest[R, F]`` (the province one step short of the target on the force's
        road, or -1), its value ``[R, F]``, the target per run ``[R]`` (or -1), and
        the chance of winning with everyone gathered ``[R]`` (read only where there
        is a target).
    """
    sit, p = ap.sit, ap.pers
    # Free forces two marches from a place by a clear road; a head of state only where
    # the battle decides (see strike_reach).
    ops = ap.ops
    own = once(sit.scn, f"ai_own_slots_{sit.side}", lambda: np.flatnonzero(sit.own))
    soon = option_kernels.soon(
        d.free, sit.eta, ap.mt, sit.clear, ops.chief, (ops.decisive, ops.key), ap.T, own
    )
    g = sit.group(soon, cols=own)
    if not (ap.foe_any & (g.men > 0)).any():  # no seen enemy any of them can reach
        return (
            np.full((ap.R, ap.F), NONE, np.int64),
            np.zeros((ap.R, ap.F)),
            np.full(ap.R, NONE, np.int64),
            np.zeros(ap.R, np.float32),
        )
    o = strike(ap, g, ap.foe, post)
    return option_kernels.gathering(  # type: ignore[no-any-return]
        (o.p_win, o.def_loss, o.att_loss),
        ap.worth,
        ap.behind,
        ap.foe.men,
        g.men,
        (ap.foe_any, bar, ap.threshold),
        (soon, own),
        np.asarray(sit.st.stage),
        sit.here,
        (ap.k_kill, ap.k_lose, p.concentration),
    )


def main_body_target(ap: Appraisal, d: Draft, c: MoveCosts) -> I64:
    """Return ``[R]``: where the main body marches this turn (or stays), -1 if none.

    The main body is the largest mass of free regular forces bound for one province
    (standing there, or marching to it); it is weighed as one army (its men together,
    under its largest force's pace and road), on the same terms as any force
    (:func:`options`) and against the enemy's main army (:func:`army_peril`), and the
    others then concentrate where it goes (:func:`game.ai.march_values.join_value`).  It keeps the march it
    is on unless another place is clearly better (:data:`ARMY_PERSIST`).
    """
    sit = ap.sit
    core, has, army, at, target = option_kernels.main_mass(
        d.free, ap.ops.regular, sit.stands, sit.here, sit.obs.dest, sit.men, ap.P
    )
    if has.any():
        option_kernels.main_body(
            core,
            has,
            army,
            at,
            ARMY_PERSIST * ap.scale,
            target,
            option_tables(ap, d, c),
            _peril_tables(ap),
            _seek_tables(ap, c.foe_post, c.barred),
        )
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
    ri, army = np.asarray(ri, np.int64), np.asarray(army, np.float64)
    held = ap.sit.owner == ap.sit.enemy
    tables = _seek_tables(ap, defender_posture(ap.sit, held, held), barred(ap))
    return army_kernels.seek_battle(f, ri, army, *tables)  # type: ignore[no-any-return]


def _seek_tables(ap: Appraisal, foe_post: npt.NDArray[np.int64], bar: B) -> tuple[object, ...]:
    """Return what :func:`game.ai.army_kernels.seek_battle` reads after its force, runs and men.

    ``foe_post`` and ``bar`` as :class:`MoveCosts` holds them.
    """
    sit, ops, p = ap.sit, ap.ops, ap.pers
    combat = sit.scn.rules.combat
    return (
        (
            ap.T,
            DISCOUNT,
            ap.k_kill,
            np.float32(ap.k_lose),
            MINOR_KILL,
            MINOR_MARGIN,
            chief_odds(ops.chief_care),
            URGENT_ODDS,
            p.concentration * 0.6,
            float(combat.theta_leadership),
            float(combat.theta_surprise),
        ),
        (
            sit.eff,
            sit.lead,
            sit.init,
            sit.st.surprise,
            ops.chief,
            sit.here,
            sit.eta,
            np.asarray(sit.st.stage),
        ),
        (
            ap.worth,
            ap.behind,
            ap.own_held,
            ap.threshold,
            bar,
            foe_post,
        ),
        (ops.foe_mass, ops.decisive, ops.sphere, ops.urgency),
        ap.sit.odds_terms,
        _fields(ap, ("p_win", "att_loss", "def_loss")),
    )


def army_peril(ap: Appraisal, f: int, ri: I64, army: F64) -> F64:
    """Return ``[N, P]``: what the main body risks from the enemy's main army at each place.

    Where the enemy's main army can strike within two marches, the chance it beats the
    main body there, beyond :data:`PERIL_TOLERANCE` (rescaled to 0..1), (attacking a hasty defence, its quality and leader unknown and so
    taken as average) times what the main body is worth: its men, and the war's stakes,
    for the battle that follows would decide the campaign (and the head of state's life,
    if he is with it).
    """
    ri, army = np.asarray(ri, np.int64), np.asarray(army, np.float64)
    return army_kernels.army_peril(f, ri, army, *_peril_tables(ap))  # type: ignore[no-any-return]


def _peril_tables(ap: Appraisal) -> tuple[object, ...]:
    """Return what :func:`game.ai.army_kernels.army_peril` reads after its force, runs and men."""
    sit, ops = ap.sit, ap.ops
    return (
        (
            ap.T,
            ap.k_lose,
            ap.scale,
            CHIEF_PERIL * ops.chief_care,
            int(Posture.HASTY),
            _TOLERANCE,
            _SPAN,
        ),
        (sit.eff, sit.lead, ops.chief, sit.here),
        (ops.foe_main_at, ops.foe_main_men, sit.st.fastest),
        ap.sit.odds_terms,
        _fields(ap, ("p_win",))[0],
    )


# numpy takes the odds (float32) less the tolerance in float32.
_TOLERANCE = np.float32(PERIL_TOLERANCE)
_SPAN = np.float32(1.0 - PERIL_TOLERANCE)


def _fields(ap: Appraisal, names: tuple[str, ...]) -> tuple[npt.NDArray[np.float32], ...]:
    """Return the odds table's refined fields ``names`` (flat float32)."""
    table = odds_table(ap.sit.scn)
    return tuple(table.fine[OddsTable.FIELDS.index(k)] for k in names)


def options(
    ap: Appraisal, d: Draft, f: int, ri: I64, c: MoveCosts, army: F64 | None = None
) -> Options:
    """Return what force ``f`` would achieve by marching to each province or staying.

    Marching: taking or covering the place (the change in the chance of keeping it),
    the men an outcome needs there, support to men already threatened there, gathering
    for a strike and joining the main body; less the risk of losses there (and, for a
    head of state, of being beaten there), hunger and the country's attrition, and a
    little for the time it takes.  A head of state away from the main body risks a
    battle that decides nothing, and goes where the army goes: on his own he takes and
    covers nothing.  Staying: the same for where it stands, plus holding down a hostile
    conquest; on the defensive, detachments abroad come home.

    Only for the runs ``ri`` (where the force is free to choose): every array of the
    answer has one row per run of ``ri``.  With ``army`` (``[N]`` men), the force stands
    for the whole main body around it (:func:`main_body_target`), which joins nothing
    and covers only against the enemy's main army (within two marches) or as the
    signing nears.  One kernel (:func:`game.ai.option_kernels.options`).
    """
    army_men = _NO_ARMY if army is None else np.asarray(army, np.float64)
    args = (army_men, False, option_kernels.NO_AROUND, *option_tables(ap, d, c))
    out = option_kernels.options(f, np.asarray(ri, np.int64), *args)
    return Options(*out)


def option_tables(ap: Appraisal, d: Draft, c: MoveCosts) -> tuple[object, ...]:
    """Return what the option kernels read besides the force: scalars and per-run tables.

    In the order of :func:`game.ai.option_kernels.options` after its force, runs and
    army; the draft's projection ``d.proj`` is the array itself, so a kernel that moves
    men in it (:func:`game.ai.option_kernels.moves`) weighs the next force on them.
    """
    sit, p, ops, pos = ap.sit, ap.pers, ap.ops, ap.pos
    rules = sit.scn.rules
    table = odds_table(sit.scn)
    return (
        (
            ap.T,
            DISCOUNT,
            ap.k_lose,
            ap.scale,
            float(ops.chief_care),
            CHIEF_PERIL,
            float(rules.resistance.garrison_effect),
            float(p.garrison),
            float(p.noise),
        ),
        d.proj,
        (sit.men, sit.here, sit.stands, sit.eff, sit.lead, ap.mt, sit.clear, sit.obs.dest),
        (
            ap.foe_any,
            ap.need_men,
            ap.worth,
            ap.own_held,
            c.open_land,
            pos.defend,
            pos.home,
            pos.signing,
            ops.chief,
        ),
        (
            c.hungry,
            sit.st.supply_need,
            c.wear,
            c.stay_post,
            c.gdest,
            c.gval,
            ops.foe_main_at,
            c.fastest,
            ap.keys,
        ),
        (ap.garrison_need, ap.hostile, ap.prize, ap.protect),
        (
            c.threats,
            float(rules.control_men),
            float(rules.combat.theta_leadership),
            sit.st.log_posture,
            sit.st.log_terrain,
            table.fine[_P_WIN],
            table.fine[_DEF_LOSS],
            table.size_cuts,
        ),
        (sit.eta, c.rally, _JOIN_WEIGHTS, ops.regular, p.concentration),
        (ops.hold_turns, ops.sphere, ops.relief_foe, pos.mine),
    )


_NO_ARMY = np.zeros(0)
_P_WIN = OddsTable.FIELDS.index("p_win")
_DEF_LOSS = OddsTable.FIELDS.index("def_loss")


_JOIN_WEIGHTS = np.array([JOIN, CHIEF_JOIN, DEFEND_JOIN])
