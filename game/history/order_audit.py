"""What becomes of the recorded orders: which are refused, cut short or routed by a tie.

A scenario's ``history.orders`` are played by the historical policy (and by the replay's
orders-only policy) only where the rules allow them; elsewhere the fallback decides.
Nothing in the file says so, and an author who writes a retreat to a province that is not
a neighbour, or a march that the record abandons half-way, sees the fallback's moves in
the replay without knowing why.  This module says why, in two places:

* :func:`audit_turn` compares one turn's recorded orders with the state the turn began
  from and the orders actually given: ``ingavi replay`` logs each recorded order that was
  refused (with the rule's reason and what was done instead) and each force handed to the
  fallback when its record ends.
* :func:`rehearse` plays the record *unopposed*, each side alone on the map with only its
  recorded orders and no peace, and audits every turn: ``ingavi validate`` warns about
  every recorded order that the rules will refuse even when nothing gets in the way, every
  march the record abandons before it arrives, and every march whose route is decided by
  a tie between equally short routes.

Both use the engine's own rules (:func:`game.engine.orders.check`, the compiled routes, the
historical policy's :func:`~game.ai.historical.history_covers`), so what they report is what
the engine will do, not a second account of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.ai.base import Decision
from game.ai.historical import history_covers
from game.codes import NONE, ForceStatus, OrderKind
from game.engine.context import new_context
from game.engine.forces import activate
from game.engine.observe import Observation
from game.engine.orders import NO_ORDER, REASONS, Orders, Refusal, View, check
from game.engine.state import CampaignState, initial_state
from game.errors import Problem
from game.play_loop import Turn, play_from
from game.scenario.check_base import Finding
from game.scenario.compile import CompiledScenario
from game.scenario.overlay import Document
from game.scenario.passes import finding_problem
from game.scenario.routes import TIE
from game.scenario.talks import TalksLength
from game.scenario.yamldoc import index

U64 = npt.NDArray[np.uint64]

MOVES = (OrderKind.MARCH, OrderKind.FORCED_MARCH, OrderKind.ATTACK)
"""Orders that set out along a route (a retreat goes to a neighbour: no route to choose)."""

FALLBACK = "the fallback commands the force instead"
"""What happens to a force whose recorded order is refused (docs/authoring.md says what the
fallback is: the heuristic by default, or nothing with ``--fallback hold``)."""


@dataclass(frozen=True)
class OrderNote:
    """One thing an author should know about a recorded order.

    Attributes:
        kind: ``refused`` (the rules will not allow it), ``cut_short`` (the record ends
            while the force is still marching), ``route_tie`` (two routes are equally
            short and the engine's tie-break decides), ``handover`` (the record has ended
            and the fallback takes the force) or ``timing`` (the order is dated after the
            first day of its turn, from which it acts).
        severity: ``warning`` for the first three kinds, ``note`` for the others.
        force: Force slot.
        turn: Turn the order (or the handover) falls in.
        order: Index of the order in ``history.orders``, or -1 (a handover after the
            last order names that last order).
        field: Key of the order the note is about (``to``, ``order`` or ``date``).
        message: What will happen, in a sentence.
        hint: How to change it, if the author wants to.
    """

    kind: str
    severity: str
    force: int
    turn: int
    order: int
    field: str
    message: str
    hint: str = ""


WARNINGS = frozenset({"refused", "cut_short", "route_tie"})
"""Kinds of note that ``validate`` reports as warnings (``--strict``: errors)."""


def order_index(scn: CompiledScenario) -> dict[tuple[int, int], int]:
    """Return ``(force slot, turn) -> index in history.orders`` (one order a turn at most)."""
    out: dict[tuple[int, int], int] = {}
    for i, o in enumerate(scn.model.history.orders):
        out.setdefault((scn.force_index[o.force], scn.turn_of(o.date)), i)
    return out


def last_orders(scn: CompiledScenario) -> dict[int, int]:
    """Return ``force slot -> index of its last recorded order``."""
    out: dict[int, int] = {}
    for (f, _t), i in sorted(order_index(scn).items(), key=lambda kv: kv[0][1]):
        out[f] = i
    return out


def _order_text(scn: CompiledScenario, kind: int, target: int) -> str:
    name = OrderKind(kind).name.lower().replace("_", " ")
    if kind == OrderKind.JOIN:
        return f"join with {scn.force_name(target)}"
    return f"{name} to {scn.province_name(target)}" if target != NONE else name


def _date(d: dt.date) -> str:
    return d.isoformat()


# --------------------------------------------------------------------------- one turn


def audit_turn(
    scn: CompiledScenario,
    view: View,
    side: int,
    turn: int,
    *,
    given: Orders | None = None,
    run: int = 0,
) -> list[OrderNote]:
    """Return the notes on ``side``'s recorded orders of ``turn`` in one run of ``view``.

    Args:
        scn: The scenario.
        view: The state (or ``side``'s observation) the turn begins from.
        side: The side whose orders are audited.
        turn: The turn.
        given: The orders actually given that turn (the replay), to say what the fallback
            did instead; None when only the record is played (the rehearsal).
        run: The run of the batch to audit.
    """
    if turn >= scn.n_turns or bool(view.over[run]):
        return []
    index = order_index(scn)
    kind = np.asarray(scn.hist_kind)[turn]
    target = np.asarray(scn.hist_target)[turn]
    covers = history_covers(scn)
    mine = np.flatnonzero(np.asarray(scn.force_side) == side)
    R = view.loc.shape[0]
    rec = Orders.empty(R, scn.F, scn.S)
    rec.kind[:, mine] = kind[mine]
    rec.target[:, mine] = target[mine]
    given_at = mine[kind[mine] != NO_ORDER]
    why = check(scn, view, side, rec, (np.full(given_at.size, run), given_at))
    refusal = dict(zip(given_at.tolist(), why.tolist(), strict=True))
    notes: list[OrderNote] = []
    for f in mine.tolist():
        if kind[f] != NO_ORDER:
            code = Refusal(refusal[f])
            if code not in (Refusal.OK, Refusal.ALREADY_THERE, Refusal.WAR_OVER):
                notes.append(_refused(scn, view, run, f, turn, index[(f, turn)], code, given))
            elif code == Refusal.OK and kind[f] in MOVES:
                tie = route_tie(scn, view, run, f, int(target[f]), turn, index[(f, turn)])
                if tie is not None:
                    notes.append(tie)
        elif (
            turn > 0
            and covers[turn - 1, f]
            and not covers[turn, f]
            and view.status[run, f] == ForceStatus.ACTIVE
        ):
            notes.append(_handover(scn, view, run, f, turn, given))
    return notes


def _dest(view: View, run: int, f: int) -> int:
    """Return the destination of a force's march (states and observations both carry it)."""
    dest = getattr(view, "dest", None)
    return NONE if dest is None else int(dest[run, f])


def _instead(scn: CompiledScenario, f: int, given: Orders | None) -> str:
    if given is None:
        return FALLBACK
    k = int(given.kind[0, f])
    if k == NO_ORDER:
        return "the fallback gave it no order: it kept its last one"
    return f"the fallback ordered {_order_text(scn, k, int(given.target[0, f]))}"


def _then(scn: CompiledScenario, f: int, given: Orders | None) -> str:
    """Return who commands a force after its record ends, and what it did first."""
    if given is None:
        return "the fallback commands it"
    k = int(given.kind[0, f])
    first = "no order" if k == NO_ORDER else _order_text(scn, k, int(given.target[0, f]))
    return f"the fallback commands it (first: {first})"


def _refused(
    scn: CompiledScenario,
    view: View,
    run: int,
    f: int,
    turn: int,
    i: int,
    why: Refusal,
    given: Orders | None,
) -> OrderNote:
    o = scn.model.history.orders[i]
    what = _order_text(scn, int(scn.hist_kind[turn, f]), int(scn.hist_target[turn, f]))
    reason = REASONS[why]
    hint = ""
    field = "to" if o.to is not None else "order"
    loc = int(view.loc[run, f])
    if why == Refusal.NOT_ON_MAP and view.status[run, f] == ForceStatus.WAITING:
        arrival = int(scn.arrival_turn[f])
        if arrival != NONE:
            reason = (
                f"the force has not arrived yet (it appears in the turn of "
                f"{_date(scn.date_of(arrival))} and takes orders from the next)"
            )
            hint = f"date the order on or after {_date(scn.date_of(arrival + 1))}"
        else:
            reason = (
                "the force has not been raised yet (an event's 'raise' brings it in; it "
                "takes orders from the turn after)"
            )
        field = "date"
    elif why == Refusal.NOT_ON_MAP:
        reason = "the force is gone (destroyed, dispersed or joined to another)"
        field = "force"
    elif why == Refusal.NOT_ADJACENT and loc >= 0:
        near = [scn.province_ids[p] for p in np.flatnonzero(np.isfinite(scn.link_days[loc]))]
        reason = f"a retreat must be to a neighbour of {scn.province_name(loc)}, where it stands"
        hint = f"its neighbours are {', '.join(near)}; to go further, march"
    elif why == Refusal.ENEMY_HELD:
        owner = int(view.owner[run, int(scn.hist_target[turn, f])])
        reason = f"a retreat must be to a province its side holds ({o.to} is held by {scn.side_ids[owner]})"
        hint = "march there instead, or retreat to a province its side holds"
    elif why == Refusal.NOT_FRIENDLY and loc >= 0:
        owner = int(view.owner[run, loc])
        reason = f"it stands in {scn.province_name(loc)}, held by {scn.side_ids[owner]}; {reason}"
        hint = "take the province first (march in with enough men), then garrison"
    elif why == Refusal.ON_THE_ROAD:
        nxt, dest = int(view.nxt[run, f]), _dest(view, run, f)
        bound = dest if dest != NONE else nxt
        reason = f"it is still on the road (bound for {scn.province_name(bound)})"
        hint = (
            "date the order after it arrives, or give a hold first (it stops at the next province)"
        )
    verb = "will be refused" if given is None else "was refused"
    message = f"{o.force}: the recorded {what} of {_date(o.date)} {verb}: {reason}"
    if why != Refusal.NOT_ON_MAP:  # a force off the map gets no order from anyone
        message += f"; {_instead(scn, f, given)}"
    return OrderNote("refused", "warning", f, turn, i, field, message, hint)


def _handover(
    scn: CompiledScenario, view: View, run: int, f: int, turn: int, given: Orders | None
) -> OrderNote:
    last = last_orders(scn)[f]
    o = scn.model.history.orders[last]
    when = _date(scn.date_of(turn))
    nxt, dest = int(view.nxt[run, f]), _dest(view, run, f)
    if nxt != NONE or dest != NONE:
        dest = dest if dest != NONE else nxt
        message = (
            f"{o.force}: its recorded orders end with the {o.order.replace('_', ' ')} of "
            f"{_date(o.date)}, but it is still marching to {scn.province_name(dest)} on "
            f"{when}, when the record ends; from then on {_then(scn, f, given)}"
        )
        hint = (
            "add an order for the turn it arrives, a hold to keep it there to the end, or "
            "leave it to the fallback on purpose"
        )
        return OrderNote("cut_short", "warning", f, turn, last, "order", message, hint)
    message = (
        f"{o.force}: its recorded orders end with the {o.order.replace('_', ' ')} of "
        f"{_date(o.date)}; from {when} {_then(scn, f, given)}"
    )
    hint = "end its record with a hold to keep it where it stands to the end of the war"
    return OrderNote("handover", "note", f, turn, last, "order", message, hint)


# --------------------------------------------------------------------------- routes


def tied_hops(scn: CompiledScenario, here: int, dest: int) -> npt.NDArray[np.int64]:
    """Return every first province of a shortest route from ``here`` to ``dest``.

    The engine takes the first of them in the order of ``map.provinces``
    (:attr:`CompiledScenario.next_hop`); more than one means the route is a tie.
    """
    link = np.asarray(scn.link_days)[here]
    via = link + np.asarray(scn.dist_days)[:, dest]
    best = via.min()
    if not np.isfinite(best) or here == dest:
        return np.zeros(0, np.int64)
    return np.flatnonzero(np.isfinite(link) & (via <= best + TIE * max(1.0, best)))


def route(scn: CompiledScenario, here: int, dest: int) -> list[int]:
    """Return the provinces a column walks from ``here`` to ``dest`` (both included)."""
    path = [here]
    while path[-1] != dest and len(path) <= scn.P:
        hop = int(scn.next_hop[path[-1], dest])
        if hop == NONE:
            break
        path.append(hop)
    return path


def route_tie(
    scn: CompiledScenario, view: View, run: int, f: int, dest: int, turn: int, i: int
) -> OrderNote | None:
    """Return a note if a shortest route of the order is chosen by the tie-break."""
    start = int(view.nxt[run, f]) if int(view.nxt[run, f]) != NONE else int(view.loc[run, f])
    for p in route(scn, start, dest)[:-1]:
        hops = tied_hops(scn, p, dest)
        if hops.size < 2:
            continue
        taken = int(scn.next_hop[p, dest])
        others = [scn.province_name(int(h)) for h in hops if h != taken]
        o = scn.model.history.orders[i]
        days = float(scn.dist_days[p, dest])
        message = (
            f"{o.force}: the {o.order.replace('_', ' ')} of {_date(o.date)} to "
            f"{scn.province_name(dest)} can go from {scn.province_name(p)} via "
            f"{' or via '.join([scn.province_name(taken), *others])} ({days:g} days either "
            f"way); it goes via {scn.province_name(taken)}, listed first in map.provinces"
        )
        hint = (
            "to choose, order a march to an intermediate province first, or make one route shorter"
        )
        return OrderNote("route_tie", "warning", f, turn, i, "to", message, hint)
    return None


# --------------------------------------------------------------------------- rehearsal


def unopposed(scn: CompiledScenario) -> CompiledScenario:
    """Return the scenario as the rehearsal plays it: no chance risings, and no peace.

    Talks never open on will (thresholds 0) and, opened by an event, last the longest the
    format allows, so the war runs to its end date and every recorded order is reached.
    """
    model = scn.model
    peace = model.victory.peace.model_copy(
        update={
            "talks_will": 0.0,
            "collapse_will": 0.0,
            "talks_turns": 100,
            "envoys": None,
            "quiet_turns": 100,
        }
    )
    rules = scn.rules.model_copy(
        update={"resistance": scn.rules.resistance.model_copy(update={"rate": 0.0})}
    )
    victory = model.victory.model_copy(update={"peace": peace})
    return dataclasses.replace(
        scn,
        rules=rules,
        model=model.model_copy(update={"victory": victory, "rules": rules}),
        talks=TalksLength(turns=100),
    )


class _Rehearser:
    """Plays a side's recorded orders where legal, noting what becomes of each."""

    name = "rehearsal"

    def __init__(self, side: int, notes: list[OrderNote]) -> None:
        self.side = side
        self.notes = notes

    def decide(
        self, scn: CompiledScenario, obs: Observation, keys: U64, *, explain: bool = False
    ) -> Decision:
        """Return the side's legal recorded orders in its own run; note the rest."""
        del keys, explain
        t = min(obs.turn, scn.n_turns - 1)
        rec = Orders.empty(obs.runs, scn.F, scn.S)
        own = np.asarray(scn.force_side) == obs.side
        rec.kind[:] = np.where(own, np.asarray(scn.hist_kind)[t], NO_ORDER)[None, :]
        rec.target[:] = np.where(own, np.asarray(scn.hist_target)[t], NONE)[None, :]
        ok = (rec.kind != NO_ORDER) & (check(scn, obs, obs.side, rec) == Refusal.OK)
        here = np.flatnonzero(obs.run_ids == self.side)
        if here.size:
            self.notes.extend(audit_turn(scn, obs, obs.side, obs.turn, run=int(here[0])))
        return Decision(
            Orders(
                np.where(ok, rec.kind, NO_ORDER).astype(np.int8),
                np.where(ok, rec.target, NONE).astype(np.int16),
                np.zeros((obs.runs, scn.S), bool),
            ),
            [],
        )


def raised_at(scn: CompiledScenario) -> dict[int, int]:
    """Return ``force slot -> province`` for forces raised by exactly one place of events.

    The rehearsal cannot tell when an event would raise such a force (its condition may
    need the enemy), so it raises the force there on the turn of its first recorded order.
    A force that events raise in several places is left waiting: where it would stand is
    not known, and its orders are not judged until it is on the map.
    """
    places: dict[int, set[int]] = {}
    for ev in scn.events:
        for eff in ev.effects:
            if eff.raise_ is not None:
                f = scn.force_index[eff.raise_.force]
                places.setdefault(f, set()).add(scn.province_index[eff.raise_.at])
    return {f: next(iter(ps)) for f, ps in places.items() if len(ps) == 1}


def _raise_due(scn: CompiledScenario, state: CampaignState, raised: dict[int, int]) -> None:
    """Bring in the forces an event raises on the turn of their first recorded order."""
    if state.turn >= scn.n_turns or not raised:
        return
    first = np.asarray(scn.hist_kind)[: state.turn + 1] != NONE
    ctx = new_context(scn, state, record_moves=False)
    for f, p in raised.items():
        due = first[:, f].any() and state.turn >= int(np.argmax(first[:, f]))
        if due:
            mine = state.run_ids == int(scn.force_side[f])
            activate(scn, state, ctx, mine, f, p)


def _alone(scn: CompiledScenario, state: CampaignState) -> None:
    """Take every force not of run r's side off the map in run r (side r plays alone)."""
    other = np.asarray(scn.force_side)[None, :] != state.run_ids[:, None]
    state.status[other] = ForceStatus.GONE
    state.men[other] = 0
    state.loc[other] = NONE
    state.nxt[other] = NONE
    state.dest[other] = NONE


def rehearse(scn: CompiledScenario) -> list[OrderNote]:
    """Play every side's record unopposed, alone on the map, and return the notes.

    Run ``s`` of a batch of ``S`` holds side ``s`` alone: the other side's forces are off
    the map (and taken off again after each turn, should an event raise one), nobody rises
    by chance, and no peace is made.  What the rules refuse there, they refuse in any war
    that follows the record; a march cut short there is cut short whenever the column is
    not stopped on its way.  The notes come in the order of turns, then forces.
    """
    play = unopposed(scn)
    notes: list[OrderNote] = []
    raised = raised_at(scn)
    state = initial_state(play, np.arange(scn.S, dtype=np.int64), scn.model.meta.default_seed)
    _alone(play, state)
    _raise_due(play, state, raised)

    def keep_alone(turn: Turn) -> None:
        _alone(play, turn.after)  # the state the next turn is played from
        _raise_due(play, turn.after, raised)

    policies = {s: _Rehearser(s, notes) for s in range(scn.S)}
    play_from(play, state, policies, on_turn=[keep_alone])
    notes.extend(_timing(scn))
    order = {
        n: k for k, n in enumerate(("refused", "cut_short", "route_tie", "handover", "timing"))
    }
    return sorted(notes, key=lambda n: (n.turn, n.force, order[n.kind]))


def _timing(scn: CompiledScenario) -> list[OrderNote]:
    """Note every order dated after the first day of its turn: it acts from that day."""
    out = []
    for i, o in enumerate(scn.model.history.orders):
        t = scn.turn_of(o.date)
        first = scn.date_of(t)
        if o.date != first and 0 <= t < scn.n_turns:
            out.append(
                OrderNote(
                    "timing",
                    "note",
                    scn.force_index[o.force],
                    t,
                    i,
                    "date",
                    f"{o.force}: the {o.order.replace('_', ' ')} of {_date(o.date)} acts from "
                    f"{_date(first)}, the first day of its turn",
                    f"date it {_date(first)} to say so, or {_date(first + dt.timedelta(days=scn.turn_days))} "
                    "for the next turn",
                )
            )
    return out


def order_problems(scn: CompiledScenario, doc: Document) -> list[Problem]:
    """Return the rehearsal's notes as problems at the orders' lines in the file (or overlay).

    Warnings (refused, cut short, route ties) come as ``warning``; handovers and timing as
    ``note``.
    """
    nodes = index(doc.tree)
    out = []
    for n in rehearse(scn):
        finding = Finding(("history", "orders", n.order, n.field), n.message, n.hint)
        p = finding_problem(finding, nodes, doc.removed)
        out.append(dataclasses.replace(p, severity=n.severity))
    return out
