"""What a side can work out from its observation: strengths, reach, threats and stakes.

Everything here is computed from an :class:`~game.engine.observe.Observation` and the
scenario alone: own forces exactly, enemy forces only where seen and at their estimated
strength.  Arrays keep the leading runs axis, so one call serves a game (a batch of one),
a tournament, or the hundreds of rollouts of a look-ahead.

Enemy forces that are not seen are not forgotten.  Those that should be in the field (on
the map from the start, due by now, or raised by an event that has fired, which is public
news) are *presumed*, at :data:`GHOST_STRENGTH` of their scenario strength, and reasoned
about in two ways: where each is *believed* to be (its start or arrival point if nobody
watches it, else the nearest unwatched province, preferring its own side's land), and,
for raids on own land, *anywhere* it could have slipped away to (a column on the road is
never seen, so any province within two turns' march of unwatched or enemy land is in
reach).  The policy never learns whether a presumed force still exists: that is what fog
means.

Two caches are kept on the compiled scenario (in ``scn.extra``): :class:`Static`, the
per-scenario tables (march days by pace, staging provinces, victory-point swings), and
the odds table of :mod:`game.ai.odds_table`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.odds_table import BattleOdds, OddsTable, table
from game.codes import NONE, ForceKind, ForceStatus, Posture
from game.engine.battle_sides import surprise_level
from game.engine.combat import combat_params
from game.engine.kinds import kind_table
from game.engine.observe import Observation
from game.engine.outcome import victory_points
from game.engine.phases.supply import supply_distance
from game.scenario.compile import CompiledScenario
from game.scenario.schema import Condition

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]

ENEMY_COHESION: Final = 0.9
"""Cohesion assumed for a seen enemy force (the observation does not show it)."""
GHOST_STRENGTH: Final = 0.8
"""Share of its starting strength assumed for an enemy force that is not seen."""


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
    """

    speed: F64
    base_eff: F64
    surprise: F64
    supply_need: F64
    paces: F64
    route_days: F64
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
        * np.exp(c.theta_training * scn.training + c.theta_morale * scn.morale)
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
    out = Static(
        speed=speed,
        base_eff=base_eff,
        surprise=kind_table(scn, "surprise")[scn.kind],
        supply_need=kind_table(scn, "supply_need")[scn.kind],
        paces=paces,
        route_days=route_days,
        pace_of=inv[: scn.F].astype(np.int64),
        forced_of=inv[scn.F :].astype(np.int64),
        stage=_stage_table(scn, on_route),
        on_route=on_route,
        between=_between(on_route),
        rate=rate,
        swing=swing,
        key=_outcome_keys(scn)[0],
        need_men=_outcome_keys(scn)[1],
        log_terrain=np.log(np.asarray(scn.terrain_defence)[scn.terrain]),
        log_posture=np.log(posture),
        win_margin=float(scn.model.victory.margin),
        men_value=men_value,
    )
    scn.extra["ai_static"] = out
    return out


def odds_table(scn: CompiledScenario) -> OddsTable:
    """Return the odds table of the scenario's combat rules."""
    return table(combat_params(scn))


@dataclass(frozen=True)
class Group:
    """One side's men gathered in a province (or joining a battle there), per run and place.

    All fields are ``[R, P]``; ``men`` may be zero (then the others are neutral).
    """

    men: F64
    log_eff: F64
    lead: F64
    init: F64
    surprise: F64
    exposure: F64

    def plus(self, other: Group) -> Group:
        """Return the two groups fighting together (the better commander leads)."""
        men = self.men + other.men
        safe = np.maximum(men, 1e-9)
        eff = (self.men * np.exp(self.log_eff) + other.men * np.exp(other.log_eff)) / safe
        mine = (self.lead >= other.lead) | (other.men <= 0)
        return Group(
            men=men,
            log_eff=np.log(np.maximum(eff, 1e-6)),
            lead=np.where(mine, self.lead, other.lead),
            init=np.where(mine, self.init, other.init),
            surprise=(self.men * self.surprise + other.men * other.surprise) / safe,
            exposure=np.where(mine, self.exposure, other.exposure),
        )


