"""The replay screen: watch a campaign played by policies, with play, pause and steps.

Space plays or pauses, the left and right arrows (or the buttons) step a turn back or
forward; the turn's chronicle is shown beside the map and the historical record of
those days below it.  "Take command" (T) hands the turn shown to a player: the scene holds
a :class:`~game.ui.replay_tape.Replay`, which gives a game at that turn to the dialog of
:mod:`game.ui.scenes.takecommand`.
"""

from __future__ import annotations

import pygame

from game.codes import ForceStatus
from game.ui import describe, theme
from game.ui.app import App
from game.ui.layout import button_width, fit, side_width
from game.ui.mapview.board import Board, Marks, counter_info
from game.ui.replay_tape import Replay
from game.ui.scene import Scene
from game.ui.widgets.button import Button, handle_all, tooltip_of
from game.ui.widgets.log import LogView
from game.ui.widgets.panel import heading, panel, paragraph, text
from game.ui.widgets.tooltip import draw_tooltip

TOP_H, BAR_H = 48, 64
STEP_SECONDS = 0.9


class ReplayScene(Scene):
    """Shows a replay turn by turn."""

    def __init__(self, app: App, replay: Replay) -> None:
        super().__init__(app)
        self.replay = replay
        scn = replay.game.scenario
        self.board = Board(scn, pygame.Rect(0, TOP_H, 100, 100))
        self.playing = False
        self.wait = 0.0
        self.mouse = (0, 0)
        self.chronicle = LogView(pygame.Rect(0, 0, 10, 10))
        self.buttons = {
            "back": Button(
                pygame.Rect(0, 0, 100, 40), "« Back", self.back, "One turn back (Left arrow)."
            ),
            "play": Button(
                pygame.Rect(0, 0, 100, 40), "Play", self.toggle, "Play or pause (Space)."
            ),
            "forward": Button(
                pygame.Rect(0, 0, 100, 40),
                "Step »",
                self.forward,
                "One turn forward (Right arrow).",
            ),
            "start": Button(
                pygame.Rect(0, 0, 100, 40),
                "Restart",
                self.restart,
                "Back to the first turn (Home).",
            ),
            "menu": Button(
                pygame.Rect(0, 0, 100, 40), "Menu", self.to_menu, "Back to the start screen (Esc)."
            ),
            "command": Button(
                pygame.Rect(0, 0, 170, 40),
                "Take command",
                self.take_command,
                "Play on from this turn yourself: every army where it stands (T).",
            ),
        }
        self.resize(self.size)
        self._fill_log()
        st = replay.state
        on_map = [
            f
            for f in range(scn.F)
            if st.status[0, f] == ForceStatus.ACTIVE and not scn.off_map[int(st.loc[0, f])]
        ]
        self.board.view.centre_on_mass(
            [int(st.loc[0, f]) for f in on_map], [float(st.men[0, f]) for f in on_map], level=3
        )

    def resize(self, size: tuple[int, int]) -> None:
        """Lay out map, side panel and the control bar."""
        w, h = size
        side_w = side_width(w)
        self.board.view.set_rect(pygame.Rect(0, TOP_H, w - side_w, h - TOP_H - BAR_H))
        self.side = pygame.Rect(w - side_w, TOP_H, side_w, h - TOP_H)
        self.chronicle.rect = pygame.Rect(
            self.side.x + 8, self.side.y + 44, side_w - 16, self.side.h - (250 if h >= 700 else 200)
        )
        x, gap = 16, 12 if w >= 1200 else 6
        for key in ("start", "back", "play", "forward", "menu", "command"):
            b = self.buttons[key]
            b.rect.w = button_width(b.label if key != "play" else "Pause", 17, 72)
            b.rect.topleft = (x, h - BAR_H + 12)
            x += b.rect.w + gap

    # ------------------------------------------------------------------ actions
    def forward(self) -> None:
        """One turn forward."""
        if not self.replay.forward():
            self.playing = False
        self._fill_log()

    def back(self) -> None:
        """One turn back."""
        self.replay.back()
        self._fill_log()

    def restart(self) -> None:
        """Back to the start."""
        self.replay.seek(0)
        self._fill_log()

    def toggle(self) -> None:
        """Play or pause."""
        self.playing = not self.playing and not self.replay.at_end
        self.wait = 0.0

    def to_menu(self) -> None:
        """Leave for the start screen."""
        from game.ui.scenes.start import StartScene

        self.app.replace(StartScene(self.app))

    def take_command(self) -> None:
        """Open the dialog that hands this turn's state to a player."""
        from game.ui.scenes.takecommand import TakeCommandScene

        self.playing = False
        self.app.push(TakeCommandScene(self.app, self.replay))

    def _fill_log(self) -> None:
        self.chronicle.lines.clear()
        rec = self.replay.record
        scn = self.replay.game.scenario
        if rec is None:
            self.chronicle.add("The war is about to begin.")
        else:
            for e in rec.entries:
                self.chronicle.add(f"{e.date:%d %b}  {describe.entry_text(scn, e)}", e.kind)
            if not rec.entries:
                self.chronicle.add("A quiet turn.")
        self.chronicle.scroll = 10_000
        self.chronicle.scroll = 0

    # ------------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> None:
        """Buttons, keys, the map."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        if handle_all(list(self.buttons.values()), event) or self.chronicle.handle(event):
            return
        if event.type == pygame.KEYDOWN:
            keys = {
                pygame.K_SPACE: self.toggle,
                pygame.K_RIGHT: self.forward,
                pygame.K_LEFT: self.back,
                pygame.K_HOME: self.restart,
                pygame.K_ESCAPE: self.to_menu,
                pygame.K_t: self.take_command,
            }
            if event.key in keys:
                keys[event.key]()
                return
        self.board.view.handle(event)

    def update(self, dt: float) -> None:
        """Advance while playing."""
        self.buttons["play"].label = "Pause" if self.playing else "Play"
        if self.playing and self.app.top is self:
            self.wait += dt
            if self.wait >= STEP_SECONDS:
                self.wait = 0.0
                self.forward()

    # ------------------------------------------------------------------ drawing
    def draw(self, surf: pygame.Surface) -> None:
        """Draw map, bar, side panel."""
        r = self.replay
        st = r.state
        scn = r.game.scenario
        active = [int(f) for f in range(scn.F) if st.status[0, f] == ForceStatus.ACTIVE]
        infos = [counter_info(scn, st, f, int(st.men[0, f]), False, False) for f in active]
        flash = None
        if r.record is not None:
            battles = [e for e in r.record.entries if e.kind == "battle"]
            flash = (
                scn.province_index.get(battles[-1].figures.get("province_id")) if battles else None
            )
        self.board.draw(surf, st, infos, Marks(flash=flash))
        self._top(surf)
        self._side(surf)
        bar = pygame.Rect(0, surf.get_height() - BAR_H, self.side.x, BAR_H)
        pygame.draw.rect(surf, (92, 62, 40), bar)
        for b in self.buttons.values():
            b.draw(surf)
        self._timeline(surf, bar)
        draw_tooltip(surf, self.mouse, tooltip_of(list(self.buttons.values()), self.mouse))

    def _top(self, surf: pygame.Surface) -> None:
        r = self.replay
        scn = r.game.scenario
        pygame.draw.rect(surf, (92, 62, 40), pygame.Rect(0, 0, surf.get_width(), TOP_H))
        date = describe.long_date(scn.date_of(r.index))
        date_r = text(surf, theme.title(24), date, (14, 8), theme.BUTTON_TEXT)
        label = r.label or "Replay"
        if r.run is not None:
            label += f" — run {r.run}"
        font = theme.serif(18, italic=True)
        words = f"{label}  ·  turn {r.index} of {len(r.records)} played"
        room = surf.get_width() - date_r.right - 40
        text(surf, font, fit(font, words, room), (date_r.right + 24, 14), (236, 220, 190))

    def _side(self, surf: pygame.Surface) -> None:
        side = self.side
        panel(surf, side)
        heading(surf, "This turn", side.x + 16, side.y + 12, side.w - 32, 20)
        self.chronicle.draw(surf)
        r = self.replay
        y = self.chronicle.rect.bottom + 10
        y = heading(surf, "In history", side.x + 16, y, side.w - 32, 18)
        start = r.game.scenario.date_of(max(r.index - 1, 0))
        end = r.game.scenario.date_of(r.index)
        rec = [
            e
            for e in r.game.scenario.model.history.record
            if start <= e.date < end or (r.index == 0 and e.date == start)
        ]
        if not rec:
            paragraph(
                surf,
                theme.body_serif(12, italic=True),
                "Nothing of note recorded in these days.",
                side.x + 16,
                y + 2,
                side.w - 32,
                theme.INK_SOFT,
                side.bottom - 8,
            )
        for e in rec:
            y = paragraph(
                surf,
                theme.body_serif(12, bold=True),
                f"{e.date:%d %b %Y}: {e.title}",
                side.x + 16,
                y + 2,
                side.w - 32,
                max_y=side.bottom - 8,
            )
            if e.text:
                y = paragraph(
                    surf,
                    theme.body_serif(12),
                    e.text,
                    side.x + 16,
                    y,
                    side.w - 32,
                    max_y=side.bottom - 8,
                )
        if r.at_end:
            o = r.game.outcome()
            if o is not None:
                paragraph(
                    surf,
                    theme.serif(18),
                    f"The war ends: {o.name}.",
                    side.x + 16,
                    side.bottom - 40,
                    side.w - 32,
                )

    def _timeline(self, surf: pygame.Surface, bar: pygame.Rect) -> None:
        scn = self.replay.game.scenario
        x0 = self.buttons["command"].rect.right + 20
        line = pygame.Rect(x0, bar.centery - 3, max(bar.right - x0 - 20, 10), 6)
        pygame.draw.rect(surf, theme.PARCHMENT_DARK, line)
        done = len(self.replay.records) / max(scn.n_turns, 1)
        pygame.draw.rect(
            surf, theme.HIGHLIGHT, pygame.Rect(line.x, line.y, round(line.w * done), line.h)
        )
        pos = line.x + line.w * self.replay.index / max(scn.n_turns, 1)
        pygame.draw.circle(surf, theme.BUTTON_TEXT, (round(pos), line.centery), 8)
