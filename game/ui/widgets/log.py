"""A scrolling log: the chronicle of the campaign, newest at the bottom."""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from game.ui import theme
from game.ui.mapview.draw import wrap

KIND_COLOURS: dict[str, theme.Colour] = {
    "battle": theme.BAD,
    "occupation": (60, 70, 130),
    "rising": (120, 70, 20),
    "event": (90, 40, 110),
    "peace": theme.GOOD,
    "surrender": theme.BAD,
}


@dataclass
class LogView:
    """Lines of dated text that scroll with the wheel inside a rectangle."""

    rect: pygame.Rect
    lines: list[tuple[str, theme.Colour]] = field(default_factory=list)
    scroll: int = 0
    _wrapped: list[tuple[str, theme.Colour]] = field(default_factory=list)
    _width: int = 0
    _mouse: tuple[int, int] = (0, 0)

    def add(self, text: str, kind: str = "") -> None:
        """Append an entry, and scroll to the bottom."""
        self.lines.append((text, KIND_COLOURS.get(kind, theme.INK)))
        self._width = 0
        self.scroll = 0

    def _rewrap(self) -> None:
        font = theme.body(12)
        self._wrapped = []
        for s, c in self.lines:
            for i, line in enumerate(wrap(font, s, self.rect.w - 44)):
                self._wrapped.append(((line if i == 0 else "   " + line), c))
        self._width = self.rect.w

    def handle(self, event: pygame.event.Event) -> bool:
        """Scroll with the wheel while the pointer is over the log."""
        if event.type == pygame.MOUSEMOTION:
            self._mouse = event.pos
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(self._mouse):
            self.scroll = max(0, self.scroll + event.y * 3)
            return True
        return False

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the visible lines (the newest unless scrolled back)."""
        if self._width != self.rect.w:
            self._rewrap()
        font = theme.body(12)
        step = font.get_linesize()
        rows = max((self.rect.h - 8) // step, 1)
        self.scroll = min(self.scroll, max(len(self._wrapped) - rows, 0))
        end = len(self._wrapped) - self.scroll
        y = self.rect.y + 4
        for s, c in self._wrapped[max(end - rows, 0) : end]:
            surf.blit(theme.render(font, s, c), (self.rect.x + 8, y))
            y += step
