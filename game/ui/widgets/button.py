"""A push button with a label, a tooltip and an optional hot key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from game.ui import theme


@dataclass
class Button:
    """A clickable button; ``action`` runs on a left click when enabled."""

    rect: pygame.Rect
    label: str
    action: Callable[[], None]
    tooltip: str = ""
    enabled: bool = True
    selected: bool = False
    size: int = 17
    hover: bool = field(default=False, init=False)

    def handle(self, event: pygame.event.Event) -> bool:
        """Run the action on a click inside; return whether the event was used."""
        if event.type == pygame.MOUSEMOTION:
            self.hover = self.rect.collidepoint(event.pos)
        if (
            event.type == pygame.MOUSEBUTTONUP
            and event.button == 1
            and self.rect.collidepoint(event.pos)
        ):
            if self.enabled:
                self.action()
            return True
        return (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.rect.collidepoint(event.pos)
        )

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the button."""
        if not self.enabled:
            fill = theme.BUTTON_OFF
        elif self.selected:
            fill = theme.GOOD
        else:
            fill = theme.BUTTON_HOVER if self.hover else theme.BUTTON
        pygame.draw.rect(surf, (70, 50, 30), self.rect.move(2, 2), border_radius=5)
        pygame.draw.rect(surf, fill, self.rect, border_radius=5)
        pygame.draw.rect(surf, theme.INK, self.rect, 1, border_radius=5)
        text = theme.render(theme.title(self.size), self.label, theme.BUTTON_TEXT)
        surf.blit(text, text.get_rect(center=self.rect.center))


def handle_all(buttons: list[Button], event: pygame.event.Event) -> bool:
    """Offer an event to buttons in turn; return whether one used it."""
    return any(b.handle(event) for b in buttons)


def tooltip_of(buttons: list[Button], pos: tuple[int, int]) -> str:
    """Return the tooltip of the button under a position, if any."""
    for b in buttons:
        if b.rect.collidepoint(pos) and b.tooltip:
            return b.tooltip
    return ""
