"""The batched campaign state: numpy arrays with a leading runs axis.

A human game is a batch of one; a Monte Carlo study is a batch of thousands; an AI's
look-ahead is a batch of rollouts.  All of them are this one structure.  Runs advance in
lockstep (``turn`` is shared); a run whose war has ended is masked by ``over`` and never
changes again.

Sizes: ``R`` runs, ``S`` sides, ``P`` provinces, ``F`` force slots, ``C`` commanders,
``E`` events, ``K`` flags.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game import rng
from game.codes import NONE, CommanderState, ForceStatus
from game.scenario.compile import CompiledScenario

I8 = npt.NDArray[np.int8]
I16 = npt.NDArray[np.int16]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]
B = npt.NDArray[np.bool_]

NOT_FOUGHT = np.iinfo(np.int16).max
"""``rec_gap`` of a recorded battle no played battle has stood for (yet)."""


@dataclass
class CampaignState:
    """Everything that changes during a campaign, for a batch of runs.

    Attributes:
        turn: Turns completed (0 before the first turn is played).
        seed: The seed every random draw of the game is keyed on.
        run_ids: Global index of each run (so run 7 of a study is run 7 in any batch).
        owner: Side holding each province ``[R, P]``.
        held_since: Turn from which the current owner has held it ``[R, P]``.
        loc: Province a force is in, or last left while on the road ``[R, F]`` (-1: off map).
        nxt: Next province on its road while marching, else -1 ``[R, F]``.
        progress: Days marched along the current link ``[R, F]``.
        dest: Final destination of its march order, or -1 ``[R, F]``.
        forced: Whether its march is forced ``[R, F]``.
        men: Men in the force ``[R, F]`` (for waiting forces: the men who will arrive).
        cohesion: Order and spirit, 0 (broken) to 1 (fresh) ``[R, F]``.
        supplied: Whether it was in supply at the last supply phase ``[R, F]``.
        status: :class:`~game.codes.ForceStatus` code ``[R, F]``.
        commander: Commander leading it, or -1 ``[R, F]``.
        dug_in: Consecutive turns it has stood in place ``[R, F]``.
        garrisoned: Whether its standing order is to garrison ``[R, F]``.
        cmd_state: :class:`~game.codes.CommanderState` code ``[R, C]``.
        will: War will of each side, 0..1 ``[R, S]``.
        arrived: Men that have entered the game so far, by side ``[R, S]``.
        killed, wounded, captured, deserted: Losses so far, by side ``[R, S]``
            (deserted includes the sick and stragglers).
        battles: Battles fought so far ``[R]``.
        talks: Turns peace talks have been open, or -1 if closed ``[R]``.
        quiet: Turns since the last battle ``[R]``.
        over: Whether the war has ended ``[R]``.
        truncated: Whether it was cut off by the scenario's end date ``[R]``.
        outcome: Index of the scenario outcome it ended with, or -1 ``[R]``.
        end_day: Day (from the scenario start) it ended, or -1 ``[R]``.
        fired: Events that have happened ``[R, E]``.
        flags: Flags set by events ``[R, K]``.
        last_battle: Winner of a battle fought in each province last turn: the side, 2 for
            a draw, -1 for none ``[R, P]`` (what events' ``battle`` conditions test).
        vp: Victory points of each side when the war ended ``[R, S]``.
        rec_winner: For each recorded battle, the winner of the played battle that stands
            for it (the side, 2 for a draw, -1 while none has been fought) ``[R, N]``.
        rec_gap: Days between that battle and the recorded date ``[R, N]`` (what
            :mod:`game.engine.phases.engagements` keeps the nearest of).
        joining: The force each force is marching to merge into (a standing ``join``
            order), or -1 ``[R, F]``.
        party_will: War will of each allied party, 0..1 ``[R, Q]``.
        party_left: Whether each allied party has left the war ``[R, Q]``.
        memory_men, memory_at, memory_turn: What each side last knew of each force
            ``[R, S, F]`` (:mod:`game.engine.memory`): its men as the side's observation
            showed them (the fog's estimate), where and on which turn; 0, -1, -1 while
            the side has never seen it.
        memory_gone: Whether each side knows each force destroyed, dispersed, merged or
            withdrawn ``[R, S, F]``.
    """

    turn: int
    seed: int
    run_ids: I64
    owner: I8
    held_since: I16
    loc: I16
    nxt: I16
    progress: F32
    dest: I16
    forced: B
    men: I32
    cohesion: F32
    supplied: B
    status: I8
    commander: I16
    dug_in: I16
    garrisoned: B
    cmd_state: I8
    will: F32
    arrived: I32
    killed: I32
    wounded: I32
    captured: I32
    deserted: I32
    battles: I16
    talks: I16
    quiet: I16
    over: B
    truncated: B
    outcome: I8
    end_day: I32
    fired: B
    flags: B
    last_battle: I8
    vp: F32
    rec_winner: I8
    rec_gap: I16
    joining: I16
    party_will: F32
    party_left: B
    memory_men: I32
    memory_at: I16
    memory_turn: I16
    memory_gone: B

    @property
    def runs(self) -> int:
        """Number of runs in the batch."""
        return int(self.run_ids.shape[0])

    def copy(self) -> CampaignState:
        """Return a deep copy (arrays copied).

        Built from the fields' values directly (every turn copies the state: at a batch
        of one, going through ``dataclasses.replace`` cost more than the copies).
        """
        out = object.__new__(type(self))
        out.__dict__.update(
            {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in self.__dict__.items()}
        )
        return out

    def select(self, runs: npt.ArrayLike) -> CampaignState:
        """Return the sub-batch of the given run positions (a copy)."""
        idx = np.asarray(runs)
        out = object.__new__(type(self))
        out.__dict__.update(
            {k: v[idx].copy() if isinstance(v, np.ndarray) else v for k, v in self.__dict__.items()}
        )
        return out

    def repeat(self, n: int) -> CampaignState:
        """Return a batch of ``n`` copies of each run (run ids kept: for look-ahead)."""
        idx = np.repeat(np.arange(self.runs), n)
        return self.select(idx)

    @staticmethod
    def assemble(parts: list[tuple[npt.NDArray[np.int64], CampaignState]]) -> CampaignState:
        """Put sub-batches back together: each part gives the batch positions of its runs.

        The result's ``turn`` is the latest of the parts (runs that finished earlier are
        frozen, so their arrays are the same at any later turn).
        """
        n = sum(int(w.size) for w, _ in parts)
        first = parts[0][1]
        out = {}
        for name, arr in first.arrays().items():
            full = np.empty((n, *arr.shape[1:]), arr.dtype)
            for where, part in parts:
                full[where] = getattr(part, name)
            out[name] = full
        return dataclasses.replace(first, turn=max(p.turn for _, p in parts), **out)

    def arrays(self) -> dict[str, np.ndarray]:
        """Return the state's arrays by name (for saving and comparing)."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
        }


