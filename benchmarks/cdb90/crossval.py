"""Cross-validated odds: the resolver's chance of the attacker winning, scored out of fold.

The 239 battles are dealt into ``k`` folds at random (keyed, so always the same deal).
For each fold, everything fitted to the record that carries the codes' effects or the
odds' calibration is fitted on the other folds only, and the fold's battles are then
predicted:

* **the effects of the codes** (:mod:`cdb90.theta_fit`): ``theta_leadership``,
  ``theta_training``, ``theta_morale``, ``theta_surprise`` and ``theta_ce``, by maximum
  likelihood of who won the training battles;
* **the model with HERO's codes**: each battle replayed with its strengths, posture,
  surprise, cavalry and codes (:func:`~cdb90.samples.replay_input`) through the fold's
  effects;
* **the model with numbers only** (strengths, posture and surprise; cavalry, which
  decides only the pursuit): every rating unknown and drawn from the prior fitted on
  the training folds with the fold's effects (:func:`~cdb90.prior_fit.fit_prior`: the
  regression of the codes and the attacker's edge ``delta``), as ``ingavi battle`` does;
* **the constant**: the training folds' share of attacker wins, for every battle;
* **the force-ratio logistic**: ``logit P = a + b ln(force ratio)`` fitted on the
  training folds by maximum likelihood.

Not refitted per fold: the rest of the resolver (attrition, break-points, fortune,
pursuit, duration, posture; set once on all 239 battles to the casualty, duration and
outcome figures of section A) and the unobserved quality spread
:data:`~cdb90.samples.QUALITY_SD` (judgement).

The outcome is 1 if the attacker won, 0 otherwise (a draw is not an attacker's win).
The model's chance is ``(wins + 0.5) / (samples + 1)``, so that no finite sample gives
a certainty.  Scores: the Brier score (mean squared error) and the log loss (mean
negative log-likelihood, natural logarithm); lower is better.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from cdb90.measures import logit_fit
from cdb90.prior_fit import DELTA_SAMPLES, fit_codes, fit_prior
from cdb90.ratios import band_masks
from cdb90.records import HistoricalBattles
from cdb90.samples import THETA_CE, calculator_input, replay_input
from cdb90.theta_fit import (
    RESPONSE_SAMPLES,
    THETAS,
    fit_thetas,
    hero_codes,
    response,
    with_thetas,
)
from game import rng
from game.engine.combat import CombatParams, resolve
from game.engine.combat.odds import sample
from game.engine.combat.prior import BOTH

F64 = npt.NDArray[np.float64]

FOLDS: Final = 10
"""Folds of the cross-validation."""
SAMPLES: Final = 400
"""Resolutions of each battle for its predicted chance."""
START: Final = 0.5
"""Where the fit of each effect starts (a neutral value, not the defaults: those were set
on all the battles)."""


def folds(n: int, k: int, seed: int) -> npt.NDArray[np.int64]:
    """Return the fold (0..k-1) of each of ``n`` battles: a keyed shuffle dealt in turn."""
    order = np.argsort(rng.uniform(rng.root_key(seed, rng.Stream.TEST, 11), np.arange(n)))
    out = np.empty(n, np.int64)
    out[order] = np.arange(n) % k
    return out


def _chance(wins: F64, samples: int) -> F64:
    return (wins + 0.5) / (samples + 1.0)


def with_codes(
    b: HistoricalBattles,
    params: CombatParams,
    samples: int,
    seed: int,
    theta_ce: float = THETA_CE,
) -> F64:
    """Return each battle's chance of an attacker's win, replayed with HERO's codes."""
    res = resolve(replay_input(b, samples, seed, theta_ce), params)
    wins = (res.winner == 1).reshape(samples, len(b)).sum(axis=0)
    return _chance(wins.astype(np.float64), samples)


def numbers_only(
    test: HistoricalBattles,
    train: HistoricalBattles,
    params: CombatParams,
    samples: int,
    seed: int,
    prior_samples: int = DELTA_SAMPLES,
    theta_ce: float = THETA_CE,
) -> tuple[F64, float]:
    """Return each test battle's chance, ratings unknown, with the prior fitted on ``train``.

    Also returns the prior's ``delta`` (the attacker's edge beyond the codes).
    """
    prior = fit_prior(train, params, theta_ce=theta_ce, samples=prior_samples, seed=seed)
    _, res = sample(calculator_input(test), params, samples, seed + 1, unknown=BOTH, prior=prior)
    wins = (res.winner == 1).reshape(len(test), samples).sum(axis=1)
    delta = prior.mean[0][3] - fit_codes(train, theta_ce).mean[0][3]
    return _chance(wins.astype(np.float64), samples), delta


def brier(p: F64, y: F64) -> float:
    """Return the mean squared error of the chances ``p`` of outcomes ``y``."""
    return float(np.mean((p - y) ** 2))


