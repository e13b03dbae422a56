"""Where the shipped scenarios and assets live, and where the player's own files go."""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent
DEFAULT_SCENARIO_NAME = "peru_bolivia_1841.yaml"


def _first_existing(*candidates: Path) -> Path:
    for c in candidates:
        if c.exists():
            return c
    return candidates[0]


def scenarios_dir() -> Path:
    """Return the folder of shipped scenarios (the checkout's, else the wheel's copy)."""
    return _first_existing(_PKG.parent / "scenarios", _PKG / "_data" / "scenarios")


def assets_dir() -> Path:
    """Return the folder of shipped assets (fonts, icons)."""
    return _first_existing(_PKG.parent / "assets", _PKG / "_data" / "assets")


def default_scenario() -> Path:
    """Return the path of the bundled scenario commands play when given none."""
    return scenarios_dir() / DEFAULT_SCENARIO_NAME


def data_home() -> Path:
    """Return the player's data folder (not created here).

    ``$INGAVI_HOME``, else ``$XDG_DATA_HOME/ingavi``, else ``~/.local/share/ingavi``:
    saves, what-ifs and the player's own scenarios live there, never in the project.
    """
    env = os.environ.get("INGAVI_HOME")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return Path(xdg) / "ingavi" if xdg else Path.home() / ".local" / "share" / "ingavi"


def user_scenarios_dir() -> Path:
    """Return the folder of the player's own scenarios, found by id like the shipped ones."""
    return data_home() / "scenarios"
