"""The "How likely?" dialog: a quick study of a what-if, with a progress bar and Cancel.

It starts at once with the default number of runs (choose another and press Start to
play again); the study (:mod:`game.ui.likely_study`) plays in the
background while the window stays responsive.  When it is done, each outcome's chance in
the what-if is drawn beside its chance in the war as it was (the baseline, same AI, same
dice), with 95% intervals, and history's own outcome is marked.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.ui import theme
from game.ui.app import App
from game.ui.likely_study import DEFAULT_RUNS, POLICY, RUN_CHOICES, Likely, Share, shares
from game.ui.scene import Scene
from game.ui.whatif import WhatIf
from game.ui.widgets.button import Button, handle_all, tooltip_of
from game.ui.widgets.panel import heading, panel, paragraph, text
from game.ui.widgets.tooltip import draw_tooltip

SECONDS_PER_RUN = 0.15
"""Wall seconds per campaign of the 1841-42 war on two idle cores with the heuristic AI
(0.3 CPU-seconds measured, two workers; used only for the times shown)."""


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
        self.study: Likely | None = None
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
        out: list[Button] = []
        running = self.study is not None and self.study.state == "running"
        x = r.x + 24
        for n in RUN_CHOICES:
            b = Button(
                pygame.Rect(x, r.y + 150, 86, 32),
                f"{n:,}",
                lambda k=n: self._set_runs(k),
                f"{n:,} runs of the what-if (and of the baseline, unless it was played "
                f"before): about {_clock(2 * n * SECONDS_PER_RUN)} on two idle cores the "
                "first time.",
                selected=self.runs == n,
                size=15,
            )
            b.enabled = not running
            out.append(b)
            x += 94
        self.start_button = Button(
            pygame.Rect(0, 0, 140, 40),
            "Start",
            self.start,
            "Play the study now (Enter).",
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
        self.buttons = [*out, self.start_button, self.cancel_button]

    def _set_runs(self, n: int) -> None:
        self.runs = n
        self._buttons()

    # ------------------------------------------------------------------ actions
    def start(self) -> None:
        """Begin the study in the background."""
        if self.study is not None and self.study.state == "running":
            return
        self.study = Likely(
            self.path, self.whatif.scenario, self.runs, self.seed, workers=self.workers
        )
        self.study.start()
        self._buttons()

    def cancel(self) -> None:
        """Stop the study; what was played is dropped."""
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
        """Buttons; Enter starts, Escape cancels or closes."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.start()
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
        paragraph(
            surf,
            theme.body_serif(13),
            f"Both sides commanded by the computer's {POLICY} AI from the first day to the "
            "end of the war, many times over with different dice; beside it, the same study "
            "of the war as it was (played once, then kept). The same as "
            f"`ingavi study {self.path.name} --runs {self.runs}`. The {POLICY} AI takes "
            f"about {SECONDS_PER_RUN * 2:.1f} CPU-seconds a war, so about a hundred runs is "
            "what fits in well under a minute (not thousands): enough to see large "
            "differences, with their 95% intervals.",
            r.x + 24,
            y + 4,
            r.w - 48,
            theme.INK_SOFT,
        )
        text(surf, theme.title(17), "Runs", (r.x + 24, r.y + 126))
        st = self.study
        if st is not None and st.state == "running":
            self._progress(surf, st)
        elif st is not None and st.result is not None and st.baseline is not None:
            self._outcomes(surf, st)
        elif st is not None and st.state == "cancelled":
            text(
                surf,
                theme.serif(18, italic=True),
                "Cancelled. Choose the runs and start again.",
                (r.x + 24, r.y + 210),
                theme.INK_SOFT,
            )
        for b in self.buttons:
            b.draw(surf)
        draw_tooltip(surf, self.mouse, tooltip_of(self.buttons, self.mouse))

    def _progress(self, surf: pygame.Surface, st: Likely) -> None:
        r = self.rect
        bar = pygame.Rect(r.x + 24, r.y + 220, r.w - 48, 26)
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

    def _outcomes(self, surf: pygame.Surface, st: Likely) -> None:
        r = self.rect
        assert st.result is not None
        assert st.baseline is not None
        mine = shares(st.result)
        base = {s.id: s for s in shares(st.baseline)}
        y = r.y + 200
        text(
            surf,
            theme.body(12),
            f"{st.result['runs']:,} runs each · {_clock(st.elapsed_s)}"
            + (" (baseline kept from before)" if st.baseline_cached else ""),
            (r.x + 24, y),
            theme.INK_SOFT,
        )
        x_bar, w_bar = r.x + 330, r.w - 330 - 90
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
        row = max(min((r.bottom - 80 - y) // max(len(mine), 1), 56), 34)
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
