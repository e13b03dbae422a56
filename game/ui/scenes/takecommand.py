"""The "Take command" dialog over a replay: who you play from here, and who plays the rest.

It hands the exact state the replay shows to :func:`game.ui.branch.take_command`, opens
the campaign and saves it at once (the autosave), so the branch is kept like any game
from its first moment and remembers where it left history.
"""

from __future__ import annotations

import pygame

from game.ui import describe, theme
from game.ui.app import App
from game.ui.branch import OTHER_CHOICES, take_command
from game.ui.replay_tape import Replay
from game.ui.scene import Scene
from game.ui.widgets.button import Button, handle_all, tooltip_of
from game.ui.widgets.panel import heading, panel, paragraph, text
from game.ui.widgets.tooltip import draw_tooltip

OTHER_TIPS = {
    "historical": "The other side keeps to its recorded orders where it still can, and "
    "improvises (as the normal AI) where history no longer fits.",
    "easy": "The other side is commanded freely by the computer, at 'easy' level.",
    "normal": "The other side is commanded freely by the computer, at 'normal' level.",
    "hard": "The other side is commanded freely by the computer, at 'hard' level "
    "(it looks ahead: slower turns).",
}


class TakeCommandScene(Scene):
    """Choose sides and the other side's general, then branch from the turn shown."""

    overlay = True

    def __init__(self, app: App, replay: Replay) -> None:
        super().__init__(app)
        self.replay = replay
        scn = replay.game.scenario
        self.sides: list[tuple[str, str]] = [
            (sid, scn.side_name(i)) for i, sid in enumerate(scn.side_ids)
        ]
        self.side = self.sides[0][0]
        self.other = "historical"
        self.mouse = (0, 0)
        self.busy = False
        self.buttons: list[Button] = []
        self.resize(self.size)

    # ------------------------------------------------------------------ layout
    def resize(self, size: tuple[int, int]) -> None:
        """Centre the dialog and lay out its buttons."""
        self.rect = pygame.Rect(0, 0, 700, 440)
        self.rect.center = (size[0] // 2, size[1] // 2)
        self._buttons()

    def _buttons(self) -> None:
        r = self.rect
        out: list[Button] = []
        x, y = r.x + 24, r.y + 150
        for sid, name in [*self.sides, ("both", "Both (hot seat)")]:
            w = max(theme.title(16).size(name)[0] + 24, 110)
            tip = (
                "Two people take turns at this screen, one for each side."
                if sid == "both"
                else f"You command {name} from here."
            )
            out.append(
                Button(
                    pygame.Rect(x, y, w, 34),
                    name,
                    lambda s=sid: self._set("side", s),
                    tip,
                    selected=self.side == sid,
                    size=16,
                )
            )
            x += w + 8
        x, y = r.x + 24, r.y + 240
        for choice in OTHER_CHOICES:
            label = "Follows history" if choice == "historical" else choice.capitalize()
            w = 160 if choice == "historical" else 100
            out.append(
                Button(
                    pygame.Rect(x, y, w, 34),
                    label,
                    lambda c=choice: self._set("other", c),
                    OTHER_TIPS[choice],
                    selected=self.other == choice,
                    size=16,
                )
            )
            x += w + 8
        for b in out[len(self.sides) + 1 :]:
            b.enabled = self.side != "both"
        self.go = Button(
            pygame.Rect(0, 0, 200, 42),
            "Take command",
            self.take,
            "Play on from this very turn (Enter); the branch is saved like any game.",
            size=18,
        )
        self.go.rect.bottomright = (r.right - 20, r.bottom - 18)
        self.cancel = Button(
            pygame.Rect(0, 0, 120, 42), "Cancel", self.close, "Back to the replay (Esc).", size=18
        )
        self.cancel.rect.bottomright = (self.go.rect.x - 12, r.bottom - 18)
        self.buttons = [*out, self.go, self.cancel]

    def _set(self, what: str, value: str) -> None:
        setattr(self, what, value)
        self._buttons()

    # ------------------------------------------------------------------ actions
    def take(self) -> None:
        """Branch from the turn shown and open the campaign (saved at once)."""
        from game.ui.launch import humans_for
        from game.ui.scenes.campaign import open_campaign

        scn = self.replay.game.scenario
        self.busy = True
        self.app.draw()
        pygame.display.flip()
        try:
            humans = humans_for(scn, self.side)
            session = take_command(self.replay, humans, self.other, self.app.factory)
        finally:
            self.busy = False
        if session.autosave is not None:
            session.save(session.autosave)
        open_campaign(self.app, session)

    # ------------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> None:
        """Buttons; Enter takes command, Escape cancels."""
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.take()
            elif event.key == pygame.K_ESCAPE:
                self.close()
            return
        handle_all(self.buttons, event)

    # ------------------------------------------------------------------ drawing
    def draw(self, surf: pygame.Surface) -> None:
        """Draw the dialog over the dimmed replay."""
        dim = pygame.Surface(surf.get_size(), pygame.SRCALPHA)
        dim.fill((30, 20, 10, 120))
        surf.blit(dim, (0, 0))
        r = self.rect
        panel(surf, r)
        scn = self.replay.game.scenario
        when = describe.long_date(scn.date_of(self.replay.index))
        y = heading(surf, f"Take command on {when}", r.x + 20, r.y + 16, r.w - 40, 26)
        where = self.replay.label or "the replay"
        if self.replay.run is not None:
            where += f", run {self.replay.run}"
        paragraph(
            surf,
            theme.body_serif(14),
            f"Play on from turn {self.replay.index + 1} of {where}: every army where it "
            "stands, every loss so far, the same dice. The game is saved at once and after "
            "every turn, remembering where it left history; at the end of the war you see "
            "how your war compares with the one you left.",
            r.x + 24,
            y + 6,
            r.w - 48,
            theme.INK_SOFT,
        )
        text(surf, theme.title(19), "You command", (r.x + 24, r.y + 120))
        text(surf, theme.title(19), "The other side", (r.x + 24, r.y + 210))
        if self.side == "both":
            paragraph(
                surf,
                theme.body_serif(13, italic=True),
                "Both sides are in people's hands: no computer general.",
                r.x + 24,
                r.y + 282,
                r.w - 48,
                theme.INK_SOFT,
            )
        else:
            paragraph(
                surf,
                theme.body_serif(13, italic=True),
                OTHER_TIPS[self.other],
                r.x + 24,
                r.y + 282,
                r.w - 48,
                theme.INK_SOFT,
            )
        for b in self.buttons:
            b.draw(surf)
        if self.busy:
            text(
                surf,
                theme.serif(18, italic=True),
                "Taking command… (playing the rest of the war as it was, to compare later)",
                (r.centerx, r.bottom - 84),
                theme.INK,
                "midtop",
            )
        draw_tooltip(surf, self.mouse, tooltip_of(self.buttons, self.mouse))
