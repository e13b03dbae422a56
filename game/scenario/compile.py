"""Third pass of the loader: validated models -> frozen arrays the engine can use.

The engine never sees YAML or pydantic.  It sees :class:`CompiledScenario`: index maps,
numpy arrays over provinces, links, forces and commanders, and a few frozen tuples for the
parts that are naturally small and irregular (events, outcomes, the historical record).
Arrays are made read-only so that no phase can change the scenario by accident.

:func:`compile_scenario` compiles one section of the scenario at a time: time, sides,
provinces, terrain, links (:mod:`game.scenario.routes`), commanders, forces
(:mod:`game.scenario.force_slots`), the historical record (:mod:`game.scenario.history_tables`)
and events.  Each section returns
the :class:`CompiledScenario` fields it fills.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from game.codes import NONE
from game.scenario.force_slots import Ids, force_fields
from game.scenario.history_tables import history_fields, scenario_conditions
from game.scenario.routes import link_fields
from game.scenario.schema import ADDED_FIELDS, Event, Outcome, Premise, Rules, Scenario
from game.scenario.talks import TalksLength, talks_length

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
    """Return a stable SHA-256 of a scenario's content (not of its file's formatting).

    Keys the format gained after its first version count only where a scenario uses them
    (:data:`~game.scenario.schema.ADDED_FIELDS`): a scenario that does not keeps its hash,
    so its saves and unfinished studies stay valid across versions of the format.
    """
    data = _without_unused_additions(
        model.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    )
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _without_unused_additions(data: Any) -> Any:
    """Return dumped scenario data without the added keys left at their defaults."""
    if isinstance(data, dict):
        return {
            k: _without_unused_additions(v)
            for k, v in data.items()
            if not (k in ADDED_FIELDS and v == ADDED_FIELDS[k])
        }
    if isinstance(data, list):
        return [_without_unused_additions(v) for v in data]
    return data


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
    hist_premise: I16
    hist_block: I16
    premises: tuple[Premise, ...]
    premise_index: dict[str, int]
    rec_battle_ids: tuple[str, ...]
    rec_battle_index: dict[str, int]
    rec_battle_province: I16
    rec_battle_day: I32
    window_days: int

    side_link_days: F64
    side_nbr: I16
    side_nbr_days: F64
    side_dist_days: F64
    side_next_hop: I16

    party_ids: tuple[str, ...]
    party_index: dict[str, int]
    party_side: I8
    party_will0: F64
    party_leave: F64
    party_home: B
    party_objectives: B
    force_party: I16

    talks: TalksLength

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

    @property
    def Q(self) -> int:
        """Number of allied parties (of every side)."""
        return len(self.party_ids)

    def party_name(self, q: int) -> str:
        """Return the display name of allied party ``q``."""
        side = self.model.sides[int(self.party_side[q])]
        return next(p.name for p in side.parties if p.id == self.party_ids[q])

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


def compile_scenario(model: Scenario) -> CompiledScenario:
    """Compile a validated and cross-checked scenario model to arrays.

    Assumes :func:`game.scenario.checks.check` found no problems; ids it cannot resolve
    raise ``KeyError``.
    """
    ids = _ids(model)
    time = _time_fields(model)
    sides = _side_fields(model, ids)
    forces = force_fields(model, ids, sides["home_side"])
    rising_names = forces.pop("rising_names")
    arrays = {
        **sides,
        **_province_fields(model, ids),
        **_terrain_fields(model),
        **link_fields(model, ids.province_index, ids.side_index),
        **_commander_fields(model, ids),
        **forces,
        **history_fields(model, forces["force_index"], ids, time["n_turns"]),
        **_party_fields(model, ids, forces["force_index"]),
    }
    talks = talks_length(model, arrays["dist_days"], ids.province_index, time["turn_days"])
    return CompiledScenario(
        model=model,
        talks=talks,
        hash=scenario_hash(model),
        rules=model.rules,
        **time,
        side_ids=ids.side_ids,
        side_index=ids.side_index,
        province_ids=ids.province_ids,
        province_index=ids.province_index,
        commander_ids=tuple(ids.commander_index),
        commander_index=ids.commander_index,
        **{k: _ro(v) if isinstance(v, np.ndarray) else v for k, v in arrays.items()},
        **_event_fields(model),
        extra={"rising_names": rising_names},
    )


def _ids(model: Scenario) -> Ids:
    """Return the ids and index maps of sides, provinces and commanders."""
    side_ids = tuple(s.id for s in model.sides)
    pids = tuple(p.id for p in model.map.provinces)
    cids = tuple(c.id for c in model.commanders)
    return Ids(
        side_ids=side_ids,
        side_index={s: i for i, s in enumerate(side_ids)},
        province_ids=pids,
        province_index={p: i for i, p in enumerate(pids)},
        commander_index={c: i for i, c in enumerate(cids)},
    )


def _time_fields(model: Scenario) -> dict[str, Any]:
    """Return the calendar: first and last day, days per turn and the number of turns."""
    start, tdays = model.meta.start, model.meta.turn_days
    return {
        "start": start,
        "end": model.meta.end,
        "turn_days": tdays,
        "n_turns": ((model.meta.end - start).days) // tdays + 1,
    }


def _side_fields(model: Scenario, ids: Ids) -> dict[str, np.ndarray]:
    """Return each side's war will, capital, home, claimed and objective provinces."""
    sides, provs = model.sides, model.map.provinces
    sidx, pidx = ids.side_index, ids.province_index
    S, P = len(sides), len(provs)
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
    return {
        "will0": np.array([s.war_will for s in sides]),
        "capital": np.array([pidx[s.capital] for s in sides], np.int16),
        "home": home,
        "claimed": claimed,
        "objectives": objectives,
        "home_side": home_side,
    }


