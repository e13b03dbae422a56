"""Per-scenario tables the AI reuses every turn, cached on the compiled scenario.

Two caches are kept in ``scn.extra``: :class:`Static` (march days by pace, staging
provinces, routes, victory-point swings, what the named outcomes test) and the odds table
of :mod:`game.ai.odds_table`.  Also the packed sets of provinces (:func:`pack`,
:func:`meets`) that the situation uses to find barred roads and watched land.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from game import libm
from game.ai.odds_table import OddsTable, table
from game.codes import NONE
from game.engine.combat import combat_params
from game.engine.kinds import kind_table
from game.scenario.compile import CompiledScenario
from game.scenario.schema import Condition

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]
T = TypeVar("T")


@dataclass(frozen=True)
class Static:
    """Per-scenario tables the AI reuses every turn (built once, cached on the scenario).

    Attributes:
        speed: March pace of each force slot (its arm's speed).
        base_eff: Per-man effectiveness of each slot before cohesion and leadership:
            quality x arm quality x training and morale multipliers.
        surprise: Surprise level of each slot's arm when it attacks.
        supply_need: How much each slot's arm suffers out of supply.
        paces: The distinct paces (normal and forced) of every arm.
        route_days: ``[V, P, P]`` days to march a shortest route at each pace, counting
            whole days per link as the movement phase does.
        fastest: ``[P, P]`` the same at the fastest pace (the least over paces), which
            the passes that weigh who can come where first read several times a turn.
        pace_of: ``[F]`` index into ``paces`` of each slot's normal pace.
        forced_of: ``[F]`` index into ``paces`` of each slot's forced pace.
        stage: ``[P, P]`` the last province before ``to`` on the route from ``from``
            (``from`` itself if they are neighbours): where to gather before striking.
        on_route: ``[P, P, P]`` whether province ``q`` lies on the route from ``a`` to
            ``b`` (ends included).
        between: ``[P, P, W]`` the provinces strictly inside the route from ``a`` to
            ``b``, packed as bits (:func:`pack`), for finding roads barred by the enemy.
        rate: ``[S, P]`` victory points per unit of value for each side holding each province.
        swing: ``[S, P]`` change in side's victory-point margin when it takes the province
            from the other side.
        key: ``[S, P]`` victory points' worth of provinces that the scenario's named
            outcomes won by each side test directly (``controls``, ``holds``,
            ``forces_in``): that side takes them to win, the other keeps them to deny it.
        need_men: ``[S, P]`` men a side must keep in a province for a winning outcome's
            ``forces_in`` condition (0 where none).
        log_terrain: ln of each province's defensive terrain multiplier.
        log_posture: ln of the defender's multiplier for each posture code.
        win_margin: Victory-point lead that wins the war.
        men_value: ``[S]`` victory points per man of the other side destroyed (the VP at
            stake over the men that defend them: killing an army opens the country).
        raised_by: ``[F]`` the event that raises each slot, or -1.
        origin: ``[S, F]`` where each slot starts, arrives or is raised, else the
            capital of the side asking (see :func:`game.ai.presumed.origins`).
        sets_flag: ``[E, flags]`` the flags each event sets.
        linked: ``[P, W]`` the provinces linked to each province, packed as bits.
    """

    speed: F64
    base_eff: F64
    surprise: F64
    supply_need: F64
    paces: F64
    route_days: F64
    fastest: F64
    pace_of: I64
    forced_of: I64
    stage: npt.NDArray[np.int16]
    on_route: B
    between: U64
    rate: F64
    swing: F64
    key: F64
    need_men: F64
    log_terrain: F64
    log_posture: F64
    win_margin: float
    men_value: F64
    raised_by: I64
    origin: I64
    sets_flag: B
    linked: U64


def _route_tables(scn: CompiledScenario, paces: F64) -> tuple[F64, B]:
    """Return days along each shortest route at each pace, and which provinces it crosses."""
    P = scn.P
    days = np.full((paces.size, P, P), np.inf)
    on_route = np.zeros((P, P, P), bool)
    hop = np.asarray(scn.next_hop)
    links = np.asarray(scn.link_days)
    for a in range(P):
        days[:, a, a] = 0.0
        on_route[a, a, a] = True
        for b in range(P):
            if a == b or not np.isfinite(scn.dist_days[a, b]):
                continue
            total = np.zeros(paces.size)
            p = a
            on_route[a, b, a] = True
            for _ in range(P):
                q = int(hop[p, b])
                if q == NONE:
                    break
                total += np.ceil(links[p, q] / paces - 1e-9)
                on_route[a, b, q] = True
                p = q
                if p == b:
                    break
            days[:, a, b] = total
    return days, on_route


def _stage_table(scn: CompiledScenario, on_route: B) -> npt.NDArray[np.int16]:
    """Return the province just before ``to`` on the route from ``from``.

    That is ``from`` itself when the two are neighbours, and ``to`` when they are equal.
    """
    P = scn.P
    adjacent = np.isfinite(np.asarray(scn.link_days))  # [q, to]
    # The stage is the route's province (other than ``to``) that neighbours ``to``.
    cand = on_route & adjacent.T[None, :, :]  # [from, to, q]
    stage = np.argmax(cand, axis=2).astype(np.int16)
    stage[np.arange(P), np.arange(P)] = np.arange(P)
    stage[~np.isfinite(np.asarray(scn.dist_days))] = NONE
    return stage


def _between(on_route: B) -> U64:
    """Return the route membership without its two ends, packed as bits."""
    P = on_route.shape[0]
    inner = on_route.copy()
    a = np.arange(P)
    inner[a[:, None], a[None, :], a[:, None]] = False
    inner[a[:, None], a[None, :], a[None, :]] = False
    return pack(inner)


def pack(mask: B) -> U64:
    """Return ``mask[..., P]`` packed along its last axis into 64-bit words ``[..., W]``.

    Sets of provinces meet when the AND of their words is not zero (:func:`meets`):
    exact, and with no matrix product, whose multi-threaded BLAS would leave threads
    spinning on the other cores after every turn's decision.
    """
    P = mask.shape[-1]
    padded = np.zeros((*mask.shape[:-1], -(-P // 64) * 64), bool)
    padded[..., :P] = mask
    return np.packbits(padded, axis=-1, bitorder="little").view(np.uint64)


def meets(a: U64, b: U64) -> B:
    """Return whether packed sets ``a`` and ``b`` (broadcast) share an element."""
    return ((a & b) != 0).any(axis=-1)


def _rates(scn: CompiledScenario) -> F64:
    """Return victory points per unit of value by side and province (as in outcome.py)."""
    pts = scn.model.victory.points
    rate = np.zeros((scn.S, scn.P))
    for s in range(scn.S):
        enemy_home = scn.home.any(axis=0) & ~scn.home[s]
        r = np.where(enemy_home, pts.enemy_home, np.where(scn.claimed[s], pts.claimed, 0.0))
        rate[s] = np.where(scn.home[s], 0.0, r)
    return rate


def _outcome_keys(scn: CompiledScenario) -> tuple[F64, F64]:
    """Return the worth named outcomes give each province, and the men they require there.

    Both by the side the outcome makes winner.  A province a winning outcome requires a side to control (or to keep men in) is worth
    the winning margin; one of a list it must hold ``at_least`` of is worth the margin
    shared among the places it needs; the parts of an ``all`` share it.  Draw outcomes
    and negated conditions add nothing.
    """
    key = np.zeros((scn.S, scn.P))
    need = np.zeros((scn.S, scn.P))
    winner = 0
    margin = max(float(scn.model.victory.margin), 1.0)

    def walk(cond: Condition | None, share: float) -> None:
        if cond is None:
            return
        if cond.controls is not None:
            key[winner, scn.province_index[cond.controls.province]] += margin * share
        if cond.holds is not None:
            for p in cond.holds.provinces:
                key[winner, scn.province_index[p]] += margin * share / cond.holds.at_least
        if cond.forces_in is not None:
            places = [scn.province_index[p] for p in cond.forces_in.provinces]
            s = scn.side_index[cond.forces_in.side]
            for p in places:
                key[winner, p] += margin * share / max(len(places), 1)
                need[s, p] = max(need[s, p], cond.forces_in.at_least)
        parts = (cond.all or []) + (cond.any or [])
        for sub in parts:
            walk(sub, share / max(len(cond.all or []), 1))

    for o in scn.outcomes:
        if o.winner is not None:
            winner = scn.side_index[o.winner]
            walk(o.when, 1.0)
    return key, need


def once(scn: CompiledScenario, name: str, build: Callable[[], T]) -> T:
    """Return the scenario's value kept under ``name``, built by ``build()`` on first use.

    For the small per-scenario (or per-side) values the passes read every turn: worked
    out once, the same floats as worked out each time.
    """
    if name not in scn.extra:
        scn.extra[name] = build()
    return scn.extra[name]  # type: ignore[no-any-return]


def static(scn: CompiledScenario) -> Static:
    """Return the scenario's AI tables, building them on first use."""
    cached = scn.extra.get("ai_static")
    if isinstance(cached, Static):
        return cached
    speed = kind_table(scn, "speed")[scn.kind]
    forced = speed * scn.rules.movement.forced_speed
    paces, inv = np.unique(np.concatenate([speed, forced]), return_inverse=True)
    route_days, on_route = _route_tables(scn, paces)
    c = scn.rules.combat
    base_eff = (
        scn.quality
        * kind_table(scn, "quality")[scn.kind]
        * libm.exp(c.theta_training * scn.training + c.theta_morale * scn.morale)
    )
    rate = _rates(scn)
    value = np.asarray(scn.value)
    swing = np.stack([value * (rate[s] + rate[1 - s]) for s in range(scn.S)])
    posture = np.array(
        [c.posture_meeting, c.posture_hasty, c.posture_prepared, c.posture_fortified]
    )
    men_value = np.zeros(scn.S)
    for s in range(scn.S):
        at_stake = float((swing[s] * scn.home[1 - s]).sum() + 1e-9)
        enemy_men = float(scn.men0[scn.force_side == 1 - s].sum())
        men_value[s] = at_stake / max(enemy_men, 1.0)
    raised = _raised(scn)
    out = Static(
        speed=speed,
        base_eff=base_eff,
        surprise=kind_table(scn, "surprise")[scn.kind],
        supply_need=kind_table(scn, "supply_need")[scn.kind],
        paces=paces,
        route_days=route_days,
        fastest=route_days.min(axis=0),
        pace_of=inv[: scn.F].astype(np.int64),
        forced_of=inv[scn.F :].astype(np.int64),
        stage=_stage_table(scn, on_route),
        on_route=on_route,
        between=_between(on_route),
        rate=rate,
        swing=swing,
        key=_outcome_keys(scn)[0],
        need_men=_outcome_keys(scn)[1],
        log_terrain=libm.log(np.asarray(scn.terrain_defence)[scn.terrain]),
        log_posture=libm.log(posture),
        win_margin=float(scn.model.victory.margin),
        men_value=men_value,
        raised_by=raised[0],
        origin=np.stack([_origins(scn, raised[1], s) for s in range(scn.S)]),
        sets_flag=_flag_setters(scn),
        linked=pack(np.isfinite(np.asarray(scn.link_days)).T),
    )
    scn.extra["ai_static"] = out
    return out


def _raised(scn: CompiledScenario) -> tuple[I64, I64]:
    """Return, per force slot, the event that raises it (or -1) and where (or -1)."""
    event = np.full(scn.F, NONE, np.int64)
    where = np.full(scn.F, NONE, np.int64)
    for i, ev in enumerate(scn.events):
        for eff in ev.effects:
            if eff.raise_ is not None:
                f = scn.force_index[eff.raise_.force]
                event[f], where[f] = i, scn.province_index[eff.raise_.at]
    return event, where


def _origins(scn: CompiledScenario, raised_at: I64, side: int) -> I64:
    """Return ``[F]``: where each force starts, arrives or is raised (else ``side``'s capital)."""
    origin = np.where(np.asarray(scn.start_at) >= 0, scn.start_at, scn.arrival_at).astype(np.int64)
    origin = np.where(origin >= 0, origin, raised_at)
    return np.where(origin >= 0, origin, int(scn.capital[side]))


def _flag_setters(scn: CompiledScenario) -> B:
    """Return ``[E, flags]``: the flags each event sets."""
    out = np.zeros((len(scn.events), len(scn.flag_ids)), bool)
    for i, ev in enumerate(scn.events):
        for eff in ev.effects:
            if eff.set_flag is not None:
                out[i, scn.flag_index[eff.set_flag]] = True
    return out


def odds_table(scn: CompiledScenario) -> OddsTable:
    """Return the odds table of the scenario's combat rules (the resolver's conditional odds).

    Both sides' ratings are known (the scenario's), so none is drawn from the record.
    Kept with the scenario: the AI asks for it thousands of times a turn, and finding it
    among the tables by its parameters hashes every one of them.
    """
    cached = scn.extra.get("ai_odds_table")
    if isinstance(cached, OddsTable):
        return cached
    out = scn.extra["ai_odds_table"] = table(combat_params(scn))
    return out
