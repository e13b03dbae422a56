"""The static map at one zoom level: base raster, ownership, roads, names, drawn once.

Rendering the whole map every frame would cost far more than the 16 ms a frame may take.
Instead the map is drawn once per (zoom level, ownership) onto one surface and the frame
only blits the visible part of it; ownership changes at most once a turn.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pygame

from game.codes import CROSSINGS, ROADS
from game.scenario.compile import CompiledScenario
from game.ui import theme
from game.ui.mapview import basemap
from game.ui.mapview.draw import dashed, dotted, halo_text, polyline
from game.ui.mapview.geo import Projection, Theatre, theatre

_BASES: dict[str, basemap.BaseMap] = {}
_KEEP = 3


def side_colours(scn: CompiledScenario) -> np.ndarray:
    """Return each side's colour ``[S, 3]``."""
    return np.array([theme.hex_colour(s.colour) for s in scn.model.sides], dtype=np.float32)


class MapArt:
    """Renders and caches the static map of one scenario at each zoom level."""

    def __init__(self, scn: CompiledScenario) -> None:
        self.scn = scn
        self.proj = Projection.for_scenario(scn)
        self.theatre: Theatre = theatre()
        self.points = self.proj.world_many(np.stack([np.asarray(scn.lat), np.asarray(scn.lon)], 1))
        self._cache: OrderedDict[tuple[float, bytes], pygame.Surface] = OrderedDict()
        self._owner_rgb: dict[bytes, pygame.Surface] = {}

    @property
    def base(self) -> basemap.BaseMap:
        """The scenario's base raster (built once per scenario content)."""
        if self.scn.hash not in _BASES:
            _BASES[self.scn.hash] = basemap.build(self.scn, self.proj, self.theatre)
        return _BASES[self.scn.hash]

    def surface(self, scale: float, owner: np.ndarray) -> pygame.Surface:
        """Return the whole map drawn at ``scale`` pixels per world unit for an ownership."""
        key = (round(scale, 4), np.asarray(owner, np.int8).tobytes())
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        surf = self._render(scale, np.asarray(owner, np.int8))
        self._cache[key] = surf
        while len(self._cache) > _KEEP:
            self._cache.popitem(last=False)
        return surf

    # ------------------------------------------------------------------ rendering
    def _washed(self, owner: np.ndarray) -> pygame.Surface:
        key = owner.tobytes()
        if key not in self._owner_rgb:
            rgb = basemap.ownership_rgb(
                self.base, owner, side_colours(self.scn), self.scn.home_side
            )
            self._owner_rgb = {key: pygame.surfarray.make_surface(rgb.transpose(1, 0, 2))}
        return self._owner_rgb[key]

    def _render(self, scale: float, owner: np.ndarray) -> pygame.Surface:
        size = (max(int(self.proj.width * scale), 1), max(int(self.proj.height * scale), 1))
        surf = pygame.transform.smoothscale(self._washed(owner), size)
        self._water(surf, scale)
        self._links(surf, scale)
        self._peaks(surf, scale)
        self._towns(surf, scale)
        self._frame(surf)
        return surf.convert() if pygame.display.get_surface() else surf

    def _px(self, pts: np.ndarray, scale: float) -> list[tuple[float, float]]:
        return [(float(x * scale), float(y * scale)) for x, y in pts]

    def _water(self, surf: pygame.Surface, scale: float) -> None:
        th, proj = self.theatre, self.proj
        small = theme.serif(max(12, int(scale * 0.16)), italic=True)
        for river in th.rivers:
            polyline(
                surf, theme.SEA_LINE, self._px(proj.world_many(np.array(river.points)), scale), 2
            )
        for lake in th.lakes:
            pts = self._px(proj.world_many(np.array(lake.points)), scale)
            polyline(surf, theme.INK_SOFT, pts, 1, closed=True)
            if lake.label:
                x, y = proj.world(*lake.label)
                halo_text(
                    surf, small, lake.name, (x * scale, y * scale), theme.SEA_LINE, theme.LAKE
                )
        for flat in th.salt_flats:
            pts = self._px(proj.world_many(np.array(flat.points)), scale)
            polyline(surf, theme.INK_SOFT, pts, 1, closed=True)
            if flat.label:
                x, y = proj.world(*flat.label)
                halo_text(surf, small, flat.name, (x * scale, y * scale), theme.INK_SOFT)
        if th.coast:
            polyline(surf, theme.INK, self._px(proj.world_many(np.array(th.coast)), scale), 2)
            big = theme.title(max(16, int(scale * 0.3)))
            for sea in th.seas:
                if sea.label:
                    x, y = proj.world(*sea.label)
                    if 0 < x < proj.width and 0 < y < proj.height and self._is_sea(x, y):
                        halo_text(
                            surf,
                            big,
                            " ".join(sea.name.upper()),
                            (x * scale, y * scale),
                            theme.SEA_LINE,
                            theme.SEA,
                        )

    def _is_sea(self, x: float, y: float) -> bool:
        b = self.base
        px, py = int(x * b.scale), int(y * b.scale)
        h, w = b.nearest.shape
        return 0 <= px < w and 0 <= py < h and tuple(b.rgb[py, px]) == theme.SEA

    def _links(self, surf: pygame.Surface, scale: float) -> None:
        scn = self.scn
        lw = max(1, min(int(scale * 0.018), 3))
        tiny = theme.body(max(9, min(int(scale * 0.13), 14)), bold=True)
        for a in range(scn.P):
            for b in range(a + 1, scn.P):
                days = scn.link_days[a, b]
                if not np.isfinite(days):
                    continue
                pa = (self.points[a][0] * scale, self.points[a][1] * scale)
                pb = (self.points[b][0] * scale, self.points[b][1] * scale)
                road = ROADS[int(scn.link_road[a, b])]
                crossing = CROSSINGS[int(scn.link_crossing[a, b])]
                colour = theme.SEA_LINE if crossing == "sea" else theme.ROAD
                if road == "road":
                    pygame.draw.line(surf, colour, pa, pb, lw + 2)
                    pygame.draw.line(surf, theme.PARCHMENT, pa, pb, max(lw - 1, 1))
                elif road == "track":
                    dashed(surf, colour, pa, pb, lw + 1, 9, 5)
                else:
                    dotted(surf, colour, pa, pb, max(lw, 1), 7)
                mid = ((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2)
                if crossing == "pass":
                    self._pass_mark(surf, mid, pa, pb)
                label = f"{days:g}"
                r = tiny.size(label)
                box = pygame.Rect(0, 0, r[0] + 6, r[1] + 2)
                box.center = (round(mid[0]), round(mid[1]))
                pygame.draw.ellipse(surf, theme.PANEL, box)
                pygame.draw.ellipse(surf, theme.ROAD, box, 1)
                surf.blit(
                    tiny.render(label, True, theme.ROAD),
                    tiny.render(label, True, theme.ROAD).get_rect(center=box.center),
                )

    @staticmethod
    def _pass_mark(
        surf: pygame.Surface,
        mid: tuple[float, float],
        a: tuple[float, float],
        b: tuple[float, float],
    ) -> None:
        ang = math.atan2(b[1] - a[1], b[0] - a[0])
        ox, oy = math.cos(ang) * 14, math.sin(ang) * 14
        for s in (-1, 1):
            c = (mid[0] + s * ox, mid[1] + s * oy)
            pygame.draw.polygon(
                surf,
                theme.INK_SOFT,
                [(c[0] - 5, c[1] + 4), (c[0], c[1] - 5), (c[0] + 5, c[1] + 4)],
                1,
            )

    def _peaks(self, surf: pygame.Surface, scale: float) -> None:
        font = theme.serif(max(10, int(scale * 0.13)), italic=True)
        for p in self.theatre.peaks:
            x, y = self.proj.world(*p.points[0])
            if not (0 < x < self.proj.width and 0 < y < self.proj.height):
                continue
            c = (x * scale, y * scale)
            pygame.draw.polygon(
                surf, theme.INK_SOFT, [(c[0] - 7, c[1] + 5), (c[0], c[1] - 7), (c[0] + 7, c[1] + 5)]
            )
            pygame.draw.polygon(
                surf, theme.PANEL, [(c[0] - 2, c[1] - 3), (c[0], c[1] - 6), (c[0] + 2, c[1] - 3)]
            )
            if scale > 90:
                halo_text(surf, font, p.name, (c[0], c[1] + 7), theme.INK_SOFT, anchor="midtop")

    def _towns(self, surf: pygame.Surface, scale: float) -> None:
        """Draw every town, then the names that fit: the most important first.

        Names that would overprint one already placed wait for a closer zoom (the tooltip
        still gives them), as on a printed map.
        """
        scn = self.scn
        capitals = {int(c) for c in scn.capital}
        size = max(12, min(int(scale * 0.12), 21))
        for p in range(scn.P):
            x, y = self.points[p][0] * scale, self.points[p][1] * scale
            if p in capitals:
                pygame.draw.circle(surf, theme.INK, (x, y), 8, 2)
                pygame.draw.circle(surf, theme.INK, (x, y), 3)
            else:
                pygame.draw.circle(surf, theme.PANEL, (x, y), 5)
                pygame.draw.circle(surf, theme.INK, (x, y), 5, 1)
            if scn.fort[p] >= 1:
                pygame.draw.rect(surf, theme.INK, pygame.Rect(x + 7, y - 12, 7, 7), 1)
        placed: list[pygame.Rect] = []
        for p in sorted(range(scn.P), key=lambda q: (q not in capitals, -float(scn.value[q]))):
            font = (
                theme.title(size + 2)
                if p in capitals
                else theme.serif(size, italic=bool(scn.off_map[p]))
            )
            x, y = self.points[p][0] * scale, self.points[p][1] * scale
            rect = pygame.Rect((0, 0), font.size(scn.province_name(p)))
            rect.midtop = (round(x), round(y + 9))
            if rect.inflate(-4, -4).collidelist(placed) >= 0:
                continue
            placed.append(halo_text(surf, font, scn.province_name(p), (x, y + 9), anchor="midtop"))

    @staticmethod
    def _frame(surf: pygame.Surface) -> None:
        r = surf.get_rect()
        pygame.draw.rect(surf, theme.INK, r, 3)
        pygame.draw.rect(surf, theme.INK_SOFT, r.inflate(-10, -10), 1)
