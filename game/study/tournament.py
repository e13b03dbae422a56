"""A tournament: every policy against every other, on both sides, from the same seeds.

Each ordered pair of different policies (and, if asked, each policy against itself) plays
a number of wars from the same seeds, the first policy on the scenario's first side.  A
game is won by the side its outcome names as winner (victory-point margins and the
scenario's other conditions); an outcome that names nobody (the status quo ante) is a draw.
Win and draw rates come with Wilson 95% intervals.

Two measures of passivity are kept for each side (:class:`Passivity`): the turns in which
it saw an enemy force next to (or with) one of its own but attacked nowhere, and the
objectives (the scenario's ``war_aims.objectives``) it held at the start of a turn and
lost during it without a battle there.  Both are per game.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from game.ai import make_policy
from game.codes import NONE, ForceStatus, OrderKind
from game.engine.observe import Observation, observe
from game.engine.state import initial_state
from game.play_loop import Turn, TurnHook, play_from
from game.scenario.compile import CompiledScenario
from game.study.intervals import wilson


@dataclass
class Match:
    """The tally of one pairing: who played which side, and what happened."""

    policies: tuple[str, ...]
    games: int = 0
    wins: list[int] = field(default_factory=list)
    draws: int = 0
    passive: list[int] = field(default_factory=list)
    abandoned: list[int] = field(default_factory=list)
    turns: int = 0
    treaties: int = 0
    seconds: float = 0.0

    def as_dict(self, sides: tuple[str, ...]) -> dict[str, Any]:
        """Return the JSON form, keyed by the scenario's side ids."""
        n = max(self.games, 1)
        out: dict[str, Any] = dict(zip(sides, self.policies, strict=True))
        out["games"] = self.games
        for i, s in enumerate(sides):
            out[f"{s}_wins"] = self.wins[i]
        out["draws"] = self.draws
        out["ci95"] = {
            **{f"{s}_wins": list(wilson(self.wins[i], self.games)) for i, s in enumerate(sides)},
            "draws": list(wilson(self.draws, self.games)),
        }
        out["passive_turns_per_game"] = {s: self.passive[i] / n for i, s in enumerate(sides)}
        out["objectives_abandoned_per_game"] = {
            s: self.abandoned[i] / n for i, s in enumerate(sides)
        }
        out["mean_turns"] = self.turns / n
        out["treaties"] = self.treaties
        out["seconds"] = round(self.seconds, 2)
        return out


def pairings(names: list[str], mirror: bool) -> list[tuple[str, str]]:
    """Return the ordered pairs to play (first name on the first side)."""
    pairs = list(itertools.permutations(names, 2))
    if mirror:
        pairs += [(n, n) for n in names]
    return pairs


def adjacent_enemy(scn: CompiledScenario, obs: Observation) -> npt.NDArray[np.bool_]:
    """Return ``[R]``: a standing own force is with or next to a seen enemy force."""
    active = obs.status == ForceStatus.ACTIVE
    mine = active & obs.own[None, :] & (obs.nxt == NONE) & (obs.loc >= 0)
    foes = active & ~obs.own[None, :] & obs.seen & (obs.loc >= 0)
    R, P = obs.runs, scn.P
    at = np.zeros((R, P), bool)
    r, f = np.nonzero(mine)
    at[r, obs.loc[r, f]] = True
    near = np.zeros((R, P), bool)
    r, f = np.nonzero(foes)
    near[r, obs.loc[r, f]] = True
    adj = np.isfinite(np.asarray(scn.link_days)) | np.eye(P, dtype=bool)
    near = (near.astype(np.float32) @ adj.astype(np.float32)) > 0
    return (at & near).any(axis=1)


class Passivity:
    """The turn hook that adds each turn's passivity of both sides to a match (live runs).

    Args:
        scn: The scenario.
        match: The tally to add to.
    """

    def __init__(self, scn: CompiledScenario, match: Match) -> None:
        self.scn = scn
        self.match = match

    def __call__(self, turn: Turn) -> None:
        """Add the turn's passive sides and objectives abandoned without a battle."""
        scn, m = self.scn, self.match
        before, after, orders = turn.before, turn.after, turn.orders
        live = ~before.over
        # A treaty hands provinces back; that is the peace, not an abandoned objective.
        settled = after.over & ~after.truncated & live
        battles = turn.report.table("battles")
        for s in range(scn.S):
            adjacent = adjacent_enemy(scn, observe(scn, before, s))
            own = np.asarray(scn.force_side == s)
            attacked = (orders.kind[:, own] == OrderKind.ATTACK).any(axis=1)
            fought = np.zeros(before.runs, bool)
            if battles:
                np.logical_or.at(fought, battles["run"], battles["attacker"] == s)
            m.passive[s] += int((live & adjacent & ~attacked & ~fought).sum())
            battle_at = np.zeros((before.runs, scn.P), bool)
            if battles:
                battle_at[battles["run"], battles["province"]] = True
            lost = (
                (before.owner == s)
                & (after.owner != s)
                & np.asarray(scn.objectives[s])[None, :]
                & ~battle_at
                & (live & ~settled)[:, None]
            )
            m.abandoned[s] += int(lost.sum())


def play_match(
    scn: CompiledScenario,
    names: tuple[str, ...],
    games: int,
    seed: int,
    difficulty: str,
    batch: int,
    advance: Callable[[int], Any] | None = None,
) -> Match:
    """Play ``games`` wars of one pairing, ``batch`` at a time, and return the tally.

    ``advance(n)`` is called after every turn played, with the number of game-turns.
    """
    m = Match(names, wins=[0] * scn.S, passive=[0] * scn.S, abandoned=[0] * scn.S)
    winner_of = np.array(
        [scn.side_index[o.winner] if o.winner is not None else -1 for o in scn.outcomes]
    )
    start = time.perf_counter()
    for lo in range(0, games, batch):
        ids = np.arange(lo, min(lo + batch, games))
        policies = {s: make_policy(names[s], s, scn, difficulty) for s in range(scn.S)}
        hooks: list[TurnHook] = [Passivity(scn, m)]
        if advance is not None:
            hooks.append(lambda _turn, n=ids.size: advance(n))
        state = play_from(scn, initial_state(scn, ids, seed), policies, on_turn=hooks)
        if advance is not None:
            advance(ids.size * (scn.n_turns - state.turn))
        won = winner_of[np.maximum(state.outcome, 0)]
        won = np.where(state.outcome >= 0, won, -1)
        for s in range(scn.S):
            m.wins[s] += int((won == s).sum())
        m.draws += int((won < 0).sum())
        m.games += ids.size
        end = np.where(state.end_day >= 0, state.end_day // scn.turn_days + 1, state.turn)
        m.turns += int(end.sum())
        m.treaties += int((state.over & ~state.truncated).sum())
    m.seconds = time.perf_counter() - start
    return m
