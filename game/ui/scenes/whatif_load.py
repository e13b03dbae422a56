"""The list of saved what-ifs: pick one to put it back on the setup screen.

A file that no longer loads (its scenario changed, or it was edited badly) is refused with
a one-line message and the setup screen keeps what it had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pygame
import yaml

from game.errors import IngaviError
from game.ui import theme
from game.ui.app import App
from game.ui.layout import fit
from game.ui.scene import Scene
from game.ui.storage import whatif_dir
from game.ui.whatif_file import launch_options, listing
from game.ui.widgets.button import Button
from game.ui.widgets.panel import heading, panel, paragraph, text
from game.ui.widgets.tooltip import draw_tooltip

ROW_H = 30
SHOWN = 10


def title_of(path: Path) -> str:
    """Return a what-if's title from its header (the file name if unreadable)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return str(data["overlay"]["title"])
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return path.stem


def beginning_of(path: Path) -> str:
    """Return how a saved what-if begins: the side played, against whom, and from when."""
    try:
        opts = launch_options(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ""
    if not opts:
        return ""
    side = opts.get("--side", "")
    who = "two players" if side == "both" else f"as {side.capitalize()}" if side else ""
    other = opts.get("--ai", "")
    vs = "against history" if other == "historical" else f"against the {other} AI" if other else ""
    day = opts.get("--from-history")
    when = f"from {dt.date.fromisoformat(day):%d %b %Y}" if day else "from the start"
    return ", ".join(p for p in (who, vs, when) if p)


class WhatIfLoadScene(Scene):
    """Lists the what-ifs in the player's folder, newest first."""

    overlay = True

    def __init__(self, app: App, on_pick: Callable[[Path], None]) -> None:
        super().__init__(app)
        self.on_pick = on_pick
        self.files = listing()
        self.titles = [title_of(p) for p in self.files]
        self.beginnings = [beginning_of(p) for p in self.files]
        self.scroll = 0
        self.mouse = (0, 0)
        self.cancel = Button(pygame.Rect(0, 0, 120, 34), "Cancel", self.close)
        self.resize(self.size)

    def resize(self, size: tuple[int, int]) -> None:
        """Centre the dialog."""
        self.rect = pygame.Rect(0, 0, min(860, size[0] - 60), min(470, size[1] - 40))
        self.rect.center = (size[0] // 2, size[1] // 2)
        self.cancel.rect.bottomright = (self.rect.right - 16, self.rect.bottom - 14)

    def row_rect(self, i: int) -> pygame.Rect:
        """Return the rectangle of the i-th file in the list."""
        return pygame.Rect(
            self.rect.x + 20,
            self.rect.y + 60 + (i - self.scroll) * ROW_H,
            self.rect.w - 40,
            ROW_H - 2,
        )

    def pick(self, i: int) -> None:
        """Load the i-th what-if onto the setup screen, or say why it cannot be."""
        app = self.app
        self.close()
        try:
            self.on_pick(self.files[i])
        except IngaviError as exc:
            app.message(f"{self.files[i].name}: {exc}", "Cannot load this what-if")

    def handle(self, event: pygame.event.Event) -> None:
        """Pick, scroll or cancel."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.close()
            return
        if self.cancel.handle(event):
            return
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        if event.type == pygame.MOUSEWHEEL:
            self.scroll = min(max(self.scroll - event.y, 0), max(len(self.files) - SHOWN, 0))
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            for i in range(self.scroll, min(self.scroll + SHOWN, len(self.files))):
                if self.row_rect(i).collidepoint(event.pos):
                    self.pick(i)
                    return

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the list: each what-if's title, how it begins, and when it was saved."""
        self.tips: list[tuple[pygame.Rect, str]] = []
        panel(surf, self.rect)
        heading(surf, "Load a what-if", self.rect.x + 20, self.rect.y + 14, self.rect.w - 40, 24)
        if not self.files:
            paragraph(
                surf,
                theme.serif(18, italic=True),
                f"No what-ifs saved yet. Saved what-ifs are kept in {whatif_dir()}.",
                self.rect.x + 24,
                self.rect.y + 70,
                self.rect.w - 48,
                theme.INK_SOFT,
            )
        for i in range(self.scroll, min(self.scroll + SHOWN, len(self.files))):
            r = self.row_rect(i)
            if r.collidepoint(self.mouse):
                pygame.draw.rect(surf, theme.PARCHMENT_DARK, r)
            when = dt.datetime.fromtimestamp(self.files[i].stat().st_mtime)
            small = theme.body(12)
            right = f"{self.beginnings[i]}  ·  {when:%d %b %H:%M}".lstrip(" ·")
            r_w = min(small.size(right)[0], r.w * 3 // 5)
            text(
                surf,
                small,
                fit(small, right, r_w),
                (r.right - 6, r.y + 7),
                theme.INK_SOFT,
                "topright",
            )
            font = theme.serif(17)
            text(surf, font, fit(font, self.titles[i], r.w - r_w - 24), (r.x + 6, r.y + 4))
            self.tips.append((r, f"{self.titles[i]} — {self.files[i].name}"))
        self.cancel.draw(surf)
        tip = next((t for r, t in self.tips if r.collidepoint(self.mouse)), "")
        draw_tooltip(surf, self.mouse, tip)
