"""Ratings nobody has given: drawn from the record of armies that chose to attack.

The resolver is a *conditional* model: told nothing, it fights two armies of equal
quality, leadership, training and morale.  But battles are not fought at random.  A
commander attacks when he thinks he has an edge, often one that numbers do not show,
so in the historical record the side that chose to attack was usually the better one,
and the more so the more it was outnumbered.  Odds that leave this out lose to a
constant guess (``docs/combat.md``).

When a side's ratings are unknown, each unknown field is therefore drawn, sample by
sample, from :class:`RatingsPrior`: the distribution of HERO's judged advantages in the
pre-1900 battles of CDB90 (leadership, training, morale and combat effectiveness) for
the side that attacked over the side attacked, given the force ratio and surprise.
The attacker's advantage ``a`` (one value per field) is normal, with a mean linear in
``ln(attacker men / defender men)`` and the attacker's surprise and the covariance of
what is left; each side's own rating is half of it, ``+a/2`` for the attacker and
``-a/2`` for the defender, drawn independently for each side
(``N(+-mean/2, cov/2)``), so that when both are unknown their difference has the
record's distribution.  Quality is on a log scale: HERO's combat effectiveness times
``theta_ce`` (its effect per step), an attacker's edge beyond the codes (``delta``) and
each side's uncoded spread.  :data:`RECORD_PRIOR` holds the fit on all 239 battles
(``benchmarks/cdb90/prior_fit.py`` refits it; ``tests/test_prior.py`` checks they agree).

Which fields are unknown is a bit mask per battle (:data:`ATTACKER`, :data:`DEFENDER`,
or single fields such as :data:`DEF_QUALITY`).  An unknown field's value in the input
is its known part (0 for a rating; for quality, what can be seen: the arm of service
and cohesion), to which the draw is added (multiplied, for quality).  Draws are keyed
by each sample's key at fixed draw indices, like every other draw of a battle.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Final

import numpy as np
import numpy.typing as npt

from game import libm
from game.engine.combat.draws import C_PRIOR, normal_pair
from game.engine.combat.inputs import BattleInput

F64 = npt.NDArray[np.float64]
U8 = npt.NDArray[np.uint8]

FIELDS: Final = ("leadership", "training", "morale", "quality")
"""The ratings the prior covers, in the order of its arrays (quality as its logarithm)."""

ATT_LEADERSHIP: Final = 1
ATT_TRAINING: Final = 2
ATT_MORALE: Final = 4
ATT_QUALITY: Final = 8
DEF_LEADERSHIP: Final = 16
DEF_TRAINING: Final = 32
DEF_MORALE: Final = 64
DEF_QUALITY: Final = 128
NONE: Final = 0
"""Every rating given (the resolver's conditional odds)."""
ATTACKER: Final = 0x0F
"""The attacker's four ratings unknown."""
DEFENDER: Final = 0xF0
"""The defender's four ratings unknown."""
BOTH: Final = 0xFF
"""Nothing known of either side's ratings."""

RATING_RANGE: Final = 2.0
"""Ratings are drawn within the resolver's range, -2..2."""


def field_bit(side: str, field: str) -> int:
    """Return the mask bit of one side's field (``side`` "att" or "def")."""
    return 1 << (FIELDS.index(field) + (0 if side == "att" else 4))


@dataclass(frozen=True)
class RatingsPrior:
    """The distribution of the attacker's advantage in each rating, and its halves.

    Attributes:
        mean: ``[3][4]`` coefficients of the advantage's mean on (1, ln force ratio,
            surprise), one column per field of :data:`FIELDS`.
        cov: ``[4][4]`` covariance of the advantage about that mean.
        side_quality_sd: Log-sd of each side's quality that no code records.
        log_ratio_range: The force ratios of the record (``ln``); a ratio outside is
            taken at the nearest end (the fit says nothing beyond).
    """

    mean: tuple[tuple[float, ...], ...]
    cov: tuple[tuple[float, ...], ...]
    side_quality_sd: float
    log_ratio_range: tuple[float, float]

    @cached_property
    def _side_chol(self) -> F64:
        """Cholesky factor of one side's covariance: half the advantage's, plus noise."""
        cov = np.asarray(self.cov, dtype=np.float64) / 2.0
        cov[3, 3] += self.side_quality_sd**2
        return np.linalg.cholesky(cov + 1e-12 * np.eye(len(FIELDS)))

    def advantage_mean(self, log_ratio: npt.ArrayLike, surprise: npt.ArrayLike) -> F64:
        """Return ``[n, 4]``: the mean advantage of attackers at these ratios and surprise."""
        lo, hi = self.log_ratio_range
        x = np.clip(np.asarray(log_ratio, dtype=np.float64), lo, hi)
        s = np.asarray(surprise, dtype=np.float64)
        b = np.asarray(self.mean, dtype=np.float64)
        return b[0] + x[:, None] * b[1] + s[:, None] * b[2]

    def rounded(self, digits: int = 4) -> RatingsPrior:
        """Return the prior with every number rounded (as it is written in the source)."""

        def r(rows: tuple[tuple[float, ...], ...]) -> tuple[tuple[float, ...], ...]:
            return tuple(tuple(round(float(v), digits) for v in row) for row in rows)

        return dataclasses.replace(
            self,
            mean=r(self.mean),
            cov=r(self.cov),
            side_quality_sd=round(self.side_quality_sd, digits),
            log_ratio_range=(
                round(self.log_ratio_range[0], digits),
                round(self.log_ratio_range[1], digits),
            ),
        )


# calibrated_to: the 239 pre-1900 CDB90 battles.  HERO's codes for the side that attacked
# over the side attacked, regressed on ln force ratio and surprise (combat effectiveness
# times theta_ce = 0.5 on log quality); the attacker's log-quality edge beyond the codes
# (delta, in mean[0][3]) fitted so that the mean predicted attacker win equals the
# record's 56.9%.  `python benchmarks/calibration.py --prior` prints these numbers;
# tests/test_prior.py checks that they are the fit.
RECORD_PRIOR: Final = RatingsPrior(
    mean=(
        (0.1393, 0.0704, 0.0406, 0.1079),
        (-0.2295, -0.2318, 0.1058, -0.1862),
        (0.3134, 0.0307, -0.0119, 0.0483),
    ),
    cov=(
        (0.7875, 0.0876, 0.0099, 0.0968),
        (0.0876, 0.3375, -0.0007, 0.0995),
        (0.0099, -0.0007, 0.0891, -0.0046),
        (0.0968, 0.0995, -0.0046, 0.0842),
    ),
    side_quality_sd=0.1500,
    log_ratio_range=(-0.7042, 1.1288),
)
"""The prior of every preview whose ratings are unknown.  Columns: leadership, training,
morale (rating steps) and quality (log); rows of ``mean``: intercept, per unit of
ln(attacker men / defender men), per level of the attacker's surprise."""


def fill_unknown(inp: BattleInput, unknown: npt.ArrayLike, prior: RatingsPrior) -> BattleInput:
    """Return ``inp`` with the unknown ratings of each battle drawn from ``prior``.

    Args:
        inp: The battles, one key per sample (the draws are keyed by it).
        unknown: Mask of unknown fields, one per battle or one for all.
        prior: The prior to draw from.
    """
    n = len(inp)
    mask = np.broadcast_to(np.asarray(unknown, dtype=np.uint8), (n,))
    if n == 0 or not mask.any():
        return inp
    men_a = np.maximum(np.floor(np.asarray(inp.att_men, np.float64)), 1.0)
    men_d = np.maximum(np.floor(np.asarray(inp.def_men, np.float64)), 1.0)
    half = 0.5 * prior.advantage_mean(libm.log(men_a / men_d), inp.surprise)
    z = np.empty((2, n, len(FIELDS)))
    for j in range(len(FIELDS)):
        a, d = normal_pair(inp.keys, C_PRIOR + j)
        z[0, :, j], z[1, :, j] = a, d
    # The correlated draw, summed term by term in a fixed order: a matrix product would
    # leave the rounding to BLAS, whose kernels differ with the batch's size, and a
    # battle must draw exactly the same alone as in a batch.
    chol = prior._side_chol
    draw = np.zeros_like(z)
    for i in range(len(FIELDS)):
        for j in range(i + 1):
            draw[..., i] += chol[i, j] * z[..., j]
    draw[0] += half
    draw[1] -= half
    out = dataclasses.replace(inp)
    for s, side in enumerate(("att", "def")):
        for j, field in enumerate(FIELDS):
            on = (mask & field_bit(side, field)) != 0
            if not on.any():
                continue
            name = f"{side}_{field}"
            known = np.asarray(getattr(inp, name), dtype=np.float64)
            if field == "quality":
                value = np.where(on, known * libm.exp(draw[s, :, j]), known)
            else:
                drawn = np.clip(known + draw[s, :, j], -RATING_RANGE, RATING_RANGE)
                value = np.where(on, drawn, known)
            setattr(out, name, value)
    return out
