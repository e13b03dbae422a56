"""The historical policy: the recorded orders, and the heuristic where history diverged.

For each turn and force the scenario may record an order (``scn.hist_kind[turn, force]``
and ``scn.hist_target[turn, force]``; -1 where none).  The policy gives:

* the recorded order, when the rules allow it now (checked with
  :func:`game.engine.orders.check` against the observation);
* no new order, when nothing is recorded this turn but history still has orders for the
  force later (it keeps marching where history sent it, or standing);
* the heuristic's order for that force, when the recorded order is illegal because the
  game has diverged (the force is elsewhere and cannot get there, is on the road, the
  province it should garrison is not its side's...), or when history has nothing more
  to say about the force (it has no recorded order from this turn on, as with forces that
  risings or events raise, or armies after their last recorded move; a force whose last
  recorded order is a hold or a garrison stays where it is to the end of the war).  A force that is
  gone or not yet raised simply gets no order.

A recorded order may rest on a premise (``history.premises``): the army marched home
because Ingavi was lost.  Where the premise governing a force this turn fails
(:func:`lapsed_orders`), the order has lapsed and the heuristic commands the force, as for
an illegal order, whether or not an order falls in this turn; the explanation says
"the record's order lapsed: Ingavi was not lost".

It sues for peace when the heuristic would (the record's peace came from exhaustion,
which the rules model through will).  Forces the heuristic decides for are explained as
the heuristic explains them; followed orders are explained as history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.ai.base import Decision, Explanation
from game.ai.explain import Reason
from game.ai.explain import explain as explain_notes
from game.ai.heuristic import think
from game.ai.personality import Personality
from game.codes import NONE, ForceStatus, OrderKind
from game.engine.observe import Observation
from game.engine.orders import NO_ORDER, Orders, Refusal, check
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]
B = npt.NDArray[np.bool_]


STANDING = (OrderKind.HOLD, OrderKind.GARRISON)
"""Orders that keep a force where it stands for as long as history says nothing new."""


def history_covers(scn: CompiledScenario) -> npt.NDArray[np.bool_]:
    """Return ``[T, F]``: whether history still commands the force in each turn.

    It does from the force's first recorded order to its last, and, when that last order
    is a hold or a garrison, on to the end of the war: a force told to stand stands until
    told otherwise.  After a last march, attack or retreat the fallback takes it over.
    """
    kind = np.asarray(scn.hist_kind)
    has = kind != NONE
    covers = np.flip(np.logical_or.accumulate(np.flip(has, axis=0), axis=0), axis=0)
    T, F = has.shape
    last = T - 1 - np.argmax(np.flip(has, axis=0), axis=0)  # [F]: turn of the last order
    stands = has.any(axis=0) & np.isin(kind[last, np.arange(F)], STANDING)
    return covers | (stands[None, :] & (np.arange(T)[:, None] >= last[None, :]))


def recorded_orders(scn: CompiledScenario, obs: Observation) -> Orders:
    """Return this turn's recorded orders for ``obs.side``'s forces, every run alike, unchecked.

    Shared by this policy and the replay's orders-only policy
    (:class:`game.history.record_policies.RecordedPolicy`).
    """
    t = min(obs.turn, scn.n_turns - 1)
    own = np.asarray(scn.force_side == obs.side)
    rec = Orders.empty(obs.runs, scn.F, scn.S)
    rec.kind[:] = np.where(own, np.asarray(scn.hist_kind)[t], NO_ORDER)[None, :]
    rec.target[:] = np.where(own, np.asarray(scn.hist_target)[t], NONE)[None, :]
    return rec


def lapsed_orders(scn: CompiledScenario, obs: Observation) -> npt.NDArray[np.bool_]:
    """Return ``[R, F]``: forces whose recorded orders have lapsed this turn.

    A force is governed by its last recorded order's premise (until its next order) and
    by the premise of any block it is in; where either fails, history no longer commands
    it.  Shared by this policy and the replay's orders-only policy.
    """
    t = min(obs.turn, scn.n_turns - 1)
    out = np.zeros((obs.runs, scn.F), bool)
    for table in (scn.hist_premise, scn.hist_block):
        q = np.asarray(table)[t]
        governed = q != NONE
        if governed.any():
            holds = obs.premises[:, np.where(governed, q, 0)]
            out |= governed[None, :] & ~holds
    return out


def lapse_note(scn: CompiledScenario, obs: Observation, run: int, force: int) -> str:
    """Return why a force's recorded order lapsed in one run ("...: Ingavi was not lost")."""
    t = min(obs.turn, scn.n_turns - 1)
    failed = [
        scn.premises[q].lapsed
        for q in (int(scn.hist_block[t, force]), int(scn.hist_premise[t, force]))
        if q != NONE and not obs.premises[run, q]
    ]
    return "the record's order lapsed: " + "; ".join(failed)


