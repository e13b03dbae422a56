"""The end of the war: the outcome and treaty, statistics and charts, and history's verdict.

A game taken over from a replay also says where it left history and how that same war
(the same dice) ended without the player, beside the player's own ending.
"""

from __future__ import annotations

import pygame

from game.engine.outcome import Termination
from game.ui import describe, theme
from game.ui.app import App
from game.ui.branch import comparison
from game.ui.scene import Scene
from game.ui.session import Session
from game.ui.war_series import Series, series
from game.ui.widgets.button import Button, handle_all
from game.ui.widgets.chart import line_chart
from game.ui.widgets.panel import heading, panel, paragraph, text

STAT_ROWS = (
    ("men", "Men under arms at the end"),
    ("killed", "Killed"),
    ("wounded", "Wounded"),
    ("captured", "Captured"),
    ("deserted", "Sick, stragglers, deserters"),
    ("provinces", "Provinces held"),
    ("commanders_lost", "Generals killed or taken"),
)


class EndScene(Scene):
    """Shown when the war is over."""

    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.series: list[Series] = series(session.game)
        self.totals = describe.side_totals(session)
        self.shown = False
        self.buttons = [
            Button(
                pygame.Rect(0, 0, 200, 42),
                "Back to the map",
                self.close,
                "See the map as the war left it; its End button brings you back here (Esc).",
            ),
            Button(
                pygame.Rect(0, 0, 200, 42), "New campaign", self.menu, "Back to the start screen."
            ),
            Button(
                pygame.Rect(0, 0, 200, 42),
                "Watch history",
                self.history,
                "See the war as it was really fought.",
            ),
        ]
        self.resize(self.size)

    def resize(self, size: tuple[int, int]) -> None:
        """Place the buttons."""
        x = size[0] - 20
        for b in reversed(self.buttons):
            b.rect.bottomright = (x, size[1] - 16)
            x = b.rect.x - 12

    def menu(self) -> None:
        """Back to the start screen."""
        from game.ui.scenes.start import StartScene

        self.app.replace(StartScene(self.app))

    def history(self) -> None:
        """Replay the real war."""
        from game.ui.scenes.replay_open import historical_replay

        src = self.session.game.source
        if src is not None:
            historical_replay(self.app, src, self.session.game.seed)

    def handle(self, event: pygame.event.Event) -> None:
        """Buttons; Escape goes back to the map (nothing here leaves the war by a key)."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.close()
            return
        handle_all(self.buttons, event)

    def close(self) -> None:
        """Back to the map beneath, if the war was played on one (else the start screen)."""
        if len(self.app.stack) > 1:
            super().close()
        else:
            self.menu()

    def update(self, dt: float) -> None:
        """Close the window once the end has been shown, if asked to (``--exit-at-end``)."""
        if self.shown and self.app.exit_at_end:
            self.app.running = False

    def headline(self) -> tuple[str, str]:
        """Return the outcome's title and the sentence under it."""
        s = self.session
        scn = s.scn
        o = s.game.outcome()
        if o is None:
            return "The war goes on", ""
        peace = scn.model.victory.peace
        if o.termination == Termination.TREATY:
            where = (
                f" at {scn.province_name(scn.province_index[peace.place])}"
                if peace.place in scn.province_index
                else ""
            )
            how = f"The {peace.treaty_name} was signed{where} on {describe.long_date(o.date)}."
        else:
            how = f"No treaty was signed; the war was cut off on {describe.long_date(o.date)}."
        if o.winner is not None and o.winner in scn.side_index:
            how += f" {scn.side_name(scn.side_index[o.winner])} comes out ahead."
        else:
            how += " Neither side gained what it fought for."
        vp = ", ".join(
            f"{scn.side_name(scn.side_index[k])} {v:.0f}" for k, v in o.victory_points.items()
        )
        return o.name, f"{how} Victory points: {vp}."

    def verdict(self) -> str:
        """Return the comparison with what really happened."""
        scn = self.session.scn
        hist = scn.model.history
        treaty = [e for e in hist.record if e.kind == "treaty"]
        battles = [e for e in hist.record if e.kind == "battle"]
        parts = []
        if treaty:
            parts.append(
                f"In history the war ended with the {treaty[-1].title} on {describe.long_date(treaty[-1].date)}."
            )
        if hist.totals is not None and hist.totals.killed is not None:
            k = hist.totals.killed
            val = k if isinstance(k, int) else getattr(k, "value", k)
            parts.append(f"About {int(val):,} men were killed in all.")
        ours = sum(t["killed"] for t in self.totals)
        fought = int(self.session.game.state.battles[0])
        parts.append(
            f"In your war {ours:,} were killed in {fought} battle{'s' if fought != 1 else ''} (history records {len(battles)})."
        )
        branched = comparison(self.session.game)
        if branched:
            parts.append(branched)
        return " ".join(parts)

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the headline, the table, the charts and the verdict."""
        self.shown = True
        surf.fill(theme.PARCHMENT)
        w, h = surf.get_size()
        title, sub = self.headline()
        text(surf, theme.title(22), "The war is over", (w // 2, 14), theme.INK_SOFT, "midtop")
        text(surf, theme.title(48), title, (w // 2, 40), theme.INK, "midtop")
        paragraph(surf, theme.serif(20, italic=True), sub, 60, 104, w - 120)
        left = pygame.Rect(30, 170, w // 2 - 45, h - 250)
        panel(surf, left)
        self._table(surf, left)
        y = left.y + 40 + 26 * (len(STAT_ROWS) + 1)
        heading(surf, "Against history", left.x + 16, y, left.w - 32, 20)
        paragraph(
            surf,
            theme.body_serif(14),
            self.verdict(),
            left.x + 16,
            y + 32,
            left.w - 32,
            max_y=left.bottom - 8,
        )
        right = pygame.Rect(w // 2 + 15, 170, w // 2 - 45, h - 250)
        colours = [theme.hex_colour(s.colour) for s in self.session.scn.model.sides]
        ch = (right.h - 10 * (len(self.series) - 1)) // len(self.series)
        for i, s in enumerate(self.series):
            line_chart(
                surf,
                pygame.Rect(right.x, right.y + i * (ch + 10), right.w, ch),
                s.name,
                s.values,
                colours,
                [side.name for side in self.session.scn.model.sides],
            )
        for b in self.buttons:
            b.draw(surf)

    def _table(self, surf: pygame.Surface, rect: pygame.Rect) -> None:
        y = heading(surf, "The reckoning", rect.x + 16, rect.y + 10, rect.w - 32, 22)
        cols = [rect.x + rect.w - 230, rect.x + rect.w - 110]
        for x, t in zip(cols, self.totals, strict=False):
            text(surf, theme.title(17), t["side"], (x, y))
        y += 26
        for key, label in STAT_ROWS:
            text(surf, theme.body(14), label, (rect.x + 16, y), theme.INK_SOFT)
            for x, t in zip(cols, self.totals, strict=False):
                text(surf, theme.body(14, bold=True), f"{t[key]:,}", (x, y))
            y += 26
