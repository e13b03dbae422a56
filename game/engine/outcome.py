"""How a war ends, as values: victory points, termination, and the named outcome.

Following python-chess's ``Outcome`` and Gymnasium's terminated/truncated split, a war
ended by its own rules (a treaty) is kept apart from one cut off by the scenario's date
limit, and both are plain values any caller can inspect.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]


class Termination(enum.Enum):
    """Why a war ended."""

    TREATY = "treaty"
    """Peace talks concluded and a treaty was signed."""
    DATE_LIMIT = "date_limit"
    """The scenario's end date came with no treaty; the war was cut off there."""


@dataclass(frozen=True)
class Outcome:
    """The end of one war.

    Attributes:
        id: Id of the scenario outcome (e.g. 'status_quo').
        name: Its display name.
        winner: Id of the winning side, or None for a draw.
        termination: Treaty or date limit.
        date: The day the war ended.
        victory_points: Each side's victory points at the end.
    """

    id: str
    name: str
    winner: str | None
    termination: Termination
    date: dt.date
    victory_points: dict[str, float]


def victory_points(scn: CompiledScenario, owner: npt.NDArray[np.int8]) -> F64:
    """Return each side's victory points for a province ownership ``[R, P]`` -> ``[R, S]``.

    A side scores the value of each province it holds that is not its own home: at the
    ``enemy_home`` rate if it is the other side's home, at the ``claimed`` rate if it is
    merely claimed.  Holding one's own land scores nothing: the status quo is a draw.
    One compiled call, the sums in numpy's order (:func:`game.engine.sums.held_sums`).
    """
    from game.engine.sums import held_sums, plan_code

    leaf, code, n_leaves = plan_code(scn.P)
    return held_sums(owner, _worth(scn), leaf, n_leaves, code)  # type: ignore[no-any-return]


def _worth(scn: CompiledScenario) -> F64:
    """Return ``[S, P]``: the points each side scores for holding each province, once."""
    if "vp_worth" not in scn.extra:
        pts = scn.model.victory.points
        worth = np.zeros((scn.S, scn.P))
        for s in range(scn.S):
            enemy_home = scn.home.any(axis=0) & ~scn.home[s]
            rate = np.where(enemy_home, pts.enemy_home, np.where(scn.claimed[s], pts.claimed, 0.0))
            worth[s] = scn.value * np.where(scn.home[s], 0.0, rate)
        scn.extra["vp_worth"] = worth
    return scn.extra["vp_worth"]  # type: ignore[no-any-return]


def margin(scn: CompiledScenario, owner: npt.NDArray[np.int8], side: int) -> F64:
    """Return ``side``'s victory-point lead over the other side ``[R]``."""
    vp = victory_points(scn, owner)
    return vp[:, side] - vp[:, 1 - side]


def describe(scn: CompiledScenario, state: object, run: int = 0) -> Outcome | None:
    """Return the outcome of one run of a state, or None while its war goes on."""
    over = state.over  # type: ignore[attr-defined]
    if not over[run]:
        return None
    o = scn.outcomes[int(state.outcome[run])]  # type: ignore[attr-defined]
    vp = state.vp[run]  # type: ignore[attr-defined]
    term = Termination.DATE_LIMIT if state.truncated[run] else Termination.TREATY  # type: ignore[attr-defined]
    return Outcome(
        id=o.id,
        name=o.name,
        winner=o.winner,
        termination=term,
        date=scn.start + dt.timedelta(days=int(state.end_day[run])),  # type: ignore[attr-defined]
        victory_points={sid: float(vp[i]) for i, sid in enumerate(scn.side_ids)},
    )


def home_values(scn: CompiledScenario) -> npt.NDArray[np.float64]:
    """Return ``[S]``: the value of each side's home provinces (at least a hair above 0).

    Worked out once per scenario (read every turn); callers only read it.
    """
    if "home_values" not in scn.extra:
        scn.extra["home_values"] = np.maximum((scn.home * scn.value[None, :]).sum(axis=1), 1e-9)
    return scn.extra["home_values"]  # type: ignore[no-any-return]
