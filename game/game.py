"""The :class:`Game` facade: one campaign for a human, an AI, or both.

It wraps a batch of one and gives the verbs an interface needs: list legal orders, give
an order (refused with a reason if illegal), undo it within the turn, end the turn (AI
sides decide from their own observation), read the history, save and load.  Like
python-chess's ``Board.push``/``pop``, changing a game goes through a few verbs only; the
end of the war is a value (:meth:`Game.outcome`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.ai.base import Explanation, Policy
from game.codes import NONE, ORDER_NAMES, OrderKind
from game.engine.chronicle import Entry, chronicle
from game.engine.observe import Observation, observe
from game.engine.orders import NO_ORDER, REASONS, LegalOrder, Orders, Refusal, check, legal_orders
from game.engine.outcome import Outcome, describe
from game.engine.state import CampaignState, initial_state
from game.engine.turn import TurnReport
from game.errors import IllegalOrderError
from game.play_loop import Turn, play_turn
from game.save import ScenarioSource, game_to_json, load_game, write_json_atomic
from game.scenario.compile import CompiledScenario


@dataclass
class TurnRecord:
    """One played turn: the orders carried out, the report, and its chronicle."""

    turn: int
    orders: Orders
    report: TurnReport
    entries: list[Entry]
    explanations: dict[int, list[Explanation]] = field(default_factory=dict)
    before: CampaignState | None = None
    """The state the turn began from (what each side could see then)."""
    after: CampaignState | None = None
    """The state the turn ended in."""


class Game:
    """One campaign (a batch of one run) driven turn by turn."""

    def __init__(
        self,
        scenario: CompiledScenario,
        seed: int | None = None,
        *,
        source: ScenarioSource | None = None,
        state: CampaignState | None = None,
        branch: dict[str, Any] | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = scenario.model.meta.default_seed if seed is None else int(seed)
        self.source = source
        self.state = state if state is not None else initial_state(scenario, 1, self.seed)
        self.history: list[TurnRecord] = []
        self.branch = branch
        self._pending = Orders.empty(1, scenario.F, scenario.S)
        self._given: list[tuple[int, int, int, int]] = []

    # ------------------------------------------------------------------ reading
    @property
    def turn(self) -> int:
        """Turns played so far."""
        return self.state.turn

    @property
    def date(self) -> dt.date:
        """First day of the turn about to be played."""
        return self.scenario.date_of(self.state.turn)

    @property
    def over(self) -> bool:
        """Whether the war has ended."""
        return bool(self.state.over[0])

    def outcome(self) -> Outcome | None:
        """Return how the war ended, or None while it goes on."""
        return describe(self.scenario, self.state, 0)

    def side_index(self, side: int | str) -> int:
        """Return a side's index from its index or id."""
        if isinstance(side, str):
            try:
                return self.scenario.side_index[side]
            except KeyError:
                raise IllegalOrderError(f"no side '{side}'") from None
        if not 0 <= side < self.scenario.S:
            raise IllegalOrderError(f"no side {side}")
        return int(side)

    def force_index(self, force: int | str) -> int:
        """Return a force slot's index from its index or id."""
        if isinstance(force, str):
            try:
                return self.scenario.force_index[force]
            except KeyError:
                raise IllegalOrderError(f"no force '{force}'") from None
        if not 0 <= force < self.scenario.F:
            raise IllegalOrderError(f"no force {force}")
        return int(force)

    def observe(self, side: int | str) -> Observation:
        """Return what a side can know now (fog of war)."""
        return observe(self.scenario, self.state, self.side_index(side))

    def legal_orders(self, side: int | str) -> list[LegalOrder]:
        """List every legal order of a side's forces now."""
        return legal_orders(self.scenario, self.state, self.side_index(side))

    def pending(self, side: int | str) -> dict[int, tuple[OrderKind, int]]:
        """Return the orders given this turn by a side, by force slot."""
        s = self.side_index(side)
        out = {}
        for f in np.flatnonzero(self._pending.kind[0] != NO_ORDER):
            if self.scenario.force_side[f] == s:
                out[int(f)] = (
                    OrderKind(int(self._pending.kind[0, f])),
                    int(self._pending.target[0, f]),
                )
        return out

    # ------------------------------------------------------------------ ordering
    def order(
        self,
        side: int | str,
        force: int | str,
        kind: OrderKind | str,
        target: int | str | None = None,
    ) -> None:
        """Give an order for this turn, replacing any earlier one for that force.

        Raises:
            IllegalOrderError: With the rule's reason, if the order is not allowed.
        """
        s, f = self.side_index(side), self.force_index(force)
        if isinstance(kind, str):
            if kind not in ORDER_NAMES:
                raise IllegalOrderError(f"no order '{kind}' (orders: {', '.join(ORDER_NAMES)})")
            kind = ORDER_NAMES[kind]
        if isinstance(target, str) and kind == OrderKind.JOIN:  # a join names a force
            target = self.force_index(target)
        elif isinstance(target, str):
            if target not in self.scenario.province_index:
                raise IllegalOrderError(f"no province '{target}'")
            target = self.scenario.province_index[target]
        t = NONE if target is None else int(target)
        trial = Orders.empty(1, self.scenario.F, self.scenario.S)
        trial.kind[0, f], trial.target[0, f] = int(kind), t
        why = Refusal(int(check(self.scenario, self.state, s, trial)[0, f]))
        if why != Refusal.OK:
            raise IllegalOrderError(
                f"{self.scenario.force_name(f)}: cannot {OrderKind(int(kind)).name.lower().replace('_', ' ')}: {REASONS[why]}"
            )
        self._given.append((f, int(self._pending.kind[0, f]), int(self._pending.target[0, f]), s))
        self._pending.kind[0, f], self._pending.target[0, f] = int(kind), t

    def sue_for_peace(self, side: int | str) -> None:
        """Ask for peace this turn: talks open at the end of the turn."""
        s = self.side_index(side)
        self._given.append((-1, int(self._pending.sue[0, s]), s, s))
        self._pending.sue[0, s] = True

    def undo(self, side: int | str | None = None) -> bool:
        """Take back the last order given this turn (by a side, or by anyone); False if none."""
        s = None if side is None else self.side_index(side)
        for i in range(len(self._given) - 1, -1, -1):
            f, k, t, who = self._given[i]
            if s is not None and who != s:
                continue
            if f == -1:
                self._pending.sue[0, t] = bool(k)
            else:
                self._pending.kind[0, f], self._pending.target[0, f] = k, t
            del self._given[i]
            return True
        return False

    # ------------------------------------------------------------------ playing
    def end_turn(
        self, policies: dict[int, Policy] | None = None, *, explain: bool = True
    ) -> TurnRecord:
        """Play the turn: AI sides decide, then the engine resolves it.

        Args:
            policies: A policy for each side the computer plays (by side index).
            explain: Ask the policies to explain their orders.
        """
        if self.over:
            raise IllegalOrderError("the war is over")
        turn = play_turn(
            self.scenario,
            self.state,
            policies or {},
            given=self._pending.copy(),
            seed=self.seed,
            explain=explain,
            record_moves=True,
        )
        return self._record(turn)

    def _record(self, turn: Turn) -> TurnRecord:
        self.state = turn.after
        entries = chronicle(self.scenario, turn.report, 0)
        record = TurnRecord(
            turn.before.turn,
            turn.orders,
            turn.report,
            entries,
            turn.explanations,
            turn.before,
            turn.after,
        )
        self.history.append(record)
        self._pending = Orders.empty(1, self.scenario.F, self.scenario.S)
        self._given.clear()
        return record

    def play_orders(self, orders: Orders) -> TurnRecord:
        """Play a turn with complete orders given directly (replays, tests)."""
        return self._record(
            play_turn(self.scenario, self.state, {}, given=orders, record_moves=True)
        )

    # ------------------------------------------------------------------ saving
    @property
    def pending_orders(self) -> Orders:
        """The orders given so far in the turn in progress (a save keeps them)."""
        return self._pending

    @pending_orders.setter
    def pending_orders(self, orders: Orders) -> None:
        """Restore the orders of a turn in progress (a loaded save); undo starts afresh."""
        self._pending = orders
        self._given.clear()

    def to_json(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Return the save file's JSON object."""
        return game_to_json(self, extra)

    def save(self, path: str | Path, extra: dict[str, Any] | None = None) -> None:
        """Save the game to a JSON file, atomically."""
        write_json_atomic(path, self.to_json(extra))

    @classmethod
    def load(cls, path: str | Path, scenario: CompiledScenario | None = None) -> Game:
        """Load a saved game, checking it belongs to its scenario and replays exactly.

        Raises:
            SaveError: If the file is not a save, is damaged, is of another scenario or
                version, or does not replay to the state it holds.
        """
        return load_game(cls, path, scenario)
