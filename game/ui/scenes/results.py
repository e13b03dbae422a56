"""The turn's results, page by page: each battle on its own page, then the rest.

A battle page gives both sides' strengths and losses, their commanders and what became
of them, and how lucky the result was against the odds (those the player was shown if
the player attacked, otherwise estimated from the battle's figures).  Space, Enter, the
right arrow or a click turn the page; Escape skips to the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame

from game.engine.chronicle import Entry
from game.game import TurnRecord
from game.ui import describe, theme
from game.ui.app import App
from game.ui.battle_odds import odds_from_figures
from game.ui.scene import Scene
from game.ui.session import ShownOdds
from game.ui.widgets.button import Button
from game.ui.widgets.panel import bar, heading, panel, paragraph, text

if TYPE_CHECKING:
    from game.ui.scenes.campaign import CampaignScene

GROUPS = (
    ("Battles won and lost", ("surrender",)),
    ("Occupations", ("occupation",)),
    ("Risings", ("rising", "dispersal", "massacre")),
    ("Events", ("event", "peace", "talks", "war_end")),
    ("Marches", ("march", "arrival", "retreat")),
)


@dataclass
class Page:
    """One page: a battle entry, or a titled list of entries."""

    title: str
    entries: list[Entry]
    battle: Entry | None = None
    p_win: float | None = None
    shown: ShownOdds | None = None
    """The odds the player was shown for this attack, if the player ordered it."""


def pages_of(
    scn: Any, record: TurnRecord, entries: list[Entry], shown: dict[tuple[int, int, int], ShownOdds]
) -> list[Page]:
    """Return the pages for a turn's visible entries."""
    out = []
    for e in entries:
        if e.kind == "battle":
            p = scn.province_index.get(e.figures.get("province_id"), -1)
            odds = shown.get((record.turn, p, int(e.figures.get("attacker", -1))))
            out.append(
                Page(
                    f"Battle of {scn.province_name(p)}",
                    [e],
                    e,
                    odds.p_win if odds is not None else odds_from_figures(scn, e.figures),
                    odds,
                )
            )
    used = {"battle"}
    for title, kinds in GROUPS:
        group = [e for e in entries if e.kind in kinds]
        used |= set(kinds)
        if group:
            out.append(Page(title, group))
    rest = [e for e in entries if e.kind not in used]
    if rest:
        out.append(Page("Also this turn", rest))
    return out


