"""Possible true states behind an observation, for rolling the real engine forward.

The look-ahead must not read the hidden state, so it plays its futures from states it
builds from its own observation, one per future, each a guess consistent with what the
side knows:

* **Own forces, provinces, commanders, events, talks** are copied as observed (the side
  knows them).  Whether an own column is on a forced march is not in the observation;
  it is taken to be marching at the normal pace.
* **Seen enemy forces** stand where they were seen; their strength is drawn around the
  estimate with the fog's own error (``rules.fog.estimate_error``), their cohesion is
  taken as :data:`~game.ai.features.ENEMY_COHESION` and they are taken to have stood a
  turn in provinces their side holds.
* **Unseen enemy forces that should be in the field** (started on the map, or due by
  now) are placed at a province nobody on the observing side watches: their start or
  arrival point if it is unwatched, otherwise one of the three unwatched provinces
  nearest to it (preferring their side's land), drawn per future.  Their strength is
  :data:`~game.ai.presumed.GHOST_STRENGTH` of their scenario strength times the fog's
  error.  Forces due later, raised only by events, and irregulars not seen stay off the
  map (the rules bring them on when due).
* **The enemy's will** is not observed: it is its starting will less a week's
  weariness for each week of war, less the drain of its home provinces the observer
  holds (their share of its home value) and of hostile provinces it occupies (their
  value and hostility as a share of the observer's home value): the terms of the rules
  the observer can count.
* **Flags** are those set by the events that have fired.

Every draw comes from the keys given (the AI stream), one per future.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game import rng
from game.ai.features import ENEMY_COHESION, Situation, situation
from game.ai.presumed import GHOST_STRENGTH, origins, place_costs
from game.ai.tables import static
from game.codes import NONE, CommanderState, ForceStatus
from game.engine.observe import Observation
from game.engine.outcome import home_values
from game.engine.state import NOT_FOUGHT, CampaignState
from game.scenario.compile import CompiledScenario

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

ROLLOUT_SEED = 0x1A_6E_AD
"""Seed of every rollout state: the rollout's dice are keyed on its run ids, which are
drawn from the AI stream, so they never coincide with the game's."""


def _enemy_will(scn: CompiledScenario, obs: Observation) -> npt.NDArray[np.float64]:
    """Return an estimate of the other side's war will from what the observer can count."""
    e = 1 - obs.side
    rules = scn.rules
    weeks_per_turn = scn.turn_days / 7.0
    weeks = obs.turn * weeks_per_turn
    held_weeks = np.maximum(obs.turn - obs.held_since, 0) * weeks_per_turn  # [R, P]
    value = np.asarray(scn.value)
    theirs_lost = (obs.owner == obs.side) & np.asarray(scn.home[e])[None, :]
    occupying = (obs.owner == e) & (np.asarray(scn.home_side) == obs.side)[None, :]
    home_value = home_values(scn)
    hostility = value * np.asarray(scn.resistance) / home_value[obs.side]
    occupied = (theirs_lost * value * held_weeks).sum(axis=1) / home_value[e]
    resisted = (occupying * hostility * held_weeks).sum(axis=1)
    drain = rules.war_will.home_held * occupied + rules.resistance.occupier_drain * resisted
    will = float(scn.will0[e]) - rules.war_will.weariness * weeks - drain
    return np.clip(will, 0.05, 1.0)


def _placement(
    scn: CompiledScenario, obs: Observation, watched: npt.NDArray[np.bool_], keys: U64
) -> I64:
    """Return ``[R, F]`` a plausible unwatched province for each enemy force slot.

    One of the three likeliest places (:func:`~game.ai.presumed.place_costs`) is drawn;
    the start or arrival point itself when nobody watches it.
    """
    cost = place_costs(scn, obs, watched)
    best3 = np.argsort(cost, axis=2, kind="stable")[:, :, :3]
    ok3 = np.isfinite(np.take_along_axis(cost, best3, axis=2))
    n_ok = ok3.sum(axis=2)
    pick = rng.integers(np.maximum(n_ok, 1), keys[:, None], 3, np.arange(scn.F)[None, :])
    chosen = np.take_along_axis(best3, pick[:, :, None], axis=2)[:, :, 0]
    origin = np.broadcast_to(origins(scn, 1 - obs.side), (obs.runs, scn.F))
    at_origin = ~np.take_along_axis(watched, origin, axis=1)
    placed = np.where(at_origin, origin, np.where(n_ok > 0, chosen, NONE))
    return placed.astype(np.int64)


