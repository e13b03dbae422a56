"""Scenario events and conditions, evaluated for every run of a batch at once.

A condition is a small tree (the scenario's ``when:``), compiled once per scenario and
run for the whole batch in one kernel call (:mod:`game.engine.conditions`): the events
phase asks for every event's condition at once, and again only after an event has fired,
in the runs where it fired (its effects change what the later conditions read there).  Effects act on the runs where an
event fires, as array operations over runs.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from game import rng
from game.codes import NONE, CommanderState, ForceStatus, TalksCause
from game.engine.context import Phase, TurnContext
from game.engine.forces import activate, lose_men, raise_irregulars
from game.engine.phases.alliance import leave
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario
from game.scenario.schema import Condition, Effect

B = npt.NDArray[np.bool_]


def _turn_of(scn: CompiledScenario, date: dt.date) -> int:
    return (date - scn.start).days // scn.turn_days


def evaluate(scn: CompiledScenario, st: CampaignState, cond: Condition, turn: int) -> B:
    """Return ``[R]``: where ``cond`` holds in the state at ``turn``.

    One compiled call for the whole batch (:func:`game.engine.conditions.holds`); a phase
    that needs several conditions of one state asks for them together there.
    """
    from game.engine.conditions import holds

    ones: dict[int, tuple[Condition]] = scn.extra.setdefault("condition_singles", {})
    single = ones.get(id(cond))
    if single is None or single[0] is not cond:  # the tuple holds it: ids not reused
        single = ones[id(cond)] = (cond,)
    return holds(scn, st, single, turn)[:, 0]


def run_events(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Fire every due event in every live run, in the scenario's order, and apply effects.

    Which runs may fire each event this turn (enabled, not fired yet if once, its date
    come) is one array ``[R, E]`` taken before the first fires: an event's effects never
    fire or unfire another, so only the events due somewhere are visited.
    """
    from game.engine.conditions import holds

    turn = ctx.turn
    enabled, once, t0, conditional = _calendar(scn)
    dated = np.where(conditional, turn >= t0, turn == t0) | (t0 == _UNDATED)
    due = ctx.live[:, None] & (enabled & dated)[None, :] & ~(st.fired & once[None, :])
    whens = _whens(scn)
    asked = due.any(axis=0) & conditional  # the conditions worth reading this turn
    held: B | None = None  # the conditions asked, in the state as it now is
    stale = np.zeros(st.runs, bool)  # runs whose state effects changed since `held`
    dirty = False  # whether any run is stale
    met: list[bool] = []  # each event's condition holds in some run where it is due
    for e in np.flatnonzero(due.any(axis=0)).tolist():
        ev = scn.events[e]
        if ev.when is not None and held is not None and not dirty and not met[e]:
            continue  # due nowhere its condition holds, and nothing has changed since
        now = due[:, e]
        if ev.when is not None:
            if held is None:
                held = np.zeros(due.shape, bool)
                rows = np.flatnonzero(due.any(axis=1))
                held[rows] = holds(scn, st, whens, turn, rows=rows, want=asked)
                met = (due & held).any(axis=0).tolist()
            elif dirty:
                # Effects act only on the runs where their event fired, so only those
                # runs' conditions can have changed: read them again there alone, and
                # only the events still to come (at 10,000 runs, reading every run
                # again after each firing cost more than the rest of the phase).
                again = np.flatnonzero(stale)
                asked[:e] = False
                held[again] = holds(scn, st, whens, turn, rows=again, want=asked)
                met = (due & held).any(axis=0).tolist()
            stale[:] = False
            dirty = False
            now = now & held[:, e]
        if ev.chance < 1.0 and now.any():
            now = now & (rng.uniform(ctx.key(Phase.EVENTS, e)) < ev.chance)
        if not now.any():
            continue
        st.fired[now, e] = True
        ctx.rec("events").add(run=np.flatnonzero(now), event=e)
        ctx.event = e
        for eff in ev.effects:
            apply_effect(scn, st, ctx, eff, now)
        ctx.event = NONE
        stale |= now  # the effects changed the state the later conditions read there
        dirty = True


_UNDATED = np.iinfo(np.int64).min
"""The turn of an event with no date (any turn)."""


def _whens(scn: CompiledScenario) -> tuple[Condition | None, ...]:
    """Return every event's condition (None: none), one tuple kept for the scenario.

    The same tuple every turn, so that the conditions' code is found at once
    (:func:`game.engine.conditions.program`).
    """
    if "event_whens" not in scn.extra:
        scn.extra["event_whens"] = tuple(ev.when for ev in scn.events)
    return scn.extra["event_whens"]  # type: ignore[no-any-return]


