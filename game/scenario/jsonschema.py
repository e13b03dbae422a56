"""JSON Schemas of scenario and overlay files, for editors and other tools.

Editors that understand JSON Schema (through the YAML language server, for instance)
autocomplete keys, show each field's description and flag wrong types while an author
types.  The schemas come from the pydantic models, so they say exactly what the first pass
of the loader accepts; checks across parts (does that province exist?) are beyond JSON
Schema and stay with ``ingavi validate``.  Copies ship as ``scenarios/*.schema.json``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from game.scenario.overlay_schema import OverlayFile
from game.scenario.schema import Scenario

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCENARIO_ID = "urn:ingavi:scenario"
OVERLAY_ID = "urn:ingavi:overlay"
_RELAXED = ("required", "minItems", "maxItems")


def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema of a scenario file."""
    body = Scenario.model_json_schema(by_alias=True)
    body.pop("title", None)
    return {"$schema": DRAFT, "$id": SCENARIO_ID, "title": "Ingavi scenario", **body}


def _relax(node: Any) -> Any:
    """Drop required keys and list sizes: an overlay holds only the changes."""
    if isinstance(node, dict):
        return {
            k: _relax(v)
            for k, v in node.items()
            if not (k in _RELAXED and isinstance(v, list | int) and not isinstance(v, bool))
        }
    if isinstance(node, list):
        return [_relax(v) for v in node]
    return node


def overlay_schema() -> dict[str, Any]:
    """Return the JSON Schema of an overlay file.

    The scenario sections are the scenario's schema with nothing required (an overlay
    holds changes only); the header, ``extends`` and ``remove`` are strict.
    """
    scenario = _relax(copy.deepcopy(Scenario.model_json_schema(by_alias=True)))
    own = OverlayFile.model_json_schema(by_alias=True)
    return {
        "$schema": DRAFT,
        "$id": OVERLAY_ID,
        "title": "Ingavi overlay",
        "description": (
            own.get("description", "") + " " + "Every other key is a scenario "
            "section holding only the changes, merged into the scenario."
        ).strip(),
        "type": "object",
        "properties": {**own["properties"], **scenario["properties"]},
        "required": own.get("required", []),
        "additionalProperties": False,
        "$defs": {**scenario.get("$defs", {}), **own.get("$defs", {})},
    }


def dump(schema: dict[str, Any]) -> str:
    """Return a schema as the text shipped in ``scenarios/`` (stable, readable)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
