"""Force counters: a side-coloured block with the arm-of-service symbol, men and commander.

Counters follow the conventions of board wargames (and of military map symbols): a box
with a cross for infantry, a diagonal for cavalry, a dot for artillery; militia carry an
'M' and montoneros a diagonal with an 'm'.  Several forces in one province are stacked
with an offset and a badge giving their number.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.codes import ForceKind
from game.ui import theme

W, H = 56, 38
"""Size of one counter in pixels."""
STEP = 5
"""Offset between stacked counters."""


@dataclass(frozen=True)
class CounterInfo:
    """What a counter shows."""

    force: int
    colour: theme.Colour
    accent: theme.Colour
    kind: ForceKind
    men: int
    estimate: bool
    commander: str
    ordered: bool = False


def _symbol(surf: pygame.Surface, box: pygame.Rect, kind: ForceKind, ink: theme.Colour) -> None:
    pygame.draw.rect(surf, theme.PANEL, box)
    pygame.draw.rect(surf, ink, box, 1)
    if kind in (ForceKind.LINE_INFANTRY, ForceKind.MILITIA):
        pygame.draw.line(surf, ink, box.topleft, box.bottomright, 2)
        pygame.draw.line(surf, ink, box.bottomleft, box.topright, 2)
    if kind in (ForceKind.CAVALRY, ForceKind.MONTONEROS):
        pygame.draw.line(surf, ink, box.bottomleft, box.topright, 2)
    if kind == ForceKind.ARTILLERY:
        pygame.draw.circle(surf, ink, box.center, 4)
    if kind in (ForceKind.MILITIA, ForceKind.MONTONEROS):
        tag = theme.render(theme.body(9, bold=True), "M" if kind == ForceKind.MILITIA else "m", ink)
        surf.blit(tag, tag.get_rect(midright=(box.right - 1, box.bottom - 6)))


def surname(name: str) -> str:
    """Return the part of a commander's name shown on a counter."""
    parts = [p for p in name.replace(",", " ").split() if p[:1].isupper()]
    skip = {"General", "Colonel", "Major", "Marshal", "Gran", "Mariscal", "Coronel", "President"}
    parts = [p for p in parts if p not in skip]
    return parts[-1] if parts else name


def draw_counter(
    surf: pygame.Surface, topleft: tuple[int, int], info: CounterInfo, selected: bool
) -> pygame.Rect:
    """Draw one counter; return its rectangle."""
    rect = pygame.Rect(topleft, (W, H))
    shadow = rect.move(2, 2)
    pygame.draw.rect(surf, (60, 48, 32), shadow, border_radius=3)
    pygame.draw.rect(surf, info.colour, rect, border_radius=3)
    pygame.draw.rect(
        surf,
        theme.HIGHLIGHT if selected else theme.INK,
        rect,
        3 if selected else 1,
        border_radius=3,
    )
    _symbol(surf, pygame.Rect(rect.x + 14, rect.y + 4, 28, 15), info.kind, theme.INK)
    men = f"{'~' if info.estimate else ''}{info.men:,}"
    text = theme.render(theme.body(11, bold=True), men, info.accent)
    surf.blit(text, text.get_rect(midbottom=(rect.centerx, rect.bottom - 2)))
    if info.ordered:
        pygame.draw.circle(surf, theme.HIGHLIGHT, (rect.right - 5, rect.y + 5), 4)
        pygame.draw.circle(surf, theme.INK, (rect.right - 5, rect.y + 5), 4, 1)
    return rect


def draw_stack(
    surf: pygame.Surface,
    centre: tuple[float, float],
    infos: list[CounterInfo],
    selected: int | None,
) -> list[tuple[pygame.Rect, int]]:
    """Draw a stack of counters centred above a point; return each counter's rect, top last."""
    if not infos:
        return []
    order = sorted(infos, key=lambda i: (i.force == selected, i.men))
    n = len(order)
    x0 = round(centre[0] - W / 2 - (n - 1) * STEP / 2)
    y0 = round(centre[1] - H - 10 + (n - 1) * STEP / 2)
    out = []
    for i, info in enumerate(order):
        rect = draw_counter(surf, (x0 + i * STEP, y0 - i * STEP), info, info.force == selected)
        out.append((rect, info.force))
    top = order[-1]
    if top.commander:
        font = theme.body_serif(10, italic=True)
        label = theme.render(font, surname(top.commander), theme.INK)
        box = label.get_rect(midtop=(out[-1][0].centerx, out[-1][0].bottom + 1)).inflate(6, 0)
        pygame.draw.rect(surf, theme.PANEL, box, border_radius=3)
        surf.blit(label, label.get_rect(center=box.center))
    if n > 1:
        badge = out[-1][0].topleft
        pygame.draw.circle(surf, theme.INK, badge, 9)
        t = theme.render(theme.body(11, bold=True), str(n), theme.PANEL)
        surf.blit(t, t.get_rect(center=badge))
    return out