@dataclass(frozen=True)
class _SlotTables:
    """What each force slot adds to a group, per run (see :meth:`Situation.group_of`).

    Attributes:
        weights: ``[R, 3, F]`` float32 men, men x effectiveness, men x surprise.
        finite: Every weight is finite (else slots outside a group are masked out).
        code: ``[R, F]`` leadership rank x F + (F - 1 - slot) for slots with a
            commander, else -1: the best leader of a group, first slot if tied, has the
            largest code.
    """

    weights: npt.NDArray[np.float32]
    finite: bool
    code: I64


@dataclass
class Situation:
    """One side's reading of its observation for a batch of runs.

    Attributes:
        scn: The scenario.
        st: Its cached tables.
        obs: The observation itself.
        side, enemy: Side indices.
        own: ``[F]`` own force slots.
        able: ``[R, F]`` own forces that can take an order this turn.
        stands: ``[R, F]`` own forces standing in a province (not on the road).
        here: ``[R, F]`` province a force is in, or heading into if on the road (0 if off map).
        men: ``[R, F]`` own men exactly, seen enemy men as estimated, else 0.
        eff: ``[R, F]`` per-man effectiveness (quality, arm, cohesion, training, morale).
        lead, init, exposure: ``[R, F]`` the leading commander's ratings (0 if none).
        has_cmd: ``[R, F]`` a commander leads the force.
        lead_rank: ``[R, F]`` the order of ``lead`` (equal ratings, equal ranks), for
            choosing the leader of a group with integers.
        head: ``[R, F]`` the commander is a head of state.
        enemy_seen: ``[R, F]`` enemy forces seen standing in a province.
        eta: ``[R, F, P]`` days for each own force to reach each province at its pace.
        eta_forced: ``[R, F, P]`` the same on a forced march.
        mine_at: ``[R, F, P]`` own forces standing in each province.
        foe_at: ``[R, F, P]`` seen enemy forces standing in each province.
        foe_reach: ``[R, F, P]`` seen enemy forces that can reach each province this turn.
        clear: ``[R, F, P]`` the road from each own force to each province crosses no
            province where enemies are seen (the ends aside): a march there fights
            nowhere on the way.  Worked out only for the slots able to take an order in
            some run (false for the others).
        watched: ``[R, P]`` provinces where a standing enemy would be seen.
        ghost_men: ``[R, F]`` enemy forces not seen but presumed in the field (started
            on the map or due by now), at :data:`GHOST_STRENGTH` of their scenario men.
        ghost_at: ``[R, F]`` where each such force is believed to be
            (:func:`believed_places`), or -1.
        ghost_near: ``[R, F, P]`` it could strike each province this turn from there.
        lurk_reach: ``[R, F, P]`` it could strike each province this turn from somewhere:
            the province is within two turns' march of a province nobody watches or that
            its side holds (a column on the road is never seen, so one may have left
            there last turn).
        owner: ``[R, P]`` who holds each province.
        margin: ``[R]`` own victory-point lead now.
        will: ``[R]`` own war will.
        supply_d: ``[R, P]`` march days from each province to an own supply source.
    """

    scn: CompiledScenario
    st: Static
    obs: Observation
    side: int
    enemy: int
    own: B
    able: B
    stands: B
    here: I64
    men: F64
    eff: F64
    lead: F64
    init: F64
    exposure: F64
    has_cmd: B
    lead_rank: I64
    head: B
    enemy_seen: B
    eta: F64
    eta_forced: F64
    mine_at: B
    foe_at: B
    foe_reach: B
    clear: B
    watched: B
    ghost_men: F64
    ghost_at: I64
    ghost_near: B
    lurk_reach: B
    owner: npt.NDArray[np.int8]
    margin: F64
    will: F64
    supply_d: F64

    @property
    def runs(self) -> int:
        """Number of runs."""
        return self.obs.runs

    def group(
        self,
        mask: B,
        men: F64 | None = None,
        *,
        rows: I64 | None = None,
        cols: I64 | None = None,
    ) -> Group:
        """Return the men and battle ratings of the forces in ``mask[R, F, P]`` per place.

        ``men`` replaces the forces' men (for presumed, unseen enemies; only slots with
        men there can lead).  The men-weighted
        sums are one batched matrix product over every force slot (the heuristic's second
        hottest loop): over a fixed set of slots, a run's float32 sums depend on that run
        alone, so a run decides the same in any batch (a product over only the slots the
        batch uses would change its last bits with the batch's other runs).

        With ``rows`` the mask is ``[N, F, P]`` for those runs only.  With ``cols`` the
        mask may hold those slots only (``[N, len(cols), P]``).
        """
        N, _, P = mask.shape
        F = self.men.shape[1]
        # The product runs over every slot, whatever the batch holds: its float32 sums for
        # one run then depend on that run alone (a run plays the same in any batch).
        if cols is not None and mask.shape[1] != F:
            m32 = np.zeros((N, F, P), np.float32)
            m32[:, cols] = mask
        else:
            m32 = mask.astype(np.float32)
        at = (slice(None), slice(None)) if rows is None else (rows[:, None], np.arange(F))
        weights = self._weights(self.men if men is None else men, at)
        if not np.isfinite(weights).all():
            # A finite weight times a zero mask adds an exact zero to the sums; only a stray
            # NaN or infinity of a slot that is nowhere must be kept out of them.
            weights = np.where(m32.any(axis=2)[:, None, :], weights, 0.0)
        sums = np.matmul(weights.astype(np.float32), m32).astype(np.float64)
        total = sums[:, 0]
        safe = np.maximum(total, 1e-9)
        has_cmd = self.has_cmd[at]
        if men is not None:
            # Only slots with men lead.  Presumed forces are unseen, so no commander is
            # known for them: no leader to look for, and no product to do.
            has_cmd = has_cmd & (men[at] > 0)
        lead, init, expo = _leader(
            m32, has_cmd, self.lead_rank[at], (self.lead[at], self.init[at], self.exposure[at])
        )
        return Group(
            men=total,
            log_eff=np.log(np.maximum(sums[:, 1] / safe, 1e-6)),
            lead=lead,
            init=init,
            surprise=sums[:, 2] / safe,
            exposure=expo,
        )

    def _weights(self, men: F64, at: tuple[slice | I64, slice | I64]) -> F64:
        """Return ``[N, 3, F]`` what each slot adds to a group: men, men x eff, men x surprise."""
        w = men[at]
        return np.stack([w, w * self.eff[at], w * self.st.surprise[None, :]], axis=1)

    @cached_property
    def _slots(self) -> _SlotTables:
        """Return the per-slot tables of :meth:`group_of` (the same all turn)."""
        weights = self._weights(self.men, (slice(None), slice(None)))
        F = self.men.shape[1]
        code = np.where(self.has_cmd, self.lead_rank * F + (F - 1 - np.arange(F)), -1)
        return _SlotTables(
            weights=weights.astype(np.float32), finite=bool(np.isfinite(weights).all()), code=code
        )

    def group_of(self, mask: B, rows: I64) -> Group:
        """Return the group of the forces of ``mask[N, F]``, one place per run of ``rows``.

        Each field is ``[N, 1]``, the same bit for bit as ``group(mask[:, :, None],
        rows=rows)`` (the same float32 products), for the many small trial strikes of
        the economy of force: the slots' weights and leader codes are worked out once a
        turn instead of once a trial.
        """
        t = self._slots
        weights = t.weights[rows]
        if not t.finite:
            weights = np.where(mask[:, None, :], weights, np.float32(0.0))
        sums = np.matmul(weights, mask.astype(np.float32)[:, :, None]).astype(np.float64)
        total = sums[:, 0]
        safe = np.maximum(total, 1e-9)
        # The best commander present has the largest code (better leader, earlier slot).
        F = mask.shape[1]
        best = np.where(mask, t.code[rows], -1).max(axis=1)
        any_cmd = (best >= 0)[:, None]
        slot = np.where(best >= 0, F - 1 - best % F, 0)

        def rating(x: F64) -> F64:
            return np.where(any_cmd, x[rows, slot][:, None], 0.0)

        return Group(
            men=total,
            log_eff=np.log(np.maximum(sums[:, 1] / safe, 1e-6)),
            lead=rating(self.lead),
            init=rating(self.init),
            surprise=sums[:, 2] / safe,
            exposure=rating(self.exposure),
        )

    def at(self, g: Group, places: I64) -> Group:
        """Return the group's values at one place per run (``places[R]``), as ``[R, 1]``."""
        idx = np.asarray(places, np.int64)[:, None]
        return Group(
            *(np.take_along_axis(getattr(g, k), idx, axis=1) for k in Group.__dataclass_fields__)
        )

    def battle(
        self,
        att: Group,
        dfd: Group,
        posture: npt.ArrayLike,
        fields: tuple[str, ...] | None = None,
        places: I64 | None = None,
    ) -> BattleOdds:
        """Return the odds of ``att`` attacking ``dfd`` in every place (posture per place).

        ``fields`` limits the odds computed (the others are left as zeros); ``places``
        gives the province of each column when the groups are not over every province.
        """
        return self.odds_of_push(
            self.push(att, dfd.init), att.men, dfd, posture, fields=fields, places=places
        )

    def push(self, att: Group, dfd_init: npt.ArrayLike) -> F64:
        """Return the attacker's part of a battle's ln effectiveness ratio.

        Its own effectiveness, leadership and surprise (blunted by the defender's
        initiative ``dfd_init``).  Surprise multiplies the attacker by exp(theta s / 2)
        and the defender by its inverse.  Apart from :meth:`battle` so that a caller
        weighing many battles of the same attackers works it out once.
        """
        c = self.scn.rules.combat
        surprise = surprise_level(att.surprise, att.init, dfd_init)
        return att.log_eff + c.theta_leadership * att.lead + c.theta_surprise * surprise

    def odds_of_push(
        self,
        push: F64,
        att_men: F64,
        dfd: Group | tuple[F64, F64, F64],
        posture: npt.ArrayLike,
        *,
        fields: tuple[str, ...] | None = None,
        places: I64 | None = None,
    ) -> BattleOdds:
        """Return the odds of attackers of ``push`` (see :meth:`push`) and ``att_men`` men.

        ``dfd`` is the defenders' group, or just their men, ln effectiveness and
        leadership.  The rest as :meth:`battle`; the same sums in the same order, so the
        same odds bit for bit.
        """
        c = self.scn.rules.combat
        men, log_eff, lead = (dfd.men, dfd.log_eff, dfd.lead) if isinstance(dfd, Group) else dfd
        ratio = (
            push
            - log_eff
            - c.theta_leadership * lead
            - self.st.log_posture[np.asarray(posture, np.int64)]
            - (self.st.log_terrain[None, :] if places is None else self.st.log_terrain[places])
        )
        log_men = np.log(np.maximum(att_men, 1.0)) - np.log(np.maximum(men, 1.0))
        return odds_table(self.scn).lookup(ratio, log_men, att_men + men, fields)


