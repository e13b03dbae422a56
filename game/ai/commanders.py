"""What losing each commander costs his side, read from the scenario's rules and events.

The engine takes ``rules.war_will.commander_lost`` of will from a side for every
commander it loses (and ``head_of_state_lost`` more for a head of state), and a scenario says what losing a particular man means through
events that fire when he is killed or lost (a head of state's death shakes his army and
breaks his government's will).  :func:`commander_stakes` adds these up per commander, so
that the AI weighs a commander's life by what the scenario makes of it, and nothing
else: a war whose author wrote no such events has commanders who cost only the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from game.engine import jit
from game.scenario.compile import CompiledScenario
from game.scenario.schema import Condition, Event

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class CommanderStakes:
    """Per commander ``[C]``: what his loss costs his side.

    Attributes:
        will: War will his side loses, plus what the other side gains.
        cohesion: Cohesion his side's forces lose (0 to 1; the largest shake that can
            reach them all).
        men: Share of his side's men that leave it (events that detach forces).
    """

    will: F64
    cohesion: F64
    men: F64


def _names_loss(cond: Condition | None, commander: str) -> bool:
    """Return whether ``cond`` fires on the loss of ``commander`` (not under a ``not``)."""
    if cond is None:
        return False
    if commander in (cond.commander_dead, cond.commander_lost):
        return True
    return any(_names_loss(c, commander) for c in (cond.all or []) + (cond.any or []))


def _event_cost(scn: CompiledScenario, ev: Event, side: int) -> tuple[float, float, float]:
    """Return the will, cohesion and share of men an event costs ``side``."""
    will = cohesion = men = 0.0
    total = max(float(np.asarray(scn.men0)[np.asarray(scn.force_side) == side].sum()), 1.0)
    for eff in ev.effects:
        if eff.war_will is not None:
            sign = -1.0 if scn.side_index[eff.war_will.side] == side else 1.0
            will += sign * eff.war_will.delta
        shaken = eff.cohesion is not None and eff.cohesion.side is not None
        if shaken and scn.side_index[eff.cohesion.side] == side:  # type: ignore[union-attr,index]
            cohesion = max(cohesion, -eff.cohesion.delta)  # type: ignore[union-attr]
        if eff.detach is not None:
            f = scn.force_index[eff.detach.force]
            if int(scn.force_side[f]) == side:
                men += eff.detach.fraction * float(scn.men0[f]) / total
    return will, cohesion, men


def commander_stakes(scn: CompiledScenario) -> CommanderStakes:
    """Return what losing each commander costs his side (cached on the scenario).

    Only events that can happen count (``enabled``), weighted by their chance of firing;
    an event that fires on his death and also on other things counts in full (the AI
    cannot tell which).
    """
    cached = scn.extra.get("ai_commander_stakes")
    if isinstance(cached, CommanderStakes):
        return cached
    C = len(scn.model.commanders)
    rules = scn.rules.war_will
    # The will rules take more for a head of state: his government falls with him.
    head = np.asarray(scn.head_of_state, bool)
    will = float(rules.commander_lost) + np.where(head, float(rules.head_of_state_lost), 0.0)
    cohesion = np.zeros(C)
    men = np.zeros(C)
    for c, cmd in enumerate(scn.model.commanders):
        side = scn.side_index[cmd.side]
        for ev in scn.events:
            if not ev.enabled or not _names_loss(ev.when, cmd.id):
                continue
            w, h, m = _event_cost(scn, ev, side)
            will[c] += ev.chance * w
            cohesion[c] = max(cohesion[c], ev.chance * h)
            men[c] += ev.chance * m
    out = CommanderStakes(np.maximum(will, 0.0), np.clip(cohesion, 0.0, 1.0), np.clip(men, 0, 1))
    scn.extra["ai_commander_stakes"] = out
    return out


def stakes(
    scn: CompiledScenario, scale: float, will: F64, force_t: tuple[Any, ...], men_value: float
) -> F64:
    """Return ``[R, F]``: each own commander's exposure times what his loss costs the side.

    ``force_t``: the forces an own commander leads ``[R, F]``, each force's commander,
    its men and his exposure, and ``[F]`` the side's own slots.  A unit of the side's war
    will (``will``, ``[R]``) is worth the share of the distance left to the will at which
    it collapses that it takes, times the scale of the war's stakes (the winning margin);
    the side's whole army is worth its men times ``men_value``.  What a commander's loss
    costs (:func:`commander_stakes`) is then its will times the first and its shake of
    cohesion and men detached times the second: a shake of cohesion ``h`` costs about
    ``h / 2`` of the army's effectiveness (a force fights at ``0.5 + 0.5 x cohesion``),
    men detached are lost outright.  One kernel (:func:`_stakes_kernel`).
    """
    will_of, army_of = _padded(scn)
    collapse = float(scn.model.victory.peace.collapse_will)
    return _stakes_kernel(  # type: ignore[no-any-return]
        *force_t, (will, collapse, float(scale)), (float(men_value), will_of, army_of)
    )


@jit.kernel
def _stakes_kernel(led, cmd, men, exposure, own, will_t, cost_t):  # pragma: no cover - compiled
    """Return :func:`stakes`, run by run.

    The army's men are summed slot by slot: men are whole numbers, so the sum is exact
    in any order (numpy's pairwise sum gives the same).
    """
    will, collapse, scale = will_t
    men_value, will_of, army_of = cost_t
    R, F = led.shape
    pad = will_of.size - 1  # the padding row: no commander
    out = np.zeros((R, F))
    for r in range(R):
        army = 0.0
        for f in range(F):
            if own[f]:
                army += men[r, f]
        army_vp = army * men_value
        will_vp = scale / max(np.float64(will[r]) - collapse, 0.1)
        for f in range(F):
            if led[r, f]:
                c = cmd[r, f] if cmd[r, f] >= 0 else pad
                out[r, f] = exposure[r, f] * (will_vp * will_of[c] + army_vp * army_of[c])
    return out


def _padded(scn: CompiledScenario) -> tuple[F64, F64]:
    """Return each commander's will and army costs with a last row of 0 (no commander).

    Cached on the scenario: :func:`stakes` reads them every turn.
    """
    cached = scn.extra.get("ai_commander_padded")
    if cached is None:
        stakes = commander_stakes(scn)
        cached = scn.extra["ai_commander_padded"] = (
            np.append(stakes.will, 0.0),
            np.append(0.5 * stakes.cohesion + stakes.men, 0.0),
        )
        for a in cached:
            a.setflags(write=False)
    return cached  # type: ignore[no-any-return]
