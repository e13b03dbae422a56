"""Enemy forces that are not seen: which are presumed in the field, and where they may be.

Enemy forces that are not seen are not forgotten.  Those that should be in the field (on
the map from the start, due by now, or raised by an event that has fired, which is public
news) are *presumed*, at :data:`GHOST_STRENGTH` of their scenario strength, and reasoned
about in two ways: where each is *believed* to be (its start or arrival point if nobody
watches it, else the nearest unwatched province, preferring its own side's land), and,
for raids on own land, *anywhere* it could have slipped away to (a column on the road is
never seen, so any province within two turns' march of unwatched or enemy land is in
reach).  The policy never learns whether a presumed force still exists: that is what fog
means.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.tables import Static, meets, pack
from game.codes import NONE
from game.engine.observe import Observation
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]

GHOST_STRENGTH: Final = 0.8
"""Share of its starting strength assumed for an enemy force that is not seen."""


def watched_places(scn: CompiledScenario, obs: Observation, able: B) -> B:
    """Return ``[R, P]``: provinces within detection range of own forces and provinces."""
    watch = obs.owner == obs.side
    r, f = np.nonzero(able)
    watch[r, obs.loc[r, f]] = True
    road = able & (obs.nxt >= 0)
    r2, f2 = np.nonzero(road)
    watch[r2, obs.nxt[r2, f2]] = True
    linked = pack(np.isfinite(np.asarray(scn.link_days)).T)  # [p, W]: the q linked to p
    for _ in range(scn.rules.fog.detect_links):
        watch = watch | meets(pack(watch)[:, None, :], linked[None, :, :])
    return watch


def _raised(scn: CompiledScenario) -> tuple[npt.NDArray[np.int64], I64]:
    """Return, per force slot, the event that raises it (or -1) and where (or -1)."""
    event = np.full(scn.F, NONE, np.int64)
    where = np.full(scn.F, NONE, np.int64)
    for i, ev in enumerate(scn.events):
        for eff in ev.effects:
            if eff.raise_ is not None:
                f = scn.force_index[eff.raise_.force]
                event[f], where[f] = i, scn.province_index[eff.raise_.at]
    return event, where


def _presumed(scn: CompiledScenario, obs: Observation, seen: B) -> B:
    """Return ``[R, F]``: enemy forces not seen that should be in the field by now.

    Those that started on the map, those due by now, and those raised by an event that
    has fired (events are public news).
    """
    enemy = np.asarray(scn.force_side != obs.side)
    scenario = np.arange(scn.F) < scn.n_scenario_forces
    arrival = np.asarray(scn.arrival_turn)
    due = (np.asarray(scn.start_at) >= 0) | ((arrival >= 0) & (arrival <= obs.turn))
    event, _ = _raised(scn)
    fired = np.concatenate([obs.fired, np.zeros((obs.runs, 1), bool)], axis=1)
    raised = fired[:, np.where(event >= 0, event, scn.E)]  # [R, F]
    return ((enemy & scenario)[None, :] & (due[None, :] | raised)) & ~seen & ~obs.over[:, None]


def origins(scn: CompiledScenario, side: int) -> I64:
    """Return ``[F]``: where each force starts, arrives or is raised (else ``side``'s capital)."""
    origin = np.where(np.asarray(scn.start_at) >= 0, scn.start_at, scn.arrival_at).astype(np.int64)
    origin = np.where(origin >= 0, origin, _raised(scn)[1])
    return np.where(origin >= 0, origin, int(scn.capital[side]))


def place_costs(
    scn: CompiledScenario, obs: Observation, watched: B, forces: I64 | None = None
) -> F64:
    """Return ``[R, F, P]``: how unlikely each unwatched province is as a hidden force's post.

    The cost is the march days from the force's start (or arrival) point, plus five days
    for a province its side does not hold; watched provinces cost infinity (a force
    standing there would be seen).  With ``forces`` only those slots (``[R, len, P]``).
    """
    e = 1 - obs.side
    origin = origins(scn, e)
    dist = np.asarray(scn.dist_days)[origin if forces is None else origin[forces]]  # [F, P]
    theirs = obs.owner == e  # [R, P]
    cost = dist[None, :, :] + np.where(theirs, 0.0, 5.0)[:, None, :]
    return np.where(~watched[:, None, :], cost, np.inf)


def believed_places(
    scn: CompiledScenario, obs: Observation, watched: B, forces: I64 | None = None
) -> I64:
    """Return ``[R, F]``: the likeliest unwatched province of each enemy force, or -1.

    With ``forces`` only those slots (``[R, len]``).
    """
    cost = place_costs(scn, obs, watched, forces)
    best = np.argmin(cost, axis=2)
    ok = np.isfinite(np.take_along_axis(cost, best[:, :, None], axis=2)[:, :, 0])
    return np.where(ok, best, NONE).astype(np.int64)


def ghosts(
    scn: CompiledScenario, st: Static, obs: Observation, seen: B, watched: B
) -> tuple[F64, I64, B, B]:
    """Return presumed unseen enemy forces' men, believed places and reaches.

    See :class:`Situation` (``ghost_men``, ``ghost_at``, ``ghost_near``, ``lurk_reach``).
    """
    presumed = _presumed(scn, obs, seen)
    men = np.where(presumed, GHOST_STRENGTH * np.asarray(scn.men0)[None, :], 0.0)
    R, F, P = obs.runs, scn.F, scn.P
    at = np.full((R, F), NONE, np.int64)
    near = np.zeros((R, F, P), bool)
    lurk = np.zeros((R, F, P), bool)
    cols = np.flatnonzero(presumed.any(axis=0))  # only these slots can be anywhere
    if cols.size == 0:
        return men, at, near, lurk
    pres = presumed[:, cols]
    at_c = np.where(pres, believed_places(scn, obs, watched, cols), NONE)
    at[:, cols] = at_c
    days = st.route_days[st.pace_of[None, cols], np.maximum(at_c, 0)]  # [R, C, P]
    near[:, cols] = (at_c >= 0)[:, :, None] & (days <= scn.turn_days)
    # A column on the road is never seen, so a hidden force may have left any province
    # nobody watches, or its own side's land, during the last turn.
    hidden = ~watched | (obs.owner == 1 - obs.side)  # [R, P]
    hidden_bits = pack(hidden)[:, None, :]  # [R, 1, W]
    for v in np.unique(st.pace_of[cols]):
        # Some hidden province lies within two turns' march of each province.
        within = st.route_days[v] <= 2.0 * scn.turn_days  # [from, to]
        near_bits = pack(within.T)  # [to, W]
        far = meets(hidden_bits, near_bits[None, :, :])  # [R, P]
        paced = pres & (st.pace_of[cols] == v)[None, :]
        lurk[:, cols] |= paced[:, :, None] & far[:, None, :]
    return men, at, near, lurk