def as_in_history(scn: CompiledScenario, kind: int, target: int) -> str:
    """Return the explanation of a followed recorded order ("as in history: march Puno")."""
    name = OrderKind(kind).name.lower().replace("_", " ")
    if kind == OrderKind.JOIN:
        return f"as in history: join {scn.force_name(target)}"
    where = f" {scn.province_name(target)}" if target != NONE else ""
    return f"as in history: {name}{where}"


@dataclass(frozen=True)
class Command:
    """Who commands each force of a side this turn, as the historical policy decides it.

    Every mask is ``[R, F]``.  A force is *under the record* when it is given its
    recorded order (``follow``) or left to go on as history sent it (``wait``), and
    *under the fallback* when the heuristic decides for it (``fallback``); a force that
    is gone or not yet raised is neither.

    Attributes:
        recorded: This turn's recorded orders (unchecked).
        lapsed: Forces whose recorded orders have lapsed (their premise failed).
        follow: Forces given their recorded order (legal now).
        wait: Forces history still commands with nothing new this turn, or already where
            it sends them: they get no new order.
        fallback: The side's forces on the map the heuristic decides for.
    """

    recorded: Orders
    lapsed: B
    follow: B
    wait: B
    fallback: B


def command(scn: CompiledScenario, obs: Observation) -> Command:
    """Return which of ``obs.side``'s forces follow the record this turn and which fall back."""
    t = min(obs.turn, scn.n_turns - 1)
    own = np.asarray(scn.force_side == obs.side)
    rec = recorded_orders(scn, obs)
    why = check(scn, obs, obs.side, rec)
    on_map = (obs.status == ForceStatus.ACTIVE) & (obs.loc >= 0)
    lapsed = lapsed_orders(scn, obs)
    commanded = on_map & ~lapsed  # forces history still commands
    covered = history_covers(scn)[t][None, :] & (obs.turn < scn.n_turns)
    follow = (rec.kind != NO_ORDER) & (why == Refusal.OK) & commanded
    # Already where history sends it: history's intent is met, so it stays.
    there = (rec.kind != NO_ORDER) & (why == Refusal.ALREADY_THERE) & commanded
    wait = ((rec.kind == NO_ORDER) & covered | there) & commanded & own[None, :]
    fallback = own[None, :] & on_map & ~follow & ~wait
    return Command(rec, lapsed, follow, wait, fallback)


class HistoricalPolicy:
    """Replays the recorded orders, with the heuristic filling in where history diverged.

    Args:
        side: The side it plays.
        scn: The scenario.
        difficulty: Difficulty of the heuristic fallback.
    """

    name = "historical"

    def __init__(self, side: int, scn: CompiledScenario, difficulty: str = "normal") -> None:
        self.side = side
        self.personality = Personality.of(scn.model.sides[side].ai, difficulty)

    def decide(
        self, scn: CompiledScenario, obs: Observation, keys: U64, *, explain: bool = False
    ) -> Decision:
        """Return the recorded orders where legal, the heuristic's elsewhere."""
        R = obs.runs
        own = np.asarray(scn.force_side == obs.side)
        c = command(scn, obs)
        rec, lapsed, follow, wait, fallback = c.recorded, c.lapsed, c.follow, c.wait, c.fallback
        thought = think(scn, obs, keys, self.personality, notes=explain and R == 1)
        kind = np.where(follow, rec.kind, np.where(fallback, thought.orders.kind, NO_ORDER))
        target = np.where(follow, rec.target, np.where(fallback, thought.orders.target, NONE))
        orders = Orders(kind.astype(np.int8), target.astype(np.int16), thought.orders.sue.copy())
        notes: list[Explanation] = []
        if explain and R == 1:
            thought.notes.set(follow, Reason.HISTORICAL, place=rec.target)
            thought.notes.reason[wait] = Reason.NONE
            for e in explain_notes(scn, thought.notes, own):
                if follow[0, e.force]:
                    text = as_in_history(
                        scn, int(rec.kind[0, e.force]), int(rec.target[0, e.force])
                    )
                    notes.append(Explanation(e.force, text))
                elif fallback[0, e.force] and lapsed[0, e.force]:
                    text = f"{lapse_note(scn, obs, 0, e.force)}; {e.text}"
                    notes.append(Explanation(e.force, text))
                elif fallback[0, e.force]:
                    notes.append(e)
        return Decision(orders, notes)
