"""Pydantic's validation errors, rewritten for scenario authors.

Pydantic reports what went wrong in its own vocabulary ("Input should be a valid dictionary
or instance of Uncertain", one error per member of ``int | Uncertain``) at locations such as
``('forces', 1, 'men', 'function-after[_inside(), Uncertain]')``.  Authors need one plain
sentence per mistake, at the line and column where they wrote it, with a hint.  This module
strips union noise from locations, keeps only the errors of the union member the author
evidently meant, and words each error in English.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from game.errors import Problem
from game.scenario.introspect import fields_by_alias, model_at, required_keys
from game.scenario.schema import Scenario
from game.scenario.yamldoc import Node, Path_, format_path, problem_at

_TAG = re.compile(r"^(int|float|str|bool|date|none|constrained-\w+|[\w-]+\[.*\]|[A-Z]\w*)$")

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
_PATTERN_WORDS: dict[str, tuple[str, str]] = {
    ID_PATTERN: ("is not a valid id", "use lower-case letters, digits and underscores"),
    r"^#[0-9a-fA-F]{6}$": ("is not a colour", "write '#rrggbb' in quotes, e.g. '#c8102e'"),
    r"^[a-z][a-z0-9_]*(#.+)?$": (
        "is not a source reference",
        "the id of a meta.sources entry, optionally followed by '#section'",
    ),
    r"^[a-z][a-z0-9_]*@\d+(\.\d+)*$": ("is not a versioned id", "write it as 'name@1.0'"),
}

_FOCUS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(end \S+ must come after start|a scenario may cover)"), "end"),
    (re.compile(r"^value -?\d+ lies outside"), "value"),
    (re.compile(r"^range \["), "range"),
    (re.compile(r"^end_date "), "end_date"),
    (re.compile(r"^(exactly one outcome|the default outcome)"), "outcomes"),
    (re.compile(r"^a battle needs 'place'"), "kind"),
]
"""Errors raised by a model's own validator, and the key they are really about."""

_BOUNDS = ("greater_than", "less_than")


@dataclass
class _Error:
    """One pydantic error with its location made plain."""

    loc: Path_
    type: str
    input: Any
    ctx: dict[str, Any]
    msg: str
    on_key: bool = False
    union: Path_ | None = None
    member: str = ""
    extra_hint: str = field(default="")
    root: Any = Scenario


def structure_problems(
    exc: ValidationError, data: Any, nodes: dict[Path_, Node], root: Any = Scenario
) -> list[Problem]:
    """Return one problem per author's mistake in a failed validation of ``data``.

    Args:
        exc: The error pydantic raised.
        data: The plain data that was validated.
        nodes: Every node of the document by path, to find lines and columns.
        root: The model ``data`` was validated against.
    """
    errors = [_normalise(e, data, root) for e in exc.errors(include_url=False)]
    errors = _drop_misspelt_missing(_resolve_unions(errors, data))
    out: list[Problem] = []
    for err in errors:
        problem = _to_problem(err, nodes)
        if problem not in out:
            out.append(problem)
    return out


# --------------------------------------------------------------------------- locations


def _normalise(raw: Any, data: Any, root: Any) -> _Error:
    loc: tuple[Any, ...] = tuple(raw["loc"])
    ctx = dict(raw.get("ctx") or {})
    err = _Error((), raw["type"], raw.get("input"), ctx, raw["msg"], root=root)
    out: list[str | int] = []
    cur: Any = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if part == "[key]":
            err.on_key = True
        elif _has(cur, part):
            out.append(part)
            cur = cur[part]
        elif isinstance(part, str) and _TAG.match(part) and not (last and err.type == "missing"):
            err.union, err.member = tuple(out), part
        else:
            out.append(part)
            cur = None
    err.loc = tuple(out)
    return err


def _has(data: Any, part: Any) -> bool:
    if isinstance(data, dict):
        return part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        if not _has(data, part):
            return None
        data = data[part]
    return data


def _is_model_member(member: str) -> bool:
    return any(c.isupper() for c in member)


def _resolve_unions(errors: list[_Error], data: Any) -> list[_Error]:
    """Keep, for each union, only the errors of the member the author meant.

    A mapping was meant as the model member (``{value, range}``); anything else as the
    plain member (a number), whose message then mentions the mapping as an alternative.
    """
    out: list[_Error] = []
    seen_scalar: set[Path_] = set()
    for err in errors:
        if err.union is None:
            out.append(err)
            continue
        meant_model = isinstance(_value_at(data, err.union), dict)
        if _is_model_member(err.member) != meant_model:
            continue
        if not meant_model:
            if err.union in seen_scalar:
                continue
            seen_scalar.add(err.union)
            model = model_at(err.union, err.root)
            if model is not None and not err.type.startswith(_BOUNDS):
                err.extra_hint = f"or a mapping with {', '.join(required_keys(model))}"
        out.append(err)
    return out


def _drop_misspelt_missing(errors: list[_Error]) -> list[_Error]:
    """Drop "missing 'range'" when the same mapping has an unknown key 'rnage'."""
    misspelt = {
        (err.loc[:-1], key)
        for err in errors
        if err.type == "extra_forbidden"
        for key in difflib.get_close_matches(str(err.loc[-1]), _keys(err), n=1, cutoff=0.6)
    }
    return [e for e in errors if not (e.type == "missing" and (e.loc[:-1], e.loc[-1]) in misspelt)]


def _keys(err: _Error) -> list[str]:
    model = model_at(err.loc[:-1], err.root)
    return list(fields_by_alias(model)) if model is not None else []


