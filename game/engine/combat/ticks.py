"""The fighting, compiled: every battle of a block fought half an hour at a time to its end.

One call fights a whole block, battle after battle, in machine code: each tick draws the
battle's casualty dice, lets commanders fall and sides break; a battle unbroken at
nightfall resumes next morning or ends as a draw; then the loser suffers the pursuit and
a beaten commander may be lost in the rout.  Every random number is a pure function of
the battle's key and a fixed draw index (:data:`~game.engine.combat.draws.C_TICK` and the
others), so a battle gives the same result alone, in any batch and in any block.

Two exact shortcuts keep it short: the per-tick hazard of a commander's death,
``1 - exp(-kappa * x * C_t / N0)``, compounds to ``exp(-kappa * x * sum(C_t) / N0)``, so
one Exp(1) threshold per commander against ``kappa * x * (cumulative loss fraction)`` is
the same process; and the collapse hazard is likewise one Exp(1) threshold per side
against its integrated hazard.  Casualties are whole men: losses in the fighting are split
by ``killed_share`` and ``captured_share`` (the rest wounded), pursuit losses by
``pursuit_killed_share`` and ``pursuit_captured_share``; the killed are rounded first,
the captured get at most what remains and the wounded the rest, so every count is exact
and men are conserved.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from game.engine import jit
from game.engine.combat.draws import (
    C_BREAKPOINT,
    C_COLLAPSE,
    C_COMMANDER,
    C_DAY,
    C_FORTUNE,
    C_PURSUIT,
    C_ROUT,
    C_TICK,
    POISSON_EXACT_BELOW,
    poisson_one,
)
from game.engine.combat.params import CombatParams

NEVER: Final = 2.0
"""A loss-fraction threshold that is never reached (fractions cannot pass 1)."""
BROKEN: Final = 1.0 + 2.0**-20
"""Stress given to a side that collapsed or was annihilated: just past its breakpoint."""
MAX_PURSUIT: Final = 0.9
"""Largest share of a beaten side's remaining men that the pursuit can take."""
TWO_PI: Final = 2.0 * np.pi


def packed(p: CombatParams) -> tuple[float, ...]:
    """Return the numbers :func:`fight_block` reads, in its order."""
    keep = 1.0 - p.shock if p.shock < 1.0 else 1e-12
    return (
        p.k0 * p.dt,
        p.g_size,
        p.sigma_phi,
        p.b0,
        p.sigma_b,
        p.kappa,
        p.exchange_cap,
        p.w,
        p.fire_cap,
        p.gamma,
        p.h0 * p.dt,
        keep,
        float(p.ticks_per_day),
        float(p.max_days),
        p.dt,
        p.p_continue,
        p.theta_leadership,
        p.pi0_att,
        p.pi0_def,
        p.sigma_pi,
        p.capture_cap,
        p.pursuit_cap,
        p.pursuit_killed_share,
        p.pursuit_captured_share,
        p.killed_share,
        p.captured_share,
        p.rho,
    )


@jit.kernel
def _normals(key, counter):
    """Return the two normals of draw ``counter`` of a battle's stream (Box-Muller)."""
    b = jit.counter_bits(key, counter)
    r = np.sqrt(-2.0 * np.log(jit.uniform_hi(b)))
    t = TWO_PI * jit.uniform_lo(b)
    return r * np.cos(t), r * np.sin(t)


@jit.kernel
def _exponentials(key, counter):
    """Return two Exp(1) draws from draw ``counter`` of a battle's stream."""
    b = jit.counter_bits(key, counter)
    return -np.log(jit.uniform_hi(b)), -np.log(jit.uniform_lo(b))


@jit.kernel
def _threshold(e1, rate):
    """Return the loss fraction at which a commander falls, ``Exp(1) / (kappa * x)``.

    Capped at :data:`NEVER`: a loss fraction never exceeds 1, so any larger threshold
    means the same (he survives the fighting).
    """
    return e1 / rate if rate * NEVER > e1 else NEVER


@jit.kernel
def _split(total, share, other):
    """Split whole casualties into (killed, wounded, captured) by rounding the shares.

    The killed are rounded first and the captured get at most what remains, so the three
    always add up exactly to ``total`` whatever the shares.
    """
    killed = min(np.floor(total * share + 0.5), total)
    captured = min(np.floor(total * other + 0.5), total - killed)
    return killed, total - killed - captured, captured


