"""Merging an overlay's changes into a scenario document, and removing items by id.

Both work on :class:`~game.scenario.yamldoc.Node` trees rather than plain data, so every
value in the result still knows which file and line it came from: a mistake in a value the
overlay changed is reported in the overlay, a mistake in an untouched value in the base.

Merge rules: mappings merge key by key (recursively); lists whose items have an ``id`` merge
item by item (an item whose id exists is merged into it, a new id is appended); links are
matched by their two ends and historical orders by force and date; any other list, and any
scalar, is replaced whole.  A new outcome with a ``when`` (or a mutual one) is inserted
before the default outcome, which must stay last.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from game.errors import Problem
from game.scenario.introspect import model_at, required_keys
from game.scenario.messages import did_you_mean
from game.scenario.overlay_schema import REMOVABLE, Remove
from game.scenario.schema import HistoricalOrder, Link
from game.scenario.yamldoc import Node, Path_, Pos, format_path, problem_at

Key = Callable[[Node], Hashable | None]
_KINDS: dict[tuple[str, ...], str] = dict(REMOVABLE.values())


def _field(node: Node, key: str) -> Any:
    if isinstance(node.value, dict) and key in node.value:
        value = node.value[key].value
        return None if isinstance(value, dict | list) else value
    return None


def _link_key(node: Node) -> Hashable | None:
    a, b = _field(node, "from"), _field(node, "to")
    return None if a is None or b is None else frozenset((str(a), str(b)))


def _order_key(node: Node) -> Hashable | None:
    force, date = _field(node, "force"), _field(node, "date")
    return None if force is None or date is None else (str(force), str(date))


def _id_key(node: Node) -> Hashable | None:
    value = _field(node, "id")
    return None if value is None else str(value)


def list_key(path: Path_) -> tuple[Key, str] | None:
    """Return how the items of the list at ``path`` are identified, and in what words."""
    model = model_at((*path, 0))
    if model is Link:
        return _link_key, "'from' and 'to'"
    if model is HistoricalOrder:
        return _order_key, "'force' and 'date'"
    if model is not None and "id" in model.model_fields:
        return _id_key, "'id'"
    return None


class Merger:
    """Merges overlay trees into a base tree, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def merge(self, base: Node, over: Node, path: Path_ = ()) -> Node:
        """Return ``base`` with ``over`` merged into it (neither is modified)."""
        if isinstance(base.value, dict) and isinstance(over.value, dict):
            out = dict(base.value)
            for key, value in over.value.items():
                out[key] = self.merge(out[key], value, (*path, key)) if key in out else value
            return Node(out, base.pos, over.key_pos or base.key_pos)
        if isinstance(base.value, list) and isinstance(over.value, list):
            keyed = list_key(path)
            if keyed is not None:
                return self._merge_list(base, over, path, *keyed)
        return over

    def _merge_list(self, base: Node, over: Node, path: Path_, key: Key, words: str) -> Node:
        out: list[Node] = list(base.value)
        where = {key(item): i for i, item in enumerate(out)}
        for item in over.value:
            k = key(item)
            if k is None:
                self.problems.append(
                    problem_at(
                        item.pos,
                        item.pos.file,
                        f"an item of {format_path(path)} in an overlay needs {words}",
                        "items are matched to the scenario's by it",
                    )
                )
            elif k in where:
                out[where[k]] = self.merge(out[where[k]], item, (*path, where[k]))
            else:
                self._check_new(path, item, k, list(where))
                at = _insert_at(path, out, item)
                out.insert(at, item)
                where = {key(x): i for i, x in enumerate(out)}
        return Node(out, base.pos, over.key_pos or base.key_pos)

    def _check_new(self, path: Path_, item: Node, key: Hashable, known: list[Hashable]) -> None:
        """Report a new item that lacks required keys: often a misspelt id."""
        model = model_at((*path, 0))
        if model is None or not isinstance(item.value, dict):
            return
        missing = [k for k in required_keys(model) if k not in item.value]
        if not missing:
            return
        kind = _KINDS.get(tuple(p for p in path if isinstance(p, str)), "item")
        names = [str(x) for x in known if isinstance(x, str)]
        hint = did_you_mean(key, names) if isinstance(key, str) else ""
        hint = hint.replace("did you mean", "did you mean to change") or (
            "a new item is added whole, so it needs every required key"
        )
        self.problems.append(
            problem_at(
                item.pos,
                item.pos.file,
                f"new {kind} '{key}' lacks required keys: {', '.join(missing)}"
                if isinstance(key, str)
                else f"new {kind} lacks required keys: {', '.join(missing)}",
                hint,
            )
        )


