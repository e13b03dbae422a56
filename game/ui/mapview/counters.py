"""Force counters: a side-coloured block with the arm-of-service symbol, men and commander.

Counters follow the conventions of board wargames (and of military map symbols): a box
with a cross for infantry, a diagonal for cavalry, a dot for artillery; militia carry an
'M' and montoneros a diagonal with an 'm'.  Several forces in one province are stacked
with an offset and a badge giving their number; the top counter then gives the men of
the whole stack.  An enemy force out of sight is drawn faded, with a question mark,
where it was last seen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pygame

from game.codes import ForceKind
from game.ui import theme

W, H = 56, 38
"""Size of one counter in pixels."""
STEP = 5
"""Offset between stacked counters."""
DEPTH = 4
"""Layers a stack shows at most (the badge gives how many forces it holds)."""


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


def stack_size(n: int) -> tuple[int, int]:
    """Return the footprint of a stack of n counters, with its commander's name under it."""
    k = min(n, DEPTH)
    return W + (k - 1) * STEP, max(H + (k - 1) * STEP, H + 15)


def draw_stack(
    surf: pygame.Surface,
    topleft: tuple[int, int],
    infos: list[CounterInfo],
    selected: int | None,
    total: int | None = None,
) -> list[tuple[pygame.Rect, int]]:
    """Draw a stack of counters in its footprint; return each counter's rect, top last.

    The top counter of a stack of two or more shows the men of the whole stack (the
    badge gives how many forces it holds): that is the number a player reads, and the
    number the odds panel fights with.  The side panel and tooltips give each force's.
    """
    if not infos:
        return []
    order = sorted(infos, key=lambda i: (i.force == selected, i.men))
    n = len(order)
    k = min(n, DEPTH)
    x0, y0 = topleft[0], topleft[1] + (k - 1) * STEP
    out = []
    for i, info in enumerate(order):
        if i == n - 1 and n > 1:
            info = replace(info, men=sum(c.men for c in order) if total is None else total)
        layer = max(i - (n - k), 0)
        pos = (x0 + layer * STEP, y0 - layer * STEP)
        rect = draw_counter(surf, pos, info, info.force == selected)
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


def draw_ghost(surf: pygame.Surface, topleft: tuple[int, int], info: CounterInfo) -> pygame.Rect:
    """Draw a faded counter for an enemy force out of sight, where it was last seen."""
    rect = pygame.Rect(topleft, (W, H))
    layer = pygame.Surface((W + 2, H + 2), pygame.SRCALPHA)
    draw_counter(layer, (0, 0), replace(info, estimate=False), False)
    layer.set_alpha(110)
    surf.blit(layer, rect.topleft)
    pygame.draw.rect(surf, theme.INK_SOFT, rect, 1, border_radius=3)
    q = theme.render(theme.body(14, bold=True), "?", theme.INK)
    surf.blit(q, q.get_rect(topright=(rect.right - 3, rect.y + 1)))
    return rect
