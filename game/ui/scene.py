"""Scenes: one screen of the interface each (start, campaign, results, replay, end).

A scene handles events, updates and draws itself.  The :class:`~game.ui.app.App` keeps a
stack of them: the top scene gets the events; overlays (help, message boxes, hand-over,
the turn's results) are drawn over the scenes beneath them.  A scene that holds a game
(the campaign, the replay) exposes it, so later screens such as "take command from here"
can be pushed on top and handed that exact state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from game.ui.app import App


class Scene:
    """Base class of every screen; subclasses override what they need."""

    overlay = False
    """Whether the scenes beneath are drawn first (a dialog over the map)."""

    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def size(self) -> tuple[int, int]:
        """The window's size."""
        return self.app.screen.get_size()

    def handle(self, event: pygame.event.Event) -> None:
        """React to one event."""

    def update(self, dt: float) -> None:
        """Advance by dt seconds (animations, timers)."""

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the scene."""

    def resize(self, size: tuple[int, int]) -> None:
        """Lay the scene out again for a new window size."""

    def shutdown(self) -> None:
        """Keep what must not be lost: the window is closing (or Ctrl-C was pressed)."""

    def close(self) -> None:
        """Remove this scene from the stack."""
        self.app.remove(self)
