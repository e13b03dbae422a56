"""Where stacks of counters go on the screen: over their towns, and clear of each other.

Around La Paz and Lake Titicaca towns lie a counter's width apart, so counters drawn
straight over their towns hide one another (and the towns a click must find).  Stacks
are placed one by one, the most important first, each at the first free spot nearest
its town; one that had to move is tied to its town by a thin line.  Two sides in one
province are two stacks, side by side.  The layout depends only on the zoom and on what
is drawn, so panning reuses it.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pygame

TOWN_PX = 10
"""Side of the square kept clear around each town, so a click can still find it."""
LIFT_PX = 8
"""Gap between a stack's foot and its town."""


@dataclass(frozen=True)
class Item:
    """A stack to place: its key, its town's position and its footprint size."""

    key: Hashable
    anchor: tuple[float, float]
    size: tuple[int, int]


def _offsets(w: int, h: int) -> list[tuple[int, int]]:
    """Return candidate moves from the spot over the town, nearest first."""
    steps = [
        (round(i * (w * 0.55 + 2)), round(j * (h * 0.55 + 2)))
        for i, j in itertools.product(range(-3, 4), range(-3, 3))
    ]
    return sorted(steps, key=lambda d: (d[0] ** 2 + d[1] ** 2, d[1], d[0]))


def place(
    items: Sequence[Item],
    towns: Sequence[tuple[float, float]],
    fixed: Sequence[pygame.Rect] = (),
) -> dict[Hashable, pygame.Rect]:
    """Return each stack's footprint, placed in the order given.

    Args:
        items: The stacks, most important first (they get the spots over their towns).
        towns: Every town's position, kept clear.
        fixed: Rectangles already drawn (counters on the march).
    """
    taken = [pygame.Rect(0, 0, TOWN_PX, TOWN_PX) for _ in towns]
    for r, (x, y) in zip(taken, towns, strict=True):
        r.center = (round(x), round(y))
    taken += [pygame.Rect(r) for r in fixed]
    out: dict[Hashable, pygame.Rect] = {}
    for item in items:
        w, h = item.size
        home = pygame.Rect(0, 0, w, h)
        home.midbottom = (round(item.anchor[0]), round(item.anchor[1] - LIFT_PX))
        spot = next(
            (r for r in (home.move(d) for d in _offsets(w, h)) if r.collidelist(taken) < 0),
            home,
        )
        out[item.key] = spot
        taken.append(spot)
    return out
