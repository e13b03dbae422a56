"""The resistance phase in one kernel (phases.resistance._resist) is the array code it replaces.

Risings drawn province by province, garrisons ambushed, the occupiers' will drained: the
phase as it was written with numpy (written out here) and the kernel must leave the same
state, bit for bit, and the same records in the same order, turn after turn, in wars with
occupations (the 1841 war with one side played at random, so that provinces change
hands, and the same war with risings made frequent, so that rising slots come onto the
map, grow and fizzle), in a batch.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from game import libm
from game.codes import NONE, ForceStatus
from game.engine import keyed
from game.engine.context import Phase, new_context
from game.engine.forces import pairs, presence, raise_many, take_men
from game.engine.outcome import home_values
from game.engine.phases.resistance import resist
from game.engine.state import initial_state
from game.play_loop import play_turn
from game.scenario.load import load_scenario
from game.study.policy_names import make_all
from tests.engine_helpers import MAIN, assert_same_state


def _reference(scn, st, ctx):
    """The phase as the array code played it."""
    rules = scn.rules.resistance
    weeks = scn.turn_days / 7.0
    home = scn.home_side.astype(np.int64)
    hostile = (home[None, :] != NONE) & (st.owner != home[None, :]) & ctx.live[:, None]
    hostile &= (ctx.turn - st.held_since) >= rules.min_turns
    hostile &= (scn.resistance > 0)[None, :]
    if not hostile.any():
        return
    pres = presence(scn, st)
    p, r = pairs(hostile.T)
    garrison = pres[r, p, st.owner[r, p].astype(np.int64)]
    need = np.maximum(scn.garrison_needed, 1)[p]
    hazard = (
        rules.rate
        * scn.resistance[p]
        * libm.exp(-rules.garrison_effect * garrison / need)
        * (0.5 + st.will[r, home[p]])
        * weeks
    )
    u1, u2 = keyed.uniform_pairs(ctx.keys, int(Phase.RESISTANCE), r, p)
    rise = (u1 < np.clip(hazard, 0.0, 1.0)) & (scn.partisans[p] > 0)
    men = np.floor(scn.partisans[p] * (0.4 + 0.6 * u2)).astype(np.int64)
    raise_many(scn, st, ctx, r[rise], p[rise], home[p[rise]], men[rise], cause="rising")
    _ambush(scn, st, ctx, hostile, weeks)
    share = scn.value * scn.resistance / home_values(scn)[np.maximum(home, 0)]
    drain = rules.occupier_drain * weeks * (hostile * share[None, :])
    for s in range(scn.S):
        st.will[:, s] = np.clip(st.will[:, s] - (drain * (st.owner == s)).sum(axis=1), 0.0, 1.0)


def _ambush(scn, st, ctx, hostile, weeks):
    rules = scn.rules.resistance
    r, f = pairs((st.status == ForceStatus.ACTIVE) & (st.loc >= 0))
    loc = st.loc[r, f].astype(np.int64)
    occupying = hostile[r, loc] & (st.owner[r, loc] == scn.force_side[f])
    r, f, loc = r[occupying], f[occupying], loc[occupying]
    share = rules.attrition * scn.resistance[loc] * weeks
    expected = st.men[r, f] * share
    u = keyed.uniforms(ctx.keys, int(Phase.RESISTANCE), r, scn.P + f)
    lost = (np.floor(expected) + (u < expected - np.floor(expected))).astype(np.int64)
    if not lost.any():
        return
    killed = np.floor(lost * scn.rules.combat.killed_share).astype(np.int64)
    take_men(scn, st, ctx, r, f, killed, "killed")
    take_men(scn, st, ctx, r, f, lost - killed, "wounded")


def _frequent_risings(scn):
    """The same war with risings ten times as likely (a scenario the rules allow)."""
    res = scn.rules.resistance
    rules = scn.rules.model_copy(
        update={"resistance": res.model_copy(update={"rate": 10 * res.rate})}
    )
    return dataclasses.replace(scn, rules=rules, extra={})


@pytest.mark.parametrize("frequent", [False, True], ids=["as_written", "frequent_risings"])
def test_resistance_phase_is_the_array_code(frequent):
    scn = load_scenario(MAIN)
    if frequent:
        scn = _frequent_risings(scn)
    policies = make_all({scn.side_ids[0]: "heuristic", scn.side_ids[1]: "random"}, scn, "normal")
    st = initial_state(scn, np.arange(12), 5)
    risings = ambushed = 0
    for _ in range(40):
        if st.over.all():
            break
        got, want = st.copy(), st.copy()
        ctx_got = new_context(scn, got, record_moves=False)
        ctx_want = new_context(scn, want, record_moves=False)
        resist(scn, got, ctx_got)
        _reference(scn, want, ctx_want)
        assert_same_state(got, want)
        assert np.array_equal(ctx_got.lost_men, ctx_want.lost_men)
        assert ctx_got.records.keys() == ctx_want.records.keys()
        for name, rec in ctx_want.records.items():
            a, b = ctx_got.records[name].table(), rec.table()
            assert a.keys() == b.keys(), name
            for k in a:
                assert a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]), (name, k)
        risings += ctx_want.records["risings"].__len__() if "risings" in ctx_want.records else 0
        ambushed += int((want.wounded + want.killed - st.wounded - st.killed).sum())
        st = play_turn(scn, st, policies).after
    assert risings > 0 and ambushed > 0
