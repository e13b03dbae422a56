"""The replay printed for a reader: each turn's chronicle beside what really happened.

Each turn is a two-column table, the played war on the left and the record on the right
with its source reference, so a departure from history shows on the line where it
happens.  Turns where nothing happened in either are folded into one line.
"""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table
from rich.text import Text

from game.engine.chronicle import Entry
from game.history import record
from game.history.replay import Chronicle, ReplayTurn, describe_record
from game.scenario.compile import CompiledScenario

KIND_STYLE = {
    "battle": "bold red",
    "treaty": "bold green",
    "occupation": "yellow",
    "rising": "magenta",
    "event": "cyan",
}


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%b}"


def _long(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def turn_title(t: ReplayTurn) -> str:
    """Return a turn's heading: its number and its days."""
    return f"Turn {t.turn + 1} · {_day(t.first)} – {_day(t.last)} {t.last.year}"


PLURAL = {"marches": "march", "reaches": "reach", "meets": "meet", "falls": "fall"}
"""Verbs of march and retreat entries, singular to plural, for columns moving together."""


def merge_marches(scn: CompiledScenario, entries: list[Entry]) -> list[tuple[dt.date, str, str]]:
    """Return ``(date, kind, text)`` lines, with columns that march together on one line.

    Eleven Bolivian columns leaving Sica Sica for Viacha on the same day read better as
    one sentence naming them all than as eleven; other entries are kept as they are.
    """
    order: list[tuple[dt.date, str, str, bool]] = []
    groups: dict[tuple[dt.date, str, str], list[str]] = {}
    for e in entries:
        name, rest = _split_march(scn, e)
        if not rest:
            order.append((e.date, e.kind, e.text, False))
            continue
        if (e.date, e.kind, rest) not in groups:
            groups[(e.date, e.kind, rest)] = []
            order.append((e.date, e.kind, rest, True))
        groups[(e.date, e.kind, rest)].append(name)
    lines = []
    for date, kind, text, grouped in order:
        if grouped:
            names = groups[(date, kind, text)]
            if len(names) > 1:
                verb = text.split(" ", 2)[1]
                text = text.replace(f" {verb} ", f" {PLURAL[verb]} ", 1)
                names = [", ".join(names[:-1]) + " and " + names[-1]]
            text = names[0] + text
        lines.append((date, kind, text))
    return lines


def _split_march(scn: CompiledScenario, e: Entry) -> tuple[str, str]:
    """Return a march entry's force name and the rest of its sentence ('' if not one)."""
    force = e.figures.get("force") if e.kind in ("march", "retreat") else None
    if force not in scn.force_index:
        return "", ""
    name = scn.force_name(scn.force_index[force])
    rest = e.text[len(name) :] if e.text.startswith(name) else ""
    words = rest.split(" ", 2)
    return (name, rest) if len(words) == 3 and words[1] in PLURAL else ("", "")


def turn_table(scn: CompiledScenario, t: ReplayTurn, *, explain: bool, label: str) -> Table:
    """Return the table of one turn: the game's entries beside the record's."""
    table = Table(title=turn_title(t), title_justify="left", expand=True, show_lines=False)
    table.add_column(label, ratio=1)
    table.add_column("In history", ratio=1, style="dim")
    left = Text()
    for line in t.lapses:
        left.append(f"{_day(t.first)}  ", style="bold")
        left.append(line + "\n", style="italic magenta")
    for date, kind, text in merge_marches(scn, t.entries):
        left.append(f"{_day(date)}  ", style="bold")
        left.append(text + "\n", style=KIND_STYLE.get(kind, ""))
    if explain:
        for side, lines in t.orders.items():
            left.append(f"{scn.side_name(scn.side_index[side])}'s orders:\n", style="italic")
            for line in lines:
                left.append(f"  · {line}\n", style="italic")
    right = Text()
    for r in t.history:
        right.append(f"{_day(r.date)}  ", style="bold")
        right.append(describe_record(scn, r))
        right.append(f" [{r.source}]\n", style="italic")
    left.rstrip()
    right.rstrip()
    table.add_row(left if left.plain else Text("—"), right if right.plain else Text("—"))
    return table


def print_turn(console: Console, scn: CompiledScenario, t: ReplayTurn, *, explain: bool) -> None:
    """Print one turn as it is played (a folded line when nothing happened)."""
    if not t.entries and not t.history and not t.lapses and not (explain and t.orders):
        console.print(Text(f"{turn_title(t)}: quiet", style="dim"))
    else:
        console.print(turn_table(scn, t, explain=explain, label="In this war"))
    for n in t.order_notes:
        console.print(
            Text(f"  ! {n.message}", style="yellow" if n.severity == "warning" else "dim")
        )
    if t.will:
        console.print(Text("  " + will_line(scn, t), style="dim"))


def will_line(scn: CompiledScenario, t: ReplayTurn) -> str:
    """Return the sides' (and allied parties') war will after a turn, in one line."""
    parts = [f"{scn.side_name(scn.side_index[s])} {w:.2f}" for s, w in t.will.items()]
    parts += [f"{scn.party_name(scn.party_index[p])} {w:.2f}" for p, w in t.party_will.items()]
    talks = scn.model.victory.peace.talks_will
    return f"War will: {', '.join(parts)} (talks open when every side is below {talks:.2f})"


def print_prelude(console: Console, scn: CompiledScenario) -> None:
    """Print the war's prelude from the record, if it has one, before the first turn."""
    entries = record.prelude(scn)
    if not entries:
        return
    console.print(Text("Before the war (the record's prelude):", style="bold"))
    for r in entries:
        console.print(Text(f"  {_long(r.date)}  {describe_record(scn, r)} [{r.source}]"))


def print_end(console: Console, ch: Chronicle) -> None:
    """Print how the war ended beside how history's did, and the history still to come."""
    scn = ch.scn
    if ch.later:
        console.print(Text("History went on after this war ended:", style="bold"))
        for r in ch.later:
            console.print(Text(f"  {_long(r.date)}  {describe_record(scn, r)} [{r.source}]"))
    t = Table(title="The end of the war", title_justify="left")
    t.add_column("")
    t.add_column("In this war")
    t.add_column("In history")
    treaty = record.treaty(scn)
    hist_outcome = record.historical_outcome(scn)
    names = {o.id: o.name for o in scn.outcomes}
    o = ch.outcome
    t.add_row(
        "Outcome",
        o.name if o else "not finished",
        names.get(hist_outcome, "—") if hist_outcome else "—",
    )
    t.add_row(
        "Ended",
        f"{_long(o.date)} ({o.termination.value.replace('_', ' ')})" if o else "—",
        f"{_long(treaty.date)} ({treaty.title})" if treaty else "—",
    )
    total = record.killed_total(scn)
    t.add_row(
        "Killed",
        f"{sum(ch.killed.values()):,} ("
        + ", ".join(f"{scn.side_name(scn.side_index[s])} {k:,}" for s, k in ch.killed.items())
        + ")",
        f"about {total[0]:,}" if total else "—",
    )
    t.add_row(
        "Commanders killed",
        ", ".join(scn.commander_name(scn.commander_index[c]) for c in ch.fallen) or "none",
        ", ".join(scn.commander_name(scn.commander_index[c]) for c in record.killed_in_history(scn))
        or "none",
    )
    console.print(t)
