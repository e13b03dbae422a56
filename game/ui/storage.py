"""Where the interface keeps saved games and autosaves.

Saves live in the user's data folder (``$INGAVI_HOME``, else ``$XDG_DATA_HOME/ingavi``,
else ``~/.local/share/ingavi``), never in the project's folders, so that an installed
game and a checkout behave alike.  Beside ``saves/`` are ``whatifs/`` (the overlays made
on the what-if screen) and ``studies/`` (the cached baselines of "How likely?").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from game.paths import data_home

AUTOSAVE = "autosave.json"


def data_dir() -> Path:
    """Return (and create) the folder for the player's saves."""
    saves = data_home() / "saves"
    saves.mkdir(parents=True, exist_ok=True)
    return saves


def whatif_dir() -> Path:
    """Return (and create) the folder for the player's what-if overlays, beside the saves."""
    folder = data_dir().parent / "whatifs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def study_cache_dir() -> Path:
    """Return (and create) the folder where "How likely?" keeps its baseline studies."""
    folder = data_dir().parent / "studies"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def autosave_path() -> Path:
    """Return the path of the autosave written after every turn."""
    return data_dir() / AUTOSAVE


def new_save_path(label: str, now: dt.datetime | None = None) -> Path:
    """Return a fresh file name for a manual save, from a label and the time."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() else "_" for c in label.lower()).strip("_")[:40] or "game"
    return data_dir() / f"{safe}-{stamp}.json"


@dataclass(frozen=True)
class SaveEntry:
    """A save file as listed in the load dialog."""

    path: Path
    modified: dt.datetime

    @property
    def label(self) -> str:
        """Return the name shown in the list."""
        when = self.modified.strftime("%d %b %Y %H:%M")
        return f"{self.path.stem}  ({when})"


def list_saves() -> list[SaveEntry]:
    """Return the save files, newest first."""
    out = [
        SaveEntry(p, dt.datetime.fromtimestamp(p.stat().st_mtime))
        for p in data_dir().glob("*.json")
        if p.is_file()
    ]
    return sorted(out, key=lambda e: e.modified, reverse=True)
