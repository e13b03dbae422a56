"""Load a scenario file: safe YAML -> pydantic models -> cross-checks -> compiled arrays.

Every function here accepts an overlay file wherever it accepts a scenario (an overlay is
recognised by its ``extends:`` key), so that a what-if can be played, studied or validated
like any scenario.  Every problem is reported at once as a :class:`~game.errors.Problem`
inside one :class:`~game.errors.ScenarioError`, each pointing at a file, line and column;
nothing an author can write produces a traceback.

Examples:
    >>> from game.scenario.load import load_scenario
    >>> compiled = load_scenario("scenarios/examples/tiny.yaml")
    >>> compiled.province_ids
    ('nordby', 'fjell', 'dal', 'sudby', 'havn')
"""

from __future__ import annotations

from pathlib import Path

from game.scenario.compile import CompiledScenario
from game.scenario.overlay import load_document, load_with_overlays
from game.scenario.passes import compile_checked, validate_document
from game.scenario.schema import Scenario


def load_model(path: str | Path) -> Scenario:
    """Read a scenario (or overlay) file and run the structure and cross-reference passes.

    Returns:
        A model that is safe to compile.

    Raises:
        ScenarioError: Listing every problem found by the first pass that found any.
    """
    return validate_document(load_document(path, [], []))


def load_scenario(path: str | Path) -> CompiledScenario:
    """Load, check and compile a scenario (or overlay) file."""
    return compile_checked(load_model(path), str(path))


__all__ = ["load_model", "load_scenario", "load_with_overlays"]
