"""The start screen: scenario, side, the AI's level and a seed.

Or continue the last game, load a saved one, set up a what-if, or watch the war as it
really went (and take command from any turn of it).
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.game import ScenarioSource
from game.ui import theme
from game.ui.ai_levels import LEVEL_NAMES
from game.ui.app import App
from game.ui.catalogue import Choice, choice_of, choices
from game.ui.layout import fit
from game.ui.scene import Scene
from game.ui.storage import autosave_path
from game.ui.widgets.button import Button, handle_all, tooltip_of
from game.ui.widgets.panel import heading, panel, paragraph, text
from game.ui.widgets.tooltip import draw_tooltip

ROW_H = 34


class StartScene(Scene):
    """The first screen of ``ingavi play``."""

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.choices: list[Choice] = choices()
        self.index = 0
        self.side = ""
        self.level = "normal"
        self.seed = ""
        self.seed_focus = False
        self.mouse = (0, 0)
        self.buttons: list[Button] = []
        self.resize(self.size)

    @property
    def choice(self) -> Choice | None:
        """The scenario chosen."""
        return self.choices[self.index] if self.choices else None

    # ------------------------------------------------------------------ layout
    def resize(self, size: tuple[int, int]) -> None:
        """Lay out the two columns and the buttons (closer together in a small window)."""
        w, h = size
        self.small = h < 700
        top = 112 if self.small else 150
        self.row_h = 28 if self.small else ROW_H
        self.left = pygame.Rect(40, top, w // 2 - 60, h - top - 88)
        self.right = pygame.Rect(w // 2 + 20, top, w // 2 - 60, h - top - 88)
        self._buttons()

    @property
    def rows_shown(self) -> int:
        """How many scenarios the list shows at once (it scrolls to keep the chosen one)."""
        return max((self.left.h - 62) // self.row_h, 1)

    @property
    def first_row(self) -> int:
        """The first scenario shown: the list follows the one chosen."""
        n = self.rows_shown
        return (
            min(max(self.index - n + 1, 0), max(len(self.choices) - n, 0)) if self.index >= n else 0
        )

    def _buttons(self) -> None:
        r = self.right
        x, y = r.x + 20, r.y + 56
        out: list[Button] = []
        sides = list(self.choice.sides) if self.choice else []
        if not self.side and sides:
            self.side = sides[0][0]
        opts = [
            (sid, name, f"Command {name}; the computer commands the other side.")
            for sid, name in sides
        ]
        opts += [
            ("both", "Two players", "Hot seat: two people take turns at this screen."),
            ("none", "Watch", "The computer plays both sides while you watch."),
        ]
        bx = x
        for sid, name, tip in opts:
            wdt = max(theme.title(16).size(name)[0] + 24, 96)
            if bx + wdt > r.right - 10:
                bx, y = x, y + 42
            out.append(
                Button(
                    pygame.Rect(bx, y, wdt, 34),
                    name,
                    lambda s=sid: self._set_side(s),
                    tip,
                    selected=self.side == sid,
                    size=16,
                )
            )
            bx += wdt + 8
        y += 76 if self.small else 92
        self.level_y = y - 30
        for i, lv in enumerate(LEVEL_NAMES):
            out.append(
                Button(
                    pygame.Rect(x + i * 112, y, 104, 34),
                    lv.capitalize(),
                    lambda v=lv: self._set_level(v),
                    f"The computer plays at '{lv}' level.",
                    selected=self.level == lv,
                    size=16,
                )
            )
        gap = 76 if self.small else 92
        self.seed_rect = pygame.Rect(x, y + gap, 180, 34)
        self.seed_label_y = y + gap - 30
        bottom = self.size[1] - 64 if self.small else self.size[1] - 80
        actions = [
            ("Begin the campaign", self.begin, "Start a new game with these choices (Enter).", 230),
            ("Continue", self.resume, "Continue the last game (autosaved after every turn).", 140),
            ("Load…", self.load, "Load a saved game (F9).", 110),
            (
                "What if…",
                self.what_if,
                "Change the war before it begins: strengths, generals, events, the start "
                "date; save it, study how likely its outcomes are, and play it.",
                130,
            ),
            (
                "Watch history",
                self.history,
                "Watch the war as it really went: both sides follow the historical record.",
                170,
            ),
            ("Quit", self.quit, "Close the game.", 90),
        ]
        bx = 40
        for label, fn, tip, wdt in actions:
            b = Button(pygame.Rect(bx, bottom, wdt, 44), label, fn, tip, size=18)
            if label == "Continue":
                b.enabled = autosave_path().exists()
            out.append(b)
            bx += wdt + 14
        self.buttons = out

    def show(self, path: Path) -> None:
        """Select the scenario at ``path``, adding it to the list if it is not one shipped."""
        want = path.resolve()
        found = next((i for i, c in enumerate(self.choices) if c.path.resolve() == want), None)
        if found is None:
            c = choice_of(path)
            if c is None:
                return
            self.choices.insert(0, c)
            found = 0
        self.index, self.side = found, ""
        self._buttons()

    def _set_side(self, side: str) -> None:
        self.side = side
        self._buttons()

    def _set_level(self, level: str) -> None:
        self.level = level
        self._buttons()

    # ------------------------------------------------------------------ actions
    def seed_value(self) -> int | None:
        """The seed typed, or None for the scenario's own."""
        return int(self.seed) if self.seed else None

    def begin(self) -> None:
        """Start the chosen game."""
        from game.ui.launch import new_session
        from game.ui.scenes.campaign import open_campaign

        c = self.choice
        if c is None:
            self.app.message("No scenario was found to play.", "Nothing to play")
            return
        session = new_session(
            ScenarioSource(str(c.path)), self.side, self.level, self.seed_value(), self.app.factory
        )
        open_campaign(self.app, session)

    def resume(self) -> None:
        """Continue from the autosave."""
        from game.ui.scenes.loadgame import open_saved

        open_saved(self.app, autosave_path(), self.app.factory)

    def load(self) -> None:
        """Open the load dialog."""
        from game.ui.scenes.loadgame import LoadScene

        self.app.push(LoadScene(self.app, self.app.factory))

    def what_if(self) -> None:
        """Open the what-if setup, starting from the scenario chosen."""
        from game.ui.scenes.setup import SetupScene

        c = self.choice
        if c is None:
            self.app.message("No scenario was found to change.", "Nothing to change")
            return
        self.app.replace(SetupScene(self.app, c.path, self.seed_value()))

    def history(self) -> None:
        """Replay the historical campaign."""
        from game.ui.scenes.replay_open import historical_replay

        c = self.choice
        if c is not None:
            historical_replay(self.app, ScenarioSource(str(c.path)), self.seed_value())

    def quit(self) -> None:
        """Close the window."""
        self.app.running = False

    # ------------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> None:
        """Pick scenarios, options, type the seed, press buttons."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        if handle_all(self.buttons, event):
            return
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self.seed_focus = self.seed_rect.collidepoint(event.pos)
            for i in range(
                self.first_row, min(self.first_row + self.rows_shown, len(self.choices))
            ):
                if self.row_rect(i).collidepoint(event.pos):
                    self.index, self.side = i, ""
                    self._buttons()
        if event.type == pygame.KEYDOWN:
            self._key(event)

    def _key(self, event: pygame.event.Event) -> None:
        if self.seed_focus and event.unicode.isdigit() and len(self.seed) < 9:
            self.seed += event.unicode
        elif self.seed_focus and event.key == pygame.K_BACKSPACE:
            self.seed = self.seed[:-1]
        elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.begin()
        elif event.key == pygame.K_F9:
            self.load()
        elif event.key in (pygame.K_DOWN, pygame.K_UP) and self.choices:
            self.index = (self.index + (1 if event.key == pygame.K_DOWN else -1)) % len(
                self.choices
            )
            self.side = ""
            self._buttons()

    def row_rect(self, i: int) -> pygame.Rect:
        """Return the rectangle of the i-th scenario in the list (as scrolled)."""
        return pygame.Rect(
            self.left.x + 16,
            self.left.y + 52 + (i - self.first_row) * self.row_h,
            self.left.w - 32,
            self.row_h - 4,
        )

    # ------------------------------------------------------------------ drawing
    def draw(self, surf: pygame.Surface) -> None:
        """Draw the title, the two columns and the buttons."""
        surf.fill(theme.PARCHMENT)
        w = surf.get_width()
        big, sub_y, rule_y = (48, 66, 100) if self.small else (64, 96, 134)
        text(
            surf,
            theme.title(big),
            "Ingavi",
            (w // 2, 12 if self.small else 22),
            theme.INK,
            "midtop",
        )
        text(
            surf,
            theme.serif(22 if self.small else 24, italic=True),
            "The Peruvian–Bolivian War of 1841–1842",
            (w // 2, sub_y),
            theme.INK_SOFT,
            "midtop",
        )
        pygame.draw.line(surf, theme.PANEL_EDGE, (w // 2 - 260, rule_y), (w // 2 + 260, rule_y), 2)
        self._scenarios(surf)
        self._options(surf)
        for b in self.buttons:
            b.draw(surf)
        draw_tooltip(surf, self.mouse, tooltip_of(self.buttons, self.mouse))

    def _scenarios(self, surf: pygame.Surface) -> None:
        r = self.left
        panel(surf, r)
        heading(surf, "Scenario", r.x + 16, r.y + 12, r.w - 32, 22)
        first, n = self.first_row, self.rows_shown
        font = theme.serif(17 if self.small else 19)
        for i in range(first, min(first + n, len(self.choices))):
            c = self.choices[i]
            row = self.row_rect(i)
            if i == self.index:
                pygame.draw.rect(surf, theme.PARCHMENT_DARK, row, border_radius=4)
            tag = {"war": "", "what-if": "What if: ", "example": "Example: "}[c.kind]
            if c.title.lower().startswith(tag.lower().strip()):
                tag = ""
            text(surf, font, fit(font, f"{tag}{c.title}", row.w - 12), (row.x + 8, row.y + 3))
        if len(self.choices) > n:
            more = f"{first} above, {max(len(self.choices) - first - n, 0)} below (↑ ↓ to move)"
            text(surf, theme.body(11), more, (r.right - 14, r.y + 18), theme.INK_SOFT, "topright")
        if self.choice is None:
            paragraph(
                surf, theme.body_serif(14), "No scenarios were found.", r.x + 20, r.y + 60, r.w - 40
            )
        elif len(self.choices) <= n - 2:  # else no room: the war aims on the right tell it
            y = self.row_rect(len(self.choices)).y + 10
            paragraph(
                surf,
                theme.body_serif(14),
                self.choice.description,
                r.x + 20,
                y,
                r.w - 40,
                theme.INK_SOFT,
                r.bottom - 10,
            )

    def _options(self, surf: pygame.Surface) -> None:
        r = self.right
        panel(surf, r)
        heading(surf, "Your command", r.x + 16, r.y + 12, r.w - 32, 22)
        heading(surf, "The enemy general", r.x + 16, self.level_y, r.w - 32, 20)
        heading(surf, "Seed of fortune", r.x + 16, self.seed_label_y, r.w - 32, 20)
        pygame.draw.rect(surf, (252, 248, 236), self.seed_rect)
        pygame.draw.rect(surf, theme.HIGHLIGHT if self.seed_focus else theme.INK, self.seed_rect, 2)
        shown = self.seed or "scenario's own"
        text(
            surf,
            theme.body(16),
            shown + ("|" if self.seed_focus else ""),
            (self.seed_rect.x + 8, self.seed_rect.y + 7),
            theme.INK if self.seed else theme.INK_SOFT,
        )
        y = self.seed_rect.bottom + 24
        c = self.choice
        if c is not None and (c.span or c.aims):
            y = heading(surf, "War aims", r.x + 16, y, r.w - 32, 20)
            y = paragraph(
                surf,
                theme.body_serif(13, italic=True),
                c.span,
                r.x + 20,
                y + 2,
                r.w - 40,
                theme.INK_SOFT,
                r.bottom - 10,
            )
            for aim in c.aims:
                y = paragraph(
                    surf, theme.body_serif(13), aim, r.x + 20, y + 4, r.w - 40, max_y=r.bottom - 10
                )
        paragraph(
            surf,
            theme.body_serif(12, italic=True),
            "The same seed and the same orders always give the same war. Click the box and type digits.",
            self.seed_rect.right + 12,
            self.seed_rect.y,
            r.right - self.seed_rect.right - 30,
            theme.INK_SOFT,
        )