class ResultsScene(Scene):
    """Shows a turn's results over the map, one page at a time.

    A *passive* results panel (while the computer plays on by itself) asks for nothing:
    the next turn replaces it, and every event but its own buttons and Escape goes on to
    the map beneath, so Space still pauses.
    """

    overlay = True

    def __init__(
        self,
        app: App,
        campaign: CampaignScene,
        record: TurnRecord,
        entries: list[Entry],
        *,
        passive: bool = False,
    ) -> None:
        super().__init__(app)
        self.campaign = campaign
        self.passive = passive
        s = campaign.session
        mine = {k: v for k, v in s.shown_odds.items() if k[2] == s.viewer}
        self.pages = pages_of(s.scn, record, entries, mine) or [Page("A quiet turn", [])]
        self.index = 0
        self.next = Button(pygame.Rect(0, 0, 130, 34), "Next", self.advance, "Next page (Space).")
        self.skip = Button(
            pygame.Rect(0, 0, 130, 34), "Close", self.finish, "Close the results (Esc)."
        )
        self.resize(self.size)
        self._focus()

    @property
    def page(self) -> Page:
        """The page shown."""
        return self.pages[self.index]

    def resize(self, size: tuple[int, int]) -> None:
        """Put the results panel on the right of the map, leaving the battlefield in view."""
        m = self.campaign.board.view.rect
        self.rect = pygame.Rect(0, 0, min(600, m.w - 300), min(440, m.h - 20))
        self.rect.midright = (m.right - 14, m.centery)
        self.next.rect.bottomright = (self.rect.right - 16, self.rect.bottom - 14)
        self.skip.rect.bottomright = (self.next.rect.x - 10, self.rect.bottom - 14)

    def _focus(self) -> None:
        b = self.page.battle
        self.campaign.flash = None
        if b is not None:
            p = self.campaign.session.scn.province_index.get(b.figures.get("province_id"))
            self.campaign.flash = p
            if p is not None:
                view = self.campaign.board.view
                x, y = view.art.points[p]
                view.camera.centre_on(float(x), float(y))
                view.camera.pan(-(self.rect.w + 20) / 2, 0)

    def advance(self) -> None:
        """Turn the page, or close after the last."""
        if self.index + 1 < len(self.pages):
            self.index += 1
            self._focus()
        else:
            self.finish()

    def finish(self) -> None:
        """Close the results and let the campaign go on."""
        self.campaign.flash = None
        self.close()
        self.campaign.results_closed()

    def update(self, dt: float) -> None:
        """Passive: the war beneath plays on."""
        if self.passive:
            self.campaign.update(dt)

    def handle(self, event: pygame.event.Event) -> None:
        """Page with keys or buttons (passive: only Escape and the buttons)."""
        if self.passive:
            used = event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE
            if used:
                self.finish()
            elif not (self.next.handle(event) or self.skip.handle(event)):
                self.campaign.handle(event)
            return
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_SPACE, pygame.K_RETURN, pygame.K_RIGHT, pygame.K_KP_ENTER):
                self.advance()
            elif event.key == pygame.K_ESCAPE:
                self.finish()
            return
        if not self.next.handle(event):
            self.skip.handle(event)

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the page."""
        panel(surf, self.rect)
        x, w = self.rect.x + 22, self.rect.w - 44
        page = self.page
        y = heading(surf, page.title, x, self.rect.y + 14, w, 26)
        text(
            surf,
            theme.body(12),
            f"Page {self.index + 1} of {len(self.pages)}",
            (self.rect.right - 22, self.rect.y + 22),
            theme.INK_SOFT,
            "topright",
        )
        bottom = self.next.rect.y - 8
        if page.battle is not None:
            self._battle(surf, page, x, y + 6, w, bottom)
        else:
            for e in page.entries:
                if y + 16 > bottom:
                    text(
                        surf,
                        theme.body(12),
                        "… more in the log below the map.",
                        (x, y),
                        theme.INK_SOFT,
                    )
                    break
                y = self._entry(surf, e, x, y + 4, w, bottom)
        self.next.label = "Next" if self.index + 1 < len(self.pages) else "Continue"
        self.next.draw(surf)
        self.skip.draw(surf)

    def _entry(self, surf: pygame.Surface, e: Entry, x: int, y: int, w: int, bottom: int) -> int:
        """Draw one entry; a scenario event's text set apart as history's account."""
        scn = self.campaign.session.scn
        ev = describe.event_of(scn, e)
        if ev is None or not ev.text.strip():
            return paragraph(
                surf, theme.body_serif(13), f"{e.date:%d %b}: {e.text}", x, y, w, max_y=bottom
            )
        y = paragraph(
            surf,
            theme.body_serif(13, bold=True),
            f"{e.date:%d %b}: {ev.name}",
            x,
            y,
            w,
            max_y=bottom,
        )
        words = f"{describe.HISTORY_SAYS} {ev.text.strip()}"
        return paragraph(
            surf,
            theme.body_serif(12, italic=True),
            words,
            x + 12,
            y,
            w - 12,
            theme.INK_SOFT,
            bottom,
        )

    def _battle(
        self, surf: pygame.Surface, page: Page, x: int, y: int, w: int, bottom: int
    ) -> None:
        e = page.battle
        assert e is not None
        scn = self.campaign.session.scn
        f = e.figures
        att = int(f["attacker"])
        text(surf, theme.serif(16, italic=True), describe.long_date(e.date), (x, y), theme.INK_SOFT)
        y += 26
        col_w = w // 2
        for i, (side, pre) in enumerate(((att, "att"), (1 - att, "def"))):
            cx = x + i * col_w
            colour = theme.hex_colour(scn.model.sides[side].colour)
            pygame.draw.rect(surf, colour, pygame.Rect(cx, y + 4, 14, 14))
            text(
                surf,
                theme.title(20),
                f"{scn.side_name(side)} ({'attacking' if i == 0 else 'defending'})",
                (cx + 20, y),
            )
            cmd = int(f[f"{pre}_cmd"])
            fate = {1: " — killed", 2: " — taken prisoner"}.get(int(f[f"{pre}_cmd_fate"]), "")
            rows = [
                f"Men engaged: {int(f[f'{pre}_men']):,}",
                f"Killed: {int(f[f'{pre}_killed']):,}",
                f"Wounded: {int(f[f'{pre}_wounded']):,}",
                f"Captured or missing: {int(f[f'{pre}_captured']):,}",
                f"Led by {scn.commander_name(cmd)}{fate}" if cmd >= 0 else "No general present",
            ]
            yy = y + 30
            for r in rows:
                text(
                    surf,
                    theme.body(14, bold=r.endswith(("killed", "prisoner"))),
                    r,
                    (cx, yy),
                    theme.BAD if r.endswith(("killed", "prisoner")) else theme.INK,
                )
                yy += 21
        y += 30 + 21 * 5 + 10
        winner = int(f["winner"])
        verdict = {
            1: f"{scn.side_name(att)} carried the field",
            -1: f"{scn.side_name(1 - att)} held and drove them off",
            0: "Neither side gave way: a draw",
        }[winner]
        text(surf, theme.serif(20), f"{verdict} after {float(f['hours']):.1f} hours.", (x, y))
        y += 34
        p = page.p_win if page.p_win is not None else 0.5
        if winner != 0:
            won = winner == 1
            luck = describe.luck_words(p, won)
        else:
            luck = "a draw, which few battles end in"
        bar(surf, pygame.Rect(x, y, w, 14), [(p, theme.GOOD), (1 - p, theme.BAD)])
        y += 20
        paragraph(
            surf,
            theme.body_serif(14),
            f"{odds_words(scn, page)} gave the attacker a {p:.0%} chance of victory: {luck}.",
            x,
            y,
            w,
            max_y=bottom,
        )


def odds_words(scn: Any, page: Page) -> str:
    """Return whose odds a battle page quotes: those shown to the player, or an estimate."""
    shown = page.shown
    if shown is None:
        return "The odds before the battle, from its own figures,"
    names = [scn.force_name(f) for f in shown.forces]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] + " together"
    return f"The odds you were shown for {who} ({shown.att_men:,} men against ~{shown.def_men:,})"