def _insert_at(path: Path_, items: list[Node], new: Node) -> int:
    """Return where a new item goes: last, except before a default outcome."""
    is_default = (
        isinstance(items[-1].value, dict) and "when" not in items[-1].value if items else False
    )
    new_has_when = isinstance(new.value, dict) and ("when" in new.value or "mutual" in new.value)
    if path == ("victory", "outcomes") and is_default and new_has_when:
        return len(items) - 1
    return len(items)


# --------------------------------------------------------------------------- remove


def _list_node(tree: Node, path: tuple[str, ...]) -> Node | None:
    node = tree
    for part in path:
        if not isinstance(node.value, dict) or part not in node.value:
            return None
        node = node.value[part]
    return node if isinstance(node.value, list) else None


def _ref_key(section: str, ref: Any) -> Hashable:
    if section == "links":
        return frozenset((ref.a, ref.b))
    if section == "orders":
        return (ref.force, str(ref.date))
    return str(ref)


def _ref_words(section: str, ref: Any) -> str:
    if section == "links":
        return f"link between '{ref.a}' and '{ref.b}'"
    if section == "orders":
        return f"order of '{ref.force}' on {ref.date}"
    return f"{REMOVABLE[section][1]} '{ref}'"


def remove(
    tree: Node, spec: Remove, nodes: dict[Path_, Node], removed: dict[tuple[str, str], Pos]
) -> list[Problem]:
    """Delete the items ``spec`` names from ``tree`` (in place), with the cascades.

    Args:
        tree: The merged document so far.
        spec: The overlay's validated ``remove`` section.
        nodes: The overlay's nodes by path, to report problems at the right line.
        removed: Filled with ``(kind, id) -> position of the removal`` for each removed id.

    Returns:
        One problem per reference to something the scenario does not have.
    """
    problems: list[Problem] = []
    for section, (path, kind) in REMOVABLE.items():
        for i, ref in enumerate(getattr(spec, section)):
            pos = nodes[("remove", section, i)].pos
            if not _remove_one(tree, section, path, ref):
                problems.append(_missing(tree, section, ref, pos))
            elif section not in ("links", "orders"):
                removed[(kind, str(ref))] = pos
    _cascade(tree, removed)
    return problems


def _remove_one(tree: Node, section: str, path: tuple[str, ...], ref: Any) -> bool:
    items = _list_node(tree, path)
    keyed = list_key(path)
    if items is None or keyed is None:
        return False
    want = _ref_key(section, ref)
    kept = [item for item in items.value if keyed[0](item) != want]
    found = len(kept) < len(items.value)
    items.value = kept
    return found


def _missing(tree: Node, section: str, ref: Any, pos: Pos) -> Problem:
    path = REMOVABLE[section][0]
    items = _list_node(tree, path)
    ids = [str(_id_key(i)) for i in items.value] if items is not None else []
    hint = did_you_mean(ref, ids) if isinstance(ref, str) else ""
    return problem_at(
        pos, pos.file, f"cannot remove {_ref_words(section, ref)}: there is none", hint
    )


def _cascade(tree: Node, removed: dict[tuple[str, str], Pos]) -> None:
    """Drop the orders of removed forces and the links of removed provinces."""
    forces = {i for k, i in removed if k == "force"}
    provinces = {i for k, i in removed if k == "province"}
    orders = _list_node(tree, ("history", "orders"))
    if orders is not None and forces:
        orders.value = [o for o in orders.value if _field(o, "force") not in forces]
    links = _list_node(tree, ("map", "links"))
    if links is not None and provinces:
        links.value = [
            ln
            for ln in links.value
            if _field(ln, "from") not in provinces and _field(ln, "to") not in provinces
        ]
