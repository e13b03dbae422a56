"""Tooltips: a small panel of text next to the pointer, kept inside the window."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.mapview.draw import wrap

WIDTH = 300


def draw_tooltip(surf: pygame.Surface, pos: tuple[int, int], text: str) -> pygame.Rect | None:
    """Draw a tooltip near a position; return its rectangle (None for empty text)."""
    if not text:
        return None
    font = theme.body(13)
    lines: list[str] = []
    for para in text.split("\n"):
        lines += wrap(font, para, WIDTH - 16)
    h = len(lines) * font.get_linesize() + 12
    w = min(WIDTH, max(font.size(s)[0] for s in lines) + 16)
    rect = pygame.Rect(pos[0] + 16, pos[1] + 18, w, h)
    rect.clamp_ip(surf.get_rect())
    if rect.collidepoint(pos):
        rect.bottom = pos[1] - 6
        rect.clamp_ip(surf.get_rect())
    pygame.draw.rect(surf, (60, 46, 30), rect.move(2, 2), border_radius=4)
    pygame.draw.rect(surf, (252, 247, 232), rect, border_radius=4)
    pygame.draw.rect(surf, theme.INK, rect, 1, border_radius=4)
    y = rect.y + 6
    for line in lines:
        surf.blit(theme.render(font, line, theme.INK), (rect.x + 8, y))
        y += font.get_linesize()
    return rect