EXACT_BITS: Final = 24
"""Commanders a group's leader can be found among by one float32 product (its sums of
distinct powers of two stay exact below 2 ** 24)."""


def _leader(
    mask: npt.NDArray[np.float32], has_cmd: B, rank: I64, ratings: tuple[F64, F64, F64]
) -> tuple[F64, F64, F64]:
    """Return the ratings of the best commander among the forces of ``mask[N, F, P]``.

    ``mask`` is 0 or 1; ``rank`` orders the commanders' leadership (equal ratings, equal
    ranks); ``ratings`` are their leadership, initiative and exposure (``[N, F]`` each).
    The first slot of the best if they tie; zeros where no commander is present.

    Only the slots with a commander in some run count.  In each run they are put in
    order, best leader (then earliest slot) first, and the i-th of K weighs
    ``2 ** (K - 1 - i)``: the mask's product with those weights is exact, and its highest
    bit in each place names the best commander present.  That is one small matrix
    product instead of a maximum over the slots of the whole mask.
    """
    N, _, P = mask.shape
    cols = np.flatnonzero(has_cmd.any(axis=0))
    if cols.size == 0:
        return np.zeros((N, P)), np.zeros((N, P)), np.zeros((N, P))
    K = cols.size
    code = rank[:, cols] * K + (K - 1 - np.arange(K))
    code = np.where(has_cmd[:, cols], code, -1)  # [N, K]
    order = np.argsort(-code, axis=1)  # the best first; slots without a commander last
    run = np.arange(N)[:, None]
    if K <= EXACT_BITS:
        bits = np.zeros((N, mask.shape[1]), np.float32)
        power = np.ldexp(np.float32(1.0), K - 1 - np.arange(K)).astype(np.float32)
        bits[run, cols[order]] = np.where(np.take_along_axis(code, order, 1) >= 0, power, 0)
        total = np.matmul(bits[:, None, :], mask)[:, 0]  # [N, P]
        any_cmd = total > 0
        top = np.frexp(total)[1]  # 2 ** (top - 1) is the highest bit
        i = np.clip(K - top, 0, K - 1)
    else:
        sorted_code = np.take_along_axis(code, order, 1)
        # Position of the best present: the largest code, K - 1 - position.
        ranked = np.where(sorted_code >= 0, K - 1 - np.arange(K), -1)  # [N, K]
        present = mask[run, cols[order], :] > 0  # [N, K, P] in order
        best = np.where(present, ranked[:, :, None], -1).max(axis=1)
        any_cmd = best >= 0
        i = np.where(any_cmd, K - 1 - best, 0)
    k = np.take_along_axis(order, i, axis=1)  # [N, P] index into ``cols``
    at = k + K * np.arange(N)[:, None]
    lead, init, expo = (np.where(any_cmd, x[:, cols].reshape(-1).take(at), 0.0) for x in ratings)
    return lead, init, expo


