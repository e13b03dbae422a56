"""A number must be a number: YAML booleans and quoted numbers are refused, never converted.

YAML reads ``yes``, ``on`` and ``true`` as booleans, and pydantic's lax mode would turn
them into 1 (one man, one-day turns, a war will of 1.0).  The schema's numbers are strict,
in scenario files, overlays and ``--set`` values alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.errors import ScenarioError
from game.scenario.load import load_scenario
from game.scenario.overlay import load_with_overlays

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "scenarios" / "examples" / "tiny.yaml"
TEXT = TINY.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "where", "expected"),
    [
        ("  turn_days: 7", "  turn_days: on", "meta.turn_days", "a whole number, got true"),
        ("  turn_days: 7", "  turn_days: '7'", "meta.turn_days", "a whole number, got '7'"),
        (
            "  turn_days: 7",
            "  turn_days: 7.0",
            "meta.turn_days",
            "a whole number, got the number 7.0",
        ),
        ("men: 600,", "men: yes,", "forces[1].men", "a whole number, got true"),
        ("  war_will: 0.7", "  war_will: true", "sides[0].war_will", "a number, got true"),
        ("  war_will: 0.7", "  war_will: '0.7'", "sides[0].war_will", "a number, got '0.7'"),
        ("fort: 1,", "fort: off,", "map.provinces[0].fort", "a whole number, got false"),
    ],
)
def test_booleans_and_text_are_not_numbers(tmp_path, old, new, where, expected) -> None:
    assert old in TEXT
    bad = tmp_path / "bad.yaml"
    bad.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(bad)
    text = info.value.problems[0].format()
    assert text.startswith(f"{bad}:") and where in text and expected in text


def test_whole_numbers_are_numbers() -> None:
    model = load_with_overlays(
        TINY, [], ["sides.north.war_will=1", "map.links.fjell-nordby.days=2"]
    )
    assert model.model.sides[0].war_will == 1.0
    assert isinstance(model.model.sides[0].war_will, float)


@pytest.mark.parametrize(
    "item",
    [
        "sides.north.war_will=true",
        "sides.north.war_will=yes",
        "meta.turn_days=on",
        "forces.north_horse.men=true",
        "forces.north_horse.men='600'",
    ],
)
def test_set_values_are_strict_too(item) -> None:
    with pytest.raises(ScenarioError) as info:
        load_with_overlays(TINY, [], [item])
    text = info.value.problems[0].format()
    assert text.startswith("--set:1:") and "expected a" in text


def test_set_boolean_is_a_one_line_refusal_on_the_command_line(capsys) -> None:
    code = main(["replay", str(TINY), "--set", "sides.north.war_will=true", "--json"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "war_will: expected a number, got true" in err[0]


def test_every_bundled_scenario_and_overlay_still_validates(capsys) -> None:
    assert main(["validate", str(ROOT / "scenarios")]) == 0
    assert "0 problems" in capsys.readouterr().err
