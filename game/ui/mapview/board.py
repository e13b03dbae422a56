"""The board: the map with counters, lit destinations and order arrows on top.

Shared by the campaign and the replay.  What to show (which forces, with what men) is
decided by the caller from its fog of war; the board only draws and hit-tests.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pygame

from game.codes import NONE, ForceKind, OrderKind
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario
from game.ui import theme
from game.ui.mapview.counters import (
    CounterInfo,
    H,
    W,
    draw_counter,
    draw_ghost,
    draw_stack,
    stack_size,
)
from game.ui.mapview.draw import arrow, dashed
from game.ui.mapview.layers import MapArt
from game.ui.mapview.placing import LIFT_PX, Item, place
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


@dataclass(frozen=True)
class Stack:
    """A stack as drawn: a side's forces standing in a province, and its top counter."""

    province: int
    side: int
    forces: tuple[int, ...]
    top: pygame.Rect
    men: int
    """The men its top counter shows: the whole stack's, as the viewer knows them."""


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
        """Every counter drawn last frame with its force, the topmost last."""
        self.stacks: list[Stack] = []
        """The stacks drawn last frame."""
        self.ghost_rects: list[tuple[pygame.Rect, int]] = []
        """Faded counters of enemy forces out of sight, with their force."""
        self._placed: dict[Hashable, pygame.Rect] = {}
        self._placed_key: object = None
        a, b = np.nonzero(np.triu(np.isfinite(scn.link_days), 1))
        self.links = np.stack([a, b], axis=1)
        self.link_mid = (self.art.points[a] + self.art.points[b]) / 2

    def force_at(self, pos: tuple[int, int]) -> int | None:
        """Return the force whose counter is under a position (the top one)."""
        for rect, f in reversed(self.counters):
            if rect.collidepoint(pos):
                return f
        return None

    def stack_at(self, pos: tuple[int, int]) -> Stack | None:
        """Return the stack of two or more whose top counter is under a position, if any."""
        if self.force_at(pos) is None:
            return None
        for stack in reversed(self.stacks):
            if len(stack.forces) > 1 and stack.top.collidepoint(pos):
                return stack
        return None

    def ghost_at(self, pos: tuple[int, int]) -> int | None:
        """Return the force whose faded last-seen counter is under a position, if any."""
        if self.force_at(pos) is not None:
            return None
        for rect, f in reversed(self.ghost_rects):
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
        ghosts: Sequence[tuple[int, CounterInfo]] = (),
    ) -> None:
        """Draw the map, the marks, the counters and the ghosts of forces out of sight.

        Args:
            surf: The screen.
            st: The state shown (where each force stands or marches).
            infos: The counters to draw.
            marks: Selection, lit destinations, route, orders, battle ring.
            ghosts: Enemy forces out of sight, each with the province it was last seen in.
        """
        view = self.view
        view.draw_base(surf, st.owner[0])
        clip = surf.get_clip()
        surf.set_clip(view.rect)
        self._targets(surf, marks)
        self._orders(surf, st, marks)
        self.counters, self.stacks, self.ghost_rects = [], [], []
        stacks: dict[tuple[int, int], list[CounterInfo]] = {}
        for info in infos:
            f = info.force
            if int(st.nxt[0, f]) != NONE:
                self._marching(surf, st, info, marks.selected)
            else:
                key = (int(st.loc[0, f]), int(self.scn.force_side[f]))
                stacks.setdefault(key, []).append(info)
        spots = self._layout(stacks, ghosts, marks.selected)
        for (p, side), group in stacks.items():
            spot = spots[(p, side)]
            self._tie(surf, p, spot)
            men = sum(i.men for i in group)
            drawn = draw_stack(surf, spot.topleft, group, marks.selected, men)
            self.counters += drawn
            self.stacks.append(Stack(p, side, tuple(i.force for i in group), drawn[-1][0], men))
        for i, (p, info) in enumerate(ghosts):
            spot = spots[("ghost", i)]
            self._tie(surf, p, spot)
            self.ghost_rects.append((draw_ghost(surf, spot.topleft, info), info.force))
        surf.set_clip(clip)

    def _layout(
        self,
        stacks: dict[tuple[int, int], list[CounterInfo]],
        ghosts: Sequence[tuple[int, CounterInfo]],
        selected: int | None,
    ) -> dict[Hashable, pygame.Rect]:
        """Place the stacks (the selected force's first, then north to south), then ghosts.

        Placed relative to the world's origin on screen, so that panning reuses the layout.
        """
        cam = self.view.camera
        tx, ty = round(self.view.rect.x + cam.ox), round(self.view.rect.y + cam.oy)
        fixed = [r.move(-tx, -ty) for r, _ in self.counters]
        key = (
            round(cam.scale, 4),
            tuple((k, tuple(i.force for i in g)) for k, g in stacks.items()),
            tuple((p, g.force) for p, g in ghosts),
            selected,
            tuple((r.x // 4, r.y // 4) for r in fixed),
        )
        if key != self._placed_key:
            pts = [(float(x), float(y)) for x, y in self.art.points * cam.scale]
            has_selected = {k: selected in {i.force for i in g} for k, g in stacks.items()}
            order = sorted(stacks, key=lambda k: (not has_selected[k], pts[k[0]][1], k))
            items = [Item(k, pts[k[0]], stack_size(len(stacks[k]))) for k in order]
            items += [Item(("ghost", i), pts[p], (W, H)) for i, (p, _) in enumerate(ghosts)]
            self._placed = place(items, pts, fixed)
            self._placed_key = key
        return {k: r.move(tx, ty) for k, r in self._placed.items()}

    def _tie(self, surf: pygame.Surface, p: int, spot: pygame.Rect) -> None:
        """Draw a thin line from a stack moved off its town back to the town."""
        x, y = self.view.screen_of(p)
        if abs(spot.centerx - x) <= 2 and abs(spot.bottom - (y - LIFT_PX)) <= 2:
            return
        foot = (min(max(x, spot.left + 4), spot.right - 4), min(max(y, spot.top), spot.bottom))
        pygame.draw.line(surf, theme.INK, (x, y), foot, 2)
        pygame.draw.circle(surf, theme.INK, (round(x), round(y)), 3)

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
            if kind == OrderKind.JOIN:  # a join names a force: it goes where that one stands
                g = target
                target = int(st.nxt[0, g]) if int(st.nxt[0, g]) != NONE else int(st.loc[0, g])
                if target in (NONE, here):
                    continue
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
