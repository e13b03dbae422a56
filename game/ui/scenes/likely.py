"""The "How likely?" dialog: a quick study of a what-if, with a progress bar and Cancel.

It starts small, at once (a hundred runs), and shows the estimate with its 95% intervals;
"More runs" plays the next runs and adds them in, each time twice as many as so far, its
button saying how long that should take at the pace this machine has just shown.  The
study (:mod:`game.ui.likely_study`) plays in the background while the window stays
responsive.  Each outcome's chance in the what-if is drawn beside its chance in the war as
it was (the baseline, same AI, same dice), and history's own outcome is marked.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.ui import theme
from game.ui.app import App
from game.ui.likely_study import DEFAULT_RUNS, POLICY, Likely, Share, merge, shares
from game.ui.scene import Scene
from game.ui.whatif import WhatIf
from game.ui.widgets.button import Button, handle_all, tooltip_of
from game.ui.widgets.panel import heading, panel, paragraph, text
from game.ui.widgets.tooltip import draw_tooltip

MAX_MORE = 10_000
"""The most runs one "More runs" adds."""


def _clock(seconds: float) -> str:
    s = max(round(seconds), 0)
    return f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s"


class LikelyScene(Scene):
    """Runs and shows a "How likely?" study of a saved what-if."""

    overlay = True

    def __init__(
        self,
        app: App,
        path: Path,
        whatif: WhatIf,
        seed: int | None = None,
        runs: int = DEFAULT_RUNS,
        workers: int = 2,
        autostart: bool = True,
    ) -> None:
        super().__init__(app)
        self.path, self.whatif, self.seed, self.workers = path, whatif, seed, workers
        self.runs = runs
        """Runs of the first study (the player may ask for more)."""
        self.study: Likely | None = None
        """The study running, or the last one played."""
        self.parts: list[Likely] = []
        """Studies finished, of consecutive runs, shown together."""
        self.mouse = (0, 0)
        self.buttons: list[Button] = []
        self.history = _historical_outcome(whatif)
        self.resize(self.size)
        if autostart:
            self.start()

    # ------------------------------------------------------------------ layout
    def resize(self, size: tuple[int, int]) -> None:
        """Centre the dialog and lay out its buttons."""
        self.rect = pygame.Rect(0, 0, min(size[0] - 80, 1000), min(size[1] - 60, 640))
        self.rect.center = (size[0] // 2, size[1] // 2)
        self._buttons()

    def _buttons(self) -> None:
        r = self.rect
        running = self.study is not None and self.study.state == "running"
        n, rate = self.more_runs, self.rate
        pace = (
            f": about {_clock(2 * n / rate)} at the pace of the runs so far "
            f"({rate:.1f} campaigns a second)"
            if rate
            else ""
        )
        self.more_button = Button(
            pygame.Rect(0, 0, 210, 40),
            f"More runs: +{n:,}",
            self.more,
            f"Play runs {self.total_runs + 1:,} to {self.total_runs + n:,} of both studies "
            f"and add them in{pace} (Enter).",
            enabled=not running and bool(self.parts),
            size=17,
        )
        self.start_button = Button(
            pygame.Rect(0, 0, 140, 40),
            "Start",
            self.start,
            f"Play the study again from the start, {self.runs:,} runs.",
            enabled=not running,
            size=18,
        )
        self.cancel_button = Button(
            pygame.Rect(0, 0, 140, 40),
            "Cancel" if running else "Close",
            self.cancel if running else self.close,
            "Stop the study (Esc)." if running else "Back to the setup (Esc).",
            size=18,
        )
        self.cancel_button.rect.bottomright = (r.right - 20, r.bottom - 16)
        self.start_button.rect.bottomright = (self.cancel_button.rect.x - 12, r.bottom - 16)
        self.more_button.rect.bottomleft = (r.x + 24, r.bottom - 16)
        self.buttons = [self.more_button, self.start_button, self.cancel_button]

    @property
    def total_runs(self) -> int:
        """Runs of each study played so far."""
        return sum(p.runs for p in self.parts)

    @property
    def more_runs(self) -> int:
        """Runs the next "More runs" adds: twice as many as so far."""
        return min(max(2 * self.total_runs, self.runs), MAX_MORE)

    @property
    def rate(self) -> float:
        """Campaigns a second the studies so far were played at, on this machine (0 if none)."""
        seconds = sum(p.elapsed_s for p in self.parts)
        return sum(p.played for p in self.parts) / seconds if seconds > 0 else 0.0

    # ------------------------------------------------------------------ actions
    def start(self) -> None:
        """Begin the study in the background, from the first run."""
        if self.study is not None and self.study.state == "running":
            return
        self.parts = []
        self._play(0, self.runs)

    def more(self) -> None:
        """Play the next runs, twice as many as so far, to add to those shown."""
        if (self.study is not None and self.study.state == "running") or not self.parts:
            return
        self._play(self.total_runs, self.more_runs)

    def _play(self, first: int, runs: int) -> None:
        self.study = Likely(
            self.path, self.whatif.scenario, runs, self.seed, first_run=first, workers=self.workers
        )
        self.study.start()
        self._buttons()

    def cancel(self) -> None:
        """Stop the study running; what it played is dropped (earlier runs stay)."""
        if self.study is not None:
            self.study.cancel()

    def close(self) -> None:
        """Close the dialog (stopping a study still running)."""
        self.shutdown()
        super().close()

    def shutdown(self) -> None:
        """Stop the worker processes before the window goes."""
        if self.study is not None and self.study.state == "running":
            self.study.cancel()
            self.study.wait(5.0)

    # ------------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> None:
        """Buttons; Enter starts (or, once a study is shown, asks for more), Escape cancels or closes."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.more() if self.parts else self.start()
            elif event.key == pygame.K_ESCAPE:
                self.cancel_button.action()
            return
        handle_all(self.buttons, event)

    def update(self, dt: float) -> None:
        """Follow the study: a finished or failed one changes the buttons, or says why."""
        st = self.study
        if st is None:
            return
        running = self.cancel_button.label == "Cancel"
        if running and st.state != "running":
            if st.state == "done" and st not in self.parts:
                self.parts.append(st)
            self._buttons()
            if st.state == "failed":
                self.app.message(st.error, "The study could not be run")

    # ------------------------------------------------------------------ drawing
    def draw(self, surf: pygame.Surface) -> None:
        """Draw the dialog: the choice of runs, the progress, the outcomes."""
        dim = pygame.Surface(surf.get_size(), pygame.SRCALPHA)
        dim.fill((30, 20, 10, 120))
        surf.blit(dim, (0, 0))
        r = self.rect
        panel(surf, r)
        y = heading(surf, f"How likely? {self.whatif.title}", r.x + 20, r.y + 14, r.w - 40, 24)
        total = self.total_runs + (self.study.runs if self._running else 0)
        y = paragraph(
            surf,
            theme.body_serif(13),
            f"Both sides commanded by the computer's {POLICY} AI from the first day to the "
            "end of the war, many times over with different dice; beside it, the same study "
            "of the war as it was (played once, then kept). It starts with "
            f"{self.runs:,} runs, enough to see large differences; More runs plays the next "
            "ones and adds them in, narrowing the 95% intervals. The same as "
            f"`ingavi study {self.path.name} --runs {max(total, self.runs)}`.",
            r.x + 24,
            y + 4,
            r.w - 48,
            theme.INK_SOFT,
        )
        self.body_y = y + 12
        st = self.study
        if self._running:
            assert st is not None
            self._progress(surf, st)
        elif self.parts:
            self._outcomes(surf)
        elif st is not None and st.state == "cancelled":
            text(
                surf,
                theme.serif(18, italic=True),
                "Cancelled. Press Start to play it again.",
                (r.x + 24, self.body_y + 20),
                theme.INK_SOFT,
            )
        for b in self.buttons:
            b.draw(surf)
        draw_tooltip(surf, self.mouse, tooltip_of(self.buttons, self.mouse))

    @property
    def _running(self) -> bool:
        return self.study is not None and self.study.state == "running"

    def _progress(self, surf: pygame.Surface, st: Likely) -> None:
        r = self.rect
        if self.parts:
            words = f"Adding runs {st.first_run + 1:,} to {st.first_run + st.runs:,} to the {self.total_runs:,} shown before."
            text(surf, theme.body(13), words, (r.x + 24, self.body_y), theme.INK_SOFT)
        bar = pygame.Rect(r.x + 24, self.body_y + 28, r.w - 48, 26)
        pygame.draw.rect(surf, (252, 248, 236), bar)
        fill = bar.copy()
        fill.w = round(bar.w * st.fraction)
        pygame.draw.rect(surf, theme.HIGHLIGHT, fill)
        pygame.draw.rect(surf, theme.INK, bar, 1)
        words = f"{st.done_runs:,} of {st.total_runs:,} campaigns · playing {st.stage}"
        if st.baseline_cached:
            words += " (the baseline is kept from before)"
        spent, left = st.timing()
        words += f" · {_clock(spent)} so far"
        words += f", about {_clock(left)} to go" if left is not None else ""
        text(surf, theme.body(14), words, (bar.x, bar.bottom + 8), theme.INK)

    def _outcomes(self, surf: pygame.Surface) -> None:
        r = self.rect
        result = merge([p.result for p in self.parts if p.result is not None])
        baseline = merge([p.baseline for p in self.parts if p.baseline is not None])
        mine = shares(result)
        base = {s.id: s for s in shares(baseline)}
        y = self.body_y
        cached = (
            " (the baseline kept from before)" if all(p.baseline_cached for p in self.parts) else ""
        )
        spent = sum(p.elapsed_s for p in self.parts)
        text(
            surf,
            theme.body(12),
            f"{result['runs']:,} runs each · played in {_clock(spent)}{cached}",
            (r.x + 24, y),
            theme.INK_SOFT,
        )
        y += 20
        x_bar = r.x + min(330, r.w // 3)
        w_bar = r.right - 70 - x_bar
        for k, label in enumerate(("this what-if", "the war as it was (same AI, same dice)")):
            x = x_bar + k * 150
            swatch = theme.INK_SOFT if k == 0 else theme.mix(theme.INK_SOFT, theme.PANEL, 0.6)
            pygame.draw.rect(surf, swatch, pygame.Rect(x, y + 3, 12, 10))
            text(surf, theme.body(12, bold=k == 0), label, (x + 16, y), theme.INK)
        text(
            surf,
            theme.body(11),
            "lines: 95% intervals",
            (r.right - 24, y),
            theme.INK_SOFT,
            "topright",
        )
        y += 24
        row = max(min((r.bottom - 70 - y) // max(len(mine), 1), 56), 26)
        for s in mine:
            b = base.get(s.id)
            self._row(surf, s, b, y, x_bar, w_bar, row)
            y += row

    def _row(
        self,
        surf: pygame.Surface,
        s: Share,
        b: Share | None,
        y: int,
        x_bar: int,
        w_bar: int,
        row: int,
    ) -> None:
        r = self.rect
        name = s.name + ("  (history)" if s.id == self.history else "")
        paragraph(
            surf,
            theme.body_serif(13, bold=s.id == self.history),
            name,
            r.x + 24,
            y,
            x_bar - r.x - 36,
            max_y=y + row,
        )
        colour = self._colour(s.winner)
        half = (row - 8) // 2
        for k, (share, col) in enumerate(((s, colour), (b, theme.mix(colour, theme.PANEL, 0.6)))):
            if share is None:
                continue
            top = y + k * (half + 2)
            pygame.draw.rect(surf, col, pygame.Rect(x_bar, top, round(w_bar * share.p), half))
            lo, hi = x_bar + round(w_bar * share.low), x_bar + round(w_bar * share.high)
            pygame.draw.line(surf, theme.INK, (lo, top + half // 2), (hi, top + half // 2), 1)
            text(
                surf,
                theme.body(12, bold=k == 0),
                f"{share.p:.0%}",
                (x_bar + w_bar + 8, top + half // 2),
                theme.INK if k == 0 else theme.INK_SOFT,
                "midleft",
            )

    def _colour(self, winner: str | None) -> theme.Colour:
        lv = self.whatif.levers
        ids = [sid for sid, _ in lv.sides]
        if winner in ids and len(lv.colours) == len(ids):
            return theme.hex_colour(lv.colours[ids.index(winner)])
        return theme.INK_SOFT


def _historical_outcome(w: WhatIf) -> str | None:
    """Return the id of the outcome history gave (the scenario's default after a treaty)."""
    from game.game import ScenarioSource
    from game.history.record import historical_outcome

    return historical_outcome(ScenarioSource(str(w.scenario)).load())
