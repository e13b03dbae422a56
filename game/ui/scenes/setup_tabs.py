"""The four tabs of the what-if setup screen: their rows, buttons and drawing.

Each tab lays out the rows visible at its scroll position as buttons (steppers, toggles)
and value fields on the :class:`~game.ui.scenes.setup.SetupScene`, and draws the rest:
names, the sources' range of each strength with the value marked on it, and the texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.ui import theme
from game.ui.describe import long_date
from game.ui.widgets.button import Button
from game.ui.widgets.panel import paragraph, text

if TYPE_CHECKING:
    from game.ui.scenes.setup import SetupScene

ROW_H = {"forces": 28, "commanders": 30, "switches": 78}
OTHER_LABELS = {
    "historical": "Follows history",
    "easy": "Easy",
    "normal": "Normal",
    "hard": "Hard",
}


def _rows(sc: SetupScene) -> int:
    w = sc.whatif
    return {
        "forces": len(w.levers.forces),
        "commanders": len(w.levers.commanders),
        "switches": len(w.levers.switches),
    }.get(sc.tab, 0)


def visible(sc: SetupScene) -> int:
    """Return how many rows of the current tab fit in the content area."""
    h = ROW_H.get(sc.tab)
    return (sc.content.h - 24) // h if h else 0


def scroll(sc: SetupScene, rows: int) -> None:
    """Scroll the current tab by rows, within its length."""
    top = max(_rows(sc) - visible(sc), 0)
    sc.scroll[sc.tab] = min(max(sc.scroll.get(sc.tab, 0) + rows, 0), top)
    sc._layout()


def _small(rect: pygame.Rect, label: str, fn: Callable[[], None], tip: str) -> Button:
    return Button(rect, label, fn, tip, size=15)


def _stepper(
    sc: SetupScene, x: int, y: int, step: Callable[[int], None], what: str, big: str = ""
) -> None:
    """Add a pair of - and + buttons; shift-click steps ten times."""

    def go(sign: int) -> None:
        n = 10 if pygame.key.get_mods() & pygame.KMOD_SHIFT else 1
        step(sign * n)
        sc.changed()

    more = f" ({big} with Shift)" if big else ""
    sc.row_buttons.append(
        _small(pygame.Rect(x, y, 24, 22), "-", lambda: go(-1), f"Less {what}{more}.")
    )
    sc.row_buttons.append(
        _small(pygame.Rect(x + 96, y, 24, 22), "+", lambda: go(1), f"More {what}{more}.")
    )


# ---------------------------------------------------------------------- layout


def layout(sc: SetupScene) -> None:
    """Make the current tab's buttons and value fields."""
    {
        "forces": _layout_forces,
        "commanders": _layout_commanders,
        "switches": _layout_switches,
        "beginning": _layout_beginning,
    }[sc.tab](sc)


def _window(sc: SetupScene) -> range:
    first = sc.scroll.get(sc.tab, 0)
    return range(first, min(first + visible(sc), _rows(sc)))


def _row_y(sc: SetupScene, i: int) -> int:
    return sc.content.y + 22 + (i - sc.scroll.get(sc.tab, 0)) * ROW_H[sc.tab]


def _layout_forces(sc: SetupScene) -> None:
    w = sc.whatif
    x = sc.content.x + 560
    for i in _window(sc):
        f = w.levers.forces[i]
        y = _row_y(sc, i) + 2
        _stepper(sc, x, y, lambda n, fid=f.id: w.step_men(fid, n), "men: 50", "500")
        rect = pygame.Rect(x + 28, y, 64, 22)
        sc.value_fields.append((f.id, rect))
        sc.row_tips.append((rect, "Click and type a number of men; Enter keeps it."))


def _commander_columns(sc: SetupScene) -> tuple[int, int]:
    """Return where the commanders' buttons begin and the step between their columns."""
    c = sc.content
    return c.x + min(250, max(c.w - 470, 180)), 140 if c.w >= 760 else 120


