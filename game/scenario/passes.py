"""The loader's three passes over a parsed document: structure, cross-references, compile.

Each pass reports every problem it finds, and the next pass runs only on a document the
previous one accepted, so an author never sees a cascade of consequences of one mistake.
Problems point at the file, line and column of the offending value, which for a merged
document may be the scenario, an overlay, or a ``--set`` option.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from game.errors import Problem, ScenarioError
from game.scenario.check_base import Finding
from game.scenario.checks import check
from game.scenario.compile import CompiledScenario, compile_scenario
from game.scenario.messages import nearest, structure_problems
from game.scenario.schema import Scenario
from game.scenario.yamldoc import Node, Path_, Pos, format_path, index, problem_at, to_data

if TYPE_CHECKING:
    from game.scenario.overlay import Document


def validate_tree(
    tree: Node,
    removed: dict[tuple[str, str], Pos] | None = None,
    root: Path | None = None,
) -> Scenario:
    """Run the structure and cross-reference passes over a document tree.

    Args:
        tree: The parsed (and possibly merged) document.
        removed: Ids removed by overlays, with where, to blame dangling references on them.
        root: The scenario file under the overlays: a what-if finding (a rating without
            evidence) about a value set elsewhere, by an overlay or ``--set``, is the
            what-if's own cause and no problem.

    Raises:
        ScenarioError: With every problem of the first pass that found any.
    """
    data = to_data(tree)
    nodes = index(tree)
    try:
        model = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(structure_problems(exc, data, nodes)) from None
    findings = [f for f in check(model) if not (f.what_if and _set_elsewhere(f, nodes, root))]
    if findings:
        raise ScenarioError([finding_problem(f, nodes, removed or {}) for f in findings])
    return model


def validate_document(doc: Document) -> Scenario:
    """Run the structure and cross-reference passes over a resolved document."""
    return validate_tree(doc.tree, doc.removed, doc.root)


def _set_elsewhere(finding: Finding, nodes: dict[Path_, Node], root: Path | None) -> bool:
    """Return whether the value a finding is about comes from outside the ``root`` file."""
    if root is None:
        return False
    node, _ = nearest(nodes, finding.loc)
    try:
        return Path(node.pos.file).resolve() != root.resolve()
    except (OSError, ValueError):
        return True


def finding_problem(
    finding: Finding, nodes: dict[Path_, Node], removed: dict[tuple[str, str], Pos]
) -> Problem:
    """Place a cross-reference finding at its line and column."""
    node, exact = nearest(nodes, finding.loc)
    where = format_path(finding.loc)
    if finding.ref is not None and finding.ref in removed:
        kind, ident = finding.ref
        at = removed[finding.ref]
        used = node.pos
        return problem_at(
            at,
            at.file,
            f"{kind} '{ident}' is removed here but {where} still refers to it",
            f"see {used.file}:{used.line}; remove or change that too",
        )
    on_key = finding.at_key or not exact or isinstance(node.value, dict | list)
    pos = (node.key_pos or node.pos) if on_key else node.pos
    hint = finding.hint
    if finding.first is not None and finding.first in nodes:
        first = nodes[finding.first].pos
        place = f"line {first.line}" if first.file == pos.file else f"{first.file}:{first.line}"
        hint = f"{hint}; the first is on {place}" if hint else f"the first is on {place}"
    return problem_at(pos, pos.file, finding.message, hint, where)


def compile_checked(model: Scenario, file: str = "") -> CompiledScenario:
    """Run the third pass: compile a checked model to arrays.

    The first two passes are meant to catch everything the compiler could trip on; should
    one miss something, the author still gets one line rather than a traceback.
    """
    try:
        return compile_scenario(model)
    except (KeyError, IndexError, ValueError, OverflowError) as exc:
        raise ScenarioError(
            [Problem(file, 0, 0, f"the scenario passed its checks but cannot be compiled: {exc!r}")]
        ) from exc
