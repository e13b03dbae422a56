"""A side's strategic posture, and what the peace makes each province worth now.

Two readings of the war a general of the 1840s made before giving any order:

* **Posture.**  A side whose main body is outmatched by the enemy's main army standing
  on its own soil within a march of its capital (or of own land the enemy's winning
  outcomes turn on), or that has lost its capital, goes on the **defensive**: it
  concentrates, covers its own land, and sends no column off to take the enemy's towns
  (a column far from an army that can no longer come to it is lost, and the capital
  with it).  Otherwise the main body seeks the decisive battle where the odds are good
  (:func:`game.ai.movement.seek_battle`), and the detachments do what they are worth.
* **The peace's stakes.**  A war ends with a treaty that judges who holds what at the
  signing (:func:`game.engine.phases.peace.name_outcome`): a side wins if it holds a
  gain its winning outcomes name and the enemy none; when both hold a gain, the peace
  is an exchange, not a victory.  So one more enemy town is worth little to a side
  that already holds a gain, while its own land the enemy holds is worth winning back
  in full: that is what stands between it and victory (or between defeat and a draw).

Nothing here names a place or a side: capitals, home lands and outcomes come from the
scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.features import Situation
from game.ai.operations import KEY_SHARE, URGENCY_TURNS, Operations, turns_left
from game.ai.tables import once

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

THREAT_MARCHES: Final = 1.0
"""Marches within which the enemy's main army threatens the capital, or own land the
enemy's winning outcomes turn on (the seat of power the war is about)."""
OUTMATCHED: Final = 1.0
"""Ratio of the enemy's main army to the own main body above which a threatened side
stands on the defensive."""
SPARE_GAIN: Final = 0.25
"""Share of its named worth an enemy province not yet held keeps for a side that already
holds a gain: one more town does not change the peace, but may replace one lost."""
DENY: Final = 0.5
"""Share of the worth the enemy's outcomes give a province of the side's own that it
puts on keeping it (the enemy holds no gain yet)."""
SIGNING_TURNS: Final = 3.0
"""Turns before the earliest signing from which a side keeps men in every enemy town it
holds: the peace counts an enemy town as held only with men standing in it."""
RECOVER: Final = 1.0
"""The same for own land the enemy holds while the enemy's gain stands: winning it back
turns the peace."""


@dataclass(frozen=True)
class Posture:
    """One side's posture this turn, per run.

    Attributes:
        defend: ``[R]`` on the defensive (see the module's doc).
        mine, theirs: ``[R]`` a treaty signed now would give the side (the enemy) a gain.
        signing: ``[R]`` within :data:`SIGNING_TURNS` of the earliest signing.
        home: ``[P]`` the side's own home land.
        capital: The side's capital.
    """

    defend: B
    mine: B
    theirs: B
    signing: B
    home: B
    capital: int


def posture(sit: Situation, ops: Operations, outcome: I64, winner: I64) -> Posture:
    """Return the posture of ``sit.side`` from the balance of armies and the peace now."""
    scn = sit.scn
    cap = int(scn.capital[sit.side])
    home, seats, mutual_of = once(scn, f"ai_posture_{sit.side}", lambda: _seats(sit))
    fastest = sit.st.fastest  # [P, P] days at the fastest pace
    foe_at = np.maximum(ops.foe_main_at, 0)
    close = fastest[foe_at][:, seats] <= THREAT_MARCHES * scn.turn_days  # [R, seats]
    # ... by an enemy army standing on the side's own soil (not massed on its own).
    inside = home[foe_at] | (sit.owner[np.arange(sit.runs), foe_at] == sit.side)
    near = (ops.foe_main_at >= 0) & inside & close.any(axis=1)
    outmatched = ops.foe_main_men > OUTMATCHED * np.maximum(ops.main_men, 1.0)
    lost_capital = sit.owner[:, cap] != sit.side
    defend = (near & outmatched) | lost_capital
    mutual = mutual_of[outcome]
    return Posture(
        defend=defend,
        mine=(winner == sit.side) | mutual,
        theirs=(winner == sit.enemy) | mutual,
        signing=turns_left(sit) <= SIGNING_TURNS,
        home=home,
        capital=cap,
    )


def _seats(sit: Situation) -> tuple[B, B, B]:
    """Return the side's home land, the seats the war is about, and the mutual outcomes.

    ``[P]``, ``[P]`` and ``[outcomes]``: the same all war.
    """
    scn = sit.scn
    home = np.asarray(scn.home[sit.side], bool)
    # The seats the war is about: the capital, and own land the enemy's outcomes need.
    seats = home & (sit.st.key[sit.enemy] >= KEY_SHARE * max(sit.st.win_margin, 1.0))
    seats[int(scn.capital[sit.side])] = True
    mutual = np.array([o.mutual for o in scn.outcomes], bool)
    for a in (seats, mutual):  # the home land is read as the scenario holds it
        a.setflags(write=False)
    return home, seats, mutual


def _aims(sit: Situation) -> F64:
    """Return ``[P]``: what the war aims' objectives add to each province's worth."""
    value = np.asarray(sit.scn.value)
    aims = np.asarray(sit.scn.objectives[sit.side]) * 0.5 * np.maximum(value, value.mean())
    aims.setflags(write=False)
    return aims  # type: ignore[no-any-return]


def stakes(sit: Situation, objective: float, pos: Posture) -> F64:
    """Return ``[R, P]``: what holding each province is worth to the side now, in points.

    Its swing in the victory-point margin and its share of the war aims' objectives, as
    ever; and what the named outcomes make of it given who holds what: full worth toward
    the side's own gain while it holds none (a province it holds keeps it: the gain rests
    on it), :data:`SPARE_GAIN` of it once it holds one; of the enemy's outcomes,
    :data:`DENY` to keep the enemy from a gain (rising to :data:`RECOVER` over the last
    turns before the earliest signing, when a band walking in would decide the peace),
    :data:`RECOVER` to win back own land the enemy's standing gain rests on.
    """
    scn, st = sit.scn, sit.st
    aims = once(scn, f"ai_aims_{sit.side}", lambda: _aims(sit))
    held = sit.owner == sit.side
    foe_held = sit.owner == sit.enemy
    own = np.where(held | ~pos.mine[:, None], 1.0, SPARE_GAIN)
    # As the signing nears, what the enemy could take from the side's land at the last
    # moment weighs as much as what it already holds.
    signing = np.clip(1.0 - turns_left(sit) / URGENCY_TURNS, 0.0, 1.0)[:, None]
    deny = np.where(foe_held & pos.theirs[:, None], RECOVER, DENY + (RECOVER - DENY) * signing)
    worth = st.swing[sit.side] + aims + own * st.key[sit.side] + deny * st.key[sit.enemy]
    return objective * worth


def men_needed(sit: Situation, need: F64) -> F64:
    """Return ``[R, P]``: men the side must keep in each province for the peace it wants.

    ``need`` (``[P]``) is what its winning outcomes ask there (infinity where nothing).
    Within :data:`SIGNING_TURNS` of the earliest signing, every enemy home province it
    holds needs the rules' ``control_men`` too: a town its occupier has marched out of
    goes back to its own people at the peace.
    """
    scn = sit.scn
    enemy_home = np.asarray(scn.home[sit.enemy], bool)
    held = (sit.owner == sit.side) & enemy_home[None, :]
    soon = turns_left(sit) <= SIGNING_TURNS
    control = float(max(scn.rules.control_men, 1))
    return np.where(held & soon[:, None], np.minimum(need, control), need)
