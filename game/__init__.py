"""Ingavi: a turn-based operational wargame, with a batched engine for Monte Carlo studies.

The front door for Python users (the README's example uses it)::

    import game

    path = game.scenarios_dir() / "examples" / "tiny.yaml"
    scn = game.load_scenario(path)                    # YAML, checked and compiled
    ai = {s: game.make_policy("heuristic", s, scn) for s in range(scn.S)}
    war = game.Game(scn, seed=7)                      # one campaign, turn by turn
    while not war.over:
        war.end_turn(ai)
    print(war.outcome())                              # a game.Outcome

    final = game.play(scn, ai, runs=1000, seed=7)     # a thousand wars at once
    result = game.run_study(path, runs=2000)          # odds with confidence intervals

Below these, :func:`initial_state` and :func:`step` are the engine itself (a batch of runs
in, the next turn out) and :func:`play_from` the loop every headless user plays through.
Names are imported on first use, so ``import game`` loads nothing but this module.
"""

from __future__ import annotations

from game.version import ENGINE_VERSION, __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing would double the cost
if TYPE_CHECKING:
    from typing import Any

    from game.ai import POLICY_NAMES, make_policy
    from game.codes import OrderKind
    from game.engine.orders import Orders
    from game.engine.outcome import Outcome, Termination
    from game.engine.state import CampaignState, initial_state
    from game.engine.turn import TurnReport, step
    from game.errors import IllegalOrderError, IngaviError, ScenarioError
    from game.game import Game
    from game.paths import default_scenario, scenarios_dir
    from game.play_loop import play, play_from
    from game.scenario.compile import CompiledScenario
    from game.scenario.load import load_scenario, load_with_overlays
    from game.study.api import run as run_study

_EXPORTS: dict[str, tuple[str, str]] = {
    # scenarios
    "load_scenario": ("game.scenario.load", "load_scenario"),
    "load_with_overlays": ("game.scenario.load", "load_with_overlays"),
    "scenarios_dir": ("game.paths", "scenarios_dir"),
    "default_scenario": ("game.paths", "default_scenario"),
    "CompiledScenario": ("game.scenario.compile", "CompiledScenario"),
    # one campaign
    "Game": ("game.game", "Game"),
    "Outcome": ("game.engine.outcome", "Outcome"),
    "Termination": ("game.engine.outcome", "Termination"),
    "OrderKind": ("game.codes", "OrderKind"),
    # the batched engine
    "CampaignState": ("game.engine.state", "CampaignState"),
    "initial_state": ("game.engine.state", "initial_state"),
    "step": ("game.engine.turn", "step"),
    "TurnReport": ("game.engine.turn", "TurnReport"),
    "Orders": ("game.engine.orders", "Orders"),
    # policies and the play loop
    "make_policy": ("game.ai", "make_policy"),
    "POLICY_NAMES": ("game.ai", "POLICY_NAMES"),
    "play": ("game.play_loop", "play"),
    "play_from": ("game.play_loop", "play_from"),
    # studies
    "run_study": ("game.study.api", "run"),
    # errors
    "IngaviError": ("game.errors", "IngaviError"),
    "ScenarioError": ("game.errors", "ScenarioError"),
    "IllegalOrderError": ("game.errors", "IllegalOrderError"),
}

__all__ = [
    "ENGINE_VERSION",
    "POLICY_NAMES",
    "CampaignState",
    "CompiledScenario",
    "Game",
    "IllegalOrderError",
    "IngaviError",
    "OrderKind",
    "Orders",
    "Outcome",
    "ScenarioError",
    "Termination",
    "TurnReport",
    "__version__",
    "default_scenario",
    "initial_state",
    "load_scenario",
    "load_with_overlays",
    "make_policy",
    "play",
    "play_from",
    "run_study",
    "scenarios_dir",
    "step",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (and keep it, so the next use is a lookup)."""
    where = _EXPORTS.get(name)
    if where is None:
        raise AttributeError(f"module 'game' has no attribute {name!r}")
    value = getattr(__import__(where[0], fromlist=[where[1]]), where[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
