"""The JSON Schemas and the format guide are generated from the models and must be current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from game.cli import main
from game.scenario import docs
from game.scenario.jsonschema import dump, overlay_schema, scenario_schema

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
REGENERATE = "regenerate with: ingavi schema -o scenarios/scenario.schema.json && ingavi schema --overlay -o scenarios/overlay.schema.json"


def test_shipped_scenario_schema_is_current() -> None:
    assert (SCENARIOS / "scenario.schema.json").read_text(encoding="utf-8") == dump(
        scenario_schema()
    ), REGENERATE


def test_shipped_overlay_schema_is_current() -> None:
    assert (SCENARIOS / "overlay.schema.json").read_text(encoding="utf-8") == dump(
        overlay_schema()
    ), REGENERATE


def test_schemas_describe_the_files() -> None:
    scenario = scenario_schema()
    assert scenario["$schema"].endswith("2020-12/schema")
    assert scenario["$id"] == "urn:ingavi:scenario"
    tiny = yaml.safe_load((SCENARIOS / "examples" / "tiny.yaml").read_text(encoding="utf-8"))
    assert set(tiny) <= set(scenario["properties"])
    assert set(scenario["required"]) <= set(tiny)
    link = scenario["$defs"]["Link"]["properties"]
    assert "from" in link and "a" not in link
    over = overlay_schema()
    assert over["required"] == ["extends", "overlay"]
    assert {"extends", "overlay", "remove", "forces", "meta"} <= set(over["properties"])
    assert "required" not in over["$defs"]["Force"]
    assert over["$defs"]["OverlayHeader"]["required"] == ["id", "title", "description"]


def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == scenario_schema()
    out = tmp_path / "o.json"
    assert main(["schema", "--overlay", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == dump(overlay_schema())
    assert main(["schema", "--markdown"]) == 0
    assert capsys.readouterr().out == docs.reference_markdown()


def test_schema_command_reports_an_unwritable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "-o", str(tmp_path / "no" / "such" / "dir.json")]) == 2
    assert capsys.readouterr().err.startswith("ingavi schema: error: cannot write")


def test_format_guide_reference_is_current() -> None:
    text = docs.DOC.read_text(encoding="utf-8")
    assert docs.render(text) == text, "regenerate with: python -m game.scenario.docs"
    assert docs.main(["--check"]) == 0


def test_format_guide_embeds_the_example_verbatim() -> None:
    text = docs.DOC.read_text(encoding="utf-8")
    begin, end = docs.EXAMPLE_MARKERS
    block = text.split(begin, 1)[1].split(end, 1)[0]
    body = block.strip().removeprefix("```yaml\n").removesuffix("```").rstrip("\n")
    assert body == docs.EXAMPLE.read_text(encoding="utf-8").rstrip("\n")


def test_stale_guide_is_detected(tmp_path: Path) -> None:
    stale = tmp_path / "guide.md"
    text = docs.DOC.read_text(encoding="utf-8").replace("| `turn_days` |", "| `turn_dayz` |")
    stale.write_text(text, encoding="utf-8")
    assert docs.main(["--check", str(stale)]) == 1
    assert docs.main([str(stale)]) == 0
    assert docs.main(["--check", str(stale)]) == 0
