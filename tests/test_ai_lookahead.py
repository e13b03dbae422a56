"""The look-ahead: guessed states from the observation only, its own dice, its choice."""

from __future__ import annotations

import dataclasses
import functools
import re

import numpy as np
from engine_helpers import TINY
from test_ai_policies import _hide, _same_observation, advance

from game import rng
from game.ai import make_policy
from game.ai.base import policy_keys
from game.ai.blow import blow, explain_blow
from game.ai.clearing import clearing, clearing_all, gain_places, spare
from game.ai.decisive import all_in, decisive, explain_decisive, foothold_kept, main_army
from game.ai.determinize import ROLLOUT_SEED, determinize
from game.ai.features import situation
from game.ai.forecast import WEIGHTS, score, treaty_now
from game.ai.heuristic import think
from game.ai.personality import Personality
from game.ai.rollout_players import PlanFollower, SharedFirst, take
from game.ai.rollouts import Verdict, choose
from game.codes import ForceStatus, OrderKind
from game.engine.observe import in_sight, observe
from game.engine.orders import Orders, check
from game.engine.state import initial_state
from game.engine.turn import step
from game.paths import default_scenario
from game.scenario.load import load_scenario


@functools.cache
def tiny():
    return load_scenario(TINY)


def keys_for(st, side, salt=0):
    return rng.derive(policy_keys(st.seed, st.run_ids, st.turn, side), salt)


def test_guessed_states_depend_on_the_observation_alone():
    scn = tiny()
    for seed in (3, 8):
        st = advance(scn, 3, seed, 5)
        other = _hide(scn, st, 1, seed)
        assert _same_observation(observe(scn, st, 1), observe(scn, other, 1))
        a = determinize(scn, observe(scn, st, 1), keys_for(st, 1))
        b = determinize(scn, observe(scn, other, 1), keys_for(st, 1))
        for k, v in a.arrays().items():
            assert np.array_equal(v, b.arrays()[k]), k


def test_guessed_states_keep_what_the_side_knows_and_place_the_rest_out_of_sight():
    scn = tiny()
    st = advance(scn, 4, 11, 4)
    side = 0
    obs = observe(scn, st, side)
    g = determinize(scn, obs, keys_for(st, side))
    own = scn.force_side == side
    for k in ("loc", "nxt", "dest", "men", "cohesion", "status", "commander", "dug_in"):
        assert np.array_equal(getattr(g, k)[:, own], getattr(st, k)[:, own]), k
    for k in ("owner", "held_since", "cmd_state", "fired", "talks", "last_battle"):
        assert np.array_equal(getattr(g, k), getattr(st, k)), k
    assert np.array_equal(g.will[:, side], st.will[:, side])
    seen = obs.seen & ~own[None, :]
    assert np.array_equal(g.loc[seen], st.loc[seen])
    watched = in_sight(scn, st, side)
    placed = ~own[None, :] & ~obs.seen & (g.status == ForceStatus.ACTIVE)
    r, f = np.nonzero(placed)
    assert not watched[r, g.loc[r, f]].any()  # a force placed in sight would have been seen
    # Its own dice: the rollout's keys are not the game's.
    assert g.seed == ROLLOUT_SEED != st.seed
    assert not np.isin(g.run_ids, st.run_ids).any()
    # And the guess is a state the engine can play on.
    nxt, _ = step(
        scn, g, make_policy("random", side, scn).decide(scn, obs, keys_for(st, side)).orders
    )
    assert nxt.turn == g.turn + 1


def test_different_futures_guess_differently():
    scn = tiny()
    st = advance(scn, 1, 2, 3)
    obs = observe(scn, st, 0)
    many = dataclasses.replace(
        obs,
        **{
            f.name: np.repeat(getattr(obs, f.name), 16, axis=0)
            for f in dataclasses.fields(obs)
            if isinstance(getattr(obs, f.name), np.ndarray) and f.name != "own"
        },
    )
    g = determinize(scn, many, rng.derive(np.uint64(5), np.arange(16)))
    enemy = scn.force_side == 1
    assert len({g.men[i, enemy].tobytes() for i in range(16)}) > 1


