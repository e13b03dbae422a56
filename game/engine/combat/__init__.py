"""The vectorised battle resolver: thousands of battles at once, each fully keyed.

The model is a stochastic Helmbold-form attrition model (``docs/combat.md``), calibrated
on the pre-1900 battles of the CDB90 database (``benchmarks/calibration.py``):

* Per-man effectiveness is a product of multipliers -- quality, the defender's posture
  and terrain, surprise, leadership, training and morale -- times a hidden per-battle
  "fortune" ``phi = exp(sigma_phi * z)`` for each side.  Fortune, not the casualty dice,
  is where most of the uncertainty of a battle comes from.
* Each tick of ``dt`` hours each side loses ``Poisson(k * dt * e_opp * N_opp**W *
  N_own**(1 - W))`` men, with ``k = k0 * (N_total / 10_000) ** -g_size`` (small actions
  are bloodier per hour).
* A side breaks when its losses, weighted by the power ratio against it, pass a random
  breakpoint, or when a hazard of collapse not caused by losses (outflanked, panic)
  fires; an annihilated side always breaks.  Nobody breaking by nightfall means the
  battle resumes next morning with probability ``p_continue``, else both disengage (a
  draw).
* The loser suffers a heavy-tailed pursuit loss, larger against cavalry.
* Commanders fall with a hazard proportional to their own side's losses and personal
  exposure; a fallen commander cuts his side's breakpoint by ``shock`` and takes his
  leadership with him.  A beaten commander still standing is lost in the rout with
  probability ``rho * pi`` (``pi`` the pursuit loss fraction), half of that chance
  killed and half captured: the data give no split, and both happened (Gamarra was
  killed at Ingavi, Tallard taken at Blenheim).

Determinism.  Every random number is a pure function of the battle's key and a fixed
draw index (:func:`game.rng.counter_bits`), so battle *b* gives the same result alone, in
any batch, at any position and whatever the chunking across threads.  Battles are fought
by a compiled kernel, one block of battles per call, each battle to its end.

The package follows the path of a battle: :mod:`~game.engine.combat.params` (the
model's numbers), :mod:`~game.engine.combat.inputs` (who fights whom),
:mod:`~game.engine.combat.effectiveness` (the known multipliers),
:mod:`~game.engine.combat.draws` (keyed dice), :mod:`~game.engine.combat.ticks` (the
fighting, the pursuit and the rout, compiled), :mod:`~game.engine.combat.resolution`
(blocks on threads, the result)
and :mod:`~game.engine.combat.odds` (many resolutions summed up for a preview).  The
names below are its public interface.
"""

from game.engine.combat.effectiveness import Modifier, effectiveness, modifiers
from game.engine.combat.inputs import MAX_MEN, BattleInput
from game.engine.combat.odds import Odds, Spread, odds, preview_keys
from game.engine.combat.params import CombatParams, combat_params
from game.engine.combat.resolution import BLOCK, BattleResult, default_workers, resolve

__all__ = [
    "BLOCK",
    "MAX_MEN",
    "BattleInput",
    "BattleResult",
    "CombatParams",
    "Modifier",
    "Odds",
    "Spread",
    "combat_params",
    "default_workers",
    "effectiveness",
    "modifiers",
    "odds",
    "preview_keys",
    "resolve",
]
