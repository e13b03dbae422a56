"""Why the AI gave each order, kept as arrays while deciding and put into words at the end.

Policies record a :class:`Reason` code and a few numbers per force (the province it is
about, the odds and losses expected, men on each side) in a :class:`Notes` batch, which
costs nothing when nobody asks; for a batch of one with ``explain=True`` :func:`explain`
turns them into :class:`~game.ai.base.Explanation` lines such as "attack Sudby with 3,600
men against ~2,400: 72% win, expect 60 killed".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.ai.base import Explanation
from game.codes import NONE
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]


class Reason(enum.IntEnum):
    """What an order is for."""

    NONE = 0
    ATTACK = 1
    HARASS = 2
    DEFEND = 3
    RETREAT = 4
    ESCAPE = 5
    GARRISON = 6
    CAPTURE = 7
    REINFORCE = 8
    GATHER = 9
    HOLD = 10
    HALT = 11
    HISTORICAL = 12
    RANDOM = 13
    BLUNDER = 14
    COVER = 15
    KEEP = 16
    CONCENTRATE = 17
    DEFENSIVE = 18
    CLEAR_TALKS = 19
    CLEAR_GAIN = 20
    GUARD = 21
    CLEAR_LAND = 22
    STATION = 23
    ESCORT = 24
    FALL_BACK = 25


@dataclass
class Notes:
    """Per-force reasons of one decision, ``[R, F]`` arrays.

    Attributes:
        reason: :class:`Reason` code.
        place: The province the reason is about (target, threat, or stand), or -1.
        other: A second province (the strike a gathering prepares, the blocked goal), or -1.
        p_win: Chance of winning expected (of the attack, or of holding), or NaN.
        killed: Own men expected killed, or NaN.
        men: Own men involved.
        foe: Enemy men estimated.
        value: Victory points at stake, or NaN.
        leader: The commander the reason names (the enemy army's), or -1.
        marches: Turns of marching the reason names (how far the enemy army is), or NaN.
    """

    reason: npt.NDArray[np.int8]
    place: npt.NDArray[np.int16]
    other: npt.NDArray[np.int16]
    p_win: F64
    killed: F64
    men: F64
    foe: F64
    value: F64
    leader: npt.NDArray[np.int16]
    marches: F64

    recording: bool = True
    """False for a decision nobody will explain: :meth:`set` then does nothing."""

    @classmethod
    def empty(cls, runs: int, forces: int, *, recording: bool = True) -> Notes:
        """Return notes with no reason for any force (that record nothing if not asked)."""
        if not recording:
            none = np.zeros((0, 0))
            return cls(
                np.zeros((0, 0), np.int8),
                np.zeros((0, 0), np.int16),
                np.zeros((0, 0), np.int16),
                none,
                none,
                none,
                none,
                none,
                np.zeros((0, 0), np.int16),
                none,
                recording=False,
            )
        nan = np.full((runs, forces), np.nan)
        return cls(
            reason=np.zeros((runs, forces), np.int8),
            place=np.full((runs, forces), NONE, np.int16),
            other=np.full((runs, forces), NONE, np.int16),
            p_win=nan.copy(),
            killed=nan.copy(),
            men=np.zeros((runs, forces)),
            foe=np.zeros((runs, forces)),
            value=nan.copy(),
            leader=np.full((runs, forces), NONE, np.int16),
            marches=nan.copy(),
        )

    def set(self, mask: npt.NDArray[np.bool_], reason: Reason, **values: npt.ArrayLike) -> None:
        """Record ``reason`` (and values broadcast to ``[R, F]``) where ``mask`` holds."""
        if not self.recording:
            return
        self.reason[mask] = int(reason)
        for name, v in values.items():
            arr = getattr(self, name)
            arr[mask] = np.broadcast_to(np.asarray(v), arr.shape)[mask]


def _men(x: float) -> str:
    return f"{round(x / 50.0) * 50:,.0f}" if x >= 50 else f"{x:,.0f}"


def _pct(p: float) -> str:
    return f"{100.0 * p:.0f}%"


def sentence(scn: CompiledScenario, notes: Notes, run: int, force: int) -> str:
    """Return the short reason of one force's order in one run."""
    r = Reason(int(notes.reason[run, force]))
    place = int(notes.place[run, force])
    other = int(notes.other[run, force])
    where = scn.province_name(place) if place != NONE else "?"
    goal = scn.province_name(other) if other != NONE else "?"
    p = float(notes.p_win[run, force])
    k = float(notes.killed[run, force])
    men, foe = float(notes.men[run, force]), float(notes.foe[run, force])
    v = float(notes.value[run, force])
    odds = f"{_pct(p)} win, expect {_men(k)} killed" if np.isfinite(p) and np.isfinite(k) else ""
    texts = {
        Reason.ATTACK: f"attack {where} with {_men(men)} men against ~{_men(foe)}: {odds}",
        Reason.HARASS: f"raid {where} with {_men(men)} irregulars against ~{_men(foe)}: {odds}",
        Reason.DEFEND: f"hold {where} against ~{_men(foe)}: {_pct(p)} to hold",
        Reason.RETREAT: f"retreat to {where}: only {_pct(p)} to hold {goal} against ~{_men(foe)}",
        Reason.ESCAPE: f"fall back to {where}: ~{_men(foe)} enemy, seen or presumed, can strike "
        f"{goal} ({_pct(p)} to hold)",
        Reason.GARRISON: f"garrison {where}: {_men(men)} men keep a hostile province quiet",
        Reason.CAPTURE: f"march on {where}: {'undefended' if foe <= 0 else f'~{_men(foe)} near'}"
        f", worth {v:.1f} VP",
        Reason.REINFORCE: f"reinforce {where}: ~{_men(foe)} enemy, seen or presumed, can reach "
        "it this turn",
        Reason.GATHER: (
            f"join the strike on {where}: {_men(men)} men gathering there ({_pct(p)} win)"
            if place == other
            else f"gather at {where} to strike {goal} with {_men(men)} men ({_pct(p)} win)"
        ),
        Reason.HOLD: f"hold at {where}: no better task",
        Reason.HALT: f"halt at {where}: ~{_men(foe)} enemy bar the road to {goal}",
        Reason.HISTORICAL: f"as in history: to {where}" if place != NONE else "as in history",
        Reason.RANDOM: f"random order ({where})" if place != NONE else "random order",
        Reason.BLUNDER: f"hasty order to {where}" if place != NONE else "hasty order",
        Reason.COVER: f"cover {where}: {_pct(p)} to hold against ~{_men(foe)} enemy, seen or "
        "presumed, that can reach it",
        Reason.KEEP: f"hold {where} with {_men(men)} men: peace on our terms needs {v:,.0f} there",
        Reason.CONCENTRATE: f"concentrate at {where} with the main body ({_men(men)} men)"
        + _enemy_army(scn, notes, run, force),
        Reason.GUARD: f"hold {where} for the signing with {_men(men)} men: ~{_men(foe)} enemy, "
        "seen or presumed, can reach it before the treaty",
        Reason.STATION: f"{'keep the army at' if place == other else 'take the army to'} {where} for the signing "
        f"({_men(men)} men): our gain at the peace rests on holding it",
        Reason.ESCORT: f"ride with the army to {where} ({_men(men)} men): a head of state goes "
        "with the main body, into no battle but the one that decides the war",
        Reason.DEFENSIVE: f"on the defensive, concentrate at {where} with the main body "
        f"({_men(men)} men)" + _enemy_army(scn, notes, run, force),
    }
    if r in (Reason.CLEAR_TALKS, Reason.CLEAR_GAIN, Reason.CLEAR_LAND):
        return _clear(scn, notes, run, force)
    if r == Reason.FALL_BACK:
        return _fall_back(scn, notes, run, force)
    return texts.get(r, "no new order")


def _clear(scn: CompiledScenario, notes: Notes, run: int, force: int) -> str:
    """Return "clear Tacna with 650 men (90% win): ~120 Bolivian troops there keep ..."."""
    place, other = int(notes.place[run, force]), int(notes.other[run, force])
    where = scn.province_name(place) if place != NONE else "?"
    via = "" if other in (place, NONE) else f", by way of {scn.province_name(other)}"
    men, foe = float(notes.men[run, force]), float(notes.foe[run, force])
    p = float(notes.p_win[run, force])
    enemy = scn.model.sides[1 - int(scn.force_side[force])]
    adj = enemy.adjective or enemy.name
    own = scn.model.sides[int(scn.force_side[force])]
    why = {
        Reason.CLEAR_TALKS: "keep the talks from moving",
        Reason.CLEAR_GAIN: f"would win {enemy.name} a gain at the signing",
        Reason.CLEAR_LAND: f"roam {own.name}'s land as the treaty nears",
    }[Reason(int(notes.reason[run, force]))]
    return f"clear {where}{via} with {_men(men)} men ({_pct(p)} win): ~{_men(foe)} {adj} troops there {why}"


def _fall_back(scn: CompiledScenario, notes: Notes, run: int, force: int) -> str:
    """Return "fall back to Sica Sica: ~2,400 Peruvians can reach Tacna before help ..."."""
    place, other = int(notes.place[run, force]), int(notes.other[run, force])
    where = scn.province_name(place) if place != NONE else "?"
    goal = scn.province_name(other) if other != NONE else "?"
    men, foe = float(notes.men[run, force]), float(notes.foe[run, force])
    enemy = scn.model.sides[1 - int(scn.force_side[force])]
    adj = enemy.adjective or enemy.name
    p = _pct(float(notes.p_win[run, force]))
    return (
        f"fall back to {where} with the main body: ~{_men(foe)} {adj} troops can reach {goal} "
        f"before help, {p} to hold it with {_men(men)}"
    )


def _enemy_army(scn: CompiledScenario, notes: Notes, run: int, force: int) -> str:
    """Return ": General X's ~5,000 are two marches off" (the enemy army a note names)."""
    foe, n = float(notes.foe[run, force]), float(notes.marches[run, force])
    if not (foe > 0 and np.isfinite(n)):
        return ""
    c = int(notes.leader[run, force])
    who = f"{scn.commander_name(c)}'s" if c != NONE else "the enemy's"
    words = {0: "at hand", 1: "a march off", 2: "two marches off", 3: "three marches off"}
    return f": {who} ~{_men(foe)} are {words.get(int(n), f'{int(n)} marches off')}"


def explain(scn: CompiledScenario, notes: Notes, own: npt.NDArray[np.bool_]) -> list[Explanation]:
    """Return the explanations of run 0 for every own force that was given a reason."""
    out: list[Explanation] = []
    for f in np.flatnonzero(own & (notes.reason[0] != Reason.NONE)):
        f = int(f)
        p = float(notes.p_win[0, f])
        k = float(notes.killed[0, f])
        out.append(
            Explanation(
                force=f,
                text=sentence(scn, notes, 0, f),
                p_win=p if np.isfinite(p) else None,
                expected_killed=k if np.isfinite(k) else None,
            )
        )
    return out