def _calendar(scn: CompiledScenario) -> tuple[B, B, npt.NDArray[np.int64], B]:
    """Return each event's ``enabled``, ``once``, date's turn and condition (``[E]`` each).

    An event with a date and a condition may fire on or after that turn, one without a
    condition on that turn only.  Worked out once per scenario.
    """
    if "event_calendar" not in scn.extra:
        events = scn.events
        scn.extra["event_calendar"] = (
            np.array([ev.enabled for ev in events], bool),
            np.array([ev.once for ev in events], bool),
            np.array(
                [_UNDATED if ev.date is None else _turn_of(scn, ev.date) for ev in events],
                np.int64,
            ),
            np.array([ev.when is not None for ev in events], bool),
        )
    return scn.extra["event_calendar"]  # type: ignore[no-any-return]


FATE_STATE = {
    "executed": CommanderState.KILLED,
    "killed": CommanderState.KILLED,
    "captured": CommanderState.CAPTURED,
    "deposed": CommanderState.ABSENT,
}
"""What each fate of ``remove_commander`` makes of the commander (executed: dead)."""


def _remove_commander(st: CampaignState, ctx: TurnContext, c: int, fate: str, m: B) -> None:
    """Take commander ``c`` out of the war in the runs of ``m``: he leads no force again."""
    hit = (
        m & (st.cmd_state[:, c] != FATE_STATE[fate]) & (st.cmd_state[:, c] != CommanderState.KILLED)
    )
    if not hit.any():
        return
    st.cmd_state[hit, c] = FATE_STATE[fate]
    leading = hit[:, None] & (st.commander == c)
    st.commander[leading] = NONE
    ctx.rec("commanders_removed").add(run=np.flatnonzero(hit), commander=c, fate=fate)


def apply_effect(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, eff: Effect, m: B
) -> None:
    """Apply one effect in the runs of ``m``."""
    key = eff.key()
    val = getattr(eff, key)
    si, fi, pi = scn.side_index, scn.force_index, scn.province_index
    if key == "war_will":
        s = si[val.side]
        st.will[m, s] = np.clip(st.will[m, s] + val.delta, 0.0, 1.0)
    elif key == "raise_":
        activate(scn, st, ctx, m, fi[val.force], pi[val.at])
    elif key == "rising":
        p = pi[val.province]
        s = si[val.side] if val.side else int(scn.home_side[p])
        raise_irregulars(scn, st, ctx, m, s, p, val.men, cause="event")
    elif key == "reinforce":
        f = fi[val.force]
        act = m & (st.status[:, f] == ForceStatus.ACTIVE)
        wait = m & (st.status[:, f] == ForceStatus.WAITING)
        st.men[act | wait, f] += val.men
        st.arrived[act, scn.force_side[f]] += val.men
    elif key == "detach":
        f = fi[val.force]
        lost = np.zeros(st.men.shape, np.int64)
        lost[:, f] = np.where(m, np.floor(st.men[:, f] * val.fraction), 0)
        lose_men(scn, st, ctx, lost, "deserted")
    elif key == "cohesion":
        cols = (
            scn.force_side == si[val.side]
            if val.side is not None
            else np.arange(scn.F) == fi[val.force]
        )
        sel = m[:, None] & cols[None, :]
        st.cohesion[sel] = np.clip(st.cohesion[sel] + val.delta, 0.05, 1.0)
    elif key == "kill_wounded":
        s = si[val.side]
        moved = np.where(m, np.floor(st.wounded[:, s] * val.fraction), 0).astype(np.int32)
        st.wounded[:, s] -= moved
        st.killed[:, s] += moved
        ctx.lost_men[:, s] += 0
        ctx.rec("massacres").add(run=np.flatnonzero(moved > 0), side=s, killed=moved[moved > 0])
    elif key == "command":
        f, c = fi[val.force], scn.commander_index[val.commander]
        ok = m & (st.cmd_state[:, c] == CommanderState.ACTIVE)
        st.commander[ok, f] = c
    elif key == "open_talks":
        if val:
            opening = m & (st.talks < 0)
            st.talks[opening] = 0
            r = np.flatnonzero(opening)
            wills = {f"will_{s}": st.will[r, s] for s in range(scn.S)}
            ctx.rec("talks").add(run=r, cause=TalksCause.EVENT, side=NONE, event=ctx.event, **wills)
    elif key == "set_flag":
        st.flags[m, scn.flag_index[val]] = True
    elif key == "remove_commander":
        _remove_commander(st, ctx, scn.commander_index[val.commander], val.fate, m)
    elif key == "party_will":
        q = scn.party_index[val.party]
        on = m & ~st.party_left[:, q]
        st.party_will[on, q] = np.clip(st.party_will[on, q] + val.delta, 0.0, 1.0)
    elif key == "leave_alliance":
        leaving = np.zeros(st.party_left.shape, bool)
        leaving[m, scn.party_index[val]] = True
        leave(scn, st, ctx, leaving, "event")
    elif key == "blockade":
        pass  # in force from now on: the supply phase reads it from the event's firing
    else:  # pragma: no cover - the schema admits no other key
        raise AssertionError(f"unhandled effect {key}")
