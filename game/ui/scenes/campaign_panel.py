"""Drawing of the campaign screen's top bar, side panel, odds panel, history and log."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.codes import NONE
from game.ui import describe, intel, score, theme
from game.ui.describe import Row
from game.ui.layout import fit
from game.ui.widgets.panel import bar, heading, panel, paragraph, text

if TYPE_CHECKING:
    from game.ui.scenes.campaign import CampaignScene


def history_height(height: int) -> int:
    """Return the height of the panel's "in history" part for a window height."""
    return min(max(int(height * 0.26), 140), 200)


def draw_top(sc: CampaignScene, surf: pygame.Surface) -> None:
    """Draw the bar with the date, the turn, who is to move, the score, and the buttons.

    What does not fit between the date and the buttons is cut short (the tooltip of the
    date gives it all), so a small window never has text under its buttons.
    """
    w = surf.get_width()
    rect = pygame.Rect(0, 0, w, 48)
    pygame.draw.rect(surf, (92, 62, 40), rect)
    pygame.draw.line(surf, theme.HIGHLIGHT, (0, 47), (w, 47), 2)
    s = sc.session
    g = s.game
    date = describe.long_date(g.date)
    date_r = text(surf, theme.title(24), date, (14, 8), theme.BUTTON_TEXT)
    sub = f"Turn {g.turn + 1} of {s.scn.n_turns}"
    if s.viewer is not None:
        sub += f"  ·  {s.scn.side_name(s.viewer)} to give orders"
    else:
        sub += "  ·  the generals play both sides" + ("" if not sc.auto else ", on their own")
    x, room = date_r.right + 18, sc.title_right - date_r.right - 30
    chip = f"Score: {score.score_words(s)}"
    chip_font = theme.body(13, bold=True)
    sub_font = theme.serif(17, italic=True)
    show_chip = chip_font.size(chip)[0] + sub_font.size(sub)[0] + 24 <= room
    if show_chip:
        room -= chip_font.size(chip)[0] + 24
    sub_r = text(surf, sub_font, fit(sub_font, sub, room), (x, 14), (236, 220, 190))
    whole = f"{date}. {sub}. Each turn is {s.scn.turn_days} days; the war may run until {describe.long_date(s.scn.end)}."
    sc.panel_tips = [(pygame.Rect(14, 8, max(sub_r.right - 14, 10), 32), whole)]
    if show_chip:
        r = text(surf, chip_font, chip, (sc.title_right - 6, 16), theme.HIGHLIGHT, "topright")
        sc.panel_tips.append(
            (
                r.inflate(8, 12),
                f"Victory points now: {score.score_words(s)} ({score.lead_words(s)}).\n\n{score.how_won(s)}",
            )
        )
    for b in sc.buttons.values():
        b.draw(surf)


def _rows(
    sc: CampaignScene, surf: pygame.Surface, rows: list[Row], x: int, y: int, w: int, max_y: int
) -> int:
    label_f, value_f = theme.body(13), theme.body(13, bold=True)
    for r in rows:
        if y + 18 > max_y:
            break
        if r.label:
            text(surf, label_f, r.label, (x, y), theme.INK_SOFT)
            end = paragraph(surf, value_f, r.value, x + 118, y, w - 118, max_y=max_y)
            sc.panel_tips.append((pygame.Rect(x, y, w, end - y), r.tip or f"{r.label}: {r.value}"))
            y = end + 3
        else:
            y = (
                paragraph(surf, theme.body_serif(12, italic=True), r.value, x, y, w, max_y=max_y)
                + 2
            )
    return y