def sample_men(
    scn: CompiledScenario, seed: int, run_ids: I64, sample_uncertain: bool
) -> npt.NDArray[np.int32]:
    """Return each force's strength per run: played values, or uniform draws in their ranges.

    Draws are keyed on (seed, SAMPLE stream, run, force), so a run's sampled army is the
    same in any batch, and studies with and without an overlay share it where the
    overlay leaves the range unchanged.
    """
    men = np.broadcast_to(scn.men0, (run_ids.size, scn.F)).astype(np.int32)
    if not sample_uncertain:
        return men.copy()
    keys = rng.root_key(seed, rng.Stream.SAMPLE, run_ids)
    force_keys = np.array([abs(hash_id(f)) for f in scn.force_ids], dtype=np.int64)
    u = rng.uniform(keys[:, None], force_keys[None, :])
    lo = scn.men_lo.astype(np.float64)
    hi = scn.men_hi.astype(np.float64)
    drawn = np.floor(lo + u * (hi - lo + 1.0)).astype(np.int32)
    return np.minimum(drawn, scn.men_hi).astype(np.int32)


def hash_id(text: str) -> int:
    """Return a stable 63-bit integer for an id (Python's ``hash`` is salted per process)."""
    h = 1469598103934665603
    for ch in text.encode("utf-8"):
        h = ((h ^ ch) * 1099511628211) & 0x7FFFFFFFFFFFFFFF
    return h


