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
from game.engine.outcome import home_values
from game.engine.phases.peace import held_at_end, name_outcome, willing_to_negotiate
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]


SIGNS = ("treaty_now", "treaty_near", "balance", "will")
"""The signs of a position a rollout's score is made of (see :func:`signs`)."""

WEIGHTS = np.array([0.267, 0.581, 0.076, 0.743])
"""Weights of :data:`SIGNS` in the forecast of the war's result (see :func:`score`).

calibrated_to: the results of 1,000 wars of the 1841 scenario played by the heuristic on
both sides, as it plays since the enemy is remembered (``python
benchmarks/lookahead_score.py --runs 1000 --seed 101``); scored on 500 wars held out (seed
102), see docs/ai.md.  Fit them again whenever the heuristic changes how it plays.
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
    to_treaty = turns_to_treaty(scn, st)
    left = np.minimum(to_treaty, max(scn.n_turns - st.turn, 0))
    near = 1.0 - np.clip(left / span, 0.0, 1.0)
    return np.stack([now, now * near, balance, will], axis=1)


def turns_to_treaty(scn: CompiledScenario, st: CampaignState) -> F64:
    """Return ``[R]``: the turns until the treaty is due (the talks' turns if none are open).

    Moving talks: the turns they still need.  Stalled talks (see :func:`talks_moving`)
    move again once the side whose condition stalls them collapses, so the turns it
    needs to collapse at the rate it now loses will come first (:func:`turns_to_collapse`).
    """
    span = float(max(scn.talks.turns, 1))
    rest = np.maximum(scn.talks.turns - st.talks.astype(np.float64), 0.0)
    moving = talks_moving(scn, st)
    stalled = (st.talks >= 0) & ~st.over & ~moving
    return np.where(moving, rest, np.where(stalled, rest + turns_to_collapse(scn, st), span))


def turns_to_collapse(scn: CompiledScenario, st: CampaignState) -> F64:
    """Return ``[R]``: turns until the side whose condition stalls the talks collapses.

    At the rate the engine's rules take its will now from weariness, the share of its
    home value the enemy holds and the hostile land it holds down (docs/rules.md section
    8; battles, losses and events aside, which no one can foresee); for a condition
    nobody owns, the first side to collapse.
    """
    peace = scn.model.victory.peace
    rules = scn.rules.war_will
    weeks = scn.turn_days / 7.0
    home = np.asarray(scn.home, bool)  # [S, P]
    sides = np.arange(scn.S)[None, :, None]
    lost = home[None, :, :] & (st.owner[:, None, :] != sides)
    share = (lost * scn.value[None, None, :]).sum(axis=2) / home_values(scn)[None, :]
    # The occupier's cost of holding down a people (the resistance rules): the value
    # times the hostility of the enemy land it holds, as a share of that land's home value.
    home_side = np.asarray(scn.home_side, np.int64)
    hostile = np.asarray(scn.resistance) * (home_side >= 0)
    weight = scn.value * hostile / home_values(scn)[np.maximum(home_side, 0)]
    occupied = (st.owner[:, None, :] == sides) & (home_side[None, None, :] != sides)
    held_down = (occupied * weight[None, None, :]).sum(axis=2)  # [R, S]
    per_week = rules.weariness + rules.home_held * share
    per_week = per_week + scn.rules.resistance.occupier_drain * held_down
    drain = np.maximum(per_week * weeks, 1e-9)  # [R, S]
    turns = np.maximum(st.will - peace.collapse_will, 0.0) / drain
    if peace.negotiate_side is None:
        return turns.min(axis=1)
    return turns[:, scn.side_index[peace.negotiate_side]]


def talks_moving(scn: CompiledScenario, st: CampaignState) -> npt.NDArray[np.bool_]:
    """Return ``[R]``: the talks are open and would move this turn.

    As the engine's peace phase has it (:func:`~game.engine.phases.peace.willing_to_negotiate`):
    stalled talks bring no treaty nearer, however many turns they have done.
    """
    talking = (st.talks >= 0) & ~st.over
    if scn.model.victory.peace.negotiate_when is None or not talking.any():
        return talking
    return talking & willing_to_negotiate(scn, st, int(st.turn))


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
