"""The tick loop: one block of battles fought half an hour at a time until each ends.

The battles of a block are columns of one float32 working array; each tick draws every
battle's casualty dice at once, lets commanders fall and sides break, and the block is
compacted to the battles still being fought once enough have ended.  Two exact
shortcuts keep it fast: the per-tick hazard of a commander's death,
``1 - exp(-kappa * x * C_t / N0)``, compounds to ``exp(-kappa * x * sum(C_t) / N0)``, so
one Exp(1) threshold per commander against ``kappa * x * (cumulative loss fraction)`` is
the same process; and the collapse hazard is likewise one Exp(1) threshold per side
against its integrated hazard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from game.engine.combat.draws import (
    C_BREAKPOINT,
    C_COLLAPSE,
    C_COMMANDER,
    C_DAY,
    C_FORTUNE,
    C_TICK,
    exponential_pair,
    normal_pair,
    poisson,
)
from game.engine.combat.effectiveness import log_effectiveness
from game.engine.combat.inputs import BattleInput
from game.engine.combat.params import CombatParams
from game.rng import counter_bits, to_uniform_pair

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
BoolArr = npt.NDArray[np.bool_]

_COMPACT_SHARE: Final = 4
"""Compact the working arrays once more than 1/4 of the battles in them have ended: each
compaction copies every row, so doing it every tick would cost more than fighting on."""

NEVER: Final = 2.0
"""A loss-fraction threshold that is never reached (fractions cannot pass 1)."""
_BREAK: Final = np.float32(1.0 + 2.0**-20)
"""Stress given to a side that collapsed or was annihilated: just past its breakpoint, by
a margin that float32, the tick loop's precision, still tells from 1."""


# Rows of the float32 working array of the tick loop.  Attacker and defender rows come
# in adjacent pairs (attacker first) so that one numpy call serves both sides.
_N = slice(0, 2)  # men still fighting
_KE = slice(2, 4)  # k * dt * e_opp: expected losses per tick per unit of N_opp**W N**(1-W)
_IB = slice(4, 6)  # 1 / breakpoint
_T = slice(6, 8)  # cumulative loss fraction at which the commander falls (NEVER: cannot)
_G = slice(8, 10)  # collapse hazard still to accumulate before the side collapses
_I0 = slice(10, 12)  # 1 / initial men
_LE = 12  # ln(e_D / e_A), fortune and leadership included
_LNR = 13  # ln(max(D, 1) / max(A, 1))
_MF = slice(14, 16)  # men a side keeps at the least: N0 - exchange_cap * N0_opp, or 0
_ROWS = 16


@dataclass
class FightRecord:
    """Per-battle state of a block, by position in the block (never compacted).

    Leadership and the commanders' fates live here rather than in the working array:
    they change only when a commander falls, so copying them at every compaction
    would be wasted work.
    """

    winner: npt.NDArray[np.int8]
    left: F64  # (2, n): men of each side still standing when the fighting stopped
    hours: F64
    days: I64
    fell: BoolArr  # (2, n): commander fell in the fighting
    lead: F64  # (2, n): theta_L * leadership rating, 0 once the commander has fallen


def _initial_state(inp: BattleInput, p: CombatParams) -> tuple[F32, F64]:
    """Return the working array of a block before the first tick, and the initial men.

    Filled row by row, without stacking temporaries: with a few numbers per battle
    this setup is a fair share of the whole cost of a short battle.
    """
    n = len(inp)
    keys = inp.keys
    men0 = np.empty((2, n))
    np.floor(inp.att_men, out=men0[0])
    np.floor(inp.def_men, out=men0[1])
    log_e = log_effectiveness(inp, p)
    z_att, z_def = normal_pair(keys, C_FORTUNE)
    log_e[0] += p.sigma_phi * z_att.astype(np.float64)
    log_e[1] += p.sigma_phi * z_def.astype(np.float64)
    floor = np.maximum(men0, 1.0)
    total = np.maximum(men0[0] + men0[1], 1.0)
    k = (p.k0 * p.dt) * (total / 10_000.0) ** (-p.g_size)
    zb_att, zb_def = normal_pair(keys, C_BREAKPOINT)
    x_att, x_def = exponential_pair(keys, C_COMMANDER)

    s = np.empty((_ROWS, n), dtype=np.float32)
    s[_N] = men0
    s[_KE] = k * np.exp(log_e[::-1])
    s[_IB] = np.exp(-p.sigma_b * np.stack([zb_att, zb_def]).astype(np.float64)) / p.b0
    s[_T.start] = _fall_threshold(x_att, p.kappa * inp.att_exposure)
    s[_T.start + 1] = _fall_threshold(x_def, p.kappa * inp.def_exposure)
    s[_G.start], s[_G.start + 1] = exponential_pair(keys, C_COLLAPSE)
    np.divide(1.0, floor, out=s[_I0])
    np.subtract(log_e[1], log_e[0], out=s[_LE])
    np.log(floor[1] / floor[0], out=s[_LNR])
    s[_MF] = np.maximum(np.ceil(men0 - p.exchange_cap * men0[::-1]), 0.0)  # whole men
    return s, men0


