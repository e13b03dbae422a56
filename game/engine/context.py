"""The scratch context of one turn: keys, masks and what the phases tell each other.

Phases are pure functions of (scenario, state, orders) in spirit; in code they mutate a
private copy of the state that :func:`game.engine.turn.step` made, and share per-turn
facts (who moved, where contact was made, what was lost) through this context rather than
through the state, so the state holds only what persists between turns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from game import rng
from game.codes import NONE, Code
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario


class Phase(Code):
    """Phases of a turn; each draws from its own keyed sub-stream."""

    EVENTS = 1
    MOVEMENT = 2
    BATTLE = 3
    SUPPLY = 4
    RESISTANCE = 5
    PEACE = 6


@dataclass
class Records:
    """Array records of one kind of happening: lists of column arrays, joined on demand."""

    columns: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **cols: npt.ArrayLike) -> None:
        """Append rows given as equal-length arrays (or scalars, broadcast).

        Called many times a turn with a row or two each: columns already of the full
        length are copied as they are, and only scalars are broadcast.
        """
        raw = {k: np.asarray(v) for k, v in cols.items()}
        n = max((a.size for a in raw.values() if a.ndim > 0), default=1)
        if n == 0:
            return
        for k, a in raw.items():
            if a.ndim == 1 and a.shape[0] == n:
                column = a.copy()
            elif a.ndim == 0:
                column = np.full(n, a, a.dtype)
            else:
                column = np.broadcast_to(a, (n,)).copy()
            self.columns.setdefault(k, []).append(column)

    def table(self) -> dict[str, np.ndarray]:
        """Return the rows as one array per column."""
        return {k: np.concatenate(v) for k, v in self.columns.items()}

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), [])
        return int(sum(a.size for a in first))


@dataclass
class TurnContext:
    """What the phases of one turn share."""

    scn: CompiledScenario
    turn: int
    keys: npt.NDArray[np.uint64]
    live: npt.NDArray[np.bool_]
    record_moves: bool
    moved: npt.NDArray[np.bool_]
    came_from: npt.NDArray[np.int16]
    arrived_day: npt.NDArray[np.int16]
    attack_intent: npt.NDArray[np.bool_]
    contact_day: npt.NDArray[np.int16]
    fought: npt.NDArray[np.bool_]
    lost_men: npt.NDArray[np.int64]
    commanders_lost: npt.NDArray[np.int16]
    heads_of_state_lost: npt.NDArray[np.int16]
    """Of ``commanders_lost``, those who head their side's government ``[R, S]``."""
    battle_results: npt.NDArray[np.int8]
    battle_men: npt.NDArray[np.int64]
    taken_value: npt.NDArray[np.float64]
    records: dict[str, Records] = field(default_factory=dict)
    party_men0: npt.NDArray[np.float64] | None = None
    """Men of each allied party's forces when the turn began ``[R, Q]`` (None: no parties)."""
    event: int = NONE
    """The event whose effects are being applied (for the records they leave), or -1."""

    @property
    def day0(self) -> int:
        """Day (from the scenario start) on which this turn begins."""
        return self.turn * self.scn.turn_days

    def key(self, phase: Phase, *parts: npt.ArrayLike) -> npt.NDArray[np.uint64]:
        """Return per-run keys for a phase (and optional slots), broadcast as given."""
        k = rng.derive(self.keys, int(phase))
        if not parts:
            return k
        ndim = max(np.ndim(p) for p in parts)
        return rng.derive(k.reshape(k.shape + (1,) * ndim), *parts)

    def rec(self, name: str) -> Records:
        """Return the records of one kind of happening, creating them if needed."""
        return self.records.setdefault(name, Records())


def new_context(scn: CompiledScenario, state: CampaignState, *, record_moves: bool) -> TurnContext:
    """Return a fresh context for the turn ``state.turn``."""
    from game.engine import keyed  # compiled: loaded when a turn is played

    R, F, P, S = state.runs, scn.F, scn.P, scn.S
    return TurnContext(
        scn=scn,
        turn=state.turn,
        keys=keyed.turn_keys(state.seed, rng.Stream.GAME, state.run_ids, state.turn),
        live=~state.over,
        record_moves=record_moves,
        moved=np.zeros((R, F), bool),
        came_from=np.full((R, F), NONE, np.int16),
        arrived_day=np.full((R, F), NONE, np.int16),
        attack_intent=np.zeros((R, F), bool),
        contact_day=np.full((R, P), NONE, np.int16),
        fought=np.zeros((R, F), bool),
        lost_men=np.zeros((R, S), np.int64),
        commanders_lost=np.zeros((R, S), np.int16),
        heads_of_state_lost=np.zeros((R, S), np.int16),
        battle_results=np.full((R, P), NONE, np.int8),
        battle_men=np.zeros((R, P), np.int64),
        taken_value=np.zeros((R, S), np.float64),
        party_men0=party_men(scn, state) if scn.Q else None,
    )


def party_men(scn: CompiledScenario, state: CampaignState) -> npt.NDArray[np.float64]:
    """Return ``[R, Q]``: men in each allied party's force slots, on the map or due."""
    onehot = (np.asarray(scn.force_party)[:, None] == np.arange(scn.Q)[None, :]).astype(np.float64)
    return state.men.astype(np.float64) @ onehot
