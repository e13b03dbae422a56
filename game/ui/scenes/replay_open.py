"""Opening replays: the historical campaign, or any run of a study, for other commands.

``ingavi replay --study DIR --run N --gui`` calls :func:`open_replay` with the study's
scenario, policies, seed and run id; the start screen's "Watch history" calls
:func:`historical_replay`.
"""

from __future__ import annotations

from collections.abc import Mapping

from game.ai.base import Policy
from game.game import ScenarioSource
from game.scenario.compile import CompiledScenario
from game.ui import ai_levels as pol
from game.ui.app import App
from game.ui.replay_tape import Replay
from game.ui.scenes.watch import ReplayScene


def _policies(
    scn: CompiledScenario,
    given: Mapping[int | str, Policy | str],
    factory: pol.PolicyFactory | None,
) -> dict[int, Policy]:
    out: dict[int, Policy] = {}
    for side, p in given.items():
        s = scn.side_index[side] if isinstance(side, str) else int(side)
        out[s] = pol.make(p, s, scn, factory) if isinstance(p, str) else p
    return out


def historical_replay(app: App, source: ScenarioSource, seed: int | None = None) -> ReplayScene:
    """Show the war with both sides following the historical record."""
    scn = source.load()
    ps = _policies(scn, dict.fromkeys(range(scn.S), "historical"), app.factory)
    replay = Replay.start(scn, ps, seed, source=source, label="The war as it was fought")
    return app.replace(ReplayScene(app, replay))  # type: ignore[return-value]


def open_replay(
    scenario: CompiledScenario,
    policies: Mapping[int | str, Policy | str],
    seed: int | None = None,
    run: int | None = None,
    *,
    label: str = "",
    source: ScenarioSource | None = None,
    sample_uncertain: bool = False,
    factory: pol.PolicyFactory | None = None,
    app: App | None = None,
    frames: int | None = None,
) -> App:
    """Open the replay scene for a scenario, policies (objects or level names) and seed.

    Args:
        scenario: The compiled scenario.
        policies: Each side's policy, by side index or id: a Policy, or a name such as
            'historical' or 'heuristic'.
        seed: The game's seed.
        run: The run id within a study (its dice are keyed on it).
        label: The title shown.
        source: How to reload the scenario.
        sample_uncertain: Whether the study drew uncertain strengths per run.
        factory: How to build named policies (default: the registry).
        app: An existing window (default: a new one).
        frames: Run only this many frames (tests); None runs until the window closes.

    Returns:
        The application, after its loop has ended.
    """
    app = app or App(factory=factory)
    ps = _policies(scenario, policies, factory)
    replay = Replay.start(
        scenario, ps, seed, run=run, source=source, sample_uncertain=sample_uncertain, label=label
    )
    app.replace(ReplayScene(app, replay))
    app.run(frames)
    return app
