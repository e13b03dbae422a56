"""What a side can work out from its observation: strengths, reach, threats and stakes.

Everything here is computed from an :class:`~game.engine.observe.Observation` and the
scenario alone: own forces exactly, enemy forces only where seen and at their estimated
strength, and those not seen presumed where they may be (:mod:`game.ai.presumed`).
Arrays keep the leading runs axis, so one call serves a game (a batch of one), a
tournament, or the hundreds of rollouts of a look-ahead.  The per-scenario tables it
reads are cached on the scenario (:mod:`game.ai.tables`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from game.ai import groups
from game.ai.commanders import stakes
from game.ai.groups import Group, Slots
from game.ai.odds_table import BattleOdds, OddsTable, battle_index, push_of
from game.ai.presumed import ghosts, watched_places
from game.ai.tables import Static, odds_table, once, static
from game.codes import ForceKind, ForceStatus, Posture
from game.engine import jit
from game.engine.observe import Observation
from game.engine.outcome import victory_points
from game.engine.phases.supply import supply_distance
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]

ENEMY_COHESION: Final = 0.9
"""Cohesion assumed for a seen enemy force (the observation does not show it)."""


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
        commander: ``[R, F]`` the commander leading each own or seen force, or -1.
        stake: ``[R, F]`` victory points the side loses per unit of the chance that the
            commander of each own force falls at exposure 1: his exposure times what his
            loss costs (:mod:`game.ai.commanders`); 0 for enemy forces.
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
            on the map or due by now, not known gone), at :data:`GHOST_STRENGTH` of their
            scenario men or less if last seen weaker (:func:`~game.ai.presumed.presumed_men`).
        ghost_at: ``[R, F]`` where each such force is believed to be
            (:func:`~game.ai.presumed.ghosts`), or -1.
        ghost_near: ``[R, F, P]`` it could strike each province this turn from there.
        lurk_reach: ``[R, F, P]`` it could strike each province this turn from somewhere:
            the province is within two turns' march of a province nobody watches or that
            its side holds (a column on the road is never seen, so one may have left
            there last turn).
        owner: ``[R, P]`` who holds each province.
        margin: ``[R]`` own victory-point lead now.
        will: ``[R]`` own war will.
        supply_d: ``[R, P]`` march days from each province to an own supply source.
        ratings: ``[4, R, F]`` ``lead``, ``init``, ``exposure`` and ``stake`` as one table
            (those four are its rows), which the groups are pooled from; None to stack
            them when asked.
        memo: What the passes work out once a turn from the situation and the turn's
            appraisal, kept by name (see :func:`game.ai.strikes.barred`); read-only.
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
    commander: I64
    stake: F64
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
    ratings: F64 | None = field(default=None, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def runs(self) -> int:
        """Number of runs."""
        return self.obs.runs

    @cached_property
    def turns_left(self) -> F64:
        """``[R]``: the fewest turns before the war can end (the treaty or the last turn).

        With talks open, the turns of talking still to come; otherwise the talks that
        would have to open first, or the turns to the scenario's end if fewer.  Worked
        out once a turn (the passes ask for it a dozen times) and read-only.
        """
        scn, obs = self.scn, self.obs
        end = float(scn.n_turns - obs.turn)
        talks = scn.talks.turns
        talking = np.where(obs.talks >= 0, talks - obs.talks, talks + 1)
        out = np.minimum(np.maximum(talking, 0).astype(np.float64), end)
        out.setflags(write=False)
        return out  # type: ignore[no-any-return]

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
        men there can lead).  One kernel over runs, places and slots
        (:func:`game.ai.groups.pool`, the heuristic's hottest loop): each run's sums run
        over its slots in order, so a run decides the same in any batch.

        With ``rows`` the mask is ``[N, F, P]`` for those runs only.  With ``cols`` the
        mask may hold those slots only (``[N, len(cols), P]``, ``cols`` ascending).
        """
        N, C, _ = mask.shape
        rows = np.arange(N) if rows is None else rows
        cols = np.arange(C) if cols is None or self.men.shape[1] == C else cols
        return groups.pool(self.slots, mask, rows, cols, men)

    @cached_property
    def slots(self) -> Slots:
        """Return the per-slot tables groups are pooled from (the same all turn)."""
        ratings = self.ratings
        if ratings is None:
            rows = (self.lead, self.init, self.exposure, self.stake)
            ratings = np.stack([np.asarray(x, np.float64) for x in rows])
        return Slots(
            men=np.ascontiguousarray(self.men, np.float64),
            eff=np.ascontiguousarray(np.broadcast_to(self.eff, self.men.shape), np.float64),
            surprise=np.ascontiguousarray(self.st.surprise, np.float64),
            has_cmd=np.ascontiguousarray(self.has_cmd),
            rank=np.ascontiguousarray(self.lead_rank, np.int64),
            ratings=ratings,
        )

    def group_of(self, mask: B, rows: I64) -> Group:
        """Return the group of the forces of ``mask[N, F]``, one place per run of ``rows``.

        Each field is ``[N, 1]``, the same as ``group(mask[:, :, None], rows=rows)``.
        """
        return self.group(mask[:, :, None], rows=rows)

    def at(self, g: Group, places: I64) -> Group:
        """Return the group's values at one place per run (``places[R]``), as ``[R, 1]``."""
        idx = np.asarray(places, np.int64)[:, None]
        return Group(
            *(np.take_along_axis(getattr(g, k), idx, axis=1) for k in Group.__dataclass_fields__)
        )

    def push(self, att: Group, dfd_init: npt.ArrayLike) -> F64:
        """Return the attacker's part of a battle's ln effectiveness ratio.

        Its own effectiveness, leadership and surprise (blunted by the defender's
        initiative ``dfd_init``).  Surprise multiplies the attacker by exp(theta s / 2)
        and the defender by its inverse.  Apart from :meth:`battle` so that a caller
        weighing many battles of the same attackers works it out once.  One kernel
        call (:func:`_push_grid`), the arguments broadcast inside it.
        """
        c = self.scn.rules.combat
        args, shape = _grids((att.log_eff, att.lead, att.surprise, att.init, dfd_init), _PUSH_TYPES)
        out = _push_grid(*args, float(c.theta_leadership), float(c.theta_surprise))
        return out.reshape(shape)  # type: ignore[no-any-return]

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
        same odds bit for bit.  Both sides' ratings are those the scenario gives (see
        :func:`situation`): the odds are the resolver's conditional odds.  One kernel
        call (:func:`_odds_grid`), the arguments broadcast inside it.
        """
        men, log_eff, lead = (dfd.men, dfd.log_eff, dfd.lead) if isinstance(dfd, Group) else dfd
        place = self._every_place if places is None else places
        args, shape = _grids((push, att_men, men, log_eff, lead, posture, place), _ODDS_TYPES)
        which = _field_rows(fields)
        out = _odds_grid(*args, self.odds_terms, _fine(self.scn), which)
        return _battle_odds(out, shape, fields)

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
        The same odds as :meth:`odds_of_push` of :meth:`push`, in one kernel call
        (:func:`_battle_grid`).
        """
        place = self._every_place if places is None else places
        parts = (att.log_eff, att.lead, att.surprise, att.init, dfd.init, att.men, dfd.men)
        parts += (dfd.log_eff, dfd.lead, posture, place)
        args, shape = _grids(parts, _BATTLE_TYPES)
        c = self.scn.rules.combat
        thetas = (float(c.theta_leadership), float(c.theta_surprise))
        which = _field_rows(fields)
        out = _battle_grid(*args, thetas, self.odds_terms, _fine(self.scn), which)
        return _battle_odds(out, shape, fields)

    @cached_property
    def _every_place(self) -> I64:
        """``[P]`` every province, the places of battles over the whole map."""
        return np.arange(self.scn.P, dtype=np.int64)

    @cached_property
    def foe_posture(self) -> npt.NDArray[np.int64]:
        """``[R, P]`` the posture of enemies standing in each place: dug in where they hold it.

        :func:`defender_posture` of the places the enemy holds (the attack pass asks it
        twice a turn); read-only.
        """
        held = self.owner == self.enemy
        return defender_posture(self, held, held)

    @cached_property
    def fortified(self) -> B:
        """``[1, P]`` places with works a defender may hold (fortified when dug in there)."""
        return (np.asarray(self.scn.fort) >= 1)[None, :]

    @cached_property
    def odds_terms(self) -> tuple[float, F64, F64, npt.NDArray[np.float32]]:
        """Return the terms :func:`~game.ai.odds_table.battle_index` reads after a battle."""
        return (
            float(self.scn.rules.combat.theta_leadership),
            self.st.log_posture,
            self.st.log_terrain,
            odds_table(self.scn).size_cuts,
        )


