"""Generate the reference part of ``docs/scenario-format.md`` from the models.

The prose of the format guide is written by hand; the reference (every model, every key,
its type, default and description) and the embedded example scenario are generated, so
they cannot drift from the code.  A test fails when the file is not current; regenerate it
with::

    python -m game.scenario.docs          # rewrite docs/scenario-format.md
    python -m game.scenario.docs --check  # exit 1 if it is not current
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from game.scenario.introspect import is_model, is_union, unwrap
from game.scenario.overlay_schema import OverlayFile
from game.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "scenario-format.md"
EXAMPLE = ROOT / "scenarios" / "examples" / "tiny.yaml"
REFERENCE_MARKERS = ("<!-- reference:begin -->", "<!-- reference:end -->")
EXAMPLE_MARKERS = ("<!-- example:begin -->", "<!-- example:end -->")

_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "id",
    r"^#[0-9a-fA-F]{6}$": "colour `#rrggbb`",
    r"^[a-z][a-z0-9_]*(#.+)?$": "source ref",
    r"^[a-z][a-z0-9_]*@\d+(\.\d+)*$": "versioned id",
}
_SCALARS = {int: "whole number", float: "number", bool: "true/false", str: "text", dt.date: "date"}


def models_of(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Return ``root`` and every model reachable from its fields, in reading order."""
    found: list[type[BaseModel]] = []

    def visit(tp: Any) -> None:
        tp = unwrap(tp)
        if is_model(tp):
            if tp in found:
                return
            found.append(tp)
            for info in tp.model_fields.values():
                visit(info.annotation)
            return
        for arg in get_args(tp):
            visit(arg)

    visit(root)
    return found


def _bounds(items: list[Any]) -> str:
    lo = next((getattr(m, k) for m in items for k in ("ge", "gt") if hasattr(m, k)), None)
    hi = next((getattr(m, k) for m in items for k in ("le", "lt") if hasattr(m, k)), None)
    if lo is not None and hi is not None:
        return f"{lo} to {hi}"
    if lo is not None:
        return f"≥ {lo}"
    return f"≤ {hi}" if hi is not None else ""


def _sizes(items: list[Any]) -> str:
    lo = next((m.min_length for m in items if getattr(m, "min_length", None)), None)
    hi = next((m.max_length for m in items if getattr(m, "max_length", None)), None)
    if lo is not None and hi is not None:
        return f"{lo} to {hi} items" if lo != hi else f"exactly {lo} items"
    return f"at least {lo} item{'s' if lo != 1 else ''}" if lo is not None else ""


def type_text(tp: Any, metadata: list[Any] | None = None) -> str:
    """Return a short Markdown description of a type, with its constraints."""
    meta = list(metadata or [])
    while get_origin(tp) is not None and get_origin(tp).__name__ == "Annotated":
        meta += [m for m in tp.__metadata__ if not isinstance(m, FieldInfo)]
        meta += [x for m in tp.__metadata__ if isinstance(m, FieldInfo) for x in m.metadata]
        tp = get_args(tp)[0]
    base = _base_text(tp)
    pattern = next((m.pattern for m in meta if getattr(m, "pattern", None)), None)
    if pattern in _PATTERNS:
        base = _PATTERNS[pattern]
    extra = _bounds(meta) or (_sizes(meta) if get_origin(unwrap(tp)) is list else "")
    if base == "text" and not extra:
        extra = _length(meta)
    return f"{base}, {extra}" if extra else base


def _length(items: list[Any]) -> str:
    """Return the longest a text may be ("at most 120 characters"), or ""."""
    hi = next((m.max_length for m in items if getattr(m, "max_length", None)), None)
    return f"at most {hi:,} characters" if hi is not None else ""


def _base_text(tp: Any) -> str:
    if is_union(tp):
        members = [a for a in get_args(tp) if a is not type(None)]
        return " or ".join(type_text(a) for a in members)
    if is_model(tp):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {type_text(args[0])}"
    if origin is tuple:
        return f"[{', '.join(type_text(a) for a in args)}]"
    if origin is dict:
        return f"mapping of {type_text(args[0])} to {type_text(args[1])}"
    return _SCALARS.get(tp, getattr(tp, "__name__", str(tp)))


def default_text(info: FieldInfo) -> str:
    """Return a field's default for the reference table."""
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "all defaults"
        return "empty" if not value else "see [Rules](#rules)"
    value = info.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`" if value != "" else '`""`'


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def model_section(model: type[BaseModel]) -> Iterator[str]:
    """Yield the Markdown lines describing one model."""
    doc = (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    yield f"### {model.__name__}"
    yield ""
    yield doc
    yield ""
    yield "| Key | Type | Default | Description |"
    yield "|---|---|---|---|"
    for name, info in model.model_fields.items():
        key = info.alias or name
        kind = type_text(info.annotation, list(info.metadata))
        yield (
            f"| `{key}` | {_cell(kind)} | {_cell(default_text(info))} "
            f"| {_cell(info.description or '')} |"
        )
    yield ""


def reference_markdown() -> str:
    """Return the generated reference: every scenario model, then the overlay models."""
    lines = ["## Reference: scenario files", ""]
    for model in models_of(Scenario):
        lines.extend(model_section(model))
    lines += ["## Reference: overlay files", ""]
    scenario_models = set(models_of(Scenario))
    for model in models_of(OverlayFile):
        if model not in scenario_models:
            lines.extend(model_section(model))
    return "\n".join(lines).rstrip() + "\n"


def example_markdown() -> str:
    """Return the example scenario as a fenced YAML block."""
    return "```yaml\n" + EXAMPLE.read_text(encoding="utf-8").rstrip("\n") + "\n```\n"


def _replace(text: str, markers: tuple[str, str], body: str) -> str:
    begin, end = markers
    head, found, rest = text.partition(begin)
    if not found or end not in rest:
        raise ValueError(f"{DOC.name} lacks the markers {begin} ... {end}")
    tail = rest.split(end, 1)[1]
    return f"{head}{begin}\n{body}{end}{tail}"


def render(text: str) -> str:
    """Return the guide ``text`` with its generated parts brought up to date."""
    text = _replace(text, REFERENCE_MARKERS, reference_markdown())
    return _replace(text, EXAMPLE_MARKERS, example_markdown())


def main(argv: list[str] | None = None) -> int:
    """Rewrite the guide, or with ``--check`` report whether it is current."""
    parser = argparse.ArgumentParser(prog="python -m game.scenario.docs")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("path", nargs="?", type=Path, default=DOC)
    args = parser.parse_args(argv)
    current = args.path.read_text(encoding="utf-8")
    fresh = render(current)
    if args.check:
        if fresh != current:
            print(f"{args.path} is stale: run python -m game.scenario.docs", file=sys.stderr)
            return 1
        return 0
    if fresh != current:
        args.path.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
