"""A one-line text field: click to type, Enter to keep, Escape to give up."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui import theme
from game.ui.widgets.panel import text


@dataclass
class TextField:
    """An editable line of text (or of digits), drawn as a white box with a caret.

    Attributes:
        rect: Where it is drawn.
        value: The text kept (what the field shows when not being typed in).
        digits: Accept digits only (a number of men).
        max_len: The longest text accepted.
        focus: Whether keys go to it.
        typed: The text being typed, kept only on Enter (or a click elsewhere).
    """

    rect: pygame.Rect
    value: str = ""
    digits: bool = False
    max_len: int = 60
    focus: bool = False
    typed: str = ""

    def start(self) -> None:
        """Take the keys, starting from the current value."""
        self.focus, self.typed = True, self.value

    def key(self, event: pygame.event.Event) -> str | None:
        """Handle a key while focused; return 'commit', 'cancel' or None."""
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_TAB):
            self.value, self.focus = self.typed, False
            return "commit"
        if event.key == pygame.K_ESCAPE:
            self.focus = False
            return "cancel"
        if event.key == pygame.K_BACKSPACE:
            self.typed = self.typed[:-1]
        elif (
            event.unicode
            and event.unicode.isprintable()
            and len(self.typed) < self.max_len
            and (not self.digits or event.unicode.isdigit())
        ):
            self.typed += event.unicode
        return None

    def draw(self, surf: pygame.Surface, font: pygame.font.Font | None = None) -> None:
        """Draw the box, its text and, when focused, the caret."""
        f = font or theme.body(14)
        pygame.draw.rect(surf, (252, 248, 236), self.rect)
        pygame.draw.rect(surf, theme.HIGHLIGHT if self.focus else theme.INK, self.rect, 2)
        shown = (self.typed + "|") if self.focus else self.value
        x = self.rect.right - 6 if self.digits else self.rect.x + 6
        text(
            surf,
            f,
            shown,
            (x, self.rect.centery),
            theme.INK,
            "midright" if self.digits else "midleft",
        )
