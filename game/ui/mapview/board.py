"""The board: the map with counters, lit destinations and order arrows on top.

Shared by the campaign and the replay.  What to show (which forces, with what men) is
decided by the caller from its fog of war; the board only draws and hit-tests.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pygame

from game.codes import NONE, ForceKind, OrderKind
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario
from game.ui import theme
from game.ui.mapview.counters import CounterInfo, draw_counter, draw_stack
from game.ui.mapview.draw import arrow, dashed
from game.ui.mapview.layers import MapArt
from game.ui.mapview.view import MapView

MARCH_W, MARCH_H = 40, 26


@dataclass
class Marks:
    """What to draw over the map this frame besides the counters."""

    selected: int | None = None
    targets: dict[int, bool] = field(default_factory=dict)
    """Lit destinations: province -> True if it would be an attack."""
    hover: int | None = None
    route: list[int] = field(default_factory=list)
    orders: dict[int, tuple[OrderKind, int]] = field(default_factory=dict)
    flash: int | None = None
    """A province to ring (the battle being reported)."""


def counter_info(
    scn: CompiledScenario, st: CampaignState, f: int, men: int, estimate: bool, ordered: bool
) -> CounterInfo:
    """Return what a force's counter shows."""
    side = scn.model.sides[int(scn.force_side[f])]
    c = int(st.commander[0, f])
    return CounterInfo(
        force=f,
        colour=theme.hex_colour(side.colour),
        accent=theme.hex_colour(side.accent),
        kind=ForceKind(int(scn.kind[f])),
        men=men,
        estimate=estimate,
        commander=scn.commander_name(c) if c != NONE else "",
        ordered=ordered,
    )


class Board:
    """Map view plus counters for one scenario."""

    def __init__(self, scn: CompiledScenario, rect: pygame.Rect) -> None:
        self.scn = scn
        self.art = MapArt(scn)
        self.view = MapView(self.art, rect)
        self.counters: list[tuple[pygame.Rect, int]] = []
        a, b = np.nonzero(np.triu(np.isfinite(scn.link_days), 1))
        self.links = np.stack([a, b], axis=1)
        self.link_mid = (self.art.points[a] + self.art.points[b]) / 2

    def force_at(self, pos: tuple[int, int]) -> int | None:
        """Return the force whose counter is under a position (the top one)."""
        for rect, f in reversed(self.counters):
            if rect.collidepoint(pos):
                return f
        return None

    def link_at(self, pos: tuple[int, int]) -> tuple[int, int] | None:
        """Return the link whose march-days label is under a position, if any."""
        if not len(self.links):
            return None
        cam = self.view.camera
        wx, wy = cam.to_world(pos[0] - self.view.rect.x, pos[1] - self.view.rect.y)
        d = np.hypot(self.link_mid[:, 0] - wx, self.link_mid[:, 1] - wy) * cam.scale
        i = int(np.argmin(d))
        return (int(self.links[i, 0]), int(self.links[i, 1])) if d[i] < 10 else None

    def draw(
        self,
        surf: pygame.Surface,
        st: CampaignState,
        infos: list[CounterInfo],
        marks: Marks,
    ) -> None:
        """Draw the map, the marks and the counters."""
        view = self.view
        view.draw_base(surf, st.owner[0])
        clip = surf.get_clip()
        surf.set_clip(view.rect)
        self._targets(surf, marks)
        self._orders(surf, st, marks)
        self.counters = []
        stacks: dict[int, list[CounterInfo]] = {}
        for info in infos:
            f = info.force
            if int(st.nxt[0, f]) != NONE:
                self._marching(surf, st, info, marks.selected)
            else:
                stacks.setdefault(int(st.loc[0, f]), []).append(info)
        for p, group in stacks.items():
            self.counters += draw_stack(surf, view.screen_of(p), group, marks.selected)
        surf.set_clip(clip)

    def _targets(self, surf: pygame.Surface, marks: Marks) -> None:
        view = self.view
        if marks.route and marks.selected is not None:
            pts = [view.screen_of(p) for p in marks.route]
            for a, b in itertools.pairwise(pts):
                dashed(surf, theme.HIGHLIGHT, a, b, 4, 10, 6)
        for p, attack in marks.targets.items():
            c = view.screen_of(p)
            colour = theme.ATTACK if attack else theme.HIGHLIGHT
            pygame.draw.circle(surf, colour, c, 14 if p == marks.hover else 11, 3)
        if marks.flash is not None:
            c = view.screen_of(marks.flash)
            pygame.draw.circle(surf, theme.ATTACK, c, 30, 4)
            pygame.draw.circle(surf, theme.HIGHLIGHT, c, 36, 2)

    def _orders(self, surf: pygame.Surface, st: CampaignState, marks: Marks) -> None:
        view = self.view
        for f, (kind, target) in marks.orders.items():
            if target == NONE:
                continue
            here = int(st.nxt[0, f]) if int(st.nxt[0, f]) != NONE else int(st.loc[0, f])
            hop = int(self.scn.next_hop[here, target]) if here != target else target
            a = view.screen_of(here)
            b = view.screen_of(hop if hop != NONE else target)
            colour = theme.ATTACK if kind == OrderKind.ATTACK else theme.ROAD
            arrow(surf, colour, a, b, 5 if kind == OrderKind.FORCED_MARCH else 3, 16)
            if hop not in (target, NONE):
                dashed(surf, colour, b, view.screen_of(target), 2, 6, 6)

    def _marching(
        self, surf: pygame.Surface, st: CampaignState, info: CounterInfo, selected: int | None
    ) -> None:
        f = info.force
        a, b = int(st.loc[0, f]), int(st.nxt[0, f])
        days = float(self.scn.link_days[a, b])
        t = (
            min(max(float(st.progress[0, f]) / days, 0.1), 0.9)
            if np.isfinite(days) and days > 0
            else 0.5
        )
        x, y = self.view.screen_between(a, b, t)
        rect = draw_counter(surf, (round(x - 28), round(y - 19)), info, info.force == selected)
        self.counters.append((rect, f))