def _eta(st: Static, scn: CompiledScenario, obs: Observation, pace: I64, stands: B, able: B) -> F64:
    """Return ``[R, F, P]`` days for each able force to reach each province at its pace.

    Infinite for forces that cannot take an order; only the slots able somewhere in the
    batch (own forces on the map) are worked out.
    """
    cols = np.flatnonzero(able.any(axis=0))
    out = np.full((obs.runs, scn.F, scn.P), np.inf)
    if cols.size == 0:
        return out
    stands = stands[:, cols]
    loc = np.where(obs.loc[:, cols] >= 0, obs.loc[:, cols], 0).astype(np.int64)
    nxt = np.where(obs.nxt[:, cols] >= 0, obs.nxt[:, cols], 0).astype(np.int64)
    pace = pace[cols]
    days = st.route_days[pace[None, :], np.where(stands, loc, nxt)]  # [R, C, P], a copy
    link = np.asarray(scn.link_days)[loc, nxt]
    progress = obs.progress[:, cols]
    left = np.where(
        stands, 0.0, np.ceil(np.maximum(link - progress, 0.0) / st.paces[pace][None, :] - 1e-9)
    )
    days += left[:, :, None]  # in place: the arrays are large, each pass counts
    days[~able[:, cols]] = np.inf
    out[:, cols] = days
    return out