def test_score_ranks_a_won_war_above_a_draw_above_a_lost_one():
    scn = tiny()
    st = advance(scn, 3, 1, 2)
    st.over[:] = True
    st.outcome[:] = [
        scn.outcome_index["northern_conquest"],
        scn.outcome_index["status_quo"],
        scn.outcome_index["southern_triumph"],
    ]
    total, result = score(scn, st, 0)
    assert list(result) == [1.0, 0.0, -1.0]
    assert total[0] > total[1] > total[2]
    flipped, _ = score(scn, st, 1)
    assert flipped[2] > flipped[1] > flipped[0]


def test_it_picks_the_plan_the_rollouts_rate_best_and_says_so():
    scn = tiny()
    st = advance(scn, 1, 4, 2)
    pol = make_policy("lookahead", 0, scn, futures=3, horizon=2, plans=4)
    obs = observe(scn, st, 0)
    before = {
        f.name: np.copy(getattr(obs, f.name))
        for f in dataclasses.fields(obs)
        if isinstance(getattr(obs, f.name), np.ndarray)
    }
    d = pol.decide(scn, obs, policy_keys(st.seed, st.run_ids, st.turn, 0), explain=True)
    for k, v in before.items():
        assert np.array_equal(v, getattr(obs, k)), k  # the observation is left alone
    v = pol.last_verdict
    judged = np.isfinite(v.mean[0])
    assert judged[0] and judged[v.plan[0]]
    assert v.mean[0][v.plan[0]] >= v.mean[0][0]  # never a plan rated worse than the default
    assert v.depth == 2
    head = re.compile(
        r"^look-ahead: the '[\w-]+' plan, best of \d judged over 3 futures of 2 turns"
    )
    assert head.match(d.explanations[0].text) and d.explanations[0].force == -1
    assert all(e.force >= 0 for e in d.explanations[1:] if not e.text.startswith("sue"))


def test_a_time_budget_stops_the_rollouts_deepening():
    scn = tiny()
    st = advance(scn, 1, 6, 1)
    obs = observe(scn, st, 1)
    keys = policy_keys(st.seed, st.run_ids, st.turn, 1)
    pol = make_policy("lookahead", 1, scn, futures=2, horizon=4, plans=2, time_budget=1e-6)
    pol.decide(scn, obs, keys)
    assert pol.last_verdict.depth == 1
    pol = make_policy("lookahead", 1, scn, futures=2, horizon=4, plans=2)
    pol.decide(scn, obs, keys)
    assert pol.last_verdict.depth == 4


def test_an_alternative_plan_must_beat_the_default_by_more_than_luck():
    base = np.array([0.0, 1.0, -1.0, 0.5, -0.5, 0.2, 0.1, -0.2])
    steady = base + 0.3 + 0.01 * np.arange(8)  # better in every future
    lucky = base + np.array([3.0, -2.5, 2.0, -2.0, 2.5, -1.5, 1.0, 1.0])  # higher mean, noisy
    values = np.stack([np.stack([base, lucky, steady]), np.stack([base, lucky, base - 0.1])])
    values[1, 2] = np.nan  # not judged (it duplicated another plan)
    assert lucky.mean() > steady.mean()
    assert list(choose(values)) == [2, 0]


def test_score_forecasts_from_the_balance_of_fighting_men_when_the_outcome_is_the_same():
    scn = tiny()
    st = advance(scn, 1, 5, 2).select(np.array([0, 0]))
    st.over[:] = False
    ours = scn.force_side == 0
    st.men[1, ours] = st.men[1, ours] * 9 // 10  # the second run has lost a tenth of its men
    total, result = score(scn, st, 0)
    assert result[0] == result[1]
    assert total[0] > total[1]
    theirs, _ = score(scn, st, 1)
    assert theirs[1] > theirs[0]


