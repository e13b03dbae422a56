"""Fitting the prior of unknown ratings to the record of who attacked whom.

:data:`game.engine.combat.prior.RECORD_PRIOR` is :func:`fit_prior` applied to all 239
battles; the cross-validation (:mod:`cdb90.crossval`) applies it to each fold's training
battles.  Two steps:

1. **HERO's codes.**  For each battle, the attacker's judged advantage in leadership,
   training, morale and (times :data:`~cdb90.samples.THETA_CE`) combat effectiveness,
   regressed by least squares on ``1``, ``ln(force ratio)`` and surprise; the
   covariance of the residuals is the spread about that mean.  This is the selection
   effect the codes record: attackers were the better side, and the more so the more
   they were outnumbered (combat effectiveness falls 0.24 steps per unit of ln ratio).
2. **The attacker's edge beyond the codes** (``delta``, on log quality): the resolver
   with the codes alone still gives attackers fewer wins than they had, so ``delta`` is
   set, by bisection, to the value at which the mean predicted chance of the attacker
   winning over the battles, ratings unknown, equals how often attackers won there.
   It is fitted to that one figure, which the cross-validation therefore never scores
   in sample.
"""

from __future__ import annotations

import dataclasses
from typing import Final

import numpy as np
import numpy.typing as npt

from cdb90.records import HistoricalBattles
from cdb90.samples import QUALITY_SD, THETA_CE, calculator_input
from game.engine.combat import CombatParams
from game.engine.combat.odds import sample
from game.engine.combat.prior import BOTH, RatingsPrior

F64 = npt.NDArray[np.float64]

RATIO_QUANTILES: Final = (0.05, 0.95)
"""The prior follows the force ratio over the central 90% of the record's ratios and is
held at its value at the nearer end beyond (a dozen battles lie outside each end: too
few for the slope to be trusted further)."""

DELTA_SAMPLES: Final = 200
"""Resolutions of each battle per step of the bisection for ``delta``."""
DELTA_STEPS: Final = 16
"""Bisection steps (the bracket shrinks to under 0.001)."""
DELTA_BRACKET: Final = (-2.0, 3.0)
"""Where ``delta`` is looked for (log quality)."""


def code_matrix(b: HistoricalBattles, theta_ce: float = THETA_CE) -> F64:
    """Return ``[n, 4]``: the attacker's advantage per field of the prior."""
    return np.column_stack([b.leadership, b.training, b.morale, theta_ce * b.effectiveness])


def regressors(log_ratio: npt.ArrayLike, surprise: npt.ArrayLike) -> F64:
    """Return ``[n, 3]``: the prior's regressors (1, ln force ratio, surprise)."""
    x = np.asarray(log_ratio, dtype=np.float64)
    return np.column_stack([np.ones_like(x), x, np.asarray(surprise, dtype=np.float64)])


def fit_codes(b: HistoricalBattles, theta_ce: float = THETA_CE) -> RatingsPrior:
    """Return the prior of step 1 (no edge beyond the codes)."""
    x = regressors(b.log_ratio, b.surprise)
    y = code_matrix(b, theta_ce)
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    cov = np.cov((y - x @ coef).T)
    return RatingsPrior(
        mean=tuple(tuple(float(v) for v in row) for row in coef),
        cov=tuple(tuple(float(v) for v in row) for row in cov),
        side_quality_sd=QUALITY_SD,
        log_ratio_range=(
            float(np.quantile(b.log_ratio, RATIO_QUANTILES[0])),
            float(np.quantile(b.log_ratio, RATIO_QUANTILES[1])),
        ),
    )


def with_edge(prior: RatingsPrior, delta: float) -> RatingsPrior:
    """Return ``prior`` with ``delta`` added to the attacker's mean log-quality edge."""
    mean = [list(row) for row in prior.mean]
    mean[0][3] += delta
    return dataclasses.replace(prior, mean=tuple(tuple(row) for row in mean))


def mean_attacker_win(
    b: HistoricalBattles, params: CombatParams, prior: RatingsPrior, samples: int, seed: int
) -> float:
    """Return the mean predicted chance of the attacker winning, ratings unknown."""
    _, res = sample(calculator_input(b), params, samples, seed, unknown=BOTH, prior=prior)
    return float(np.mean(res.winner == 1))


def fit_prior(
    b: HistoricalBattles,
    params: CombatParams | None = None,
    *,
    theta_ce: float = THETA_CE,
    samples: int = DELTA_SAMPLES,
    seed: int = 0,
) -> RatingsPrior:
    """Return the prior of unknown ratings fitted to the battles ``b`` (steps 1 and 2)."""
    params = CombatParams.default() if params is None else params
    codes = fit_codes(b, theta_ce)
    target = float(np.mean(b.winner == 1))
    lo, hi = DELTA_BRACKET
    for _ in range(DELTA_STEPS):
        mid = 0.5 * (lo + hi)
        if mean_attacker_win(b, params, with_edge(codes, mid), samples, seed) < target:
            lo = mid
        else:
            hi = mid
    return with_edge(codes, 0.5 * (lo + hi))


def source_text(prior: RatingsPrior) -> str:
    """Return the prior as the Python literal :data:`RECORD_PRIOR` is written as."""

    def rows(m: tuple[tuple[float, ...], ...]) -> str:
        return "\n".join(f"        ({', '.join(f'{v:.4f}' for v in r)})," for r in m)

    lo, hi = prior.log_ratio_range
    return (
        "RECORD_PRIOR: Final = RatingsPrior(\n"
        f"    mean=(\n{rows(prior.mean)}\n    ),\n"
        f"    cov=(\n{rows(prior.cov)}\n    ),\n"
        f"    side_quality_sd={prior.side_quality_sd:.4f},\n"
        f"    log_ratio_range=({lo:.4f}, {hi:.4f}),\n"
        ")"
    )
