"""The study's figures of how a war was fought: concentration and raids."""

from __future__ import annotations

import numpy as np
from engine_helpers import compiled, force, line_scenario

from game.ai.base import Decision
from game.codes import OrderKind
from game.engine.orders import Orders as EngineOrders
from game.engine.state import initial_state
from game.play_loop import play_recorded
from game.study.conduct_recorder import RAID_KINDS, RAID_SHARE, Conduct, RaidKinds, field_army


def test_concentration_is_the_share_of_the_field_army_in_its_largest_group():
    scn = compiled(
        line_scenario(
            6,
            forces=[
                force("a1", "a", 3000, "p0"),
                force("a2", "a", 1000, "p1"),
                force("b1", "b", 500, "p5"),
            ],
        )
    )
    st = initial_state(scn, 2, 0)
    field, largest = field_army(scn, st)
    assert np.array_equal(field, [[4000, 500]] * 2)
    assert np.array_equal(largest, [[3000, 500]] * 2)


class Orders:
    """A policy that gives one force one order on the first turn, and nothing else."""

    name = "scripted"

    def __init__(self, force: int, kind: int, target: int) -> None:
        self.force, self.kind, self.target = force, kind, target

    def decide(self, scn, obs, keys, *, explain=False):
        orders = EngineOrders.empty(obs.runs, scn.F, scn.S)
        if obs.turn == 0 and self.force >= 0:
            orders.kind[:, self.force] = self.kind
            orders.target[:, self.force] = self.target
        return Decision(orders)


def _column_attacks_alone():
    """Side a's 900-man column attacks side b's one force (300) in b's town at p4, a's
    main body of 6,000 far behind at p0; side b stands.  Returns the scenario, the state
    of 4 runs, the policies and the number of runs."""
    scn = compiled(
        line_scenario(
            8,
            forces=[
                force("a_main", "a", 6000, "p0"),
                force("a_col", "a", 900, "p3"),
                force("b1", "b", 300, "p4"),
            ],
            weeks=2,
        )
    )
    runs = 4
    st = initial_state(scn, runs, 1)
    col = scn.force_index["a_col"]
    policies = {0: Orders(col, OrderKind.ATTACK, 4), 1: Orders(-1, 0, 0)}
    return scn, st, policies, runs


def test_a_side_alone_in_one_place_is_fully_concentrated_and_raids_count_small_battles():
    # Side b's one force is all of its army: concentration 1.  Side a's small column
    # attacks it with the rest of its army far behind: a raid for a, not for b.
    scn, st, policies, runs = _column_attacks_alone()
    final, cols = play_recorded(scn, st, policies, [Conduct(scn, runs)])
    conc, raids = cols["concentration"], cols["raids"]
    assert np.all(final.battles >= 1)
    assert np.allclose(conc[:, 1], 1.0)
    assert np.all((conc[:, 0] >= 6000 / 6900 - 1e-6) & (conc[:, 0] <= 1.0))
    assert np.all(raids[:, 0] >= 1) and np.all(raids[:, 1] == 0)
    assert RAID_SHARE * 6900 > 900


def test_raids_are_counted_by_kind_as_the_conduct_counts_them():
    # a's small column attacks b's town held by b's one force: for a an attack on a town
    # the enemy holds, for b (its whole army) no raid.
    scn, st, policies, runs = _column_attacks_alone()
    recs = [Conduct(scn, runs), RaidKinds(scn, runs)]
    _, cols = play_recorded(scn, st, policies, recs)
    kinds = cols["raid_kinds"]
    assert np.array_equal(kinds.sum(axis=2), cols["raids"])
    assert np.all(kinds[:, 0, RAID_KINDS.index("attack_town")] >= 1)
    assert np.all(cols["raids_outnumbered"] == 0)
