"""The heuristic's reasoning, pass by pass, for every run of a batch at once.

Orders are built in passes over the side's forces, each vectorised over runs (the loops
are over forces and over a few greedy rounds, never over runs):

1. **Attacks.**  For every province where enemies are seen, the forces that can reach it
   this turn by a road no other enemy bars are pooled (concentration: everyone in range
   strikes together) and the battle is scored from the odds table: the chance of
   winning times what the province is worth under the victory rules (and what lies
   behind it on the road to a key province), plus enemy men destroyed, minus own men
   lost and the risk to commanders.  The best target per run is attacked if its odds
   clear the personality's threshold (lowered when the war is being lost late or the
   capital is lost, raised when a head of state would ride with it); forces the strike
   can spare without losing odds are left behind (economy of force); then the next
   target, for a few rounds.  Irregulars then raid what is left at a lower threshold.
2. **Contact.**  Forces sharing a province with the enemy that are not attacking either
   stand (if the odds of holding are fair) or retreat toward their own side.
3. **Movement.**  Every other force, largest first, weighs staying (garrisoning a hostile
   conquest against risings, keeping the men an outcome's ``forces_in`` condition needs,
   covering a threatened province, waiting where a strike gathers) against marching
   along a clear road to each province (taking enemy land worth victory points,
   reinforcing a threatened province or an outnumbered friend, gathering to strike next
   turn), minus the risk of being caught there, of starving out of supply and of the
   country's attrition.  Threats are the seen enemies in reach, the unseen enemies from
   where they are believed to be, and, for own land, raids from anywhere unwatched
   (:mod:`game.ai.features`).  Each choice updates where own men will stand, so two
   forces do not chase one prize and the last force in a conquest is the one to hold it.
4. **Peace.**  The side sues when its will is spent and the enemy would not yet win a
   treaty, and when a treaty signed now would make it the winner and talks are short
   enough to keep that lead until the signing.

Values are in victory points (a province is worth what it would change in the margin if
it changed hands, plus what the named outcomes make of it; objectives weigh more); men
are converted at what the other side's home provinces are worth per man defending them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from game import rng
from game.ai.determinize import outcome_now
from game.ai.explain import Notes, Reason
from game.ai.features import Group, Situation, defender_posture, is_irregular
from game.ai.odds_table import BattleOdds
from game.ai.personality import Personality
from game.ai.random_policy import random_orders
from game.codes import NONE, OrderKind, Posture
from game.engine.orders import NO_ORDER, Orders, march_targets, retreat_targets

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]

STRIKE = ("p_win", "att_loss", "def_loss", "att_cmd", "att_killed")
"""The odds an attack is judged (and explained) by."""
ATTACK_ROUNDS = 4
"""Greedy rounds of target selection (each strikes one more province per run)."""
RELEASE_SLACK = 0.04
"""A force is left out of a strike if the odds without it fall by less than this."""
SURE = 0.92
"""Odds of a strike beyond which further forces are not needed."""
HORIZON_TURNS = 4
"""Turns over which a garrison's protection against risings is counted."""
SHORT_TALKS = 4
"""Turns of talks (quiet ones included) short enough to sue on a winning position."""
DISCOUNT = 0.85
"""Value kept per extra turn a march takes to pay off."""
ATTACK_CHANCE = 0.5
"""Chance assumed that a seen enemy in reach of a province attacks it this turn."""
GHOST_CHANCE = 0.35
"""Chance assumed that an unseen enemy force strikes a province in reach of the place it
is believed to be (it may not be there, and may not come)."""
LURK_CHANCE = 0.25
"""Chance a turn that an unseen enemy force that could be anywhere unwatched strikes an
own province in reach of there (compounded over :data:`LURK_TURNS`)."""
LURK_TURNS = 1
"""Turns over which the lurking threat to an own province is compounded."""


def _spread(x: npt.NDArray[np.generic], rows: I64, runs: int) -> npt.NDArray[Any]:
    """Return ``x`` (one row per run of ``rows``) on every run of the batch, zero elsewhere.

    The passes weigh a force's options only in the runs where it has a choice; the
    orders and notes are then set on the whole batch through masks that never read the
    other rows.
    """
    out = np.zeros((runs, *x.shape[1:]), x.dtype)
    out[rows] = x
    return out


def _pick(g: Group, rows: I64, places: I64 | None = None) -> Group:
    """Return the group's values at the given runs (and places): flat, one per pair."""
    if places is None:
        return Group(*(getattr(g, k)[rows] for k in Group.__dataclass_fields__))
    return Group(*(getattr(g, k)[rows, places] for k in Group.__dataclass_fields__))


@dataclass
class Thought:
    """A heuristic decision: the orders, why each was given, and why it sued for peace.

    ``peace`` is ``[R]``: 0 no suit, 1 sued because its will is spent, 2 sued because a
    treaty now would name it winner; ``outcome`` is the outcome a treaty signed now would
    name (as far as the side can see).
    """

    orders: Orders
    notes: Notes
    peace: npt.NDArray[np.int8]
    outcome: npt.NDArray[np.int64]


