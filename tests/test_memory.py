"""Each side's memory of the enemy: what it saw, what it fought, what it saw leave the field.

The memory must hold only what the side learned (an observation it was shown, or a battle
it fought), never the hidden truth; it must be the same for a run alone or in a batch;
saves must carry it, and saves of the format before it must still load.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from engine_helpers import MAIN, TINY, random_orders
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st_

from game.ai import make_policy
from game.codes import ForceStatus
from game.engine.fog import estimate, side_key
from game.engine.observe import observe
from game.engine.state import initial_state
from game.engine.turn import step
from game.game import Game, ScenarioSource
from game.play_loop import play_turn
from game.scenario.load import load_scenario

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def scenario(name: str):
    return load_scenario(TINY if name == "tiny" else MAIN)


def _fought(scn, rep, side):
    """Return ``{(run, force): province}``: enemy forces that fought ``side`` in the turn."""
    out = {}
    battles, taking = rep.table("battles"), rep.table("battle_forces")
    if not taking:
        return out
    sides = {}
    for b, f in zip(taking["battle"], taking["force"], strict=True):
        sides.setdefault(int(b), set()).add(int(scn.force_side[f]))
    for b, f in zip(taking["battle"], taking["force"], strict=True):
        if scn.force_side[f] != side and side in sides[int(b)]:
            out[int(battles["run"][b]), int(f)] = int(battles["province"][b])
    return out


@pytest.mark.parametrize("name", ["tiny", "main"])
@SETTINGS
@given(seed=st_.integers(0, 2**32), order_seed=st_.integers(0, 1000))
# An enemy that arrives and fights on one turn (in the main scenario): once forgotten.
@example(seed=0, order_seed=383)
def test_the_memory_holds_what_was_shown_and_only_that(name, seed, order_seed):
    scn = scenario(name)
    st = initial_state(scn, 4, seed)
    error = float(scn.rules.fog.estimate_error)
    prev = {s: observe(scn, st, s) for s in range(scn.S)}
    remembered = 0
    for _ in range(12 if name == "tiny" else 16):
        after, rep = step(scn, st, random_orders(scn, st, order_seed))
        for s in range(scn.S):
            obs, before = observe(scn, after, s), prev[s]
            fought = _fought(scn, rep, s)
            enemy = ~obs.own
            # Seen now: exactly what the observation shows.
            now = obs.seen & enemy[None, :]
            assert np.array_equal(obs.last_men[now], obs.men[now])
            assert np.array_equal(obs.last_at[now], obs.loc[now])
            assert (obs.last_turn[now] == after.turn).all()
            for r, f in zip(*np.nonzero(~obs.seen & enemy[None, :]), strict=True):
                if (r, f) in fought and after.status[r, f] == ForceStatus.ACTIVE:
                    # Fought and still in the field: the battle's look at it, keyed as
                    # the next observation's estimate would be.
                    key = side_key(np.uint64(after.seed), after.run_ids[r], after.turn, s)
                    assert obs.last_men[r, f] == estimate(np.uint64(key), f, after.men[r, f], error)
                    assert obs.last_at[r, f] == fought[r, f]
                    assert obs.last_turn[r, f] == after.turn
                    continue
                # Not seen, not fought: what the side knew a turn ago, unchanged.
                assert obs.last_men[r, f] == before.last_men[r, f]
                assert obs.last_at[r, f] == before.last_at[r, f]
                assert obs.last_turn[r, f] == before.last_turn[r, f]
                remembered += int(obs.last_turn[r, f] >= 0)
            # Known gone: truly out of the field (a scenario force: an irregulars' slot
            # may be raised again unseen), and never forgotten unless seen again.
            gone = obs.known_gone
            out = (after.status != ForceStatus.ACTIVE) & (after.status != ForceStatus.WAITING)
            scenario_force = np.arange(scn.F) < scn.n_scenario_forces
            assert not (gone & ~out & scenario_force[None, :]).any()
            assert not (before.known_gone & ~gone & ~obs.seen).any()
            assert not (gone & obs.seen).any()
            assert not (gone & obs.own[None, :]).any()
            prev[s] = obs
        st = after
        if st.over.all():
            break
    assert remembered >= 0


def test_a_force_out_of_sight_is_remembered_and_its_truth_is_not():
    """A force seen, then out of sight: the memory keeps the estimate, whatever it becomes."""
    scn = scenario("main")
    st = initial_state(scn, 8, 3)
    order_seed = 5
    held = 0
    for _ in range(10):
        st, _ = step(scn, st, random_orders(scn, st, order_seed))
        for s in range(scn.S):
            obs = observe(scn, st, s)
            unseen = ~obs.seen & (obs.last_turn >= 0) & ~obs.own[None, :]
            held += int(unseen.sum())
            r, f = np.nonzero(unseen)
            # Changing the hidden truth of what the side does not see changes nothing.
            other = st.copy()
            other.men[r, f] = other.men[r, f] * 3 + 1000
            moved = observe(scn, other, s)
            assert np.array_equal(moved.last_men, obs.last_men)
            assert np.array_equal(moved.last_at, obs.last_at)
    assert held > 0, "some force went out of sight after being seen"


def _heuristic_memory(scn, runs, turns):
    st = initial_state(scn, runs, 11)
    pol = {s: make_policy("heuristic", s, scn) for s in range(scn.S)}
    for _ in range(turns):
        st = play_turn(scn, st, pol).after
    return st


def test_a_run_remembers_the_same_alone_or_in_a_batch():
    scn = scenario("main")
    batch = _heuristic_memory(scn, np.array([0, 1, 2, 3]), 8)
    assert (batch.memory_turn >= 0).any()
    for i in (0, 3):
        alone = _heuristic_memory(scn, np.array([i]), 8)
        for name in ("memory_men", "memory_at", "memory_turn", "memory_gone", "loc", "men"):
            assert np.array_equal(getattr(batch, name)[i : i + 1], getattr(alone, name)), name


def _played(tmp_path):
    src = ScenarioSource(str(TINY))
    game = Game(src.load(), 11, source=src)
    game.order("north", "north_army", "march", "dal")
    game.order("south", "south_army", "march", "dal")
    for _ in range(6):
        game.end_turn()
    path = tmp_path / "war.json"
    game.save(path)
    return game, path


def test_saves_carry_the_memory(tmp_path):
    game, path = _played(tmp_path)
    assert (game.state.memory_turn >= 0).any()
    obj = json.loads(path.read_text(encoding="utf-8"))
    assert obj["version"] == 2 and "memory_men" in obj["state"]
    loaded = Game.load(path)
    for name in ("memory_men", "memory_at", "memory_turn", "memory_gone"):
        assert np.array_equal(getattr(loaded.state, name), getattr(game.state, name)), name


def test_a_save_of_the_format_before_the_memory_still_loads(tmp_path):
    game, path = _played(tmp_path)
    obj = json.loads(path.read_text(encoding="utf-8"))
    obj["version"] = 1
    for name in ("memory_men", "memory_at", "memory_turn", "memory_gone"):
        del obj["state"][name]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(obj), encoding="utf-8")
    loaded = Game.load(old)
    # Migrated: the replay of its log rebuilds each side's memory as it was played.
    for name in ("memory_men", "memory_at", "memory_turn", "memory_gone"):
        assert np.array_equal(getattr(loaded.state, name), getattr(game.state, name)), name


def _orders_remembering(memory):
    """a's army and a column at its capital p0, b's 4,000 out of sight at p8 (10 provinces)."""
    from engine_helpers import compiled, force, line_scenario

    from game.ai.base import policy_keys
    from game.codes import OrderKind

    scn = compiled(
        line_scenario(
            10,
            forces=[
                force("a_main", "a", 3000, "p3"),
                force("a_col", "a", 800, "p0"),
                force("b_main", "b", 4000, "p8"),
            ],
        )
    )
    st = initial_state(scn, 1, 0)
    st.turn = 2
    b = scn.force_index["b_main"]
    for name, value in memory.items():
        getattr(st, name)[0, 0, b] = value
    obs = observe(scn, st, 0)
    assert not obs.seen[0, b]
    d = make_policy("heuristic", 0, scn).decide(
        scn, obs, policy_keys(0, st.run_ids, st.turn, 0), explain=True
    )
    out = {}
    for fid in ("a_main", "a_col"):
        f = scn.force_index[fid]
        text = next(e.text for e in d.explanations if e.force == f)
        out[fid] = (OrderKind(int(d.orders.kind[0, f])).name, int(d.orders.target[0, f]), text)
    return out


def test_a_column_is_freed_when_the_enemy_army_is_remembered_beaten():
    # Never seen: b's army is presumed at four-fifths of its 4,000 where it starts, and
    # a's army falls back to cover the capital, where the column stays.
    never = _orders_remembering({})
    assert never["a_main"][:2] == ("MARCH", 0)
    assert never["a_col"][0] == "HOLD"
    assert "the enemy's ~3,200" in never["a_col"][2]
    # Seen two turns ago beaten down to 500 at p8: the column leaves the capital and the
    # army goes forward with it.
    beaten = _orders_remembering({"memory_men": 500, "memory_at": 8, "memory_turn": 0})
    assert beaten["a_col"][:2] == ("MARCH", 5)
    assert beaten["a_main"][:2] == ("MARCH", 5)
    assert "the enemy's ~500" in beaten["a_col"][2]
    # Known destroyed: nothing is presumed of it, and the column is free as well.
    gone = _orders_remembering({"memory_gone": True})
    assert gone["a_col"][0] != "HOLD"


def test_a_sighting_lowers_the_presumption_and_never_raises_it():
    from game.ai.presumed import GHOST_STRENGTH, presumed_men

    scn = scenario("tiny")
    st = initial_state(scn, 3, 0)
    obs = observe(scn, st, 0)
    f = int(np.flatnonzero(~obs.own)[0])
    standing = GHOST_STRENGTH * float(scn.men0[f])
    st.memory_turn[:, 0, f] = [-1, 0, 0]
    st.memory_men[:, 0, f] = [0, 100, int(scn.men0[f]) * 2]
    st.turn = 1
    obs = observe(scn, st, 0)
    assert not obs.seen[:, f].any()
    assert presumed_men(scn, obs)[:, f].tolist() == [standing, 100.0, standing]
