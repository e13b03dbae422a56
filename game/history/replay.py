"""A replay's chronicle: one war played by the historical orders, beside the record.

:func:`replay` plays one run with the play loop, recording every march and retreat, and
keeps, for each turn, the chronicle's entries next to the record entries dated in the
same days.  Run ``N`` of a study is replayed exactly by
giving its seed and run id: every die is keyed on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from game.ai.base import Policy
from game.ai.historical import lapse_note, lapsed_orders
from game.codes import NONE, CommanderState, ForceStatus, OrderKind
from game.engine.chronicle import Entry, chronicle
from game.engine.observe import observe
from game.engine.outcome import Outcome, describe
from game.engine.state import CampaignState, initial_state
from game.history import record
from game.history.order_audit import OrderNote, audit_turn
from game.play_loop import Turn, play_from
from game.scenario.compile import CompiledScenario
from game.scenario.schema import RecordEntry, strength_value


@dataclass
class ReplayTurn:
    """One turn of a replay: what the game did, and what history did in the same days.

    Attributes:
        turn: Index of the turn.
        first: Its first day.
        last: Its last day.
        entries: The chronicle of the played turn.
        history: Record entries dated within the turn.
        orders: Each side's explained orders (with ``explain``), by side id.
        lapses: The recorded orders that lapsed this turn, one sentence each (see
            :func:`lapses`).
        order_notes: What became of the recorded orders of the sides that play the record
            (:func:`game.history.order_audit.audit_turn`): refused, and why, and what the
            fallback did instead; forces whose record has ended.
        will: Each side's war will at the end of the turn, by side id.
        party_will: Each allied party's will at the end of the turn, by party id (those
            that have left keep the will they left with).
        talks: Why peace talks opened this turn, in words, if they did.
    """

    turn: int
    first: dt.date
    last: dt.date
    entries: list[Entry]
    history: list[RecordEntry]
    orders: dict[str, list[str]] = field(default_factory=dict)
    lapses: list[str] = field(default_factory=list)
    order_notes: list[OrderNote] = field(default_factory=list)
    will: dict[str, float] = field(default_factory=dict)
    party_will: dict[str, float] = field(default_factory=dict)
    talks: str | None = None


@dataclass
class Chronicle:
    """A whole replayed war.

    Attributes:
        scn: The scenario played.
        seed: The seed of the dice.
        run: The run id (its dice are that run's in any study with the seed).
        turns: Every turn played.
        outcome: How the war ended (None if it was stopped early).
        killed: Killed on each side, by side id.
        fallen: Commanders killed, by id.
        later: Record entries after the last played turn (history went on).
        prelude: Record entries of the war's prelude, before its first turn.
    """

    scn: CompiledScenario
    seed: int
    run: int
    turns: list[ReplayTurn]
    outcome: Outcome | None
    killed: dict[str, int]
    fallen: list[str]
    later: list[RecordEntry]
    prelude: list[RecordEntry] = field(default_factory=list)


def replay(
    scn: CompiledScenario,
    policies: dict[int, Policy],
    seed: int | None = None,
    *,
    run: int = 0,
    sample_uncertain: bool = False,
    explain: bool = False,
    on_turn: Callable[[ReplayTurn], None] | None = None,
    audit: tuple[int, ...] = (),
) -> Chronicle:
    """Play one war to its end and return its chronicle beside the record.

    Args:
        scn: The scenario.
        policies: The policy of every side, by side index.
        seed: The seed (default: the scenario's ``meta.default_seed``).
        run: The run id whose dice are used.
        sample_uncertain: Draw uncertain strengths for this run, as a study with
            ``--sample-uncertain`` did.
        explain: Ask the policies why they gave each order.
        on_turn: Called with every turn as soon as it is played (to print as it goes).
        audit: Sides whose policies play the recorded orders: each turn notes which of
            their recorded orders were refused and which forces the record has left.
    """
    s = scn.model.meta.default_seed if seed is None else int(seed)
    state = initial_state(scn, np.array([run], np.int64), s, sample_uncertain=sample_uncertain)
    turns: list[ReplayTurn] = []
    was_lapsed = np.zeros(scn.F, bool)

    def keep(turn: Turn) -> None:
        nonlocal was_lapsed
        was_lapsed, lines = lapses(scn, turn.before, was_lapsed)
        turns.append(_replay_turn(scn, turn, lines, audit))
        if on_turn is not None:
            on_turn(turns[-1])

    st = play_from(scn, state, policies, on_turn=[keep], explain=explain, record_moves=True)
    end = record.day_of(scn, turns[-1].last) if turns else -1
    return Chronicle(
        scn,
        s,
        run,
        turns,
        describe(scn, st, 0),
        {sid: int(st.killed[0, i]) for i, sid in enumerate(scn.side_ids)},
        [scn.commander_ids[c] for c in np.flatnonzero(st.cmd_state[0] == CommanderState.KILLED)],
        [r for r in record.entries(scn) if record.day_of(scn, r.date) > end],
        record.prelude(scn),
    )


def _replay_turn(
    scn: CompiledScenario, turn: Turn, lapsed: list[str], audit: tuple[int, ...] = ()
) -> ReplayTurn:
    """Return a played turn (of a batch of one) beside the record of the same days."""
    t = turn.before.turn
    first = scn.date_of(t)
    last = first + dt.timedelta(days=scn.turn_days - 1)
    days = (record.day_of(scn, first), record.day_of(scn, last))
    orders = {
        scn.side_ids[side]: [
            (f"{scn.force_name(e.force)}: " if e.force >= 0 else "") + e.text for e in notes
        ]
        for side, notes in turn.explanations.items()
        if notes
    }
    entries = chronicle(scn, turn.report, 0)
    out = ReplayTurn(t, first, last, entries, record.between(scn, *days), orders, lapsed)
    for side in audit:
        out.order_notes += audit_turn(scn, turn.before, side, t, given=turn.orders)
    after = turn.after
    out.will = {sid: round(float(after.will[0, s]), 4) for s, sid in enumerate(scn.side_ids)}
    out.party_will = {
        pid: round(float(after.party_will[0, q]), 4) for q, pid in enumerate(scn.party_ids)
    }
    opened = [e for e in entries if e.kind == "talks"]
    out.talks = opened[0].text.removeprefix("Peace talks open: ").rstrip(".") if opened else None
    return out


def lapses(
    scn: CompiledScenario, state: CampaignState, was: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.bool_], list[str]]:
    """Return which forces' recorded orders have lapsed in run 0, and what to say of it.

    A force is named when its orders lapse (its premise fails where it held last turn) and
    whenever a recorded order of a lapsed force falls due; forces are grouped by why:
    "The record's orders lapsed (Ingavi was not lost): Gamarra's main body (march
    Arequipa), Peruvian cavalry (march Arequipa)".
    """
    now = np.zeros(scn.F, bool)
    why: dict[str, list[str]] = {}
    t = min(state.turn, scn.n_turns - 1)
    for side in range(scn.S):
        obs = observe(scn, state, side)
        mine = (scn.force_side == side) & (obs.status[0] == ForceStatus.ACTIVE)
        now |= lapsed_orders(scn, obs)[0] & mine
        for f in np.flatnonzero(now & mine):
            due = scn.hist_kind[t, f] != NONE
            if was[f] and not due:
                continue
            order = f" ({_order_text(scn, t, int(f))})" if due else ""
            reason = lapse_note(scn, obs, 0, int(f)).split(": ", 1)[1]
            why.setdefault(reason, []).append(scn.force_name(int(f)) + order)
    lines = [f"The record's orders lapsed ({r}): {', '.join(fs)}." for r, fs in why.items()]
    return now, lines


def _order_text(scn: CompiledScenario, turn: int, force: int) -> str:
    kind, target = int(scn.hist_kind[turn, force]), int(scn.hist_target[turn, force])
    where = f" {scn.province_name(target)}" if target != NONE else ""
    return OrderKind(kind).name.lower().replace("_", " ") + where


def describe_record(scn: CompiledScenario, r: RecordEntry) -> str:
    """Return a record entry as a sentence or two, with a battle's figures."""
    place = scn.province_name(scn.province_index[r.place]) if r.place else ""
    where = f" ({r.site or place})" if (r.site or place) and r.kind == "battle" else ""
    text = f"{r.title}{where}."
    if r.kind == "battle":
        text += _battle_figures(scn, r)
    if r.text:
        text += f" {r.text.strip()}"
    return text


def _battle_figures(scn: CompiledScenario, r: RecordEntry) -> str:
    parts = []
    if r.strengths:
        parts.append(
            " v ".join(
                f"{scn.side_name(scn.side_index[s])} {strength_value(v):,}"
                for s, v in r.strengths.items()
            )
        )
    if r.winner:
        parts.append(f"won by {scn.side_name(scn.side_index[r.winner])}")
    for label, figures in (("killed", r.killed), ("losses", r.casualties)):
        if figures:
            parts.append(
                f"{label} "
                + ", ".join(
                    f"{scn.side_name(scn.side_index[s])} {strength_value(v):,}"
                    for s, v in figures.items()
                )
            )
    return f" {'; '.join(parts)}." if parts else ""


def to_json(ch: Chronicle) -> dict[str, Any]:
    """Return a chronicle as one JSON-ready dict (``ingavi replay --json``)."""
    scn = ch.scn
    treaty = record.treaty(scn)
    return {
        "scenario": {"id": scn.model.meta.id, "title": scn.model.meta.title, "hash": scn.hash},
        "seed": ch.seed,
        "run": ch.run,
        "turns": [
            {
                "turn": t.turn,
                "from": t.first.isoformat(),
                "to": t.last.isoformat(),
                "game": [
                    {
                        "date": e.date.isoformat(),
                        "kind": e.kind,
                        "place": e.place,
                        "text": e.text,
                        "figures": e.figures,
                    }
                    for e in t.entries
                ],
                "history": [_record_json(scn, r) for r in t.history],
                "orders": t.orders,
                "lapses": t.lapses,
                "will": t.will,
                "party_will": t.party_will,
                "talks_opened": t.talks,
                "order_notes": [
                    {"kind": n.kind, "force": scn.force_ids[n.force], "text": n.message}
                    for n in t.order_notes
                ],
            }
            for t in ch.turns
        ],
        "outcome": None
        if ch.outcome is None
        else {
            "id": ch.outcome.id,
            "name": ch.outcome.name,
            "winner": ch.outcome.winner,
            "termination": ch.outcome.termination.value,
            "date": ch.outcome.date.isoformat(),
        },
        "killed": ch.killed,
        "talks": _talks_json(ch),
        "commanders_killed": ch.fallen,
        "history_after": [_record_json(scn, r) for r in ch.later],
        "prelude": [_record_json(scn, r) for r in ch.prelude],
        "history": {
            "outcome": record.historical_outcome(scn),
            "end_date": None if treaty is None else treaty.date.isoformat(),
            "killed_total": None
            if record.killed_total(scn) is None
            else record.killed_total(scn)[0],  # type: ignore[index]
            "commanders_killed": record.killed_in_history(scn),
        },
    }


def _talks_json(ch: Chronicle) -> dict[str, Any] | None:
    """Return when and why peace talks opened in a replayed war, or None if they never did."""
    for t in ch.turns:
        if t.talks is not None:
            return {"turn": t.turn, "date": t.last.isoformat(), "cause": t.talks}
    return None


def _record_json(scn: CompiledScenario, r: RecordEntry) -> dict[str, Any]:
    return {
        "id": r.id,
        "date": r.date.isoformat(),
        "kind": r.kind,
        "place": r.place,
        "title": r.title,
        "text": describe_record(scn, r),
        "source": r.source,
    }
