"""Odds: a battle resolved many times with preview dice, summed up for players and the AI."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from game.engine.combat.inputs import BattleInput
from game.engine.combat.params import CombatParams
from game.engine.combat.prior import NONE, RECORD_PRIOR, RatingsPrior, fill_unknown
from game.engine.combat.resolution import BattleResult, resolve
from game.rng import Stream, derive, root_key

F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Spread:
    """Median and 10th/90th percentiles of a sampled quantity."""

    median: float
    p10: float
    p90: float


@dataclass(frozen=True)
class Odds:
    """What a battle is likely to bring, estimated by resolving it many times.

    Attributes:
        p_attacker_wins: Share of samples the attacker won.
        p_defender_wins: Share of samples the defender won.
        p_draw: Share of samples nobody broke.
        attacker_casualty_fraction: Attacker's losses (killed, wounded, captured) as a
            share of the men engaged.
        defender_casualty_fraction: Defender's losses as a share of the men engaged.
        expected_attacker_killed: Mean number of the attacker's men killed.
        expected_defender_killed: Mean number of the defender's men killed.
        p_attacker_commander_lost: Chance the attacker's commander is killed or captured.
        p_defender_commander_lost: Chance the defender's commander is killed or captured.
        median_hours: Median hours of fighting.
        samples: How many samples the estimate rests on.
    """

    p_attacker_wins: float
    p_defender_wins: float
    p_draw: float
    attacker_casualty_fraction: Spread
    defender_casualty_fraction: Spread
    expected_attacker_killed: float
    expected_defender_killed: float
    p_attacker_commander_lost: float
    p_defender_commander_lost: float
    median_hours: float
    samples: int

    def to_dict(self) -> dict[str, Any]:
        """Return the odds as plain JSON-ready values."""
        return asdict(self)


def preview_keys(key: int | U64, n: int, samples: int) -> U64:
    """Return ``(n, samples)`` keys for odds previews, in the PREVIEW namespace.

    With an integer ``key`` every battle gets the same sample keys (common random
    numbers: comparing two options then shows their real difference, not noise).  With
    an array of per-battle keys each battle's samples are derived from its own key.
    """
    s = np.arange(samples, dtype=np.int64)
    if np.ndim(key) == 0:
        base = root_key(int(key), Stream.PREVIEW, 0)
        return np.broadcast_to(derive(base, s)[None, :], (n, samples))
    k = np.asarray(key, dtype=np.uint64).reshape(n)
    return derive(k[:, None], int(Stream.PREVIEW), s[None, :])


def _spread(x: F64) -> list[Spread]:
    """Return the median, p10 and p90 of each row of ``x``."""
    q = np.quantile(x, [0.5, 0.1, 0.9], axis=1)
    return [Spread(float(m), float(lo), float(hi)) for m, lo, hi in q.T]


def sample(
    inp: BattleInput,
    params: CombatParams,
    samples: int,
    key: int | U64 = 0,
    *,
    unknown: npt.ArrayLike = NONE,
    prior: RatingsPrior = RECORD_PRIOR,
) -> tuple[BattleInput, BattleResult]:
    """Resolve each battle ``samples`` times with preview dice; return inputs and results.

    Both are battle-major: sample ``j`` of battle ``i`` is row ``i * samples + j``.  The
    inputs are those actually fought, with every unknown rating drawn (:mod:`prior`).

    Args:
        inp: The battles to preview.
        params: Combat parameters.
        samples: Resolutions per battle.
        key: A seed (the same sample keys for every battle) or one key per battle.
        unknown: Which ratings are unknown (a :mod:`~game.engine.combat.prior` mask),
            one for all battles or one per battle; they are drawn from ``prior``.
        prior: The prior of unknown ratings (default: the historical record's).

    Raises:
        ValueError: ``samples`` is not positive, or the input is malformed.
    """
    if samples < 1:
        raise ValueError("samples must be at least 1")
    n = len(inp)
    keys = preview_keys(key, n, samples)
    mask = np.repeat(np.broadcast_to(np.asarray(unknown, np.uint8), (n,)), samples)
    fought = fill_unknown(inp.repeat(samples, keys.reshape(-1)), mask, prior)
    return fought, resolve(fought, params)


def odds(
    inp: BattleInput,
    params: CombatParams,
    samples: int = 2000,
    key: int | U64 = 0,
    *,
    unknown: npt.ArrayLike = NONE,
    prior: RatingsPrior = RECORD_PRIOR,
) -> list[Odds]:
    """Return the odds of each battle of ``inp``, estimated from ``samples`` resolutions.

    Draws come from the PREVIEW stream (:func:`preview_keys`), so a preview never uses
    or shifts the game's own dice; the battles' own keys are ignored unless passed as
    ``key``.  Ratings marked ``unknown`` are drawn from ``prior`` in every sample, so
    the odds are those of battles like the ones armies chose to fight (:func:`sample`).

    Returns:
        One :class:`Odds` per battle, in input order.

    Raises:
        ValueError: ``samples`` is not positive, or the input is malformed.
    """
    _, res = sample(inp, params, samples, key, unknown=unknown, prior=prior)
    return summarise(inp, res, samples)


def summarise(inp: BattleInput, res: BattleResult, samples: int) -> list[Odds]:
    """Return the odds of each battle of ``inp`` from its ``samples`` results (battle-major)."""
    n = len(inp)

    def per(x: npt.NDArray[Any]) -> F64:
        return np.asarray(x, dtype=np.float64).reshape(n, samples)

    men_a = np.maximum(np.floor(np.asarray(inp.att_men, float)), 1.0)[:, None]
    men_d = np.maximum(np.floor(np.asarray(inp.def_men, float)), 1.0)[:, None]
    w = per(res.winner)
    frac_a = _spread(per(res.att_casualties) / men_a)
    frac_d = _spread(per(res.def_casualties) / men_d)
    lost_a = per(res.att_cmd_killed | res.att_cmd_captured).mean(axis=1)
    lost_d = per(res.def_cmd_killed | res.def_cmd_captured).mean(axis=1)
    kill_a = per(res.att_killed).mean(axis=1)
    kill_d = per(res.def_killed).mean(axis=1)
    hours = np.median(per(res.hours), axis=1)
    return [
        Odds(
            p_attacker_wins=float(np.mean(w[i] == 1)),
            p_defender_wins=float(np.mean(w[i] == -1)),
            p_draw=float(np.mean(w[i] == 0)),
            attacker_casualty_fraction=frac_a[i],
            defender_casualty_fraction=frac_d[i],
            expected_attacker_killed=float(kill_a[i]),
            expected_defender_killed=float(kill_d[i]),
            p_attacker_commander_lost=float(lost_a[i]),
            p_defender_commander_lost=float(lost_d[i]),
            median_hours=float(hours[i]),
            samples=samples,
        )
        for i in range(n)
    ]
