"""What-ifs on disk: saved as ordinary overlay files, and read back onto the setup screen.

A what-if is written with :func:`game.scenario.overlay_write.write_overlay` (atomically,
and only once it loads cleanly), so it can be played, shared, edited by hand, checked with
``ingavi validate`` and studied with ``ingavi study --overlay``.  How the game begins
(side, the other side's general, the start date) is not scenario content; it is written
as a comment giving the command that plays the file as it was set up, and read back from
there when the file is loaded again.

Files are named after the what-if's title and its content (``<title>-<hash>.yaml``), so
saving the same what-if twice gives the same file, and a game begun from a what-if keeps
loading even after the player changes the what-if and saves it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from game.errors import UsageError
from game.game import ScenarioSource
from game.scenario.library import extends_target
from game.scenario.overlay import is_overlay
from game.scenario.overlay_write import overlay_text, write_overlay
from game.scenario.yamldoc import load_tree
from game.ui.catalogue import read_yaml
from game.ui.storage import whatif_dir
from game.ui.whatif import Levers, WhatIf

_PLAY_LINE = re.compile(r"^#\s+ingavi play \S+ (?P<args>.*)$", re.MULTILINE)
LEVER_KEYS: dict[str, frozenset[str]] = {
    "forces": frozenset({"id", "men"}),
    "commanders": frozenset({"id", "present", "leadership", "initiative", "exposure"}),
    "events": frozenset({"id", "enabled"}),
}
"""The keys a what-if saved by the setup screen may change, by section."""


def root_of(path: Path) -> Path:
    """Return the scenario at the bottom of an overlay chain (the file itself if none)."""
    seen: set[Path] = set()
    p = path.resolve()
    while p not in seen:
        seen.add(p)
        try:
            data = read_yaml(p)
        except (OSError, yaml.YAMLError):
            return p
        base = data.get("extends") if isinstance(data, dict) else None
        target = extends_target(p, base) if isinstance(base, str) else None
        if target is None:
            return p
        p = target.resolve()
    return p


def _base_of(path: Path, extends: str) -> Path:
    """Return the file an overlay (that has loaded) extends, by id or by path."""
    target = extends_target(path, extends)
    if target is None:  # the overlay loaded, so its base exists
        raise UsageError(f"{path}: extends '{extends}', which is no longer found")
    return target.resolve()


def start_what_if(base: Path, scenario: Path | None = None) -> WhatIf:
    """Return a what-if with nothing changed yet, built on a scenario or an overlay.

    Raises:
        ScenarioError: If the base does not load.
    """
    root = scenario or root_of(base)
    history = ScenarioSource(str(root)).load()
    scn = history if base.resolve() == root.resolve() else ScenarioSource(str(base)).load()
    return WhatIf(root, base, Levers.of(scn, history))


def rebase(w: WhatIf, base: Path) -> WhatIf:
    """Return the what-if built on another base, keeping the player's own changes."""
    fresh = start_what_if(base, w.scenario)
    fresh.title, fresh.side, fresh.other = w.title, w.side, w.other
    fresh.start = w.start if w.start is not None and w.start <= fresh.levers.end else None
    ids = {f.id for f in fresh.levers.forces}
    fresh.men = {k: v for k, v in w.men.items() if k in ids}
    cids = {c.id for c in fresh.levers.commanders}
    fresh.commanders = {k: dict(v) for k, v in w.commanders.items() if k in cids}
    sids = {s.id for s in fresh.levers.switches}
    fresh.switches = {k: v for k, v in w.switches.items() if k in sids}
    return fresh


def play_command(w: WhatIf, name: str) -> str:
    """Return the ``ingavi play`` command that begins this what-if as it was set up."""
    args = ["ingavi", "play", name, "--side", w.side, "--ai", w.other]
    if w.later_start and w.start is not None:
        args += ["--from-history", w.start.isoformat()]
    return shlex.join(args)


def _comment(w: WhatIf, name: str) -> str:
    return (
        "Made on the what-if screen of `ingavi play`. To play it as it was set up:\n"
        f"  {play_command(w, name)}\n"
        f"To study it: ingavi study {name} --runs 1000\n"
        f"Its strengths, commanders and switches are below; "
        f"edit them, or load the file on the what-if screen."
    )


