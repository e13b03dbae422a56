"""Third pass of the loader: validated models -> frozen arrays the engine can use.

The engine never sees YAML or pydantic.  It sees :class:`CompiledScenario`: index maps,
numpy arrays over provinces, links, forces and commanders, and a few frozen tuples for the
parts that are naturally small and irregular (events, outcomes, the historical record).
Arrays are made read-only so that no phase can change the scenario by accident.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from game.engine.codes import CROSSINGS, KIND_NAMES, NONE, ORDER_NAMES, ROADS, OrderKind
from game.scenario.schema import (
    Condition,
    Event,
    Outcome,
    Rules,
    Scenario,
    strength_range,
    strength_value,
)

I8 = npt.NDArray[np.int8]
I16 = npt.NDArray[np.int16]
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


def scenario_hash(model: Scenario) -> str:
    """Return a stable SHA-256 of a scenario's content (not of its file's formatting)."""
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CompiledScenario:
    """A scenario ready for the engine: ids, index maps and read-only arrays.

    Sizes: ``S`` sides (2), ``P`` provinces, ``D`` most links at one province, ``F`` force
    slots (the scenario's forces, then one slot per province where irregulars can rise),
    ``C`` commanders, ``E`` events, ``T`` turns.
    """

    model: Scenario
    hash: str
    start: dt.date
    end: dt.date
    turn_days: int
    n_turns: int
    rules: Rules

    side_ids: tuple[str, ...]
    side_index: dict[str, int]
    will0: F64
    capital: I16
    home: B
    claimed: B
    objectives: B

    province_ids: tuple[str, ...]
    province_index: dict[str, int]
    lat: F64
    lon: F64
    altitude: F64
    terrain: I16
    value: F64
    owner0: I8
    home_side: I8
    off_map: B
    fort: I8
    supply_source: B
    resistance: F64
    partisans: I32
    garrison_needed: I32

    terrain_ids: tuple[str, ...]
    terrain_defence: F64
    terrain_attrition: F64
    terrain_forage: F64

    link_days: F64
    link_crossing: I8
    link_road: I8
    nbr: I16
    nbr_days: F64
    dist_days: F64
    next_hop: I16

    commander_ids: tuple[str, ...]
    commander_index: dict[str, int]
    cmd_side: I8
    leadership: F64
    initiative: F64
    exposure: F64
    head_of_state: B
    cmd_present: B

    force_ids: tuple[str, ...]
    force_index: dict[str, int]
    n_scenario_forces: int
    force_side: I8
    kind: I8
    men0: I32
    men_lo: I32
    men_hi: I32
    quality: F64
    training: F64
    morale: F64
    cavalry: F64
    commander0: I16
    start_at: I16
    arrival_turn: I16
    arrival_at: I16
    by_event: B
    rising_province: I16
    rising_slot: I16

    events: tuple[Event, ...]
    event_index: dict[str, int]
    flag_ids: tuple[str, ...]
    flag_index: dict[str, int]
    outcomes: tuple[Outcome, ...]
    outcome_index: dict[str, int]

    hist_kind: I8
    hist_target: I16

    extra: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ helpers
    @property
    def S(self) -> int:
        """Number of sides."""
        return len(self.side_ids)

    @property
    def P(self) -> int:
        """Number of provinces."""
        return len(self.province_ids)

    @property
    def F(self) -> int:
        """Number of force slots."""
        return len(self.force_ids)

    @property
    def C(self) -> int:
        """Number of commanders."""
        return len(self.commander_ids)

    @property
    def E(self) -> int:
        """Number of events."""
        return len(self.events)

    def turn_of(self, date: dt.date) -> int:
        """Return the turn whose days include ``date`` (may be out of range)."""
        return (date - self.start).days // self.turn_days

    def date_of(self, turn: int, day: int = 0) -> dt.date:
        """Return the date of ``day`` (0-based) within ``turn``."""
        return self.start + dt.timedelta(days=turn * self.turn_days + day)

    def force_name(self, f: int) -> str:
        """Return the display name of force slot ``f``."""
        if f < self.n_scenario_forces:
            return self.model.forces[f].name
        return str(self.extra["rising_names"][f - self.n_scenario_forces])

    def province_name(self, p: int) -> str:
        """Return the display name of province ``p``."""
        return self.model.map.provinces[p].name

    def side_name(self, s: int) -> str:
        """Return the display name of side ``s``."""
        return self.model.sides[s].name

    def commander_name(self, c: int) -> str:
        """Return the display name of commander ``c``."""
        return self.model.commanders[c].name


def _shortest(link_days: F64) -> F64:
    d = link_days.copy()
    np.fill_diagonal(d, 0.0)
    for k in range(d.shape[0]):
        d = np.minimum(d, d[:, k : k + 1] + d[k : k + 1, :])
    return d


def _next_hop(link_days: F64, dist: F64) -> I16:
    """Return the first province on a shortest route from a to b (-1 if none or a == b)."""
    P = link_days.shape[0]
    via = link_days[:, :, None] + dist[None, :, :]  # [a, n, b]: a -> n, then n ~> b
    hop = np.argmin(via, axis=1).astype(np.int16)
    best = np.min(via, axis=1)
    hop[~np.isfinite(best)] = NONE
    hop[np.arange(P), np.arange(P)] = NONE
    return hop


def _conditions(cond: Condition | None) -> list[Condition]:
    if cond is None:
        return []
    out = [cond]
    for sub in (cond.all or []) + (cond.any or []):
        out.extend(_conditions(sub))
    if cond.not_ is not None:
        out.extend(_conditions(cond.not_))
    return out


def compile_scenario(model: Scenario) -> CompiledScenario:
    """Compile a validated and cross-checked scenario model to arrays.

    Assumes :func:`game.scenario.checks.check` found no problems; ids it cannot resolve
    raise ``KeyError``.
    """
    sides = model.sides
    provs = model.map.provinces
    side_ids = tuple(s.id for s in sides)
    sidx = {s: i for i, s in enumerate(side_ids)}
    pids = tuple(p.id for p in provs)
    pidx = {p: i for i, p in enumerate(pids)}
    tids = tuple(t.id for t in model.terrain)
    tidx = {t: i for i, t in enumerate(tids)}
    S, P = len(side_ids), len(pids)

    home = np.zeros((S, P), bool)
    claimed = np.zeros((S, P), bool)
    objectives = np.zeros((S, P), bool)
    for i, s in enumerate(sides):
        home[i, [pidx[p] for p in s.home_provinces]] = True
        objectives[i, [pidx[p] for p in s.war_aims.objectives]] = True
    home_side = np.full(P, NONE, np.int8)
    for i in range(S):
        home_side[home[i]] = i
    for j, p in enumerate(provs):
        for c in p.claimed_by:
            claimed[sidx[c], j] = True
        claimed[sidx[p.owner], j] = True

    link_days = np.full((P, P), np.inf)
    crossing = np.zeros((P, P), np.int8)
    road = np.zeros((P, P), np.int8)
    for ln in model.map.links:
        a, b = pidx[ln.a], pidx[ln.b]
        link_days[a, b] = link_days[b, a] = ln.days
        crossing[a, b] = crossing[b, a] = CROSSINGS.index(ln.crossing)
        road[a, b] = road[b, a] = ROADS.index(ln.road)
    deg = (np.isfinite(link_days)).sum(axis=1)
    D = int(deg.max()) if P else 0
    nbr = np.full((P, D), NONE, np.int16)
    nbr_days = np.full((P, D), np.inf)
    for j in range(P):
        ns = np.flatnonzero(np.isfinite(link_days[j]))
        ns = ns[np.argsort(link_days[j, ns], kind="stable")]
        nbr[j, : ns.size] = ns
        nbr_days[j, : ns.size] = link_days[j, ns]

    cmds = list(model.commanders)
    cids = tuple(c.id for c in cmds)
    cidx = {c: i for i, c in enumerate(cids)}

    start = model.meta.start
    tdays = model.meta.turn_days
    n_turns = ((model.meta.end - start).days) // tdays + 1

    # force slots: scenario forces, then irregulars that can rise per (side, province)
    forces = model.forces
    rising_pairs: list[tuple[int, int]] = []
    for j, p in enumerate(provs):
        if p.partisans > 0 and home_side[j] != NONE and not p.off_map:
            rising_pairs.append((int(home_side[j]), j))
    for ev in model.events:
        for eff in ev.effects:
            if eff.rising is not None:
                j = pidx[eff.rising.province]
                s = sidx[eff.rising.side] if eff.rising.side else int(home_side[j])
                if s != NONE and (s, j) not in rising_pairs:
                    rising_pairs.append((s, j))
    n_sf = len(forces)
    F = n_sf + len(rising_pairs)
    fids = [f.id for f in forces] + [f"rising_{pids[j]}_{side_ids[s]}" for s, j in rising_pairs]
    fidx = {f: i for i, f in enumerate(fids)}
    kinds = model.rules.kinds

    force_side = np.zeros(F, np.int8)
    kind = np.zeros(F, np.int8)
    men0 = np.zeros(F, np.int32)
    men_lo = np.zeros(F, np.int32)
    men_hi = np.zeros(F, np.int32)
    quality = np.ones(F)
    training = np.zeros(F)
    morale = np.zeros(F)
    cavalry = np.zeros(F)
    commander0 = np.full(F, NONE, np.int16)
    start_at = np.full(F, NONE, np.int16)
    arrival_turn = np.full(F, NONE, np.int16)
    arrival_at = np.full(F, NONE, np.int16)
    by_event = np.zeros(F, bool)
    rising_province = np.full(F, NONE, np.int16)
    rising_slot = np.full((S, P), NONE, np.int16)
    for i, f in enumerate(forces):
        force_side[i] = sidx[f.side]
        kind[i] = KIND_NAMES[f.kind]
        men0[i] = strength_value(f.men)
        men_lo[i], men_hi[i] = strength_range(f.men)
        quality[i] = f.quality
        training[i] = f.training
        morale[i] = f.morale
        cavalry[i] = f.cavalry if f.cavalry is not None else kinds[f.kind].cavalry
        if f.commander is not None and cmds[cidx[f.commander]].present:
            commander0[i] = cidx[f.commander]
        if f.start is not None:
            start_at[i] = pidx[f.start]
        elif f.arrival is not None and f.arrival.date is not None and f.arrival.at is not None:
            arrival_turn[i] = (f.arrival.date - start).days // tdays
            arrival_at[i] = pidx[f.arrival.at]
        else:
            by_event[i] = True
    rising_names = []
    for n, (s, j) in enumerate(rising_pairs):
        i = n_sf + n
        force_side[i] = s
        kind[i] = KIND_NAMES["montoneros"]
        men0[i] = men_lo[i] = men_hi[i] = 0
        cavalry[i] = kinds["montoneros"].cavalry
        rising_province[i] = j
        rising_slot[s, j] = i
        adj = sides[s].adjective or sides[s].name
        rising_names.append(f"{adj} irregulars of {provs[j].name}")

    # historical orders, one per force and turn at most (checked earlier)
    hist_kind = np.full((n_turns, F), NONE, np.int8)
    hist_target = np.full((n_turns, F), NONE, np.int16)
    for o in model.history.orders:
        t = (o.date - start).days // tdays
        if 0 <= t < n_turns:
            f = fidx[o.force]
            hist_kind[t, f] = ORDER_NAMES[o.order]
            hist_target[t, f] = pidx[o.to] if o.to is not None else NONE

    flags: list[str] = []
    for ev in model.events:
        for eff in ev.effects:
            if eff.set_flag is not None and eff.set_flag not in flags:
                flags.append(eff.set_flag)
        for c in _conditions(ev.when):
            if c.flag is not None and c.flag not in flags:
                flags.append(c.flag)

    return CompiledScenario(
        model=model,
        hash=scenario_hash(model),
        start=start,
        end=model.meta.end,
        turn_days=tdays,
        n_turns=n_turns,
        rules=model.rules,
        side_ids=side_ids,
        side_index=sidx,
        will0=_ro(np.array([s.war_will for s in sides])),
        capital=_ro(np.array([pidx[s.capital] for s in sides], np.int16)),
        home=_ro(home),
        claimed=_ro(claimed),
        objectives=_ro(objectives),
        province_ids=pids,
        province_index=pidx,
        lat=_ro(np.array([p.lat for p in provs])),
        lon=_ro(np.array([p.lon for p in provs])),
        altitude=_ro(np.array([p.altitude for p in provs])),
        terrain=_ro(np.array([tidx[p.terrain] for p in provs], np.int16)),
        value=_ro(np.array([p.value for p in provs])),
        owner0=_ro(np.array([sidx[p.owner] for p in provs], np.int8)),
        home_side=_ro(home_side),
        off_map=_ro(np.array([p.off_map for p in provs])),
        fort=_ro(np.array([p.fort for p in provs], np.int8)),
        supply_source=_ro(np.array([p.supply_source for p in provs])),
        resistance=_ro(np.array([p.resistance for p in provs])),
        partisans=_ro(np.array([p.partisans for p in provs], np.int32)),
        garrison_needed=_ro(np.array([p.garrison_needed for p in provs], np.int32)),
        terrain_ids=tids,
        terrain_defence=_ro(np.array([t.defence for t in model.terrain])),
        terrain_attrition=_ro(np.array([t.attrition for t in model.terrain])),
        terrain_forage=_ro(np.array([t.forage for t in model.terrain])),
        link_days=_ro(link_days),
        link_crossing=_ro(crossing),
        link_road=_ro(road),
        nbr=_ro(nbr),
        nbr_days=_ro(nbr_days),
        dist_days=_ro(dist := _shortest(link_days)),
        next_hop=_ro(_next_hop(link_days, dist)),
        commander_ids=cids,
        commander_index=cidx,
        cmd_side=_ro(np.array([sidx[c.side] for c in cmds], np.int8)),
        leadership=_ro(np.array([c.leadership for c in cmds])),
        initiative=_ro(np.array([c.initiative for c in cmds])),
        exposure=_ro(np.array([c.exposure for c in cmds])),
        head_of_state=_ro(np.array([c.head_of_state for c in cmds], bool)),
        cmd_present=_ro(np.array([c.present for c in cmds], bool)),
        force_ids=tuple(fids),
        force_index=fidx,
        n_scenario_forces=n_sf,
        force_side=_ro(force_side),
        kind=_ro(kind),
        men0=_ro(men0),
        men_lo=_ro(men_lo),
        men_hi=_ro(men_hi),
        quality=_ro(quality),
        training=_ro(training),
        morale=_ro(morale),
        cavalry=_ro(cavalry),
        commander0=_ro(commander0),
        start_at=_ro(start_at),
        arrival_turn=_ro(arrival_turn),
        arrival_at=_ro(arrival_at),
        by_event=_ro(by_event),
        rising_province=_ro(rising_province),
        rising_slot=_ro(rising_slot),
        events=tuple(model.events),
        event_index={e.id: i for i, e in enumerate(model.events)},
        flag_ids=tuple(flags),
        flag_index={f: i for i, f in enumerate(flags)},
        outcomes=tuple(model.victory.outcomes),
        outcome_index={o.id: i for i, o in enumerate(model.victory.outcomes)},
        hist_kind=_ro(hist_kind),
        hist_target=_ro(hist_target),
        extra={"rising_names": tuple(rising_names)},
    )


__all__ = ["CompiledScenario", "OrderKind", "compile_scenario", "scenario_hash"]