_F = np.float64
_I = np.int64
_PUSH_TYPES: Final = (_F, _F, _F, _F, _F)
_ODDS_TYPES: Final = (_F, _F, _F, _F, _F, _I, _I)
_BATTLE_TYPES: Final = (_F,) * 9 + (_I, _I)


def _grids(
    args: tuple[npt.ArrayLike, ...], types: tuple[type, ...]
) -> tuple[list[np.ndarray], tuple[int, ...]]:
    """Return the battles' arguments as 2-D arrays a kernel broadcasts, and the batch's shape.

    The battles weighed are at most ``[runs, places]``: a scalar is ``[1, 1]`` and a row
    ``[1, n]`` (numpy's broadcasting from the right), which the kernels read at index 0
    along an axis of one (:func:`_span`).  Arguments of more dimensions are broadcast
    here and flattened to their last axis.  Each is made contiguous and writeable (a
    copy of those that are not), so that a kernel is compiled for one kind of array.
    """
    out = []
    ndim = 0
    for x, t in zip(args, types, strict=True):
        a = np.asarray(x, t)
        n = a.ndim
        if n > 2:
            return _grids_nd(args, types)
        if n > ndim:
            ndim = n
        if n < 2:
            a = a.reshape(1, -1)
        flags = a.flags
        if not (flags.c_contiguous and flags.writeable):
            a = np.array(a, t)
        out.append(a)
    if ndim == 2:
        return out, (max(a.shape[0] for a in out), max(a.shape[1] for a in out))
    return out, (max(a.shape[1] for a in out),) if ndim == 1 else ()


