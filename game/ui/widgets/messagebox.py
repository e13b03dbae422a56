"""Message boxes over the current screen: notices, errors a player caused, confirmations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.ui import theme
from game.ui.scene import Scene
from game.ui.widgets.button import Button
from game.ui.widgets.panel import heading, panel, paragraph

if TYPE_CHECKING:
    from game.ui.app import App


class MessageBox(Scene):
    """A modal notice with an OK button (Enter or Escape also close it)."""

    overlay = True

    def __init__(self, app: App, title: str, text: str) -> None:
        super().__init__(app)
        self.title, self.text = title, text
        self.ok = Button(pygame.Rect(0, 0, 120, 36), "OK", self.close)
        self.resize(self.size)

    def resize(self, size: tuple[int, int]) -> None:
        """Centre the box."""
        self.rect = pygame.Rect(0, 0, 560, 240)
        self.rect.center = (size[0] // 2, size[1] // 2)
        self.ok.rect.midbottom = (self.rect.centerx, self.rect.bottom - 16)

    def handle(self, event: pygame.event.Event) -> None:
        """Close on OK, Enter or Escape."""
        if event.type == pygame.KEYDOWN and event.key in (
            pygame.K_RETURN,
            pygame.K_ESCAPE,
            pygame.K_KP_ENTER,
        ):
            self.close()
            return
        self.ok.handle(event)

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the box over a dimmed screen."""
        dim = pygame.Surface(surf.get_size(), pygame.SRCALPHA)
        dim.fill((30, 20, 10, 110))
        surf.blit(dim, (0, 0))
        panel(surf, self.rect)
        y = heading(surf, self.title, self.rect.x + 20, self.rect.y + 16, self.rect.w - 40, 24)
        paragraph(
            surf,
            theme.body(15),
            self.text,
            self.rect.x + 20,
            y + 8,
            self.rect.w - 40,
            max_y=self.ok.rect.y - 6,
        )
        self.ok.draw(surf)


class ConfirmBox(MessageBox):
    """Asks before a step that cannot simply be clicked away: Enter confirms, Esc cancels."""

    def __init__(
        self, app: App, title: str, text: str, yes_label: str, on_yes: Callable[[], None]
    ) -> None:
        self.on_yes = on_yes
        self.yes = Button(pygame.Rect(0, 0, 180, 36), yes_label, self.confirm)
        super().__init__(app, title, text)
        self.ok.label = "Cancel"

    def resize(self, size: tuple[int, int]) -> None:
        """Centre the box, the confirming button beside Cancel."""
        super().resize(size)
        self.yes.rect.bottomright = (self.rect.centerx - 6, self.rect.bottom - 16)
        self.ok.rect.bottomleft = (self.rect.centerx + 6, self.rect.bottom - 16)

    def confirm(self) -> None:
        """Close and do what was asked."""
        self.close()
        self.on_yes()

    def handle(self, event: pygame.event.Event) -> None:
        """Enter confirms; Escape or Cancel close without doing anything."""
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.confirm()
            return
        if not self.yes.handle(event):
            super().handle(event)

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the box and both buttons."""
        super().draw(surf)
        self.yes.draw(surf)
