"""The parchment base map as a numpy raster: land and sea, terrain washes, contours.

Everything here is computed from data, once per scenario, at a modest resolution:

* land and water from the shipped coast and lake outlines, with engraved waterlines
  along the shore as on nineteenth-century charts;
* a terrain wash that blends the scenario's own terrain colours smoothly between
  provinces (desert, altiplano, valleys...);
* altitude contours every thousand metres from an inverse-distance interpolation of the
  provinces' and great peaks' altitudes;
* a faint paper grain from a fixed hash (no randomness is drawn).

The map view scales this raster to each zoom level and draws crisp lines and names on
top (:mod:`game.ui.mapview.layers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pygame

from game.scenario.compile import CompiledScenario
from game.ui import theme
from game.ui.mapview.geo import Projection, Theatre, land_polygon

U8 = npt.NDArray[np.uint8]
F32 = npt.NDArray[np.float32]

BASE_PIXELS = 900
"""Pixels along the longer side of the base raster."""
REACH_DEG = 0.9
"""How far a province's wash of ownership colour reaches, in degrees."""
FADE_DEG = 0.45
"""Width of the fade at the edge of that reach."""
COARSE = 3
"""Smooth fields are computed on every third pixel and interpolated."""
WASH_SIGMA_DEG = 0.45
"""Width of the blend between neighbouring provinces' terrain colours."""


@dataclass
class BaseMap:
    """The raster base map and what the ownership wash needs.

    Attributes:
        rgb: Colours ``[H, W, 3]``.
        nearest: Province each land pixel belongs to, or -1 (sea, lakes, beyond reach).
        scale: Raster pixels per world unit.
        fade: Strength of the ownership wash at each pixel, 0..1.
    """

    rgb: U8
    nearest: npt.NDArray[np.int16]
    scale: float
    fade: F32
    """Strength of the ownership wash, fading toward the edge of a province's reach."""

    @property
    def size(self) -> tuple[int, int]:
        """Return (width, height) in pixels."""
        return int(self.rgb.shape[1]), int(self.rgb.shape[0])


def _grid(proj: Projection, scale: float) -> tuple[F32, F32]:
    w = max(round(proj.width * scale), 2)
    h = max(round(proj.height * scale), 2)
    xs = (np.arange(w, dtype=np.float32) + 0.5) / scale
    ys = (np.arange(h, dtype=np.float32) + 0.5) / scale
    return np.meshgrid(xs, ys)


def _raster(size: tuple[int, int], polys: list[tuple[np.ndarray, int]], scale: float) -> U8:
    """Rasterise world polygons with codes (later ones on top) into ``[H, W]``."""
    surf = pygame.Surface(size, depth=8)
    surf.fill(0)
    for poly, code in polys:
        pts = [(float(x * scale), float(y * scale)) for x, y in poly]
        if len(pts) >= 3:
            pygame.draw.polygon(surf, code, pts)
    return pygame.surfarray.array2d(surf).T.astype(np.uint8)


def _water_codes(
    scn: CompiledScenario, proj: Projection, th: Theatre, size: tuple[int, int], scale: float
) -> U8:
    """Return 0 sea, 1 land, 2 lake, 3 salt flat for each pixel."""
    land = land_polygon(proj, th.coast)
    polys: list[tuple[np.ndarray, int]] = []
    if land is None:
        polys.append((np.array([[-1e3, -1e3], [1e3, -1e3], [1e3, 1e3], [-1e3, 1e3]]), 1))
    else:
        polys.append((land, 1))
    polys += [(proj.world_many(np.array(lk.points)), 2) for lk in th.lakes]
    polys += [(proj.world_many(np.array(s.points)), 3) for s in th.salt_flats]
    return _raster(size, polys, scale)


def _province_points(scn: CompiledScenario, proj: Projection) -> np.ndarray:
    return proj.world_many(np.stack([np.asarray(scn.lat), np.asarray(scn.lon)], axis=1))


def _terrain_colours(scn: CompiledScenario) -> np.ndarray:
    cols = [theme.hex_colour(t.colour) for t in scn.model.terrain]
    return np.array(cols, dtype=np.float32)[np.asarray(scn.terrain)]


