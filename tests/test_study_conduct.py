"""The study's figures of how a war was fought: concentration and raids, also by period."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest
import yaml
from engine_helpers import SRC, TINY, compiled, force, line_scenario
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st_
from rich.console import Console

from game.ai import make_policy
from game.ai.base import Decision
from game.codes import OrderKind
from game.engine.orders import Orders as EngineOrders
from game.engine.state import initial_state
from game.play_loop import Recorder, play_recorded
from game.study.accumulators import Aggregate
from game.study.chunk import play_runs
from game.study.conduct_recorder import (
    RAID_KINDS,
    RAID_SHARE,
    WHO,
    Conduct,
    RaidKinds,
    UnderOrders,
    field_army,
    period_columns,
    periods,
)
from game.study.runs_table import named_columns
from game.study.terminal import war_table


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


def _column_attacks_alone(record=None, orders=None):
    """Side a's 900-man column attacks side b's one force (300) in b's town at p4, a's
    main body of 6,000 far behind at p0; side b stands.  Returns the scenario (with the
    historical record given, if any), the state of 4 runs, the policies and the number
    of runs."""
    data = line_scenario(
        8,
        forces=[
            force("a_main", "a", 6000, "p0"),
            force("a_col", "a", 900, "p3"),
            force("b1", "b", 300, "p4"),
        ],
        weeks=2,
    )
    if record is not None:
        data["history"] = {"record": record, "orders": orders or []}
    scn = compiled(data)
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


# ---------------------------------------------------------------- raids by period

TINY_DATA = yaml.safe_load(TINY.read_text(encoding="utf-8"))
TINY_START = TINY_DATA["meta"]["start"]
TINY_DAYS = (TINY_DATA["meta"]["end"] - TINY_START).days


def _tiny(battle_day: int | None, treaty_day: int | None):
    """The tiny war with its record's one engagement and its treaty moved (None: removed)."""
    data = copy.deepcopy(TINY_DATA)
    record = []
    for entry in data["history"]["record"]:
        if entry["kind"] == "battle":
            if battle_day is None:
                continue
            entry["date"] = TINY_START + dt.timedelta(days=battle_day)
        if entry["kind"] == "treaty":
            if treaty_day is None:
                continue
            entry["date"] = TINY_START + dt.timedelta(days=treaty_day)
        record.append(entry)
    data["history"]["record"] = record
    return compiled(data)


def _random_wars(scn, runs, seed):
    policies = {s: make_policy("random", s, scn) for s in range(scn.S)}
    return play_runs(scn, policies, np.arange(runs, dtype=np.int64), seed, False)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    battle_day=st_.integers(0, TINY_DAYS),
    treaty_day=st_.integers(0, TINY_DAYS),
    seed=st_.integers(0, 2**16),
)
@example(battle_day=0, treaty_day=TINY_DAYS, seed=0)  # two of six wars end by treaty before
def test_raids_by_period_never_exceed_the_whole_war_and_equal_it_once_the_war_is_over(
    battle_day, treaty_day, seed
):
    # Random play on the tiny war fights a dozen battles a war, many of them raids.
    scn = _tiny(battle_day, treaty_day)
    assert periods(scn) == {"record": battle_day, "treaty": treaty_day}
    cols = _random_wars(scn, 6, seed)
    over_by = {"record": battle_day, "treaty": treaty_day}
    # The last day of each war's last turn: a war cut off at the end date has played the
    # whole of its last turn, which may run past that date.
    last_turn_ends = np.where(
        cols["truncated"], scn.n_turns * scn.turn_days - 1, cols["end_day"].astype(np.int64)
    )
    for k, last in over_by.items():
        raids, battles = cols[f"raids_to_{k}"], cols[f"battles_to_{k}"]
        assert np.all(raids <= cols["raids"]) and np.all(battles <= cols["battles"])
        assert np.all(raids <= battles[:, None])
        ended = last_turn_ends <= last  # the period covers the whole of these wars
        assert np.array_equal(raids[ended], cols["raids"][ended])
        assert np.array_equal(battles[ended], cols["battles"][ended])
    early, late = sorted(over_by, key=over_by.__getitem__)
    assert np.all(cols[f"raids_to_{early}"] <= cols[f"raids_to_{late}"])
    assert np.all(cols[f"battles_to_{early}"] <= cols[f"battles_to_{late}"])


