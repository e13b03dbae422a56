"""The sides' will after a turn, one kernel (phases.peace._will), is the array code it replaces.

Weariness, the battles won and lost, the men, commanders and heads of state lost, the
enemy's home taken and one's own held by the enemy: the array code (written out here)
and the kernel must give the same float32 will, bit for bit, turn after turn, in wars of
the 1841 scenario with battles and occupations (one side played at random), in a batch.
"""

from __future__ import annotations

import numpy as np

from game.engine import turn
from game.engine.combat import combat_params
from game.engine.context import new_context
from game.engine.forces import field_army
from game.engine.outcome import home_values
from game.engine.phases.peace import update_will
from game.engine.state import initial_state
from game.play_loop import decide_all, play_turn
from game.scenario.load import load_scenario
from game.study.policy_names import make_all
from tests.engine_helpers import MAIN


def _reference(scn, st, ctx):
    """The will's update as the array code made it."""
    rules = scn.rules.war_will
    weeks = scn.turn_days / 7.0
    live = ctx.live
    delta = np.zeros(st.will.shape, np.float64)
    delta -= rules.weariness * weeks
    battles = ctx.rec("battles").table()
    if battles:
        field = np.maximum(field_army(scn, st) + ctx.lost_men, 1)
        r, att, win = battles["run"], battles["attacker"].astype(np.int64), battles["winner"]
        decided = win != 0
        winner = np.where(win == 1, att, 1 - att)
        men = np.where(winner == att, battles["att_men"], battles["def_men"])
        won = np.minimum(men / field[r, winner], 1.0)
        men = np.where(winner == att, battles["def_men"], battles["att_men"])
        lost = np.minimum(men / field[r, 1 - winner], 1.0)
        np.add.at(delta, (r[decided], winner[decided]), rules.battle_won * won[decided])
        np.add.at(delta, (r[decided], 1 - winner[decided]), -rules.battle_lost * lost[decided])
    delta -= rules.army_lost * ctx.lost_men / np.maximum(st.arrived, 1)
    delta -= rules.commander_lost * ctx.commanders_lost
    delta -= rules.head_of_state_lost * ctx.heads_of_state_lost
    home_value = home_values(scn)
    for s in range(scn.S):
        enemy = 1 - s
        delta[:, s] += rules.enemy_home_taken * ctx.taken_value[:, s] / home_value[enemy]
        lost_home = (scn.home[s][None, :] & (st.owner != s)) * scn.value[None, :]
        delta[:, s] -= rules.home_held * weeks * lost_home.sum(axis=1) / home_value[s]
    st.will = np.where(live[:, None], np.clip(st.will + delta, 0.0, 1.0), st.will).astype(
        np.float32
    )


def _before_peace(scn, st, orders):
    """Play a turn's phases up to the peace phase on a copy; return it and the turn's context."""
    st = st.copy()
    ctx = new_context(scn, st, record_moves=False)
    turn.arrivals(scn, st, ctx)
    turn.apply_orders(scn, st, ctx, orders)
    turn.move(scn, st, ctx)
    turn.fight(scn, st, ctx, combat_params(scn))
    turn.record_engagements(scn, st, ctx)
    turn.settle_dug_in(st, ctx)
    turn.occupy(scn, st, ctx)
    turn.supply(scn, st, ctx)
    turn.resist(scn, st, ctx)
    turn.disperse_small(scn, st, ctx)
    return st, ctx


def test_will_after_a_turn_is_the_array_code():
    scn = load_scenario(MAIN)
    policies = make_all({scn.side_ids[0]: "heuristic", scn.side_ids[1]: "random"}, scn, "normal")
    st = initial_state(scn, np.arange(12), 9)
    battles = occupied = 0
    for _ in range(40):
        if st.over.all():
            break
        mid, ctx = _before_peace(scn, st, decide_all(scn, st, policies))
        got, want = mid.copy(), mid.copy()
        update_will(scn, got, ctx)
        _reference(scn, want, ctx)
        assert got.will.dtype == want.will.dtype == np.float32
        assert np.array_equal(got.will.view(np.uint32), want.will.view(np.uint32))
        battles += len(ctx.rec("battles"))
        occupied += int((scn.home[None, 0] & (mid.owner != 0)).sum())
        st = play_turn(scn, st, policies).after
    assert battles > 0 and occupied > 0
