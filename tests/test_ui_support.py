"""Shared helpers for the interface tests: a headless window, simple policies, input."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from pathlib import Path

import pygame
import pytest

from game.ai.base import Decision
from game.codes import OrderKind
from game.engine.orders import Orders
from game.paths import scenarios_dir

TINY = scenarios_dir() / "examples" / "tiny.yaml"


class ScriptedPolicy:
    """Holds every force, except for a fixed list of (turn, force id, kind, target id)."""

    name = "scripted"

    def __init__(self, side: int, script: tuple[tuple[int, str, OrderKind, str], ...] = ()) -> None:
        self.side = side
        self.script = script

    def decide(self, scn, obs, keys, *, explain=False):
        orders = Orders.empty(obs.runs, scn.F, scn.S)
        for turn, force, kind, target in self.script:
            f = scn.force_index[force]
            if turn == obs.turn and scn.force_side[f] == self.side:
                orders.kind[:, f] = int(kind)
                orders.target[:, f] = scn.province_index[target]
        return Decision(orders)


def south_comes_to_dal(name: str, side: int, scn, difficulty: str) -> ScriptedPolicy:
    """A factory: Southland's army marches to Dal on the first turn; all else holds."""
    return ScriptedPolicy(side, ((0, "south_army", OrderKind.MARCH, "dal"),))


def click(pos: tuple[float, float], button: int = 1) -> None:
    """Post a press and release at a position (after moving there)."""
    p = (round(pos[0]), round(pos[1]))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=p, button=button))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=p, button=button))


def move(pos: tuple[float, float]) -> None:
    """Post a pointer movement."""
    p = (round(pos[0]), round(pos[1]))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(0, 0), buttons=(0, 0, 0)))


def key(k: int, mod: int = 0, unicode: str = "") -> None:
    """Post a key press."""
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode, scancode=0)
    )


def saves(home: Path) -> list[Path]:
    """Return the save files under an INGAVI_HOME."""
    return sorted((home / "saves").glob("*.json"))


def hold(name: str, side: int, scn, difficulty: str) -> ScriptedPolicy:
    """A factory: every force of every side holds."""
    return ScriptedPolicy(side)


def button(scene, label: str):
    """Return a scene's button (or row button) by its label."""
    return next(b for b in [*scene.buttons, *getattr(scene, "row_buttons", [])] if b.label == label)


def open_setup(app):
    """Open the what-if setup for the tiny scenario from the start screen, by clicks."""
    from game.ui.scenes.setup import SetupScene
    from game.ui.scenes.start import StartScene

    start = app.replace(StartScene(app))
    app.run(1)
    i = next(i for i, c in enumerate(start.choices) if c.path.name == "tiny.yaml")
    click(start.row_rect(i).center)
    app.run(1)
    click(button(start, "What if…").rect.center)
    app.run(1)
    scene = app.top
    assert isinstance(scene, SetupScene)
    assert scene.whatif.scenario == TINY.resolve()
    return scene


def test_the_start_screen_refuses_an_alias_bomb_like_the_loader(tmp_path):
    import yaml

    from game.ui import catalogue

    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(yaml.YAMLError, match="aliases expand"):
        catalogue.read_yaml(bomb)