@jit.kernel
def fight_block(inp, log_e, p, out):
    """Fight every battle of a block and write its result into ``out``.

    ``inp`` is ``(att_men, def_men, att_exposure, def_exposure, att_leadership,
    def_leadership, att_cavalry, def_cavalry, keys)``; ``log_e`` the two sides' log
    effectiveness ``[2, n]`` before fortune; ``p`` :func:`packed` parameters; ``out``
    ``(winner, killed[2, n], wounded[2, n], captured[2, n], hours, days, cmd_killed[2, n],
    cmd_captured[2, n])``.
    """
    att_men, def_men, att_exp, def_exp, att_lead, def_lead, att_cav, def_cav, keys = inp
    winner, killed, wounded, captured, hours, days, cmd_killed, cmd_captured = out
    (k0dt, g_size, sigma_phi, b0, sigma_b, kappa, x_cap, w, fire_cap, gamma) = p[:10]
    (h0dt, keep, tpd_f, max_days_f, dt, p_continue, theta_l) = p[10:17]
    (pi0_att, pi0_def, sigma_pi, capture_cap, pursuit_cap, pk_share, pc_share) = p[17:24]
    killed_share, captured_share, rho = p[24], p[25], p[26]
    tpd = int(tpd_f)
    max_days = int(max_days_f)
    men0 = np.empty(2)
    n_ = np.empty(2)
    ke = np.empty(2)
    ib = np.empty(2)
    th = np.empty(2)
    g = np.empty(2)
    i0 = np.empty(2)
    mf = np.empty(2)
    lead = np.empty(2)
    fell = np.empty(2, np.bool_)
    lam = np.empty(2)
    u = np.empty(2)
    z = np.empty(2)
    stress = np.empty(2)
    for b in range(keys.shape[0]):
        key = keys[b]
        men0[0] = np.floor(att_men[b])
        men0[1] = np.floor(def_men[b])
        lead[0] = theta_l * att_lead[b]
        lead[1] = theta_l * def_lead[b]
        fell[0] = False
        fell[1] = False
        n_[0] = men0[0]
        n_[1] = men0[1]
        result = 0
        hours_b = 0.0
        days_b = 1
        if men0[0] > 0.0 and men0[1] > 0.0:
            za, zd = _normals(key, C_FORTUNE)
            le_a = log_e[0, b] + sigma_phi * za
            le_d = log_e[1, b] + sigma_phi * zd
            fa = max(men0[0], 1.0)
            fd = max(men0[1], 1.0)
            k = k0dt * (max(men0[0] + men0[1], 1.0) / 10_000.0) ** (-g_size)
            zba, zbd = _normals(key, C_BREAKPOINT)
            xa, xd = _exponentials(key, C_COMMANDER)
            ke[0] = k * np.exp(le_d)
            ke[1] = k * np.exp(le_a)
            ib[0] = np.exp(-sigma_b * zba) / b0
            ib[1] = np.exp(-sigma_b * zbd) / b0
            th[0] = _threshold(xa, kappa * att_exp[b])
            th[1] = _threshold(xd, kappa * def_exp[b])
            g[0], g[1] = _exponentials(key, C_COLLAPSE)
            i0[0] = 1.0 / fa
            i0[1] = 1.0 / fd
            le = le_d - le_a  # ln(e_D / e_A), fortune and leadership included
            lnr = np.log(fd / fa)  # ln(D / A)
            mf[0] = max(np.ceil(men0[0] - x_cap * men0[1]), 0.0)
            mf[1] = max(np.ceil(men0[1] - x_cap * men0[0]), 0.0)
            ended = False
            for day in range(max_days):
                for t in range(day * tpd, (day + 1) * tpd):
                    ratio = np.exp(w * lnr)  # (D / A) ** W
                    lam[0] = min(ke[0] * n_[0] * ratio, ke[0] * n_[1] * fire_cap)
                    lam[1] = min(ke[1] * n_[1] * (1.0 / ratio), ke[1] * n_[0] * fire_cap)
                    # one hash: two uniforms, and (Box-Muller) two normals where a mean
                    # is large enough to be drawn from one
                    bits = jit.counter_bits(key, C_TICK + t)
                    u[0] = jit.uniform_hi(bits)
                    u[1] = jit.uniform_lo(bits)
                    if lam[0] >= POISSON_EXACT_BELOW or lam[1] >= POISSON_EXACT_BELOW:
                        r = np.sqrt(-2.0 * np.log(u[0]))
                        z[0] = r * np.cos(TWO_PI * u[1])
                        z[1] = r * np.sin(TWO_PI * u[1])
                    for s in range(2):
                        lost = min(poisson_one(lam[s], u[s], z[s]), n_[s] - mf[s])
                        n_[s] -= lost
                    for s in range(2):
                        frac = 1.0 - n_[s] * i0[s]
                        if frac > th[s]:  # the commander falls
                            th[s] = NEVER
                            ib[s] /= keep
                            ke[1 - s] *= np.exp(-lead[s])
                            le += lead[s] if s == 0 else -lead[s]
                            lead[s] = 0.0
                            fell[s] = True
                    lnr = np.log(max(n_[1], 1.0) / max(n_[0], 1.0))
                    lp = le + lnr  # ln(P_D / P_A): the power ratio against the attacker
                    power = np.exp(gamma * lp)
                    hazard = np.exp(lp)
                    g[0] -= hazard * h0dt
                    g[1] -= (1.0 / hazard) * h0dt
                    for s in range(2):
                        frac = 1.0 - n_[s] * i0[s]
                        stress[s] = frac * (power if s == 0 else 1.0 / power) * ib[s]
                        if g[s] <= 0.0 or n_[s] <= mf[s]:  # collapsed, or spent
                            stress[s] = max(stress[s], BROKEN)
                    if stress[0] > 1.0 and stress[0] >= stress[1]:
                        result = -1
                    elif stress[1] > 1.0:
                        result = 1
                    if result != 0:
                        hours_b = (t + 1) * dt
                        days_b = day + 1
                        ended = True
                        break
                if ended:
                    break
                hours_b = (day + 1) * tpd * dt
                days_b = day + 1
                if (
                    day < max_days - 1
                    and jit.uniform_hi(jit.counter_bits(key, C_DAY + day)) >= p_continue
                ):
                    break  # nobody broke and they do not resume: a draw
        elif men0[0] > 0.0:
            result = 1  # a side with nobody engaged cannot fight: the other wins unopposed
        elif men0[1] > 0.0:
            result = -1
        winner[b] = result
        hours[b] = hours_b
        days[b] = days_b
        # the pursuit: a share of the loser's men still standing, more against cavalry
        zp, _ = _normals(key, C_PURSUIT)
        loser = 0 if result == -1 else 1
        if result == 0:
            pi = 0.0
        else:
            cav = def_cav[b] if result == -1 else att_cav[b]
            base = (pi0_att if result == -1 else pi0_def) * (1.0 + cav)
            pi = min(base * np.exp(sigma_pi * zp), MAX_PURSUIT)
        pursuers = n_[1 - loser]
        chased = min(np.floor(pi * n_[loser] + 0.5), np.floor(capture_cap * pursuers))
        ck, cw, cc = _split(chased, pk_share, pc_share)
        most = np.floor(pursuit_cap * pursuers)
        if ck + cw > most:  # the pursuers cut down only so many; the rest surrender
            cc += ck + cw - most
            ck = np.floor(ck * most / max(ck + cw, 1.0))
            cw = most - ck
        # a beaten commander still up is cut down or taken with probability rho * pi
        ur = jit.uniform_hi(jit.counter_bits(key, C_ROUT))
        rout = rho * pi
        for s in range(2):
            k_, w_, c_ = _split(men0[s] - n_[s], killed_share, captured_share)
            beaten = result != 0 and s == loser
            if beaten:
                k_ += ck
                w_ += cw
                c_ += cc
            killed[s, b] = k_
            wounded[s, b] = w_
            captured[s, b] = c_
            exposure = att_exp[b] if s == 0 else def_exp[b]
            routed = beaten and exposure > 0.0 and men0[s] > 0.0 and not fell[s]
            cmd_killed[s, b] = fell[s] or (routed and ur < 0.5 * rout)
            cmd_captured[s, b] = routed and 0.5 * rout <= ur < rout