class BattleDays(Recorder):
    """Every battle's day from the start, by run of the batch (a reference for the test)."""

    def __init__(self, scn, runs):
        self.scn, self.days = scn, [[] for _ in range(runs)]

    def __call__(self, turn):
        b = turn.report.table("battles")
        if b:
            for r, d in zip(b["run"], b["day"], strict=True):
                self.days[turn.where[r]].append(turn.before.turn * self.scn.turn_days + int(d))


def test_a_period_counts_the_battles_fought_by_its_last_day():
    # Random play fights from the first weeks to the end (seed 3 of the tiny war, 8 runs):
    # a cut after three weeks leaves out the later battles, counted day by day.
    scn = _tiny(20, TINY_DAYS)
    runs = 8
    policies = {s: make_policy("random", s, scn) for s in range(scn.S)}
    days = BattleDays(scn, runs)
    _, cols = play_recorded(scn, initial_state(scn, runs, 3), policies, [Conduct(scn, runs), days])
    want = [sum(d <= 20 for d in run) for run in days.days]
    assert np.array_equal(cols["battles_to_record"], want)
    assert np.any(cols["battles_to_record"] < [len(run) for run in days.days])
    assert np.any(cols["raids_to_record"] < cols["raids"])


@pytest.mark.parametrize("north", ["random", "historical"])
def test_a_run_alone_gives_what_it_gives_in_a_batch(north):
    scn = _tiny(20, 80)
    policies = {0: make_policy(north, 0, scn), 1: make_policy("random", 1, scn)}
    batch = play_runs(scn, policies, np.arange(6, dtype=np.int64), 11, False)
    keys = ["raids", "concentration", *period_columns(scn)]
    assert {"raids_to_record", "battles_to_treaty", "record_raids", "raids_both"} <= set(keys)
    for r in (1, 4):
        alone = play_runs(scn, policies, np.array([r], np.int64), 11, False)
        for k in keys:
            assert np.array_equal(alone[k][0], batch[k][r], equal_nan=True), (k, r)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st_.integers(0, 2**16), battle_day=st_.integers(0, TINY_DAYS))
def test_the_raids_of_the_historical_orders_split_by_who_fought_them_add_up(seed, battle_day):
    # North plays the recorded orders (the heuristic where history says nothing), south
    # random orders: north's raids split into orders / fallback / both and add up to its
    # raids, over the whole war and each period; south's split is not given (-1).
    scn = _tiny(battle_day, TINY_DAYS)
    policies = {0: make_policy("historical", 0, scn), 1: make_policy("random", 1, scn)}
    cols = play_runs(scn, policies, np.arange(6, dtype=np.int64), seed, False)
    for k in ("raids", "raids_to_record", "raids_to_treaty"):
        parts = [cols[f"{k}_{who}"] for who in WHO]
        assert np.all(np.stack(parts)[:, :, 0] >= 0)
        assert np.array_equal(sum(p[:, 0] for p in parts), cols[k][:, 0]), k
        assert all(np.all(p[:, 1] == -1) for p in parts), k
    cols["inputs"] = np.zeros((6, 0), np.int32)
    agg = Aggregate.for_scenario(scn, False)
    agg.add(cols, scn)
    summary = agg.summary(scn)
    assert set(summary["raids_orders"]) == {"north"}  # south did not play the orders
    assert summary["raids_both"]["north"]["mean"] == cols["raids_both"][:, 0].mean()


def test_a_raid_by_a_force_on_its_recorded_order_is_the_orders():
    # a's column attacks b's post alone on its recorded order of the first day: a raid
    # under the orders, in every run; the policy plays side a only.
    order = {"date": "1900-01-01", "force": "a_col", "order": "attack", "to": "p4", "source": SRC}
    scn, st, _, runs = _column_attacks_alone(record=[], orders=[order])
    policies = {0: make_policy("historical", 0, scn), 1: Orders(-1, 0, 0)}
    rec = UnderOrders(scn, runs, (0,))
    _, cols = play_recorded(scn, st, policies, [Conduct(scn, runs), rec])
    assert np.all(cols["raids_orders"][:, 0] >= 1)
    parts = sum(cols[f"raids_{who}"][:, 0] for who in WHO)
    assert np.array_equal(parts, cols["raids"][:, 0])
    assert np.all(cols["raids_orders"][:, 1] == -1)
    # With no recorded orders at all, there is nothing to split.
    plain = _column_attacks_alone()[0]
    assert "raids_orders" not in period_columns(plain)
    assert UnderOrders(plain, 2, (0,)).columns() == {}


