"""Fog of war: what one side can know of a batch of campaigns.

A side knows its own forces exactly, who holds every province (news of a town's fall
travels), the fate of every commander, which of the scenario's events have happened (a
rising, a death, a manifesto: the chronicle announces them to both sides), the date,
whether talks are open, and what it remembers of the enemy (:mod:`game.engine.memory`:
the last it saw of each force, and which it knows gone).  It sees an enemy force only
when the force stands within ``rules.fog.detect_links`` links of one of its own forces
or provinces, and then only an estimate of its strength: the true number times a
log-normal error that is fixed for that force, side and turn (keyed on the fog stream),
rounded to fifty men.  Policies and the interface receive only this; a property test
checks that a policy's orders depend on nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.codes import NONE
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
        rec_winner: Who won the played battle standing for each recorded battle ``[R, N]``
            (public news; see :mod:`game.engine.phases.engagements`).
        premises: Whether each of the record's premises holds ``[R, premises]``: a premise is a
            statement about the war as it stands (who won a battle, who holds a place),
            judged on the true state, which the historical policy follows.
        joining: Own forces' standing join orders (the force each merges into), or -1
            ``[R, F]``.
        party_will, party_left: Every allied party's will and whether it has left the
            war ``[R, Q]`` (an alliance's strains are public news).
        last_men, last_at, last_turn: The last this side knew of each enemy force
            ``[R, F]`` (:mod:`game.engine.memory`): its men as then estimated, where and on
            which turn, this turn's sight laid over the memory; 0, -1, -1 if never seen.
            Own forces: as they are now.
        known_gone: Enemy forces this side knows destroyed, dispersed, merged or withdrawn
            ``[R, F]``.
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
    rec_winner: I8
    premises: B
    joining: I16
    party_will: F32
    party_left: B
    last_men: I32
    last_at: I16
    last_turn: I16
    known_gone: B

    @property
    def runs(self) -> int:
        """Number of runs."""
        return int(self.run_ids.size)


_STATE = (
    "status",
    "loc",
    "nxt",
    "dest",
    "progress",
    "men",
    "cohesion",
    "supplied",
    "commander",
    "dug_in",
    "garrisoned",
    "joining",
)
"""The state's force arrays :func:`game.engine.fog.view` masks, in its order."""
_SHOWN = (
    "seen",
    *_STATE[1:8],
    "status",
    *_STATE[8:],
    "last_men",
    "last_at",
    "last_turn",
    "known_gone",
)
"""The view's arrays, in the order :func:`game.engine.fog.view` returns them."""


def _into(scn: CompiledScenario) -> npt.NDArray[np.int64]:
    """Return ``[P, K]``: the provinces with a link into each province (-1: none), once."""
    if "sight_into" not in scn.extra:
        adj = np.isfinite(scn.link_days)
        width = max(1, int(adj.sum(axis=0).max()))
        into = np.full((scn.P, width), NONE, np.int64)
        for q in range(scn.P):
            src = np.flatnonzero(adj[:, q])
            into[q, : src.size] = src
        scn.extra["sight_into"] = into
    return scn.extra["sight_into"]  # type: ignore[no-any-return]


def in_sight(scn: CompiledScenario, st: CampaignState, side: int) -> B:
    """Return the provinces within the detection range of ``side`` ``[R, P]``.

    Only the side's own forces and provinces decide it, so a side may know its own sight.
    """
    from game.engine.fog import sight

    return sight(  # type: ignore[no-any-return]
        st.owner,
        st.status,
        st.loc,
        st.nxt,
        force_side64(scn),
        side,
        _into(scn),
        int(scn.rules.fog.detect_links),
    )


def sides_sight(scn: CompiledScenario, st: CampaignState) -> B:
    """Return every side's sight ``[S, R, P]`` (:func:`in_sight`), in one compiled call."""
    from game.engine.fog import sights

    return sights(  # type: ignore[no-any-return]
        st.owner,
        st.status,
        st.loc,
        st.nxt,
        force_side64(scn),
        scn.S,
        _into(scn),
        int(scn.rules.fog.detect_links),
    )


def observe(
    scn: CompiledScenario,
    st: CampaignState,
    side: int,
    *,
    sight: B | None = None,
    premises: B | None = None,
) -> Observation:
    """Return what ``side`` can know of every run of ``st``.

    The masking, the estimates and the memory laid under them are one compiled call per
    batch (:mod:`game.engine.fog`).  A caller that has the side's sight of this very
    state (``sight``, :func:`in_sight`: the engine works it out at the end of every turn
    for the memory) or the premises (:func:`premises_held`, the same for every side)
    passes them on instead of having them worked out again; ``premises`` is the
    observation's own array (not copied).
    """
    from game.engine.fog import view

    shown = view(
        in_sight(scn, st, side) if sight is None else sight,
        tuple(getattr(st, name) for name in _STATE),
        (st.memory_men, st.memory_at, st.memory_turn, st.memory_gone),
        force_side64(scn),
        side,
        np.uint64(st.seed),
        st.run_ids,
        st.turn,
        float(scn.rules.fog.estimate_error),
    )
    return Observation(
        side=side,
        turn=st.turn,
        run_ids=st.run_ids.copy(),
        own=scn.force_side == side,
        owner=st.owner.copy(),
        held_since=st.held_since.copy(),
        cmd_state=st.cmd_state.copy(),
        will=st.will[:, side].copy(),
        talks=st.talks.copy(),
        over=st.over.copy(),
        last_battle=st.last_battle.copy(),
        fired=st.fired.copy(),
        rec_winner=st.rec_winner.copy(),
        premises=premises_held(scn, st) if premises is None else premises,
        party_will=st.party_will.copy(),
        party_left=st.party_left.copy(),
        **dict(zip(_SHOWN, shown, strict=True)),
    )


def force_side64(scn: CompiledScenario) -> npt.NDArray[np.int64]:
    """Return each force slot's side as int64 (what the fog's kernels read; made once)."""
    if "fog_force_side" not in scn.extra:
        scn.extra["fog_force_side"] = scn.force_side.astype(np.int64)
    return scn.extra["fog_force_side"]  # type: ignore[no-any-return]


def premises_held(scn: CompiledScenario, st: CampaignState) -> B:
    """Return ``[R, premises]``: whether each of the scenario's premises holds in each run."""
    from game.engine.conditions import holds

    return holds(scn, st, tuple(premise.when for premise in scn.premises), st.turn)