def initial_state(
    scn: CompiledScenario,
    runs: int | npt.ArrayLike = 1,
    seed: int = 0,
    *,
    sample_uncertain: bool = False,
) -> CampaignState:
    """Return the state before the first turn for a batch of runs.

    Args:
        scn: The compiled scenario.
        runs: A number of runs (ids 0..n-1) or an array of global run ids.
        seed: The seed of the game's dice.
        sample_uncertain: Draw uncertain strengths per run instead of their played values.
    """
    run_ids = (
        np.arange(int(runs), dtype=np.int64)
        if np.ndim(runs) == 0
        else np.asarray(runs, dtype=np.int64)
    )
    R, S, P, F, C = run_ids.size, scn.S, scn.P, scn.F, scn.C
    N = len(scn.rec_battle_ids)
    men = sample_men(scn, seed, run_ids, sample_uncertain)
    starts = scn.start_at >= 0
    status = np.where(starts, ForceStatus.ACTIVE, ForceStatus.WAITING).astype(np.int8)
    loc = np.where(starts, scn.start_at, NONE).astype(np.int16)
    side_of = scn.force_side
    arrived = np.zeros((R, S), np.int32)
    for s in range(S):
        arrived[:, s] = np.where(starts & (side_of == s), men, 0).sum(axis=1)
    cmd_state = np.where(scn.cmd_present, CommanderState.ACTIVE, CommanderState.ABSENT)
    return CampaignState(
        turn=0,
        seed=int(seed),
        run_ids=run_ids,
        owner=np.broadcast_to(scn.owner0, (R, P)).copy(),
        held_since=np.zeros((R, P), np.int16),
        loc=np.broadcast_to(loc, (R, F)).copy(),
        nxt=np.full((R, F), NONE, np.int16),
        progress=np.zeros((R, F), np.float32),
        dest=np.full((R, F), NONE, np.int16),
        forced=np.zeros((R, F), bool),
        men=men,
        cohesion=np.ones((R, F), np.float32),
        supplied=np.ones((R, F), bool),
        status=np.broadcast_to(status, (R, F)).copy(),
        commander=np.broadcast_to(scn.commander0, (R, F)).copy(),
        dug_in=np.zeros((R, F), np.int16),
        garrisoned=np.zeros((R, F), bool),
        cmd_state=np.broadcast_to(cmd_state.astype(np.int8), (R, C)).copy(),
        will=np.broadcast_to(scn.will0.astype(np.float32), (R, S)).copy(),
        arrived=arrived,
        killed=np.zeros((R, S), np.int32),
        wounded=np.zeros((R, S), np.int32),
        captured=np.zeros((R, S), np.int32),
        deserted=np.zeros((R, S), np.int32),
        battles=np.zeros(R, np.int16),
        talks=np.full(R, -1, np.int16),
        quiet=np.zeros(R, np.int16),
        over=np.zeros(R, bool),
        truncated=np.zeros(R, bool),
        outcome=np.full(R, -1, np.int8),
        end_day=np.full(R, -1, np.int32),
        fired=np.zeros((R, scn.E), bool),
        flags=np.zeros((R, len(scn.flag_ids)), bool),
        last_battle=np.full((R, P), NONE, np.int8),
        vp=np.zeros((R, S), np.float32),
        rec_winner=np.full((R, N), NONE, np.int8),
        rec_gap=np.full((R, N), NOT_FOUGHT, np.int16),
        joining=np.full((R, F), NONE, np.int16),
        party_will=np.broadcast_to(scn.party_will0.astype(np.float32), (R, scn.Q)).copy(),
        party_left=np.zeros((R, scn.Q), bool),
        **no_memory(R, S, F),
    )


def no_memory(runs: int, sides: int, forces: int) -> dict[str, np.ndarray]:
    """Return the memory arrays of sides that have seen nothing yet (see :mod:`game.engine.memory`)."""
    shape = (runs, sides, forces)
    return {
        "memory_men": np.zeros(shape, np.int32),
        "memory_at": np.full(shape, NONE, np.int16),
        "memory_turn": np.full(shape, NONE, np.int16),
        "memory_gone": np.zeros(shape, bool),
    }


def men_by_side(scn: CompiledScenario, state: CampaignState) -> I32:
    """Return men present on the map by side ``[R, S]``."""
    on = state.status == ForceStatus.ACTIVE
    out = np.zeros((state.runs, scn.S), np.int32)
    for s in range(scn.S):
        out[:, s] = np.where(on & (scn.force_side == s)[None, :], state.men, 0).sum(axis=1)
    return out


def accounted(scn: CompiledScenario, state: CampaignState) -> I32:
    """Return present + killed + wounded + captured + deserted by side (equals ``arrived``)."""
    return men_by_side(scn, state) + state.killed + state.wounded + state.captured + state.deserted