def test_a_plan_kept_from_last_turn_is_the_one_to_beat():
    d = np.array([0.0, 1.0, -1.0, 0.5, -0.5, 0.2])
    wobble = np.array([0.3, -0.3, 0.3, -0.3, 0.3, -0.3])
    values = np.stack([d, d + wobble, d + 0.05 + wobble, d + 1.0 + 0.01 * wobble])[None]
    assert choose(values)[0] == 3  # surely better than the default
    assert choose(values, [2])[0] == 3  # and than the kept plan
    values[0, 3] = np.nan  # without it: plan 2 is within luck of the default ...
    assert choose(values)[0] == 0
    assert choose(values, [2])[0] == 2  # ... so a kept plan 2 stays


def test_the_plan_played_last_turn_is_recalled_by_run_id_and_for_the_next_turn_only():
    scn = tiny()
    st = advance(scn, 4, 2, 1)
    pol = make_policy("lookahead", 0, scn, futures=2, horizon=1, plans=3)
    obs = observe(scn, st, 0)
    obs = dataclasses.replace(obs, run_ids=np.array([10, 11, 12, 13]))
    peace = len(pol.variants) + len(pol.schemes)  # after the personalities and schemes
    pol._remember(obs, np.array([1, 2, 0, peace]))
    nxt = dataclasses.replace(obs, turn=obs.turn + 1, run_ids=np.array([13, 11, 99]))
    nxt = take(nxt, [0, 1, 2])
    assert list(pol._recall(nxt)) == [0, 2, 0]
    later = dataclasses.replace(nxt, turn=obs.turn + 2)
    assert list(pol._recall(later)) == [0, 0, 0]
    unkept = make_policy("lookahead", 0, scn, futures=2, horizon=1, plans=3, commit=False)
    d = unkept.decide(scn, observe(scn, st, 0), keys_for(st, 0))
    assert d.orders.kind.shape[0] == 4 and list(unkept.last_verdict.kept) == [0, 0, 0, 0]


def occupy_the_south(scn, st):
    """Give the first side every province, its forces standing in the second's richest."""
    st.owner[:] = 0
    homes = np.flatnonzero(scn.home_side == 1)
    homes = homes[np.argsort(-scn.value[homes], kind="stable")]
    ours = np.flatnonzero(scn.force_side == 0)
    st.status[:, ours] = ForceStatus.ACTIVE
    st.men[:, ours] = np.maximum(st.men[:, ours], scn.rules.control_men)
    st.loc[:, ours] = homes[np.arange(ours.size) % homes.size]
    st.nxt[:, ours] = -1
    held = np.unique(homes[np.arange(ours.size) % homes.size])
    return scn.value[held].sum() >= scn.model.victory.margin


def test_the_treaty_now_result_is_judged_as_at_a_treaty():
    scn = tiny()
    st = advance(scn, 1, 5, 2).select(np.array([0, 0]))
    st.over[:] = False
    assert occupy_the_south(scn, st)
    st.loc[1, scn.force_side == 0] = np.flatnonzero(scn.home_side == 0)[0]  # all gone home
    won, empty = treaty_now(scn, st, 0)
    assert won == 1.0 and empty == 0.0  # enemy land no one holds goes back at the peace
    assert list(treaty_now(scn, st, 1)) == [-1.0, 0.0]


