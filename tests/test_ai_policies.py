"""Every policy: legal orders only, from the observation only, deterministic, batch-blind."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest
from engine_helpers import MAIN, TINY, random_orders
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from game import rng
from game.ai import POLICY_NAMES, make_policy
from game.ai.base import Decision, policy_keys
from game.codes import NONE, ForceStatus
from game.engine.observe import in_sight, observe
from game.engine.orders import NO_ORDER, check
from game.engine.state import CampaignState, initial_state
from game.engine.turn import step
from game.errors import UsageError
from game.scenario.load import load_scenario

FAST = {"lookahead": {"futures": 2, "horizon": 1, "plans": 3}}
"""Small look-ahead budgets: these tests are about legality and fog, not strength."""


@functools.cache
def tiny():
    return load_scenario(TINY)


def policy(name, side, scn, difficulty="normal"):
    return make_policy(name, side, scn, difficulty, **FAST.get(name, {}))


def advance(scn, runs: int, seed: int, turns: int) -> CampaignState:
    """Return a state reached by random legal play (a varied, reachable position)."""
    st = initial_state(scn, runs, seed)
    for _ in range(turns):
        if st.over.all():
            break
        st, _ = step(scn, st, random_orders(scn, st, seed + 1))
    return st


def decide(pol, scn, st, side, explain=False) -> Decision:
    obs = observe(scn, st, side)
    return pol.decide(scn, obs, policy_keys(st.seed, st.run_ids, st.turn, side), explain=explain)


# ------------------------------------------------------------------ the registry


def test_registry_builds_every_policy_and_refuses_unknowns():
    scn = tiny()
    for name in POLICY_NAMES:
        p = policy(name, 1, scn)
        assert p.name == name
    with pytest.raises(UsageError, match="no policy"):
        make_policy("oracle", 0, scn)
    with pytest.raises(UsageError, match="difficulty"):
        make_policy("heuristic", 0, scn, "brutal")
    with pytest.raises(UsageError, match="no side"):
        make_policy("random", 2, scn)
    with pytest.raises(UsageError, match="takes no options"):
        make_policy("heuristic", 0, scn, futures=3)
    with pytest.raises(UsageError, match="lookahead needs"):
        make_policy("lookahead", 0, scn, horizon=0)


# ------------------------------------------------------------------ legality


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st_.integers(0, 10_000),
    turns=st_.integers(0, 12),
    runs=st_.integers(1, 3),
    side=st_.integers(0, 1),
    difficulty=st_.sampled_from(["easy", "normal", "hard"]),
)
def test_every_order_of_every_policy_is_legal(seed, turns, runs, side, difficulty):
    scn = tiny()
    st = advance(scn, runs, seed, turns)
    for name in POLICY_NAMES:
        d = decide(policy(name, side, scn, difficulty), scn, st, side)
        refused = check(scn, observe(scn, st, side), side, d.orders)
        assert not refused.any(), (name, refused)
        others = scn.force_side != side
        assert (d.orders.kind[:, others] == NO_ORDER).all(), name
        assert not d.orders.sue[:, 1 - side].any(), name


def test_orders_are_legal_on_the_main_scenario_too():
    from engine_helpers import MAIN

    scn = load_scenario(MAIN)
    st = advance(scn, 2, 3, 6)
    for name in ("random", "heuristic", "historical"):
        for side in range(scn.S):
            d = decide(policy(name, side, scn), scn, st, side)
            assert not check(scn, observe(scn, st, side), side, d.orders).any(), name


# ------------------------------------------------------------------ fog of war


def _hide(scn, st: CampaignState, side: int, salt: int) -> CampaignState:
    """Return a different true state that gives ``side`` exactly the same observation.

    Only what the observation never shows is changed: the other side's will, the
    cohesion, supply, digging-in, garrison flag and destination of its forces, and the
    place and strength of its forces ``side`` does not see (moved only between
    provinces nobody of ``side`` watches, so they stay unseen).
    """
    out = st.copy()
    e = 1 - side
    cols = np.flatnonzero(scn.force_side == e)
    seen = observe(scn, st, side).seen
    key = rng.root_key(salt, rng.Stream.TEST, st.run_ids)
    shape = (st.runs, cols.size)

    def u(i: int, lo: float, hi: float, cols_: np.ndarray = cols) -> np.ndarray:
        return lo + (hi - lo) * rng.uniform(key[:, None], i, cols_[None, :])

    out.will[:, e] = 0.05 + 0.95 * rng.uniform(key, 1)
    out.cohesion[:, cols] = u(2, 0.05, 1.0)
    out.supplied[:, cols] = u(3, 0.0, 1.0) < 0.5
    out.dug_in[:, cols] = np.floor(u(4, 0.0, 5.0)).astype(np.int16)
    out.garrisoned[:, cols] = u(5, 0.0, 1.0) < 0.5
    assert out.cohesion[:, cols].shape == shape
    watched = in_sight(scn, st, side)
    scale = u(6, 0.3, 2.0)
    where = u(7, 0.0, 1.0)
    for r in range(st.runs):
        hidden = np.flatnonzero(~watched[r])
        for j, f in enumerate(cols):
            if seen[r, f] or st.status[r, f] != ForceStatus.ACTIVE:
                continue
            out.men[r, f] = max(int(st.men[r, f] * scale[r, j]), scn.rules.min_force)
            if st.nxt[r, f] == NONE and hidden.size:
                out.loc[r, f] = hidden[int(where[r, j] * hidden.size)]
                out.dest[r, f] = NONE
    return out


def _same_observation(a, b) -> bool:
    return all(
        np.array_equal(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
    )


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st_.integers(0, 10_000), turns=st_.integers(0, 10), side=st_.integers(0, 1))
def test_two_states_with_one_observation_give_the_same_orders(seed, turns, side):
    scn = tiny()
    st = advance(scn, 2, seed, turns)
    other = _hide(scn, st, side, seed)
    assert _same_observation(observe(scn, st, side), observe(scn, other, side))
    for name in POLICY_NAMES:
        a = decide(policy(name, side, scn), scn, st, side)
        b = decide(policy(name, side, scn), scn, other, side)
        assert np.array_equal(a.orders.kind, b.orders.kind), name
        assert np.array_equal(a.orders.target, b.orders.target), name
        assert np.array_equal(a.orders.sue, b.orders.sue), name


def test_the_perturbation_does_change_the_hidden_state():
    """Guard for the test above: it must compare genuinely different true states."""
    scn = tiny()
    st = advance(scn, 2, 5, 4)
    other = _hide(scn, st, 0, 5)
    assert not np.array_equal(st.will, other.will)
    assert not np.array_equal(st.cohesion, other.cohesion)


# ------------------------------------------------------------------ determinism


def test_policies_are_deterministic_and_blind_to_the_rest_of_the_batch():
    scn = tiny()
    st = advance(scn, 4, 21, 5)
    for name in POLICY_NAMES:
        for side in range(scn.S):
            whole = decide(policy(name, side, scn), scn, st, side)
            again = decide(policy(name, side, scn), scn, st, side)
            assert np.array_equal(whole.orders.kind, again.orders.kind), name
            for r in (0, 3):
                alone = decide(policy(name, side, scn), scn, st.select([r]), side)
                assert np.array_equal(alone.orders.kind[0], whole.orders.kind[r]), (name, r)
                assert np.array_equal(alone.orders.target[0], whole.orders.target[r]), (name, r)


def test_random_policy_draws_every_legal_order_and_depends_on_its_keys():
    from game.engine.orders import legal_orders
    from game.engine.state import initial_state as init

    scn = tiny()
    st = init(scn, 1, 0)
    obs = observe(scn, st, 0)
    legal = {(o.force, int(o.kind), o.target) for o in legal_orders(scn, obs, 0)}
    pol = make_policy("random", 0, scn)
    drawn = set()
    for turn in range(400):
        d = pol.decide(scn, obs, policy_keys(0, [0], turn, 0))
        for f in np.flatnonzero(d.orders.kind[0] != NO_ORDER):
            drawn.add((int(f), int(d.orders.kind[0, f]), int(d.orders.target[0, f])))
    assert drawn == legal


@pytest.mark.parametrize("name", ["heuristic", "historical"])
def test_a_run_decides_the_same_alone_as_in_a_batch_on_the_main_scenario(name):
    # The heuristic's batch-wide shortcuts (an order of forces taken over the whole batch,
    # float32 sums over the slots the batch used) once made a run's orders depend on its
    # batch-mates, and a study's results on its chunk size.
    scn = load_scenario(MAIN)
    st = initial_state(scn, 6, 11)
    pols = [make_policy(name, s, scn) for s in range(scn.S)]
    for _ in range(8):
        whole = [decide(pols[s], scn, st, s) for s in range(scn.S)]
        for r in range(st.runs):
            for s in range(scn.S):
                alone = decide(pols[s], scn, st.select([r]), s)
                for part in ("kind", "target", "sue"):
                    got = getattr(alone.orders, part)[0]
                    assert np.array_equal(got, getattr(whole[s].orders, part)[r]), (r, s, part)
        orders = whole[0].orders.merge(whole[1].orders, np.flatnonzero(scn.force_side == 1))
        orders.sue[:, 1] |= whole[1].orders.sue[:, 1]
        st, _ = step(scn, st, orders)
