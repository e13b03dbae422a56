"""``ingavi screenshots --out DIR``: write PNGs of the interface's main screens, headless.

The pictures (start screen, the map mid-war with an odds panel, its most crowded part
close up, the legend, a battle report, the map in a 1024x600 window, the historical
replay, its "Take command" dialog, the what-if setup, the end of the war) are made by
driving the real scenes without a window, so the command runs on a machine with no
display.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from game.commands.common import add_scenario_args, scenario_path
from game.game import ScenarioSource


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "screenshots",
        help="write PNG pictures of the game's screens to a folder (no display needed)",
        description="Drive the interface headless and save start.png, map.png, crowded.png "
        "(the most crowded part of the map, close up), legend.png, battle.png, small.png (a "
        "1024x600 window), replay.png, command.png, setup.png and end.png in a folder, as "
        "256-colour PNGs.",
    )
    add_scenario_args(p)
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the pictures")
    p.add_argument(
        "--side", default="", metavar="SIDE", help="side whose view is shown (default: the first)"
    )
    p.add_argument("--seed", type=int, metavar="S", help="seed of the game's dice")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Take the pictures and list them."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from game.ui.screenshots import take

    source = ScenarioSource(str(scenario_path(args)), tuple(args.overlay), tuple(args.sets))
    for path in take(Path(args.out), source, args.side, args.seed):
        print(path)
    return 0
