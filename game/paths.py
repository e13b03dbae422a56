"""Where the shipped scenarios and assets live, in a checkout or an installed wheel."""

from __future__ import annotations

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
