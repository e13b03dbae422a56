"""The map's legend (L, or the Legend button): what shading, hatching, lines and marks mean.

Every sample is drawn with the same functions that draw the map, so the legend cannot
drift from what the map shows.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.codes import ForceKind
from game.ui import theme
from game.ui.mapview.counters import CounterInfo, draw_counter, draw_ghost, draw_stack
from game.ui.mapview.draw import arrow, dashed, dotted, wrap
from game.ui.scene import Scene
from game.ui.widgets.panel import heading, panel, paragraph, text

ROW = 30


class LegendOverlay(Scene):
    """Explains the map's symbols for a scenario's sides; any key or click closes it."""

    overlay = True

    def __init__(self, app: Any, scn: Any) -> None:
        super().__init__(app)
        self.scn = scn

    def handle(self, event: pygame.event.Event) -> None:
        """Close on a key or a click."""
        if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONUP):
            self.close()

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the legend in two columns over the dimmed screen."""
        dim = pygame.Surface(surf.get_size(), pygame.SRCALPHA)
        dim.fill((30, 20, 10, 120))
        surf.blit(dim, (0, 0))
        w, h = surf.get_size()
        rect = pygame.Rect(0, 0, min(w - 40, 940), min(h - 30, 500))
        rect.center = (w // 2, h // 2)
        panel(surf, rect)
        heading(surf, "The map", rect.x + 20, rect.y + 12, rect.w - 40, 24)
        col_w = (rect.w - 60) // 2
        left = pygame.Rect(rect.x + 20, rect.y + 50, col_w, rect.h - 90)
        right = pygame.Rect(left.right + 20, left.y, col_w, left.h)
        self._country(surf, left)
        self._forces(surf, right)
        text(
            surf,
            theme.serif(15, italic=True),
            "Any key or click closes the legend. Tooltips explain every counter, town and road.",
            (rect.centerx, rect.bottom - 10),
            theme.INK_SOFT,
            "midbottom",
        )

    # ------------------------------------------------------------------ samples
    def _row(self, surf: pygame.Surface, x: int, y: int, words: str, width: int) -> None:
        font = theme.body(13)
        lines = len(wrap(font, words, width - 76))
        top = y + 15 - lines * font.get_linesize() // 2
        paragraph(surf, font, words, x + 76, top, width - 76)

    def _country(self, surf: pygame.Surface, r: pygame.Rect) -> None:
        y = heading(surf, "Country and roads", r.x, r.y, r.w, 18) + 2
        for side in self.scn.model.sides:
            c = theme.hex_colour(side.colour)
            box = pygame.Rect(r.x, y + 4, 60, 22)
            pygame.draw.rect(surf, theme.mix(theme.PARCHMENT, c, 0.24), box)
            self._row(surf, r.x, y, f"land held by {side.name}", r.w)
            y += ROW
        home = theme.hex_colour(self.scn.model.sides[0].colour)
        enemy = theme.hex_colour(self.scn.model.sides[-1].colour)
        box = pygame.Rect(r.x, y + 4, 60, 22)
        pygame.draw.rect(surf, theme.mix(theme.PARCHMENT, home, 0.24), box)
        clip = surf.get_clip()
        surf.set_clip(box)
        for i in range(-box.h, box.w, 9):
            pygame.draw.line(surf, enemy, (box.x + i, box.bottom), (box.x + i + box.h, box.y), 2)
        surf.set_clip(clip)
        self._row(surf, r.x, y, "hatched: occupied, held by the enemy (hatch in its colour)", r.w)
        y += ROW
        mid = y + 15
        pygame.draw.line(surf, theme.ROAD, (r.x, mid), (r.x + 60, mid), 4)
        pygame.draw.line(surf, theme.PARCHMENT, (r.x, mid), (r.x + 60, mid), 1)
        self._row(surf, r.x, y, "road", r.w)
        y += ROW
        dashed(surf, theme.ROAD, (r.x, y + 15), (r.x + 60, y + 15), 2, 9, 5)
        self._row(surf, r.x, y, "track", r.w)
        y += ROW
        dotted(surf, theme.ROAD, (r.x, y + 15), (r.x + 60, y + 15), 1, 7)
        self._row(surf, r.x, y, "mule path", r.w)
        y += ROW
        dotted(surf, theme.SEA_LINE, (r.x, y + 15), (r.x + 60, y + 15), 1, 7)
        self._row(surf, r.x, y, "by sea (blue)", r.w)
        y += ROW
        for s in (-1, 1):
            cx, cy = r.x + 30 + s * 14, y + 15
            pygame.draw.polygon(
                surf, theme.INK_SOFT, [(cx - 5, cy + 4), (cx, cy - 5), (cx + 5, cy + 4)], 1
            )
        self._row(surf, r.x, y, "a mountain pass on the way", r.w)
        y += ROW
        box = pygame.Rect(0, 0, 22, 16)
        box.center = (r.x + 30, y + 15)
        pygame.draw.ellipse(surf, theme.PANEL, box)
        pygame.draw.ellipse(surf, theme.ROAD, box, 1)
        text(surf, theme.body(11, bold=True), "4", box.center, theme.ROAD, "center")
        self._row(surf, r.x, y, "days' march for foot soldiers", r.w)
        y += ROW
        pygame.draw.circle(surf, theme.INK, (r.x + 18, y + 15), 8, 2)
        pygame.draw.circle(surf, theme.INK, (r.x + 18, y + 15), 3)
        pygame.draw.circle(surf, theme.PANEL, (r.x + 46, y + 15), 5)
        pygame.draw.circle(surf, theme.INK, (r.x + 46, y + 15), 5, 1)
        pygame.draw.rect(surf, theme.INK, pygame.Rect(r.x + 53, y + 3, 7, 7), 1)
        self._row(surf, r.x, y, "capital, town, fortified town", r.w)

    def _forces(self, surf: pygame.Surface, r: pygame.Rect) -> None:
        y = heading(surf, "Forces and orders", r.x, r.y, r.w, 18) + 2
        side = self.scn.model.sides[0]
        col, acc = theme.hex_colour(side.colour), theme.hex_colour(side.accent)
        kinds = (
            (ForceKind.LINE_INFANTRY, "infantry"),
            (ForceKind.CAVALRY, "cavalry"),
            (ForceKind.ARTILLERY, "artillery"),
            (ForceKind.MILITIA, "militia (M)"),
            (ForceKind.MONTONEROS, "montoneros (m)"),
        )
        x = r.x
        for i, (kind, _) in enumerate(kinds):
            draw_counter(
                surf, (x + i * 62, y), CounterInfo(-1 - i, col, acc, kind, 900, False, ""), False
            )
        y += 44
        text(surf, theme.body(12), ", ".join(n for _, n in kinds), (r.x, y), theme.INK_SOFT)
        y += 22
        enemy = self.scn.model.sides[-1]
        ecol, eacc = theme.hex_colour(enemy.colour), theme.hex_colour(enemy.accent)
        infos = [
            CounterInfo(-10 - i, ecol, eacc, ForceKind.LINE_INFANTRY, m, True, "")
            for i, m in enumerate((650, 1200, 2100))
        ]
        draw_stack(surf, (r.x, y), infos, None)
        self._row(
            surf, r.x, y, "a stack of 3: the top counter gives all its men; ~ an estimate", r.w
        )
        y += 58
        draw_ghost(surf, (r.x, y), CounterInfo(-20, ecol, eacc, ForceKind.CAVALRY, 400, True, ""))
        self._row(surf, r.x, y, "faded ?: out of sight, where last seen", r.w)
        y += 46
        draw_counter(
            surf,
            (r.x, y),
            CounterInfo(-21, col, acc, ForceKind.LINE_INFANTRY, 1500, False, "", True),
            False,
        )
        self._row(surf, r.x, y, "yellow dot: has its orders this turn", r.w)
        y += 46
        pygame.draw.circle(surf, theme.HIGHLIGHT, (r.x + 14, y + 14), 11, 3)
        pygame.draw.circle(surf, theme.ATTACK, (r.x + 46, y + 14), 11, 3)
        self._row(surf, r.x, y, "where the selected force may march / attack", r.w)
        y += ROW + 4
        arrow(surf, theme.ROAD, (r.x, y + 12), (r.x + 34, y + 12), 3, 12)
        arrow(surf, theme.ATTACK, (r.x + 36, y + 12), (r.x + 64, y + 12), 3, 12)
        self._row(surf, r.x, y, "orders given: march, attack (thick: forced)", r.w)
        y += ROW
        pygame.draw.line(surf, theme.INK_SOFT, (r.x + 10, y + 4), (r.x + 40, y + 24), 1)
        self._row(surf, r.x, y, "a thin line ties a stack moved aside to its town", r.w)