def _one_hot(mask: B, where: I64, P: int) -> B:
    """Return ``[R, F, P]``: the forces of ``mask[R, F]`` at their province ``where[R, F]``."""
    out = np.zeros((*mask.shape, P), bool)
    r, f = np.nonzero(mask)
    out[r, f, where[r, f]] = True
    return out


def _watched(scn: CompiledScenario, obs: Observation, able: B) -> B:
    """Return ``[R, P]``: provinces within detection range of own forces and provinces."""
    watch = obs.owner == obs.side
    r, f = np.nonzero(able)
    watch[r, obs.loc[r, f]] = True
    road = able & (obs.nxt >= 0)
    r2, f2 = np.nonzero(road)
    watch[r2, obs.nxt[r2, f2]] = True
    linked = pack(np.isfinite(np.asarray(scn.link_days)).T)  # [p, W]: the q linked to p
    for _ in range(scn.rules.fog.detect_links):
        watch = watch | meets(pack(watch)[:, None, :], linked[None, :, :])
    return watch


def _raised(scn: CompiledScenario) -> tuple[npt.NDArray[np.int64], I64]:
    """Return, per force slot, the event that raises it (or -1) and where (or -1)."""
    event = np.full(scn.F, NONE, np.int64)
    where = np.full(scn.F, NONE, np.int64)
    for i, ev in enumerate(scn.events):
        for eff in ev.effects:
            if eff.raise_ is not None:
                f = scn.force_index[eff.raise_.force]
                event[f], where[f] = i, scn.province_index[eff.raise_.at]
    return event, where


def _presumed(scn: CompiledScenario, obs: Observation, seen: B) -> B:
    """Return ``[R, F]``: enemy forces not seen that should be in the field by now.

    Those that started on the map, those due by now, and those raised by an event that
    has fired (events are public news).
    """
    enemy = np.asarray(scn.force_side != obs.side)
    scenario = np.arange(scn.F) < scn.n_scenario_forces
    arrival = np.asarray(scn.arrival_turn)
    due = (np.asarray(scn.start_at) >= 0) | ((arrival >= 0) & (arrival <= obs.turn))
    event, _ = _raised(scn)
    fired = np.concatenate([obs.fired, np.zeros((obs.runs, 1), bool)], axis=1)
    raised = fired[:, np.where(event >= 0, event, scn.E)]  # [R, F]
    return ((enemy & scenario)[None, :] & (due[None, :] | raised)) & ~seen & ~obs.over[:, None]