def _grids_nd(
    args: tuple[npt.ArrayLike, ...], types: tuple[type, ...]
) -> tuple[list[np.ndarray], tuple[int, ...]]:
    """Return :func:`_grids` of arguments of more than two dimensions: broadcast here."""
    arrays = [np.asarray(x, t) for x, t in zip(args, types, strict=True)]
    shape = np.broadcast_shapes(*(x.shape for x in arrays))
    flat = [np.array(np.broadcast_to(x, shape).reshape(-1, shape[-1])) for x in arrays]
    return flat, shape


_FIELD_ROWS: dict[tuple[str, ...] | None, npt.NDArray[np.int64]] = {}


def _field_rows(fields: tuple[str, ...] | None) -> npt.NDArray[np.int64]:
    """Return the odds table's rows of ``fields`` (all of them for None), kept per tuple."""
    rows = _FIELD_ROWS.get(fields)
    if rows is None:
        names = fields or OddsTable.FIELDS
        rows = _FIELD_ROWS[fields] = np.array([OddsTable.FIELDS.index(f) for f in names])
    return rows


def _fine(scn: CompiledScenario) -> npt.NDArray[np.float32]:
    """Return ``[fields, points]``: the scenario's odds table, every field in one array."""
    return once(scn, "ai_odds_fine", lambda: np.ascontiguousarray(np.stack(odds_table(scn).fine)))


def _battle_odds(
    out: npt.NDArray[np.float32], shape: tuple[int, ...], fields: tuple[str, ...] | None
) -> BattleOdds:
    """Return the odds a grid kernel looked up (``[fields, N, M]``), the others as zeros."""
    names = fields or OddsTable.FIELDS
    full = dict.fromkeys(OddsTable.FIELDS, np.zeros(shape, np.float32))
    for k, name in enumerate(names):
        full[name] = out[k].reshape(shape)
    return BattleOdds(**full)


@jit.kernel
def _span(n, k):  # pragma: no cover - compiled
    """Return the broadcast of an axis of length ``n`` with one of length ``k``."""
    if k == n or k == 1:
        return n
    if n == 1:
        return k
    raise ValueError("the battles' arguments do not broadcast")


@jit.kernel
def _extent(N, M, a):  # pragma: no cover - compiled
    """Return the broadcast shape of ``(N, M)`` with the 2-D array ``a``'s."""
    return _span(N, a.shape[0]), _span(M, a.shape[1])


@jit.inline_kernel
def _at(a, i, j):  # pragma: no cover - compiled
    """Return the element of the 2-D array ``a`` at ``(i, j)`` of the grid it broadcasts to."""
    return a[min(i, a.shape[0] - 1), min(j, a.shape[1] - 1)]