def _wash(gx: F32, gy: F32, pts: np.ndarray, colours: np.ndarray) -> tuple[F32, F32]:
    """Return the blended terrain colour ``[H, W, 3]`` and the distance to the nearest province."""
    acc = np.zeros((*gx.shape, 3), np.float32)
    wsum = np.zeros(gx.shape, np.float32)
    dmin = np.full(gx.shape, np.inf, np.float32)
    inv = np.float32(1.0 / WASH_SIGMA_DEG**2)
    for (px, py), col in zip(pts, colours, strict=True):
        d2 = (gx - np.float32(px)) ** 2 + (gy - np.float32(py)) ** 2
        w = np.exp(-d2 * inv)
        acc += w[..., None] * col
        wsum += w
        np.minimum(dmin, d2, out=dmin)
    base = np.array(theme.PARCHMENT, np.float32)
    floor = np.float32(0.05)
    out = (acc + floor * base) / (wsum + floor)[..., None]
    return out, np.sqrt(dmin)


def _altitude(gx: F32, gy: F32, pts: np.ndarray, alts: np.ndarray) -> F32:
    num = np.zeros(gx.shape, np.float32)
    den = np.zeros(gx.shape, np.float32)
    for (px, py), a in zip(pts, alts, strict=True):
        w = 1.0 / ((gx - np.float32(px)) ** 2 + (gy - np.float32(py)) ** 2 + np.float32(0.02)) ** 2
        num += w * np.float32(a)
        den += w
    return num / np.maximum(den, np.float32(1e-9))


def _contours(alt: F32, step: float = 1000.0) -> npt.NDArray[np.bool_]:
    band = np.floor(alt / step).astype(np.int16)
    edge = np.zeros(alt.shape, bool)
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    return edge


