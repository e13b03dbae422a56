"""``ingavi play``: open the game window.

With no arguments it opens the start screen.  A scenario, ``--side``, ``--seed`` or
``--load`` skips straight into a game: ``--side`` takes a side id of the scenario,
``both`` (two players at one screen) or ``none`` (watch the computer play both sides).
``--from-history DATE`` plays both sides' recorded orders up to the turn containing the
date and hands ``--side`` to the player from there; ``--ai historical`` keeps the other
side on its recorded orders, a level frees it.  ``--autoplay`` lets the computer play the
war by itself at once and ``--exit-at-end`` closes the window when its end has been shown,
so a whole war can be watched, or tested, unattended.

The window needs a display.  Without one SDL quietly falls back to an invisible
"offscreen" driver and the game would run unseen forever, so ``play`` says that no display
was found and exits with status 2, unless ``SDL_VIDEODRIVER`` was set on purpose (tests
and screenshots use ``SDL_VIDEODRIVER=dummy``).
"""

from __future__ import annotations

import argparse
import os

from game.commands.common import add_scenario_args
from game.errors import UsageError
from game.rng import SEED_LIMIT


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "play",
        help="play a scenario on a map (the default command)",
        description="Open the game window: the start screen, or straight into a game when "
        "a scenario, --side, --seed or --load is given.",
    )
    add_scenario_args(p)
    p.add_argument(
        "--side",
        metavar="SIDE",
        help="side to command: one of the scenario's side ids, both (hot seat) or none "
        "(watch the computer play both)",
    )
    p.add_argument(
        "--ai",
        default="normal",
        metavar="LEVEL",
        help="the computer's level: easy, normal or hard (default normal); with "
        "--from-history also 'historical' (the other side keeps to the record)",
    )
    p.add_argument(
        "--from-history",
        metavar="DATE",
        help="take command on DATE (YYYY-MM-DD) of the war as it was fought: both sides "
        "follow the scenario's recorded orders until then",
    )
    p.add_argument(
        "--seed", type=int, metavar="S", help="seed of the game's dice (default: the scenario's)"
    )
    p.add_argument("--load", metavar="FILE", help="continue a saved game")
    p.add_argument(
        "--size",
        default="1280x720",
        metavar="WxH",
        help="window size (default 1280x720, at least 1024x600)",
    )
    p.add_argument("--fullscreen", action="store_true", help="start in full screen")
    p.add_argument(
        "--autoplay",
        action="store_true",
        help="let the computer play the war by itself at once (watch mode: implies --side none)",
    )
    p.add_argument(
        "--exit-at-end",
        action="store_true",
        help="close the window, with status 0, once the end of the war has been shown",
    )
    p.add_argument(
        "--pace",
        type=float,
        metavar="SECONDS",
        help="seconds between turns while the computer plays on by itself (default 0.8; "
        "0 as fast as it can)",
    )
    p.set_defaults(func=run)


def parse_size(text: str) -> tuple[int, int]:
    """Return a window size from 'WxH'.

    Raises:
        UsageError: If it is malformed.
    """
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size '{text}': expected WIDTHxHEIGHT, e.g. 1600x900") from None
    return max(w, 1024), max(h, 600)


HEADLESS_DRIVERS = ("offscreen", "dummy")
"""SDL video drivers that show nothing: chosen only when no display was found."""


def check_display() -> None:
    """Refuse to open the game where no one could see it.

    Raises:
        UsageError: If SDL finds no display (or the driver asked for cannot start).
    """
    import pygame

    asked = os.environ.get("SDL_VIDEODRIVER")
    try:
        pygame.display.init()
    except pygame.error as exc:
        if asked:
            raise UsageError(f"SDL_VIDEODRIVER={asked}: the display cannot start ({exc})") from None
        raise UsageError(f"no display found ({exc}); {_HEADLESS_HINT}") from None
    if not asked and pygame.display.get_driver() in HEADLESS_DRIVERS:
        pygame.display.quit()
        raise UsageError(f"no display found: the game window needs one; {_HEADLESS_HINT}")


_HEADLESS_HINT = (
    "run it on a desktop (or with DISPLAY set), or use the headless commands "
    "(study, replay, fidelity, screenshots); set SDL_VIDEODRIVER to force a video driver"
)


def run(args: argparse.Namespace) -> int:
    """Open the window and play until it is closed."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    if args.seed is not None and not 0 <= args.seed < SEED_LIMIT:
        raise UsageError(f"--seed must be between 0 and 2**63-1, got {args.seed}")
    if args.pace is not None and not 0 <= args.pace <= 3600:
        raise UsageError(f"--pace {args.pace:g}: give seconds between 0 and 3600")
    day = None
    if args.from_history is not None:
        if args.load:
            raise UsageError("--from-history starts a new game; it cannot be used with --load")
        from game.ui.branch import parse_date

        try:
            day = parse_date(args.from_history)
        except UsageError as exc:
            raise UsageError(f"--from-history: {exc}") from None
    check_display()
    from game.ui.main import play

    play(
        args.scenario,
        side=args.side,
        ai=args.ai,
        seed=args.seed,
        load=args.load,
        from_history=day,
        overlays=tuple(args.overlay),
        sets=tuple(args.sets),
        size=parse_size(args.size),
        fullscreen=args.fullscreen,
        autoplay=args.autoplay,
        exit_at_end=args.exit_at_end,
        pace=args.pace,
    )
    return 0
