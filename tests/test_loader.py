"""The scenario loader: safe reading, positions, plain-English errors, the three passes."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import game.scenario.load
from game.errors import ScenarioError
from game.scenario.load import load_model, load_scenario
from game.scenario.yamldoc import MAX_DEPTH, SafeLoader, format_path, index, parse

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "scenarios" / "examples" / "tiny.yaml"


def problems_of(tmp_path: Path, text: str) -> list[str]:
    """Load ``text`` as a scenario file and return its problems, formatted."""
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [p.format() for p in info.value.problems]


def tiny_with(old: str, new: str) -> str:
    text = TINY.read_text(encoding="utf-8")
    assert text.count(old) == 1
    return text.replace(old, new)


def test_tiny_loads_and_compiles() -> None:
    compiled = load_scenario(TINY)
    assert compiled.province_ids == ("nordby", "fjell", "dal", "sudby", "havn")
    assert compiled.model.meta.id == "tiny_war@1.0"
    assert load_model(TINY) == compiled.model


def test_load_module_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(game.scenario.load)
    assert result.attempted > 0
    assert result.failed == 0


def test_loader_is_a_safe_loader() -> None:
    import yaml

    assert issubclass(SafeLoader, yaml.SafeLoader | yaml.CSafeLoader)
    with pytest.raises(ScenarioError, match=r"YAML tag 'tag:yaml\.org,2002:python/object/apply"):
        parse("a: !!python/object/apply:os.system ['true']\n", "evil.yaml")
    with pytest.raises(ScenarioError, match="YAML tag '!custom' is not allowed"):
        parse("a: !custom 5\n", "evil.yaml")


def test_positions_are_one_based_and_follow_the_file() -> None:
    tree = parse(TINY.read_text(encoding="utf-8"), "tiny.yaml")
    nodes = index(tree)
    lines = TINY.read_text(encoding="utf-8").splitlines()
    men = nodes[("forces", 0, "men")]
    assert lines[men.pos.line - 1][men.pos.column - 1 :].startswith("{value: 3000")
    key = men.key_pos
    assert key is not None
    assert lines[key.line - 1][key.column - 1 :].startswith("men:")
    link_to = nodes[("map", "links", 1, "to")]
    assert lines[link_to.pos.line - 1][link_to.pos.column - 1 :].startswith("dal,")


def test_format_path() -> None:
    assert format_path(("forces", 3, "men")) == "forces[3].men"
    assert format_path(("meta",)) == "meta"
    assert format_path(()) == ""


def test_merge_keys_are_supported_and_may_be_overridden() -> None:
    tree = parse("base: &b {a: 1, b: 2}\nthing: {<<: *b, b: 3}\n", "m.yaml")
    thing = tree.value["thing"].value
    assert {k: v.value for k, v in thing.items()} == {"a": 1, "b": 3}


def test_keys_are_text_and_bad_dates_stay_text() -> None:
    tree = parse("1841: x\non: y\nd: 1841-13-01\n", "k.yaml")
    assert list(tree.value) == ["1841", "on", "d"]
    assert tree.value["d"].value == "1841-13-01"


def test_deep_nesting_is_refused() -> None:
    depth = MAX_DEPTH + 5
    with pytest.raises(ScenarioError, match="nested too deeply"):
        parse("a: " + "[" * depth + "]" * depth + "\n", "deep.yaml")


def test_union_noise_becomes_one_message(tmp_path: Path) -> None:
    found = problems_of(tmp_path, tiny_with("men: 600,", "men: [600],"))
    assert len(found) == 1
    assert "forces[1].men: expected a whole number, got a list" in found[0]
    assert "or a mapping with value, range" in found[0]


def test_mapping_strength_reports_only_the_mapping_errors(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        tiny_with("men: {value: 3000, range: [2600, 3400]", "men: {value: 3000, range: [3400]"),
    )
    assert len(found) == 1
    assert "forces[0].men.range: needs at least 2 items, has 1" in found[0]


def test_missing_section_and_wrong_shape(tmp_path: Path) -> None:
    text = tiny_with("\nvictory:\n", "\nvictori:\n")
    found = problems_of(tmp_path, text)
    assert len(found) == 1
    assert "unknown section 'victori' (did you mean 'victory'?)" in found[0]
    found = problems_of(
        tmp_path, tiny_with("terrain:\n  - {id: plain", "terrain: plain\nx:\n  - {id: plain")
    )
    assert any("terrain: expected a list, got 'plain'" in f for f in found)


def test_null_value_gets_a_hint(tmp_path: Path) -> None:
    found = problems_of(tmp_path, tiny_with("  turn_days: 7\n", "  turn_days:\n"))
    assert found == [
        f"{tmp_path / 'case.yaml'}:11:13: error: meta.turn_days: has no value "
        "(write a value after the colon, or remove the key for the default)"
    ]


def test_cross_reference_problems_wait_for_a_sound_structure(tmp_path: Path) -> None:
    text = tiny_with("start: sudby, source", "start: sudbyy, source")
    text = text.replace("war_will: 0.7", "war_will: lots")
    found = problems_of(tmp_path, text)
    assert len(found) == 1
    assert "war_will" in found[0]


def test_commander_leading_two_forces(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path, tiny_with("men: 2400,\n     commander: sol", "men: 2400,\n     commander: mara")
    )
    assert len(found) == 1
    assert "commander 'mara' already leads force 'south_army'" in found[0]


def test_condition_references_inside_all_any_not(tmp_path: Path) -> None:
    text = tiny_with(
        "when: {commander_dead: ulf}",
        "when: {all: [{not: {force_at: {force: north_horse, province: dall}}}, "
        "{any: [{event_fired: call_to_army}, {holds: {side: north, provinces: [dal], at_least: 2}}]}]}",
    )
    found = problems_of(tmp_path, text)
    assert len(found) == 3
    assert "events[1].when.all[0].not.force_at.province: unknown province 'dall'" in found[0]
    assert "events[1].when.all[1].any[0].event_fired: unknown event 'call_to_army'" in found[1]
    assert "can never hold: at_least 2 of 1 provinces" in found[2]


def test_record_commanders_by_side(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        tiny_with(
            "commanders: {north: [ulf], south: [sol]}", "commanders: {north: [sol], soth: [ulf]}"
        ),
    )
    assert len(found) == 2
    assert "'sol' is a commander of the other side ('south')" in found[0]
    assert "unknown side 'soth' (did you mean 'south'?)" in found[1]


def test_hold_order_takes_no_target(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path, tiny_with("force: south_army, order: attack", "force: south_army, order: hold")
    )
    assert len(found) == 1
    assert "a hold order takes no 'to'" in found[0]