def determinize(
    scn: CompiledScenario,
    obs: Observation,
    keys: U64,
    *,
    unseen: bool = True,
    sit: Situation | None = None,
) -> CampaignState:
    """Return one guessed true state per run of ``obs``, drawn with that run's key.

    Args:
        scn: The scenario.
        obs: The observing side's view (any number of runs).
        keys: One AI-stream key per run; the state's run ids and every draw derive from it.
        unseen: Place the enemy forces not seen and draw strengths; without it the state
            holds only what is seen, at the estimated strengths (for judging how a treaty
            signed now would read).
        sit: The observation's :class:`~game.ai.features.Situation`, if already worked out.
    """
    keys = np.asarray(keys, np.uint64)
    R, F = obs.runs, scn.F
    s, e = obs.side, 1 - obs.side
    sit = sit if sit is not None else situation(scn, obs)
    own = np.asarray(scn.force_side == s)[None, :]
    enemy = ~own
    # Without the unseen forces no strength is drawn either (a noise of exactly 1).
    noise = (
        np.exp(
            scn.rules.fog.estimate_error
            * rng.normal(rng.derive(keys[:, None], 1, np.arange(F)[None, :]))
        )
        if unseen
        else np.ones((R, F))
    )
    seen = sit.enemy_seen
    ghost = sit.ghost_men > 0
    # Without the unseen forces nobody is placed (and placing them is half the cost).
    where = (
        _placement(scn, obs, sit.watched, rng.derive(keys, 2))
        if unseen
        else np.full((R, F), NONE, np.int64)
    )
    ghost &= (where >= 0) & unseen
    men0 = np.asarray(scn.men0)[None, :]
    men = np.where(own, obs.men, 0).astype(np.float64)
    men = np.where(seen, obs.men / noise, men)
    men = np.where(ghost, GHOST_STRENGTH * men0 * noise, men)
    due_later = enemy & (obs.status != ForceStatus.ACTIVE) & ~seen & ~ghost & unseen
    men = np.where(due_later, men0, men)
    placed = seen | ghost
    loc = np.where(own, obs.loc, np.where(seen, obs.loc, np.where(ghost, where, NONE)))
    status = np.where(
        own, obs.status, np.where(placed, ForceStatus.ACTIVE, ForceStatus.WAITING)
    ).astype(np.int8)
    # Forces of the other side that can no longer come (their time is past) stay away.
    gone = enemy & ~placed & (np.asarray(scn.arrival_turn)[None, :] >= 0)
    gone &= (np.asarray(scn.arrival_turn)[None, :] < obs.turn) | (not unseen)
    status = np.where(gone, ForceStatus.GONE, status).astype(np.int8)
    cmd0 = np.asarray(scn.commander0)[None, :]
    # A padding column stands for "no commander" (and scenarios without any).
    active_cmd = np.concatenate(
        [obs.cmd_state == CommanderState.ACTIVE, np.zeros((R, 1), bool)], axis=1
    )
    alive = np.take_along_axis(
        active_cmd, np.broadcast_to(np.where(cmd0 >= 0, cmd0, scn.C), (R, F)), axis=1
    )
    commander = np.where(
        own | seen, obs.commander, np.where(ghost & (cmd0 >= 0) & alive, cmd0, NONE)
    )
    safe_loc = np.where(loc >= 0, loc, 0)
    in_theirs = np.take_along_axis(obs.owner, safe_loc.astype(np.int64), axis=1) == e
    will = np.zeros((R, scn.S), np.float32)
    will[:, s] = obs.will
    will[:, e] = _enemy_will(scn, obs)
    flags = obs.fired @ static(scn).sets_flag  # any event fired that sets each flag
    quiet = np.where((obs.last_battle >= 0).any(axis=1), 0, scn.model.victory.peace.quiet_turns)
    arrived = np.zeros((R, scn.S), np.int32)
    active = status == ForceStatus.ACTIVE
    for side in range(scn.S):
        arrived[:, side] = np.where(active & (scn.force_side == side)[None, :], men, 0).sum(axis=1)
    return CampaignState(
        turn=obs.turn,
        seed=ROLLOUT_SEED,
        run_ids=keys.view(np.int64).copy(),
        owner=obs.owner.copy(),
        held_since=obs.held_since.copy(),
        loc=loc.astype(np.int16),
        nxt=np.where(own, obs.nxt, NONE).astype(np.int16),
        progress=np.where(own, obs.progress, 0.0).astype(np.float32),
        dest=np.where(own, obs.dest, NONE).astype(np.int16),
        forced=np.zeros((R, F), bool),
        men=np.round(men).astype(np.int32),
        cohesion=np.where(own, obs.cohesion, ENEMY_COHESION).astype(np.float32),
        supplied=np.where(own, obs.supplied, True),
        status=status,
        commander=commander.astype(np.int16),
        dug_in=np.where(own, obs.dug_in, np.where(placed & in_theirs, 1, 0)).astype(np.int16),
        garrisoned=np.where(own, obs.garrisoned, False),
        cmd_state=obs.cmd_state.copy(),
        will=will,
        arrived=arrived,
        killed=np.zeros((R, scn.S), np.int32),
        wounded=np.zeros((R, scn.S), np.int32),
        captured=np.zeros((R, scn.S), np.int32),
        deserted=np.zeros((R, scn.S), np.int32),
        battles=np.zeros(R, np.int16),
        talks=obs.talks.copy(),
        quiet=quiet.astype(np.int16),
        over=obs.over.copy(),
        truncated=np.zeros(R, bool),
        outcome=np.full(R, NONE, np.int8),
        end_day=np.full(R, NONE, np.int32),
        fired=obs.fired.copy(),
        flags=flags,
        last_battle=obs.last_battle.copy(),
        vp=np.zeros((R, scn.S), np.float32),
        rec_winner=obs.rec_winner.copy(),
        rec_gap=np.where(obs.rec_winner != NONE, 0, NOT_FOUGHT).astype(np.int16),
        joining=np.where(own, obs.joining, NONE).astype(np.int16),
        party_will=obs.party_will.copy(),
        party_left=obs.party_left.copy(),
    )


def outcome_now(
    scn: CompiledScenario, obs: Observation, sit: Situation | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return ``[R]`` the outcome a treaty signed now would name, and its winner (-1: none).

    Judged on what the side can see (:func:`determinize` without unseen forces): the
    outcome conditions count own men exactly and seen enemy men as estimated.
    """
    from game.engine.phases.peace import name_outcome

    st = determinize(scn, obs, np.zeros(obs.runs, np.uint64), unseen=False, sit=sit)
    winners = np.array(
        [scn.side_index[o.winner] if o.winner is not None else -1 for o in scn.outcomes]
    )
    named = np.maximum(name_outcome(scn, st, obs.turn), 0).astype(np.int64)
    return named, winners[named].astype(np.int64)
