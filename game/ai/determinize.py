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
  what the side presumes (:func:`~game.ai.presumed.presumed_men`:
  :data:`~game.ai.presumed.GHOST_STRENGTH` of their scenario strength, or less if it saw
  them weaker) times the fog's error; those the side knows gone are not placed.  Forces
  due later, raised only by events, and irregulars not seen stay off the map (the rules
  bring them on when due).
* **The enemy's will** is not observed: it is its starting will less a week's
  weariness for each week of war, less the drain of its home provinces the observer
  holds (their share of its home value) and of hostile provinces it occupies (their
  value and hostility as a share of the observer's home value): the terms of the rules
  the observer can count.
* **Flags** are those set by the events that have fired.

Every draw comes from the keys given (the AI stream), one per future.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from game import libm, rng
from game.ai.features import ENEMY_COHESION, Situation, situation
from game.ai.presumed import origins, place_costs
from game.ai.tables import static
from game.codes import NONE, CommanderState, ForceStatus
from game.engine import jit
from game.engine.observe import Observation
from game.engine.outcome import home_values
from game.engine.state import NOT_FOUGHT, CampaignState, no_memory
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
    sit = sit if sit is not None else situation(scn, obs)
    men, loc, status, commander, dug_in, mine = _guessed_forces(scn, obs, sit, keys, unseen)
    nxt, progress, dest, cohesion, supplied, garrisoned, joining = mine
    will = _wills(scn, obs)
    flags = obs.fired @ static(scn).sets_flag  # any event fired that sets each flag
    quiet = np.where((obs.last_battle >= 0).any(axis=1), 0, scn.model.victory.peace.quiet_turns)
    arrived = np.zeros((R, scn.S), np.int32)
    active = status == _ACTIVE
    for side in range(scn.S):
        arrived[:, side] = np.where(active & (scn.force_side == side)[None, :], men, 0).sum(axis=1)
    return CampaignState(
        turn=obs.turn,
        seed=ROLLOUT_SEED,
        run_ids=keys.view(np.int64).copy(),
        owner=obs.owner.copy(),
        held_since=obs.held_since.copy(),
        loc=loc,
        nxt=nxt,
        progress=progress,
        dest=dest,
        forced=np.zeros((R, F), bool),
        men=np.round(men).astype(np.int32),
        cohesion=cohesion,
        supplied=supplied,
        status=status,
        commander=commander,
        dug_in=dug_in,
        garrisoned=garrisoned,
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
        joining=joining,
        party_will=obs.party_will.copy(),
        party_left=obs.party_left.copy(),
        **_memory(scn, obs),
    )


def _memory(scn: CompiledScenario, obs: Observation) -> dict[str, np.ndarray]:
    """Return the guessed state's memory: the observer's own, the enemy's empty.

    What the enemy remembers of the observer is not observed; the futures start it
    from nothing.
    """
    out = no_memory(obs.runs, scn.S, scn.F)
    enemy = ~obs.own
    s = obs.side
    out["memory_men"][:, s] = np.where(enemy, obs.last_men, 0)
    out["memory_at"][:, s] = np.where(enemy, obs.last_at, NONE)
    out["memory_turn"][:, s] = np.where(enemy, obs.last_turn, NONE)
    out["memory_gone"][:, s] = obs.known_gone
    return out


def _guessed_forces(
    scn: CompiledScenario, obs: Observation, sit: Situation, keys: U64, unseen: bool
) -> tuple[Any, ...]:
    """Return :func:`_forces` of the guessed state: men (float), place, status, and the rest.

    Without the unseen forces no strength is drawn (a noise of exactly 1) and nobody is
    placed (placing them is half the cost).
    """
    R, F = obs.runs, scn.F
    own = np.asarray(scn.force_side == obs.side)
    noise = (
        libm.exp(
            scn.rules.fog.estimate_error
            * rng.normal(rng.derive(keys[:, None], 1, np.arange(F)[None, :]))
        )
        if unseen
        else np.ones((R, F))
    )
    where = (
        _placement(scn, obs, sit.watched, rng.derive(keys, 2))
        if unseen
        else np.full((R, F), NONE, np.int64)
    )
    ghost = (sit.ghost_men > 0) & (where >= 0) & unseen
    return _forces(  # type: ignore[no-any-return]
        own,
        np.ascontiguousarray(sit.enemy_seen),
        np.ascontiguousarray(ghost),
        np.ascontiguousarray(sit.ghost_men, np.float64),
        np.ascontiguousarray(where, np.int64),
        np.ascontiguousarray(noise, np.float64),
        unseen,
        obs.turn,
        1 - obs.side,
        (obs.men, obs.loc, obs.status, obs.commander, obs.owner, obs.cmd_state),
        (obs.nxt, obs.progress, obs.dest, obs.cohesion, obs.supplied),
        (obs.dug_in, obs.garrisoned, obs.joining),
        (np.asarray(scn.men0), np.asarray(scn.arrival_turn), np.asarray(scn.commander0)),
    )


def _wills(scn: CompiledScenario, obs: Observation) -> npt.NDArray[np.float32]:
    """Return ``[R, S]`` the wills of a guessed state: own as observed, the enemy's counted."""
    will = np.zeros((obs.runs, scn.S), np.float32)
    will[:, obs.side] = obs.will
    will[:, 1 - obs.side] = _enemy_will(scn, obs)
    return will


_ACTIVE, _WAITING, _GONE = int(ForceStatus.ACTIVE), int(ForceStatus.WAITING), int(ForceStatus.GONE)


@jit.kernel
def _forces(
    own, seen, ghost, ghost_men, where, noise, unseen, turn, e, obs_t, road_t, post_t, scn_t
):
    """Return :func:`determinize`'s forces, slot by slot: every run in one call.

    Own forces as observed; seen enemies where seen at the estimate over ``noise``;
    presumed ones (``ghost``) placed at ``where`` at their presumed men (``ghost_men``,
    :func:`~game.ai.presumed.presumed_men`) times ``noise``; those due later at full strength off the map; those whose time is
    past gone.  Returns men (float, rounded by the caller), place, status, commander and
    whether dug in, then the fields only own forces keep (on the road, forced march
    aside; supplied, garrisoned, joining).
    """
    men_o, loc_o, status_o, cmd_o, owner, cmd_state = obs_t
    nxt_o, progress_o, dest_o, cohesion_o, supplied_o = road_t
    dug_o, garrisoned_o, joining_o = post_t
    men0, arrival_turn, cmd0 = scn_t
    R, F = seen.shape
    C = cmd_state.shape[1]
    men = np.zeros((R, F))
    loc = np.full((R, F), -1, np.int16)
    status = np.empty((R, F), np.int8)
    commander = np.full((R, F), -1, np.int16)
    dug_in = np.zeros((R, F), np.int16)
    nxt = np.full((R, F), -1, np.int16)
    progress = np.zeros((R, F), np.float32)
    dest = np.full((R, F), -1, np.int16)
    cohesion = np.full((R, F), np.float32(ENEMY_COHESION))
    supplied = np.ones((R, F), np.bool_)
    garrisoned = np.zeros((R, F), np.bool_)
    joining = np.full((R, F), -1, np.int16)
    for r in range(R):
        for f in range(F):
            if own[f]:
                men[r, f] = men_o[r, f]
                loc[r, f] = loc_o[r, f]
                status[r, f] = status_o[r, f]
                commander[r, f] = cmd_o[r, f]
                dug_in[r, f] = dug_o[r, f]
                nxt[r, f] = nxt_o[r, f]
                progress[r, f] = progress_o[r, f]
                dest[r, f] = dest_o[r, f]
                cohesion[r, f] = cohesion_o[r, f]
                supplied[r, f] = supplied_o[r, f]
                garrisoned[r, f] = garrisoned_o[r, f]
                joining[r, f] = joining_o[r, f]
                continue
            placed = seen[r, f] or ghost[r, f]
            if seen[r, f]:
                men[r, f] = men_o[r, f] / noise[r, f]
                loc[r, f] = loc_o[r, f]
                commander[r, f] = cmd_o[r, f]
            if ghost[r, f]:
                men[r, f] = ghost_men[r, f] * noise[r, f]
                loc[r, f] = where[r, f]
                c = cmd0[f]
                if not seen[r, f] and c >= 0 and c < C and cmd_state[r, c] == _CMD_ACTIVE:
                    commander[r, f] = c
            if not placed and unseen and status_o[r, f] != _ACTIVE:
                men[r, f] = men0[f]  # due later
            status[r, f] = _ACTIVE if placed else _WAITING
            late = arrival_turn[f] < turn or not unseen
            if not placed and arrival_turn[f] >= 0 and late:
                status[r, f] = _GONE  # their time is past: they can no longer come
            if placed and owner[r, max(loc[r, f], 0)] == e:
                dug_in[r, f] = 1
    mine = (nxt, progress, dest, cohesion, supplied, garrisoned, joining)
    return men, loc, status, commander, dug_in, mine


_CMD_ACTIVE = int(CommanderState.ACTIVE)


class Judged:
    """The state a treaty signed now is judged on, as the observing side sees it.

    :func:`determinize` without the unseen forces (own forces exactly, seen enemies at
    their estimate where seen, the enemy's will as counted), with only what a scenario
    condition reads (:class:`game.engine.conditions.Readable`): the places, the
    commanders, the talks and the events as observed, and the forces and wills worked out
    only when a condition asks for them (the outcomes of most scenarios read who holds
    what alone).  Read-only: it shares the observation's arrays.
    """

    def __init__(self, scn: CompiledScenario, obs: Observation, sit: Situation) -> None:
        self._scn, self._obs, self._sit = scn, obs, sit
        self.owner = obs.owner
        self.held_since = obs.held_since
        self.last_battle = obs.last_battle
        self.cmd_state = obs.cmd_state
        self.party_left = obs.party_left
        self.party_will = obs.party_will
        self.talks = obs.talks
        self.fired = obs.fired
        self.flags = obs.fired @ static(scn).sets_flag
        self.rec_winner = obs.rec_winner

    @property
    def runs(self) -> int:
        """Number of runs."""
        return self._obs.runs

    @cached_property
    def _forces(self) -> tuple[Any, ...]:
        men, loc, status, _, _, mine = _guessed_forces(
            self._scn, self._obs, self._sit, np.zeros(self._obs.runs, np.uint64), False
        )
        return status, loc, mine[0], np.round(men).astype(np.int32)

    @property
    def status(self) -> npt.NDArray[np.int8]:
        """``[R, F]`` status of each force (own as observed; seen enemies active)."""
        return self._forces[0]  # type: ignore[no-any-return]

    @property
    def loc(self) -> npt.NDArray[np.int16]:
        """``[R, F]`` where each force is (own as observed, seen enemies where seen)."""
        return self._forces[1]  # type: ignore[no-any-return]

    @property
    def nxt(self) -> npt.NDArray[np.int16]:
        """``[R, F]`` the next province of own columns on the road."""
        return self._forces[2]  # type: ignore[no-any-return]

    @property
    def men(self) -> npt.NDArray[np.int32]:
        """``[R, F]`` men (own exactly, seen enemies as estimated)."""
        return self._forces[3]  # type: ignore[no-any-return]

    @cached_property
    def will(self) -> npt.NDArray[np.float32]:
        """``[R, S]`` own will as observed, the enemy's as counted."""
        return _wills(self._scn, self._obs)


def outcome_now(
    scn: CompiledScenario, obs: Observation, sit: Situation | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return ``[R]`` the outcome a treaty signed now would name, and its winner (-1: none).

    Judged on what the side can see (:class:`Judged`: :func:`determinize` without unseen
    forces): the outcome conditions count own men exactly and seen enemy men as estimated.
    """
    from game.engine.phases.peace import name_outcome

    judged = Judged(scn, obs, sit if sit is not None else situation(scn, obs))
    named = np.maximum(name_outcome(scn, judged, obs.turn), 0).astype(np.int64)
    return named, _winners(scn)[named]


def _winners(scn: CompiledScenario) -> I64:
    """Return each outcome's winning side (-1: none), once per scenario."""
    if "outcome_winners" not in scn.extra:
        scn.extra["outcome_winners"] = np.array(
            [scn.side_index[o.winner] if o.winner is not None else -1 for o in scn.outcomes],
            np.int64,
        )
    return scn.extra["outcome_winners"]  # type: ignore[no-any-return]
