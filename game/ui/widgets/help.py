"""The keyboard-help overlay (F1 or ?)."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.scene import Scene
from game.ui.widgets.panel import heading, panel, text

KEYS: tuple[tuple[str, str], ...] = (
    ("Left click", "select a force; click a lit town to march there, or attack it"),
    ("Right click / Esc", "cancel the selection (Esc on the map opens nothing else)"),
    ("Shift + click", "force-march instead of a normal march"),
    ("Drag, arrow keys", "pan the map"),
    ("Wheel, + and -", "zoom in and out"),
    ("Tab", "select your next force without orders"),
    ("L", "the map's legend: shading, roads, counters, marks"),
    ("H / G", "order the selected force to hold / garrison"),
    ("J", "then click another of your forces: the selected force joins it"),
    ("Backspace, Ctrl+Z", "undo your last order this turn"),
    ("Enter", "end the turn"),
    ("Space / Right", "next page of the turn's results"),
    ("F5 / F9", "save / load a game"),
    ("F11", "full screen on or off"),
    ("F1 or ?", "show or hide this help"),
    ("Replay: Space, ← →", "play or pause, step back and forward"),
    ("Replay: T", "take command from the turn shown"),
    ("Watching: Space", "play on by itself, or pause"),
)


class HelpOverlay(Scene):
    """Lists every key and mouse action; any key or click closes it."""

    overlay = True

    def handle(self, event: pygame.event.Event) -> None:
        """Close on a key or click."""
        if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONUP):
            self.close()

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the list in a panel."""
        dim = pygame.Surface(surf.get_size(), pygame.SRCALPHA)
        dim.fill((30, 20, 10, 120))
        surf.blit(dim, (0, 0))
        step = 28 if surf.get_height() >= 720 else 24
        rect = pygame.Rect(0, 0, min(760, surf.get_width() - 40), 100 + step * len(KEYS))
        rect.center = (surf.get_width() // 2, surf.get_height() // 2)
        panel(surf, rect)
        y = heading(surf, "Keys and mouse", rect.x + 24, rect.y + 18, rect.w - 48, 26) + 10
        for key, what in KEYS:
            text(surf, theme.body(15, bold=True), key, (rect.x + 30, y))
            text(surf, theme.body(15), what, (rect.x + 250, y))
            y += step
        text(
            surf,
            theme.serif(16, italic=True),
            "Any key or click closes this help.",
            (rect.centerx, rect.bottom - 16),
            theme.INK_SOFT,
            "midbottom",
        )
