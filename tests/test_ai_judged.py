"""The state a treaty signed now is judged on (determinize.Judged) is determinize's, read lazily.

``outcome_now`` judges a treaty on :class:`game.ai.determinize.Judged`, which works out the
forces and the wills only when a condition reads them, in place of the whole guessed
state :func:`game.ai.determinize.determinize` builds without the unseen forces.  Every
field a condition reads, every condition of the scenario and the outcome named must be
those of that state (the reference, built here), in wars played a few turns on.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.ai.determinize import Judged, determinize, outcome_now
from game.ai.features import situation
from game.engine.conditions import holds
from game.engine.observe import observe
from game.engine.phases.peace import name_outcome
from game.engine.state import initial_state
from game.play_loop import play_turn
from game.scenario.load import load_scenario
from game.scenario.schema import Condition
from game.study.policy_names import make_all
from tests.engine_helpers import MAIN, ROOT

SALT = ROOT / "scenarios" / "examples" / "war_of_the_salt_road.yaml"
FIELDS = [
    "owner",
    "held_since",
    "last_battle",
    "status",
    "loc",
    "nxt",
    "men",
    "cmd_state",
    "party_left",
    "party_will",
    "will",
    "talks",
    "flags",
    "fired",
    "rec_winner",
]


def _extra_conditions(scn) -> list[Condition]:
    """Conditions that read the forces and the wills, which the outcomes may not."""
    side = scn.side_ids
    f = scn.force_ids[0]
    where = scn.province_ids[: max(1, scn.P // 2)]
    conds = [
        {"war_will_below": {"side": side[0], "value": 0.7}},
        {"war_will_below": {"side": side[1], "value": 0.7}},
        {"force_destroyed": f},
        {"force_at": {"force": f, "province": scn.province_ids[0]}},
        {"forces_in": {"side": side[0], "provinces": list(where), "at_least": 1000}},
        {"forces_in": {"side": side[1], "provinces": list(where), "at_least": 1}},
    ]
    return [Condition.model_validate(c) for c in conds]


@pytest.mark.parametrize("path", [MAIN, SALT], ids=["1841", "salt_road"])
def test_judged_state_reads_as_the_guessed_state_without_unseen_forces(path):
    scn = load_scenario(path)
    policies = make_all(dict.fromkeys(scn.side_ids, "heuristic"), scn, "normal")
    st = initial_state(scn, np.arange(5), 7)
    conds = [o.when for o in scn.outcomes]
    conds += [e.when for e in scn.events] + [p.when for p in scn.premises]
    conds += _extra_conditions(scn)
    checked = 0
    for _ in range(9):
        for side in range(scn.S):
            obs = observe(scn, st, side)
            sit = situation(scn, obs)
            want = determinize(scn, obs, np.zeros(obs.runs, np.uint64), unseen=False, sit=sit)
            judged = Judged(scn, obs, sit)
            assert judged.runs == want.runs
            for name in FIELDS:
                got, ref = getattr(judged, name), getattr(want, name)
                assert got.dtype == ref.dtype, name
                assert np.array_equal(got, ref), name
            assert np.array_equal(
                holds(scn, Judged(scn, obs, sit), conds, obs.turn),
                holds(scn, want, conds, obs.turn),
            )
            named = np.maximum(name_outcome(scn, want, obs.turn), 0).astype(np.int64)
            winners = np.array(
                [scn.side_index[o.winner] if o.winner is not None else -1 for o in scn.outcomes]
            )
            got_named, got_winner = outcome_now(scn, obs, sit)
            assert np.array_equal(got_named, named)
            assert np.array_equal(got_winner, winners[named])
            assert got_named.dtype == got_winner.dtype == np.int64
            checked += 1
        st = play_turn(scn, st, policies).after
    assert checked == 9 * scn.S