def _layout_commanders(sc: SetupScene) -> None:
    w = sc.whatif
    x0, step = _commander_columns(sc)
    for i in _window(sc):
        c = w.levers.commanders[i]
        y = _row_y(sc, i) + 3
        present = bool(w.commander_value(c.id, "present"))

        def flip(cid: str = c.id, now: bool = present) -> None:
            w.set_commander(cid, "present", not now)
            sc.changed()

        sc.row_buttons.append(
            Button(
                pygame.Rect(x0, y, 90, 22),
                "Present" if present else "Absent",
                flip,
                "Whether he takes part; without him his force has no leader.",
                selected=present,
                size=14,
            )
        )
        for j, key in enumerate(("leadership", "initiative", "exposure")):
            _stepper(
                sc,
                x0 + 110 + j * step,
                y,
                lambda n, cid=c.id, k=key: w.step_commander(cid, k, n),
                key,
            )


def _layout_switches(sc: SetupScene) -> None:
    w = sc.whatif
    for i in _window(sc):
        s = w.levers.switches[i]
        on = w.switch_of(s.id)

        def flip(eid: str = s.id) -> None:
            w.toggle(eid)
            sc.changed()

        sc.row_buttons.append(
            Button(
                pygame.Rect(sc.content.x, _row_y(sc, i) + 4, 64, 26),
                "On" if on else "Off",
                flip,
                "Switch this what-if event on or off.",
                selected=on,
                size=15,
            )
        )


def _layout_beginning(sc: SetupScene) -> None:
    w = sc.whatif
    c = sc.content
    x, y = c.x, c.y + 34
    for sid, name in [*w.levers.sides, ("both", "Both (hot seat)")]:
        wd = max(theme.title(16).size(name)[0] + 24, 100)

        def pick(s: str = sid) -> None:
            w.side = s
            sc.changed()

        tip = "Two people at one screen." if sid == "both" else f"You command {name}."
        sc.row_buttons.append(
            Button(pygame.Rect(x, y, wd, 32), name, pick, tip, selected=w.side == sid, size=16)
        )
        x += wd + 8
    x, y = c.x, c.y + 120
    for other, label in OTHER_LABELS.items():
        wd = 150 if other == "historical" else 90

        def pick_other(o: str = other) -> None:
            w.other = o
            sc.changed()

        tip = (
            "The other side keeps to its recorded orders where it still can, improvising "
            "where history no longer fits."
            if other == "historical"
            else f"The other side is free: the computer commands it at '{other}' level."
        )
        b = Button(
            pygame.Rect(x, y, wd, 32), label, pick_other, tip, selected=w.other == other, size=16
        )
        b.enabled = w.side != "both"
        sc.row_buttons.append(b)
        x += wd + 8
    y = c.y + 206
    steps = (
        ("« month", -4, "Four turns earlier."),
        ("‹ week", -1, "One turn earlier."),
        ("week ›", 1, "One turn later."),
        ("month »", 4, "Four turns later."),
    )
    x = c.x
    for label, n, tip in steps:

        def move(k: int = n) -> None:
            w.step_start(k)
            sc.changed()

        sc.row_buttons.append(Button(pygame.Rect(x, y, 96, 32), label, move, tip, size=15))
        x += 104 if n != -1 else 104 + 230


# ---------------------------------------------------------------------- drawing


def draw(sc: SetupScene, surf: pygame.Surface) -> None:
    """Draw the current tab's content (its tooltips are gathered afresh in ``draw_tips``)."""
    sc.draw_tips = []
    {
        "forces": _draw_forces,
        "commanders": _draw_commanders,
        "switches": _draw_switches,
        "beginning": _draw_beginning,
    }[sc.tab](sc, surf)
    n, shown = _rows(sc), visible(sc)
    if n > shown:
        first = sc.scroll.get(sc.tab, 0)
        text(
            surf,
            theme.body(12),
            f"{first + 1}–{min(first + shown, n)} of {n} · wheel to scroll",
            (sc.content.right, sc.content.bottom),
            theme.INK_SOFT,
            "bottomright",
        )


