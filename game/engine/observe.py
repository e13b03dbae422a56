"""Fog of war: what one side can know of a batch of campaigns.

A side knows its own forces exactly, who holds every province (news of a town's fall
travels), the fate of every commander, which of the scenario's events have happened (a
rising, a death, a manifesto: the chronicle announces them to both sides), the date and
whether talks are open.  It sees an enemy force only when the force stands within
``rules.fog.detect_links`` links of one of its own forces or provinces, and then only an
estimate of its strength: the true number times a log-normal error that is fixed for
that force, side and turn (keyed on the fog stream), rounded to fifty men.  Policies and the interface receive only this; a property
test checks that a policy's orders depend on nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import rng
from game.codes import NONE, ForceStatus
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

I8 = npt.NDArray[np.int8]
I16 = npt.NDArray[np.int16]
I32 = npt.NDArray[np.int32]
F32 = npt.NDArray[np.float32]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Observation:
    """One side's view of a batch of runs.

    Own forces carry exact values; enemy forces that are seen carry their province and an
    estimated strength, and unseen ones have ``loc`` -1, ``men`` 0 and ``seen`` False.
    Enemy marches (``nxt``, ``dest``), cohesion and supply are never shown.

    Attributes:
        side: The observing side.
        turn: Turns completed.
        run_ids: Global run indices (for the policy's own keyed random streams).
        own: Which force slots are this side's ``[F]``.
        seen: Enemy forces seen this turn ``[R, F]`` (own forces are always True).
        owner, held_since: Who holds each province, since when ``[R, P]``.
        loc, nxt, dest, progress, men, cohesion, supplied, status, commander, dug_in,
            garrisoned: Force arrays ``[R, F]`` as in the state, masked as described.
        cmd_state: Every commander's fate ``[R, C]``.
        will: This side's war will ``[R]``.
        talks: Turns talks have been open, or -1 ``[R]``.
        over: Whether the war has ended ``[R]``.
        last_battle: Winner of last turn's battle in each province, or -1 ``[R, P]``.
        fired: Which scenario events have happened ``[R, E]`` (public news).
        joining: Own forces' standing join orders (the force each merges into), or -1
            ``[R, F]``.
        party_will, party_left: Every allied party's will and whether it has left the
            war ``[R, Q]`` (an alliance's strains are public news).
    """

    side: int
    turn: int
    run_ids: npt.NDArray[np.int64]
    own: B
    seen: B
    owner: I8
    held_since: I16
    loc: I16
    nxt: I16
    dest: I16
    progress: F32
    men: I32
    cohesion: F32
    supplied: B
    status: I8
    commander: I16
    dug_in: I16
    garrisoned: B
    cmd_state: I8
    will: F32
    talks: I16
    over: B
    last_battle: I8
    fired: B
    joining: I16
    party_will: F32
    party_left: B

    @property
    def runs(self) -> int:
        """Number of runs."""
        return int(self.run_ids.size)


def in_sight(scn: CompiledScenario, st: CampaignState, side: int) -> B:
    """Return the provinces within the detection range of ``side`` ``[R, P]``.

    Only the side's own forces and provinces decide it, so a side may know its own sight.
    """
    mine = (st.status == ForceStatus.ACTIVE) & (scn.force_side == side)[None, :]
    watch = st.owner == side
    r, f = np.nonzero(mine)
    watch[r, st.loc[r, f]] = True
    on_road = mine & (st.nxt != NONE)
    r2, f2 = np.nonzero(on_road)
    watch[r2, st.nxt[r2, f2]] = True
    adj = np.isfinite(scn.link_days)
    for _ in range(scn.rules.fog.detect_links):
        watch = watch | (watch.astype(np.float32) @ adj.astype(np.float32) > 0)
    return watch


def observe(scn: CompiledScenario, st: CampaignState, side: int) -> Observation:
    """Return what ``side`` can know of every run of ``st``."""
    own = scn.force_side == side
    watch = in_sight(scn, st, side)
    standing = (st.status == ForceStatus.ACTIVE) & (st.nxt == NONE)
    loc = np.where(st.loc >= 0, st.loc, 0).astype(np.int64)
    visible = standing & np.take_along_axis(watch, loc, axis=1)
    seen = np.where(own[None, :], True, visible & ~own[None, :])
    key = rng.root_key(st.seed, rng.Stream.FOG, st.run_ids)
    z = rng.normal(rng.derive(key[:, None], st.turn, side, np.arange(scn.F)[None, :]))
    estimate = st.men * np.exp(scn.rules.fog.estimate_error * z)
    estimate = (np.round(estimate / 50.0) * 50.0).clip(min=50.0).astype(np.int32)
    enemy_seen = seen & ~own[None, :]

    def mask(a: np.ndarray, hidden: object) -> np.ndarray:
        return np.where(own[None, :], a, hidden).astype(a.dtype)

    return Observation(
        side=side,
        turn=st.turn,
        run_ids=st.run_ids.copy(),
        own=own.copy(),
        seen=seen,
        owner=st.owner.copy(),
        held_since=st.held_since.copy(),
        loc=np.where(own[None, :] | enemy_seen, st.loc, NONE).astype(np.int16),
        nxt=mask(st.nxt, NONE),
        dest=mask(st.dest, NONE),
        progress=mask(st.progress, 0.0),
        men=np.where(own[None, :], st.men, np.where(enemy_seen, estimate, 0)).astype(np.int32),
        cohesion=mask(st.cohesion, 0.0),
        supplied=mask(st.supplied, False),
        status=np.where(own[None, :] | enemy_seen, st.status, ForceStatus.WAITING).astype(np.int8),
        commander=np.where(own[None, :] | enemy_seen, st.commander, NONE).astype(np.int16),
        dug_in=mask(st.dug_in, 0),
        garrisoned=mask(st.garrisoned, False),
        cmd_state=st.cmd_state.copy(),
        will=st.will[:, side].copy(),
        talks=st.talks.copy(),
        over=st.over.copy(),
        last_battle=st.last_battle.copy(),
        fired=st.fired.copy(),
        joining=mask(st.joining, NONE),
        party_will=st.party_will.copy(),
        party_left=st.party_left.copy(),
    )
