"""The events phase skips the events due nowhere their condition holds: the same firings.

``run_events`` visits every event due somewhere this turn, in the scenario's order; an
event whose condition holds in none of the runs where it is due, while nothing has fired
since the conditions were read, now costs nothing.  The loop as it was (written out here)
and the phase must leave the same state and the same records, turn after turn, in wars
of the 1841 scenario (its what-if with the most events) and the example wars, in a batch.
"""

from __future__ import annotations

import numpy as np
import pytest

from game import rng
from game.engine import events
from game.engine.conditions import holds
from game.engine.context import Phase, new_context
from game.engine.state import initial_state
from game.play_loop import play_turn
from game.scenario.load import load_scenario
from game.study.policy_names import make_all
from tests.engine_helpers import MAIN, ROOT, assert_same_state

SCENARIOS = [
    MAIN,
    ROOT / "scenarios" / "counterfactuals" / "peru_civil_strife.yaml",
    ROOT / "scenarios" / "examples" / "war_of_the_salt_road.yaml",
]


def _reference(scn, st, ctx):
    """The events phase as it visited every due event."""
    turn = ctx.turn
    enabled, once, t0, conditional = events._calendar(scn)
    dated = np.where(conditional, turn >= t0, turn == t0) | (t0 == events._UNDATED)
    due = ctx.live[:, None] & (enabled & dated)[None, :] & ~(st.fired & once[None, :])
    whens = tuple(ev.when for ev in scn.events)
    asked = due.any(axis=0) & conditional
    held = None
    stale = np.zeros(st.runs, bool)
    for e in np.flatnonzero(due.any(axis=0)).tolist():
        ev = scn.events[e]
        now = due[:, e]
        if ev.when is not None:
            if held is None:
                held = np.zeros(due.shape, bool)
                rows = np.flatnonzero(due.any(axis=1))
                held[rows] = holds(scn, st, whens, turn, rows=rows, want=asked)
            elif stale.any():
                again = np.flatnonzero(stale)
                asked[:e] = False
                held[again] = holds(scn, st, whens, turn, rows=again, want=asked)
            stale[:] = False
            now = now & held[:, e]
        if ev.chance < 1.0 and now.any():
            now = now & (rng.uniform(ctx.key(Phase.EVENTS, e)) < ev.chance)
        if not now.any():
            continue
        st.fired[now, e] = True
        ctx.rec("events").add(run=np.flatnonzero(now), event=e)
        ctx.event = e
        for eff in ev.effects:
            events.apply_effect(scn, st, ctx, eff, now)
        ctx.event = -1
        stale |= now


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_events_phase_fires_as_the_loop_over_every_due_event(path):
    scn = load_scenario(path)
    policies = make_all(dict.fromkeys(scn.side_ids, "heuristic"), scn, "normal")
    st = initial_state(scn, np.arange(6), 3)
    fired = 0
    for _ in range(14):
        got, want = st.copy(), st.copy()
        ctx_got = new_context(scn, got, record_moves=False)
        ctx_want = new_context(scn, want, record_moves=False)
        events.run_events(scn, got, ctx_got)
        _reference(scn, want, ctx_want)
        assert_same_state(got, want)
        assert ctx_got.records.keys() == ctx_want.records.keys()
        for name, rec in ctx_want.records.items():
            a, b = ctx_got.records[name].table(), rec.table()
            assert a.keys() == b.keys()
            assert all(np.array_equal(a[k], b[k]) for k in a), name
        fired += int(got.fired.sum())
        st = play_turn(scn, st, policies).after
    assert fired > 0