def file_name(w: WhatIf) -> str:
    """Return the file name of a what-if: its title and a hash of its content."""
    slug = w.header()["id"].split("@")[0]
    key = overlay_text(Path("x.yaml"), w.base, w.header(), w.changes())
    digest = hashlib.sha256(f"{w.base.resolve()}\n{key}".encode()).hexdigest()[:8]
    return f"{slug}-{digest}.yaml"


def save(w: WhatIf, folder: Path | None = None) -> Path:
    """Write the what-if as an overlay file; return its path.

    Raises:
        ScenarioError: If the overlay does not load (nothing is written).
        UsageError: If the file cannot be written.
    """
    out = (folder or whatif_dir()) / file_name(w)
    header = w.header()
    if len(header["description"]) > 3900:
        header["description"] = header["description"][:3895].rsplit(";", 1)[0] + "; …"
    return write_overlay(out, w.base, header, w.changes(), comment=_comment(w, out.name))


def _lever_only(data: dict[str, Any]) -> bool:
    """Whether an overlay changes nothing but the setup screen's levers."""
    for key, value in data.items():
        if key in ("extends", "overlay"):
            continue
        allowed = LEVER_KEYS.get(key)
        if allowed is None or not isinstance(value, list):
            return False
        for item in value:
            if not isinstance(item, dict) or not set(item) <= allowed:
                return False
            men = item.get("men")
            if men is not None and not isinstance(men, int) and set(men) != {"value"}:
                return False
    return True


def launch_options(text: str) -> dict[str, str]:
    """Return the options of the play command in a what-if's header comment (``--side``...)."""
    m = _PLAY_LINE.search(text)
    if m is None:
        return {}
    try:
        words = shlex.split(m.group("args"))
    except ValueError:
        return {}
    return dict(zip(words[::2], words[1::2], strict=False))


def _launch(w: WhatIf, text: str) -> None:
    """Read side, the other side's general and the start date from the play comment."""
    opts = launch_options(text)
    sides = {s for s, _ in w.levers.sides} | {"both"}
    if opts.get("--side") in sides:
        w.side = opts["--side"]
    if opts.get("--ai") in ("historical", "easy", "normal", "hard"):
        w.other = opts["--ai"]
    try:
        day = dt.date.fromisoformat(opts.get("--from-history", ""))
    except ValueError:
        return
    if w.levers.start <= day <= w.levers.end:
        w.start = day


def load(path: Path) -> WhatIf:
    """Read an overlay file back as a what-if.

    A file that changes only the levers (as the setup screen writes them) is taken apart:
    its base is what it extends, and its values become the player's changes, so it can be
    changed and saved again.  Any other overlay (a counterfactual with new forces, rules or
    events) becomes the base itself, with nothing changed yet.

    Raises:
        ScenarioError: If the file does not load.
        UsageError: If it is not an overlay.
    """
    p = Path(path)
    tree = load_tree(p, str(p))
    if not is_overlay(tree):
        raise UsageError(f"{p}: not a what-if (an overlay file has an 'extends:' key)")
    text = p.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    ScenarioSource(str(p)).load()  # refuse a broken file before taking it apart
    if not _lever_only(data):
        w = start_what_if(p)
    else:
        w = start_what_if(_base_of(p, data["extends"]))
        loaded = Levers.of(ScenarioSource(str(p)).load())
        for f in loaded.forces:
            if f.men != w.levers.force(f.id).men:
                w.men[f.id] = f.men
        for c in loaded.commanders:
            for key in ("present", "leadership", "initiative", "exposure"):
                if getattr(c, key) != getattr(w.levers.commander(c.id), key):
                    w.commanders.setdefault(c.id, {})[key] = getattr(c, key)
        base_switch = {s.id: s.enabled for s in w.levers.switches}
        for s in loaded.switches:
            if s.enabled != base_switch.get(s.id):
                w.switches[s.id] = s.enabled
    w.title = str((data.get("overlay") or {}).get("title") or w.title)
    _launch(w, text)
    return w


def listing(folder: Path | None = None) -> list[Path]:
    """Return the saved what-ifs, newest first."""
    files = [p for p in (folder or whatif_dir()).glob("*.yaml") if p.is_file()]
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)