def _fall_threshold(e1: F64, rate: F64) -> F64:
    """Return the loss fraction at which a commander falls: ``Exp(1) / (kappa * x)``.

    Capped at 2: a loss fraction never exceeds 1, so any larger threshold means the same
    (he survives the fighting), and the cap keeps it finite in float32.
    """
    out = np.full(e1.shape, NEVER)
    np.divide(e1, rate, out=out, where=rate * NEVER > e1)
    return out


def _commanders_fall(s: F32, hit: BoolArr, idx: I64, out: FightRecord, p: CombatParams) -> None:
    """Apply the fall of every commander whose loss threshold has just been passed.

    The side's breakpoint is cut by ``shock`` and its leadership bonus is lost (the
    successor is taken to be an ordinary officer, rating 0): the enemy's loss rate
    falls with the fallen side's effectiveness.  ``idx`` maps working positions to
    block positions, where ``out`` keeps leadership and fates.
    """
    keep = np.float32(1.0 - p.shock if p.shock < 1.0 else 1e-12)
    for side, sign in ((0, 1.0), (1, -1.0)):
        pos = np.flatnonzero(hit[side])
        if pos.size == 0:
            continue
        gid = idx[pos]
        lead = out.lead[side, gid]
        s[_T.start + side, pos] = NEVER
        s[_IB.start + side, pos] /= keep
        s[_KE.start + 1 - side, pos] *= np.exp(-lead)
        s[_LE, pos] += sign * lead
        out.lead[side, gid] = 0.0
        out.fell[side, gid] = True


def _tick(
    s: F32, keys: U64, idx: I64, out: FightRecord, tick: int, p: CombatParams
) -> tuple[BoolArr, BoolArr]:
    """Fight one tick of every battle in ``s``; return who broke, ``(att, def)``.

    One hash per battle gives two uniforms; Box-Muller turns them into two normals.
    Each side's casualties use its own uniform (small means) or its own normal (large
    means), so when both means are large or both small the sides' dice are exactly
    independent; when one is small and the other large they are uncorrelated but not
    independent (the normal's magnitude depends on the other side's uniform), which
    is of no consequence for a casualty count.
    """
    m = keys.size
    u = np.empty((2, m), dtype=np.float32)
    u[0], u[1] = to_uniform_pair(counter_bits(keys, C_TICK + tick))
    z = np.empty((2, m), dtype=np.float32)
    r = np.log(u[0])
    r *= np.float32(-2.0)
    np.sqrt(r, out=r)
    angle = u[1] * np.float32(2.0 * np.pi)
    np.cos(angle, out=z[0])
    np.sin(angle, out=z[1])
    z *= r

    men = s[_N]
    pair = np.empty((2, m), dtype=np.float32)
    np.exp(np.float32(p.w) * s[_LNR], out=pair[0])  # (D / A) ** W
    np.divide(np.float32(1.0), pair[0], out=pair[1])
    lam = s[_KE] * men
    lam *= pair
    cap = s[_KE] * men[::-1]
    cap *= np.float32(p.fire_cap)
    np.minimum(lam, cap, out=lam)
    lost = poisson(lam, u, z)
    np.minimum(lost, men - s[_MF], out=lost)  # never past the exchange cap (nor below 0)
    men -= lost
    frac = men * s[_I0]  # cumulative loss fraction, below
    np.subtract(np.float32(1.0), frac, out=frac)
    hit = frac > s[_T]
    if hit.any():
        _commanders_fall(s, hit, idx, out, p)

    floor = np.maximum(men, np.float32(1.0))
    np.log(floor[1] / floor[0], out=s[_LNR])
    lp = s[_LE] + s[_LNR]  # ln(P_D / P_A): the power ratio against the attacker
    np.exp(np.float32(p.gamma) * lp, out=pair[0])
    np.divide(np.float32(1.0), pair[0], out=pair[1])
    stress = frac * pair
    stress *= s[_IB]
    np.exp(lp, out=pair[0])
    np.divide(np.float32(1.0), pair[0], out=pair[1])
    pair *= np.float32(p.h0 * p.dt)
    s[_G] -= pair
    collapse = s[_G] <= 0.0
    collapse |= men <= s[_MF]  # annihilated, or as many lost as the exchange allows
    bump = collapse.astype(np.float32)  # a masked maximum is ten times slower
    bump *= _BREAK
    np.maximum(stress, bump, out=stress)
    brk_a = stress[0] > 1.0
    brk_a &= stress[0] >= stress[1]
    brk_d = stress[1] > 1.0
    brk_d &= ~brk_a
    return brk_a, brk_d


