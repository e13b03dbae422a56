"""``--set PATH=VALUE``: change one value of a scenario from the command line.

``PATH`` is dotted, with ids standing for list items: ``forces.peru_gamarra.men``,
``sides.peru.war_will``, ``map.provinces.arica.value``, ``events.x.enabled``; a link is named
by its ends, ``map.links.tacna-arica.days``, and any list item by its 0-based position,
``history.orders.3.to``.  Keys are checked against the models, so a key the file leaves at
its default (``rules.combat.k0``) can be set, while a misspelt one is refused with a "did
you mean".  ``VALUE`` is read as YAML (a number, ``true``, a date, ``[a, b]``,
``{value: 9000, range: [8000, 10000]}``); a value starting with ``#`` is taken as text, so
colours need no quotes.

Problems are reported as ``--set:N:COLUMN``, N counting the ``--set`` options from 1.
"""

from __future__ import annotations

from typing import Any, get_origin

from game.errors import ScenarioError
from game.scenario.introspect import child_type, fields_by_alias, model_at, unwrap
from game.scenario.merge import list_key
from game.scenario.messages import did_you_mean
from game.scenario.overlay_schema import REMOVABLE
from game.scenario.schema import Scenario
from game.scenario.yamldoc import Node, Path_, Pos, format_path, parse, problem_at

SET_FILE = "--set"
_KINDS: dict[tuple[str, ...], str] = dict(REMOVABLE.values())


class _SetError(Exception):
    def __init__(self, pos: Pos, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.problem = problem_at(pos, pos.file, message, hint)


def apply_sets(tree: Node, sets: list[str]) -> Node:
    """Apply ``PATH=VALUE`` strings to a document tree (in place) and return it.

    Raises:
        ScenarioError: One problem per unusable ``--set``, each naming its position.
    """
    problems = []
    for n, arg in enumerate(sets, start=1):
        try:
            _apply_one(tree, arg, n)
        except _SetError as exc:
            problems.append(exc.problem)
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return tree


def _apply_one(tree: Node, arg: str, n: int) -> None:
    path_text, eq, value_text = arg.partition("=")
    path_text = path_text.strip()
    if not eq or not path_text:
        raise _SetError(
            Pos(SET_FILE, n, 1),
            f"expected PATH=VALUE, got {arg!r}",
            "e.g. --set forces.peru_gamarra.men=9000",
        )
    parts = path_text.split(".")
    value = _parse_value(value_text, n, len(arg) - len(value_text) + 1)
    _assign(tree, parts, value, n)


def _parse_value(text: str, n: int, column: int) -> Node:
    pos = Pos(SET_FILE, n, column)
    stripped = text.strip()
    if not stripped:
        return Node(None, pos, pos)
    if stripped.startswith("#"):
        return Node(stripped, pos, pos)
    try:
        node = parse(text, SET_FILE)
    except ScenarioError as exc:
        first = exc.problems[0]
        raise _SetError(pos, f"cannot read the value: {first.message}", first.hint) from None
    _relocate(node, n, column)
    node.key_pos = pos
    return node


def _relocate(node: Node, n: int, column: int) -> None:
    node.pos = Pos(SET_FILE, n, column + node.pos.column - 1)
    if node.key_pos is not None:
        node.key_pos = Pos(SET_FILE, n, column + node.key_pos.column - 1)
    if isinstance(node.value, dict | list):
        children = node.value.values() if isinstance(node.value, dict) else node.value
        for child in children:
            _relocate(child, n, column)


def _assign(tree: Node, parts: list[str], value: Node, n: int) -> None:
    node: Node = tree
    tp: Any = Scenario
    path: Path_ = ()
    column = 1
    for i, part in enumerate(parts):
        pos = Pos(SET_FILE, n, column)
        last = i == len(parts) - 1
        if not part:
            raise _SetError(pos, "empty part in the path", "parts are separated by single dots")
        if isinstance(node.value, list):
            key: str | int = _item_index(node, path, part, pos)
        else:
            key = _key(node, tp, path, part, pos, parts[:i])
        tp = child_type(tp, key)
        if last:
            node.value[key] = value
        else:
            node = _descend(node, key, tp, pos)
        path = (*path, key)
        column += len(part) + 1


def _key(node: Node, tp: Any, path: Path_, part: str, pos: Pos, before: list[str]) -> str:
    if child_type(tp, part) is None:
        model = model_at(path)
        keys = list(fields_by_alias(model)) if model is not None else []
        where = format_path(path) or "the scenario"
        retired: dict[str, str] = getattr(model, "retired", {})
        if part in retired:
            raise _SetError(pos, f"'{part}' is no longer a key in {where}", retired[part])
        raise _SetError(pos, f"unknown key '{part}' in {where}", did_you_mean(part, keys))
    if not isinstance(node.value, dict):
        dotted = ".".join(before)
        raise _SetError(
            pos,
            f"'{dotted}' is a single value here, not a mapping",
            f"set it whole, e.g. {dotted}=VALUE",
        )
    return part


def _item_index(node: Node, path: Path_, part: str, pos: Pos) -> int:
    items: list[Node] = node.value
    if part.isdigit():
        if int(part) < len(items):
            return int(part)
        raise _SetError(pos, f"no item {part} in {format_path(path)}: it has {len(items)}")
    keyed = list_key(path)
    names = [_name(item, keyed) for item in items]
    for candidate in (part, "-".join(reversed(part.split("-", 1)))):
        if candidate in names:
            return names.index(candidate)
    schematic = tuple(p for p in path if isinstance(p, str))
    kind = _KINDS.get(schematic, f"item of {format_path(path)}")
    hint = did_you_mean(part, [x for x in names if x]) or (
        "name a link by its ends, e.g. a-b" if kind == "link" else ""
    )
    raise _SetError(pos, f"unknown {kind} '{part}'", hint)


def _name(item: Node, keyed: Any) -> str:
    if keyed is None or not isinstance(item.value, dict):
        return ""
    if "id" in item.value:
        return str(item.value["id"].value)
    if "from" in item.value and "to" in item.value:
        return f"{item.value['from'].value}-{item.value['to'].value}"
    return ""


def _descend(node: Node, key: str | int, tp: Any, pos: Pos) -> Node:
    if isinstance(key, int):
        return node.value[key]
    if key not in node.value:
        empty: Any = [] if get_origin(unwrap(tp)) is list else {}
        node.value[key] = Node(empty, pos, pos)
    return node.value[key]