@jit.inline_kernel
def _attack_extent(N, M, log_eff, lead, surprise, init, d_init):  # pragma: no cover - compiled
    """Return ``(N, M)`` broadcast with the shapes of a push's five arguments."""
    N, M = _extent(N, M, log_eff)
    N, M = _extent(N, M, lead)
    N, M = _extent(N, M, surprise)
    N, M = _extent(N, M, init)
    return _extent(N, M, d_init)


@jit.inline_kernel
def _defence_extent(N, M, att_men, d_men, d_log_eff, d_lead, posture, place):  # pragma: no cover
    """Return ``(N, M)`` broadcast with the shapes of a battle's arguments but the push."""
    N, M = _extent(N, M, att_men)
    N, M = _extent(N, M, d_men)
    N, M = _extent(N, M, d_log_eff)
    N, M = _extent(N, M, d_lead)
    N, M = _extent(N, M, posture)
    return _extent(N, M, place)


@jit.inline_kernel
def _push_at(
    i, j, log_eff, lead, surprise, init, d_init, theta_lead, theta_surprise
):  # pragma: no cover
    """Return :func:`~game.ai.odds_table.push_of` of the grid's battle ``(i, j)``."""
    return push_of(
        _at(log_eff, i, j),
        _at(lead, i, j),
        _at(surprise, i, j),
        _at(init, i, j),
        _at(d_init, i, j),
        theta_lead,
        theta_surprise,
    )


@jit.inline_kernel
def _odds_at(
    out, i, j, push, att_men, d_men, d_log_eff, d_lead, posture, place, terms, fine, which
):  # pragma: no cover
    """Write the odds table's ``which`` rows at the grid's battle ``(i, j)`` of ``push``."""
    k = battle_index(
        push,
        _at(att_men, i, j),
        _at(d_men, i, j),
        _at(d_log_eff, i, j),
        _at(d_lead, i, j),
        _at(posture, i, j),
        _at(place, i, j),
        terms,
    )
    for w in range(which.size):
        out[w, i, j] = fine[which[w], k]


@jit.kernel
def _push_grid(log_eff, lead, surprise, init, d_init, theta_lead, theta_surprise):
    """Return :func:`~game.ai.odds_table.push_of` of each battle of a broadcast grid."""
    N, M = _attack_extent(1, 1, log_eff, lead, surprise, init, d_init)
    out = np.empty((N, M))
    for i in range(N):
        for j in range(M):
            out[i, j] = _push_at(
                i, j, log_eff, lead, surprise, init, d_init, theta_lead, theta_surprise
            )
    return out


@jit.kernel
def _odds_grid(push, att_men, d_men, d_log_eff, d_lead, posture, place, terms, fine, which):
    """Return ``[fields, N, M]``: the odds table's ``which`` rows at each battle of a grid.

    Each battle's index is :func:`~game.ai.odds_table.battle_index`'s, read where numpy
    would broadcast its arguments.
    """
    N, M = _extent(1, 1, push)
    N, M = _defence_extent(N, M, att_men, d_men, d_log_eff, d_lead, posture, place)
    out = np.empty((which.size, N, M), np.float32)
    for i in range(N):
        for j in range(M):
            _odds_at(
                out,
                i,
                j,
                _at(push, i, j),
                att_men,
                d_men,
                d_log_eff,
                d_lead,
                posture,
                place,
                terms,
                fine,
                which,
            )
    return out


@jit.kernel
def _battle_grid(
    log_eff,
    lead,
    surprise,
    init,
    d_init,
    att_men,
    d_men,
    d_log_eff,
    d_lead,
    posture,
    place,
    thetas,
    terms,
    fine,
    which,
):  # pragma: no cover - compiled
    """Return :func:`_odds_grid` of the push :func:`_push_grid` gives, battle by battle."""
    N, M = _attack_extent(1, 1, log_eff, lead, surprise, init, d_init)
    N, M = _defence_extent(N, M, att_men, d_men, d_log_eff, d_lead, posture, place)
    out = np.empty((which.size, N, M), np.float32)
    for i in range(N):
        for j in range(M):
            push = _push_at(i, j, log_eff, lead, surprise, init, d_init, thetas[0], thetas[1])
            _odds_at(
                out,
                i,
                j,
                push,
                att_men,
                d_men,
                d_log_eff,
                d_lead,
                posture,
                place,
                terms,
                fine,
                which,
            )
    return out


