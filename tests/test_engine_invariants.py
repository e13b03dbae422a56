"""Invariants of the batched engine, over random legal play (hypothesis).

Men are never negative and always accounted for; control changes only by occupation or
treaty; a finished run never changes; the same seed gives the same war; and run r of a
batch gives exactly what it gives alone.  A canary proves the last check would catch an
unkeyed random draw.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pytest
from engine_helpers import MAIN, TINY, random_orders
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from game.engine import keyed
from game.engine.state import accounted, initial_state
from game.engine.turn import step
from game.scenario.load import load_scenario

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def scenario(name: str):
    return load_scenario(TINY if name == "tiny" else MAIN)


def scenario_names() -> list[str]:
    return ["tiny", "main"] if MAIN.exists() else ["tiny"]


def play_random(scn, runs, seed, order_seed, turns=None, sample=False):
    st = initial_state(scn, runs, seed, sample_uncertain=sample)
    states, reports = [st], []
    for _ in range(turns or scn.n_turns):
        st, rep = step(scn, st, random_orders(scn, st, order_seed))
        states.append(st)
        reports.append(rep)
        if st.over.all():
            break
    return states, reports


@pytest.mark.parametrize("name", scenario_names())
@SETTINGS
@given(seed=st_.integers(0, 2**32), order_seed=st_.integers(0, 1000), sample=st_.booleans())
def test_men_never_negative_and_always_accounted_for(name, seed, order_seed, sample):
    scn = scenario(name)
    states, _ = play_random(scn, 6, seed, order_seed, sample=sample)
    for st in states:
        assert (st.men >= 0).all()
        for counter in (st.killed, st.wounded, st.captured, st.deserted, st.arrived):
            assert (counter >= 0).all()
        assert (accounted(scn, st) == st.arrived).all()
        assert ((st.will >= 0) & (st.will <= 1)).all()
        assert ((st.cohesion >= 0) & (st.cohesion <= 1)).all()


@pytest.mark.parametrize("name", scenario_names())
@SETTINGS
@given(seed=st_.integers(0, 2**32), order_seed=st_.integers(0, 1000))
def test_control_changes_only_by_occupation_or_treaty(name, seed, order_seed):
    scn = scenario(name)
    states, reports = play_random(scn, 4, seed, order_seed)
    for before, after, rep in zip(states, states[1:], reports, strict=False):
        changed = before.owner != after.owner
        explained = np.zeros_like(changed)
        c = rep.table("control")
        if c:
            explained[c["run"], c["province"]] = True
        ended = rep.table("war_end")
        if ended:
            explained[ended["run"][~ended["truncated"]]] = True
        assert not (changed & ~explained).any()


@pytest.mark.parametrize("name", scenario_names())
@SETTINGS
@given(seed=st_.integers(0, 2**32), order_seed=st_.integers(0, 1000))
def test_a_finished_run_never_changes_again(name, seed, order_seed):
    scn = scenario(name)
    states, _ = play_random(scn, 4, seed, order_seed)
    for before, after in itertools.pairwise(states):
        done = before.over
        for key, arr in before.arrays().items():
            assert np.array_equal(arr[done], after.arrays()[key][done]), key


@pytest.mark.parametrize("name", scenario_names())
def test_same_seed_same_war(name):
    scn = scenario(name)
    a, _ = play_random(scn, 5, 99, 3)
    b, _ = play_random(scn, 5, 99, 3)
    for key, arr in a[-1].arrays().items():
        assert np.array_equal(arr, b[-1].arrays()[key]), key
    c, _ = play_random(scn, 5, 100, 3)
    assert any(not np.array_equal(v, c[-1].arrays()[k]) for k, v in a[-1].arrays().items())


def batch_matches_single(scn, runs: int, seed: int, order_seed: int, turns: int) -> bool:
    """Return whether each run of a batch equals the same run played alone."""
    batch, _ = play_random(scn, runs, seed, order_seed, turns)
    final = batch[-1]
    for r in range(runs):
        alone, _ = play_random(scn, np.array([r]), seed, order_seed, turns)
        for key, arr in final.arrays().items():
            if not np.array_equal(arr[r : r + 1], alone[-1].arrays()[key]):
                return False
    return True


@pytest.mark.parametrize("name", scenario_names())
def test_batch_of_64_equals_each_run_alone(name):
    scn = scenario(name)
    # the whole tiny war for all 64 runs; the first 30 turns (Ingavi and the occupation)
    # of the 1841 war for a spread of 12 of them, which keeps the suite quick
    turns = scn.n_turns if name == "tiny" else 30
    alone_runs = range(64) if name == "tiny" else range(0, 64, 5)
    batch, _ = play_random(scn, 64, 7, 11, turns=turns)
    final = batch[-1]
    for r in alone_runs:
        alone, _ = play_random(scn, np.array([r]), 7, 11, turns=len(batch) - 1)
        for key, arr in final.arrays().items():
            assert np.array_equal(arr[r : r + 1], alone[-1].arrays()[key]), (r, key)
    # a run keeps its dice inside any other batch too
    other, _ = play_random(scn, np.array([40, 3, 17]), 7, 11, turns=len(batch) - 1)
    for i, r in enumerate([40, 3, 17]):
        for key, arr in final.arrays().items():
            assert np.array_equal(arr[r], other[-1].arrays()[key][i]), (r, key)


def test_canary_unkeyed_draw_breaks_batch_equals_single(monkeypatch):
    """Slip keys that depend on the batch into a turn's draws: the check must notice."""
    scn = scenario("tiny")
    assert batch_matches_single(scn, 6, 5, 1, turns=6)
    real = keyed.turn_keys

    def leaky_keys(seed, stream, run_ids, turn, *parts):
        k = real(seed, stream, run_ids, turn, *parts)
        return k ^ np.arange(k.size, dtype=np.uint64)  # a run's dice depend on its row

    monkeypatch.setattr(keyed, "turn_keys", leaky_keys)
    assert not batch_matches_single(scn, 6, 5, 1, turns=6)
