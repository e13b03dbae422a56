"""Geography for drawing: the projection and the shipped outlines of the theatre.

Scenarios give provinces as latitude, longitude and altitude but no coastline.  The coast,
lakes, rivers and peaks come from ``assets/map/theatre.json`` (hand-digitised, public
domain); they are drawn only where they fall inside the scenario's frame, so an invented
scenario elsewhere simply shows no sea.  The projection is equirectangular, corrected by
the cosine of the frame's middle latitude, which is true enough over a few hundred miles.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from game.paths import assets_dir
from game.scenario.compile import CompiledScenario

LatLon = tuple[float, float]
MARGIN_DEG = 0.9
"""Degrees of country shown around the outermost provinces."""


@dataclass(frozen=True)
class Named:
    """A named outline, line or point from the theatre data."""

    name: str
    points: tuple[LatLon, ...]
    label: LatLon | None = None
    altitude: float = 0.0


@dataclass(frozen=True)
class Theatre:
    """The shipped outlines: coast (north to south, land to the east), lakes and the rest."""

    coast: tuple[LatLon, ...] = ()
    lakes: tuple[Named, ...] = ()
    salt_flats: tuple[Named, ...] = ()
    rivers: tuple[Named, ...] = ()
    peaks: tuple[Named, ...] = ()
    seas: tuple[Named, ...] = field(default_factory=tuple)


def _named(items: list[dict[str, Any]], key: str) -> tuple[Named, ...]:
    out = []
    for it in items:
        pts = tuple((float(a), float(b)) for a, b in it.get(key, []))
        lab = tuple(it["label"]) if "label" in it else None
        out.append(Named(str(it["name"]), pts, lab, float(it.get("altitude", 0.0))))  # type: ignore[arg-type]
    return tuple(out)


@cache
def theatre() -> Theatre:
    """Return the shipped outlines (an empty theatre if the file is missing)."""
    path = assets_dir() / "map" / "theatre.json"
    if not path.exists():
        return Theatre()
    data = json.loads(path.read_text(encoding="utf-8"))
    peaks = tuple(
        Named(p["name"], ((p["lat"], p["lon"]),), None, float(p["altitude"]))
        for p in data.get("peaks", [])
    )
    seas = tuple(Named(s["name"], (), tuple(s["label"])) for s in data.get("seas", []))  # type: ignore[arg-type]
    return Theatre(
        coast=tuple((float(a), float(b)) for a, b in data.get("coast", [])),
        lakes=_named(data.get("lakes", []), "outline"),
        salt_flats=_named(data.get("salt_flats", []), "outline"),
        rivers=_named(data.get("rivers", []), "line"),
        peaks=peaks,
        seas=seas,
    )


@dataclass(frozen=True)
class Projection:
    """Maps latitude and longitude to 'world' units and back.

    World x grows east, y grows south; one unit is one degree of latitude.  The frame is
    the scenario's provinces plus a margin.
    """

    lat0: float
    kx: float
    x0: float
    y0: float
    width: float
    height: float

    @classmethod
    def for_scenario(cls, scn: CompiledScenario, margin: float = MARGIN_DEG) -> Projection:
        """Return the projection framing a scenario's provinces."""
        lat, lon = np.asarray(scn.lat), np.asarray(scn.lon)
        lat0 = float((lat.min() + lat.max()) / 2)
        kx = math.cos(math.radians(lat0))
        x0 = float(lon.min()) * kx - margin
        y0 = -float(lat.max()) - margin
        width = float(lon.max() - lon.min()) * kx + 2 * margin
        height = float(lat.max() - lat.min()) + 2 * margin
        return cls(lat0, kx, x0, y0, max(width, 1.0), max(height, 1.0))

    def world(self, lat: float, lon: float) -> tuple[float, float]:
        """Return the world position of a latitude and longitude."""
        return lon * self.kx - self.x0, -lat - self.y0

    def world_many(self, pts: np.ndarray) -> np.ndarray:
        """Return world positions ``[n, 2]`` of ``[n, 2]`` (lat, lon) points."""
        p = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
        return np.stack([p[:, 1] * self.kx - self.x0, -p[:, 0] - self.y0], axis=1)

    def latlon(self, x: float, y: float) -> LatLon:
        """Return the latitude and longitude of a world position."""
        return -(y + self.y0), (x + self.x0) / self.kx


def land_polygon(proj: Projection, coast: tuple[LatLon, ...]) -> np.ndarray | None:
    """Return the land east of the coast as a world polygon, or None if the coast is off frame.

    The coast runs north to south; the polygon closes it far to the east.
    """
    if len(coast) < 2:
        return None
    pts = proj.world_many(np.array(coast))
    inside = (pts[:, 0] > -proj.width) & (pts[:, 0] < 2 * proj.width)
    inside &= (pts[:, 1] > -proj.height) & (pts[:, 1] < 2 * proj.height)
    if not inside.any():
        return None
    far = 10.0 * (proj.width + proj.height)
    first, last = pts[0], pts[-1]
    closing = np.array([[far, last[1]], [far, first[1]]])
    if first[1] > 0 or last[1] < proj.height:
        # the coast data does not span the frame north to south: no sea is drawn
        return None
    return np.concatenate([pts, closing])