def draw_panel(sc: CampaignScene, surf: pygame.Surface) -> None:
    """Draw the side panel: selection or odds above, history below."""
    rect = sc.panel_rect
    panel(surf, rect)
    x, w = rect.x + 16, rect.w - 32
    hist_h = history_height(surf.get_height())
    top = pygame.Rect(rect.x, rect.y, rect.w, rect.h - hist_h)
    sc.panel_forces = []
    if sc.preview is not None:
        _odds(sc, surf, x, top.y + 12, w, top.bottom)
    elif sc.selected is not None and sc.joining:
        _join_choice(sc, surf, sc.selected, x, top.y + 12, w, top.bottom)
    elif sc.selected is not None:
        _force(sc, surf, sc.selected, x, top.y + 12, w, top.bottom, hint=True)
    elif sc.inspect_force is not None:
        _force(sc, surf, sc.inspect_force, x, top.y + 12, w, top.bottom, hint=False)
    elif sc.inspect is not None:
        _province(sc, surf, sc.inspect, x, top.y + 12, w, top.bottom)
    else:
        _overview(sc, surf, x, top.y + 12, w, top.bottom)
    _history(sc, surf, pygame.Rect(rect.x, rect.bottom - hist_h, rect.w, hist_h))


def _force(
    sc: CampaignScene, surf: pygame.Surface, f: int, x: int, y: int, w: int, max_y: int, hint: bool
) -> None:
    s = sc.session
    y = heading(surf, s.scn.force_name(f), x, y, w, 21)
    y = _rows(sc, surf, describe.force_rows(s, f), x, y + 2, w, max_y)
    crow = describe.commander_rows(s, f)
    if crow:
        y = heading(surf, "Commander", x, y + 8, w, 17)
        y = _rows(sc, surf, crow, x, y + 2, w, max_y)
    if hint and y + 40 < max_y:
        tip = "Click a lit town to march there; red rings mean an attack on enemies you can see. Shift-click to force-march. H holds, G garrisons, J joins another of your forces, Esc cancels."
        paragraph(surf, theme.body_serif(12, italic=True), tip, x, y + 10, w, theme.INK_SOFT, max_y)


def _join_choice(
    sc: CampaignScene, surf: pygame.Surface, f: int, x: int, y: int, w: int, max_y: int
) -> None:
    """List the forces the selected one may join: a click on one gives the order."""
    s = sc.session
    y = heading(surf, f"{s.scn.force_name(f)} joins…", x, y, w, 21)
    y = paragraph(
        surf,
        theme.body_serif(12, italic=True),
        "Click the force it should join, here or on the map. It marches to that force and "
        "merges into it, under the better commander. Esc cancels.",
        x,
        y + 4,
        w,
        theme.INK_SOFT,
        max_y,
    )
    party = int(s.scn.force_party[f])
    others = [
        g
        for g in s.visible_forces()
        if g != f and s.is_own(g) and int(s.scn.force_party[g]) == party
    ]
    _force_list(sc, surf, others, x, y + 6, w, max_y)


def _province(
    sc: CampaignScene, surf: pygame.Surface, p: int, x: int, y: int, w: int, max_y: int
) -> None:
    s = sc.session
    y = heading(surf, s.scn.province_name(p), x, y, w, 21)
    y = _rows(sc, surf, describe.province_rows(s, p), x, y + 2, w, max_y)
    here = [
        f
        for f in s.visible_forces()
        if int(s.game.state.loc[0, f]) == p and int(s.game.state.nxt[0, f]) == NONE
    ]
    if here:
        y = heading(surf, "Forces here", x, y + 8, w, 17)
        y = _force_list(sc, surf, here, x, y, w, max_y)
    note = s.scn.model.map.provinces[p].note
    if note and y + 30 < max_y:
        paragraph(surf, theme.body_serif(12, italic=True), note, x, y + 6, w, theme.INK_SOFT, max_y)