def _eta(
    st: Static, scn: CompiledScenario, obs: Observation, stands: B, able: B
) -> tuple[F64, F64]:
    """Return ``[R, F, P]`` days for each able force to reach each province: at its pace, forced.

    Infinite for forces that cannot take an order.  A force on the road counts the
    days left to the end of its link (whole days) before the route from there.  One
    kernel call for both tables (:func:`_eta_kernel`).
    """
    return _eta_kernel(  # type: ignore[no-any-return]
        st.route_days,
        np.asarray(scn.link_days, np.float64),
        st.paces,
        (np.asarray(st.pace_of, np.int64), np.asarray(st.forced_of, np.int64)),
        (np.asarray(obs.loc, np.int64), np.asarray(obs.nxt, np.int64)),
        np.asarray(obs.progress, np.float64),
        np.ascontiguousarray(stands),
        np.ascontiguousarray(able),
    )


@jit.kernel
def _eta_kernel(route_days, link_days, paces, pace_t, where_t, progress, stands, able):
    """Return :func:`_eta`'s two tables, force by force, in numpy's order of operations.

    ``pace_t``: each slot's pace and forced pace; ``where_t``: where each force is and
    where it is heading.  A force's place, road and days left on it are read once for
    both tables.
    """
    pace, forced = pace_t
    loc, nxt = where_t
    R, F = loc.shape
    P = route_days.shape[2]
    out = np.empty((R, F, P))  # each row written once: the tables are megabytes at a batch
    out_forced = np.empty((R, F, P))
    for r in range(R):
        for f in range(F):
            if not able[r, f]:
                out[r, f, :] = np.inf
                out_forced[r, f, :] = np.inf
                continue
            at = max(loc[r, f], 0)
            to = max(nxt[r, f], 0)
            src = at
            left = 0.0
            left_forced = 0.0
            if not stands[r, f]:
                src = to
                rest = max(link_days[at, to] - progress[r, f], 0.0)
                left = np.ceil(rest / paces[pace[f]] - 1e-9)
                left_forced = np.ceil(rest / paces[forced[f]] - 1e-9)
            days = route_days[pace[f], src]
            days_forced = route_days[forced[f], src]
            for p in range(P):
                out[r, f, p] = days[p] + left
                out_forced[r, f, p] = days_forced[p] + left_forced
    return out, out_forced


def _readings(
    scn: CompiledScenario, st: Static, obs: Observation, own: B
) -> tuple[npt.NDArray[Any], ...]:
    """Return the situation's per-force readings of the observation, in one kernel.

    Which forces can take an order, stand, or are seen; where each is or is heading;
    men, effectiveness and the leading commander's ratings and rank; each force one-hot
    at its province; which roads are clear of seen enemies; and where each seen enemy
    can strike this turn (:func:`_readings_kernel`, the formulas of :func:`situation`
    run force by force).
    """
    return _readings_kernel(  # type: ignore[no-any-return]
        own,
        obs.status,
        obs.over,
        obs.loc,
        obs.nxt,
        obs.seen,
        obs.commander,
        obs.cohesion,
        obs.men,
        st.base_eff,
        _ratings_table(scn),
        np.asarray(scn.head_of_state, np.bool_),
        st.between,
        scn.P,
        (st.route_days, np.asarray(st.pace_of, np.int64), float(scn.turn_days)),
        _rank_codes(scn),
    )


def _ratings_table(scn: CompiledScenario) -> F64:
    """Return ``[3, C]`` each commander's leadership, initiative and exposure, once per scenario."""
    if "commander_ratings" not in scn.extra:
        scn.extra["commander_ratings"] = np.stack(
            [np.asarray(x, np.float64) for x in (scn.leadership, scn.initiative, scn.exposure)]
        )
    return scn.extra["commander_ratings"]  # type: ignore[no-any-return]


def _rank_codes(scn: CompiledScenario) -> tuple[I64, int, int]:
    """Return where each commander's leadership, and no leader's 0, sort among all of them.

    ``[C]`` the index of each commander's leadership among the distinct values of
    ``{0} | leadership`` (equal ratings, equal indices), the index of 0, and how many
    there are: a force's ``lead_rank`` is the number of those present in the batch
    below its own, what ``searchsorted(unique(lead), lead)`` gives.
    """

    def build() -> tuple[I64, int, int]:
        lead = np.asarray(scn.leadership, np.float64)
        values = np.unique(np.concatenate([[0.0], lead]))
        code = np.searchsorted(values, lead).astype(np.int64)
        return code, int(np.searchsorted(values, 0.0)), int(values.size)

    return once(scn, "ai_rank_codes", build)


