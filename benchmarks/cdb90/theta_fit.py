"""The effects of HERO's codes, fitted to who won: a five-parameter likelihood.

The cross-validation (:mod:`cdb90.crossval`) must not score a battle with parameters
fitted on it.  The parameters that carry the codes' effects are the resolver's
``theta_leadership``, ``theta_training``, ``theta_morale`` and ``theta_surprise`` and
the harness's :data:`~cdb90.samples.THETA_CE` (combat effectiveness on quality); this
module fits them, on any set of battles, by maximum likelihood of "the attacker won".

Refitting by resolving the training battles for every trial value would be slow, but
it is not needed.  In a replay every code acts only through the log ratio of the two
sides' effectiveness, split evenly between them (:func:`~cdb90.samples.replay_input`),
so a battle's chance of an attacker's win depends on the thetas only through
``u = theta . codes``.  :func:`response` resolves each battle once for a grid of ``u``
(its codes replaced by that offset; common random numbers across the grid) and the
likelihood interpolates it, linear in the logit.  One thing is left out: a fallen
commander's leadership leaves with him, which the offset does not model (commanders fall
in a few battles in a hundred).  The fitted thetas are then used to resolve the held-out
battles for real.
"""

from __future__ import annotations

import dataclasses
from typing import Final

import numpy as np
import numpy.typing as npt

from cdb90.records import HistoricalBattles
from cdb90.samples import THETA_CE, replay_input
from game.engine.combat import CombatParams, resolve

F64 = npt.NDArray[np.float64]

THETAS: Final = (
    "theta_leadership",
    "theta_training",
    "theta_morale",
    "theta_surprise",
    "theta_ce",
)
"""The fitted effects, in the order of :func:`hero_codes`'s columns."""

OFFSETS: Final = np.linspace(-5.0, 5.0, 21)
"""Offsets of ln(e_att / e_def) at which each battle's response is resolved; beyond
them the response is held at the nearer end (the odds are then 1-2% or 98-99%)."""

RESPONSE_SAMPLES: Final = 200
"""Resolutions of each battle at each offset."""

BOUNDS: Final = (0.0, 2.0)
"""Range of each fitted effect (the scenario schema's range of the thetas)."""


def hero_codes(b: HistoricalBattles) -> F64:
    """Return ``[n, 5]``: the attacker's advantage in each code, in the order of THETAS."""
    return np.column_stack([b.leadership, b.training, b.morale, b.surprise, b.effectiveness])


def thetas_of(params: CombatParams, theta_ce: float = THETA_CE) -> F64:
    """Return the effects as a vector in the order of :data:`THETAS`."""
    return np.array([*(getattr(params, t) for t in THETAS[:4]), theta_ce])


def with_thetas(params: CombatParams, theta: F64) -> tuple[CombatParams, float]:
    """Return ``params`` with the resolver's four effects set, and ``theta_ce``."""
    values = {name: float(v) for name, v in zip(THETAS[:4], theta[:4], strict=True)}
    return dataclasses.replace(params, **values), float(theta[4])


def response(
    b: HistoricalBattles,
    params: CombatParams,
    samples: int = RESPONSE_SAMPLES,
    seed: int = 0,
) -> F64:
    """Return ``[n, len(OFFSETS)]``: each battle's logit chance of an attacker's win at each offset.

    The battle is replayed as in :func:`~cdb90.samples.replay_input` (strengths,
    posture, cavalry, unobserved quality) with every code at 0 and ``u`` added to the
    log ratio of effectiveness (``+u/2`` to the attacker, ``-u/2`` to the defender).
    The chance is ``(wins + 0.5) / (samples + 1)`` and made non-decreasing in ``u``.
    """
    zero = np.zeros(len(b))
    plain = dataclasses.replace(
        b, surprise=zero, leadership=zero, training=zero, morale=zero, effectiveness=zero
    )
    inp = replay_input(plain, samples, seed)
    out = np.empty((len(b), OFFSETS.size))
    for j, u in enumerate(OFFSETS):  # a loop over 21 offsets; the battles are batched
        shifted = dataclasses.replace(
            inp,
            att_quality=inp.att_quality * np.exp(0.5 * u),
            def_quality=inp.def_quality * np.exp(-0.5 * u),
        )
        wins = (resolve(shifted, params).winner == 1).reshape(samples, len(b)).sum(axis=0)
        out[:, j] = (wins + 0.5) / (samples + 1.0)
    out = np.maximum.accumulate(out, axis=1)
    return np.log(out / (1.0 - out))


def _link(u: F64, table: F64) -> tuple[F64, F64]:
    """Return the interpolated logit at ``u`` of each row of ``table`` and its slope."""
    x = np.clip(u, OFFSETS[0], OFFSETS[-1])
    step = OFFSETS[1] - OFFSETS[0]
    j = np.clip(((x - OFFSETS[0]) // step).astype(np.int64), 0, OFFSETS.size - 2)
    rows = np.arange(table.shape[0])
    lo, hi = table[rows, j], table[rows, j + 1]
    slope = (hi - lo) / step
    logit = lo + slope * (x - OFFSETS[j])
    inside = (u > OFFSETS[0]) & (u < OFFSETS[-1])
    return logit, np.where(inside, slope, 0.0)


def log_likelihood(theta: F64, codes: F64, won: F64, table: F64) -> float:
    """Return the log-likelihood of the outcomes ``won`` (1: the attacker won)."""
    logit, _ = _link(codes @ theta, table)
    return float(-np.sum(np.logaddexp(0.0, np.where(won > 0, -logit, logit))))


def fit_thetas(codes: F64, won: F64, table: F64, start: F64, iterations: int = 60) -> F64:
    """Return the effects that maximise the likelihood, within :data:`BOUNDS`.

    Fisher scoring (the model is a logistic regression through each battle's own link),
    each step projected on the bounds and halved until the likelihood rises.
    """
    theta = np.clip(np.asarray(start, dtype=np.float64), *BOUNDS)
    best = log_likelihood(theta, codes, won, table)
    for _ in range(iterations):
        logit, slope = _link(codes @ theta, table)
        p = 1.0 / (1.0 + np.exp(-logit))
        grad = codes.T @ ((won - p) * slope)
        info = (codes * (p * (1.0 - p) * slope**2)[:, None]).T @ codes
        step = np.linalg.solve(info + 1e-6 * np.eye(theta.size), grad)
        for _ in range(30):
            trial = np.clip(theta + step, *BOUNDS)
            value = log_likelihood(trial, codes, won, table)
            if value >= best:
                break
            step *= 0.5
        else:
            return theta
        moved = float(np.max(np.abs(trial - theta)))
        theta, best = trial, value
        if moved < 1e-5:
            break
    return theta