def log_loss(p: F64, y: F64) -> float:
    """Return the mean negative log-likelihood of outcomes ``y`` under chances ``p``."""
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def predictions(
    b: HistoricalBattles,
    params: CombatParams,
    *,
    k: int = FOLDS,
    samples: int = SAMPLES,
    seed: int = 0,
    prior_samples: int = DELTA_SAMPLES,
    response_samples: int = RESPONSE_SAMPLES,
) -> tuple[dict[str, F64], dict[str, F64]]:
    """Return every battle's out-of-fold chance of an attacker's win under each predictor.

    Also returns what was fitted on each fold's training battles: one value per fold
    of each effect of :data:`~cdb90.theta_fit.THETAS` and of the prior's ``delta``.
    """
    fold = folds(len(b), k, seed)
    y = (b.winner == 1).astype(np.float64)
    codes = hero_codes(b)
    # Each battle's response to the effects: its inputs only, never its outcome.
    table = response(b, params, response_samples, seed)
    start = np.full(len(THETAS), START)
    out = {
        name: np.zeros(len(b))
        for name in ("model", "model_numbers_only", "constant", "ratio_logistic")
    }
    fitted = {name: np.zeros(k) for name in (*THETAS, "delta")}
    for f in range(k):
        test, train = np.flatnonzero(fold == f), np.flatnonzero(fold != f)
        tb, rb = b.take(test), b.take(train)
        out["constant"][test] = y[train].mean()
        a, slope = logit_fit(rb.log_ratio, y[train], np.ones(train.size))
        out["ratio_logistic"][test] = 1.0 / (1.0 + np.exp(-(a + slope * tb.log_ratio)))
        theta = fit_thetas(codes[train], y[train], table[train], start)
        fold_params, theta_ce = with_thetas(params, theta)
        out["model"][test] = with_codes(tb, fold_params, samples, seed + 100 * f, theta_ce)
        out["model_numbers_only"][test], delta = numbers_only(
            tb, rb, fold_params, samples, seed + 100 * f + 50, prior_samples, theta_ce
        )
        for name, value in zip(THETAS, theta, strict=True):
            fitted[name][f] = value
        fitted["delta"][f] = delta
    return out, fitted


def cross_validate(
    b: HistoricalBattles,
    params: CombatParams,
    *,
    k: int = FOLDS,
    samples: int = SAMPLES,
    seed: int = 0,
    prior_samples: int = DELTA_SAMPLES,
    response_samples: int = RESPONSE_SAMPLES,
) -> dict[str, float]:
    """Return the out-of-fold Brier scores and log losses (the ``cv_*`` figures).

    Keys ``cv_brier_model``, ``cv_brier_constant``, ``cv_brier_ratio_logistic`` and the
    same with ``logloss``; each again with ``_numbers_only`` for the model that knows
    only strengths, posture and surprise (the baselines are the same in both cases).
    ``cv_fitted_<name>_min``, ``_mean`` and ``_max`` give the range over the folds of
    each effect refitted per fold and of the prior's ``delta``; ``cv_band_<band>`` the
    mean out-of-fold chance, numbers only, of the battles in each ratio band of
    :data:`~cdb90.ratios.BANDS`.  ``prior_samples`` resolutions of each training battle
    fit ``delta``, ``response_samples`` at each offset the effects.
    """
    p, fitted = predictions(
        b,
        params,
        k=k,
        samples=samples,
        seed=seed,
        prior_samples=prior_samples,
        response_samples=response_samples,
    )
    y = (b.winner == 1).astype(np.float64)
    out: dict[str, float] = {}
    for suffix, model in (("", "model"), ("_numbers_only", "model_numbers_only")):
        for score, fn in (("brier", brier), ("logloss", log_loss)):
            out[f"cv_{score}_model{suffix}"] = fn(p[model], y)
            out[f"cv_{score}_constant{suffix}"] = fn(p["constant"], y)
            out[f"cv_{score}_ratio_logistic{suffix}"] = fn(p["ratio_logistic"], y)
    for name, values in fitted.items():
        out[f"cv_fitted_{name}_min"] = float(values.min())
        out[f"cv_fitted_{name}_mean"] = float(values.mean())
        out[f"cv_fitted_{name}_max"] = float(values.max())
    for band, inside in band_masks(b).items():
        out[f"cv_band_{band}"] = 100.0 * float(np.mean(p["model_numbers_only"][inside]))
    out["cv_folds"] = float(k)
    out["cv_samples"] = float(samples)
    return out


def shipped_scores(
    b: HistoricalBattles, params: CombatParams, samples: int = SAMPLES, seed: int = 0
) -> dict[str, float]:
    """Return the scores of the resolver as it ships, in sample (for comparison only).

    The game's own effects of the codes (``params`` and :data:`~cdb90.samples.THETA_CE`)
    and, with numbers only, the prior of the engine
    (:data:`~game.engine.combat.prior.RECORD_PRIOR`), both set on all 239 battles, so
    these scores are not evidence; keys ``insample_brier_model`` and so on.
    """
    y = (b.winner == 1).astype(np.float64)
    codes = with_codes(b, params, samples, seed + 7)
    _, res = sample(calculator_input(b), params, samples, seed + 8, unknown=BOTH)
    wins = (res.winner == 1).reshape(len(b), samples).sum(axis=1)
    numbers = _chance(wins.astype(np.float64), samples)
    out: dict[str, float] = {}
    for suffix, p in (("", codes), ("_numbers_only", numbers)):
        out[f"insample_brier_model{suffix}"] = brier(p, y)
        out[f"insample_logloss_model{suffix}"] = log_loss(p, y)
    return out
