"""Parchment panels and wrapped text, the building blocks of every side panel and dialog."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.mapview.draw import wrap


def panel(
    surf: pygame.Surface, rect: pygame.Rect, fill: theme.Colour = theme.PANEL, alpha: int = 255
) -> None:
    """Draw a bordered parchment panel."""
    if alpha < 255:
        layer = pygame.Surface(rect.size, pygame.SRCALPHA)
        layer.fill((*fill, alpha))
        surf.blit(layer, rect)
    else:
        pygame.draw.rect(surf, fill, rect)
    pygame.draw.rect(surf, theme.PANEL_EDGE, rect, 2)
    pygame.draw.rect(surf, theme.PARCHMENT_DARK, rect.inflate(-6, -6), 1)


def text(
    surf: pygame.Surface,
    font: pygame.font.Font,
    s: str,
    pos: tuple[int, int],
    colour: theme.Colour = theme.INK,
    anchor: str = "topleft",
) -> pygame.Rect:
    """Draw one line of text; return its rectangle."""
    img = theme.render(font, s, colour)
    rect = img.get_rect(**{anchor: pos})
    surf.blit(img, rect)
    return rect


def paragraph(
    surf: pygame.Surface,
    font: pygame.font.Font,
    s: str,
    x: int,
    y: int,
    width: int,
    colour: theme.Colour = theme.INK,
    max_y: int | None = None,
) -> int:
    """Draw wrapped text from (x, y); return the y below it (stops at max_y)."""
    step = font.get_linesize()
    for line in wrap(font, s, width):
        if max_y is not None and y + step > max_y:
            break
        surf.blit(theme.render(font, line, colour), (x, y))
        y += step
    return y


def heading(surf: pygame.Surface, s: str, x: int, y: int, width: int, size: int = 20) -> int:
    """Draw a section heading with a rule under it; return the y below."""
    r = text(surf, theme.title(size), s, (x, y))
    pygame.draw.line(surf, theme.PANEL_EDGE, (x, r.bottom + 1), (x + width, r.bottom + 1), 1)
    return r.bottom + 5


def bar(surf: pygame.Surface, rect: pygame.Rect, parts: list[tuple[float, theme.Colour]]) -> None:
    """Draw a horizontal bar split into coloured shares (they should sum to 1)."""
    x = rect.x
    for i, (share, colour) in enumerate(parts):
        w = rect.right - x if i == len(parts) - 1 else round(rect.w * share)
        pygame.draw.rect(surf, colour, pygame.Rect(x, rect.y, max(w, 0), rect.h))
        x += w
    pygame.draw.rect(surf, theme.INK, rect, 1)
