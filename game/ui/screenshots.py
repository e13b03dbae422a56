"""Pictures of the interface for the README and for reviewing changes, made headless.

Each picture is taken from the real scenes driven through the real event loop: the start
screen, the map in the middle of a war with the odds of an attack, the most crowded part
of the map close up (around La Paz in the 1841-42 war) with a stack's tooltip, the map's
legend, a battle report, the map in the smallest window (1024x600), the historical
replay, the "Take command" dialog over it, the what-if setup screen with a few changes,
and the end of the war.  They are written as 256-colour PNGs, small enough for a README.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pygame

from game.codes import OrderKind
from game.game import ScenarioSource
from game.ui import ai_levels as pol
from game.ui import describe
from game.ui.app import DEFAULT_SIZE, App
from game.ui.launch import new_session
from game.ui.mapview.camera import ZOOMS
from game.ui.scenes.campaign import CampaignScene
from game.ui.scenes.endwar import EndScene
from game.ui.scenes.replay_open import historical_replay
from game.ui.scenes.results import ResultsScene
from game.ui.scenes.setup import SetupScene
from game.ui.scenes.start import StartScene
from game.ui.scenes.takecommand import TakeCommandScene
from game.ui.session import Session
from game.ui.widgets.legend import LegendOverlay

NAMES = (
    "start",
    "map",
    "crowded",
    "legend",
    "battle",
    "small",
    "replay",
    "command",
    "setup",
    "end",
)
SMALL = (1024, 600)
"""The smallest window the interface lays out, for the ``small`` picture."""


def _shot(app: App, out: Path, name: str) -> Path:
    """Draw two frames and save the screen as a 256-colour PNG (small files for a README)."""
    app.run(2)
    path = out / f"{name}.png"
    pygame.image.save(app.screen, str(path))
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - pillow comes with matplotlib
        return path
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)
    return path


def _window(app: App, size: tuple[int, int]) -> None:
    """Resize the (headless) window and lay every scene out again."""
    pygame.display.set_mode(size, pygame.RESIZABLE)
    app.resized()


def _point(pos: tuple[float, float]) -> None:
    pygame.event.post(
        pygame.event.Event(
            pygame.MOUSEMOTION, pos=(round(pos[0]), round(pos[1])), rel=(0, 0), buttons=(0, 0, 0)
        )
    )


def _aim(app: App, scene: CampaignScene) -> None:
    """Select a force that may attack, frame it with its target and point at the target."""
    s = scene.session
    target = _attack_target(s)
    if target is None:
        scene.focus_own()
        return
    f, p = target
    scene.select(f)
    scene.board.view.focus([int(s.game.state.loc[0, f]), p], pad=1.0)
    app.run(1)
    _point(scene.board.view.screen_of(p))


def _men(v: Any) -> float:
    """Return a strength from the record (a number, or a value with its range)."""
    return float(getattr(v, "value", v) or 0)


def _crowded(app: App, source: ScenarioSource, seed: int | None, factory: Any) -> None:
    """Watch the war as it was fought up to its greatest battle, both sides in view.

    Then zoom in where most stacks stand close together (around La Paz before Ingavi in
    the 1841-42 war) and point at the stack of most forces there, to show its tooltip.
    """
    s = new_session(source, "none", "normal", seed, factory)
    s.autosave = None
    scn = s.scn
    battles = [e for e in scn.model.history.record if e.kind == "battle"]
    great = max(
        battles, key=lambda e: sum(_men(v) for v in (e.strengths or {}).values()), default=None
    )
    turns = (great.date - scn.start).days // scn.turn_days if great is not None else 5
    ps = {i: pol.make("historical", i, scn, factory) for i in range(scn.S)}
    for _ in range(max(turns, 1)):
        if not s.game.over:
            s.game.end_turn(ps)
    scene = app.replace(CampaignScene(app, s))
    assert isinstance(scene, CampaignScene)
    app.run(1)
    view = scene.board.view
    pts = view.art.points
    stacks = scene.board.stacks
    if not stacks:
        return
    near = [
        sum(1 for o in stacks if np.hypot(*(pts[o.province] - pts[st.province])) < 1.0)
        for st in stacks
    ]
    crowd = stacks[int(np.argmax(near))].province
    around = [st for st in stacks if np.hypot(*(pts[st.province] - pts[crowd])) < 1.0]
    middle = np.mean([pts[st.province] for st in around], axis=0)
    view.camera.level = len(ZOOMS) - 3
    view.camera.centre_on(float(middle[0]), float(middle[1]) - 0.15)
    app.run(1)
    around = [st for st in scene.board.stacks if np.hypot(*(pts[st.province] - pts[crowd])) < 1.0]
    big = max(around or scene.board.stacks, key=lambda st: (len(st.forces), st.men))
    _point(big.top.center)


def _play_on(
    s: Session, turns: int, factory: pol.PolicyFactory | None, scene: CampaignScene | None = None
) -> list:
    """Play turns with the computer on every side (the player's side follows history)."""
    scn = s.scn
    ps = {
        i: pol.make("historical" if i in s.seats.humans else s.seats.ai_level, i, scn, factory)
        for i in range(scn.S)
    }
    out = []
    for _ in range(turns):
        if s.game.over:
            break
        out.append(s.game.end_turn(ps))
        if scene is not None:
            for e in s.visible_entries(out[-1]):
                scene.log.add(describe.entry_line(s.scn, e), e.kind)
    return out


def _setup(app: App, path: Path) -> App:
    """Open the what-if setup with a few changes: a force beyond its range, one within it."""
    scene = app.replace(SetupScene(app, path))
    assert isinstance(scene, SetupScene)
    w = scene.whatif
    forces = w.levers.forces
    if forces:
        w.set_men(forces[0].id, forces[0].high * 2)
    if len(forces) > 1 and forces[1].low < forces[1].high:
        w.set_men(forces[1].id, forces[1].high)
    if w.levers.switches:
        w.toggle(w.levers.switches[min(1, len(w.levers.switches) - 1)].id)
    scene.name.value = w.title = "A larger army"
    scene.changed()
    return app


def _attack_target(s: Session) -> tuple[int, int] | None:
    """Return an own force and a province with enemies it may attack, if any."""
    for f in s.visible_forces():
        if not s.is_own(f):
            continue
        for p, kinds in s.destinations(f).items():
            if OrderKind.ATTACK in kinds and s.enemy_at(p):
                return f, p
    return None


def take(
    out: Path,
    source: ScenarioSource,
    side: str = "",
    seed: int | None = None,
    factory: pol.PolicyFactory | None = None,
) -> list[Path]:
    """Write the pictures named in :data:`NAMES` to a folder; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    app = App(factory=factory, throttle=False)
    start = app.replace(StartScene(app))
    assert isinstance(start, StartScene)
    start.show(Path(source.path))
    paths = [_shot(app, out, "start")]
    s = new_session(source, side, "normal", seed, factory)
    s.autosave = None
    scene = app.replace(CampaignScene(app, s))
    assert isinstance(scene, CampaignScene)
    records = _play_on(s, 5, factory, scene)
    scene.resize(app.screen.get_size())
    _aim(app, scene)
    paths.append(_shot(app, out, "map"))
    app.push(LegendOverlay(app, s.scn))
    paths.append(_shot(app, out, "legend"))
    _crowded(app, source, seed, factory)
    paths.append(_shot(app, out, "crowded"))
    app.replace(scene)
    battle = next((r for r in records if any(e.kind == "battle" for e in r.entries)), None)
    while battle is None and not s.game.over:
        more = _play_on(s, 1, factory, scene)
        battle = next((r for r in more if any(e.kind == "battle" for e in r.entries)), None)
    scene.select(None)
    if battle is not None:
        seen = s.visible_entries(battle)
        entries = [e for e in seen if e.kind == "battle"] + [e for e in seen if e.kind != "battle"]
        where = s.scn.province_index.get(entries[0].figures.get("province_id"))
        if where is not None:
            scene.board.view.focus([where], pad=1.5)
        app.push(ResultsScene(app, scene, battle, entries))
        paths.append(_shot(app, out, "battle"))
        app.replace(scene)
    _window(app, SMALL)
    _aim(app, scene)
    paths.append(_shot(app, out, "small"))
    _window(app, DEFAULT_SIZE)
    replay = historical_replay(app, source, seed)
    for _ in range(8):
        replay.forward()
    paths.append(_shot(app, out, "replay"))
    app.push(TakeCommandScene(app, replay.replay))
    paths.append(_shot(app, out, "command"))
    paths.append(_shot(_setup(app, Path(source.path)), out, "setup"))
    _play_on(s, s.scn.n_turns, factory)
    app.replace(scene)
    app.push(EndScene(app, s))
    paths.append(_shot(app, out, "end"))
    return paths
