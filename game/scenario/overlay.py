"""Counterfactual overlays and ``--set``: small changes on top of a scenario.

An overlay file is recognised by its ``extends:`` key; it may extend a scenario or another
overlay.  Resolving a file gives a :class:`Document`: the merged tree (every value still
knowing its file and line), the scenario at the root of the chain, the overlays applied,
and which ids were removed where.  Commands accept an overlay file wherever they accept a
scenario, add more overlays with ``--overlay`` and single values with ``--set``.

The overlay's header replaces ``meta.id``, ``meta.title`` and ``meta.description`` and
appends its sources to ``meta.sources``, so saves and studies record which what-if was
played.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from game.errors import Problem, ScenarioError
from game.files import Unreadable
from game.scenario.compile import CompiledScenario
from game.scenario.library import (
    HEADER_KEYS,
    SECTIONS,
    extends_target,
    is_scenario_id,
    named_tree,
)
from game.scenario.merge import Merger, remove
from game.scenario.messages import did_you_mean, structure_problems
from game.scenario.overlay_schema import OverlayFile
from game.scenario.passes import compile_checked, validate_document
from game.scenario.setpath import apply_sets
from game.scenario.yamldoc import Node, Pos, index, load_tree, problem_at, require_mapping, to_data

_MAX_CHAIN = 32


@dataclass
class Document:
    """A scenario document after its overlays: the tree to validate, and its history.

    Attributes:
        tree: The merged document.
        root: The scenario file at the bottom of the chain (resolved).
        applied: Overlay files applied so far (resolved), bottom first.
        removed: ``(kind, id) -> where an overlay removed it``, to blame dangling references
            on the removal rather than on the file that still refers to the item.
    """

    tree: Node
    root: Path
    applied: list[Path] = field(default_factory=list)
    removed: dict[tuple[str, str], Pos] = field(default_factory=dict)


@dataclass
class _Link:
    path: Path
    file: str
    tree: Node


def is_overlay(tree: Node) -> bool:
    """Whether a parsed file is an overlay (a top-level mapping with ``extends``)."""
    return isinstance(tree.value, dict) and "extends" in tree.value


def _chain(path: Path, file: str, named: bool = False) -> tuple[_Link, list[_Link]]:
    """Return the root scenario of ``path`` and the overlays leading to it, top first.

    ``named``: the path was read from another file (a save, a study folder), so it is
    opened as :func:`~game.scenario.library.named_tree` opens files named by ``extends:``.
    """
    overlays: list[_Link] = []
    seen: list[Path] = []
    link = _Link(path, file, _open_named(path, file) if named else load_tree(path, file))
    while is_overlay(link.tree):
        require_mapping(link.tree, "overlay")
        seen.append(link.path.resolve())
        overlays.append(link)
        link = _next(link, seen)
    require_mapping(link.tree, "scenario")
    return link, overlays


def _open_named(path: Path, file: str) -> Node:
    try:
        return named_tree(path, file)
    except Unreadable as exc:
        exc.name = file
        raise


def _next(link: _Link, seen: list[Path]) -> _Link:
    node = link.tree.value["extends"]
    if not isinstance(node.value, str) or not node.value.strip():
        raise _error(
            node.pos,
            "'extends' must be a scenario id or the path of a scenario or overlay file",
            "e.g. extends: peru_bolivia_1841",
        )
    target, file = _target(link, node)
    if target.resolve() in seen:
        names = [p.name for p in seen[seen.index(target.resolve()) :]]
        cycle = " -> ".join([*names, target.name])
        raise _error(node.pos, f"overlay cycle: {cycle}", "an overlay cannot extend itself")
    if len(seen) > _MAX_CHAIN:
        raise _error(node.pos, f"more than {_MAX_CHAIN} overlays extend each other")
    try:
        tree = named_tree(target, file)
    except Unreadable as exc:
        hint = "the path is relative to the overlay file" if exc.reason == "no such file" else ""
        raise _error(node.pos, f"extends '{node.value}': {exc.reason}", hint) from None
    return _Link(target, file, tree)


def _target(link: _Link, node: Node) -> tuple[Path, str]:
    """Return the file ``extends:`` names (by id or by path) and its name for problems."""
    target = extends_target(link.path, node.value)
    if target is None:
        raise _error(
            node.pos,
            f"extends '{node.value}': no scenario has this id",
            "an id is the file name, without .yaml, of a bundled scenario or of one "
            "in your scenarios folder; or give a path relative to the overlay",
        )
    if is_scenario_id(node.value):
        return target, str(target)
    return target, os.path.normpath(os.path.join(os.path.dirname(link.file), node.value))


def _error(pos: Pos, message: str, hint: str = "") -> ScenarioError:
    return ScenarioError([problem_at(pos, pos.file, message, hint)])


def resolve(path: str | Path, *, named: bool = False) -> Document:
    """Read a scenario or overlay file and apply its chain of overlays."""
    root, overlays = _chain(Path(path), str(path), named)
    doc = Document(root.tree, root.path.resolve())
    for link in reversed(overlays):
        _apply(doc, link)
    return doc


def apply_overlay_file(doc: Document, path: str | Path, *, named: bool = False) -> None:
    """Apply an overlay file (and any overlays it extends that are not yet applied)."""
    root, overlays = _chain(Path(path), str(path), named)
    if not overlays:
        raise ScenarioError(
            [Problem(str(path), 1, 1, "not an overlay: it has no 'extends:' key", "")]
        )
    if root.path.resolve() != doc.root:
        top = overlays[-1].tree.value["extends"]
        raise _error(top.pos, f"this overlay is built on '{root.file}', not on the scenario given")
    for link in reversed(overlays):
        if link.path.resolve() not in doc.applied:
            _apply(doc, link)


# --------------------------------------------------------------------------- one overlay


def _apply(doc: Document, link: _Link) -> None:
    top: dict[str, Node] = link.tree.value
    problems = _unknown_sections(top)
    header = {k: to_data(v) for k, v in top.items() if k in HEADER_KEYS}
    try:
        spec = OverlayFile.model_validate(header)
    except ValidationError as exc:
        problems += structure_problems(exc, header, index(link.tree), root=OverlayFile)
        raise ScenarioError(problems) from None
    problems += _meta_problems(top)
    problems += remove(doc.tree, spec.remove, index(link.tree), doc.removed)
    merger = Merger()
    changes = Node({k: v for k, v in top.items() if k in SECTIONS}, link.tree.pos)
    changes = merger.merge(changes, _header_as_meta(top["overlay"]), ())
    doc.tree = merger.merge(doc.tree, changes)
    problems += merger.problems
    if problems:
        raise ScenarioError(problems)
    doc.applied.append(link.path.resolve())


def _unknown_sections(top: dict[str, Node]) -> list[Problem]:
    known = (*HEADER_KEYS, *SECTIONS)
    out = []
    for key, node in top.items():
        if key not in known:
            pos = node.key_pos or node.pos
            hint = did_you_mean(key, list(known)) or f"sections are: {', '.join(SECTIONS)}"
            out.append(problem_at(pos, pos.file, f"unknown section '{key}' in an overlay", hint))
    return out


def _meta_problems(top: dict[str, Node]) -> list[Problem]:
    meta = top.get("meta")
    if meta is None or not isinstance(meta.value, dict):
        return []
    out = []
    for key in ("id", "title", "description"):
        if key in meta.value:
            pos = meta.value[key].key_pos or meta.value[key].pos
            out.append(
                problem_at(
                    pos,
                    pos.file,
                    f"an overlay sets meta.{key} in its 'overlay:' header",
                    f"move it to overlay.{key}",
                )
            )
    return out


def _header_as_meta(header: Node) -> Node:
    """Return the header as a ``meta`` change: id, title, description and sources."""
    fields = {k: v for k, v in header.value.items() if k in ("id", "title", "description")}
    if "sources" in header.value:
        fields["sources"] = header.value["sources"]
    meta = Node(fields, header.pos, header.key_pos)
    return Node({"meta": meta}, header.pos)


# --------------------------------------------------------------------------- public API


def load_document(
    path: str | Path, overlays: list[str | Path], sets: list[str], *, named: bool = False
) -> Document:
    """Resolve ``path`` (scenario or overlay), apply ``overlays`` then ``sets``."""
    doc = resolve(path, named=named)
    for overlay in overlays:
        apply_overlay_file(doc, overlay, named=named)
    if sets:
        doc.tree = apply_sets(doc.tree, sets)
    return doc


def load_with_overlays(
    path: str | Path, overlays: list[str | Path], sets: list[str], *, named: bool = False
) -> CompiledScenario:
    """Load a scenario or overlay file, apply overlay files and ``--set`` values, compile.

    Args:
        path: A scenario file, or an overlay file (recognised by its ``extends:`` key).
        overlays: Overlay files applied in order on top of ``path``.
        sets: ``PATH=VALUE`` strings, e.g. ``forces.peru_gamarra.men=9000``, applied last.
        named: The files were named inside another file (a save, a study folder), not by
            the user: each is opened like a file ``extends:`` names.

    Raises:
        ScenarioError: Listing every problem, each pointing into the file (or ``--set``)
            that holds the offending value.
        Unreadable: With ``named``, if ``path`` or an overlay is not a scenario or overlay
            file; ``name`` says which (the reason never quotes it).
    """
    doc = load_document(path, overlays, sets, named=named)
    return compile_checked(validate_document(doc), str(path))