@dataclass
class _MoveCosts:
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
class _Options:
    """What one force can do: a score per destination and for staying, with the parts.

    One row per run in which the force is free to choose (N of them; see
    :meth:`Planner._options`).
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


class Planner:
    """Works out one side's orders for a batch of runs from its :class:`Situation`."""

    def __init__(self, sit: Situation, pers: Personality, keys: U64, *, notes: bool = True) -> None:
        self.sit = sit
        self.pers = pers
        self.keys = keys
        scn = sit.scn
        self.scn = scn
        R, F, P = sit.runs, scn.F, scn.P
        self.R, self.F, self.P = R, F, P
        self.rows = np.arange(R)
        self.T = float(scn.turn_days)
        self.kind = np.full((R, F), NO_ORDER, np.int16)
        self.target = np.full((R, F), NONE, np.int16)
        self.free = sit.able.copy()
        self.notes = Notes.empty(R, F, recording=notes)
        self.irregular = is_irregular(scn)
        self._dug: B | None = None
        self._reach: tuple[B, B, B] | None = None
        s, e = sit.side, sit.enemy
        st = sit.st
        value = np.asarray(scn.value)
        objectives = np.asarray(scn.objectives[s]) * 0.5 * np.maximum(value, value.mean())
        # What the named outcomes test: full worth toward one's own win, half to deny one.
        worth = pers.objective * (st.swing[s] + objectives + st.key[s] + 0.5 * st.key[e])
        self.worth = np.broadcast_to(worth, (R, P))
        self.k_kill = float(st.men_value[s]) * pers.aggression
        self.k_lose = float(st.men_value[e])
        self.scale = max(st.win_margin, float(np.max(st.swing[s])), 1.0)
        self.own_held = sit.owner == s
        self.foe = sit.group(sit.foe_at)
        self.foe_near = sit.group(sit.foe_reach)
        believed = sit.group(sit.ghost_near, men=sit.ghost_men)
        lurking = sit.group(sit.lurk_reach, men=sit.ghost_men)
        self.threats = Group(
            *(
                np.stack([getattr(g, k) for g in (self.foe_near, believed, lurking)])[:, None]
                for k in ("men", "log_eff", "lead", "init", "surprise", "exposure")
            )
        )
        lurk = np.where(self.own_held, 1.0 - (1.0 - LURK_CHANCE) ** LURK_TURNS, 0.0)
        # Men that may come at each province this turn, seen or presumed (for the reasons).
        self.threat_men = self.foe_near.men + np.maximum(believed.men, lurking.men * (lurk > 0))
        self.chance = np.stack(
            [np.full((R, P), ATTACK_CHANCE), np.full((R, P), GHOST_CHANCE), lurk]
        )[:, None]  # [3, 1, R, P]
        # The same tables flat, for gathering by index (see _keep): the threats' men and
        # their part of the odds (they meet defenders without initiative).
        self._threat_men = np.ascontiguousarray(self.threats.men).reshape(-1)
        self._threat_push = np.ascontiguousarray(sit.push(self.threats, 0.0)).reshape(-1)
        self._chance_flat = np.ascontiguousarray(self.chance).reshape(3, R * P)
        ghost_here = np.zeros((R, P), bool)
        r, f = np.nonzero(sit.ghost_at >= 0)
        ghost_here[r, sit.ghost_at[r, f]] = True
        self.ghost_here = ghost_here
        self.foe_any = self.foe.men > 0
        self.behind = self._behind()
        self.outcome, self.winner = outcome_now(scn, sit.obs, sit)
        rules = scn.rules
        self.hostile = (
            (np.asarray(scn.home_side) == sit.enemy)
            & (np.asarray(scn.resistance) > 0)
            & (np.asarray(scn.partisans) > 0)
        )
        self.garrison_need = np.maximum(np.asarray(scn.garrison_needed), 1).astype(np.float64)
        hazard = rules.resistance.rate * np.asarray(scn.resistance) * self.T / 7.0
        self.protect = np.minimum(1.0, HORIZON_TURNS * hazard)
        need = st.need_men[s]
        self.need_men = np.where(need > 0, need, np.inf)
        self.threshold = self._threshold()
        self.mt = march_targets(scn, sit.obs, s)
        # Men that will stand at each province at the end of the turn, as decided so far
        # (undecided forces are counted where they are).
        # (Men are whole numbers, so the sums are exact in any order.)
        r, f = np.nonzero(sit.able)  # standing where they are, or where the road leads
        cell = r * P + sit.here[r, f]
        self.proj = np.bincount(cell, weights=sit.men[r, f], minlength=R * P).reshape(R, P)

    # ------------------------------------------------------------------ shared helpers
    def _threshold(self) -> F64:
        """Return the least chance of winning an attack must have, per run.

        The personality's ``min_odds``, moved by caution and aggression, and lowered when
        the stakes demand it: behind (by victory points, or by the outcome a treaty now
        would name) late in the war, or with the capital lost.
        """
        p, sit = self.pers, self.sit
        base = p.min_odds + 0.06 * (p.caution - 1.0) - 0.08 * (p.aggression - 1.0)
        late = np.clip(1.5 * sit.obs.turn / max(self.scn.n_turns, 1), 0.0, 1.0)
        win = max(sit.st.win_margin, 1.0)
        losing = self.winner == sit.enemy
        behind = np.maximum(np.clip(-sit.margin / win, 0.0, 1.0), 1.0 * losing)
        cap = int(self.scn.capital[sit.side])
        lost_capital = sit.owner[:, cap] != sit.side
        despair = np.maximum(behind * late, 0.5 * lost_capital)
        return np.clip(base - 0.2 * despair, 0.15, 0.95)

    def _behind(self) -> F64:
        """Return ``[R, P]``: what beating the enemy in each province opens the road to.

        For each key province (worth at least a winning margin) that the other side holds,
        a seen enemy standing on the route to it from an own force is worth half of it,
        discounted by the march: an army cut off from its capital must fight its way
        through whatever stands on the road, however little that place is worth itself.
        """
        sit = self.sit
        out = np.zeros((self.R, self.P))
        key = np.flatnonzero((self.worth[0] >= sit.st.win_margin) & (sit.st.win_margin > 0))
        if key.size == 0 or not self.foe_any.any():
            return out
        on_route = np.asarray(sit.st.on_route)
        # Only forces able to move somewhere can open a road (the others gain nothing, and
        # every gain is at least zero, which the slots left out still stand for).
        cols = np.flatnonzero(sit.able.any(axis=0))
        if cols.size == 0:
            return out
        here, able = sit.here[:, cols], sit.able[:, cols, None]
        for q in key:
            theirs = sit.owner[:, q] != sit.side
            if not theirs.any():
                continue
            route = on_route[here, q] & able  # [R, C, P]
            days = sit.eta[:, cols, q]
            gain = 0.5 * self.worth[:, q][:, None] * DISCOUNT ** (days / self.T)  # [R, C]
            via = np.where(route, gain[:, :, None], 0.0).max(axis=1)  # [R, P]
            via[:, q] = 0.0
            out = np.maximum(out, np.where(theirs[:, None] & self.foe_any, via, 0.0))
        return out

    def assign(self, mask: B, kind: npt.ArrayLike, target: npt.ArrayLike) -> None:
        """Give the forces of ``mask`` an order and take them out of the free pool."""
        k = np.broadcast_to(np.asarray(kind), mask.shape)
        t = np.broadcast_to(np.asarray(target), mask.shape)
        self.kind[mask] = k[mask]
        self.target[mask] = t[mask]
        self.free &= ~mask

    def _move_men(self, mask: B, dest: I64) -> None:
        """Move the projected men of the forces of ``mask`` from where they are to ``dest``."""
        r, f = np.nonzero(mask)
        if r.size == 0:
            return
        men = self.sit.men[r, f]
        np.add.at(self.proj, (r, self.sit.here[r, f]), -men)
        np.add.at(self.proj, (r, dest[r, f] if dest.ndim == 2 else dest[r]), men)

    def _stay_values(self, mf: F64, base: F64, here: I64, stay_post: npt.ArrayLike, need: B) -> F64:
        """Return what forces are worth where they stand, ``[R, X]`` (X forces, or one).

        The sum of keeping an outcome's ``forces_in`` men there, holding down a hostile
        conquest against risings, and covering the province against threats, for men
        ``mf`` joining ``base`` others in province ``here``.  Only the values ``need``
        (``[R, X]``) are wanted; the others are left unspecified.
        """
        scn, p = self.scn, self.pers
        rules = scn.rules
        at = self.rows[:, None], here
        log_eff = np.log(np.maximum(self._eff_here, 1e-6))
        keeps, _ = self._keep(
            np.stack([base + mf, base]),
            log_eff,
            self._lead_here,
            np.stack(
                [np.take_along_axis(stay_post, here, axis=1), np.full(here.shape, Posture.HASTY)]
            ),
            places=here,
            need=np.broadcast_to(need, (2, *need.shape)),
        )
        worth = self.worth[at]
        held = self.own_held[at]
        need = self.need_men[here]
        crossed = (base + mf >= need) & (base < need)
        v_keep = np.where(held, 0.5 * worth * keeps[0] * crossed, 0.0)
        hz = self.protect[here]
        gneed = self.garrison_need[here]
        ge = rules.resistance.garrison_effect
        v_gar = np.where(
            held & self.hostile[here],
            p.garrison
            * worth
            * hz
            * (np.exp(-ge * base / gneed) - np.exp(-ge * (base + mf) / gneed)),
            0.0,
        )
        open_here = ~self.foe_any[at]
        v_cov = np.where(open_here, worth * (keeps[0] - keeps[1]), 0.0)
        return v_keep + v_gar + v_cov

    def _anchors(self) -> F64:
        """Return ``[R, F]``: what each standing free force is worth where it stands now.

        A strike that takes a force away gives this up (a garrison leaving its conquest,
        the army leaving the town the treaty needs it in), so it is charged to the strike.
        """
        sit = self.sit
        stands = self.free & sit.stands
        mf = np.where(stands, sit.men, 0.0)
        base = np.maximum(self.proj[self.rows[:, None], sit.here] - mf, 0.0)
        self._eff_here = sit.eff
        self._lead_here = sit.lead
        post = np.where(self._dug_in(), Posture.PREPARED, Posture.HASTY)
        return np.where(stands, self._stay_values(mf, base, sit.here, post, stands), 0.0)

    # ------------------------------------------------------------------ 1. attacks
    def attacks(self, irregular_only: bool = False) -> None:
        """Strike seen enemies where pooled forces in reach have good enough odds.

        Each round pools, for every target, the free forces that can reach it, and looks
        up the odds only where there is a target and someone to strike it (a small share
        of the grid in a big batch).
        """
        sit, p = self.sit, self.pers
        targets = self.foe_any.copy()
        defenders = self.foe_near if p.foresight else self.foe
        held_by_foe = sit.owner == sit.enemy
        posture = defender_posture(sit, held_by_foe, held_by_foe)
        thr = self.threshold - (0.1 * p.harass if irregular_only else 0.0)
        scale = p.harass if irregular_only else 1.0
        anchor = self._anchors()
        reach, forced_only, reach_any = self._strike_reach()
        value = self.worth + self.behind
        for _ in range(ATTACK_ROUNDS):
            avail = self.free & (self.irregular[None, :] if irregular_only else True)
            if not (avail.any() and targets.any()):
                return
            # The forces that can join a strike somewhere, and where each can strike.
            cols = np.flatnonzero((avail & reach_any).any(axis=0))
            join = avail[:, cols, None] & reach[:, cols]  # [R, C, P]
            g = sit.group(join, cols=cols)
            r, q = np.nonzero(targets & (g.men > 0))  # the battles worth looking up
            o = self._strike(_pick(g, r, q), _pick(defenders, r, q), posture[r, q], places=q)
            # Does a head of state ride with the strike, and what the forces leave behind.
            joins = join[r, :, q]  # [n, C]
            head = (joins & sit.head[r][:, cols]).any(axis=1)
            away = joins & (sit.here[r][:, cols] != q[:, None])
            left = np.where(away, anchor[r][:, cols], 0.0)
            leave = np.zeros(r.size)
            for j in range(cols.size):  # summed slot by slot, in the same order as ever
                leave = leave + left[:, j]
            gm = g.men[r, q]
            cmd_worth = self.scale * np.where(head, 2.0, 0.5)
            ev = (
                o.p_win * value[r, q]
                + scale * self.k_kill * o.def_loss * defenders.men[r, q]
                - self.k_lose * o.att_loss * gm
                - p.commander_safety * o.att_cmd * g.exposure[r, q] * cmd_worth
                - leave
            )
            need = thr[r] + 0.05 * p.commander_safety * head
            good = (o.p_win >= need) & (ev > 0)
            if not good.any():
                return
            ok = np.zeros((self.R, self.P), bool)
            ok[r, q] = good
            score = np.full((self.R, self.P), -np.inf)
            score[r, q] = np.where(good, ev, -np.inf)
            best = np.argmax(score, axis=1)
            has = ok[self.rows, best]
            sel = self._economy(
                avail & reach[self.rows, :, best] & has[:, None], best, defenders, posture, anchor
            )
            via_forced = forced_only[self.rows, :, best] & sel & avail
            kind = np.where(via_forced, OrderKind.FORCED_MARCH, OrderKind.ATTACK)
            self.assign(sel, kind, best[:, None])
            self._move_men(sel, np.broadcast_to(best[:, None], sel.shape))
            if self.notes.recording:
                self._note_strike(sel, reach, best, defenders, posture, irregular_only)
            targets[self.rows[has], best[has]] = False

    def _strike_reach(self) -> tuple[B, B, B]:
        """Return ``[R, F, P]``: where each force can strike this turn, and which only forced.

        A force can strike a province it can reach within the turn (at its pace or on a
        forced march) by a road it may take that no seen enemy bars.  Also ``[R, F]``:
        whether it can strike anywhere.  The same for both attack passes, so kept.
        """
        if self._reach is None:
            sit = self.sit
            open_road = self.mt & sit.clear
            normal = (sit.eta <= self.T) & open_road
            forced = ~normal & (sit.eta_forced <= self.T) & open_road
            reach = normal | forced
            self._reach = reach, forced, reach.any(axis=2)
        return self._reach

    def _note_strike(
        self,
        sel: B,
        reach: B,
        best: I64,
        defenders: Group,
        posture: npt.NDArray[np.int64],
        irregular_only: bool,
    ) -> None:
        """Explain the strike of ``sel`` on ``best``: its odds with the forces that go."""
        g = self.sit.group(sel[:, :, None] & reach)
        b = self.rows, best
        o = self._strike(_pick(g, *b), _pick(defenders, *b), posture[b], places=best)
        self.notes.set(
            sel,
            Reason.HARASS if irregular_only else Reason.ATTACK,
            place=best[:, None],
            p_win=o.p_win[:, None],
            killed=(o.att_killed * g.men[b])[:, None],
            men=g.men[b][:, None],
            foe=defenders.men[b][:, None],
        )

    def _strike(
        self,
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
        return self.sit.battle(g, defenders, posture, fields, places)

    def _economy(
        self,
        sel: B,
        target: I64,
        defenders: Group,
        posture: npt.NDArray[np.int64],
        anchor: F64,
    ) -> B:
        """Return the strike ``sel[R, F]`` on ``target[R]`` less the forces it can spare.

        Those worth most where they stand first (``anchor``), then the smallest, a force
        is left out if the odds without it stay above the threshold and within
        :data:`RELEASE_SLACK` of the odds with everyone (or above :data:`SURE`): it is then
        free to garrison or cover what the strike leaves behind.  The odds without a
        force are looked up only in the runs where it could be left out.
        """
        sit = self.sit
        d_at = sit.at(defenders, target)
        post_at = posture[self.rows, target][:, None]
        where = target[:, None]

        def odds_of(mask: B, rows: I64) -> F64:
            # ``mask[N, F]``: the strike of each run of ``rows``.  Its sums run over every
            # slot, so a run gets the same odds in any batch.
            g = sit.group_of(mask, rows)
            d = _pick(d_at, rows)
            o = self._strike(g, d, post_at[rows], ("p_win",), where[rows])
            return o.p_win[:, 0]

        full = odds_of(sel, self.rows)
        floor = np.maximum(self.threshold, np.minimum(full - RELEASE_SLACK, SURE))
        out = sel.copy()
        count = out.sum(axis=1)
        # Forces that matter most where they stand go first, then the smallest: an order
        # per run (from that run's anchors alone), walked position by position.  The
        # forces of the strike are put before the others (in the same order among
        # themselves), so each position tries one force in every run that still has
        # one: fewer, larger trials, and each run tries its forces in the same order.
        men0 = np.broadcast_to(np.asarray(self.scn.men0), anchor.shape)
        order = np.lexsort((men0, -anchor, ~sel), axis=-1)  # [R, F]
        for k in range(int(count.max(initial=0))):
            f = order[:, k]
            try_out = out[self.rows, f] & (count > 1)
            if not try_out.any():
                continue
            rows = np.flatnonzero(try_out)
            trial = out[rows]
            trial[np.arange(rows.size), f[rows]] = False
            spare = rows[odds_of(trial, rows) >= floor[rows]]
            out[spare, f[spare]] = False
            count[spare] -= 1
        return out

    # ------------------------------------------------------------------ 2. contact
    def contact(self) -> None:
        """Stand or fall back where free forces share a province with the enemy.

        The odds of holding are looked up only where such a force stands.
        """
        sit = self.sit
        loc = sit.here
        touching = self.free & sit.stands & self.foe_any[self.rows[:, None], loc]
        if not touching.any():
            return
        ours = sit.group(sit.mine_at & self.free[:, :, None])
        we_hold = self.own_held
        post = defender_posture(sit, we_hold, self._dug_in())
        r, f = np.nonzero(touching)
        q = loc[r, f]
        foe, mine = _pick(self.foe, r, q), _pick(ours, r, q)
        o_def = sit.battle(foe, mine, post[r, q], ("p_win",), q)
        o_att = sit.battle(mine, foe, Posture.HASTY, ("p_win",), q)
        hold = np.zeros((self.R, self.F), np.float32)
        hold[r, f] = np.where(we_hold[r, q], 1.0 - o_def.p_win, o_att.p_win)
        need = np.clip(self.threshold - 0.15, 0.1, 0.9)[:, None]
        at = self.rows[:, None], loc
        stay = touching & (hold >= need)
        kind = np.where(we_hold[at], OrderKind.HOLD, OrderKind.ATTACK)
        self.assign(stay, kind, np.where(we_hold[at], NONE, loc))
        self.notes.set(
            stay,
            Reason.DEFEND,
            place=loc,
            p_win=hold,
            foe=self.foe.men[at],
            men=ours.men[at],
        )
        leave = touching & ~(hold >= need)
        if leave.any():
            self._fall_back(leave, hold, Reason.RETREAT)

    def _dug_in(self) -> B:
        """Return ``[R, P]``: every own force standing in the province has stood a turn.

        The same all turn (it reads only the observation), so worked out once.
        """
        if self._dug is None:
            sit = self.sit
            dug = sit.obs.dug_in >= 1
            not_dug = sit.mine_at & ~dug[:, :, None]
            self._dug = ~not_dug.any(axis=1)
        return self._dug

    def _fall_back(self, mask: B, hold: F64, reason: Reason) -> None:
        """Send the forces of ``mask`` to the safest neighbouring province they can reach.

        Worked out for the forces of ``mask`` only (a handful in a big batch).
        """
        sit, scn = self.sit, self.scn
        r, f = np.nonzero(mask)
        rt = retreat_targets(scn, sit.obs, sit.side)[r, f] & ~self.foe_any[r]  # [n, P]
        cap = int(scn.capital[sit.side])
        home_days = np.asarray(scn.dist_days)[:, cap]
        # Scaled by the run's own largest force: a run's choice never depends on its batch.
        crowd = self.proj[r] / np.maximum(sit.men.max(axis=1), 1.0)[r, None]
        score = np.where(rt, -home_days[None, :] / 100.0 + crowd, -np.inf)
        n = np.arange(r.size)
        best_p = np.argmax(score, axis=1)
        can_p = rt[n, best_p]
        best = np.zeros((self.R, self.F), np.int64)
        best[r, f] = best_p
        can = np.zeros((self.R, self.F), bool)
        can[r, f] = can_p
        go = mask & can
        self.assign(go, OrderKind.RETREAT, best)
        self._move_men(go, best)
        self.notes.set(
            go,
            reason,
            place=best,
            other=sit.here,
            p_win=hold,
            foe=self.foe.men[self.rows[:, None], sit.here],
        )
        # No province of ours to retreat to: march to any neighbour free of the enemy.
        links = np.isfinite(np.asarray(scn.link_days))[sit.here[r, f]]  # [n, P]
        away = links & self.mt[r, f] & ~self.foe_any[r]
        score = np.where(away, -home_days[None, :] / 100.0, -np.inf)
        alt_p = np.argmax(score, axis=1)
        alt = np.zeros((self.R, self.F), np.int64)
        alt[r, f] = alt_p
        can2 = np.zeros((self.R, self.F), bool)
        can2[r, f] = away[n, alt_p]
        go2 = mask & ~can & can2
        self.assign(go2, OrderKind.MARCH, alt)
        self._move_men(go2, alt)
        self.notes.set(
            go2,
            reason,
            place=alt,
            other=sit.here,
            p_win=hold,
            foe=self.foe.men[self.rows[:, None], sit.here],
        )

    # ------------------------------------------------------------------ 3. movement
    def _gather(self) -> tuple[I64, F64, I64, F64]:
        """Return where each free force should gather for next turn's best strike.

        Returns:
            ``dest[R, F]`` (the province one step short of the target on the force's
            road, or -1), its value ``[R, F]``, the target per run ``[R]`` (or -1), and
            the chance of winning with everyone gathered ``[R]``.
        """
        sit, p = self.sit, self.pers
        soon = self.free[:, :, None] & (sit.eta <= 2.0 * self.T) & self.mt & sit.clear
        g = sit.group(soon)
        held_by_foe = sit.owner == sit.enemy
        post = defender_posture(sit, held_by_foe, held_by_foe)
        o = self._strike(g, self.foe, post)
        ev = (
            o.p_win * (self.worth + self.behind)
            + self.k_kill * o.def_loss * self.foe.men
            - self.k_lose * o.att_loss * g.men
        )
        ok = self.foe_any & (g.men > 0) & (o.p_win >= self.threshold[:, None]) & (ev > 0)
        best = np.argmax(np.where(ok, ev, -np.inf), axis=1)
        has = ok[self.rows, best]
        member = soon[self.rows, :, best] & has[:, None]
        stage = np.asarray(sit.st.stage)[sit.here, best[:, None]].astype(np.int64)
        dest = np.where(member, stage, NONE)
        value = np.where(member, p.concentration * 0.6 * ev[self.rows, best][:, None], 0.0)
        return dest, value, np.where(has, best, NONE), o.p_win[self.rows, best]

    def _keep(
        self,
        men: F64,
        log_eff: F64,
        lead: F64,
        posture: npt.ArrayLike,
        places: I64 | None = None,
        rows: I64 | None = None,
        need: B | None = None,
    ) -> tuple[F64, F64]:
        """Return the chance own men standing in each province keep it this turn, and losses.

        ``men`` is ``[K, N, X]`` (K cases evaluated at once) with a posture per case;
        ``log_eff`` and ``lead`` (``[N, X]``) describe the defenders.  N is every run, or
        the runs ``rows`` (``[N]``) only; X is every province, or the places ``places``
        (``[N, X]`` province indices).  Seen enemies in
        reach come with :data:`ATTACK_CHANCE`; unseen ones with :data:`GHOST_CHANCE` from
        where they are believed to be, or, for own land, with :data:`LURK_CHANCE` a turn
        from anywhere nobody watches.  Enemy-held land is kept only with at least
        ``rules.control_men`` men; own land left empty is lost to whoever comes.  Losses
        are the expected share of the men lost.

        With ``need`` (``[K, N, X]``) only the cases the caller reads are worked out (the
        others are left at zero), and of those only the battles that can happen (a threat
        that can come, own men to meet it) are looked up in the odds table: in a big batch
        that is a small share of the grid.  Inputs are gathered by flat index into the
        per-province tables (``[3, runs * provinces]``), the cheapest gather numpy has.
        """
        K, N, X = men.shape
        RP = self.R * self.P
        flat = np.flatnonzero(need) if need is not None else np.arange(K * N * X)
        k, ix = np.divmod(flat, N * X)  # case, and (run, place) within the case
        i, x = np.divmod(ix, X)
        run = i if rows is None else rows[i]
        cell = run * self.P + (x if places is None else places[i, x])  # [E] into [R * P]
        m = men.reshape(-1)[flat]
        foe_men = self._threat_men.reshape(3, RP).take(cell, axis=1)  # [3, E]
        c = self._chance_flat.take(cell, axis=1)  # [3, E]
        present = foe_men > 0
        # The battles that can happen and count: a threat that can come (with some chance:
        # raids from anywhere threaten own land only), and own men to meet it.
        t, e = np.nonzero(present & (m > 0) & (c > 0))
        at = t * RP + cell[e]  # into the flat [3 * R * P] tables
        ie, xe = i[e], x[e]
        ours = (  # men, ln effectiveness and leadership of the defenders
            m[e],
            log_eff[ie, 0 if log_eff.shape[1] == 1 else xe],
            lead[ie, 0 if lead.shape[1] == 1 else xe],
        )
        post = np.broadcast_to(np.asarray(posture), (K, N, X))[k[e], ie, xe]
        o = self.sit.odds_of_push(
            self._threat_push.take(at),
            foe_men[t, e],
            ours,
            post,
            fields=("p_win", "def_loss"),
            places=cell[e] % self.P,
        )
        # The odds are float32; so are hold and lost, as if computed on the whole grid.
        hold = np.where(present, np.float32(0.0), np.float32(1.0))
        hold[t, e] = 1.0 - o.p_win
        lost = np.zeros(present.shape, np.float32)
        lost[t, e] = o.def_loss + o.p_win * 0.1

        def combine(x: F64) -> F64:
            # Seen threats add up; the two guesses about unseen forces overlap, so the worse.
            return x[0] + np.maximum(x[1], x[2])

        enough = m >= self.scn.rules.control_men
        held = self.own_held.reshape(-1).take(cell)
        empty = np.where(held, 1.0 - combine(c * present), 0.0)
        keep = np.zeros(K * N * X)
        keep[flat] = np.clip(np.where(enough, 1.0 - combine(c * (1.0 - hold)), empty), 0.0, 1.0)
        loss = np.zeros(K * N * X)
        loss[flat] = combine(c * lost)
        return keep.reshape(K, N, X), loss.reshape(K, N, X)

    def moves(self) -> None:
        """Choose between staying and marching for every force still free, largest first.

        The largest forces choose first, so the main army takes the richest prize and
        smaller ones the rest; a force not yet decided counts where it stands, so the
        last force left in a conquest is the one asked to garrison it.  Each force's
        options are weighed only in the runs where it is still free to choose (in a big
        batch that is often a small share of them).
        """
        c = self._move_costs()
        R = self.R
        for f in np.argsort(-np.asarray(self.scn.men0), kind="stable"):
            f = int(f)
            act = self.free[:, f]
            if not self.sit.own[f] or not act.any():
                continue
            ri = np.flatnonzero(act)
            o = self._options(f, ri, c)
            n = np.arange(ri.size)
            q_c = np.argmax(o.move, axis=1)
            best = o.move[n, q_c]
            go_c = np.isfinite(best) & (best > o.stay)
            rest_c = ~go_c & np.isfinite(o.stay)
            go, rest, q = _spread(go_c, ri, R), _spread(rest_c, ri, R), _spread(q_c, ri, R)
            hold, men = _spread(o.keep_stay, ri, R), _spread(o.men, ri, R)
            v = [_spread(x, ri, R) for x in (o.v_gar, o.v_keep, o.v_cov, o.v_gs)]
            self._stay(f, rest, *v, hold, c.gtarget, c.gwin, men)
            comps = _spread(np.stack([o.v_take[n, q_c], o.v_gat[n, q_c]], axis=1), ri, R)
            self._march(f, go, q, comps.T, hold, c.gtarget, c.gwin, men)

    def _move_costs(self) -> _MoveCosts:
        """Return what the movement pass needs that does not depend on the force."""
        sit, rules = self.sit, self.scn.rules
        weeks = self.T / 7.0
        gdest, gval, gtarget, gwin = self._gather()
        forage = np.asarray(self.scn.terrain_forage)[self.scn.terrain]
        hungry = (sit.supply_d > rules.supply.range_days) * (1.0 - forage)[None, :]
        wear = np.asarray(self.scn.terrain_attrition)[self.scn.terrain] * weeks * 2.0
        return _MoveCosts(
            gdest=gdest,
            gval=gval,
            gtarget=gtarget,
            gwin=gwin,
            hungry=hungry * rules.supply.out_of_supply * weeks * 2.0,
            wear=wear,
            stay_post=np.where(self._dug_in(), Posture.PREPARED, Posture.HASTY),
            # Land to take or cover: no enemy seen there, and none believed to be there.
            open_land=~self.foe_any & ~(self.ghost_here & ~self.own_held),
        )

    def _options(self, f: int, ri: I64, c: _MoveCosts) -> _Options:
        """Return what force ``f`` would achieve by marching to each province or staying.

        Marching: taking or covering the place (the change in the chance of keeping it),
        the men an outcome needs there, support to men already threatened there, and
        gathering for a strike; less the risk of losses there, hunger and the country's
        attrition, and a little for the time it takes.  Staying: the same for where it
        stands, plus holding down a hostile conquest.

        Only for the runs ``ri`` (where the force is free to choose): every array of the
        answer has one row per run of ``ri``.  The chance of keeping a place is worked out
        only where it is read: marching to the places the force may legally go, and
        staying where it stands.
        """
        sit, p = self.sit, self.pers
        places = np.arange(self.P)[None, :]
        n = np.arange(ri.size)
        mf = sit.men[ri, f]
        here = sit.here[ri, f]
        at = n, here
        stands = sit.stands[ri, f]
        base = self.proj[ri]
        base[at] -= mf
        with_f = base + mf[:, None]
        log_eff = np.log(np.maximum(sit.eff[ri, f], 1e-6))[:, None]
        lead = sit.lead[ri, f][:, None]
        legal = self.mt[ri, f, :] & sit.clear[ri, f, :]
        is_here = places == here[:, None]
        legal &= ~(stands[:, None] & is_here)
        # Marching there, what is left there without it, and staying where it stands.
        post = np.stack(
            np.broadcast_arrays(Posture.MEETING, Posture.HASTY, c.stay_post[ri]), dtype=np.int64
        )
        (keep_go, keep_base, keep_stay), (lost_go, lost_base, lost_stay) = self._keep(
            np.stack([with_f, base, with_f]),
            log_eff,
            lead,
            post,
            rows=ri,
            need=np.stack([legal, legal | is_here, is_here]),
        )
        keep_stay, lost_stay = keep_stay[at], lost_stay[at]
        worth = self.worth[0]  # the same in every run
        open_land = c.open_land[ri]
        eta = sit.eta[ri, f, :]
        disc = DISCOUNT ** (np.maximum(np.ceil(eta / self.T), 1.0) - 1.0)
        crossed = (with_f >= self.need_men) & (base < self.need_men)  # a forces_in condition
        take = np.where(open_land, worth * (keep_go - keep_base) * disc, 0.0)
        take += np.where(open_land, 0.5 * worth * keep_go * disc * crossed, 0.0)
        take += self.k_lose * base * np.maximum(lost_base - lost_go, 0.0)  # mutual support
        gdest, gval = c.gdest[ri, f], c.gval[ri, f]
        v_gat = np.where(places == gdest[:, None], gval[:, None], 0.0)
        wear = self.k_lose * mf[:, None] * (c.hungry[ri] * sit.st.supply_need[f] + c.wear[None, :])
        dest_now = sit.obs.dest[ri, f]
        persist = np.where(places == dest_now[:, None], 0.05 * self.scale, 0.0)
        risk = self.k_lose * mf[:, None] * lost_go
        tcost = 0.01 * self.scale * eta / self.T
        move = np.where(legal, take + v_gat - risk - wear - tcost + persist, -np.inf)
        held = self.own_held[ri, here]
        v_keep = np.where(held, 0.5 * worth[here] * keep_stay * crossed[at], 0.0)
        g0 = base[at]
        gneed = self.garrison_need[here]
        ge = self.scn.rules.resistance.garrison_effect
        v_gar = np.where(
            self.hostile[here] & held,
            p.garrison
            * worth[here]
            * self.protect[here]
            * (np.exp(-ge * g0 / gneed) - np.exp(-ge * (g0 + mf) / gneed)),
            0.0,
        )
        v_cov = np.where(open_land[at], worth[here] * (keep_stay - keep_base[at]), 0.0)
        v_cov += self.k_lose * g0 * np.maximum(lost_base[at] - lost_stay, 0.0)
        v_gs = np.where(gdest == here, gval, 0.0)
        rest = v_gar + v_keep + v_cov + v_gs - self.k_lose * mf * lost_stay - wear[at]
        stay = np.where(stands, rest + np.where(dest_now < 0, 1e-3, 0.0), -np.inf)
        if p.noise > 0:
            z = rng.normal(rng.derive(self.keys[ri, None], 11, f, np.arange(self.P + 1)[None, :]))
            move = move + p.noise * self.scale * z[:, : self.P]
            stay = stay + p.noise * self.scale * z[:, self.P]
        return _Options(move, stay, take, v_gat, v_gar, v_keep, v_cov, v_gs, keep_stay, mf)

    def _stay(
        self,
        f: int,
        rest: B,
        v_gar: F64,
        v_keep: F64,
        v_cov: F64,
        v_gs: F64,
        hold: F64,
        gtarget: I64,
        gwin: F64,
        men: F64,
    ) -> None:
        """Keep force ``f`` where it stands in the runs of ``rest``, saying why."""
        if not rest.any():
            return
        sit = self.sit
        here = sit.here[:, f]
        eps = 1e-3 * self.scale  # below this a reason is rounding, not a reason
        keep = rest & (v_keep > eps) & (v_keep >= v_gar) & (v_keep >= v_cov) & (v_keep >= v_gs)
        garrison = rest & ~keep & (v_gar > eps) & (v_gar >= v_cov) & (v_gar >= v_gs)
        self.kind[:, f] = np.where(
            garrison, OrderKind.GARRISON, np.where(rest, OrderKind.HOLD, self.kind[:, f])
        )
        self.target[rest, f] = NONE
        self.free[rest, f] = False
        if not self.notes.recording:  # the rest only says why (rollouts need no reasons)
            return
        cover = rest & ~keep & ~garrison & (v_cov > eps) & (v_cov >= v_gs)
        gather = rest & ~keep & ~garrison & ~cover & (v_gs > eps)
        idle = rest & ~keep & ~garrison & ~cover & ~gather
        col = np.zeros((self.R, self.F), bool)
        col[:, f] = True
        foe_here = self.threat_men[self.rows, here]
        h = here[:, None]
        self.notes.set(col & garrison[:, None], Reason.GARRISON, place=h, men=men[:, None])
        self.notes.set(
            col & keep[:, None],
            Reason.KEEP,
            place=h,
            men=self.proj[self.rows, here][:, None],
            value=sit.st.need_men[sit.side][here][:, None],
        )
        self.notes.set(
            col & cover[:, None], Reason.COVER, place=h, p_win=hold[:, None], foe=foe_here[:, None]
        )
        self.notes.set(
            col & gather[:, None],
            Reason.GATHER,
            place=h,
            other=gtarget[:, None],
            p_win=gwin[:, None],
            men=self.proj[self.rows, here][:, None],
        )
        self.notes.set(col & idle[:, None], Reason.HOLD, place=h)

    def _march(
        self,
        f: int,
        go: B,
        q: I64,
        comps: F64,
        hold_here: F64,
        gtarget: I64,
        gwin: F64,
        men: F64,
    ) -> None:
        """March force ``f`` to ``q`` in the runs of ``go``, saying why."""
        if not go.any():
            return
        sit = self.sit
        col = np.zeros((self.R, self.F), bool)
        col[:, f] = True
        mask = col & go[:, None]
        self.kind[go, f] = OrderKind.MARCH
        self.target[go, f] = q[go]
        self.free[go, f] = False
        dest = np.broadcast_to(q[:, None], (self.R, self.F))
        self._move_men(mask, np.ascontiguousarray(dest))
        if not self.notes.recording:  # the rest only says why (rollouts need no reasons)
            return
        why = np.argmax(comps, axis=0)
        useful = comps.max(axis=0) > 1e-3 * self.scale
        here = sit.here[:, f]
        qq = q[:, None]
        theirs = ~self.own_held[self.rows, q]
        cap = go & useful & (why == 0) & theirs
        rei = go & useful & (why == 0) & ~theirs
        gat = go & useful & (why == 1)
        esc = go & ~useful
        near = self.threat_men[self.rows, q][:, None]
        self.notes.set(
            col & cap[:, None],
            Reason.CAPTURE,
            place=qq,
            foe=near,
            value=self.worth[self.rows, q][:, None],
        )
        self.notes.set(col & rei[:, None], Reason.REINFORCE, place=qq, foe=near)
        self.notes.set(
            col & gat[:, None],
            Reason.GATHER,
            place=qq,
            other=gtarget[:, None],
            p_win=gwin[:, None],
            men=self.proj[self.rows, q][:, None],
        )
        self.notes.set(
            col & esc[:, None],
            Reason.ESCAPE,
            place=qq,
            other=here[:, None],
            p_win=hold_here[:, None],
            foe=self.threat_men[self.rows, here][:, None],
        )

    # ------------------------------------------------------------------ 5. peace
    def sue(self) -> npt.NDArray[np.bool_]:
        """Return ``[R]``: runs in which the side sues for peace.

        A side whose will is spent sues while a treaty would not yet name the enemy
        winner (status quo ante: its losses are returned) or when it is about to collapse
        anyway.  A side that a treaty signed now would name winner sues to have one
        confirm it only when talks would end the war soon (they are short, at most
        :data:`SHORT_TALKS` turns with the quiet ones, or the war is nearly over): a lead
        must be held through every turn of talking, and long talks let it slip away.
        """
        sit, p = self.sit, self.pers
        spent = sit.will < p.peace_will
        lost = spent & ((self.winner != sit.enemy) | (sit.will < 0.5 * p.peace_will))
        peace = self.scn.model.victory.peace
        talks = peace.talks_turns + peace.quiet_turns
        left = self.scn.n_turns - sit.obs.turn
        soon = (talks <= SHORT_TALKS) or (left <= talks + SHORT_TALKS)
        ahead = (self.winner == sit.side) & soon
        closed = sit.obs.talks < 0
        self.sue_why = np.where(ahead, 2, np.where(lost, 1, 0))
        return (lost | ahead) & closed & ~sit.obs.over

    # ------------------------------------------------------------------ the whole turn
    def blunders(self) -> None:
        """At easy difficulty, replace some forces' orders by random legal ones."""
        if self.pers.blunder <= 0:
            return
        u = rng.uniform(rng.derive(self.keys[:, None], 13, np.arange(self.F)[None, :]))
        hit = self.sit.able & (u < self.pers.blunder)
        if not hit.any():
            return
        wild = random_orders(self.scn, self.sit.obs, rng.derive(self.keys, 17))
        self.kind = np.where(hit, wild.kind, self.kind).astype(np.int16)
        self.target = np.where(hit, wild.target, self.target).astype(np.int16)
        self.notes.set(hit, Reason.BLUNDER, place=wild.target, p_win=np.nan, killed=np.nan)

    def run(self) -> Thought:
        """Run every pass and return the orders with their reasons."""
        self.attacks()
        self.attacks(irregular_only=True)
        self.contact()
        self.moves()
        self.blunders()
        own = self.sit.own[None, :] & self.sit.able
        sue = np.zeros((self.R, self.scn.S), bool)
        sue[:, self.sit.side] = self.sue()
        orders = Orders(
            kind=np.where(own, self.kind, NO_ORDER).astype(np.int8),
            target=np.where(own, self.target, NONE).astype(np.int16),
            sue=sue,
        )
        peace = np.where(sue[:, self.sit.side], self.sue_why, 0).astype(np.int8)
        return Thought(orders, self.notes, peace, self.outcome)
