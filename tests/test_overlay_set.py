"""``--set PATH=VALUE``: dotted paths with ids, values read as YAML, precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.errors import ScenarioError
from game.scenario.compile import CompiledScenario
from game.scenario.overlay import load_with_overlays

TINY = Path(__file__).resolve().parent.parent / "scenarios" / "examples" / "tiny.yaml"


def with_sets(*sets: str) -> CompiledScenario:
    return load_with_overlays(TINY, [], list(sets))


def set_problems(*sets: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        with_sets(*sets)
    return [p.format() for p in info.value.problems]


def test_paths_through_ids_keys_and_defaults() -> None:
    model = with_sets(
        "forces.north_horse.men=900",
        "forces.north_army.men.value=3300",
        "sides.south.war_will=0.25",
        "rules.combat.k0=0.03",
        "rules.kinds.cavalry.speed=1.5",
        "map.provinces.dal.value=5",
        "events.ruler_falls.enabled=false",
        "map.links.fjell-nordby.days=2.5",
        "history.orders.4.to=sudby",
        "sides.north.colour=#123456",
    ).model
    assert model.forces[1].men == 900
    assert model.forces[0].men.value == 3300
    assert model.forces[0].men.range == (2600, 3400)
    assert model.sides[1].war_will == 0.25
    assert model.rules.combat.k0 == 0.03
    assert model.rules.kinds["cavalry"].speed == 1.5
    assert model.rules.kinds["cavalry"].quality == 1.1  # other defaults of the kind stay
    assert model.map.provinces[2].value == 5
    assert model.events[1].enabled is False
    assert model.map.links[0].days == 2.5
    assert model.history.orders[4].to == "sudby"
    assert model.sides[0].colour == "#123456"


def test_values_are_yaml() -> None:
    model = with_sets(
        "forces.north_horse.men={value: 700, range: [500, 900]}",
        "sides.north.home_provinces=[nordby, fjell, dal]",
        "sides.south.home_provinces=[sudby, havn]",
        "meta.end=1850-07-31",
    ).model
    assert model.forces[1].men.range == (500, 900)
    assert model.sides[0].home_provinces == ["nordby", "fjell", "dal"]
    assert str(model.meta.end) == "1850-07-31"


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        (
            "forces.north_armi.men=1",
            "--set:1:8: error: unknown force 'north_armi' (did you mean 'north_army'?)",
        ),
        (
            "forces.north_army.mne=1",
            "--set:1:19: error: unknown key 'mne' in forces[0] (did you mean 'men'?)",
        ),
        (
            "rules.combat.kk0=1",
            "--set:1:14: error: unknown key 'kk0' in rules.combat (did you mean 'k0'?)",
        ),
        (
            "rules.war_will.home_occupied=0.002",
            "--set:1:16: error: 'home_occupied' is no longer a key in rules.war_will "
            "(replaced by 'home_held'",
        ),
        (
            "forces.north_horse.men.value=1",
            "--set:1:24: error: 'forces.north_horse.men' is a single value here, not a mapping",
        ),
        ("map.links.nordby-havn.days=1", "--set:1:11: error: unknown link 'nordby-havn'"),
        ("history.orders.9.to=dal", "--set:1:16: error: no item 9 in history.orders: it has 5"),
        ("no_equals_sign", "--set:1:1: error: expected PATH=VALUE, got 'no_equals_sign'"),
        ("forces..men=1", "--set:1:8: error: empty part in the path"),
        (
            "forces.north_army.men={value: 1",
            "--set:1:23: error: cannot read the value: YAML syntax error",
        ),
        (
            "sides.north.war_will=1.5",
            "--set:1:22: error: sides[0].war_will: 1.5 is out of range: must be at most 1.0",
        ),
        (
            "forces.north_army.start=dall",
            "--set:1:25: error: forces[0].start: unknown province 'dall' (did you mean 'dal'?)",
        ),
    ],
)
def test_bad_sets_give_one_line_each(arg: str, expected: str) -> None:
    found = set_problems(arg)
    assert len(found) == 1
    assert found[0].startswith(expected), found[0]


def test_every_bad_set_is_reported_and_numbered() -> None:
    found = set_problems("forces.x.men=1", "sides.north.war_will=0.5", "meta.tittle=x")
    assert [f.split(": error")[0] for f in found] == ["--set:1:8", "--set:3:6"]
