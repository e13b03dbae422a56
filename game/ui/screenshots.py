"""Pictures of the interface for the README and for reviewing changes, made headless.

Each picture is taken from the real scenes driven through the real event loop: the start
screen, the map in the middle of a war with the odds of an attack, a battle report, the
historical replay, the "Take command" dialog over it, the what-if setup screen with a few
changes, and the end of the war.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.codes import OrderKind
from game.game import ScenarioSource
from game.ui import ai_levels as pol
from game.ui import describe
from game.ui.app import App
from game.ui.launch import new_session
from game.ui.replay_open import historical_replay
from game.ui.scenes.campaign import CampaignScene
from game.ui.scenes.endwar import EndScene
from game.ui.scenes.results import ResultsScene
from game.ui.scenes.setup import SetupScene
from game.ui.scenes.start import StartScene
from game.ui.scenes.takecommand import TakeCommandScene
from game.ui.session import Session

NAMES = ("start", "map", "battle", "replay", "command", "setup", "end")


def _shot(app: App, out: Path, name: str) -> Path:
    app.run(2)
    path = out / f"{name}.png"
    pygame.image.save(app.screen, str(path))
    return path


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
    target = _attack_target(s)
    if target is not None:
        f, p = target
        scene.select(f)
        scene.board.view.focus([int(s.game.state.loc[0, f]), p], pad=1.0)
        app.run(1)
        pygame.event.post(
            pygame.event.Event(
                pygame.MOUSEMOTION,
                pos=tuple(map(round, scene.board.view.screen_of(p))),
                rel=(0, 0),
                buttons=(0, 0, 0),
            )
        )
    else:
        scene.focus_own()
    paths.append(_shot(app, out, "map"))
    battle = next((r for r in records if any(e.kind == "battle" for e in r.entries)), None)
    while battle is None and not s.game.over:
        more = _play_on(s, 1, factory)
        battle = next((r for r in more if any(e.kind == "battle" for e in r.entries)), None)
    scene.select(None)
    if battle is not None:
        entries = [e for e in battle.entries if e.kind == "battle"] + [
            e for e in battle.entries if e.kind != "battle"
        ]
        first = entries[0]
        where = s.scn.province_index.get(first.figures.get("province_id"))
        if where is not None:
            scene.board.view.focus([where], pad=1.5)
        app.push(ResultsScene(app, scene, battle, entries))
        paths.append(_shot(app, out, "battle"))
        app.replace(scene)
    replay = historical_replay(app, source, seed)
    for _ in range(8):
        replay.forward()
    paths.append(_shot(app, out, "replay"))
    app.push(TakeCommandScene(app, replay.replay))
    paths.append(_shot(app, out, "command"))
    paths.append(_shot(_setup(app, Path(source.path)), out, "setup"))
    _play_on(s, s.scn.n_turns, factory)
    app.replace(EndScene(app, s))
    paths.append(_shot(app, out, "end"))
    return paths