def _colour(sc: SetupScene, side: str) -> theme.Colour:
    lv = sc.whatif.levers
    ids = [s for s, _ in lv.sides]
    if side in ids and len(lv.colours) == len(ids):
        return theme.hex_colour(lv.colours[ids.index(side)])
    return theme.INK_SOFT


def _name(
    sc: SetupScene, surf: pygame.Surface, side: str, name: str, x: int, y: int, w: int
) -> None:
    pygame.draw.rect(surf, _colour(sc, side), pygame.Rect(x, y + 5, 10, 12))
    font = theme.body(13)
    while name and font.size(name)[0] > w - 18:
        name = name[:-2] + "…"
    text(surf, font, name, (x + 16, y + 2))


def _draw_forces(sc: SetupScene, surf: pygame.Surface) -> None:
    c, w = sc.content, sc.whatif
    head = theme.body(12, bold=True)
    text(surf, head, "Force", (c.x, c.y), theme.INK_SOFT)
    text(surf, head, "The sources' range, and this what-if", (c.x + 290, c.y), theme.INK_SOFT)
    text(surf, head, "Men", (c.x + 600, c.y), theme.INK_SOFT)
    for i in _window(sc):
        f = w.levers.forces[i]
        y = _row_y(sc, i)
        men = w.men_of(f.id)
        _name(sc, surf, f.side, f.name, c.x, y + 2, 280)
        _range(surf, pygame.Rect(c.x + 290, y + 4, 175, 18), f.low, f.high, f.men, men)
        rect = next(r for fid, r in sc.value_fields if fid == f.id)
        if not (sc.edit is not None and sc.edit_id == f.id):
            pygame.draw.rect(surf, (252, 248, 236), rect)
            pygame.draw.rect(surf, theme.INK_SOFT, rect, 1)
            text(
                surf,
                theme.body(13, bold=men != f.men),
                f"{men:,}",
                (rect.right - 5, rect.centery),
                theme.INK,
                "midright",
            )
        mark = ("beyond", theme.BAD) if not f.within(men) else ("changed", theme.GOOD)
        if men != f.men or not f.within(men):
            font = theme.body(12, bold=mark[0] == "beyond")
            if rect.right + 40 + font.size(mark[0])[0] <= c.right:
                text(surf, font, mark[0], (rect.right + 40, y + 4), mark[1])
            else:  # a narrow window: the box's frame says it
                pygame.draw.rect(surf, mark[1], rect, 2)
        sc.draw_tips.append(
            (
                pygame.Rect(c.x, y, 540, ROW_H["forces"]),
                f"{f.name}: {men:,} men here, {f.men:,} in the starting point; the sources "
                f"support {f.low:,} to {f.high:,}.",
            )
        )


def _range(surf: pygame.Surface, r: pygame.Rect, low: int, high: int, base: int, men: int) -> None:
    """Draw the sources' range on a scale, with the starting value and this one marked."""
    top = max(high, men, base, 1) * 1.25
    px = lambda v: r.x + round(r.w * min(v, top) / top)  # noqa: E731
    pygame.draw.line(surf, theme.PARCHMENT_DARK, (r.x, r.centery), (r.right, r.centery), 2)
    pygame.draw.rect(
        surf,
        theme.mix(theme.GOOD, theme.PANEL, 0.55),
        pygame.Rect(px(low), r.y + 4, max(px(high) - px(low), 2), r.h - 8),
    )
    pygame.draw.line(surf, theme.INK_SOFT, (px(base), r.y + 2), (px(base), r.bottom - 2), 1)
    colour = theme.GOOD if low <= men <= high else theme.BAD
    pygame.draw.circle(surf, colour, (px(men), r.centery), 5)
    text(
        surf,
        theme.body(11),
        f"{low:,}–{high:,}" if low < high else f"{low:,} (no range)",
        (r.right + 4, r.centery),
        theme.INK_SOFT,
        "midleft",
    )


