"""The sides' sight and the observation's memory, worked out once a turn.

The engine works out each side's sight at the end of a turn for the memory; the play loop
hands it to the next turn's observations and memory instead of having it worked out again
(the premises, the same for both sides, are read once a turn).  The view kernel lays the
memory under the current sight in the same pass that masks the state.  Each is checked
here against what it replaces: the sight worked out from the state, and the memory laid
under the sight with numpy.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from engine_helpers import MAIN, TINY, random_orders
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from game import rng
from game.ai import make_policy
from game.engine.observe import in_sight, observe, premises_held
from game.engine.state import initial_state
from game.engine.turn import step
from game.play_loop import Turn, play_from, play_turn
from game.scenario.load import load_scenario

SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def scenario(name: str):
    return load_scenario(TINY if name == "tiny" else MAIN)


def _played(scn, runs: int, seed: int, turns: int):
    st = initial_state(scn, runs, seed)
    out = [st]
    for _ in range(turns):
        st, _ = step(scn, st, random_orders(scn, st, seed % 1000))
        out.append(st)
    return out


@SETTINGS
@given(seed=st_.integers(0, 2**32), name=st_.sampled_from(["tiny", "main"]))
def test_the_memory_laid_under_the_sight_is_numpys_formula(seed, name):
    """``last_men``, ``last_at``, ``last_turn``, ``known_gone`` as the numpy formula gives them.

    The state's memory is replaced by random values (any memory must be laid under the
    sight the same way), in states of random play.
    """
    scn = scenario(name)
    for st in _played(scn, 3, seed, 6)[1:]:
        st = st.copy()
        key = rng.root_key(seed, rng.Stream.TEST, st.run_ids)[:, None, None]
        slots = np.arange(scn.S * scn.F).reshape(1, scn.S, scn.F)

        def u(salt: int, key=key, slots=slots) -> np.ndarray:
            return rng.uniform(key, salt, slots)  # [R, S, F]

        st.memory_men = (u(1) * 5000).astype(np.int32)
        st.memory_at = (u(2) * scn.P).astype(np.int16) - 1
        st.memory_turn = (u(3) * 9).astype(np.int16) - 1
        st.memory_gone = u(4) < 0.3
        for side in range(scn.S):
            obs = observe(scn, st, side)
            seen = obs.seen
            assert np.array_equal(obs.last_men, np.where(seen, obs.men, st.memory_men[:, side]))
            assert np.array_equal(obs.last_at, np.where(seen, obs.loc, st.memory_at[:, side]))
            turn = np.where(seen, np.int16(st.turn), st.memory_turn[:, side]).astype(np.int16)
            assert np.array_equal(obs.last_turn, turn)
            assert np.array_equal(obs.known_gone, st.memory_gone[:, side] & ~seen)
            assert obs.last_men.dtype == np.int32 and obs.last_at.dtype == np.int16
            assert obs.last_turn.dtype == np.int16 and obs.known_gone.dtype == np.bool_


def _same_observation(a, b) -> None:
    for name, value in vars(a).items():
        other = getattr(b, name)
        if isinstance(value, np.ndarray):
            assert value.dtype == other.dtype and np.array_equal(value, other), name
        else:
            assert value == other, name


@SETTINGS
@given(seed=st_.integers(0, 2**32), name=st_.sampled_from(["tiny", "main"]))
def test_a_turns_sight_is_the_sight_of_the_state_it_ends_with(seed, name):
    """The report's sight is :func:`in_sight` of the state after the turn, side by side.

    And an observation given that sight, or the premises, is the observation that works
    them out; a turn played from a given sight is the turn that works it out.
    """
    scn = scenario(name)
    states = _played(scn, 3, seed, 5)
    for before in states[:-1]:
        orders = random_orders(scn, before, seed % 1000)
        sight = np.stack([in_sight(scn, before, s) for s in range(scn.S)])
        plain, rep = step(scn, before, orders)
        given_, rep2 = step(scn, before, orders, sight=sight)
        for name_, value in vars(plain).items():
            other = getattr(given_, name_)
            assert np.array_equal(value, other) if isinstance(value, np.ndarray) else value == other
        for s in range(scn.S):
            assert np.array_equal(rep.sight[s], in_sight(scn, plain, s))
            assert np.array_equal(rep2.sight[s], rep.sight[s])
            _same_observation(
                observe(scn, before, s),
                observe(scn, before, s, sight=sight[s], premises=premises_held(scn, before)),
            )


def test_the_play_loop_hands_on_the_sight_of_the_rows_it_keeps():
    """Over whole wars, finished runs set aside as they go: every turn's observations are
    those worked out from the state, and the wars end as played turn by turn without it."""
    scn = scenario("main")
    policies = {s: make_policy("random", s, scn) for s in range(scn.S)}
    start = initial_state(scn, 6, 3)
    seen: list[Turn] = []

    def check(turn: Turn) -> None:
        seen.append(turn)
        for s in range(scn.S):
            assert np.array_equal(turn.report.sight[s], in_sight(scn, turn.after, s))

    final = play_from(scn, start, policies, on_turn=[check])
    assert len({t.after.runs for t in seen}) > 1  # finished runs were set aside
    st = start
    while not st.over.all() and st.turn < scn.n_turns:
        st = play_turn(scn, st, policies).after
    for name, value in vars(final).items():
        other = getattr(st, name)
        assert np.array_equal(value, other) if isinstance(value, np.ndarray) else value == other
