"""Words for the interface: what a force, a province, odds or a battle come to, in prose.

Kept apart from drawing (and from pygame) so the texts can be tested and reused by the
campaign, the replay and the end screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.codes import NONE, CommanderState, ForceKind, ForceStatus, OrderKind
from game.engine.chronicle import Entry
from game.engine.combat import Odds
from game.ui.session import Session

KIND_WORDS = {
    ForceKind.LINE_INFANTRY: "line infantry",
    ForceKind.CAVALRY: "cavalry",
    ForceKind.MILITIA: "militia",
    ForceKind.MONTONEROS: "montoneros (irregulars)",
    ForceKind.ARTILLERY: "artillery",
}
ORDER_WORDS = {
    OrderKind.HOLD: "hold",
    OrderKind.MARCH: "march to",
    OrderKind.FORCED_MARCH: "force-march to",
    OrderKind.ATTACK: "attack",
    OrderKind.GARRISON: "garrison",
    OrderKind.RETREAT: "retreat to",
    OrderKind.JOIN: "join",
}
MODIFIER_WORDS = {
    "quality": "Quality",
    "posture": "Posture",
    "terrain": "Terrain",
    "surprise": "Surprise",
    "leadership": "Leadership",
    "training": "Training",
    "morale": "Morale",
}


@dataclass(frozen=True)
class Row:
    """One labelled figure in a panel, with the tooltip that explains it."""

    label: str
    value: str
    tip: str = ""


def entry_text(scn: Any, e: Entry) -> str:
    """Return a chronicle entry's words for the player.

    A scenario event's own text was written from history ("15 October 1841. The Peruvians
    enter La Paz...") and fires in any war where its condition holds; this war's news is
    the event's name, and the text is quoted as history's account, not as what happened.
    """
    ev = event_of(scn, e)
    if ev is None or not ev.text.strip():
        return e.text
    return f"{ev.name}. {HISTORY_SAYS} “{ev.text.strip()}”"


HISTORY_SAYS = "As history tells it:"


def event_of(scn: Any, e: Entry) -> Any | None:
    """Return the scenario event an entry reports, if it reports one."""
    if e.kind != "event":
        return None
    i = scn.event_index.get(str(e.figures.get("event")))
    return None if i is None else scn.events[i]


def entry_line(scn: Any, e: Entry) -> str:
    """Return a chronicle entry as one dated line of the log."""
    return f"{e.date:%d %b %Y}  {entry_text(scn, e)}"


def long_date(d: dt.date) -> str:
    """Return a date as '18 November 1841'."""
    return f"{d.day} {d.strftime('%B')} {d.year}"


def order_text(s: Session, kind: OrderKind, target: int) -> str:
    """Return an order in words, e.g. 'attack Viacha'."""
    word = ORDER_WORDS[kind]
    if kind == OrderKind.JOIN:  # a join's target is a force
        return f"{word} {s.scn.force_name(target)}"
    return f"{word} {s.scn.province_name(target)}" if target != NONE else word


def force_rows(s: Session, f: int) -> list[Row]:
    """Return the details of a force as the viewer knows them."""
    scn, st = s.scn, s.game.state
    own = s.viewer is None or s.is_own(f)
    men = s.shown_men(f)
    rows = [Row("Side", scn.side_name(int(scn.force_side[f])))]
    q = int(scn.force_party[f])
    if q != NONE:
        rows.append(party_row(s, q, "Party"))
    rows += [
        Row(
            "Arm",
            KIND_WORDS[ForceKind(int(scn.kind[f]))],
            "Arm of service: sets quality, speed, surprise and supply needs.",
        ),
        Row(
            "Men",
            f"{men:,}" if own else "about {:,} ({:,}–{:,})".format(men, *s.shown_range([f])),
            "Men under arms."
            if own
            else "Your scouts' estimate, made afresh each week; the truth lies in the range "
            "nine times in ten.",
        ),
        Row(
            "Quality",
            f"{scn.quality[f]:.2f}",
            "Arms, drill and experience; 1.00 is average line infantry.",
        ),
    ]
    mem = None if own else s.memory()
    earlier = mem.before(f, s.game.turn) if mem is not None else None
    if earlier is not None:
        rows.append(
            Row(
                "Seen before",
                f"{scn.date_of(earlier.turn):%d %b}, {scn.province_name(earlier.province)}, "
                f"~{earlier.men:,}",
                "The last report of it before this week's: where, and how strong it looked.",
            )
        )
    loc = int(st.loc[0, f])
    if loc != NONE:
        where = scn.province_name(loc)
        if int(st.nxt[0, f]) != NONE and own:
            where = f"on the road from {where} to {scn.province_name(int(st.nxt[0, f]))}"
        rows.append(Row("Where", where))
    if own:
        rows += [
            Row(
                "Cohesion",
                f"{float(st.cohesion[0, f]):.0%}",
                "Order and spirit: falls with forced marches, hunger and defeat; a force fights at half strength when broken.",
            ),
            Row(
                "Supply",
                "in supply" if bool(st.supplied[0, f]) else "OUT OF SUPPLY",
                "Out of supply a force loses men to hunger and desertion every turn.",
            ),
            Row(
                "Dug in",
                f"{int(st.dug_in[0, f])} turns",
                "Turns it has stood in place: a force that has stood defends from a prepared position.",
            ),
        ]
        dest = int(st.dest[0, f])
        if dest != NONE:
            rows.append(Row("Marching to", scn.province_name(dest)))
        pend = s.pending().get(f)
        if pend:
            rows.append(Row("New order", order_text(s, *pend)))
    return rows


def party_row(s: Session, q: int, label: str = "Allies") -> Row:
    """Return an allied party as a row: its name and its will (if the viewer's), or that it left.

    A party is an ally fighting beside a side with an army of its own (exiles, a
    neighbour's corps): its forces join only each other, and it goes home with them when
    its own will fails, whatever its side's.
    """
    scn, st = s.scn, s.game.state
    name = scn.party_name(q)
    side = scn.side_name(int(scn.party_side[q]))
    leave = float(scn.party_leave[q])
    gone = bool(st.party_left[0, q])  # their going home is seen by all; their will is not
    known = s.viewer is None or int(scn.party_side[q]) == s.viewer
    state = (
        "has left the war"
        if gone
        else f"will {float(st.party_will[0, q]):.0%}"
        if known
        else "in the field"
    )
    return Row(
        label,
        f"{name}, {state}",
        f"{name}: allies fighting beside {side} with an army of their own. Their forces join "
        f"only each other; they leave the war and take them home when their will falls "
        f"below {leave:.0%}.",
    )


def party_rows(s: Session, side: int) -> list[Row]:
    """Return a row for each allied party of a side (none for most scenarios)."""
    return [party_row(s, q) for q in range(s.scn.Q) if int(s.scn.party_side[q]) == side]


def commander_rows(s: Session, f: int) -> list[Row]:
    """Return the details of a force's commander, if it has one the viewer can see."""
    c = int(s.game.state.commander[0, f])
    if c == NONE or (s.viewer is not None and not s.is_own(f) and not s.observation().seen[0, f]):  # type: ignore[union-attr]
        return []
    m = s.scn.model.commanders[c]
    rows = [
        Row("Commander", m.name, f"{m.rank}."),
        Row(
            "Leadership",
            f"{m.leadership:+.1f}",
            "Battle leadership, -2 to +2: multiplies his men's effectiveness by about exp(0.4 x rating).",
        ),
        Row(
            "Initiative",
            f"{m.initiative:+.1f}",
            "Boldness in manoeuvre, -2 to +2: adds to the surprise he achieves.",
        ),
    ]
    if m.head_of_state:
        rows.append(Row("", "Head of state: his death would shake his nation.", ""))
    if m.note:
        rows.append(Row("", m.note))
    return rows


def province_rows(s: Session, p: int) -> list[Row]:
    """Return what the viewer knows of a province."""
    scn, st = s.scn, s.game.state
    owner = int(st.owner[0, p])
    home = int(scn.home_side[p])
    rows = [
        Row("Held by", scn.side_name(owner) + ("" if home in (owner, NONE) else " (occupied)")),
        Row(
            "Terrain",
            scn.model.terrain[int(scn.terrain[p])].name,
            f"Defence x{scn.terrain_defence[scn.terrain[p]]:.2f} for the defender.",
        ),
        Row("Altitude", f"{scn.altitude[p]:,.0f} m"),
        Row(
            "Value",
            f"{scn.value[p]:g}",
            "Its worth in victory points: an enemy that holds it scores it (half for land it "
            "only claims); hover over the score for how the war is won.",
        ),
    ]
    if scn.fort[p]:
        rows.append(
            Row(
                "Works", "fortified", "A garrison that has dug in here fights from fortified works."
            )
        )
    if scn.partisans[p]:
        rows.append(
            Row(
                "Partisans",
                f"up to {int(scn.partisans[p]):,}",
                "Men who may rise against an occupier.",
            )
        )
    if scn.off_map[p]:
        rows.append(Row("", "Beyond the theatre: a base, not a battlefield."))
    return rows


def odds_rows(o: Odds, att_men: int, def_men: int) -> list[Row]:
    """Return the headline figures of a preview."""
    lost_a = o.attacker_casualty_fraction.median * att_men
    lost_d = o.defender_casualty_fraction.median * def_men
    return [
        Row(
            "Chance to win",
            f"{o.p_attacker_wins:.0%}",
            f"Out of {o.samples:,} resolutions of this battle by the real resolver: you won {o.p_attacker_wins:.0%}, lost {o.p_defender_wins:.0%}, and {o.p_draw:.0%} were drawn.",
        ),
        Row(
            "Your losses",
            f"~{lost_a:,.0f}",
            f"Median; 8 battles in 10 cost between {o.attacker_casualty_fraction.p10 * att_men:,.0f} and {o.attacker_casualty_fraction.p90 * att_men:,.0f} men (killed, wounded and captured).",
        ),
        Row(
            "Enemy losses",
            f"~{lost_d:,.0f}",
            f"Median; 8 in 10 between {o.defender_casualty_fraction.p10 * def_men:,.0f} and {o.defender_casualty_fraction.p90 * def_men:,.0f}.",
        ),
        Row(
            "Commander lost",
            f"{o.p_attacker_commander_lost:.0%} / {o.p_defender_commander_lost:.0%}",
            "Chance that your commander / theirs is killed or taken.",
        ),
    ]


def luck_words(p_win: float, won: bool) -> str:
    """Return how lucky a result was against the odds it had."""
    p = p_win if won else 1.0 - p_win
    if p < 0.2:
        return "a rare stroke of fortune" if won else "a disaster few would have foreseen"
    if p < 0.45:
        return "against the odds" if won else "an unlucky defeat"
    if p < 0.75:
        return "much as the odds suggested"
    return "the expected result"


def side_totals(s: Session) -> list[dict[str, Any]]:
    """Return each side's men, losses and provinces now (for the end screen and stats)."""
    st, scn = s.game.state, s.scn
    out = []
    for i in range(scn.S):
        mine = (scn.force_side == i) & (st.status[0] == ForceStatus.ACTIVE)
        out.append(
            {
                "side": scn.side_name(i),
                "men": int(st.men[0][mine].sum()),
                "killed": int(st.killed[0, i]),
                "wounded": int(st.wounded[0, i]),
                "captured": int(st.captured[0, i]),
                "deserted": int(st.deserted[0, i]),
                "provinces": int((st.owner[0] == i).sum()),
                "will": float(st.will[0, i]),
                "commanders_lost": int(
                    (
                        (st.cmd_state[0] == CommanderState.KILLED)
                        | (st.cmd_state[0] == CommanderState.CAPTURED)
                    )[np.asarray(scn.cmd_side) == i].sum()
                ),
            }
        )
    return out


def history_near(s: Session) -> tuple[list[Any], Any | None]:
    """Return the historical record of this turn's days, and the next entry after them."""
    scn = s.scn
    start = s.game.date
    end = start + dt.timedelta(days=scn.turn_days)
    now, nxt = [], None
    for e in sorted(scn.model.history.record, key=lambda e: e.date):
        last = e.end_date or e.date
        if e.date < end and last >= start:
            now.append(e)
        elif e.date >= end and nxt is None:
            nxt = e
    return now, nxt


def source_title(s: Session, source_id: str | None) -> str:
    """Return the title of a scenario source by id."""
    for src in s.scn.model.meta.sources:
        if src.id == source_id:
            return src.title
    return source_id or ""