def origins(scn: CompiledScenario, side: int) -> I64:
    """Return ``[F]``: where each force starts, arrives or is raised (else ``side``'s capital)."""
    origin = np.where(np.asarray(scn.start_at) >= 0, scn.start_at, scn.arrival_at).astype(np.int64)
    origin = np.where(origin >= 0, origin, _raised(scn)[1])
    return np.where(origin >= 0, origin, int(scn.capital[side]))


def place_costs(
    scn: CompiledScenario, obs: Observation, watched: B, forces: I64 | None = None
) -> F64:
    """Return ``[R, F, P]``: how unlikely each unwatched province is as a hidden force's post.

    The cost is the march days from the force's start (or arrival) point, plus five days
    for a province its side does not hold; watched provinces cost infinity (a force
    standing there would be seen).  With ``forces`` only those slots (``[R, len, P]``).
    """
    e = 1 - obs.side
    origin = origins(scn, e)
    dist = np.asarray(scn.dist_days)[origin if forces is None else origin[forces]]  # [F, P]
    theirs = obs.owner == e  # [R, P]
    cost = dist[None, :, :] + np.where(theirs, 0.0, 5.0)[:, None, :]
    return np.where(~watched[:, None, :], cost, np.inf)


def believed_places(
    scn: CompiledScenario, obs: Observation, watched: B, forces: I64 | None = None
) -> I64:
    """Return ``[R, F]``: the likeliest unwatched province of each enemy force, or -1.

    With ``forces`` only those slots (``[R, len]``).
    """
    cost = place_costs(scn, obs, watched, forces)
    best = np.argmin(cost, axis=2)
    ok = np.isfinite(np.take_along_axis(cost, best[:, :, None], axis=2)[:, :, 0])
    return np.where(ok, best, NONE).astype(np.int64)


def _ghosts(
    scn: CompiledScenario, st: Static, obs: Observation, seen: B, watched: B
) -> tuple[F64, I64, B, B]:
    """Return presumed unseen enemy forces' men, believed places and reaches.

    See :class:`Situation` (``ghost_men``, ``ghost_at``, ``ghost_near``, ``lurk_reach``).
    """
    presumed = _presumed(scn, obs, seen)
    men = np.where(presumed, GHOST_STRENGTH * np.asarray(scn.men0)[None, :], 0.0)
    R, F, P = obs.runs, scn.F, scn.P
    at = np.full((R, F), NONE, np.int64)
    near = np.zeros((R, F, P), bool)
    lurk = np.zeros((R, F, P), bool)
    cols = np.flatnonzero(presumed.any(axis=0))  # only these slots can be anywhere
    if cols.size == 0:
        return men, at, near, lurk
    pres = presumed[:, cols]
    at_c = np.where(pres, believed_places(scn, obs, watched, cols), NONE)
    at[:, cols] = at_c
    days = st.route_days[st.pace_of[None, cols], np.maximum(at_c, 0)]  # [R, C, P]
    near[:, cols] = (at_c >= 0)[:, :, None] & (days <= scn.turn_days)
    # A column on the road is never seen, so a hidden force may have left any province
    # nobody watches, or its own side's land, during the last turn.
    hidden = ~watched | (obs.owner == 1 - obs.side)  # [R, P]
    hidden_bits = pack(hidden)[:, None, :]  # [R, 1, W]
    for v in np.unique(st.pace_of[cols]):
        # Some hidden province lies within two turns' march of each province.
        within = st.route_days[v] <= 2.0 * scn.turn_days  # [from, to]
        near_bits = pack(within.T)  # [to, W]
        far = meets(hidden_bits, near_bits[None, :, :])  # [R, P]
        paced = pres & (st.pace_of[cols] == v)[None, :]
        lurk[:, cols] |= paced[:, :, None] & far[:, None, :]
    return men, at, near, lurk


