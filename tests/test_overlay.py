"""Counterfactual overlays: merging by id, removal, headers, chains, and where errors point."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from game.commands.common import load_from_args
from game.errors import ScenarioError
from game.scenario.load import load_model, load_scenario
from game.scenario.overlay import load_with_overlays
from game.scenario.overlay_write import write_overlay

TINY = Path(__file__).resolve().parent.parent / "scenarios" / "examples" / "tiny.yaml"
HEADER = """\
overlay:
  id: what_if@1.0
  title: What if
  description: A paragraph of historical motivation.
  sources:
    - {id: whatif, title: The author's judgement, kind: judgement}
"""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    target = tmp_path / "base.yaml"
    shutil.copy(TINY, target)
    return target


def overlay(folder: Path, body: str, name: str = "what.yaml", extends: str = "base.yaml") -> Path:
    path = folder / name
    path.write_text(f"extends: {extends}\n{HEADER}{body}", encoding="utf-8")
    return path


def problems(
    path: Path, overlays: list[Path] | None = None, sets: list[str] | None = None
) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_with_overlays(path, list(overlays or []), list(sets or []))
    return [p.format() for p in info.value.problems]


def test_items_merge_by_id_and_new_ones_are_appended(base: Path) -> None:
    path = overlay(
        base.parent,
        "forces:\n"
        "  - {id: north_army, men: {value: 5000, range: [4000, 6000]}}\n"
        "  - {id: north_guard, name: Guard, side: north, kind: line_infantry, men: 300,\n"
        "     start: nordby, source: whatif}\n",
    )
    model = load_scenario(path).model
    army = model.forces[0]
    assert (army.id, army.name, army.men.value, army.men.range) == (
        "north_army",
        "Army of the North",
        5000,
        (4000, 6000),
    )
    assert army.men.source == "example"  # untouched keys of a merged item stay
    assert [f.id for f in model.forces][-1] == "north_guard"


def test_header_replaces_identity_and_appends_sources(base: Path) -> None:
    meta = load_scenario(overlay(base.parent, "")).model.meta
    assert (meta.id, meta.title) == ("what_if@1.0", "What if")
    assert meta.description == "A paragraph of historical motivation."
    assert [s.id for s in meta.sources] == ["example", "whatif"]
    assert meta.start == load_model(base).meta.start


def test_remove_cascades_to_orders_and_links(base: Path) -> None:
    path = overlay(
        base.parent,
        "remove:\n  forces: [north_horse]\n  provinces: [havn]\n  events: [ruler_falls]\n"
        "forces:\n  - {id: south_levy, arrival: {date: 1850-03-20, at: sudby}}\n"
        "events:\n  - {id: call_to_arms, effects: [{raise: {force: mara_band, at: sudby}}]}\n"
        "sides:\n  - {id: south, home_provinces: [sudby, dal]}\n",
    )
    model = load_scenario(path).model
    assert "north_horse" not in [f.id for f in model.forces]
    assert all(o.force != "north_horse" for o in model.history.orders)
    assert all("havn" not in (ln.a, ln.b) for ln in model.map.links)
    assert [e.id for e in model.events] == ["call_to_arms"]


def test_removed_item_still_referred_to_is_blamed_on_the_removal(base: Path) -> None:
    path = overlay(base.parent, "remove:\n  provinces: [havn]\n")
    found = problems(path)
    assert all(line.startswith(f"{path}:9:") for line in found)
    assert any("province 'havn' is removed here but sides[1].home_provinces[2]" in f for f in found)


def test_links_match_by_ends_in_either_order_and_orders_by_force_and_date(base: Path) -> None:
    path = overlay(
        base.parent,
        "map:\n  links:\n    - {from: fjell, to: nordby, days: 9}\n"
        "history:\n  orders:\n    - {date: 1850-03-08, force: south_army, to: sudby}\n",
    )
    model = load_scenario(path).model
    assert model.map.links[0].days == 9
    assert len(model.map.links) == 5
    order = next(o for o in model.history.orders if o.force == "south_army")
    assert (order.order, order.to) == ("attack", "sudby")


def test_new_outcome_goes_before_the_default(base: Path) -> None:
    path = overlay(
        base.parent,
        "victory:\n  outcomes:\n    - {id: stalemate, name: Stalemate, when: {after: 1850-06-01}}\n",
    )
    ids = [o.id for o in load_scenario(path).model.victory.outcomes]
    assert ids == ["northern_conquest", "southern_triumph", "stalemate", "status_quo"]


def test_errors_point_into_the_file_that_holds_the_value(base: Path) -> None:
    text = base.read_text(encoding="utf-8").replace("war_will: 0.6", "war_will: 1.6")
    base.write_text(text, encoding="utf-8")
    path = overlay(base.parent, "sides:\n  - {id: north, war_will: -1}\n")
    found = problems(path)
    assert len(found) == 2
    assert found[0].startswith(f"{path}:9:27: error: sides[0].war_will: -1 is out of range")
    assert found[1].startswith(f"{base}:42:15: error: sides[1].war_will: 1.6 is out of range")


def test_overlay_of_an_overlay_and_the_overlay_option(base: Path) -> None:
    first = overlay(base.parent, "sides:\n  - {id: north, war_will: 0.5}\n")
    second = base.parent / "second.yaml"
    second.write_text(
        "extends: what.yaml\noverlay: {id: second@1.0, title: Second, description: Again.}\n"
        "sides:\n  - {id: south, war_will: 0.4}\n",
        encoding="utf-8",
    )
    chained = load_scenario(second).model
    assert [s.war_will for s in chained.sides] == [0.5, 0.4]
    assert chained.meta.id == "second@1.0"
    assert [s.id for s in chained.meta.sources] == ["example", "whatif"]
    stacked = load_with_overlays(base, [first, second], []).model
    assert stacked == chained
    assert load_with_overlays(first, [second], []).model == chained


def test_overlay_option_refuses_an_overlay_of_another_scenario(base: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(TINY, other / "base.yaml")
    foreign = overlay(other, "")
    found = problems(base, [foreign])
    assert len(found) == 1
    assert "this overlay is built on" in found[0]
    assert found[0].startswith(f"{foreign}:1:10:")


def test_commands_accept_an_overlay_wherever_a_scenario_goes(base: Path) -> None:
    path = overlay(base.parent, "")
    args = argparse.Namespace(scenario=str(path), overlay=[], sets=[])
    assert load_from_args(args).model.meta.id == "what_if@1.0"
    args = argparse.Namespace(scenario=str(base), overlay=[str(path)], sets=["meta.default_seed=3"])
    compiled = load_from_args(args)
    assert (compiled.model.meta.id, compiled.model.meta.default_seed) == ("what_if@1.0", 3)


def test_write_overlay_round_trips_atomically(base: Path, tmp_path: Path) -> None:
    out = tmp_path / "saves" / "mine.yaml"
    out.parent.mkdir()
    header = {"id": "mine@1.0", "title": "Mine", "description": "A player's what-if."}
    changes = {"forces": [{"id": "north_army", "men": 4000}], "remove": {"events": ["ruler_falls"]}}
    assert write_overlay(out, base, header, changes) == out
    assert out.read_text(encoding="utf-8").splitlines()[1] == "extends: ../base.yaml"
    model = load_scenario(out).model
    assert (model.meta.id, model.forces[0].men, len(model.events)) == ("mine@1.0", 4000, 1)
    with pytest.raises(ScenarioError) as info:
        write_overlay(out, base, header, {"forces": [{"id": "north_army", "men": -4}]})
    assert info.value.problems[0].file == str(out)
    assert load_scenario(out).model.forces[0].men == 4000  # the old file is intact
    assert sorted(p.name for p in out.parent.iterdir()) == ["mine.yaml"]


def test_the_guides_overlay_example_loads(tmp_path: Path) -> None:
    guide = (TINY.parent.parent.parent / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = guide.split("## Counterfactual overlays", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "examples").mkdir()
    (tmp_path / "what_ifs").mkdir()
    shutil.copy(TINY, tmp_path / "examples" / "tiny.yaml")
    path = tmp_path / "what_ifs" / "without_mara.yaml"
    path.write_text(example, encoding="utf-8")
    model = load_scenario(path).model
    assert model.meta.id == "tiny_without_mara@1.0"
    assert "mara_band" not in [f.id for f in model.forces]
    assert model.forces[0].men.value == 3400
