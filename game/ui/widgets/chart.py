"""A small line chart drawn with pygame: one line per side over the turns."""

from __future__ import annotations

import numpy as np
import pygame

from game.ui import theme
from game.ui.widgets.panel import text


def line_chart(
    surf: pygame.Surface,
    rect: pygame.Rect,
    title: str,
    values: np.ndarray,
    colours: list[theme.Colour],
    names: list[str] | None = None,
) -> None:
    """Draw ``values[t, s]`` as one line per side inside a rectangle, with its scale."""
    pygame.draw.rect(surf, (250, 245, 230), rect)
    pygame.draw.rect(surf, theme.PANEL_EDGE, rect, 1)
    text(surf, theme.serif(16), title, (rect.x + 8, rect.y + 4))
    x = rect.right - 10
    for name, colour in reversed(list(zip(names or [], colours, strict=False))):
        r = text(surf, theme.body(11), name, (x, rect.y + 8), theme.INK_SOFT, "topright")
        pygame.draw.rect(surf, colour, pygame.Rect(r.x - 16, r.y + 2, 12, 10))
        x = r.x - 26
    inner = pygame.Rect(rect.x + 48, rect.y + 28, rect.w - 60, rect.h - 44)
    top = float(max(values.max(), 1)) if values.size else 1.0
    text(
        surf, theme.body(10), f"{top:,.0f}", (inner.x - 4, inner.y - 6), theme.INK_SOFT, "topright"
    )
    text(surf, theme.body(10), "0", (inner.x - 4, inner.bottom - 6), theme.INK_SOFT, "topright")
    text(
        surf,
        theme.body(10),
        f"turn {max(len(values) - 1, 0)}",
        (inner.right, inner.bottom + 2),
        theme.INK_SOFT,
        "topright",
    )
    pygame.draw.line(surf, theme.INK_SOFT, inner.bottomleft, inner.bottomright)
    pygame.draw.line(surf, theme.INK_SOFT, inner.bottomleft, inner.topleft)
    n = len(values)
    if n < 2:
        return
    for s, colour in enumerate(colours):
        pts = [
            (inner.x + inner.w * t / (n - 1), inner.bottom - inner.h * float(values[t, s]) / top)
            for t in range(n)
        ]
        pygame.draw.lines(surf, colour, False, pts, 3)
