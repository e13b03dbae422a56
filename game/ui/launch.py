"""Starting games: from a scenario and choices, from a save, or as a replay.

No pygame here; the command line and the start screen both build sessions through these
functions, so a bad side name or a damaged save gives the same one-line message in both.
"""

from __future__ import annotations

from pathlib import Path

from game.errors import SaveError, ScenarioError, UsageError
from game.game import Game, ScenarioSource
from game.scenario.compile import CompiledScenario
from game.ui.ai_levels import PolicyFactory
from game.ui.session import Seats, Session


def humans_for(scn: CompiledScenario, side: str) -> tuple[int, ...]:
    """Return the sides people play for a ``--side`` value.

    ``both`` is hot-seat (every side, in order), ``none`` watches the computer play; any
    other value is a side id of the scenario (or the start of one, case-insensitive).

    Raises:
        UsageError: If the value names no side.
    """
    key = side.strip().lower()
    if key == "both":
        return tuple(range(scn.S))
    if key == "none":
        return ()
    matches = [i for i, sid in enumerate(scn.side_ids) if sid.lower() == key]
    matches = matches or [i for i, sid in enumerate(scn.side_ids) if sid.lower().startswith(key)]
    matches = matches or [i for i in range(scn.S) if scn.side_name(i).lower().startswith(key)]
    if len(matches) != 1:
        names = ", ".join((*scn.side_ids, "both", "none"))
        raise UsageError(f"no side '{side}' in this scenario (sides: {names})")
    return (matches[0],)


def load_source(source: ScenarioSource) -> CompiledScenario:
    """Load a scenario, turning its problems into one message for a dialog.

    Raises:
        ScenarioError: Unchanged, so the command line can print every problem.
    """
    return source.load()


def new_session(
    source: ScenarioSource,
    side: str = "",
    ai_level: str = "normal",
    seed: int | None = None,
    factory: PolicyFactory | None = None,
    scenario: CompiledScenario | None = None,
) -> Session:
    """Return a new campaign with people on the given side(s) and the computer on the rest."""
    scn = scenario if scenario is not None else load_source(source)
    humans = humans_for(scn, side or scn.side_ids[0])
    game = Game(scn, seed, source=source)
    return Session(game, Seats(humans, ai_level), factory)


def session_from_save(path: str | Path, factory: PolicyFactory | None = None) -> Session:
    """Load a saved game with the seats it was saved with.

    Raises:
        SaveError: If the file is missing, damaged, foreign or of another scenario version.
    """
    p = Path(path)
    if not p.is_file():
        raise SaveError(f"{p}: no such save file")
    try:
        game = Game.load(p)
    except ScenarioError as exc:
        raise SaveError(f"{p}: its scenario cannot be loaded: {exc}") from exc
    extra = _extra(p)
    seats = Seats.from_json(extra.get("ui"), game.scenario.S) or Seats((0,))
    return Session(game, seats, factory)


def _extra(path: Path) -> dict[str, object]:
    from game.save import read_save

    obj = read_save(path)
    extra = obj.get("extra")
    return extra if isinstance(extra, dict) else {}


def check_level(level: str) -> str:
    """Return an AI level if it is known.

    Raises:
        UsageError: If it is not.
    """
    from game.ui.ai_levels import LEVELS

    if level not in LEVELS and level not in ("heuristic", "lookahead"):
        raise UsageError(f"no AI level '{level}' (levels: {', '.join(LEVELS)})")
    return level
