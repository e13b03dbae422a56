"""A proper score of the model's battles against history's winners, beside two baselines.

Over the recorded battles that have a recorded winner and happen in at least one played
war, the model forecasts history's winner with ``p``, the share of those wars in which
that side won.  The **Brier score** is the mean of ``(1 - p)²`` (0 is perfect, 0.25 a coin
toss); the **log-likelihood** is the sum of ``ln p``, with ``p`` taken as
``(wins + ½) / (fought + 1)`` so that a battle the model never gives history's winner
costs a finite, large penalty rather than minus infinity.

Two baselines forecast the same battles from the same played wars, so they are scored
on exactly the battles that met:

* **constant** — the attacker wins 57% of the time (CDB90's share of attacker victories
  before 1900): each war forecasts history's winner at 0.57 if it attacked there, 0.43 if
  it defended;
* **logistic** — CDB90's pre-1900 force-ratio logistic,
  ``P(attacker wins) = 1 / (1 + exp(-(0.31 + 0.24 ln(A/D))))``, on the strengths that met
  in that war.

A baseline's forecast of a battle is the mean of its forecasts over the wars in which the
battle was fought.  The keys follow the calibration benchmark's: ``brier``,
``brier_constant`` and ``brier_ratio_logistic`` are the Brier scores of the model, the
constant and the force-ratio logistic (likewise ``loglik_*``); ``brier_model_over_ratio_logistic``
is the model's Brier score over the logistic's: below 1 the model beats the force ratio.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from game import libm

ATTACKER_WINS = 0.57
"""CDB90, pre-1900: the share of battles the attacker won."""
LOGISTIC = (0.31, 0.24)
"""CDB90, pre-1900: intercept and slope of the attacker's win logit on ln(A/D)."""


def logistic_attacker(att_men: np.ndarray, def_men: np.ndarray) -> np.ndarray:
    """Return CDB90's pre-1900 chance that the attacker wins, from the strengths that met."""
    a, b = LOGISTIC
    ratio = np.maximum(att_men, 1) / np.maximum(def_men, 1)
    return 1.0 / (1.0 + libm.exp(-(a + b * libm.log(ratio))))


def battle_forecasts(
    winner: np.ndarray, attacker: np.ndarray, men: np.ndarray, historical: int
) -> dict[str, Any] | None:
    """Return the model's and the baselines' forecasts of history's winner for one battle.

    Args:
        winner: Winning side per run (-1 not fought, 2 a draw) ``[R]``.
        attacker: Attacking side per run ``[R]``.
        men: Men of each side per run ``[R, S]``.
        historical: History's winner.

    Returns:
        None if the battle was never fought; else the counts and the three forecasts.
    """
    fought = winner >= 0
    n = int(fought.sum())
    if n == 0:
        return None
    wins = int((winner[fought] == historical).sum())
    att = attacker[fought].astype(np.int64)
    rows = np.arange(n)
    m = men[fought]
    p_att = logistic_attacker(m[rows, att], m[rows, 1 - att])
    hist_attacked = att == historical
    return {
        "fought": n,
        "wins": wins,
        "p": wins / n,
        "p_constant": float(np.where(hist_attacked, ATTACKER_WINS, 1 - ATTACKER_WINS).mean()),
        "p_logistic": float(np.where(hist_attacked, p_att, 1 - p_att).mean()),
    }


def score(forecasts: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the Brier scores, the model's over the logistic's, and the log-likelihoods."""
    if not forecasts:
        return {
            "battles": 0,
            "brier": None,
            "brier_constant": None,
            "brier_ratio_logistic": None,
            "brier_model_over_ratio_logistic": None,
            "loglik": None,
            "loglik_constant": None,
            "loglik_ratio_logistic": None,
        }
    p = np.array([f["p"] for f in forecasts])
    smoothed = np.array([(f["wins"] + 0.5) / (f["fought"] + 1) for f in forecasts])
    pc = np.array([f["p_constant"] for f in forecasts])
    pl = np.array([f["p_logistic"] for f in forecasts])
    brier = float(np.mean((1 - p) ** 2))
    brier_logistic = float(np.mean((1 - pl) ** 2))
    return {
        "battles": len(forecasts),
        "brier": brier,
        "brier_constant": float(np.mean((1 - pc) ** 2)),
        "brier_ratio_logistic": brier_logistic,
        "brier_model_over_ratio_logistic": (
            brier / brier_logistic if brier_logistic > 0 else math.inf
        ),
        "loglik": float(libm.log(smoothed).sum()),
        "loglik_constant": float(libm.log(pc).sum()),
        "loglik_ratio_logistic": float(libm.log(pl).sum()),
    }