def _to_problem(err: _Error, nodes: dict[Path_, Node]) -> Problem:
    message, hint = describe(err)
    if err.extra_hint:
        hint = f"{hint}; {err.extra_hint}" if hint else err.extra_hint
    loc = err.loc
    if err.type in ("missing", "extra_forbidden"):
        shown = loc[:-1]
    else:
        loc = _focus(err, loc, nodes)
        shown = loc
    node, exact = nearest(nodes, loc)
    on_key = err.type in ("missing", "extra_forbidden") or err.on_key or not exact
    if on_key or isinstance(node.value, dict | list):
        pos = node.key_pos or node.pos
    else:
        pos = node.pos
    return problem_at(pos, pos.file, message, hint, format_path(shown))


def _focus(err: _Error, loc: Path_, nodes: dict[Path_, Node]) -> Path_:
    if err.type not in ("value_error", "assertion_error"):
        return loc
    text = str(err.ctx.get("error", ""))
    for pattern, key in _FOCUS:
        if pattern.search(text) and (*loc, key) in nodes:
            return (*loc, key)
    return loc


def nearest(nodes: dict[Path_, Node], loc: Path_) -> tuple[Node, bool]:
    """Return the node at ``loc``, or at its longest existing prefix (and ``False``)."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in nodes:
            return nodes[loc[:n]], n == len(loc)
    raise KeyError(loc)  # pragma: no cover - the root is always present


# --------------------------------------------------------------------------- wording


def what(value: Any) -> str:
    """Describe a value the way an error message should quote it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.datetime):
        return f"the date and time {value}"
    if isinstance(value, dt.date):
        return f"the date {value}"
    return type(value).__name__


def did_you_mean(word: Any, choices: list[str]) -> str:
    """Return ``"did you mean 'x'?"`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _listing(choices: list[str], limit: int = 12) -> str:
    shown = ", ".join(choices[:limit])
    return shown + (", ..." if len(choices) > limit else "")


def describe(err: _Error) -> tuple[str, str]:
    """Return the message and hint for one error."""
    kind = err.type
    if kind == "missing":
        return _missing(err)
    if kind == "extra_forbidden":
        return _unknown_key(err)
    if err.input is None and (kind.endswith("_type") or kind.endswith("_parsing")):
        return _no_value(err)
    for handler in (_number_words, _text_words, _shape_words):
        found = handler(err)
        if found is not None:
            return found
    if kind in ("value_error", "assertion_error"):
        return str(err.ctx.get("error", err.msg)), ""
    return err.msg.replace("Input should be", "must be"), ""


def _missing(err: _Error) -> tuple[str, str]:
    if isinstance(err.loc[-1], int):
        n = err.loc[-1]
        return f"needs at least {n + 1} items, has {n}", ""
    name = str(err.loc[-1])
    model = model_at(err.loc[:-1], err.root)
    info = fields_by_alias(model).get(name) if model is not None else None
    hint = ""
    if info is not None and info.description:
        hint = re.split(r"(?<=[a-z])[.;:] ", info.description, maxsplit=1)[0].rstrip(".")
    return f"missing required key '{name}'", hint


def _unknown_key(err: _Error) -> tuple[str, str]:
    name = str(err.loc[-1])
    model = model_at(err.loc[:-1], err.root)
    retired: dict[str, str] = getattr(model, "retired", {})
    if name in retired:
        return f"'{name}' is no longer a key", retired[name]
    keys = _keys(err)
    hint = did_you_mean(name, keys) or (f"expected one of: {_listing(keys)}" if keys else "")
    what = "section" if len(err.loc) == 1 and err.root is Scenario else "key"
    return f"unknown {what} '{name}'", hint


def _no_value(err: _Error) -> tuple[str, str]:
    name = str(err.loc[-1]) if err.loc else ""
    if name in ("colour", "accent"):
        return "has no value", "quote colours, e.g. '#c8102e': an unquoted '#' starts a comment"
    model = model_at(err.loc[:-1], err.root)
    info = fields_by_alias(model).get(name) if model is not None else None
    if info is not None and not info.is_required():
        return "has no value", "write a value after the colon, or remove the key for the default"
    return "has no value", "write a value after the colon"


def _number_words(err: _Error) -> tuple[str, str] | None:
    kind, ctx, got = err.type, err.ctx, err.input
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"{got} is out of range: must be {words} {ctx.get(key)}", ""
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {what(got)}", ""
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {what(got)}", ""
    if kind == "finite_number":
        return "must be a finite number", ""
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {what(got)}", ""
    return None


def _text_words(err: _Error) -> tuple[str, str] | None:
    kind, ctx, got = err.type, err.ctx, err.input
    if kind == "string_type":
        return f"expected text, got {what(got)}", "put it in quotes if it is meant as text"
    if kind == "string_pattern_mismatch":
        words, hint = _PATTERN_WORDS.get(
            str(ctx.get("pattern")), (f"does not match {ctx.get('pattern')}", "")
        )
        return f"{what(got)} {words}", hint
    if kind == "string_too_short":
        return "must not be empty", ""
    if kind == "string_too_long":
        return f"is too long ({len(str(got))} characters; at most {ctx.get('max_length')})", ""
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{what(got)} is not one of: {_listing(choices)}", did_you_mean(got, choices)
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{what(got)} is not a valid date", "write dates as YYYY-MM-DD, e.g. 1841-10-01"
    return None


def _shape_words(err: _Error) -> tuple[str, str] | None:
    kind, ctx, got = err.type, err.ctx, err.input
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        words = "at least" if kind == "too_short" else "at most"
        items = "item" if n == 1 else "items"
        return f"needs {words} {n} {items}, has {ctx.get('actual_length')}", ""
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping (key: value), got {what(got)}", ""
    if kind in ("list_type", "tuple_type", "iterable_type"):
        return f"expected a list, got {what(got)}", ""
    return None
