"""The what-if setup screen: a counterfactual to start from, the levers, and how to begin.

Reached from the start screen ("What if…").  On the left, the starting point — the war as
it was or one of the counterfactual overlays — and the what-if's name; on the right, four
tabs: the strength of every force (with the range the sources give, and values beyond
it), the commanders (present or not, and their ratings), the scenario's what-if event
switches, and how the game begins (your side, whether the other side follows history or
is free, and the date you take command).  Below: save or load the what-if (an ordinary
overlay file), "How likely?" (a quick study beside the historical baseline), and Begin.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pygame

from game.errors import IngaviError
from game.ui import theme
from game.ui.app import App
from game.ui.catalogue import choices
from game.ui.layout import fit
from game.ui.likely_study import DEFAULT_RUNS
from game.ui.scene import Scene
from game.ui.scenes import setup_tabs as tabs
from game.ui.whatif import WhatIf
from game.ui.whatif_file import file_name, load, rebase, root_of, save, start_what_if
from game.ui.widgets.button import Button, handle_all, tooltip_of
from game.ui.widgets.panel import heading, panel, paragraph, text
from game.ui.widgets.textfield import TextField
from game.ui.widgets.tooltip import draw_tooltip

TABS: tuple[tuple[str, str, str], ...] = (
    ("forces", "Forces", "The strength of every force, with the range the sources give."),
    ("commanders", "Commanders", "Who takes part, and how well each general leads."),
    ("switches", "Switches", "What-if events the scenario offers: switch them on or off."),
    ("beginning", "Beginning", "Your side, the other side's general, and the start date."),
)
BASE_ROW = 26


class SetupScene(Scene):
    """Builds a what-if and starts it, studies it, or saves it."""

    def __init__(self, app: App, base: Path, seed: int | None = None) -> None:
        super().__init__(app)
        self.seed = seed
        self.whatif: WhatIf = start_what_if(base)
        root = self.whatif.scenario
        self.bases: list[tuple[Path, str, str]] = [
            (c.path, c.title, c.description)
            for c in choices()
            if c.kind in ("war", "what-if") and root_of(c.path) == root.resolve()
        ]
        if not any(p.resolve() == root.resolve() for p, _, _ in self.bases):
            self.bases.insert(0, (root, root.stem, ""))
        self.likely_runs = DEFAULT_RUNS
        """Runs of "How likely?" when it opens (the dialog offers others)."""
        self.likely_workers = 2
        """Worker processes of "How likely?" (0 plays in a thread of this process)."""
        self.tab = "forces"
        self.scroll: dict[str, int] = {}
        self.mouse = (0, 0)
        self.status = ""
        self.last_saved: Path | None = None
        self.name = TextField(pygame.Rect(0, 0, 10, 30), self.whatif.title, max_len=60)
        self.edit: TextField | None = None
        self.edit_id = ""
        self.buttons: list[Button] = []
        self.row_buttons: list[Button] = []
        self.value_fields: list[tuple[str, pygame.Rect]] = []
        self.row_tips: list[tuple[pygame.Rect, str]] = []
        self.draw_tips: list[tuple[pygame.Rect, str]] = []
        self.base_tips: list[tuple[pygame.Rect, str]] = []
        self.resize(self.size)

    # ------------------------------------------------------------------ layout
    def resize(self, size: tuple[int, int]) -> None:
        """Lay out the columns, tabs, rows and buttons."""
        w, h = size
        top = 96 if h >= 700 else 84
        self.base_row = BASE_ROW if h >= 700 else 22
        left_w = 360 if w >= 1200 else 250
        self.left = pygame.Rect(24, top, left_w, h - top - 100)
        self.right = pygame.Rect(24 + left_w + 16, top, w - left_w - 64, h - top - 100)
        self.status_y = h - 94
        self.content = pygame.Rect(
            self.right.x + 14, self.right.y + 58, self.right.w - 28, self.right.h - 68
        )
        y = self.base_rect(len(self.bases)).bottom + 34
        self.name.rect = pygame.Rect(self.left.x + 16, y, self.left.w - 32, 30)
        self._layout()

    def base_rect(self, i: int) -> pygame.Rect:
        """Return the rectangle of the i-th starting point in the list."""
        return pygame.Rect(
            self.left.x + 12,
            self.left.y + 44 + i * self.base_row,
            self.left.w - 24,
            self.base_row - 2,
        )

    def _layout(self) -> None:
        """Make the tab, bar and row buttons for the current tab and scroll."""
        r = self.right
        out: list[Button] = []
        x = r.x + 14
        for key, label, tip in TABS:
            out.append(
                Button(
                    pygame.Rect(x, r.y + 12, 150, 34),
                    label,
                    lambda k=key: self.set_tab(k),
                    tip,
                    selected=self.tab == key,
                    size=17,
                )
            )
            x += 158
        h = self.size[1]
        bar = [
            ("Back", self.back, "Back to the start screen (Esc).", 100),
            ("Load what-if…", self.open_load, "Load a what-if saved earlier.", 160),
            ("Reset", self.reset, "Undo every change of the levers.", 100),
            (
                "Save what-if",
                self.save,
                "Save as an overlay file, to share, play again or study with ingavi study.",
                160,
            ),
        ]
        x = 24
        for label, fn, tip, wd in bar:
            out.append(Button(pygame.Rect(x, h - 62, wd, 42), label, fn, tip, size=17))
            x += wd + 12
        self.likely_button = Button(
            pygame.Rect(0, h - 62, 160, 42),
            "How likely?",
            self.how_likely,
            "A quick Monte Carlo study of this what-if, both sides on the computer's AI, "
            "beside the war as it was.",
            size=17,
        )
        self.begin_button = Button(
            pygame.Rect(0, h - 62, 170, 42),
            "Begin",
            self.begin,
            "Play this what-if (Enter).",
            size=19,
        )
        self.begin_button.rect.right = self.size[0] - 24
        self.likely_button.rect.right = self.begin_button.rect.x - 12
        self.buttons = [*out, self.likely_button, self.begin_button]
        self.row_buttons, self.value_fields, self.row_tips = [], [], []
        tabs.layout(self)

    def set_tab(self, key: str) -> None:
        """Show another tab."""
        self._commit_edit()
        self.tab = key
        self._layout()

    def changed(self) -> None:
        """Lay out again after a lever changed (labels and states follow the values)."""
        self.status = ""
        self._layout()

    # ------------------------------------------------------------------ actions
    def pick_base(self, i: int) -> None:
        """Start from another counterfactual, keeping the changes made so far."""
        path = self.bases[i][0]
        self._commit_edit()
        self.whatif = rebase(self.whatif, path)
        self.status = f"Starting from: {self.bases[i][1]}."
        self._layout()

    def reset(self) -> None:
        """Forget every change of the levers."""
        self.whatif.reset()
        self.status = "Every lever is back to its starting value."
        self._layout()

    def save(self) -> Path:
        """Save the what-if as an overlay file; say where."""
        self._commit_edit()
        self.whatif.title = self.name.value.strip() or "My what-if"
        path = save(self.whatif)
        self.last_saved = path
        self.status = (
            f"Saved as {path.name} in {path.parent} — `ingavi study {path.name}` studies it, "
            f"`ingavi play {path.name}` plays it."
        )
        return path

    def open_load(self) -> None:
        """Open the list of saved what-ifs."""
        from game.ui.scenes.whatif_load import WhatIfLoadScene

        self.app.push(WhatIfLoadScene(self.app, self.load))

    def load(self, path: Path) -> None:
        """Put a saved what-if on the screen."""
        self.whatif = load(path)
        self.name.value = self.whatif.title
        self.last_saved = path
        self.status = f"Loaded {path.name}."
        self._layout()

    def how_likely(self) -> None:
        """Save the what-if and open the study dialog."""
        from game.ui.scenes.likely import LikelyScene

        path = self.save()
        self.app.push(
            LikelyScene(
                self.app,
                path,
                self.whatif,
                self.seed,
                runs=self.likely_runs,
                workers=self.likely_workers,
            )
        )

    def begin(self) -> None:
        """Save the what-if and play it: from the first day, or from history on a date."""
        from game.game import ScenarioSource
        from game.ui.branch import from_history
        from game.ui.launch import new_session
        from game.ui.scenes.campaign import open_campaign

        w = self.whatif
        path = self.save()
        source = ScenarioSource(str(path))
        if w.later_start and w.start is not None:
            self.status = "Playing the war by the record up to your start date…"
            self.app.draw()
            pygame.display.flip()
            session = from_history(source, w.start, w.side, w.other, self.seed, self.app.factory)
        else:
            session = new_session(source, w.side, w.other, self.seed, self.app.factory)
        if session.autosave is not None:
            session.save(session.autosave)
        open_campaign(self.app, session)

    def shutdown(self) -> None:
        """Keep a what-if with unsaved changes when the window closes (or on Ctrl-C)."""
        self._commit_edit()
        w = self.whatif
        if not w.changes() or (
            self.last_saved is not None and self.last_saved.name == file_name(w)
        ):
            return
        with contextlib.suppress(IngaviError, OSError):
            self.last_saved = save(w)

    def back(self) -> None:
        """Back to the start screen."""
        from game.ui.scenes.start import StartScene

        self.app.replace(StartScene(self.app))

    # ------------------------------------------------------------------ typing
    def start_edit(self, fid: str, rect: pygame.Rect) -> None:
        """Type a force's strength."""
        self._commit_edit()
        self.edit = TextField(rect, str(self.whatif.men_of(fid)), digits=True, max_len=7)
        self.edit_id = fid
        self.edit.start()
        self.edit.typed = ""

    def _commit_edit(self) -> None:
        """Keep a strength being typed (a click elsewhere keeps it, as Enter does)."""
        if self.edit is not None and self.edit.focus and self.edit.typed:
            self.whatif.set_men(self.edit_id, int(self.edit.typed))
        self.edit = None
        if self.name.focus:
            self.name.value, self.name.focus = self.name.typed.strip() or self.name.value, False
            self.whatif.title = self.name.value

    def _typing(self, event: pygame.event.Event) -> bool:
        if self.edit is not None and self.edit.focus:
            if self.edit.key(event) == "commit" and self.edit.value:
                self.whatif.set_men(self.edit_id, int(self.edit.value))
                self.changed()
            if not self.edit.focus:
                self.edit = None
            return True
        if self.name.focus:
            if self.name.key(event) == "commit":
                self.name.value = self.name.value.strip() or "My what-if"
                self.whatif.title = self.name.value
            return True
        return False

    # ------------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> None:
        """Type, scroll, click rows, tabs and buttons; Enter begins, Escape goes back."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        if event.type == pygame.KEYDOWN:
            if self._typing(event):
                return
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.begin()
            elif event.key == pygame.K_ESCAPE:
                self.back()
            return
        if event.type == pygame.MOUSEWHEEL and self.content.collidepoint(self.mouse):
            tabs.scroll(self, -event.y)
            return
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self._click(event.pos)
        if handle_all([*self.buttons, *self.row_buttons], event):
            return

    def _click(self, pos: tuple[int, int]) -> None:
        for fid, rect in self.value_fields:
            if rect.collidepoint(pos):
                self.start_edit(fid, rect)
                return
        if self.name.rect.collidepoint(pos):
            self._commit_edit()
            self.name.start()
            return
        self._commit_edit()
        for i in range(len(self.bases)):
            if self.base_rect(i).collidepoint(pos):
                self.pick_base(i)
                return

    # ------------------------------------------------------------------ drawing
    def draw(self, surf: pygame.Surface) -> None:
        """Draw the title, the starting points, the tab and the bar."""
        surf.fill(theme.PARCHMENT)
        text(surf, theme.title(40), "What if…", (28, 14), theme.INK)
        text(
            surf,
            theme.serif(19, italic=True),
            "Change the war before it begins, or start from a counterfactual; "
            "save it to share or study.",
            (30, 62),
            theme.INK_SOFT,
        )
        self._left(surf)
        panel(surf, self.right)
        tabs.draw(self, surf)
        for b in [*self.buttons, *self.row_buttons]:
            b.draw(surf)
        if self.edit is not None:
            self.edit.draw(surf)
        status_tip: list[tuple[pygame.Rect, str]] = []
        if self.status:
            font = theme.body_serif(12, italic=True)
            r = text(
                surf,
                font,
                fit(font, self.status, self.size[0] - 48),
                (24, self.status_y),
                theme.INK_SOFT,
            )
            status_tip.append((r, self.status))
        tip = tooltip_of([*self.buttons, *self.row_buttons], self.mouse)
        for rect, t in [*self.row_tips, *self.draw_tips, *self.base_tips, *status_tip]:
            if not tip and rect.collidepoint(self.mouse):
                tip = t
        draw_tooltip(surf, self.mouse, tip)

    def _left(self, surf: pygame.Surface) -> None:
        r = self.left
        panel(surf, r)
        heading(surf, "Starting point", r.x + 16, r.y + 10, r.w - 32, 20)
        chosen = self.whatif.base.resolve()
        self.base_tips = []
        for i, (path, title, _) in enumerate(self.bases):
            row = self.base_rect(i)
            if path.resolve() == chosen:
                pygame.draw.rect(surf, theme.PARCHMENT_DARK, row, border_radius=4)
            label = "The war as it was" if i == 0 else title.removeprefix("What if: ")
            font = theme.serif(16 if self.base_row >= BASE_ROW else 14)
            text(surf, font, fit(font, label, row.w - 10), (row.x + 6, row.y + 3))
            self.base_tips.append((row, title))
        text(surf, theme.title(17), "Name", (r.x + 16, self.name.rect.y - 24))
        self.name.draw(surf)
        desc = next((d for p, _, d in self.bases if p.resolve() == chosen), "")
        changes = self.whatif.summary()
        y = self.name.rect.bottom + 12
        if changes:
            y = heading(surf, f"Your changes ({len(changes)})", r.x + 16, y, r.w - 32, 17)
            for c in changes:
                y = paragraph(
                    surf, theme.body_serif(12), f"• {c}", r.x + 18, y, r.w - 36, max_y=r.bottom - 8
                )
        else:
            paragraph(
                surf,
                theme.body_serif(12, italic=True),
                desc or "No change yet.",
                r.x + 18,
                y,
                r.w - 36,
                theme.INK_SOFT,
                r.bottom - 8,
            )


def start_date_words(w: WhatIf) -> str:
    """Return how the game begins, in a sentence, for the Beginning tab."""
    from game.ui.describe import long_date

    assert w.start is not None
    if not w.later_start:
        return f"The war begins on {long_date(w.start)}, at its start: you give the first orders."
    end = w.start + dt.timedelta(days=w.levers.turn_days - 1)
    return (
        f"Both sides follow the historical record, in this what-if's world, until the turn of "
        f"{long_date(w.start)} to {long_date(end)}; you take command there. Armies stand "
        "where that history has brought them (a changed army may have fought differently)."
    )