def test_a_scenario_without_a_record_has_no_columns_by_period():
    scn, st, policies, runs = _column_attacks_alone()
    assert periods(scn) == {} and period_columns(scn) == {}
    _, cols = play_recorded(scn, st, policies, [Conduct(scn, runs)])
    assert set(cols) == {"concentration", "raids"}
    # An engagement without a treaty gives the record's period and the record's raids only.
    tiny = _tiny(20, None)
    assert periods(tiny) == {"record": 20}
    by_who = {f"raids_{k}{who}" for k in ("", "to_record_") for who in WHO}
    assert set(period_columns(tiny)) == {
        "raids_to_record",
        "battles_to_record",
        "record_raids",
        *by_who,
    }
    cols = _random_wars(tiny, 2, 0)
    assert "raids_to_treaty" not in cols and "raids_to_record" in cols


def test_the_records_engagements_are_raids_by_their_strength_against_the_field_army():
    # The record's first engagement: a's 900 (under a fifth of its 6,900 on the map) against
    # b's 300 (all of b's army): a raid for a only.  The second gives a's strength only
    # (50): a raid for a, and nothing for b, whose strength the record does not give.
    fight = {"kind": "battle", "place": "p4", "title": "A fight", "source": SRC}
    scn, st, policies, runs = _column_attacks_alone(
        [
            {**fight, "id": "e1", "date": "1900-01-03", "strengths": {"a": 900, "b": 300}},
            {**fight, "id": "e2", "date": "1900-01-10", "strengths": {"a": 50}},
        ]
    )
    assert periods(scn) == {"record": 9}
    _, cols = play_recorded(scn, st, policies, [Conduct(scn, runs)])
    assert np.array_equal(cols["record_raids"], [[2, 0]] * runs)
    assert np.all(cols["raids_to_record"] <= cols["raids"])


def test_the_study_writes_the_raids_by_period_with_their_intervals():
    scn = _tiny(20, 80)
    cols = _random_wars(scn, 6, 5)
    cols["inputs"] = np.zeros((6, 0), np.int32)
    named = named_columns(scn, cols)
    for sid in scn.side_ids:
        for k in ("raids_to_record", "raids_to_treaty", "record_raids"):
            s = scn.side_index[sid]
            assert np.array_equal(named[f"{k}_{sid}"], cols[k][:, s])
    assert np.array_equal(named["battles_to_treaty"], cols["battles_to_treaty"])
    agg = Aggregate.for_scenario(scn, False)
    agg.add(cols, scn)
    summary = agg.summary(scn)
    assert summary["periods"] == {"record": "1850-03-21", "treaty": "1850-05-20"}
    for sid in scn.side_ids:
        fig = summary["raids_to_record"][sid]
        mean = cols["raids_to_record"][:, scn.side_index[sid]].mean()
        assert fig["mean"] == mean and fig["ci95"][0] <= mean <= fig["ci95"][1]
    assert summary["battles_to_treaty"]["mean"] == cols["battles_to_treaty"].mean()
    console = Console(width=160, record=True)
    console.print(war_table(summary))
    text = console.export_text()
    for label in ("Raids to the record's last battle (1850-03-21)", "Raids in the record"):
        assert all(f"{label}: {sid}" in text for sid in scn.side_ids), label
    # Nobody played the historical orders: no split by who fought the raids.
    assert "raids_orders" not in summary and "raids_to_treaty_both" not in summary
    # A scenario without a record has none of these in its summary.
    plain_scn = _column_attacks_alone()[0]
    assert not {"periods", "raids_to_record", "record_raids"} & set(
        Aggregate.for_scenario(plain_scn, False).summary(plain_scn)
    )
