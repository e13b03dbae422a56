"""Opening the game: the start screen, or straight into a campaign or a saved game."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from game.errors import UsageError
from game.game import ScenarioSource
from game.paths import default_scenario
from game.ui.ai_levels import PolicyFactory
from game.ui.launch import check_level, new_session, session_from_save
from game.ui.session import Session


def prepare(
    scenario: str | None = None,
    *,
    side: str | None = None,
    ai: str = "normal",
    seed: int | None = None,
    load: str | None = None,
    from_history: dt.date | None = None,
    overlays: tuple[str, ...] = (),
    sets: tuple[str, ...] = (),
    factory: PolicyFactory | None = None,
) -> Session | None:
    """Return the session to open straight away, or None for the start screen.

    Everything a user can get wrong (a bad side, level, scenario, save or date) fails
    here, before any window opens, with a one-line message.  A game taken over from
    history is saved at once, so it can be continued even if the window never opens.
    """
    check_level(ai)
    if load:
        return session_from_save(Path(load), factory)
    if from_history is not None:
        from game.ui.branch import from_history as branch_from

        path = scenario or str(default_scenario())
        source = ScenarioSource(path, tuple(overlays), tuple(sets))
        session = branch_from(source, from_history, side or "", ai, seed, factory)
        if session.autosave is not None:
            session.save(session.autosave)
        return session
    if scenario is None and side is None and not overlays and not sets and seed is None:
        return None
    path = scenario or str(default_scenario())
    source = ScenarioSource(path, tuple(overlays), tuple(sets))
    return new_session(source, side or "", ai, seed, factory)


def play(
    scenario: str | None = None,
    *,
    side: str | None = None,
    ai: str = "normal",
    seed: int | None = None,
    load: str | None = None,
    from_history: dt.date | None = None,
    overlays: tuple[str, ...] = (),
    sets: tuple[str, ...] = (),
    factory: PolicyFactory | None = None,
    size: tuple[int, int] = (1280, 720),
    fullscreen: bool = False,
    frames: int | None = None,
    autoplay: bool = False,
    exit_at_end: bool = False,
    pace: float | None = None,
) -> object:
    """Open the window on the start screen, or straight into a game; return the App.

    The game options are those of :func:`prepare`.  ``autoplay`` lets the computer play
    on by itself from the start (a game it plays on every side: ``side`` "none", or a
    save of one), ``pace`` seconds between turns (default ``App.pace``); ``exit_at_end``
    closes the window once the end of the war has been shown.

    Raises:
        UsageError: If ``autoplay`` is asked of a game a person plays.
    """
    if autoplay and side is None and load is None:
        side = "none"
    session = prepare(
        scenario,
        side=side,
        ai=ai,
        seed=seed,
        load=load,
        from_history=from_history,
        overlays=overlays,
        sets=sets,
        factory=factory,
    )
    if autoplay and (session is None or session.viewer is not None):
        raise UsageError(
            "--autoplay lets the computer play every side: use it with --side none "
            "(or without --side), or with a save of such a game"
        )
    from game.ui.app import App
    from game.ui.scenes.campaign import open_campaign
    from game.ui.scenes.start import StartScene

    app = App(size, factory=factory, fullscreen=fullscreen)
    app.exit_at_end = exit_at_end
    if pace is not None:
        app.pace = pace
    if session is None:
        app.replace(StartScene(app))
    else:
        open_campaign(app, session, autoplay=autoplay)
    app.run(frames)
    return app