def test_the_treaty_now_outcome_counts_more_as_the_treaty_nears():
    scn = tiny()
    st = advance(scn, 1, 5, 2).select(np.array([0, 0, 0]))
    st.over[:] = False
    talks_turns = scn.talks.turns
    st.talks[:] = [-1, talks_turns // 2, talks_turns]  # no talks; halfway; signing now
    assert occupy_the_south(scn, st)  # a treaty now is the first side's win
    total, result = score(scn, st, 0)
    assert result[0] == result[1] == result[2] == 1.0
    near = 1.0 - (talks_turns - talks_turns // 2) / talks_turns
    expected = np.minimum(total[0] + WEIGHTS[1] * np.array([0.0, near, 1.0]), 1.0)
    assert WEIGHTS[1] > 0 and total[0] < 1.0
    assert np.allclose(total, expected)  # the same state but for the talks


def a_detachment_on_southern_land(runs=2):
    """A northern horse of 300 in the South's Dal, the South's army next door at Sudby.

    In run 0 the North holds Dal; in the others the South still does.
    """
    scn = tiny()
    st = initial_state(scn, runs, 1)
    fi, pi = scn.force_index, scn.province_index
    horse, army = fi["north_horse"], fi["south_army"]
    for f, at in ((horse, "dal"), (army, "sudby")):
        st.loc[:, f], st.nxt[:, f], st.status[:, f] = pi[at], -1, ForceStatus.ACTIVE
    st.men[:, horse] = 300
    st.owner[:, pi["dal"]] = 1
    st.owner[0, pi["dal"]] = 0
    return scn, st


def test_the_clearing_plan_sends_a_column_against_the_enemys_hold_on_own_land():
    scn, st = a_detachment_on_southern_land()
    obs = observe(scn, st, 1)
    sit = situation(scn, obs)
    assert list(gain_places(sit)[:, scn.province_index["dal"]]) == [1.0, 0.0]
    base = think(scn, obs, keys_for(st, 1), Personality()).orders
    army = scn.force_index["south_army"]
    assert base.kind[0, army] != OrderKind.ATTACK  # the heuristic leaves the horse be
    out, changed = clearing(sit, base)
    assert list(changed) == [True, False]
    assert out.kind[0, army] == OrderKind.ATTACK
    assert out.target[0, army] == scn.province_index["dal"]
    assert (check(scn, obs, 1, out) == 0).all()
    assert (out.kind[1] == base.kind[1]).all() and (out.target[1] == base.target[1]).all()


def test_the_look_ahead_judges_the_clearing_plan_where_it_differs():
    scn, st = a_detachment_on_southern_land()
    pol = make_policy("lookahead", 1, scn, futures=2, horizon=2, plans=1)
    pol.decide(scn, observe(scn, st, 1), keys_for(st, 1))
    v = pol.last_verdict
    k = v.names.index("clear")
    assert np.isfinite(v.mean[0, k]) and np.isnan(v.mean[1, k])  # run 1: same as default


def test_the_enemys_first_rollout_turn_is_decided_once_per_future_with_the_same_orders():
    scn = tiny()
    st = advance(scn, 3, 4, 2)
    rows = np.array([0, 1, 2, 0, 1, 2, 0])
    many = st.select(rows)
    many.run_ids = st.run_ids[rows]
    obs = observe(scn, many, 0)
    keys = keys_for(many, 0)
    alone = make_policy("heuristic", 0, scn).decide(scn, obs, keys).orders
    shared = SharedFirst(make_policy("heuristic", 0, scn), rows).decide(scn, obs, keys).orders
    assert (shared.kind == alone.kind).all() and (shared.target == alone.target).all()
    assert (shared.sue == alone.sue).all()


def test_the_clearing_plans_column_says_where_it_goes_and_why():
    scn, st = a_detachment_on_southern_land(1)
    pol = make_policy("lookahead", 1, scn, futures=2, horizon=1, plans=1)
    obs = observe(scn, st, 1)
    sit = situation(scn, obs)
    base = think(scn, obs, keys_for(st, 1), Personality())
    cleared, _ = clearing(sit, base.orders)
    thoughts = [base, dataclasses.replace(base, orders=cleared)]
    v = Verdict(
        np.array([1]),
        ["default", "clear"],
        np.array([[0.0, 0.5]]),
        np.array([[0.0, 1.0]]),
        2,
        1,
        np.array([0]),
    )
    lines = pol._explain(scn, obs, thoughts, v)
    army = scn.force_index["south_army"]
    said = [e.text for e in lines if e.force == army]
    assert said == ["attack Dal: the enemy's hold there is what its gain at the peace rests on"]
    assert "'clear' plan" in lines[0].text


def test_with_talks_open_a_rollout_plays_on_to_the_treaty_due():
    scn = tiny()
    st = advance(scn, 3, 6, 1)
    st.over[:] = False
    st.talks[:] = [-1, 0, scn.talks.turns]
    pol = make_policy("lookahead", 0, scn, futures=2, horizon=1, plans=1, signing=8)
    due = scn.talks.turns + 1  # the turns of talking still to come, and the signing
    assert list(pol.rollouts.depths(scn, st)) == [1, due, 1]
    short = make_policy("lookahead", 0, scn, futures=2, horizon=1, plans=1, signing=0)
    assert list(short.rollouts.depths(scn, st)) == [1, 1, 1]
    first = Orders.empty(st.runs, scn.F, scn.S)
    parts, played = pol.rollouts.play(scn, st, first, np.arange(3), 0.0)
    reached = {int(r): part.turn - st.turn for rows, part in parts for r in rows}
    assert reached[0] == reached[2] == 1  # scored where their horizon ends
    assert played == reached[1] == due  # no war of the tiny scenario ends this soon


def an_army_on_southern_land():
    """The North's army in the South's Dal, the South's army at Sudby and levy at Havn.

    The North holds Dal in runs 0 and 1 (with 1,000 and 2,000 men there), the South in
    run 2.
    """
    scn = tiny()
    st = initial_state(scn, 3, 1)
    fi, pi = scn.force_index, scn.province_index
    at = {"north_army": "dal", "north_horse": "nordby", "south_army": "sudby", "south_levy": "havn"}
    for force, place in at.items():
        f = fi[force]
        st.loc[:, f], st.nxt[:, f], st.status[:, f] = pi[place], -1, ForceStatus.ACTIVE
    st.men[:, fi["north_army"]] = [1000, 2000, 2000]
    st.owner[:, pi["dal"]] = 0
    st.owner[2, pi["dal"]] = 1
    return scn, st


def test_the_plan_of_the_blow_sends_the_whole_army_against_the_enemys_hold_or_gathers_it():
    scn, st = an_army_on_southern_land()
    obs = observe(scn, st, 1)
    sit = situation(scn, obs)
    base = think(scn, obs, keys_for(st, 1), Personality()).orders
    out, changed = blow(sit, base)
    army, levy = scn.force_index["south_army"], scn.force_index["south_levy"]
    dal, sudby = scn.province_index["dal"], scn.province_index["sudby"]
    assert (check(scn, obs, 1, out) == 0).all()
    # Run 0: 2,960 men within a turn against 1,000: the blow falls, the levy with it.
    assert changed[0]
    assert list(out.kind[0, [army, levy]]) == [OrderKind.ATTACK, OrderKind.ATTACK]
    assert list(out.target[0, [army, levy]]) == [dal, dal]
    # Run 1: against 2,000 the army gathers at Sudby, the last place before Dal.
    assert out.kind[1, army] == OrderKind.HOLD
    assert (out.kind[1, levy], out.target[1, levy]) == (OrderKind.MARCH, sudby)
    # Run 2: the South holds Dal; nothing to strike.
    assert not changed[2]
    assert (out.kind[2] == base.kind[2]).all() and (out.target[2] == base.target[2]).all()


def test_the_plan_of_the_blows_army_says_where_it_goes_and_why():
    scn, st = an_army_on_southern_land()
    st = st.select(np.array([0]))
    obs = observe(scn, st, 1)
    base = think(scn, obs, keys_for(st, 1), Personality())
    struck, _ = blow(situation(scn, obs), base.orders)
    lines = explain_blow(scn, base.orders, struck, [])
    army = scn.force_index["south_army"]
    said = [e.text for e in lines if e.force == army]
    assert said == [
        "attack Dal with the army: the enemy's army there holds what its gain at the peace rests on"
    ]


def test_a_rollout_plays_a_scheme_on_in_the_turns_after_the_first():
    scn, st = an_army_on_southern_land()
    st.status[:, scn.force_index["north_horse"]] = ForceStatus.ACTIVE
    obs = observe(scn, st, 1)
    keys = keys_for(st, 1)
    heuristic = think(scn, obs, keys, Personality()).orders
    struck, _ = blow(situation(scn, obs), heuristic)
    first = Orders.empty(st.runs, scn.F, scn.S)
    follower = PlanFollower(Personality(), first, np.array([1, 0, 1]), [blow])
    follower.decide(scn, obs, keys)  # the first turn: the plan's own orders
    later = follower.decide(scn, obs, keys).orders
    for r, plays_on in ((0, True), (1, False), (2, True)):
        want = struck if plays_on else heuristic
        assert (later.kind[r] == want.kind[r]).all() and (later.target[r] == want.target[r]).all()


def test_the_plan_of_clearing_every_hold_sends_a_column_against_each():
    scn = tiny()
    st = initial_state(scn, 1, 1)
    fi, pi = scn.force_index, scn.province_index
    at = {"north_horse": "dal", "north_army": "havn", "south_army": "sudby", "south_levy": "sudby"}
    for force, place in at.items():
        f = fi[force]
        st.loc[:, f], st.nxt[:, f], st.status[:, f] = pi[place], -1, ForceStatus.ACTIVE
    st.men[:, [fi["north_horse"], fi["north_army"]]] = 300
    st.owner[:, [pi["dal"], pi["havn"]]] = 0
    obs = observe(scn, st, 1)
    sit = situation(scn, obs)
    base = think(scn, obs, keys_for(st, 1), Personality()).orders
    south = [fi["south_army"], fi["south_levy"]]
    one, _ = clearing(sit, base)
    every, changed = clearing_all(sit, base)
    assert changed[0] and (check(scn, obs, 1, every) == 0).all()
    assert len({int(t) for t in one.target[0, south]} & {pi["dal"], pi["havn"]}) == 1
    assert {int(t) for t in every.target[0, south]} == {pi["dal"], pi["havn"]}


def test_the_plans_of_the_blow_and_of_every_hold_leave_a_conquest_held():
    scn, st = an_army_on_southern_land()
    st = st.select(np.array([0]))
    nordby = scn.province_index["nordby"]
    st.owner[:, nordby] = 1  # the South holds the North's capital with its levy
    levy = scn.force_index["south_levy"]
    st.loc[:, levy] = nordby
    obs = observe(scn, st, 1)
    sit = situation(scn, obs)
    assert not spare(sit)[0, levy] and spare(sit)[0, scn.force_index["south_army"]]
    base = think(scn, obs, keys_for(st, 1), Personality()).orders
    for scheme in (blow, clearing_all):
        out, _ = scheme(sit, base)
        assert out.kind[0, levy] == base.kind[0, levy]
        assert out.target[0, levy] == base.target[0, levy]


def test_the_plan_of_the_decisive_battle_goes_for_the_enemys_main_army_wherever_it_stands():
    scn, st = an_army_on_southern_land()
    st.men[2, scn.force_index["north_army"]] = 1000
    obs = observe(scn, st, 1)
    sit = situation(scn, obs)
    dal = scn.province_index["dal"]
    assert main_army(sit)[:, dal].all() and (main_army(sit).sum(axis=1) == 1).all()
    base = think(scn, obs, keys_for(st, 1), Personality()).orders
    out, changed = decisive(sit, base)
    army = scn.force_index["south_army"]
    assert (check(scn, obs, 1, out) == 0).all()
    # Run 0 as the blow: 2,960 men within a turn against 1,000 attack.
    assert (out.kind[0, army], out.target[0, army]) == (OrderKind.ATTACK, dal)
    # Run 2: Dal is the South's; the blow has no hold to strike, the battle has an army.
    _, blown = blow(sit, base)
    assert not blown[2] and changed[2]
    assert (out.kind[2, army], out.target[2, army]) == (OrderKind.ATTACK, dal)
    lines = explain_decisive(scn, base, out, [])
    said = [e.text for e in lines if e.force == army]
    assert said == ["attack Dal with the army: the battle against the enemy's main army"]


def an_army_in_la_paz_and_two_conquests():
    """Peru's army in La Paz; Bolivia holding Tacna (380 men) and Arequipa (600)."""
    scn = load_scenario(default_scenario())
    st = initial_state(scn, 1, 1)
    fi, pi = scn.force_index, scn.province_index
    for force, place in {
        "peru_gamarra": "la_paz",
        "bol_rojas": "tacna",
        "bol_lara": "arequipa",
    }.items():
        f = fi[force]
        st.loc[:, f], st.nxt[:, f], st.status[:, f] = pi[place], -1, ForceStatus.ACTIVE
    st.owner[:, pi["la_paz"]] = 0
    st.owner[:, [pi["tacna"], pi["arequipa"]]] = 1
    return scn, st


def test_the_blow_with_every_force_keeps_one_foothold_and_sends_the_rest():
    scn, st = an_army_in_la_paz_and_two_conquests()
    obs = observe(scn, st, 1)
    sit = situation(scn, obs)
    rojas, lara = scn.force_index["bol_rojas"], scn.force_index["bol_lara"]
    kept = foothold_kept(sit)
    assert kept[0, rojas] and kept.sum() == 1  # the smaller of the two holds its town
    base = think(scn, obs, keys_for(st, 1), Personality()).orders
    base.kind[0, lara], base.target[0, lara] = OrderKind.HOLD, -1
    out, changed = all_in(sit, base)
    assert changed[0] and (check(scn, obs, 1, out) == 0).all()
    assert (out.kind[0, rojas], out.target[0, rojas]) == (
        base.kind[0, rojas],
        base.target[0, rojas],
    )
    assert out.kind[0, lara] == OrderKind.MARCH  # the other conquest's men join the army
    blown, _ = blow(sit, base)
    assert blown.kind[0, lara] == OrderKind.HOLD  # the blow leaves every conquest held


def test_a_column_of_clearing_never_marches_through_the_enemys_army():
    """Run 0: Peru's army in La Paz, on the road from Sica Sica to Tiwanaku; run 1: at Puno."""
    scn = load_scenario(default_scenario())
    st = initial_state(scn, 2, 1)
    fi, pi = scn.force_index, scn.province_index
    at = {
        "peru_gamarra": ["la_paz", "puno"],
        "peru_san_roman": ["tiwanaku", "tiwanaku"],
        "bol_velasco": ["sica_sica", "sica_sica"],
        "bol_ballivian": ["sucre", "sucre"],
        "bol_herrera": ["sucre", "sucre"],
    }
    for force, places in at.items():
        for r, place in enumerate(places):
            f = fi[force]
            st.loc[r, f], st.nxt[r, f], st.status[r, f] = pi[place], -1, ForceStatus.ACTIVE
    st.loc[:, [fi["peru_cavalry"], fi["peru_la_paz_garrison"]]] = pi["puno"]
    st.owner[:, [pi["la_paz"], pi["tiwanaku"]]] = 0
    obs = observe(scn, st, 1)
    sit = situation(scn, obs)
    base = think(scn, obs, keys_for(st, 1), Personality()).orders
    velasco, tiwanaku = fi["bol_velasco"], pi["tiwanaku"]
    for scheme in (clearing, clearing_all):
        out, _ = scheme(sit, base)
        assert (check(scn, obs, 1, out) == 0).all()
        # Run 1: the road is clear; the column marches on the weak hold at Tiwanaku.
        assert (out.kind[1, velasco], out.target[1, velasco]) == (OrderKind.MARCH, tiwanaku)
        # Run 0: that road runs through Peru's army in La Paz; no column takes it.
        assert not sit.clear[0, velasco, tiwanaku]
        assert out.target[0, velasco] != tiwanaku
