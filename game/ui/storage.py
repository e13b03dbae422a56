"""Where the interface keeps saved games and autosaves.

Saves live in the user's data folder (``$INGAVI_HOME``, else ``$XDG_DATA_HOME/ingavi``,
else ``~/.local/share/ingavi``), never in the project's folders, so that an installed
game and a checkout behave alike.  Beside ``saves/`` are ``whatifs/`` (the overlays made
on the what-if screen) and ``studies/`` (the cached baselines of "How likely?").
"""

from __future__ import annotations

import datetime as dt
import json
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
    """A save file as listed in the load dialog.

    Attributes:
        path: The file.
        modified: When it was written.
        war: The war's date, turn and who plays it, as the save records them ("" if the
            file does not say: an older or damaged save).
    """

    path: Path
    modified: dt.datetime
    war: str = ""

    @property
    def label(self) -> str:
        """Return the name shown in the list."""
        return self.war or self.path.stem

    @property
    def detail(self) -> str:
        """Return the file's name and when it was saved, shown beside the label."""
        return f"{self.path.name}  ·  saved {self.modified:%d %b %Y %H:%M}"


def war_of(path: Path) -> str:
    """Return a save's war in words ("12 November 1841, turn 7 of 66 · Peru · title"), or "".

    Only what the save says of itself is read; a file that cannot be read gives "", and
    loading it later says why.
    """
    try:
        if path.stat().st_size > 64 * 2**20:
            return ""
        obj = json.loads(path.read_text(encoding="utf-8"))
        extra = obj.get("extra") if isinstance(obj, dict) else None
        info = extra.get("listing") if isinstance(extra, dict) else None
        if not isinstance(info, dict):
            turn = obj.get("turn") if isinstance(obj, dict) else None
            return f"turn {int(turn) + 1}" if isinstance(turn, int) else ""
        day = dt.date.fromisoformat(str(info["date"]))
        end = " (the war is over)" if info.get("over") else ""
        return (
            f"{day.day} {day:%B %Y}, turn {int(info['turn'])} of {int(info['turns'])} · "
            f"{info['playing']}{end} · {info['title']}"
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ""


def list_saves() -> list[SaveEntry]:
    """Return the save files, newest first, each with the war it holds."""
    out = [
        SaveEntry(p, dt.datetime.fromtimestamp(p.stat().st_mtime), war_of(p))
        for p in data_dir().glob("*.json")
        if p.is_file()
    ]
    return sorted(out, key=lambda e: e.modified, reverse=True)