def _force_list(
    sc: CampaignScene, surf: pygame.Surface, forces: list[int], x: int, y: int, w: int, max_y: int
) -> int:
    """Draw a list of forces, one a line: name (cut short if long), strength, order tick.

    A list longer than the room scrolls with the wheel; arrows say how many lie above
    and below.
    """
    s = sc.session
    font, row_h = theme.body(13), 20
    rows = max((max_y - y) // row_h, 1)
    if len(forces) > rows:
        rows = max(rows - 1, 1)
    sc.list_scroll = min(max(sc.list_scroll, 0), max(len(forces) - rows, 0))
    sc.list_rect = pygame.Rect(x, y, w, rows * row_h)
    first = sc.list_scroll if len(forces) > rows else 0
    pending = s.pending()
    for f in forces[first : first + rows]:
        own = s.viewer is None or s.is_own(f)
        men = f"{'' if own else '~'}{s.shown_men(f):,}"
        colour = theme.hex_colour(s.scn.model.sides[int(s.scn.force_side[f])].colour)
        pygame.draw.rect(surf, colour, pygame.Rect(x, y + 3, 12, 12))
        right = x + w - 16
        text(surf, font, men, (right, y), theme.INK, "topright")
        room = right - font.size(men)[0] - 10 - (x + 18)
        text(surf, font, fit(font, s.scn.force_name(f), room), (x + 18, y))
        if f in pending:
            text(surf, theme.body(12, bold=True), "✓", (x + w, y), theme.GOOD, "topright")
        hit = pygame.Rect(x, y, w, row_h - 2)
        tip = f"{s.scn.force_name(f)}: {intel.men_words(s, [f])}"
        if f in pending:
            tip += f"; ordered to {describe.order_text(s, *pending[f])}"
        if s.is_own(f):
            sc.panel_forces.append((hit, f))
            tip += ". Click to select it."
        sc.panel_tips.append((hit, tip))
        y += row_h
    hidden_above, hidden_below = first, max(len(forces) - first - rows, 0)
    if hidden_above or hidden_below:
        words = f"▲ {hidden_above} more  ·  ▼ {hidden_below} more  (wheel to scroll)"
        text(surf, theme.body(11), words, (x, y), theme.INK_SOFT)
        y += row_h
    return y


def _score_row(sc: CampaignScene, surf: pygame.Surface, x: int, y: int, w: int) -> int:
    """Draw the running score; its tooltip says how the war is won."""
    s = sc.session
    text(surf, theme.body(13), "Score", (x, y), theme.INK_SOFT)
    end = paragraph(surf, theme.body(13, bold=True), score.score_words(s), x + 118, y, w - 118)
    tip = f"Victory points if the war ended now: {score.score_words(s)} ({score.lead_words(s)}).\n\n{score.how_won(s)}"
    sc.panel_tips.append((pygame.Rect(x, y, w, end - y), tip))
    return end + 2


def _overview(sc: CampaignScene, surf: pygame.Surface, x: int, y: int, w: int, max_y: int) -> None:
    s = sc.session
    scn = s.scn
    if s.viewer is None:
        y = heading(surf, "The generals at war", x, y, w, 21)
        y = paragraph(
            surf,
            theme.body_serif(13),
            "The computer plays both sides. Press Next Turn (Enter) to play a turn, or Play to let the war run.",
            x,
            y + 4,
            w,
            max_y=max_y,
        )
        rows = [
            Row(
                t["side"],
                f"{t['men']:,} men, {t['provinces']} provinces",
                "Men under arms and provinces held.",
            )
            for t in describe.side_totals(s)
        ]
        rows += [r for i in range(scn.S) for r in describe.party_rows(s, i)]
        y = _rows(sc, surf, rows, x, y + 4, w, max_y)
        _score_row(sc, surf, x, y + 2, w)
        return
    side = s.viewer
    y = heading(surf, scn.side_name(side), x, y, w, 22)
    aims = scn.model.sides[side].war_aims
    start = y
    y = paragraph(
        surf, theme.body_serif(12, italic=True), aims.summary, x, y + 2, w, theme.INK_SOFT, max_y
    )
    goals = ", ".join(
        scn.province_name(scn.province_index[p]) for p in aims.objectives if p in scn.province_index
    )
    sc.panel_tips.append(
        (
            pygame.Rect(x, start, w, y - start),
            f"War aims: {' '.join(aims.summary.split())}\nObjectives: {goals}.\n\n{score.how_won(s)}",
        )
    )
    will = float(s.game.state.will[0, side])
    text(surf, theme.body(13), "War will", (x, y + 6), theme.INK_SOFT)
    bar(
        surf,
        pygame.Rect(x + 118, y + 8, w - 118, 12),
        [(will, theme.GOOD), (1 - will, theme.PARCHMENT_DARK)],
    )
    sc.panel_tips.append(
        (
            pygame.Rect(x, y + 4, w, 18),
            f"War will {will:.0%}: how long your nation will fight on. It falls with defeats, losses and occupation; near zero you must seek peace.",
        )
    )
    y += 26
    allies = describe.party_rows(s, side)
    if allies:
        y = _rows(sc, surf, allies, x, y, w, max_y)
    y = _score_row(sc, surf, x, y, w)
    y = heading(surf, "Your forces", x, y + 6, w, 17)
    own = [f for f in s.visible_forces() if s.is_own(f)]
    y = _force_list(sc, surf, own, x, y, w, max_y)
    if y + 34 < max_y:
        paragraph(
            surf,
            theme.body_serif(12, italic=True),
            "Click a force on the map or in this list to give it orders. Tab selects the next one without orders.",
            x,
            y + 8,
            w,
            theme.INK_SOFT,
            max_y,
        )


def _odds(sc: CampaignScene, surf: pygame.Surface, x: int, y: int, w: int, max_y: int) -> None:
    pv = sc.preview
    assert pv is not None
    s = sc.session
    a = pv.attack
    y = heading(surf, f"Attack on {s.scn.province_name(a.province)}", x, y, w, 21)
    lo, hi = s.shown_range(list(a.defenders))
    text(
        surf,
        theme.body(13, bold=True),
        f"{a.att_men:,} men  against  ~{a.def_men:,} ({lo:,}–{hi:,})",
        (x, y + 2),
    )
    sc.panel_tips.append(
        (
            pygame.Rect(x, y, w, 18),
            f"Your men exactly; theirs as your scouts estimate them: {intel.REDRAWN}.",
        )
    )
    o = pv.odds
    y += 24
    bar(
        surf,
        pygame.Rect(x, y, w, 16),
        [
            (o.p_attacker_wins, theme.GOOD),
            (o.p_draw, theme.PARCHMENT_DARK),
            (o.p_defender_wins, theme.BAD),
        ],
    )
    sc.panel_tips.append(
        (
            pygame.Rect(x, y, w, 16),
            f"Win {o.p_attacker_wins:.0%} · draw {o.p_draw:.0%} · defeat {o.p_defender_wins:.0%}",
        )
    )
    y = _rows(sc, surf, describe.odds_rows(o, a.att_men, a.def_men), x, y + 22, w, max_y)
    y = heading(surf, "Modifiers (you / them)", x, y + 6, w, 16)
    for m in pv.modifiers:
        if y + 17 > max_y:
            break
        text(
            surf,
            theme.body(12),
            describe.MODIFIER_WORDS.get(m.name, m.name),
            (x, y),
            theme.INK_SOFT,
        )
        for val, col_x in ((m.attacker, x + 150), (m.defender, x + 230)):
            colour = (
                theme.GOOD
                if (val > 1.001) == (col_x == x + 150) and abs(val - 1) > 0.001
                else (theme.BAD if abs(val - 1) > 0.001 else theme.INK)
            )
            text(surf, theme.body(12, bold=True), f"x{val:.2f}", (col_x, y), colour)
        sc.panel_tips.append(
            (
                pygame.Rect(x, y, w, 16),
                f"{describe.MODIFIER_WORDS.get(m.name, m.name)}: {m.note}. You x{m.attacker:.2f}, them x{m.defender:.2f}.",
            )
        )
        y += 17
    for note in a.assumptions:
        if y + 30 > max_y:
            break
        y = paragraph(
            surf,
            theme.body_serif(11, italic=True),
            f"Assumed: {note}.",
            x,
            y + 2,
            w,
            theme.INK_SOFT,
            max_y,
        )


def _history(sc: CampaignScene, surf: pygame.Surface, rect: pygame.Rect) -> None:
    s = sc.session
    pygame.draw.line(surf, theme.PANEL_EDGE, (rect.x + 8, rect.y), (rect.right - 8, rect.y), 2)
    x, w = rect.x + 16, rect.w - 32
    y = heading(surf, "In these days, in history", x, rect.y + 8, w, 17)
    now, nxt = describe.history_near(s)
    font = theme.body_serif(12)
    if not now:
        y = paragraph(
            surf,
            theme.body_serif(12, italic=True),
            "Nothing of note is recorded for these days.",
            x,
            y + 2,
            w,
            theme.INK_SOFT,
            rect.bottom - 8,
        )
    for e in now:
        start_y = y
        y = paragraph(
            surf,
            theme.body_serif(12, bold=True),
            f"{e.date:%d %b %Y}: {e.title}",
            x,
            y + 2,
            w,
            max_y=rect.bottom - 8,
        )
        if e.text:
            y = paragraph(surf, font, e.text, x, y, w, max_y=rect.bottom - 8)
        sc.panel_tips.append(
            (
                pygame.Rect(x, start_y, w, y - start_y),
                f"Source: {describe.source_title(s, e.source)}",
            )
        )
    if nxt is not None and y + 34 < rect.bottom:
        y = paragraph(
            surf,
            theme.body_serif(12, italic=True),
            f"Next in history, {describe.long_date(nxt.date)}: {nxt.title}.",
            x,
            y + 6,
            w,
            theme.INK_SOFT,
            rect.bottom - 8,
        )


def draw_log(sc: CampaignScene, surf: pygame.Surface) -> None:
    """Draw the scrolling chronicle under the map."""
    panel(surf, sc.log.rect, theme.PANEL)
    sc.log.draw(surf)


def map_tooltip(sc: CampaignScene, pos: tuple[int, int]) -> str:
    """Return the tooltip of a counter, a town, a link's march days or a province's country."""
    s = sc.session
    scn = s.scn
    stack = sc.board.stack_at(pos)
    if stack is not None:
        return intel.stack_tip(s, stack.forces)
    f = sc.board.force_at(pos)
    if f is not None:
        return intel.force_tip(s, f)
    ghost = sc.board.ghost_at(pos)
    if ghost is not None:
        return intel.ghost_tip(s, ghost)
    p = sc.board.view.province_at(pos)
    if p is not None:
        rows = [
            Row(r.label, score.value_words(s, p)) if r.label == "Value" else r
            for r in describe.province_rows(s, p)
        ]
        tip = (
            scn.province_name(p)
            + "\n"
            + "\n".join(f"{r.label}: {r.value}" if r.label else r.value for r in rows)
        )
        if sc.selected is not None and p in s.destinations(sc.selected):
            here = int(s.game.state.loc[0, sc.selected])
            tip += f"\n{scn.dist_days[here, p]:g} days' march from {scn.province_name(here)}."
        return tip
    link = sc.board.link_at(pos)
    if link is not None:
        a, b = link
        from game.codes import CROSSINGS, ROADS

        road = ROADS[int(scn.link_road[a, b])]
        crossing = CROSSINGS[int(scn.link_crossing[a, b])]
        more = "" if crossing == "none" else f", crossing a {crossing}"
        return f"{scn.province_name(a)} – {scn.province_name(b)}: {scn.link_days[a, b]:g} days' march by {road}{more}."
    region = sc.board.view.region_at(pos)
    if region is not None:
        return f"Country of {scn.province_name(region)}, held by {scn.side_name(int(s.game.state.owner[0, region]))}."
    return ""
