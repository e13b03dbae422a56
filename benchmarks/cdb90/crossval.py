"""Cross-validated odds: the resolver's chance of the attacker winning, scored out of fold.

The 239 battles are dealt into ``k`` folds at random (keyed, so always the same deal).
For each fold, everything that is fitted to the record is fitted on the other folds
only, and the fold's battles are then predicted:

* **the model with HERO's codes**: each battle replayed with its strengths, posture,
  surprise, cavalry and codes (:func:`~cdb90.samples.replay_input`).  Nothing of it is
  refitted per fold: the resolver's parameters and the effects of the codes were set
  once on all 239 battles (``docs/combat.md`` says which and how), so these scores are
  in sample for those parameters and are shown for comparison;
* **the model with numbers only** (strengths, posture and surprise; cavalry, which
  decides only the pursuit): every rating unknown and drawn from the prior fitted on
  the training folds (:func:`~cdb90.prior_fit.fit_prior`), as ``ingavi battle`` does;
* **the constant**: the training folds' share of attacker wins, for every battle;
* **the force-ratio logistic**: ``logit P = a + b ln(force ratio)`` fitted on the
  training folds by maximum likelihood.

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
from cdb90.prior_fit import DELTA_SAMPLES, fit_prior
from cdb90.records import HistoricalBattles
from cdb90.samples import calculator_input, replay_input
from game import rng
from game.engine.combat import CombatParams, resolve
from game.engine.combat.odds import sample
from game.engine.combat.prior import BOTH

F64 = npt.NDArray[np.float64]

FOLDS: Final = 10
"""Folds of the cross-validation."""
SAMPLES: Final = 400
"""Resolutions of each battle for its predicted chance."""


def folds(n: int, k: int, seed: int) -> npt.NDArray[np.int64]:
    """Return the fold (0..k-1) of each of ``n`` battles: a keyed shuffle dealt in turn."""
    order = np.argsort(rng.uniform(rng.root_key(seed, rng.Stream.TEST, 11), np.arange(n)))
    out = np.empty(n, np.int64)
    out[order] = np.arange(n) % k
    return out


def _chance(wins: F64, samples: int) -> F64:
    return (wins + 0.5) / (samples + 1.0)


def with_codes(b: HistoricalBattles, params: CombatParams, samples: int, seed: int) -> F64:
    """Return each battle's chance of an attacker's win, replayed with HERO's codes."""
    res = resolve(replay_input(b, samples, seed), params)
    wins = (res.winner == 1).reshape(samples, len(b)).sum(axis=0)
    return _chance(wins.astype(np.float64), samples)


def numbers_only(
    test: HistoricalBattles,
    train: HistoricalBattles,
    params: CombatParams,
    samples: int,
    seed: int,
    prior_samples: int = DELTA_SAMPLES,
) -> F64:
    """Return each test battle's chance, ratings unknown, with the prior fitted on ``train``."""
    prior = fit_prior(train, params, samples=prior_samples, seed=seed)
    _, res = sample(calculator_input(test), params, samples, seed + 1, unknown=BOTH, prior=prior)
    wins = (res.winner == 1).reshape(len(test), samples).sum(axis=1)
    return _chance(wins.astype(np.float64), samples)


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
) -> dict[str, F64]:
    """Return every battle's out-of-fold chance of an attacker's win under each predictor."""
    fold = folds(len(b), k, seed)
    y = (b.winner == 1).astype(np.float64)
    out = {
        name: np.zeros(len(b))
        for name in ("model", "model_numbers_only", "constant", "ratio_logistic")
    }
    for f in range(k):
        test, train = np.flatnonzero(fold == f), np.flatnonzero(fold != f)
        tb, rb = b.take(test), b.take(train)
        out["constant"][test] = y[train].mean()
        a, slope = logit_fit(rb.log_ratio, y[train], np.ones(train.size))
        out["ratio_logistic"][test] = 1.0 / (1.0 + np.exp(-(a + slope * tb.log_ratio)))
        out["model"][test] = with_codes(tb, params, samples, seed + 100 * f)
        out["model_numbers_only"][test] = numbers_only(
            tb, rb, params, samples, seed + 100 * f + 50, prior_samples
        )
    return out


def cross_validate(
    b: HistoricalBattles,
    params: CombatParams,
    *,
    k: int = FOLDS,
    samples: int = SAMPLES,
    seed: int = 0,
    prior_samples: int = DELTA_SAMPLES,
) -> dict[str, float]:
    """Return the out-of-fold Brier scores and log losses (the ``cv_*`` figures).

    Keys ``cv_brier_model``, ``cv_brier_constant``, ``cv_brier_ratio_logistic`` and the
    same with ``logloss``; each again with ``_numbers_only`` for the model that knows
    only strengths, posture and surprise (the baselines are the same in both cases).
    ``prior_samples`` resolutions of each training battle fit the attacker's edge.
    """
    p = predictions(b, params, k=k, samples=samples, seed=seed, prior_samples=prior_samples)
    y = (b.winner == 1).astype(np.float64)
    out: dict[str, float] = {}
    for suffix, model in (("", "model"), ("_numbers_only", "model_numbers_only")):
        for score, fn in (("brier", brier), ("logloss", log_loss)):
            out[f"cv_{score}_model{suffix}"] = fn(p[model], y)
            out[f"cv_{score}_constant{suffix}"] = fn(p["constant"], y)
            out[f"cv_{score}_ratio_logistic{suffix}"] = fn(p["ratio_logistic"], y)
    out["cv_folds"] = float(k)
    out["cv_samples"] = float(samples)
    return out
