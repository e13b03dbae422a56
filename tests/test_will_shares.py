"""War will counts shares of what a side has, so its rules mean the same at any scale."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from engine_helpers import compiled, force, line_scenario
from hypothesis import given, settings
from hypothesis import strategies as hs
from test_loader import TINY, problems_of

from game.engine.context import new_context
from game.engine.phases.peace import update_will
from game.engine.state import initial_state

NO_WEARINESS = {"war_will": {"weariness": 0.0}}


def _will_change(data, *, owner=None, lost=None, battle=None, taken=None):
    """Return ``[S]``: the will each side gains in one update of a turn set up as asked."""
    scn = compiled(data)
    st = initial_state(scn, 1)
    if owner is not None:
        for p, s in owner.items():
            st.owner[:, scn.province_index[p]] = s
    ctx = new_context(scn, st, record_moves=False)
    if lost is not None:
        ctx.lost_men[0] = lost
    if taken is not None:
        ctx.taken_value[0] = taken
    if battle is not None:
        att_men, def_men, winner = battle
        ctx.rec("battles").add(
            run=np.array([0]),
            attacker=np.array([0], np.int8),
            att_men=np.array([att_men]),
            def_men=np.array([def_men]),
            winner=np.array([winner], np.int8),
        )
    before = st.will.astype(np.float64).copy()
    update_will(scn, st, ctx)
    return st.will[0].astype(np.float64) - before[0]


def _war(men_a: int, men_b: int, values: tuple[float, ...], **kw):
    forces = [force("fa", "a", men_a, "p0"), force("fb", "b", men_b, "p3")]
    provinces = {i: {"value": v} for i, v in enumerate(values)}
    return line_scenario(
        4, forces=forces, provinces=provinces, rules=NO_WEARINESS, will=(0.5, 0.5), **kw
    )


@settings(max_examples=25, deadline=None)
@given(
    men=hs.integers(500, 20_000),
    army_scale=hs.sampled_from([1, 3, 10]),
    value_scale=hs.sampled_from([0.2, 1.0, 7.0]),
    lost_share=hs.floats(0.0, 0.9),
)
def test_the_same_war_at_any_scale_moves_will_the_same(
    men: int, army_scale: int, value_scale: float, lost_share: float
) -> None:
    small = _war(men, men, (3, 1, 1, 2))
    big = _war(men * army_scale, men * army_scale, tuple(v * value_scale for v in (3, 1, 1, 2)))
    lost = int(men * lost_share)
    a = _will_change(small, owner={"p1": 1}, lost=[lost, 0], battle=(men, men // 2, -1))
    b = _will_change(
        big,
        owner={"p1": 1},
        lost=[lost * army_scale, 0],
        battle=(men * army_scale, men * army_scale // 2, -1),
    )
    assert b == pytest.approx(a, abs=2e-4)
    assert a[0] < 0 < a[1]


def test_each_rule_is_the_share_it_says() -> None:
    data = _war(4000, 2000, (3, 1, 1, 5))
    # p1 (value 1 of side a's 4) held by b for a week: home_held x 1/4
    change = _will_change(data, owner={"p1": 1})
    assert change[0] == pytest.approx(-0.04 * 0.25, abs=1e-6)
    assert change[1] == pytest.approx(0.0, abs=1e-6)
    # a loses 1,000 of the 4,000 it brought into the war: army_lost x 1/4
    change = _will_change(data, lost=[1000, 0])
    assert change[0] == pytest.approx(-0.5 * 0.25, abs=1e-6)
    # b takes p1 (1 of a's 4): enemy_home_taken x 1/4
    change = _will_change(data, taken=[0.0, 1.0])
    assert change[1] == pytest.approx(0.2 * 0.25, abs=1e-6)
    # a attacks with 2,000 of its 4,000 and loses to b's whole army of 2,000
    change = _will_change(data, battle=(2000, 2000, -1))
    assert change[0] == pytest.approx(-0.08 * 0.5, abs=1e-6)
    assert change[1] == pytest.approx(0.04 * 1.0, abs=1e-6)


def test_a_capital_weighs_what_its_value_says() -> None:
    capital = _will_change(_war(1000, 1000, (8, 1, 1, 1)), owner={"p0": 1})
    village = _will_change(_war(1000, 1000, (8, 1, 1, 1)), owner={"p1": 1})
    assert capital[0] == pytest.approx(8 * village[0], abs=1e-6)
    assert capital[0] == pytest.approx(-0.04 * 8 / 9, abs=1e-6)


@pytest.mark.parametrize(
    ("section", "key", "replacement"),
    [
        ("war_will", "per_1000_lost", "replaced by 'army_lost'"),
        ("war_will", "home_occupied", "replaced by 'home_held'"),
        ("war_will", "province_taken", "replaced by 'enemy_home_taken'"),
        ("war_will", "battle_scale", "remove the key"),
        ("resistance", "will_drain", "replaced by 'occupier_drain'"),
    ],
)
def test_the_old_absolute_keys_say_what_replaced_them(
    tmp_path: Path, section: str, key: str, replacement: str
) -> None:
    text = TINY.read_text(encoding="utf-8") + f"rules:\n  {section}: {{{key}: 0.002}}\n"
    (msg,) = problems_of(tmp_path, text)
    assert f"'{key}' is no longer a key" in msg and replacement in msg
    assert "case.yaml:" in msg and f"rules.{section}" in msg
