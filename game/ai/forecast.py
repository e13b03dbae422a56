"""The look-ahead's forecast of a war's result from a position a rollout reaches.

A rollout stops a few turns ahead, usually long before the war ends, so what it reached
is scored as a forecast of the war's result for the side (+1 a win, 0 a draw, -1 a
loss) from a few signs of the position (:func:`signs`), weighted by :data:`WEIGHTS` (a
least-squares fit that ``benchmarks/lookahead_score.py`` refits); a rollout in which the
war ended scores its result.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from game.codes import ForceStatus
from game.engine.phases.peace import held_at_end, name_outcome
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]


SIGNS = ("treaty_now", "treaty_near", "balance", "will")
"""The signs of a position a rollout's score is made of (see :func:`signs`)."""

WEIGHTS = np.array([0.127, 0.599, 0.479, 0.033])
"""Weights of :data:`SIGNS` in the forecast of the war's result (see :func:`score`).

calibrated_to: the results of 1,000 wars of the 1841 scenario played by the heuristic on
both sides (``python benchmarks/lookahead_score.py --runs 1000 --seed 101``); scored on
500 wars held out (seed 102), see docs/ai.md.
"""


def treaty_now(scn: CompiledScenario, st: CampaignState, side: int) -> F64:
    """Return ``[R]``: the result for ``side`` of a treaty signed now (+1, 0 a draw, -1).

    The scenario's own outcome rules, judged as the engine judges them at a treaty
    (:func:`~game.engine.phases.peace.held_at_end`: an enemy town its occupier has
    marched out of is no gain), so the score follows whatever the war's rules are.  A
    war already over gives its outcome.
    """
    winners = np.array(
        [
            1.0 if o.winner == scn.side_ids[side] else -1.0 if o.winner is not None else 0.0
            for o in scn.outcomes
        ]
    )
    judged = dataclasses.replace(st, owner=held_at_end(scn, st))
    named = np.where(st.over, st.outcome, name_outcome(scn, judged, st.turn))
    return winners[np.maximum(named, 0)]


def signs(scn: CompiledScenario, st: CampaignState, side: int) -> F64:
    """Return ``[R, len(SIGNS)]``: the signs of each run's position for ``side``.

    ``treaty_now``: the result of a treaty signed now (:func:`treaty_now`);
    ``treaty_near``: the same, times how near the treaty is (0 with the talks not open
    and the scenario's end far off, rising to 1 at the signing or the last turn);
    ``balance``: the balance of fighting men on the map, ``(mine - theirs) / (mine +
    theirs)``, men weighted by cohesion; ``will``: own war will less the enemy's.
    """
    e = 1 - side
    now = treaty_now(scn, st, side)
    on = st.status == ForceStatus.ACTIVE
    power = np.where(on, st.men * (0.5 + 0.5 * st.cohesion), 0.0)
    mine = power[:, scn.force_side == side].sum(axis=1)
    theirs = power[:, scn.force_side == e].sum(axis=1)
    balance = (mine - theirs) / np.maximum(mine + theirs, 1.0)
    will = st.will[:, side].astype(np.float64) - st.will[:, e]
    span = max(scn.talks.turns, 1)
    to_treaty = np.where(st.talks >= 0, np.maximum(scn.talks.turns - st.talks, 0), span)
    left = np.minimum(to_treaty, max(scn.n_turns - st.turn, 0))
    near = 1.0 - np.clip(left / span, 0.0, 1.0)
    return np.stack([now, now * near, balance, will], axis=1)


def score(scn: CompiledScenario, st: CampaignState, side: int) -> tuple[F64, F64]:
    """Return how good each run of a rollout is for ``side`` (-1 .. 1), and its result.

    A rollout ends a few turns ahead, usually long before the treaty, so its score is a
    forecast of the war's result for the side (+1 a win, 0 a draw, -1 a loss) from the
    signs of the position (:func:`signs`), weighted by :data:`WEIGHTS`: a least-squares
    fit of the result of wars played by the heuristic on both sides on these signs at
    every turn (``benchmarks/lookahead_score.py`` refits them and reports the fit on
    wars held out).  A rollout in which the war did end scores its result.  The result
    returned alongside is that of a treaty signed at the rollout's end.
    """
    x = signs(scn, st, side)
    forecast = np.clip(x @ WEIGHTS, -1.0, 1.0)
    return np.where(st.over, x[:, 0], forecast), x[:, 0]
