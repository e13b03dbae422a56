"""The statistics compared with history: of a set of battles, and of controlled experiments."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from cdb90.samples import Sample, result_sample
from game import rng
from game.codes import Posture
from game.engine.combat import BattleInput, CombatParams, resolve

F64 = npt.NDArray[np.float64]

SMALL_BATTLE: Final = 25_000
"""Both sides at most this strong: the battles closest to Ingavi's scale."""


def _pct(x: npt.ArrayLike) -> float:
    return 100.0 * float(np.mean(x)) if np.size(x) else float("nan")


def _q(x: F64, q: float) -> float:
    return 100.0 * float(np.quantile(x, q)) if x.size else float("nan")


def exchange_exponent(s: Sample) -> float:
    """Return E, the OLS slope of ln(fractional loss ratio A/D) on ln(D/A).

    Only battles where both sides lost someone count.  E = 2 is Lanchester's square law,
    1 the linear law; pre-1900 battles give about 0.56.
    """
    ok = (s.frac_a > 0) & (s.frac_d > 0)
    x = np.log(s.str_d[ok] / s.str_a[ok])
    y = np.log(s.frac_a[ok] / s.frac_d[ok])
    return float(np.polyfit(x, y, 1)[0])


def loss_rates_per_hour(s: Sample) -> tuple[float, float]:
    """Return median (winner, loser) losses in % of strength per active hour.

    Decisive battles with both sides at most :data:`SMALL_BATTLE` strong and 1-24 known
    active hours, as in the historical table this is compared with.
    """
    ok = (
        (s.winner != 0)
        & (np.maximum(s.str_a, s.str_d) <= SMALL_BATTLE)
        & (s.hours >= 1)
        & (s.hours <= 24)
    )
    att_won = s.winner[ok] == 1
    h = s.hours[ok]
    win = np.where(att_won, s.frac_a[ok], s.frac_d[ok]) / h
    lose = np.where(att_won, s.frac_d[ok], s.frac_a[ok]) / h
    return _q(win, 0.5), _q(lose, 0.5)


def replay_metrics(s: Sample) -> dict[str, float]:
    """Return the statistics of section A (and C, for simulations) of a set of battles."""
    w = s.winner
    dec = w != 0
    att_won = w == 1
    win_f = np.where(att_won, s.frac_a, s.frac_d)[dec]
    lose_f = np.where(att_won, s.frac_d, s.frac_a)[dec]
    r = s.str_a / s.str_d
    unequal = dec & ((r < 1 / 1.05) | (r > 1.05))
    smaller_won = np.where(r < 1, w == 1, w == -1)[unequal]
    higher_lost = np.where(s.frac_a > s.frac_d, w == -1, w == 1)[dec]
    one_day = s.days == 1
    hours_1d = s.hours[one_day & ~np.isnan(s.hours)]
    win_h, lose_h = loss_rates_per_hour(s)
    out = {
        "att_win_pct": _pct(w == 1),
        "draw_pct": _pct(w == 0),
        "winner_median_pct": _q(win_f, 0.5),
        "winner_p75_pct": _q(win_f, 0.75),
        "loser_p25_pct": _q(lose_f, 0.25),
        "loser_median_pct": _q(lose_f, 0.5),
        "loser_p75_pct": _q(lose_f, 0.75),
        "att_median_pct": _q(s.frac_a, 0.5),
        "def_median_pct": _q(s.frac_d, 0.5),
        "smaller_wins_pct": _pct(smaller_won),
        "exchange_exponent": exchange_exponent(s),
        "higher_loss_loses_pct": _pct(higher_lost),
        "one_day_pct": _pct(one_day),
        "one_day_median_hours": float(np.median(hours_1d)) if hours_1d.size else float("nan"),
        "loser_half_lost_pct": _pct(lose_f >= 0.5),
        "winner_pct_per_hour": win_h,
        "loser_pct_per_hour": lose_h,
    }
    if s.cap_a is not None and s.cap_d is not None:
        out["loser_captured_share_pct"] = _captured_share(s, s.cap_a, s.cap_d)
    if s.cmd_a_lost is not None and s.cmd_d_lost is not None:
        won_cmd = np.where(att_won, s.cmd_a_lost, s.cmd_d_lost)[dec]
        lost_cmd = np.where(att_won, s.cmd_d_lost, s.cmd_a_lost)[dec]
        out["winner_commander_lost_pct"] = _pct(won_cmd)
        out["loser_commander_lost_pct"] = _pct(lost_cmd)
    return out


DECISIVE_DEFEAT: Final = 0.5
"""A decisive defeat: the loser lost at least half its men (the record's "annihilated or
routed" tail, 12.5% of pre-1900 losers)."""


