"""What the passes read every turn and now work out once gives what the formulas gave.

The fastest days between places, the turns left, the commanders' padded costs, a side's
seats, war aims and the mean worth of the enemy's men are worked out once (per scenario,
per side or per turn) instead of at every call: each is checked here against the formula
it was, for both sides, so that a value kept for one side and read by the other fails.
"""

from __future__ import annotations

import numpy as np
from test_blockade import _port_war, _week

from game.ai.clearing import enemy_power
from game.ai.commanders import commander_stakes
from game.ai.commanders import stakes as commander_losses
from game.ai.operations import turns_left
from game.ai.posture import Posture, stakes
from game.codes import NONE
from game.engine.phases.supply import supply_distance
from tests.test_ai_odds_kernels import _played_situations


def _turns_left(sit):
    scn, obs = sit.scn, sit.obs
    end = float(scn.n_turns - obs.turn)
    talks = scn.talks.turns
    talking = np.where(obs.talks >= 0, talks - obs.talks, talks + 1)
    return np.minimum(np.maximum(talking, 0).astype(np.float64), end)


def _enemy_power(sit):
    scn = sit.scn
    R, P = sit.runs, scn.P
    power = np.einsum("rfp,rf->rp", sit.foe_at, sit.men * sit.eff)
    mean_eff = float(np.mean(sit.st.base_eff[~sit.own])) if (~sit.own).any() else 1.0
    r, f = np.nonzero(sit.ghost_at >= 0)
    np.add.at(power, (r, sit.ghost_at[r, f]), sit.ghost_men[r, f] * mean_eff)
    unseen = ~sit.watched & (sit.owner == sit.enemy)
    floor = float(scn.rules.control_men) * mean_eff
    return np.where(unseen, np.maximum(power, floor), power).reshape(R, P)


def _life_values(scn, cmd, will_vp, men_vp):
    s = commander_stakes(scn)
    c = np.where(cmd >= 0, cmd, len(s.will))
    will = np.append(s.will, 0.0)[c]
    army = np.append(0.5 * s.cohesion + s.men, 0.0)[c]
    return will_vp[:, None] * will + men_vp[:, None] * army


def _commander_losses(scn, scale, will, led, cmd, men, exposure, own, men_value):
    """What each own commander's fall costs, as the array code worked it out."""
    collapse = float(scn.model.victory.peace.collapse_will)
    will_vp = scale / np.maximum(np.asarray(will, np.float64) - collapse, 0.1)
    army = np.where(own[None, :], men, 0.0).sum(axis=1) * men_value
    life = _life_values(scn, np.where(led, cmd, NONE), will_vp, army)
    return np.where(led, exposure * life, 0.0)


def _stakes(sit, objective, pos):
    from game.ai.operations import URGENCY_TURNS
    from game.ai.posture import DENY, RECOVER, SPARE_GAIN

    scn, st = sit.scn, sit.st
    value = np.asarray(scn.value)
    aims = np.asarray(scn.objectives[sit.side]) * 0.5 * np.maximum(value, value.mean())
    own = np.where((sit.owner == sit.side) | ~pos.mine[:, None], 1.0, SPARE_GAIN)
    signing = np.clip(1.0 - _turns_left(sit) / URGENCY_TURNS, 0.0, 1.0)[:, None]
    foe_held = sit.owner == sit.enemy
    deny = np.where(foe_held & pos.theirs[:, None], RECOVER, DENY + (RECOVER - DENY) * signing)
    worth = st.swing[sit.side] + aims + own * st.key[sit.side] + deny * st.key[sit.enemy]
    return objective * worth


def test_the_tables_read_every_turn_are_their_formulas_for_both_sides():
    sides = set()
    for scn, sit in _played_situations(turns=3, runs=6, seed=9):
        sides.add(sit.side)
        assert np.array_equal(sit.st.fastest, sit.st.route_days.min(axis=0))
        left = turns_left(sit)
        assert np.array_equal(left, _turns_left(sit)) and not left.flags.writeable
        assert np.array_equal(enemy_power(sit), _enemy_power(sit))
        # The stakes of the situation, and others of a redrawn scale, will and exposure.
        led = sit.has_cmd & sit.own[None, :]
        value = float(sit.st.men_value[sit.enemy])
        scale = max(sit.st.win_margin, float(np.max(sit.st.swing[sit.side])), 1.0)
        exposure = sit.exposure
        want = _commander_losses(
            scn, scale, sit.obs.will, led, sit.commander, sit.men, exposure, sit.own, value
        )
        assert np.array_equal(sit.stake, want) and (want[led] != 0).any()
        will = np.linspace(-2.0, 150.0, sit.runs).astype(np.float32)  # some past collapse
        exposure = exposure * np.linspace(0.5, 3.0, scn.F)[None, :]
        force_t = (led, sit.commander, sit.men, exposure, sit.own)
        got = commander_losses(scn, 7.0, will, force_t, 1e-3)
        want = _commander_losses(
            scn, 7.0, will, led, sit.commander, sit.men, exposure, sit.own, 1e-3
        )
        assert np.array_equal(got, want)
        u = np.arange(sit.runs) % 2 == 0
        pos = Posture(u, u, ~u, u, np.asarray(scn.home[sit.side], bool), int(scn.capital[0]))
        assert np.array_equal(stakes(sit, 1.5, pos), _stakes(sit, 1.5, pos))
    assert sides == {0, 1}


def test_a_run_alone_sees_its_own_blockade_in_the_supply_distances():
    """A batch of one takes its one pattern of closed ports; a batch sorts them by pattern."""
    scn, batch = _week(_port_war(chance=0.5), runs=8, seed=3)
    a = scn.side_index["a"]
    assert 0 < batch.fired[:, 0].sum() < 8  # some runs have the fleet, some do not
    together = supply_distance(scn, batch.owner, a, batch.fired)
    for r in range(8):
        alone = supply_distance(scn, batch.owner[r : r + 1], a, batch.fired[r : r + 1])
        assert np.array_equal(alone[0], together[r])
