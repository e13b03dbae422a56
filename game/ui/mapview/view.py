"""The map widget: shows the cached map inside a rectangle, pans, zooms and hit-tests.

Dragging with the left button or the arrow keys pans; the wheel zooms about the pointer.
A press and release without dragging is a click, which the widget hands back to its
scene together with what lies under it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pygame

from game.ui.mapview.camera import ZOOMS, Camera
from game.ui.mapview.layers import MapArt

DRAG_PX = 5
"""Movement that turns a press into a drag rather than a click."""
PAN_KEY_PX = 60
HIT_PX = 16
"""How close to a town a click must be to pick it."""


@dataclass(frozen=True)
class Click:
    """A click on the map: its screen position, button and the province under it."""

    pos: tuple[int, int]
    button: int
    province: int | None


class MapView:
    """Shows and navigates the map of one scenario inside a screen rectangle."""

    def __init__(self, art: MapArt, rect: pygame.Rect) -> None:
        self.art = art
        self.rect = pygame.Rect(rect)
        self.camera = Camera.fitting(art.proj.width, art.proj.height, self.rect.w, self.rect.h)
        self._press: tuple[int, int] | None = None
        self._mouse: tuple[int, int] = self.rect.center
        self._dragging = False

    def set_rect(self, rect: pygame.Rect) -> None:
        """Move or resize the widget (window resized)."""
        self.rect = pygame.Rect(rect)
        self.camera.resize(self.rect.w, self.rect.h)

    # ------------------------------------------------------------------ geometry
    def screen_of(self, province: int) -> tuple[float, float]:
        """Return the screen position of a province's town."""
        x, y = self.art.points[province]
        sx, sy = self.camera.to_screen(float(x), float(y))
        return self.rect.x + sx, self.rect.y + sy

    def screen_between(self, a: int, b: int, t: float) -> tuple[float, float]:
        """Return the screen position a fraction t of the way from province a to b."""
        pa, pb = self.screen_of(a), self.screen_of(b)
        return pa[0] + (pb[0] - pa[0]) * t, pa[1] + (pb[1] - pa[1]) * t

    def province_at(self, pos: tuple[int, int]) -> int | None:
        """Return the province whose town is under a screen position, if any."""
        if not self.rect.collidepoint(pos):
            return None
        cam = self.camera
        wx, wy = cam.to_world(pos[0] - self.rect.x, pos[1] - self.rect.y)
        pts = self.art.points
        d = np.hypot(pts[:, 0] - wx, pts[:, 1] - wy) * cam.scale
        p = int(np.argmin(d))
        return p if d[p] <= HIT_PX else None

    def region_at(self, pos: tuple[int, int]) -> int | None:
        """Return the province whose country lies under a position (for tooltips)."""
        if not self.rect.collidepoint(pos):
            return None
        wx, wy = self.camera.to_world(pos[0] - self.rect.x, pos[1] - self.rect.y)
        base = self.art.base
        px, py = int(wx * base.scale), int(wy * base.scale)
        h, w = base.nearest.shape
        if 0 <= px < w and 0 <= py < h:
            p = int(base.nearest[py, px])
            return p if p >= 0 else None
        return None

    # ------------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> Click | None:
        """Pan or zoom on an event; return a Click when a press ends without a drag."""
        if event.type == pygame.MOUSEBUTTONDOWN and self.rect.collidepoint(event.pos):
            if event.button == 1:
                self._press, self._dragging = event.pos, False
                return None
            if event.button == 3:
                return Click(event.pos, 3, self.province_at(event.pos))
        if event.type == pygame.MOUSEMOTION:
            self._mouse = event.pos
        if event.type == pygame.MOUSEMOTION and self._press is not None:
            if not self._dragging and math.dist(event.pos, self._press) > DRAG_PX:
                self._dragging = True
            if self._dragging:
                self.camera.pan(*event.rel)
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self._press is not None:
            was_click = not self._dragging
            self._press, self._dragging = None, False
            if was_click and self.rect.collidepoint(event.pos):
                return Click(event.pos, 1, self.province_at(event.pos))
        if event.type == pygame.MOUSEWHEEL:
            mx, my = self._mouse
            if self.rect.collidepoint((mx, my)):
                self.camera.zoom(1 if event.y > 0 else -1, mx - self.rect.x, my - self.rect.y)
        if event.type == pygame.KEYDOWN:
            self._key(event.key)
        return None

    def _key(self, key: int) -> None:
        moves = {
            pygame.K_LEFT: (PAN_KEY_PX, 0),
            pygame.K_RIGHT: (-PAN_KEY_PX, 0),
            pygame.K_UP: (0, PAN_KEY_PX),
            pygame.K_DOWN: (0, -PAN_KEY_PX),
        }
        if key in moves:
            self.camera.pan(*moves[key])
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.camera.zoom(1, self.rect.w / 2, self.rect.h / 2)
        elif key in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.camera.zoom(-1, self.rect.w / 2, self.rect.h / 2)

    def focus(self, provinces: list[int], pad: float = 0.8) -> None:
        """Frame a set of provinces (with a margin in degrees)."""
        if not provinces:
            return
        pts = self.art.points[provinces]
        x0, y0 = pts.min(axis=0) - pad
        x1, y1 = pts.max(axis=0) + pad
        self.camera.frame(float(x0), float(y0), float(x1), float(y1))

    def centre_on_mass(self, provinces: list[int], weights: list[float], level: int) -> None:
        """Centre on the weighted middle of some provinces (where the armies are) at a zoom."""
        if not provinces:
            return
        w = np.asarray(weights, dtype=np.float64) + 1.0
        x, y = (self.art.points[provinces] * w[:, None]).sum(axis=0) / w.sum()
        self.camera.level = min(max(level, 0), len(ZOOMS) - 1)
        self.camera.centre_on(float(x), float(y))

    def zoom_at(self, steps: int, pos: tuple[int, int]) -> None:
        """Zoom by steps about a screen position (for tests and buttons)."""
        self.camera.zoom(steps, pos[0] - self.rect.x, pos[1] - self.rect.y)

    # ------------------------------------------------------------------ drawing
    def draw_base(self, surf: pygame.Surface, owner: np.ndarray) -> None:
        """Draw the cached map for the current zoom and ownership."""
        from game.ui import theme

        surf.fill(theme.PARCHMENT_DARK, self.rect)
        layer = self.art.surface(self.camera.scale, owner)
        clip = surf.get_clip()
        surf.set_clip(self.rect)
        surf.blit(layer, (self.rect.x + round(self.camera.ox), self.rect.y + round(self.camera.oy)))
        surf.set_clip(clip)