def _captured_share(s: Sample, cap_a: F64, cap_d: F64) -> float:
    """Return the mean share of a decisive defeat's losses that were taken prisoner."""
    att_won = s.winner == 1
    lost = np.where(att_won, s.frac_d, s.frac_a)
    taken = np.where(att_won, cap_d, cap_a)
    decisive = (s.winner != 0) & (lost >= DECISIVE_DEFEAT)
    return _pct(taken[decisive] / lost[decisive])


# ---------------------------------------------------------------- conditional behaviour

DEFENDERS: Final = 4_000
"""Defenders in the conditional experiments: a mid-sized army of the war of 1841-42."""

CAVALRY: Final = 0.15
"""Share of horsemen on both sides in the conditional experiments."""

RATIOS: Final = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
"""Attacker-to-defender force ratios over which the logit slope is fitted."""
SIZES: Final = (1_000, 3_000, 10_000, 30_000)
"""Men a side for the size experiments (1-10k: the range the median-length target covers)."""


def _fight(params: CombatParams, samples: int, seed: int, **values: object) -> Sample:
    """Resolve one equal-quality situation ``samples`` times (common random numbers)."""
    keys = rng.derive(rng.root_key(seed, rng.Stream.TEST, 1), np.arange(samples))
    given: dict[str, object] = {
        "att_men": DEFENDERS,
        "def_men": DEFENDERS,
        "att_cavalry": CAVALRY,
        "def_cavalry": CAVALRY,
        **values,
    }
    inp = BattleInput.build(keys=keys, **given)  # type: ignore[arg-type]
    return result_sample(inp, resolve(inp, params))


def logit_fit(x: F64, wins: F64, trials: F64, iterations: int = 50) -> tuple[float, float]:
    """Return ``(a, b)`` of the grouped logistic regression ``logit p = a + b x``.

    Newton-Raphson on the binomial log-likelihood (no scipy in the game's dependencies).
    """
    design = np.column_stack([np.ones_like(x), x])
    beta = np.zeros(2)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        grad = design.T @ (wins - trials * p)
        hess = (design * (trials * p * (1 - p))[:, None]).T @ design
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(beta[0]), float(beta[1])


def conditional_metrics(
    params: CombatParams, samples: int = 20_000, seed: int = 0
) -> dict[str, float]:
    """Return the statistics of section B: equal quality, hasty defence, one change at a time.

    Args:
        params: Combat parameters.
        samples: Battles per situation.
        seed: Seed of the TEST stream.

    Returns:
        Attacker win % at parity, the logit slope of wins on ln(force ratio), the effect
        of a prepared defence, complete surprise and a leadership step, median hours by
        size and the size exponent of hourly loss rates.
    """
    by_ratio = [_fight(params, samples, seed, att_men=r * DEFENDERS) for r in RATIOS]
    p_win = np.array([np.mean(s.winner == 1) for s in by_ratio])
    wins = np.array([np.sum(s.winner == 1) for s in by_ratio], dtype=np.float64)
    decisive = np.array([np.sum(s.winner != 0) for s in by_ratio], dtype=np.float64)
    _, slope = logit_fit(np.log(np.asarray(RATIOS)), wins, decisive)
    p_parity = float(p_win[RATIOS.index(1.0)])

    prepared = _fight(params, samples, seed, posture=int(Posture.PREPARED))
    surprised = _fight(params, samples, seed, surprise=3.0)
    led = _fight(params, samples, seed, att_leadership=1.0)
    p_led = float(np.mean(led.winner == 1))
    # The force ratio that gives the attacker the same chance as one step of leadership.
    equivalent = float(np.exp(np.interp(p_led, p_win, np.log(np.asarray(RATIOS)))))

    out = {
        "att_win_pct_parity": 100.0 * p_parity,
        "logit_slope": slope,
        "prepared_drop_points": 100.0 * (p_parity - float(np.mean(prepared.winner == 1))),
        "surprise_gain_points": 100.0 * (float(np.mean(surprised.winner == 1)) - p_parity),
        "leadership_step_ratio": equivalent,
    }
    out.update(_size_metrics(params, samples, seed))
    return out


def _size_metrics(params: CombatParams, samples: int, seed: int) -> dict[str, float]:
    """Return median hours at each size and the size exponent of hourly loss rates."""
    out: dict[str, float] = {}
    men: list[F64] = []
    rate: list[F64] = []
    for n in SIZES:
        s = _fight(params, samples, seed, att_men=n, def_men=n)
        out[f"median_hours_{n}"] = float(np.median(s.hours))
        for frac in (s.frac_a, s.frac_d):
            ok = (frac > 0) & (s.hours > 0)
            men.append(np.full(int(ok.sum()), float(n)))
            rate.append(frac[ok] / s.hours[ok])
    out["size_exponent_hourly_loss"] = float(
        np.polyfit(np.log(np.concatenate(men)), np.log(np.concatenate(rate)), 1)[0]
    )
    out["hours_large_over_small"] = (
        out[f"median_hours_{SIZES[-1]}"] / out[f"median_hours_{SIZES[0]}"]
    )
    return out
