"""The engine's per-turn shortcuts give what the long way gave.

A state's copy and selection are built from its fields directly; the conditions' code
is found by the caller's tuple; the events' conditions are one tuple kept per scenario.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from game import load_scenario
from game.ai import make_policy
from game.engine.conditions import holds, program
from game.engine.events import _whens, evaluate
from game.engine.state import CampaignState, initial_state
from game.paths import default_scenario
from game.play_loop import play_from


def _played(runs: int = 4, turns: int = 5):
    scn = load_scenario(default_scenario())
    policies = {s: make_policy("heuristic", s, scn) for s in range(scn.S)}
    state = initial_state(scn, runs, 7)
    return scn, play_from(scn, state, policies, max_turns=turns, compact=False)


def test_copy_and_select_are_the_fields_copied():
    _, st = _played()
    names = [f.name for f in dataclasses.fields(CampaignState)]
    rows = np.array([3, 0, 3])
    for made, pick in ((st.copy(), slice(None)), (st.select(rows), rows)):
        assert type(made) is CampaignState and list(vars(made)) == names
        for name in names:
            mine, theirs = getattr(made, name), getattr(st, name)
            if isinstance(theirs, np.ndarray):
                assert mine is not theirs and not np.shares_memory(mine, theirs)
                assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs[pick])
            else:
                assert mine == theirs
    again = st.copy()
    again.men[:] = 0
    assert st.men.any(), "a copy shares nothing with the state it was made from"


def test_conditions_found_by_their_tuple_are_the_same_code_and_answers():
    scn, st = _played()
    whens = _whens(scn)
    assert whens is _whens(scn)
    fresh = [ev.when for ev in scn.events]
    assert program(scn, whens) is program(scn, whens)
    slow, fast = program(scn, fresh), program(scn, whens)
    assert np.array_equal(slow.code, fast.code) and np.array_equal(slow.value, fast.value)
    assert np.array_equal(holds(scn, st, fresh, st.turn), holds(scn, st, whens, st.turn))
    other = tuple(reversed(whens))  # another tuple of the same conditions: its own code
    assert np.array_equal(holds(scn, st, other, st.turn), holds(scn, st, whens, st.turn)[:, ::-1])
    for cond in [w for w in whens if w is not None][:6]:
        assert np.array_equal(
            evaluate(scn, st, cond, st.turn), holds(scn, st, [cond], st.turn)[:, 0]
        )
