"""Per-man effectiveness: the multipliers a player can know before the battle.

Quality, the defender's posture and terrain, surprise, leadership, training and morale
multiply each side's fighting value per man; the resolver adds a hidden fortune that
nobody sees.  :func:`modifiers` lists them for the odds panel and ``ingavi battle``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from game import libm
from game.engine.combat.inputs import BattleInput
from game.engine.combat.params import CombatParams

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Modifier:
    """One multiplier on per-man effectiveness, for the odds panel.

    Attributes:
        name: What it is ("posture", "terrain", ...).
        attacker: Multiplier on the attacker's effectiveness.
        defender: Multiplier on the defender's effectiveness.
        note: A short human explanation of where the numbers come from.
    """

    name: str
    attacker: float
    defender: float
    note: str


def _multipliers(inp: BattleInput, p: CombatParams) -> dict[str, tuple[F64, F64]]:
    """Return each named multiplier on (attacker, defender) per-man effectiveness."""
    one = np.ones(len(inp))
    half_s = 0.5 * p.theta_surprise * np.asarray(inp.surprise, dtype=np.float64)
    posture = np.asarray(p.posture, dtype=np.float64)[np.asarray(inp.posture, dtype=np.intp)]
    return {
        "quality": (np.asarray(inp.att_quality, float), np.asarray(inp.def_quality, float)),
        "posture": (one, posture),
        "terrain": (one, np.asarray(inp.terrain, float)),
        "surprise": (libm.exp(half_s), libm.exp(-half_s)),
        "leadership": (
            libm.exp(p.theta_leadership * np.asarray(inp.att_leadership, float)),
            libm.exp(p.theta_leadership * np.asarray(inp.def_leadership, float)),
        ),
        "training": (
            libm.exp(p.theta_training * np.asarray(inp.att_training, float)),
            libm.exp(p.theta_training * np.asarray(inp.def_training, float)),
        ),
        "morale": (
            libm.exp(p.theta_morale * np.asarray(inp.att_morale, float)),
            libm.exp(p.theta_morale * np.asarray(inp.def_morale, float)),
        ),
    }


def log_effectiveness(inp: BattleInput, p: CombatParams) -> F64:
    """Return ln of per-man effectiveness before fortune, shape (2, n): attacker first.

    The sum of the logarithms of :func:`_multipliers`, computed directly: the resolver
    needs the logarithm anyway, and it costs three logarithms instead of ten powers.
    """
    half_s = (0.5 * p.theta_surprise) * np.asarray(inp.surprise, dtype=np.float64)
    log_posture = libm.log(np.asarray(p.posture, dtype=np.float64))
    out = np.empty((2, len(inp)))
    for row, side, sign in ((0, "att", 1.0), (1, "def", -1.0)):
        acc = libm.log(np.asarray(getattr(inp, f"{side}_quality"), dtype=np.float64))
        for theta, rating in (
            (p.theta_leadership, "leadership"),
            (p.theta_training, "training"),
            (p.theta_morale, "morale"),
        ):
            acc += theta * np.asarray(getattr(inp, f"{side}_{rating}"), dtype=np.float64)
        acc += sign * half_s
        out[row] = acc
    out[1] += log_posture[np.asarray(inp.posture, dtype=np.intp)]
    out[1] += libm.log(np.asarray(inp.terrain, dtype=np.float64))
    return out


def effectiveness(inp: BattleInput, params: CombatParams) -> tuple[F64, F64]:
    """Return per-man effectiveness ``(e_att, e_def)`` before the hidden fortune.

    This is what a player or an AI can know before the battle: the product of every
    multiplier that :func:`modifiers` lists.  The resolver multiplies each by a random
    fortune ``exp(sigma_phi * z)`` that nobody sees.
    """
    e = libm.exp(log_effectiveness(inp, params))
    return e[0], e[1]


_NOTES: Final = {
    "quality": "troop quality: arms, drill, arm of service and cohesion",
    "posture": "defender's readiness: meeting {0:g}, hasty {1:g}, prepared {2:g}, fortified {3:g}",
    "terrain": "defender's ground (1 open, 1.1 broken, 1.2 heights; x1.2 behind a river)",
    "surprise": "surprise splits exp({s:g} x level) between the sides",
    "leadership": "leading commander's rating: exp({t:g} per step)",
    "training": "training: exp({t:g} per step)",
    "morale": "morale: exp({t:g} per step)",
}


def modifiers(inp: BattleInput, params: CombatParams, index: int = 0) -> list[Modifier]:
    """Return every multiplier on per-man effectiveness of one battle, for the odds panel.

    Args:
        inp: The battles (usually just one).
        params: Combat parameters.
        index: Which battle of ``inp`` to describe.

    Returns:
        One :class:`Modifier` per factor, in the order quality, posture, terrain,
        surprise, leadership, training, morale; their product is :func:`effectiveness`.
    """
    one = inp.take(np.array([index]))
    thetas = {
        "leadership": params.theta_leadership,
        "training": params.theta_training,
        "morale": params.theta_morale,
    }
    out: list[Modifier] = []
    for name, (att, dfd) in _multipliers(one, params).items():
        note = _NOTES[name].format(*params.posture, s=params.theta_surprise, t=thetas.get(name, 0))
        out.append(Modifier(name, float(att[0]), float(dfd[0]), note))
    return out