_ACTIVE = int(ForceStatus.ACTIVE)
_COHESION32 = np.float32(ENEMY_COHESION)
_HALF32 = np.float32(0.5)


@jit.kernel
def _readings_kernel(
    own,
    status,
    over,
    loc,
    nxt,
    seen,
    commander,
    cohesion,
    obs_men,
    base_eff,
    ratings,
    head_c,
    between,
    P,
    reach_t,
    rank_t,
):  # pragma: no cover - compiled
    """Return :func:`_readings`, force by force.

    Effectiveness is the numpy formula's: the base times ``0.5 + 0.5 * cohesion`` worked
    out in float32 (an enemy's cohesion taken as float32 :data:`ENEMY_COHESION`), then
    multiplied in float64.  A road is read clear for every slot able somewhere in the
    batch, as the array version did, and false for the others: clear when no province
    strictly inside it holds a seen enemy, one 64-bit word of provinces at a time (the
    seen enemies' places packed as :func:`~game.ai.tables.pack` packs them), worked out
    once per run for each place slots are heading for.  The ratings come as one ``[4, R,
    F]`` table (leadership, initiative, exposure, and a row for the stakes the caller
    fills), and each rank counts the distinct leaderships present below its own
    (``rank_t``: :func:`_rank_codes`).  A seen enemy can strike a place this turn if its
    route there at its pace takes no more than a turn (``reach_t``: the routes' days,
    each slot's pace and the turn's days).
    """
    route_days, pace_of, turn_days = reach_t
    code_of, zero_code, n_codes = rank_t
    R, F = status.shape
    able = np.zeros((R, F), np.bool_)
    stands = np.zeros((R, F), np.bool_)
    enemy_seen = np.zeros((R, F), np.bool_)
    has_cmd = np.zeros((R, F), np.bool_)
    head = np.zeros((R, F), np.bool_)
    here = np.zeros((R, F), np.int64)
    cmd = np.full((R, F), -1, np.int64)
    men = np.zeros((R, F))
    eff = np.empty((R, F))
    rated = np.zeros((4, R, F))
    code = np.full((R, F), zero_code, np.int64)
    present = np.zeros(n_codes + 1, np.bool_)
    foe_reach = np.zeros((R, F, P), np.bool_)
    mine_at = np.zeros((R, F, P), np.bool_)
    foe_at = np.zeros((R, F, P), np.bool_)
    clear = np.zeros((R, F, P), np.bool_)
    foe_any = np.zeros((R, P), np.bool_)
    some_able = np.zeros(F, np.bool_)
    for r in range(R):
        for f in range(F):
            on_map = loc[r, f] >= 0
            active = status[r, f] == _ACTIVE
            a = active and own[f] and not over[r] and on_map
            e = seen[r, f] and not own[f] and active and on_map
            able[r, f] = a
            stands[r, f] = a and nxt[r, f] == -1
            enemy_seen[r, f] = e
            p = loc[r, f] if on_map else 0
            here[r, f] = nxt[r, f] if nxt[r, f] >= 0 else p
            coh = cohesion[r, f] if own[f] else _COHESION32
            eff[r, f] = base_eff[f] * (_HALF32 + _HALF32 * coh)
            if a or e:
                men[r, f] = obs_men[r, f]
                c = commander[r, f]
                if c >= 0:
                    has_cmd[r, f] = True
                    cmd[r, f] = c
                    rated[0, r, f] = ratings[0, c]
                    rated[1, r, f] = ratings[1, c]
                    rated[2, r, f] = ratings[2, c]
                    head[r, f] = head_c[c]
                    code[r, f] = code_of[c]
            present[code[r, f]] = True
            if stands[r, f]:
                mine_at[r, f, p] = True
            if e:
                foe_at[r, f, p] = True
                foe_any[r, p] = True
                for q in range(P):
                    foe_reach[r, f, q] = route_days[pace_of[f], p, q] <= turn_days
            if a:
                some_able[f] = True
    W = between.shape[2]
    foe_bits = np.zeros(W, np.uint64)
    row_of = np.empty(P, np.int64)  # the first slot of the run heading for each place
    for r in range(R):
        foe_bits[:] = 0
        for q in range(P):
            if foe_any[r, q]:
                foe_bits[q >> 6] |= np.uint64(1) << np.uint64(q & 63)
        row_of[:] = -1
        for f in range(F):
            if not some_able[f]:
                continue
            h = here[r, f]
            if row_of[h] >= 0:  # the same roads as a slot heading for the same place
                clear[r, f, :] = clear[r, row_of[h], :]
                continue
            row_of[h] = f
            for p in range(P):
                crossed = False
                for w in range(W):
                    if between[h, p, w] & foe_bits[w]:
                        crossed = True
                clear[r, f, p] = not crossed
    below = np.zeros(n_codes + 1, np.int64)  # the distinct leaderships present below each
    for k in range(n_codes):
        below[k + 1] = below[k] + present[k]
    rank = np.empty((R, F), np.int64)
    for r in range(R):
        for f in range(F):
            rank[r, f] = below[code[r, f]]
    ratings_out = (rated, rank, head, cmd, has_cmd)
    places = (mine_at, foe_at, clear, foe_reach)
    return able, stands, enemy_seen, here, men, eff, ratings_out, places


