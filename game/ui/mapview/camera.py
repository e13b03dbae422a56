"""Zoom and pan: which part of the world the map widget shows, at what scale.

Zoom moves in fixed steps so that each step's rendered map can be cached; panning only
moves the offset and costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

ZOOMS: tuple[float, ...] = (1.0, 1.25, 1.6, 2.0, 2.5, 3.2, 4.0, 5.0, 6.4)
"""Zoom steps, as multiples of the scale that fits the whole theatre in the view."""


@dataclass
class Camera:
    """The view of the world inside a screen rectangle.

    Attributes:
        fit: Screen pixels per world unit at zoom 1 (the whole theatre fits).
        level: Index into :data:`ZOOMS`.
        ox, oy: Screen position (relative to the view) of world (0, 0).
        view_w, view_h: Size of the view in pixels.
        world_w, world_h: Size of the world in world units.
    """

    fit: float
    level: int
    ox: float
    oy: float
    view_w: int
    view_h: int
    world_w: float
    world_h: float

    @classmethod
    def fitting(cls, world_w: float, world_h: float, view_w: int, view_h: int) -> Camera:
        """Return a camera showing the whole world centred in the view."""
        fit = min(view_w / world_w, view_h / world_h)
        cam = cls(fit, 0, 0.0, 0.0, view_w, view_h, world_w, world_h)
        cam.centre_on(world_w / 2, world_h / 2)
        return cam

    @property
    def scale(self) -> float:
        """Screen pixels per world unit now."""
        return self.fit * ZOOMS[self.level]

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        """Return the view position of a world position."""
        return self.ox + x * self.scale, self.oy + y * self.scale

    def to_world(self, sx: float, sy: float) -> tuple[float, float]:
        """Return the world position under a view position."""
        return (sx - self.ox) / self.scale, (sy - self.oy) / self.scale

    def centre_on(self, x: float, y: float) -> None:
        """Put a world position in the middle of the view."""
        self.ox = self.view_w / 2 - x * self.scale
        self.oy = self.view_h / 2 - y * self.scale
        self.clamp()

    def pan(self, dx: float, dy: float) -> None:
        """Move the map by some screen pixels."""
        self.ox += dx
        self.oy += dy
        self.clamp()

    def zoom(self, steps: int, sx: float, sy: float) -> bool:
        """Zoom by whole steps keeping the world point under (sx, sy) still; False if unchanged."""
        new = min(max(self.level + steps, 0), len(ZOOMS) - 1)
        if new == self.level:
            return False
        wx, wy = self.to_world(sx, sy)
        self.level = new
        self.ox = sx - wx * self.scale
        self.oy = sy - wy * self.scale
        self.clamp()
        return True

    def frame(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """Zoom in as far as a world rectangle still fits, and centre on it."""
        fits = [
            i
            for i, z in enumerate(ZOOMS)
            if (x1 - x0) * self.fit * z <= self.view_w and (y1 - y0) * self.fit * z <= self.view_h
        ]
        self.level = max(fits) if fits else 0
        self.centre_on((x0 + x1) / 2, (y0 + y1) / 2)

    def resize(self, view_w: int, view_h: int) -> None:
        """Fit a new view size, keeping the centre of the view on the same world point."""
        cx, cy = self.to_world(self.view_w / 2, self.view_h / 2)
        self.view_w, self.view_h = view_w, view_h
        self.fit = min(view_w / self.world_w, view_h / self.world_h)
        self.centre_on(cx, cy)

    def clamp(self) -> None:
        """Keep at least part of the map in view: no panning off into the void."""
        w, h = self.world_w * self.scale, self.world_h * self.scale
        lo_x, hi_x = min(self.view_w - w, (self.view_w - w) / 2), max(0.0, (self.view_w - w) / 2)
        lo_y, hi_y = min(self.view_h - h, (self.view_h - h) / 2), max(0.0, (self.view_h - h) / 2)
        self.ox = min(max(self.ox, lo_x), hi_x)
        self.oy = min(max(self.oy, lo_y), hi_y)
