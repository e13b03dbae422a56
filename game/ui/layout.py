"""Sizes that follow the window, from 1024x600 up: side panels, bars, buttons, fitted text.

Every screen lays itself out from the window's size with these, so that nothing covers
anything else on a small screen and nothing looks lost on a large one.
"""

from __future__ import annotations

import pygame

from game.ui import theme

MIN_SIZE = (1024, 600)
"""The smallest window the interface lays out cleanly."""


def side_width(width: int) -> int:
    """Return the width of a screen's side panel: 300 px at 1024, up to 370."""
    return min(max(int(width * 0.29), 300), 370)


def log_height(height: int) -> int:
    """Return the height of the chronicle under the map."""
    return 128 if height >= 720 else 100


def button_width(label: str, size: int, least: int = 64) -> int:
    """Return the width a button needs for its label in the title face."""
    return max(theme.title(size).size(label)[0] + 24, least)


def fit(font: pygame.font.Font, text: str, width: int) -> str:
    """Return the text, cut short with an ellipsis if it is wider than ``width`` pixels."""
    if font.size(text)[0] <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.size(text[:mid].rstrip() + "…")[0] <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""