def _draw_commanders(sc: SetupScene, surf: pygame.Surface) -> None:
    c, w = sc.content, sc.whatif
    head = theme.body(12, bold=True)
    x0, step = _commander_columns(sc)
    text(surf, head, "Commander", (c.x, c.y), theme.INK_SOFT)
    for j, label in enumerate(("Leadership", "Initiative", "Exposure")):
        text(surf, head, label, (x0 + 110 + j * step + 60, c.y), theme.INK_SOFT, "midtop")
    for i in _window(sc):
        cm = w.levers.commanders[i]
        y = _row_y(sc, i)
        _name(sc, surf, cm.side, cm.name, c.x, y + 3, x0 - c.x - 10)
        for j, key in enumerate(("leadership", "initiative", "exposure")):
            v = float(w.commander_value(cm.id, key))
            fmt = f"{v:.1f}" if key == "exposure" else f"{v:+.1f}"
            bold = v != getattr(cm, key)
            text(
                surf,
                theme.body(13, bold=bold),
                fmt,
                (x0 + 110 + j * step + 60, y + 14),
                theme.GOOD if bold else theme.INK,
                "center",
            )
        sc.draw_tips.append(
            (
                pygame.Rect(c.x, y, 240, ROW_H["commanders"]),
                f"{cm.name}: leadership and initiative run from -2 to +2 (0.5 a step); "
                "exposure, how much he risks himself, from 0 to 3 (1 is normal).",
            )
        )


def _draw_switches(sc: SetupScene, surf: pygame.Surface) -> None:
    c, w = sc.content, sc.whatif
    if not w.levers.switches:
        paragraph(
            surf,
            theme.body_serif(14, italic=True),
            "This scenario offers no what-if switches.",
            c.x,
            c.y + 20,
            c.w,
            theme.INK_SOFT,
        )
        return
    text(
        surf,
        theme.body(12, bold=True),
        "What-if events of the scenario (on: it can happen)",
        (c.x, c.y),
        theme.INK_SOFT,
    )
    for i in _window(sc):
        s = w.levers.switches[i]
        y = _row_y(sc, i)
        bottom = y + ROW_H["switches"] - 4
        y2 = paragraph(
            surf, theme.body_serif(13, bold=True), s.name, c.x + 76, y + 4, c.w - 80, max_y=bottom
        )
        paragraph(
            surf, theme.body_serif(12), s.text, c.x + 76, y2, c.w - 80, theme.INK_SOFT, bottom
        )


def _draw_beginning(sc: SetupScene, surf: pygame.Surface) -> None:
    from game.ui.scenes.setup import start_date_words

    c, w = sc.content, sc.whatif
    title = theme.title(18)
    text(surf, title, "You command", (c.x, c.y + 6))
    text(surf, title, "The other side", (c.x, c.y + 92))
    text(surf, title, "You take command on", (c.x, c.y + 178))
    assert w.start is not None
    text(
        surf, theme.title(20), long_date(w.start), (c.x + 208 + 115, c.y + 222), theme.INK, "center"
    )
    y = paragraph(surf, theme.body_serif(13), start_date_words(w), c.x, c.y + 252, c.w)
    end = w.start + dt.timedelta(days=w.levers.turn_days)
    near = [t for d, t in w.levers.record if w.start <= d < end]
    if near:
        bottom = c.bottom - 44  # above the note
        y = paragraph(
            surf,
            theme.body_serif(12, bold=True),
            "In history these days:",
            c.x,
            y + 10,
            c.w,
            max_y=bottom,
        )
        for t in near[:5]:
            y = paragraph(surf, theme.body_serif(12), f"• {t}", c.x + 6, y, c.w - 6, max_y=bottom)
    paragraph(
        surf,
        theme.body_serif(12, italic=True),
        "The start date is not part of the what-if file: it is where you take command, as "
        "from a replay. The saved file says how to play it from the same date.",
        c.x,
        c.bottom - 40,
        c.w,
        theme.INK_SOFT,
    )
