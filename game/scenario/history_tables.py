"""The historical record and orders as tables: part of compiling a scenario.

:mod:`game.scenario.compile` calls :func:`history_fields` for the ``history`` section:

* the recorded orders, one per force and turn at most (``hist_kind``, ``hist_target``);
* the premise governing each force in each turn, if any: ``hist_premise`` for an order's
  own premise (from its turn until the force's next recorded order) and ``hist_block``
  for a premise's block (its forces, from its first to its last day).  Both hold an index
  into ``premises`` or -1.  Where either premise fails, the recorded order has lapsed;
* the recorded battles, by place and day, so that the engine can tell which played battle
  stands for which of them (``rec_battle_*``; see :mod:`game.engine.phases.engagements`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.codes import NONE, ORDER_NAMES
from game.scenario.force_slots import Ids
from game.scenario.schema import Condition, HistoricalOrder, Scenario


def history_fields(model: Scenario, fidx: dict[str, int], ids: Ids, n_turns: int) -> dict[str, Any]:
    """Return the compiled orders, premises and recorded battles of a scenario."""
    F = len(fidx)
    start, tdays = model.meta.start, model.meta.turn_days
    hist_kind = np.full((n_turns, F), NONE, np.int8)
    hist_target = np.full((n_turns, F), NONE, np.int16)
    for o in model.history.orders:
        t = (o.date - start).days // tdays
        if 0 <= t < n_turns:
            f = fidx[o.force]
            hist_kind[t, f] = ORDER_NAMES[o.order]
            if o.with_ is not None:  # a join's target is the force it joins
                hist_target[t, f] = fidx[o.with_]
            else:
                hist_target[t, f] = ids.province_index[o.to] if o.to is not None else NONE
    premises = tuple(model.history.premises)
    qidx = {p.id: i for i, p in enumerate(premises)}
    battles = sorted(  # the order of game.history.record.engagements: by date, stable
        (
            r
            for r in model.history.record
            if r.kind == "battle" and r.place is not None and not r.prelude
        ),
        key=lambda r: r.date,
    )
    return {
        "hist_kind": hist_kind,
        "hist_target": hist_target,
        "hist_premise": _order_premises(model, fidx, qidx, n_turns),
        "hist_block": _block_premises(model, fidx, n_turns),
        "premises": premises,
        "premise_index": qidx,
        "rec_battle_ids": tuple(r.id for r in battles),
        "rec_battle_index": {r.id: i for i, r in enumerate(battles)},
        "rec_battle_province": np.array(
            [ids.province_index[r.place] for r in battles if r.place is not None], np.int16
        ),
        "rec_battle_day": np.array([(r.date - start).days for r in battles], np.int32),
        "window_days": model.history.window_days,
    }


def _turn(model: Scenario, o: HistoricalOrder) -> int:
    return (o.date - model.meta.start).days // model.meta.turn_days


def _order_premises(
    model: Scenario, fidx: dict[str, int], qidx: dict[str, int], n_turns: int
) -> np.ndarray:
    """Return ``[T, F]``: the premise of each force's last recorded order, while it governs.

    An order's premise governs from its turn until the force's next recorded order (or the
    end): while it fails, the force is not following history.
    """
    out = np.full((n_turns, len(fidx)), NONE, np.int16)
    by_force: dict[str, list[HistoricalOrder]] = {}
    for o in model.history.orders:
        by_force.setdefault(o.force, []).append(o)
    for force, orders in by_force.items():
        turns = sorted((_turn(model, o), o.premise) for o in orders)
        for k, (t, premise) in enumerate(turns):
            if premise is None or not 0 <= t < n_turns:
                continue
            until = turns[k + 1][0] if k + 1 < len(turns) else n_turns
            out[t : min(until, n_turns), fidx[force]] = qidx[premise]
    return out


def _block_premises(model: Scenario, fidx: dict[str, int], n_turns: int) -> np.ndarray:
    """Return ``[T, F]``: the premise whose block governs each force in each turn, or -1."""
    out = np.full((n_turns, len(fidx)), NONE, np.int16)
    start, tdays = model.meta.start, model.meta.turn_days
    for q, p in enumerate(model.history.premises):
        if p.from_ is None or p.until is None:
            continue
        first = max((p.from_ - start).days // tdays, 0)
        last = min((p.until - start).days // tdays, n_turns - 1)
        for force in p.forces:
            out[first : last + 1, fidx[force]] = q
    return out


def conditions_in(cond: Condition | None) -> list[Condition]:
    """Return a condition and every condition nested in it (all, any, not, some_of)."""
    if cond is None:
        return []
    out = [cond]
    subs = (cond.all or []) + (cond.any or []) + (cond.some_of.of if cond.some_of else [])
    for sub in subs:
        out.extend(conditions_in(sub))
    if cond.not_ is not None:
        out.extend(conditions_in(cond.not_))
    return out


def scenario_conditions(model: Scenario) -> list[Condition]:
    """Return every condition of a scenario: events', premises', outcomes' and the peace's."""
    roots = [ev.when for ev in model.events]
    roots += [p.when for p in model.history.premises]
    roots += [o.when for o in model.victory.outcomes]
    roots += [model.victory.peace.negotiate_when]
    return [c for root in roots for c in conditions_in(root)]
