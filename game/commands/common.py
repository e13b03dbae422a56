"""Arguments and helpers shared by commands that take a scenario."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from game.paths import DEFAULT_SCENARIO_NAME, default_scenario


def add_scenario_args(parser: argparse.ArgumentParser, *, optional: bool = True) -> None:
    """Add SCENARIO (optional: the bundled scenario by default), --overlay and --set."""
    if optional:
        parser.add_argument(
            "scenario",
            nargs="?",
            default=None,
            metavar="SCENARIO",
            help="scenario or overlay file (default: the bundled scenario, "
            f"scenarios/{DEFAULT_SCENARIO_NAME})",
        )
    else:
        parser.add_argument("scenario", metavar="SCENARIO", help="scenario file")
    parser.add_argument(
        "--overlay",
        action="append",
        default=[],
        metavar="FILE",
        help="apply a counterfactual overlay file (repeatable, applied in order)",
    )
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="change one value by its path, e.g. --set forces.FORCE_ID.men=9000 or "
        "--set sides.SIDE_ID.war_will=0.5 (repeatable)",
    )


def scenario_path(args: argparse.Namespace) -> Path:
    """Return the scenario path the user gave, or the default scenario."""
    return Path(args.scenario) if getattr(args, "scenario", None) else default_scenario()


def load_from_args(args: argparse.Namespace) -> Any:
    """Load and compile the scenario named by the arguments, with overlays and --set."""
    from game.scenario.load import load_scenario

    path = scenario_path(args)
    overlays = list(getattr(args, "overlay", []) or [])
    sets = list(getattr(args, "sets", []) or [])
    if overlays or sets:
        from game.scenario.overlay import load_with_overlays

        return load_with_overlays(path, overlays, sets)
    return load_scenario(path)


def print_json(obj: Any) -> None:
    """Print one JSON object on stdout (the --json contract of every reporting command)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=_default) + "\n")


def _default(o: Any) -> Any:
    import datetime as dt

    import numpy as np

    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, dt.date):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")