def _stakes(
    scn: CompiledScenario, st: Static, obs: Observation, led: B, men: F64, exposure: F64
) -> F64:
    """Return ``[R, F]``: each own commander's exposure times what his loss costs the side."""
    s = obs.side
    scale = once(
        scn, f"ai_stake_scale_{s}", lambda: max(st.win_margin, float(np.max(st.swing[s])), 1.0)
    )
    own = np.asarray(scn.force_side == s)
    force_t = (led, np.asarray(obs.commander, np.int64), men, exposure, own)
    return stakes(scn, scale, obs.will, force_t, float(st.men_value[1 - s]))


def situation(scn: CompiledScenario, obs: Observation) -> Situation:
    """Return what ``obs.side`` can work out from its observation."""
    st = static(scn)
    s = obs.side
    own = np.asarray(scn.force_side == s)
    # The scenario's ratings of the enemy's troops and generals are public reputations,
    # known to both sides (fog hides where forces are and how strong, not who they are):
    # odds that drew them from the record instead chose battles against defenders
    # assumed weaker than they were (see docs/ai.md, "Odds").
    able, stands, enemy_seen, here, men, eff, ratings, places = _readings(scn, st, obs, own)
    rated, lead_rank, head, commander, has_cmd = ratings
    mine_at, foe_at, clear, foe_reach = places
    # The stakes are the table's last row, which the groups are pooled from with the rest.
    rated[3] = _stakes(scn, st, obs, has_cmd & own[None, :], men, rated[2])
    eta, eta_forced = _eta(st, scn, obs, stands, able)
    vp = victory_points(scn, obs.owner)
    watched = watched_places(scn, obs, able)
    ghost_men, ghost_at, ghost_near, lurk_reach = ghosts(scn, st, obs, enemy_seen, watched)
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
        lead=rated[0],
        init=rated[1],
        exposure=rated[2],
        commander=commander,
        stake=rated[3],
        has_cmd=has_cmd,
        lead_rank=lead_rank,
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
        supply_d=supply_distance(scn, obs.owner, s, obs.fired),
        ratings=rated,
    )


def is_irregular(scn: CompiledScenario) -> B:
    """Return ``[F]``: slots of montoneros (irregulars who harass rather than stand).

    Worked out once per scenario and read-only (asked a dozen times a turn).
    """
    if "irregular_slots" not in scn.extra:
        irregular = np.asarray(scn.kind == ForceKind.MONTONEROS).copy()
        irregular.setflags(write=False)
        scn.extra["irregular_slots"] = irregular
    return scn.extra["irregular_slots"]  # type: ignore[no-any-return]


_HASTY = int(Posture.HASTY)
_DUG_STEP = int(Posture.PREPARED) - _HASTY
_FORT_STEP = int(Posture.FORTIFIED) - int(Posture.PREPARED)


def defender_posture(sit: Situation, held_by_defender: B, dug: B) -> npt.NDArray[np.int64]:
    """Return the posture to expect of a defender standing in each place ``[R, P]``.

    Hasty; prepared where dug in on its own ground; fortified there if the place has
    works.  Counted up from hasty in integers (asked several times a turn, where numpy's
    ``where`` of two scalars costs more than the counting at a batch of one).
    """
    dug_held = dug & held_by_defender
    out = (dug_held & sit.fortified).astype(np.int64)
    out *= _FORT_STEP
    out += dug_held * _DUG_STEP
    out += _HASTY
    return out
