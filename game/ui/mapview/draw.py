"""Small drawing helpers shared by the map layers and the widgets."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import pygame

from game.ui import theme

Point = tuple[float, float]


def dashed(
    surf: pygame.Surface,
    colour: theme.Colour,
    a: Point,
    b: Point,
    width: int,
    dash: float,
    gap: float,
) -> None:
    """Draw a dashed line from a to b."""
    length = math.dist(a, b)
    if length < 1:
        return
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    t = 0.0
    while t < length:
        e = min(t + dash, length)
        pygame.draw.line(
            surf, colour, (a[0] + ux * t, a[1] + uy * t), (a[0] + ux * e, a[1] + uy * e), width
        )
        t = e + gap


def dotted(
    surf: pygame.Surface, colour: theme.Colour, a: Point, b: Point, radius: int, gap: float
) -> None:
    """Draw a line of dots from a to b."""
    length = math.dist(a, b)
    n = max(int(length / gap), 1)
    for i in range(n + 1):
        t = i / n
        pygame.draw.circle(
            surf, colour, (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t), radius
        )


def halo_text(
    surf: pygame.Surface,
    font: pygame.font.Font,
    text: str,
    pos: Point,
    colour: theme.Colour = theme.INK,
    halo: theme.Colour = theme.PARCHMENT,
    anchor: str = "center",
) -> pygame.Rect:
    """Draw text with a soft outline so it reads over any shading; return its rectangle."""
    fg = font.render(text, True, colour)
    bg = font.render(text, True, halo)
    rect = fg.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
    for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1)):
        surf.blit(bg, rect.move(dx, dy))
    surf.blit(fg, rect)
    return rect


def arrow(
    surf: pygame.Surface, colour: theme.Colour, a: Point, b: Point, width: int = 3, head: float = 12
) -> None:
    """Draw an arrow from a to b with a filled head."""
    length = math.dist(a, b)
    if length < 2:
        return
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    tip = b
    base = (b[0] - ux * head, b[1] - uy * head)
    pygame.draw.line(surf, colour, a, base, width)
    left = (base[0] - uy * head * 0.5, base[1] + ux * head * 0.5)
    right = (base[0] + uy * head * 0.5, base[1] - ux * head * 0.5)
    pygame.draw.polygon(surf, colour, [tip, left, right])


def polyline(
    surf: pygame.Surface,
    colour: theme.Colour,
    pts: Sequence[Point],
    width: int,
    closed: bool = False,
) -> None:
    """Draw a polyline (anti-aliased when one pixel wide)."""
    if len(pts) < 2:
        return
    if width <= 1:
        pygame.draw.aalines(surf, colour, closed, pts)
    else:
        pygame.draw.lines(surf, colour, closed, pts, width)


@lru_cache(maxsize=2048)
def wrap(font: pygame.font.Font, text: str, width: int) -> list[str]:
    """Split text into lines that fit a width in a font (cached; do not change the result)."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}".strip()
            if font.size(trial)[0] <= width or not line:
                line = trial
            else:
                out.append(line)
                line = word
        out.append(line)
    return out
