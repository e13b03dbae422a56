"""The load dialog: pick a saved game; a damaged or foreign save is refused with a message."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.errors import IngaviError
from game.ui import theme
from game.ui.ai_levels import PolicyFactory
from game.ui.app import App
from game.ui.layout import fit
from game.ui.scene import Scene
from game.ui.storage import list_saves
from game.ui.widgets.button import Button
from game.ui.widgets.panel import heading, panel, text

ROW_H = 28


def open_saved(app: App, path: Path, factory: PolicyFactory | None = None) -> bool:
    """Load a save and open its campaign; on failure show why and change nothing."""
    from game.ui.launch import session_from_save
    from game.ui.scenes.campaign import open_campaign

    try:
        session = session_from_save(path, factory)
    except IngaviError as exc:
        app.message(str(exc), "Cannot load this save")
        return False
    open_campaign(app, session)
    return True


class LoadScene(Scene):
    """Lists the saves, newest first; click one to load it."""

    overlay = True

    def __init__(self, app: App, factory: PolicyFactory | None = None) -> None:
        super().__init__(app)
        self.factory = factory
        self.saves = list_saves()
        self.scroll = 0
        self.mouse = (0, 0)
        self.cancel = Button(pygame.Rect(0, 0, 120, 34), "Cancel", self.close)
        self.resize(self.size)

    def resize(self, size: tuple[int, int]) -> None:
        """Centre the dialog."""
        self.rect = pygame.Rect(0, 0, min(820, size[0] - 60), min(460, size[1] - 40))
        self.rect.center = (size[0] // 2, size[1] // 2)
        self.cancel.rect.bottomright = (self.rect.right - 16, self.rect.bottom - 14)

    def row_rect(self, i: int) -> pygame.Rect:
        """Return the rectangle of the i-th listed save."""
        return pygame.Rect(
            self.rect.x + 20,
            self.rect.y + 60 + (i - self.scroll) * ROW_H,
            self.rect.w - 40,
            ROW_H - 2,
        )

    def handle(self, event: pygame.event.Event) -> None:
        """Pick, scroll or cancel."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.close()
            return
        if self.cancel.handle(event):
            return
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        if event.type == pygame.MOUSEWHEEL:
            self.scroll = min(max(self.scroll - event.y, 0), max(len(self.saves) - 10, 0))
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            for i, entry in enumerate(self.saves):
                if self.row_rect(i).collidepoint(event.pos) and self.scroll <= i < self.scroll + 11:
                    app = self.app
                    self.close()
                    open_saved(app, entry.path, self.factory)
                    return

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the list."""
        panel(surf, self.rect)
        heading(surf, "Load a saved game", self.rect.x + 20, self.rect.y + 14, self.rect.w - 40, 24)
        if not self.saves:
            text(
                surf,
                theme.serif(18, italic=True),
                "No saved games yet.",
                (self.rect.x + 24, self.rect.y + 70),
                theme.INK_SOFT,
            )
        mouse = self.mouse
        for i, entry in enumerate(self.saves[self.scroll : self.scroll + 11], start=self.scroll):
            r = self.row_rect(i)
            if r.collidepoint(mouse):
                pygame.draw.rect(surf, theme.PARCHMENT_DARK, r)
            font = theme.body(14)
            detail = theme.body(11)
            room = r.w - 12 - detail.size(entry.detail)[0] - 16
            text(surf, font, fit(font, entry.label, room), (r.x + 6, r.y + 5))
            text(surf, detail, entry.detail, (r.right - 6, r.y + 8), theme.INK_SOFT, "topright")
        self.cancel.draw(surf)
