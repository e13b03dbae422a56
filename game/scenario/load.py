"""Load a scenario file: safe YAML -> pydantic models -> cross-checks -> compiled arrays.

(Minimal first version; problems with file:line:column come with the full loader.)
"""

from __future__ import annotations

from pathlib import Path

import yaml

from game.errors import Problem, ScenarioError
from game.scenario.compile import CompiledScenario, compile_scenario
from game.scenario.schema import Scenario


def load_model(path: str | Path) -> Scenario:
    """Read and validate a scenario file's structure."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        return Scenario.model_validate(data)
    except Exception as exc:
        raise ScenarioError([Problem(str(p), 0, 0, str(exc).splitlines()[0])]) from exc


def load_scenario(path: str | Path) -> CompiledScenario:
    """Load, check and compile a scenario file."""
    return compile_scenario(load_model(path))
