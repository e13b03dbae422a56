"""The combat resolver meets every acceptance target against CDB90 (sections A, B, C).

Speed (section D) is measured by ``benchmarks/calibration.py`` and
``benchmarks/engine.py``, never asserted here.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from cdb90.crossval import cross_validate, folds, predictions
from cdb90.exchange import exchange_metrics
from cdb90.measures import exchange_exponent, logit_fit, replay_metrics
from cdb90.ratios import band_masks, history_bands
from cdb90.records import HistoricalBattles, load_battles
from cdb90.samples import Sample, history_sample
from cdb90.targets import TARGETS, calibrate
from cdb90.theta_fit import OFFSETS, fit_thetas

from game import rng
from game.engine.combat import CombatParams

SEED = 20_240_601
REPS = 100
SAMPLES = 20_000


@pytest.fixture(scope="module")
def battles() -> HistoricalBattles:
    return load_battles()


def test_the_data_are_the_pre1900_cdb90_battles(battles: HistoricalBattles) -> None:
    assert len(battles) == 239
    assert np.all(battles.str_a > 0) and np.all(battles.str_d > 0)
    assert set(np.unique(battles.winner).tolist()) == {-1, 0, 1}
    # The codes keep their signs (the tidy CDB90 file lost every negative value).
    assert (battles.leadership < 0).sum() == 59
    assert (battles.surprise < 0).sum() == 10


def test_history_gives_the_documented_targets(battles: HistoricalBattles) -> None:
    """The harness's statistics, applied to history, give the published figures."""
    history = replay_metrics(history_sample(battles)) | history_bands(battles)
    for t in TARGETS:
        if t.historical:
            assert t.target is not None
            tol = 0.0051 if t.unit == "" else 0.051
            assert abs(history[t.key] - t.target) <= tol, (t.key, history[t.key], t.target)


@pytest.mark.slow
def test_the_default_model_meets_every_target(battles: HistoricalBattles) -> None:
    checks = calibrate(reps=REPS, samples=SAMPLES, seed=SEED, battles=battles, cv=False)
    assert [c.target.key for c in checks] == [t.key for t in TARGETS if t.section != "F"]
    missed = [
        f"{c.target.section} {c.target.label}: {c.model:.3f} not in [{c.target.lo}, {c.target.hi}]"
        for c in checks
        if not c.passed
    ]
    assert not missed, "\n".join(missed)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "missed"),
    [
        ({"w": 1.0}, "exchange_exponent"),  # Lanchester's square law
        ({"k0": 0.09}, "median_hours_10000"),  # battles far too short
        ({"theta_surprise": 0.0}, "surprise_gain_points"),
        ({"kappa": 1.5}, "loser_commander_lost_pct"),
        ({"exchange_cap": 5.0, "pursuit_cap": 5.0}, "exchange_kw_max"),  # unbounded
        ({"exchange_cap": 2.0}, "exchange_kw_over_history_pct"),  # loose cap
        # A winning army that gives up at half a man lost per enemy man: large odds lose.
        ({"exchange_cap": 0.5}, "grid_att_win_pct_highest"),
        ({"fire_cap": 1.0}, "prior_band_chi2"),  # numbers count too much
    ],
)
def test_a_miscalibrated_model_is_caught(
    battles: HistoricalBattles, change: dict[str, float], missed: str
) -> None:
    params = dataclasses.replace(CombatParams.default(), **change)
    found = calibrate(params, reps=20, samples=4_000, battles=battles, cv=False)
    checks = {c.target.key: c for c in found}
    assert not checks[missed].passed


def test_exchange_exponent_recovers_a_known_law() -> None:
    n = 5_000
    k = rng.root_key(1, rng.Stream.TEST, np.arange(n))
    str_a = 1_000 * np.exp(2 * rng.uniform(k, 1))
    str_d = 1_000 * np.exp(2 * rng.uniform(k, 2))
    frac_d = 0.1 * np.exp(0.3 * rng.normal(k, 3))
    frac_a = frac_d * (str_d / str_a) ** 0.8 * np.exp(0.1 * rng.normal(k, 4))
    s = Sample(
        str_a=str_a,
        str_d=str_d,
        frac_a=frac_a,
        frac_d=frac_d,
        winner=np.ones(n, np.int8),
        days=np.ones(n, np.int64),
        hours=np.full(n, 5.0),
    )
    assert abs(exchange_exponent(s) - 0.8) < 0.02


