"""The shared campaign runner: finished runs set aside change nothing but the time."""

from __future__ import annotations

import numpy as np
from engine_helpers import TINY, random_orders

from game.ai.base import Decision
from game.engine.state import initial_state
from game.engine.turn import step
from game.play_loop import play
from game.scenario.load import load_scenario


class RandomLegal:
    """A test policy: random legal orders for its side from the test stream."""

    name = "test-random"

    def __init__(self, scn, side):
        self.scn, self.side = scn, side

    def decide(self, scn, obs, keys, *, explain=False):
        orders = random_orders(scn, obs, 17)  # keyed per run inside, like a real policy
        mine = scn.force_side == self.side
        orders.kind[:, ~mine] = -1
        return Decision(orders)


def test_play_equals_stepping_each_run_alone_and_sub_ranges_match():
    scn = load_scenario(TINY)
    policies = {s: RandomLegal(scn, s) for s in range(scn.S)}
    seen = []
    # Seed 8: ten of the forty wars end two turns early (any seed with early ends will do).
    full = play(scn, policies, 40, 8, on_turn=[lambda turn: seen.append(turn.where.size)])
    assert full.over.all()
    assert seen[-1] < 40  # finished runs were set aside on the way
    part = play(scn, policies, np.arange(12, 20), 8)
    for k, v in part.arrays().items():
        assert np.array_equal(full.arrays()[k][12:20], v), k


def test_play_matches_a_plain_loop_of_steps():
    scn = load_scenario(TINY)
    policies = {s: RandomLegal(scn, s) for s in range(scn.S)}
    from game.play_loop import decide_all

    st = initial_state(scn, 6, 9)
    while not st.over.all():
        st, _ = step(scn, st, decide_all(scn, st, policies))
    ran = play(scn, policies, 6, 9)
    for k, v in st.arrays().items():
        assert np.array_equal(ran.arrays()[k], v), k
