"""The prior of unknown ratings: it is the fit it says it is, and it draws what it says."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from cdb90.prior_fit import fit_prior
from cdb90.records import load_battles

from game import rng
from game.engine.combat import BattleInput, CombatParams, odds
from game.engine.combat.odds import sample
from game.engine.combat.prior import (
    ATTACKER,
    BOTH,
    DEF_QUALITY,
    DEFENDER,
    NONE,
    RECORD_PRIOR,
    fill_unknown,
)

PARAMS = CombatParams.default()


@pytest.mark.slow
def test_the_record_prior_is_the_fit_on_the_239_battles() -> None:
    assert fit_prior(load_battles(), PARAMS).rounded() == RECORD_PRIOR


def _battles(n: int, seed: int = 0, **values: object) -> BattleInput:
    keys = rng.derive(rng.root_key(seed, rng.Stream.TEST, 21), np.arange(n))
    given: dict[str, object] = {"att_men": 3000, "def_men": 3000, **values}
    return BattleInput.build(keys=keys, **given)  # type: ignore[arg-type]


def test_nothing_unknown_changes_nothing() -> None:
    inp = _battles(50, att_leadership=1.0, def_quality=1.3)
    out = fill_unknown(inp, NONE, RECORD_PRIOR)
    for f in dataclasses.fields(inp):
        assert np.array_equal(getattr(out, f.name), getattr(inp, f.name))


def test_only_the_unknown_fields_are_drawn() -> None:
    inp = _battles(400, att_leadership=1.0, att_quality=1.2, def_quality=0.8, def_morale=-1.0)
    out = fill_unknown(inp, DEFENDER, RECORD_PRIOR)
    for name in ("att_leadership", "att_training", "att_morale", "att_quality", "att_men"):
        assert np.array_equal(getattr(out, name), getattr(inp, name)), name
    for name in ("def_leadership", "def_training", "def_morale", "def_quality"):
        assert not np.array_equal(getattr(out, name), getattr(inp, name)), name
    # Quality is the known part (arm and cohesion) times the draw; ratings stay in range.
    assert np.all(out.def_quality > 0)
    assert out.def_leadership.min() >= -2.0 and out.def_leadership.max() <= 2.0
    one = fill_unknown(inp, DEF_QUALITY, RECORD_PRIOR)
    assert np.array_equal(one.def_morale, inp.def_morale)
    assert np.array_equal(one.def_quality, out.def_quality)  # same key, same draw


def test_the_draws_have_the_record_distribution() -> None:
    """Both sides unknown: the attacker's advantage has the prior's mean and covariance."""
    n = 40_000
    inp = _battles(n, surprise=1.0, att_men=6000)
    out = fill_unknown(inp, BOTH, RECORD_PRIOR)
    adv = np.column_stack(
        [
            out.att_leadership - out.def_leadership,
            out.att_training - out.def_training,
            out.att_morale - out.def_morale,
            np.log(out.att_quality) - np.log(out.def_quality),
        ]
    )
    mean = RECORD_PRIOR.advantage_mean(np.array([np.log(2.0)]), np.array([1.0]))[0]
    cov = np.asarray(RECORD_PRIOR.cov)
    cov[3, 3] += 2 * RECORD_PRIOR.side_quality_sd**2
    # Morale and training are clipped at +-2 only in the far tails; compare loosely.
    assert np.allclose(adv.mean(axis=0), mean, atol=0.02)
    assert np.allclose(np.cov(adv.T), cov, atol=0.03)


def test_a_battle_draws_the_same_alone_or_in_a_batch() -> None:
    inp = _battles(30, att_men=np.arange(30) * 100 + 500)
    mask = np.where(np.arange(30) % 2 == 0, ATTACKER, BOTH)
    full = fill_unknown(inp, mask, RECORD_PRIOR)
    for i in (0, 7, 29):
        alone = fill_unknown(inp.take(np.array([i])), mask[i], RECORD_PRIOR)
        assert alone.att_quality[0] == full.att_quality[i]
        assert alone.def_training[0] == full.def_training[i]


def test_the_prior_follows_the_record_of_who_attacked() -> None:
    """Unknown ratings favour the side that chose to attack, the more so when outnumbered."""
    inp = BattleInput.build(att_men=[2000, 4000, 8000], def_men=4000, keys=0)
    equal = [o.p_attacker_wins for o in odds(inp, PARAMS, 3000)]
    record = [o.p_attacker_wins for o in odds(inp, PARAMS, 3000, unknown=BOTH)]
    assert record[1] > equal[1] + 0.03  # at 1:1 the attacker is the likelier winner
    assert record[0] - equal[0] > record[2] - equal[2]  # selection flattens the ratio
    assert record[0] < record[1] < record[2]  # numbers still count


def test_samples_show_the_ratings_fought_with() -> None:
    inp = BattleInput.build(att_men=3000, def_men=2500, keys=0, att_leadership=1.0)
    fought, res = sample(inp, PARAMS, 500, 3, unknown=DEFENDER)
    assert len(fought) == len(res) == 500
    assert np.all(fought.att_leadership == 1.0)
    assert np.unique(fought.def_leadership).size > 100
