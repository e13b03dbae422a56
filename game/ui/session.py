"""One campaign as the interface plays it: who commands each side, orders, turns, saves.

This module holds no pygame: it is the interface's model, so that what a click does can be
tested without a window.  It wraps a :class:`~game.game.Game` with the seats (which sides
people play, in hot-seat order; the computer plays the rest), the fog-of-war view of the
side now giving orders, the odds of proposed attacks, and the autosave after every turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.ai.base import Policy
from game.codes import NONE, ForceStatus, OrderKind
from game.engine.chronicle import Entry
from game.engine.combat import Modifier, Odds
from game.engine.observe import Observation, observe
from game.engine.preview import AttackPreview, attack_input, attack_odds
from game.game import Game, TurnRecord
from game.ui import ai_levels
from game.ui.sightings import Memory, Sighting, estimate_range, out_of_sight
from game.ui.storage import autosave_path
from game.ui.witnessed import witnessed

MOVES = (OrderKind.MARCH, OrderKind.ATTACK)


@dataclass(frozen=True)
class Seats:
    """Who commands each side: people (in hot-seat order) and the computer's level.

    Attributes:
        humans: Side indices played by people, in the order they give orders.
        ai_level: The AI level of the sides the computer plays.
    """

    humans: tuple[int, ...]
    ai_level: str = "normal"

    def to_json(self) -> dict[str, Any]:
        """Return the seats as JSON for a save's ``extra`` field."""
        return {"humans": list(self.humans), "ai": self.ai_level}

    @classmethod
    def from_json(cls, obj: Any, sides: int) -> Seats | None:
        """Return seats read from a save, or None if absent or malformed."""
        if not isinstance(obj, dict):
            return None
        humans = obj.get("humans")
        level = obj.get("ai", "normal")
        if not isinstance(humans, list) or not all(
            isinstance(h, int) and not isinstance(h, bool) and 0 <= h < sides for h in humans
        ):
            return None
        return cls(tuple(humans), str(level))


@dataclass(frozen=True)
class Preview:
    """The odds panel's content for one proposed attack."""

    attack: AttackPreview
    odds: Odds
    modifiers: list[Modifier]


@dataclass(frozen=True)
class ShownOdds:
    """The odds a side was shown for the forces it sent together against one province.

    Attributes:
        p_win: The attacker's chance of victory in that preview.
        forces: The forces the preview combined (every one ordered onto the province).
        att_men: Their men.
        def_men: The enemy's men as the scouts estimated them.
    """

    p_win: float
    forces: tuple[int, ...]
    att_men: int
    def_men: int


