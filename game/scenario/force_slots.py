"""Force slots: the scenario's forces, then one slot per place irregulars can rise.

Part of compiling a scenario (:mod:`game.scenario.compile`).  The engine's arrays have a
fixed force axis, so every force that may ever exist needs a slot from the start: the
scenario's own forces first, then one slot per (side, province) where a home province's
partisans or an event's ``rising`` can raise irregulars.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from game.codes import KIND_NAMES, NONE
from game.scenario.schema import Scenario, strength_range, strength_value


@dataclass(frozen=True)
class Ids:
    """Ids and index maps of the sections compiled before the forces."""

    side_ids: tuple[str, ...]
    side_index: dict[str, int]
    province_ids: tuple[str, ...]
    province_index: dict[str, int]
    commander_index: dict[str, int]


def rising_pairs(model: Scenario, ids: Ids, home_side: np.ndarray) -> list[tuple[int, int]]:
    """Return the (side, province) pairs where irregulars can rise, in slot order."""
    pairs: list[tuple[int, int]] = []
    for j, p in enumerate(model.map.provinces):
        if p.partisans > 0 and home_side[j] != NONE and not p.off_map:
            pairs.append((int(home_side[j]), j))
    for ev in model.events:
        for eff in ev.effects:
            if eff.rising is not None:
                j = ids.province_index[eff.rising.province]
                s = ids.side_index[eff.rising.side] if eff.rising.side else int(home_side[j])
                if s != NONE and (s, j) not in pairs:
                    pairs.append((s, j))
    return pairs


def force_fields(model: Scenario, ids: Ids, home_side: np.ndarray) -> dict[str, Any]:
    """Return the compiled scenario's force arrays and ids (writable; the caller freezes)."""
    pairs = rising_pairs(model, ids, home_side)
    n_sf = len(model.forces)
    F = n_sf + len(pairs)
    side_ids, pids = ids.side_ids, ids.province_ids
    fids = [f.id for f in model.forces] + [f"rising_{pids[j]}_{side_ids[s]}" for s, j in pairs]
    cols = _blank(F, len(side_ids), len(pids))
    _fill_scenario_forces(cols, model, ids)
    rising_names = _fill_risings(cols, model, pairs, n_sf)
    return {
        "force_ids": tuple(fids),
        "force_index": {f: i for i, f in enumerate(fids)},
        "n_scenario_forces": n_sf,
        **cols,
        "rising_names": tuple(rising_names),
    }


def _blank(F: int, S: int, P: int) -> dict[str, np.ndarray]:
    """Return the force arrays filled with their defaults."""
    return {
        "force_side": np.zeros(F, np.int8),
        "kind": np.zeros(F, np.int8),
        "men0": np.zeros(F, np.int32),
        "men_lo": np.zeros(F, np.int32),
        "men_hi": np.zeros(F, np.int32),
        "quality": np.ones(F),
        "training": np.zeros(F),
        "morale": np.zeros(F),
        "cavalry": np.zeros(F),
        "commander0": np.full(F, NONE, np.int16),
        "start_at": np.full(F, NONE, np.int16),
        "arrival_turn": np.full(F, NONE, np.int16),
        "arrival_at": np.full(F, NONE, np.int16),
        "by_event": np.zeros(F, bool),
        "rising_province": np.full(F, NONE, np.int16),
        "rising_slot": np.full((S, P), NONE, np.int16),
    }


def _fill_scenario_forces(cols: dict[str, np.ndarray], model: Scenario, ids: Ids) -> None:
    """Write the scenario's own forces into the first slots."""
    kinds = model.rules.kinds
    cmds = model.commanders
    start, tdays = model.meta.start, model.meta.turn_days
    cidx, pidx = ids.commander_index, ids.province_index
    for i, f in enumerate(model.forces):
        cols["force_side"][i] = ids.side_index[f.side]
        cols["kind"][i] = KIND_NAMES[f.kind]
        cols["men0"][i] = strength_value(f.men)
        cols["men_lo"][i], cols["men_hi"][i] = strength_range(f.men)
        cols["quality"][i] = f.quality
        cols["training"][i] = f.training
        cols["morale"][i] = f.morale
        cols["cavalry"][i] = f.cavalry if f.cavalry is not None else kinds[f.kind].cavalry
        if f.commander is not None and cmds[cidx[f.commander]].present:
            cols["commander0"][i] = cidx[f.commander]
        if f.start is not None:
            cols["start_at"][i] = pidx[f.start]
        elif f.arrival is not None and f.arrival.date is not None and f.arrival.at is not None:
            cols["arrival_turn"][i] = (f.arrival.date - start).days // tdays
            cols["arrival_at"][i] = pidx[f.arrival.at]
        else:
            cols["by_event"][i] = True


def _fill_risings(
    cols: dict[str, np.ndarray], model: Scenario, pairs: list[tuple[int, int]], n_sf: int
) -> list[str]:
    """Write the irregulars' slots after the scenario's forces; return their names."""
    sides, provs = model.sides, model.map.provinces
    names = []
    for n, (s, j) in enumerate(pairs):
        i = n_sf + n
        cols["force_side"][i] = s
        cols["kind"][i] = KIND_NAMES["montoneros"]
        cols["men0"][i] = cols["men_lo"][i] = cols["men_hi"][i] = 0
        cols["cavalry"][i] = model.rules.kinds["montoneros"].cavalry
        cols["rising_province"][i] = j
        cols["rising_slot"][s, j] = i
        adj = sides[s].adjective or sides[s].name
        names.append(f"{adj} irregulars of {provs[j].name}")
    return names