def situation(scn: CompiledScenario, obs: Observation) -> Situation:
    """Return what ``obs.side`` can work out from its observation."""
    st = static(scn)
    s = obs.side
    own = np.asarray(scn.force_side == s)
    active = obs.status == ForceStatus.ACTIVE
    able = active & own[None, :] & ~obs.over[:, None] & (obs.loc >= 0)
    stands = able & (obs.nxt == NONE)
    enemy_seen = obs.seen & ~own[None, :] & active & (obs.loc >= 0)
    here = np.where(obs.nxt >= 0, obs.nxt, np.where(obs.loc >= 0, obs.loc, 0)).astype(np.int64)
    cohesion = np.where(own[None, :], obs.cohesion, ENEMY_COHESION)
    eff = st.base_eff[None, :] * (0.5 + 0.5 * cohesion)
    cmd = obs.commander.astype(np.int64)
    has_cmd = (cmd >= 0) & (able | enemy_seen)
    c = np.where(cmd >= 0, cmd, scn.C)  # scn.C: a padding row for "no commander"

    def rating(values: npt.ArrayLike) -> F64:
        return np.append(np.asarray(values, np.float64), 0.0)[c]

    lead = np.where(has_cmd, rating(scn.leadership), 0.0)
    init = np.where(has_cmd, rating(scn.initiative), 0.0)
    expo = np.where(has_cmd, rating(scn.exposure), 0.0)
    head = has_cmd & (rating(scn.head_of_state) > 0)
    men = np.where(able | enemy_seen, obs.men, 0).astype(np.float64)
    eta = _eta(st, scn, obs, st.pace_of, stands, able)
    eta_forced = _eta(st, scn, obs, st.forced_of, stands, able)
    P = scn.P
    loc = np.where(obs.loc >= 0, obs.loc, 0).astype(np.int64)
    mine_at = _one_hot(stands, loc, P)
    foe_at = _one_hot(enemy_seen, loc, P)
    # Only slots seen somewhere can reach anything; only slots able somewhere march.
    seen_cols = np.flatnonzero(enemy_seen.any(axis=0))
    foe_reach = np.zeros((obs.runs, scn.F, P), bool)
    foe_days = st.route_days[st.pace_of[None, seen_cols], loc[:, seen_cols]]  # [R, C, P]
    foe_reach[:, seen_cols] = enemy_seen[:, seen_cols, None] & (foe_days <= scn.turn_days)
    vp = victory_points(scn, obs.owner)
    foe_any = foe_at.any(axis=1)  # [R, P]
    watched = _watched(scn, obs, able)
    ghost_men, ghost_at, ghost_near, lurk_reach = _ghosts(scn, st, obs, enemy_seen, watched)
    able_cols = np.flatnonzero(able.any(axis=0))
    clear = np.zeros((obs.runs, scn.F, P), bool)
    # The road from where a force is to each province crosses no province with a foe.
    foe_bits = pack(foe_any)[:, None, None, :]  # [R, 1, 1, W]
    clear[:, able_cols] = ~meets(st.between[here[:, able_cols]], foe_bits)
    return Situation(
        scn=scn,
        st=st,
        obs=obs,
        side=s,
        enemy=1 - s,
        own=own,
        able=able,
        stands=stands,
        here=here,
        men=men,
        eff=eff,
        lead=lead,
        init=init,
        exposure=expo,
        has_cmd=has_cmd,
        lead_rank=np.searchsorted(np.unique(lead), lead),
        head=head,
        enemy_seen=enemy_seen,
        eta=eta,
        eta_forced=eta_forced,
        mine_at=mine_at,
        foe_at=foe_at,
        foe_reach=foe_reach,
        clear=clear,
        watched=watched,
        ghost_men=ghost_men,
        ghost_at=ghost_at,
        ghost_near=ghost_near,
        lurk_reach=lurk_reach,
        owner=obs.owner,
        margin=vp[:, s] - vp[:, 1 - s],
        will=obs.will.astype(np.float64),
        supply_d=supply_distance(scn, obs.owner, s),
    )


def is_irregular(scn: CompiledScenario) -> B:
    """Return ``[F]``: slots of montoneros (irregulars who harass rather than stand)."""
    return np.asarray(scn.kind == ForceKind.MONTONEROS)


def defender_posture(sit: Situation, held_by_defender: B, dug: B) -> npt.NDArray[np.int64]:
    """Return the posture to expect of a defender standing in each place ``[R, P]``."""
    fort = (np.asarray(sit.scn.fort) >= 1)[None, :]
    posture = np.where(dug & held_by_defender, Posture.PREPARED, Posture.HASTY)
    return np.where(dug & held_by_defender & fort, Posture.FORTIFIED, posture).astype(np.int64)
