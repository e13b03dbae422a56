"""Odds over the whole range of force ratios: conditional, and with ratings unknown.

Two checks that large odds win and small odds lose, and by how much:

* **conditional** (equal quality, leadership, training and morale; a hasty defence): the
  grid of the bound on the exchange (2,000 defenders; 1/12 to 12 times as many
  attackers).  With no edge but numbers the attacker's chance must rise at every step,
  with the logit slope on ln(ratio) of CDB90's pre-1900 battles in which no side had a
  coded advantage (0.8-1.6, ``docs/combat.md``), over the whole range.  That band
  and 40-55% at even numbers put 12:1 at about 83-98% and 1:12 at about 1-14%.
  This is the resolver alone: it must not reproduce the selection effect of the
  record (outnumbered attackers were the better armies), which the prior of unknown
  ratings adds (:mod:`game.engine.combat.prior`); counted twice, large odds would stop
  winning.
* **with ratings unknown** (the prior): the mean chance of the attacker winning over
  the CDB90 battles of each force-ratio band, as ``ingavi battle`` gives it from
  strengths, posture and surprise, against how often the attacker won in that band
  (CDB90's raw, selection-biased table).  Only the mean over all 239 battles is fitted
  (the prior's ``delta``); how the chance varies across the bands is not.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from cdb90.exchange import DEFENDERS, RATIOS
from cdb90.measures import CAVALRY, logit_fit
from cdb90.records import HistoricalBattles
from cdb90.samples import calculator_input
from game import rng
from game.engine.combat import BattleInput, CombatParams, resolve
from game.engine.combat.odds import sample
from game.engine.combat.prior import BOTH, RECORD_PRIOR, RatingsPrior

F64 = npt.NDArray[np.float64]
BoolArr = npt.NDArray[np.bool_]

BANDS: Final = {
    "lt0.5": (0.0, 0.5),
    "0.5-1": (0.5, 1.0),
    "1-1.5": (1.0, 1.5),
    "1.5-2": (1.5, 2.0),
    "2-3": (2.0, 3.0),
    "gt3": (3.0, np.inf),
}
"""CDB90's force-ratio bands (attacker / defender; each from its lower bound, inclusive,
to its upper, exclusive), as in the design's table of attacker wins by ratio."""


def band_masks(b: HistoricalBattles) -> dict[str, BoolArr]:
    """Return which battles fall in each band of :data:`BANDS`."""
    r = b.str_a / b.str_d
    return {name: (r >= lo) & (r < hi) for name, (lo, hi) in BANDS.items()}


def history_bands(b: HistoricalBattles) -> dict[str, float]:
    """Return the attacker's win % in each band (``prior_att_win_pct_<band>``)."""
    won = b.winner == 1
    return {
        f"prior_att_win_pct_{name}": 100.0 * float(np.mean(won[inside]))
        for name, inside in band_masks(b).items()
    }


def prior_band_metrics(
    params: CombatParams,
    b: HistoricalBattles,
    samples: int = 2_000,
    seed: int = 0,
    prior: RatingsPrior = RECORD_PRIOR,
) -> dict[str, float]:
    """Return the model's chance by band, ratings unknown, and a chi-square over the bands.

    ``prior_att_win_pct_<band>``: the mean chance of an attacker's win over the band's
    battles, each resolved ``samples`` times with every rating drawn from ``prior``.
    ``prior_band_chi2``: the sum over the bands of (wins - expected)^2 / variance, the
    variance being that of a sum of Bernoulli trials with the model's chances; about
    chi-square with 5 degrees of freedom if the model is right (6 bands, their mean
    fitted).
    """
    _, res = sample(calculator_input(b), params, samples, seed, unknown=BOTH, prior=prior)
    chance = (res.winner == 1).reshape(len(b), samples).mean(axis=1)
    won = (b.winner == 1).astype(np.float64)
    out: dict[str, float] = {}
    chi2 = 0.0
    for name, inside in band_masks(b).items():
        p = chance[inside]
        out[f"prior_att_win_pct_{name}"] = 100.0 * float(np.mean(p))
        chi2 += float((won[inside].sum() - p.sum()) ** 2 / np.sum(p * (1.0 - p)))
    out["prior_band_chi2"] = chi2
    return out


def grid_metrics(params: CombatParams, samples: int = 20_000, seed: int = 0) -> dict[str, float]:
    """Return the conditional odds on the grid: equal ratings, hasty defence.

    Keys: ``grid_att_win_pct_<ratio>`` for each ratio (``1/12`` ... ``12``),
    ``grid_min_rise_points`` (the smallest rise of the attacker's chance from one
    ratio of the grid to the next, in points), ``grid_logit_slope`` (the slope of
    ``logit P(attacker wins)`` on ln(ratio) over the whole grid, decisive battles),
    ``grid_logit_slope_below`` / ``_above`` (the same from 1:12 to 1:1 and from 1:1 to
    12:1, so that neither end may flatten) and ``grid_att_win_pct_lowest`` /
    ``_highest`` (at 1:12 and 12:1).
    """
    keys = rng.derive(rng.root_key(seed, rng.Stream.TEST, 13), np.arange(samples))
    p = np.empty(len(RATIOS))
    wins = np.empty(len(RATIOS))
    decisive = np.empty(len(RATIOS))
    for i, ratio in enumerate(RATIOS):  # nine situations, each a batch
        inp = BattleInput.build(
            att_men=np.floor(ratio * DEFENDERS),
            def_men=DEFENDERS,
            keys=keys,
            att_cavalry=CAVALRY,
            def_cavalry=CAVALRY,
        )
        winner = resolve(inp, params).winner
        wins[i] = np.sum(winner == 1)
        decisive[i] = np.sum(winner != 0)
        p[i] = wins[i] / samples
    x = np.log(np.asarray(RATIOS))
    even = RATIOS.index(1.0)
    out = {
        f"grid_att_win_pct_{_ratio_name(r)}": 100.0 * float(v)
        for r, v in zip(RATIOS, p, strict=True)
    }
    out["grid_min_rise_points"] = 100.0 * float(np.min(np.diff(p)))
    out["grid_logit_slope"] = logit_fit(x, wins, decisive)[1]
    below, above = slice(0, even + 1), slice(even, None)
    out["grid_logit_slope_below"] = logit_fit(x[below], wins[below], decisive[below])[1]
    out["grid_logit_slope_above"] = logit_fit(x[above], wins[above], decisive[above])[1]
    out["grid_att_win_pct_lowest"] = 100.0 * float(p[0])
    out["grid_att_win_pct_highest"] = 100.0 * float(p[-1])
    return out


def _ratio_name(r: float) -> str:
    return f"{r:g}" if r >= 1 else f"1/{round(1 / r)}"