class _Block:
    """The tick loop of one block of battles, compacting as they end."""

    def __init__(self, inp: BattleInput, p: CombatParams) -> None:
        self.p = p
        n = len(inp)
        self.s, men0 = _initial_state(inp, p)
        self.keys = inp.keys
        self.idx = np.arange(n)
        self.live = np.ones(n, dtype=bool)
        self.n_dead = 0
        self.out = FightRecord(
            winner=np.zeros(n, np.int8),
            left=men0.copy(),
            hours=np.zeros(n),
            days=np.ones(n, np.int64),
            fell=np.zeros((2, n), bool),
            lead=p.theta_leadership * np.stack([inp.att_leadership, inp.def_leadership]),
        )
        empty = (men0 <= 0.0).any(axis=0)
        if empty.any():
            # A side with nobody engaged cannot fight: the other wins unopposed.
            has = men0 > 0.0
            self.out.winner[:] = np.where(has[0], 1, np.where(has[1], -1, 0))
            self._compact(~empty)

    def run(self) -> FightRecord:
        """Fight every day of every battle; return what was recorded as each ended."""
        p = self.p
        tpd = p.ticks_per_day
        for day in range(p.max_days):
            for t in range(day * tpd, (day + 1) * tpd):
                if self.idx.size == 0:
                    return self.out
                brk_a, brk_d = _tick(self.s, self.keys, self.idx, self.out, t, p)
                self._end(brk_a, brk_d, (t + 1) * p.dt, day)
            self._compact(self.live)
            if day < p.max_days - 1 and self.idx.size:
                self._next_morning(day)
        # Still unbroken at the last nightfall: both sides disengage.
        self._record(self.live, None, p.max_days * tpd * p.dt, p.max_days - 1)
        return self.out

    def _end(self, brk_a: BoolArr, brk_d: BoolArr, hours: float, day: int) -> None:
        """Record the battles in which a side broke this tick; compact when enough have."""
        ended = brk_a | brk_d
        ended &= self.live
        if not ended.any():
            return
        self._record(ended, brk_a, hours, day)
        # Ended battles are fought on (unseen) until the next compaction; their
        # commanders must not fall in that phantom fighting.
        self.s[_T, np.flatnonzero(ended)] = NEVER
        self.live &= ~ended
        self.n_dead += int(np.count_nonzero(ended))
        if self.n_dead * _COMPACT_SHARE >= self.idx.size:
            self._compact(self.live)

    def _record(self, mask: BoolArr, att_broke: BoolArr | None, hours: float, day: int) -> None:
        """Store the outcome of the battles at ``mask`` (positions in the working arrays).

        ``att_broke`` tells, for each position, whether it was the attacker who broke;
        None records draws.
        """
        pos = np.flatnonzero(mask)
        gid = self.idx[pos]
        o = self.out
        o.winner[gid] = 0 if att_broke is None else np.where(att_broke[pos], -1, 1)
        o.left[:, gid] = self.s[_N, pos]
        o.hours[gid] = hours
        o.days[gid] = day + 1

    def _compact(self, keep: BoolArr) -> None:
        """Keep only the working columns at ``keep`` (the battles still being fought)."""
        self.s = np.compress(keep, self.s, axis=1)
        self.keys = np.compress(keep, self.keys)
        self.idx = np.compress(keep, self.idx)
        self.live = np.ones(self.idx.size, dtype=bool)
        self.n_dead = 0

    def _next_morning(self, day: int) -> None:
        """End as draws the unbroken battles that do not resume; the rest fight on."""
        hours = (day + 1) * self.p.ticks_per_day * self.p.dt
        u, _ = to_uniform_pair(counter_bits(self.keys, C_DAY + day))
        stop = u >= self.p.p_continue
        if stop.any():
            self._record(stop, None, hours, day)
            self._compact(~stop)


def fight(inp: BattleInput, p: CombatParams) -> FightRecord:
    """Fight a block of battles to their end (before any pursuit); return the record."""
    return _Block(inp, p).run()