def _grain(h: int, w: int) -> F32:
    """Return a fixed paper grain in -1..1 from a hash of the pixel position (no RNG)."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    fine = np.sin(x * 12.9898 + y * 78.233) * 43758.5453
    fine = fine - np.floor(fine)
    cy, cx = y / 23.0, x / 31.0
    coarse = np.sin(cx * 1.7 + np.sin(cy * 1.3)) * np.cos(cy * 1.1 - np.sin(cx * 0.7))
    return (0.6 * (fine * 2 - 1) + 0.8 * coarse).astype(np.float32)


def _dilate(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    out = mask.copy()
    out[1:, :] |= mask[:-1, :]
    out[:-1, :] |= mask[1:, :]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def _waterlines(water: npt.NDArray[np.bool_], bands: tuple[int, ...]) -> npt.NDArray[np.bool_]:
    """Return water pixels lying at the given distances (in pixels) from the shore."""
    lines = np.zeros(water.shape, bool)
    reached = ~water
    for d in range(1, max(bands) + 1):
        grown = _dilate(reached)
        if d in bands:
            lines |= grown & ~reached & water
        reached = grown
    return lines


def _upsample(a: np.ndarray, h: int, w: int, top: float = 255.0) -> np.ndarray:
    """Return a coarse field ``[h', w']`` or ``[h', w', 3]`` (0..top) resized to ``[h, w, ...]``.

    pygame's smoothscale does the interpolation, on 8-bit channels: ample for colours,
    and for altitudes (``top`` 6,600 m) a step of 26 m, far finer than the contours.
    """
    grey = a.ndim == 2
    rgb = np.repeat(a[..., None], 3, axis=2) if grey else a
    img = np.clip(rgb * (255.0 / top), 0, 255).astype(np.uint8)
    surf = pygame.surfarray.make_surface(np.ascontiguousarray(img.transpose(1, 0, 2)))
    big = pygame.surfarray.array3d(pygame.transform.smoothscale(surf, (w, h))).transpose(1, 0, 2)
    out = big.astype(np.float32) * np.float32(top / 255.0)
    return out[..., 0] if grey else out


def _nearest(gx: F32, gy: F32, pts: np.ndarray) -> tuple[npt.NDArray[np.int16], F32]:
    best = np.full(gx.shape, np.inf, np.float32)
    idx = np.zeros(gx.shape, np.int16)
    for i, (px, py) in enumerate(pts):
        d2 = (gx - np.float32(px)) ** 2 + (gy - np.float32(py)) ** 2
        closer = d2 < best
        best[closer] = d2[closer]
        idx[closer] = i
    return idx, np.sqrt(best)


def build(scn: CompiledScenario, proj: Projection, th: Theatre) -> BaseMap:
    """Return the base map of a scenario (a few tenths of a second for 35 provinces).

    Smooth fields (terrain wash, altitude) are computed on a grid a third as fine and
    interpolated; the province each pixel belongs to is computed at full resolution.
    """
    scale = BASE_PIXELS / max(proj.width, proj.height)
    gx, gy = _grid(proj, scale)
    h, w = gx.shape
    cx, cy = gx[::COARSE, ::COARSE], gy[::COARSE, ::COARSE]
    codes = _water_codes(scn, proj, th, (w, h), scale)
    pts = _province_points(scn, proj)
    colour, _ = _wash(cx, cy, pts, _terrain_colours(scn))
    colour = _upsample(colour, h, w)
    peaks = [p for p in th.peaks if p.points]
    ppts = proj.world_many(np.array([p.points[0] for p in peaks])) if peaks else np.zeros((0, 2))
    alts = np.concatenate([np.asarray(scn.altitude, np.float32), [p.altitude for p in peaks]])
    alt = _upsample(_altitude(cx, cy, np.concatenate([pts, ppts]), alts), h, w, top=6600.0)
    paper = np.array(theme.PARCHMENT, np.float32)
    rgb = paper + (colour - paper) * np.float32(0.62)
    rgb *= (1.0 - np.clip(alt, 0, 5000) / 5000 * 0.10)[..., None]
    rgb[_contours(alt)] = rgb[_contours(alt)] * np.float32(0.86)
    sea, lake, salt = codes == 0, codes == 2, codes == 3
    rgb[sea] = theme.SEA
    rgb[lake] = theme.LAKE
    rgb[salt] = (246, 242, 232)
    rgb[_waterlines(sea, (3, 7, 12, 18, 26))] = theme.SEA_LINE
    rgb[_waterlines(lake, (2, 5))] = theme.SEA_LINE
    rgb += (_grain(h, w) * np.float32(5.0))[..., None]
    nearest, dist = _nearest(gx, gy, pts)
    nearest[(dist > REACH_DEG) | (codes != 1)] = -1
    fade = np.clip((REACH_DEG - dist) / FADE_DEG, 0.0, 1.0).astype(np.float32)
    return BaseMap(np.clip(rgb, 0, 255).astype(np.uint8), nearest, scale, fade)


@cache
def _hatch(shape: tuple[int, int]) -> npt.NDArray[np.bool_]:
    """Return the diagonal hatching drawn over occupied provinces."""
    y, x = np.mgrid[0 : shape[0], 0 : shape[1]]
    return ((x + y) % 9) < 2


def ownership_rgb(
    base: BaseMap, owner: npt.NDArray[np.int8], colours: np.ndarray, home: npt.NDArray[np.int8]
) -> U8:
    """Return the base map washed with each province's owner, borders and occupation hatching.

    Args:
        base: The base map.
        owner: Side holding each province ``[P]``.
        colours: Each side's colour ``[S, 3]``.
        home: Side whose home each province is, or -1 ``[P]``.
    """
    rgb = base.rgb.astype(np.float32)
    near = base.nearest
    land = near >= 0
    own = np.where(land, np.asarray(owner)[np.where(land, near, 0)], -1)
    tint = np.asarray(colours, np.float32)
    a = (base.fade * np.float32(0.24))[..., None]
    for s in range(tint.shape[0]):
        m = own == s
        rgb[m] = rgb[m] * (1 - a[m]) + tint[s] * a[m]
    occupied = land & (np.asarray(home)[np.where(land, near, 0)] >= 0)
    occupied &= own != np.asarray(home)[np.where(land, near, 0)]
    hatch = occupied & _hatch(near.shape) & (base.fade > 0.3)
    for s in range(tint.shape[0]):
        m = hatch & (own == s)
        rgb[m] = rgb[m] * 0.45 + tint[s] * 0.55
    edge = np.zeros(near.shape, bool)
    edge[:, 1:] |= near[:, 1:] != near[:, :-1]
    edge[1:, :] |= near[1:, :] != near[:-1, :]
    edge &= land
    rgb[edge] *= 0.78
    border = np.zeros(near.shape, bool)
    border[:, 1:] |= (own[:, 1:] != own[:, :-1]) & (own[:, 1:] >= 0) & (own[:, :-1] >= 0)
    border[1:, :] |= (own[1:, :] != own[:-1, :]) & (own[1:, :] >= 0) & (own[:-1, :] >= 0)
    border &= base.fade > 0.2
    for s in range(tint.shape[0]):
        m = border & (own == s)
        rgb[m] = rgb[m] * 0.3 + tint[s] * 0.6
    return np.clip(rgb, 0, 255).astype(np.uint8)