def _province_fields(model: Scenario, ids: Ids) -> dict[str, np.ndarray]:
    """Return the provinces' places, terrain, owners and what holding them takes."""
    provs = model.map.provinces
    tidx = {t.id: i for i, t in enumerate(model.terrain)}
    sidx = ids.side_index
    return {
        "lat": np.array([p.lat for p in provs]),
        "lon": np.array([p.lon for p in provs]),
        "altitude": np.array([p.altitude for p in provs]),
        "terrain": np.array([tidx[p.terrain] for p in provs], np.int16),
        "value": np.array([p.value for p in provs]),
        "owner0": np.array([sidx[p.owner] for p in provs], np.int8),
        "off_map": np.array([p.off_map for p in provs]),
        "fort": np.array([p.fort for p in provs], np.int8),
        "supply_source": np.array([p.supply_source for p in provs]),
        "resistance": np.array([p.resistance for p in provs]),
        "partisans": np.array([p.partisans for p in provs], np.int32),
        "garrison_needed": np.array([p.garrison_needed for p in provs], np.int32),
    }


def _terrain_fields(model: Scenario) -> dict[str, Any]:
    """Return the terrain types' ids and effects."""
    return {
        "terrain_ids": tuple(t.id for t in model.terrain),
        "terrain_defence": np.array([t.defence for t in model.terrain]),
        "terrain_attrition": np.array([t.attrition for t in model.terrain]),
        "terrain_forage": np.array([t.forage for t in model.terrain]),
    }


def _commander_fields(model: Scenario, ids: Ids) -> dict[str, np.ndarray]:
    """Return the commanders' sides and ratings."""
    cmds = model.commanders
    return {
        "cmd_side": np.array([ids.side_index[c.side] for c in cmds], np.int8),
        "leadership": np.array([c.leadership for c in cmds]),
        "initiative": np.array([c.initiative for c in cmds]),
        "exposure": np.array([c.exposure for c in cmds]),
        "head_of_state": np.array([c.head_of_state for c in cmds], bool),
        "cmd_present": np.array([c.present for c in cmds], bool),
    }


def _party_fields(model: Scenario, ids: Ids, fidx: dict[str, int]) -> dict[str, Any]:
    """Return the allied parties: their side, will, when they leave, their provinces."""
    found = [(i, p) for i, s in enumerate(model.sides) for p in s.parties]
    P, F = len(ids.province_ids), len(fidx)
    home = np.zeros((len(found), P), bool)
    objectives = np.zeros((len(found), P), bool)
    for q, (_, p) in enumerate(found):
        home[q, [ids.province_index[x] for x in p.home_provinces]] = True
        objectives[q, [ids.province_index[x] for x in p.war_aims.objectives]] = True
    qidx = {p.id: q for q, (_, p) in enumerate(found)}
    force_party = np.full(F, NONE, np.int16)
    for f in model.forces:
        if f.party is not None:
            force_party[fidx[f.id]] = qidx[f.party]
    return {
        "party_ids": tuple(p.id for _, p in found),
        "party_index": qidx,
        "party_side": np.array([i for i, _ in found], np.int8),
        "party_will0": np.array([p.war_will for _, p in found], np.float64),
        "party_leave": np.array([p.leave_will for _, p in found], np.float64),
        "party_home": home,
        "party_objectives": objectives,
        "force_party": force_party,
    }


def _event_fields(model: Scenario) -> dict[str, Any]:
    """Return the events, the flags they set or test, and the outcomes, with index maps."""
    flags: list[str] = []
    for ev in model.events:
        for eff in ev.effects:
            if eff.set_flag is not None and eff.set_flag not in flags:
                flags.append(eff.set_flag)
    for c in scenario_conditions(model):
        if c.flag is not None and c.flag not in flags:
            flags.append(c.flag)
    return {
        "events": tuple(model.events),
        "event_index": {e.id: i for i, e in enumerate(model.events)},
        "flag_ids": tuple(flags),
        "flag_index": {f: i for i, f in enumerate(flags)},
        "outcomes": tuple(model.victory.outcomes),
        "outcome_index": {o.id: i for i, o in enumerate(model.victory.outcomes)},
    }


__all__ = ["CompiledScenario", "compile_scenario", "scenario_hash"]