def test_logit_fit_recovers_known_coefficients() -> None:
    x = np.log(np.array([0.5, 0.75, 1.0, 1.5, 2.0, 3.0]))
    trials = np.full(x.size, 1e6)
    p = 1 / (1 + np.exp(-(-0.3 + 1.2 * x)))
    a, b = logit_fit(x, p * trials, trials)
    assert abs(a + 0.3) < 1e-6 and abs(b - 1.2) < 1e-6


@pytest.mark.slow
def test_odds_beat_both_baselines_out_of_fold(battles: HistoricalBattles) -> None:
    """Section F: with HERO's codes and with numbers only, Brier and log loss out of fold."""
    cv = cross_validate(
        battles,
        CombatParams.default(),
        k=5,
        samples=150,
        seed=SEED,
        prior_samples=60,
        response_samples=60,
    )
    for suffix in ("", "_numbers_only"):
        for score in ("brier", "logloss"):
            model = cv[f"cv_{score}_model{suffix}"]
            assert model < cv[f"cv_{score}_constant{suffix}"], (score, suffix)
            assert model < cv[f"cv_{score}_ratio_logistic{suffix}"], (score, suffix)


def test_the_folds_deal_every_battle_once_and_evenly() -> None:
    fold = folds(239, 10, 3)
    assert sorted(np.bincount(fold).tolist()) == [23] * 1 + [24] * 9
    assert not np.array_equal(fold, folds(239, 10, 4))
    assert np.array_equal(fold, folds(239, 10, 3))


def test_the_exchange_of_a_square_law_model_is_unbounded() -> None:
    """The grid's metric can fail: without the bounds, armies melt against a tenth of their number."""
    unbounded = dataclasses.replace(CombatParams.default(), exchange_cap=10.0, pursuit_cap=10.0)
    m = exchange_metrics(unbounded, samples=2_000, seed=SEED)
    assert m["exchange_kw_max"] > 2.5
    bounded = exchange_metrics(CombatParams.default(), samples=2_000, seed=SEED)
    assert bounded["exchange_kw_max"] <= 2.5
    assert bounded["exchange_unrouted_over_bound"] == 0


def test_the_band_ranges_are_the_record_two_standard_errors(battles: HistoricalBattles) -> None:
    """The accepted range of each ratio band is its attacker-win rate +- 2 binomial s.e."""
    masks = band_masks(battles)
    assert sum(int(m.sum()) for m in masks.values()) == len(battles)
    for t in TARGETS:
        if not t.key.startswith("prior_att_win_pct_"):
            continue
        n = int(masks[t.key.removeprefix("prior_att_win_pct_")].sum())
        p = history_bands(battles)[t.key] / 100.0
        se = 100.0 * np.sqrt(p * (1.0 - p) / n)
        assert abs(t.lo - max(0.0, 100.0 * p - 2 * se)) < 0.051, t.key
        assert abs(t.hi - min(100.0, 100.0 * p + 2 * se)) < 0.051, t.key


def test_fit_thetas_recovers_known_effects() -> None:
    """The per-fold likelihood finds the effects that made the outcomes."""
    n = 4_000
    k = rng.root_key(2, rng.Stream.TEST, np.arange(n))
    codes = np.column_stack([np.round(2 * rng.normal(k, j)) for j in range(5)])
    base = 0.5 * rng.normal(k, 9)
    # Each battle's own link: logit = its base + 0.9 u (a battle-specific steepness).
    table = base[:, None] + 0.9 * OFFSETS[None, :]
    true = np.array([0.8, 0.3, 0.5, 0.2, 0.6])
    p = 1.0 / (1.0 + np.exp(-(base + 0.9 * (codes @ true))))
    won = (rng.uniform(k, 10) < p).astype(np.float64)
    fitted = fit_thetas(codes, won, table, np.full(5, 0.5))
    assert np.allclose(fitted, true, atol=0.08), fitted


@pytest.mark.slow
def test_a_fold_is_predicted_without_its_outcomes(battles: HistoricalBattles) -> None:
    """Changing who won the battles of one fold changes none of that fold's predictions."""
    params = CombatParams.default()
    kw = {"k": 3, "samples": 40, "seed": 5, "prior_samples": 30, "response_samples": 30}
    before, _ = predictions(battles, params, **kw)
    fold = folds(len(battles), 3, 5)
    flipped = np.where(fold == 0, -battles.winner, battles.winner).astype(np.int8)
    after, _ = predictions(dataclasses.replace(battles, winner=flipped), params, **kw)
    test = fold == 0
    for name in before:
        assert np.array_equal(before[name][test], after[name][test]), name
    assert not np.array_equal(before["model"][~test], after["model"][~test])