@dataclass
class Session:
    """A campaign with its seats; the interface's single source of game truth."""

    game: Game
    seats: Seats
    factory: ai_levels.PolicyFactory | None = None
    autosave: Path | None = field(default_factory=autosave_path)
    ai: dict[int, Policy] = field(default_factory=dict)
    turn_index: int = 0
    shown_odds: dict[tuple[int, int, int], ShownOdds] = field(default_factory=dict)
    """The odds shown to a side for its attacks, by (turn, province, side), fixed at End Turn."""
    _obs_cache: dict[tuple[int, int, int], Observation] = field(default_factory=dict)
    _preview_cache: dict[tuple[Any, ...], Preview | None] = field(default_factory=dict)
    _enemy_seen_in: Observation | None = None
    _enemy_places: set[int] = field(default_factory=set)
    _dest_cache: dict[tuple[Any, ...], dict[int, dict[int, tuple[OrderKind, ...]]]] = field(
        default_factory=dict
    )
    _seen_cache: dict[tuple[int, int], list[Entry]] = field(default_factory=dict)
    _memory: dict[int, Memory] = field(default_factory=dict)
    _ghosts: dict[tuple[int, int], list[tuple[int, Sighting]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        scn = self.game.scenario
        for s in range(scn.S):
            if s not in self.seats.humans and s not in self.ai:
                self.ai[s] = ai_levels.make(self.seats.ai_level, s, scn, self.factory)

    # ------------------------------------------------------------------ seats
    @property
    def scn(self) -> Any:
        """The compiled scenario."""
        return self.game.scenario

    @property
    def viewer(self) -> int | None:
        """The side now giving orders, or None when the computer plays every side."""
        if not self.seats.humans:
            return None
        return self.seats.humans[self.turn_index % len(self.seats.humans)]

    @property
    def hot_seat(self) -> bool:
        """Whether two or more people share the screen."""
        return len(self.seats.humans) > 1

    def observation(self, side: int | None = None) -> Observation | None:
        """Return the fog-of-war view of a side (default: the viewer); None sees all."""
        s = self.viewer if side is None else side
        if s is None:
            return None
        key = (s, self.game.turn, len(self.game._given))
        if key not in self._obs_cache:
            self._obs_cache.clear()
            self._obs_cache[key] = self.game.observe(s)
        return self._obs_cache[key]

    # ------------------------------------------------------------------ what is visible
    def visible_forces(self) -> list[int]:
        """Return the force slots the viewer may see on the map (all when watching)."""
        obs = self.observation()
        st = self.game.state
        active = st.status[0] == ForceStatus.ACTIVE
        if obs is None:
            return [int(f) for f in np.flatnonzero(active)]
        return [int(f) for f in np.flatnonzero(active & obs.seen[0])]

    def shown_men(self, force: int) -> int:
        """Return the men the viewer believes a force has (own exact, enemy estimated)."""
        obs = self.observation()
        if obs is None:
            return int(self.game.state.men[0, force])
        return int(obs.men[0, force])

    def memory(self, side: int | None = None) -> Memory | None:
        """Return what a side (default: the viewer) has seen of the enemy, turn by turn."""
        s = self.viewer if side is None else side
        if s is None:
            return None
        mem = self._memory.setdefault(s, Memory(self.scn, s))
        states = [h.before for h in self.game.history if h.before is not None]
        mem.update([*states, self.game.state])
        return mem

    def ghosts(self) -> list[tuple[int, Sighting]]:
        """Return the enemy forces the viewer saw lately but not now, with where and when."""
        viewer = self.viewer
        if viewer is None:
            return []
        key = (self.game.turn, viewer)
        if key not in self._ghosts:
            mem = self.memory(viewer)
            assert mem is not None
            self._ghosts.clear()
            self._ghosts[key] = out_of_sight(mem, self.scn, self.game.state)
        return self._ghosts[key]

    def shown_range(self, forces: list[int]) -> tuple[int, int]:
        """Return the range of the true men behind the viewer's view of some forces."""
        own = [self.shown_men(f) for f in forces if self.viewer is None or self.is_own(f)]
        enemy = [
            self.shown_men(f) for f in forces if self.viewer is not None and not self.is_own(f)
        ]
        lo, hi = estimate_range(self.scn, enemy)
        return sum(own) + lo, sum(own) + hi

    def is_own(self, force: int) -> bool:
        """Whether the viewer commands this force."""
        return self.viewer is not None and int(self.scn.force_side[force]) == self.viewer

    # ------------------------------------------------------------------ orders
    def destinations(self, force: int) -> dict[int, tuple[OrderKind, ...]]:
        """Return, for each province a force may be sent to, the orders that reach it."""
        if not self.is_own(force) or self.game.over:
            return {}
        key = (self.game.turn, self.viewer)
        if key not in self._dest_cache:
            table: dict[int, dict[int, list[OrderKind]]] = {}
            for lo in self.game.legal_orders(self.viewer):  # type: ignore[arg-type]
                if lo.target != NONE and lo.kind in (*MOVES, OrderKind.RETREAT):
                    table.setdefault(lo.force, {}).setdefault(lo.target, []).append(lo.kind)
            self._dest_cache.clear()
            self._dest_cache[key] = {
                f: {p: tuple(k) for p, k in d.items()} for f, d in table.items()
            }
        return self._dest_cache[key].get(force, {})

    def enemy_at(self, province: int) -> bool:
        """Whether the viewer sees enemy forces standing in a province."""
        obs = self.observation()
        if obs is None:
            return False
        # Keyed on the observation itself, held: an id() may be reused once it is freed.
        if self._enemy_seen_in is not obs:
            enemy = ~obs.own & obs.seen[0] & (obs.status[0] == ForceStatus.ACTIVE)
            self._enemy_places = {int(p) for p in obs.loc[0][enemy] if p >= 0}
            self._enemy_seen_in = obs
        return province in self._enemy_places

    def natural_order(self, force: int, province: int) -> OrderKind | None:
        """Return the order a click on a province means: attack where enemies stand."""
        kinds = self.destinations(force).get(province, ())
        if not kinds:
            return None
        if OrderKind.ATTACK in kinds and (self.enemy_at(province) or OrderKind.MARCH not in kinds):
            return OrderKind.ATTACK
        return OrderKind.MARCH if OrderKind.MARCH in kinds else kinds[0]

    def give(self, force: int, kind: OrderKind, province: int | None = None) -> None:
        """Give an order for the viewer's force (raises IllegalOrderError with the reason)."""
        self.game.order(self.viewer, force, kind, province)  # type: ignore[arg-type]

    def undo(self) -> bool:
        """Take back the viewer's last order of this turn; False if there is none."""
        return self.game.undo(self.viewer)

    def pending(self) -> dict[int, tuple[OrderKind, int]]:
        """Return the viewer's orders given this turn."""
        if self.viewer is None:
            return {}
        return self.game.pending(self.viewer)

    def attack_group(
        self, province: int, first: int | None = None, side: int | None = None
    ) -> list[int]:
        """Return the forces that would attack a province together.

        That is ``first`` (the force being ordered) and every other force of the side
        (default: the viewer) already ordered onto the province this turn: the engine
        fights them as one attack, so the odds panel and the battle report quote them as one.
        """
        s = self.viewer if side is None else side
        out = [first] if first is not None else []
        if s is None:
            return out
        for f, (kind, target) in self.game.pending(s).items():
            if target == province and kind in (*MOVES, OrderKind.FORCED_MARCH) and f not in out:
                out.append(f)
        return out

    def _preview_key(self, forces: list[int], province: int, side: int | None) -> tuple[Any, ...]:
        """Key a preview by its forces in slot order: the same attack, however it was built."""
        return (self.game.turn, tuple(sorted(forces)), province, side)

    def preview(self, forces: list[int], province: int, side: int | None = None) -> Preview | None:
        """Return the odds of a side's forces (default: the viewer's) attacking a province."""
        side = self.viewer if side is None else side
        key = self._preview_key(forces, province, side)
        if key not in self._preview_cache:
            obs = self.observation(side)
            group = list(key[1])
            pv = attack_input(self.scn, obs, group, province) if obs is not None else None
            result = None
            if pv is not None:
                o, mods = attack_odds(self.scn, pv)
                result = Preview(pv, o, mods)
            self._preview_cache[key] = result
        return self._preview_cache[key]

    # ------------------------------------------------------------------ turns
    def next_seat(self) -> bool:
        """Pass the orders to the next person; False if every person has given theirs."""
        if self.turn_index % max(len(self.seats.humans), 1) < len(self.seats.humans) - 1:
            self.turn_index += 1
            return True
        return False

    def _remember_odds(self) -> None:
        """Keep the odds each player was shown for every attack they ordered.

        That is the preview of all the forces ordered onto each target together, which
        the odds panel showed when the last of them was given its order.  A preview
        never shown (orders changed since, or given without pointing at the target)
        is not claimed: the battle page then estimates the odds from the battle itself.
        """
        for side in self.seats.humans:
            targets = {t for k, t in self.game.pending(side).values() if k == OrderKind.ATTACK}
            for p in sorted(targets):
                key = self._preview_key(self.attack_group(p, side=side), p, side)
                pv = self._preview_cache.get(key)
                if pv is not None:
                    self.shown_odds[(self.game.turn, p, side)] = ShownOdds(
                        pv.odds.p_attacker_wins,
                        pv.attack.attackers,
                        pv.attack.att_men,
                        pv.attack.def_men,
                    )

    def resolve(self) -> TurnRecord:
        """Let the computer decide its sides' orders, play the turn, and autosave."""
        self._remember_odds()
        record = self.game.end_turn(self.ai)
        self.turn_index = 0
        self._preview_cache.clear()
        self._obs_cache.clear()
        self._dest_cache.clear()
        if self.autosave is not None:
            self.save(self.autosave)
        return record

    def visible_entries(self, record: TurnRecord, side: int | None = -1) -> list[Entry]:
        """Return a turn's chronicle as a side saw it (see :mod:`game.ui.witnessed`).

        Args:
            record: The turn.
            side: The side reading it (default: the viewer; None: everything).
        """
        s = self.viewer if side == -1 else side
        if s is None:
            return list(record.entries)
        key = (record.turn, s)
        if key not in self._seen_cache:
            before = record.before if record.before is not None else self.game.state
            after = record.after if record.after is not None else self.game.state
            self._seen_cache[key] = witnessed(
                self.scn, record.entries, observe(self.scn, before, s), observe(self.scn, after, s)
            )
        return self._seen_cache[key]

    def save(self, path: Path) -> None:
        """Save the game with its seats and a line for the load list, atomically."""
        scn, g = self.scn, self.game
        sides = [scn.side_name(h) for h in self.seats.humans]
        playing = " and ".join(sides) if sides else "the computer on both sides"
        listing = {
            "title": scn.model.meta.title,
            "date": g.date.isoformat(),
            "turn": g.turn + 1,
            "turns": scn.n_turns,
            "playing": playing,
            "over": g.over,
        }
        g.save(path, extra={"ui": self.seats.to_json(), "listing": listing})
