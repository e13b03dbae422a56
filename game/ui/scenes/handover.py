"""The hand-over screen of a hot-seat game: hides the map while the players change places."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.app import App
from game.ui.scene import Scene
from game.ui.widgets.button import Button
from game.ui.widgets.panel import panel, text


class HandoverScene(Scene):
    """Covers the screen until the next player clicks or presses a key."""

    def __init__(self, app: App, side_name: str) -> None:
        super().__init__(app)
        self.side_name = side_name
        self.button = Button(pygame.Rect(0, 0, 220, 44), "I am ready", self.close, size=20)
        self.resize(self.size)

    def resize(self, size: tuple[int, int]) -> None:
        """Centre the button."""
        self.button.rect.center = (size[0] // 2, size[1] // 2 + 80)

    def handle(self, event: pygame.event.Event) -> None:
        """Close on the button, Enter or Space."""
        if event.type == pygame.KEYDOWN and event.key in (
            pygame.K_RETURN,
            pygame.K_SPACE,
            pygame.K_KP_ENTER,
        ):
            self.close()
            return
        self.button.handle(event)

    def draw(self, surf: pygame.Surface) -> None:
        """Draw a curtain with the name of the side to play."""
        surf.fill((70, 48, 32))
        w, h = surf.get_size()
        rect = pygame.Rect(0, 0, 640, 260)
        rect.center = (w // 2, h // 2)
        panel(surf, rect)
        text(
            surf,
            theme.title(34),
            f"{self.side_name} to command",
            (rect.centerx, rect.y + 40),
            anchor="midtop",
        )
        text(
            surf,
            theme.serif(20, italic=True),
            "Pass the seat to the other player; the map stays hidden until they are ready.",
            (rect.centerx, rect.y + 100),
            theme.INK_SOFT,
            "midtop",
        )
        self.button.draw(surf)
