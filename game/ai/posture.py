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
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from game.ai.army_kernels import clip, maximum, minimum
from game.ai.features import Situation
from game.ai.operations import KEY_SHARE, URGENCY_TURNS, Operations, turns_left
from game.ai.tables import once
from game.engine import jit

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
    """Return the posture of ``sit.side`` from the balance of armies and the peace now.

    On the defensive when the enemy's main army stands on the side's own soil (its home
    land, or land it holds) within :data:`THREAT_MARCHES` of a seat the war is about
    and outnumbers the own main body (:data:`OUTMATCHED`), or with the capital lost.
    One kernel (:func:`_posture_kernel`), run by run.
    """
    armies = (ops.foe_main_at, ops.foe_main_men, ops.main_men)
    return posture_of(sit, _posture_kernel(armies, *posture_args(sit, outcome, winner)))


def posture_args(sit: Situation, outcome: I64, winner: I64) -> tuple[Any, ...]:
    """Return what :func:`_posture_kernel` reads after the armies (as the appraisal passes)."""
    scn = sit.scn
    home, seats, mutual_of = once(scn, f"ai_posture_{sit.side}", lambda: _seats(sit))
    return (
        sit.owner,
        (np.asarray(outcome, np.int64), np.asarray(winner, np.int64), turns_left(sit)),
        (home, seats, mutual_of, sit.st.fastest),
        (THREAT_MARCHES * scn.turn_days, int(scn.capital[sit.side]), sit.side, sit.enemy),
    )


def posture_of(sit: Situation, tables: tuple[B, B, B, B]) -> Posture:
    """Return the :class:`Posture` of :func:`_posture_kernel`'s tables."""
    home = once(sit.scn, f"ai_posture_{sit.side}", lambda: _seats(sit))[0]
    defend, mine, theirs, signing = tables
    return Posture(
        defend=defend,
        mine=mine,
        theirs=theirs,
        signing=signing,
        home=home,
        capital=int(sit.scn.capital[sit.side]),
    )


@jit.kernel
def _posture_kernel(armies, owner, peace, places, scal):
    """Return :func:`posture`'s ``[R]`` tables: defend, mine, theirs, signing."""
    foe_at, foe_men, main_men = armies
    outcome, winner, left = peace
    home, seats, mutual_of, fastest = places
    reach, cap, side, enemy = scal
    R, P = owner.shape
    defend = np.empty(R, np.bool_)
    mine = np.empty(R, np.bool_)
    theirs = np.empty(R, np.bool_)
    signing = np.empty(R, np.bool_)
    for r in range(R):
        at = max(foe_at[r], 0)
        close = False
        for q in range(P):
            if seats[q] and fastest[at, q] <= reach:
                close = True
        # ... by an enemy army standing on the side's own soil (not massed on its own).
        inside = home[at] or owner[r, at] == side
        near = foe_at[r] >= 0 and inside and close
        outmatched = foe_men[r] > OUTMATCHED * maximum(main_men[r], 1.0)
        defend[r] = (near and outmatched) or owner[r, cap] != side
        mutual = mutual_of[outcome[r]]
        mine[r] = winner[r] == side or mutual
        theirs[r] = winner[r] == enemy or mutual
        signing[r] = left[r] <= SIGNING_TURNS
    return defend, mine, theirs, signing


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


def _base(sit: Situation) -> F64:
    """Return ``[P]``: each province's swing in the margin plus its war aims' worth.

    What the aims' objectives add is half of the province's value, or of the mean value
    if more; the sum is the first term of :func:`stakes`, the same all war.
    """
    value = np.asarray(sit.scn.value)
    aims = np.asarray(sit.scn.objectives[sit.side]) * 0.5 * np.maximum(value, value.mean())
    base = np.ascontiguousarray(sit.st.swing[sit.side] + aims)
    base.setflags(write=False)
    return base  # type: ignore[no-any-return]


def stakes(sit: Situation, objective: float, pos: Posture) -> F64:
    """Return ``[R, P]``: what holding each province is worth to the side now, in points.

    Its swing in the victory-point margin and its share of the war aims' objectives, as
    ever; and what the named outcomes make of it given who holds what: full worth toward
    the side's own gain while it holds none (a province it holds keeps it: the gain rests
    on it), :data:`SPARE_GAIN` of it once it holds one; of the enemy's outcomes,
    :data:`DENY` to keep the enemy from a gain (rising to :data:`RECOVER` over the last
    turns before the earliest signing, when a band walking in would decide the peace),
    :data:`RECOVER` to win back own land the enemy's standing gain rests on.  One kernel
    (:func:`_stakes_kernel`).
    """
    left, places, scal = stakes_args(sit, objective)
    return _stakes_kernel(sit.owner, (pos.mine, pos.theirs, left), places, scal)  # type: ignore[no-any-return]


def stakes_args(sit: Situation, objective: float) -> tuple[Any, ...]:
    """Return what :func:`_stakes_kernel` reads besides who holds what and the peace now.

    The turns left, the places' worths and the scalars (as the appraisal passes them).
    """
    st = sit.st
    return (
        turns_left(sit),
        (
            once(sit.scn, f"ai_stake_base_{sit.side}", lambda: _base(sit)),
            st.key[sit.side],
            st.key[sit.enemy],
        ),
        (sit.side, sit.enemy, float(objective)),
    )


@jit.kernel
def _stakes_kernel(owner, peace, places, scal):
    """Return :func:`stakes`, place by place, in numpy's order of operations."""
    mine, theirs, left = peace
    base, key_own, key_foe = places
    side, enemy, objective = scal
    R, P = owner.shape
    out = np.empty((R, P))
    for r in range(R):
        # As the signing nears, what the enemy could take from the side's land at the
        # last moment weighs as much as what it already holds.
        signing = clip(1.0 - left[r] / URGENCY_TURNS, 0.0, 1.0)
        for p in range(P):
            own = 1.0 if owner[r, p] == side or not mine[r] else SPARE_GAIN
            held = owner[r, p] == enemy and theirs[r]
            deny = RECOVER if held else DENY + (RECOVER - DENY) * signing
            out[r, p] = objective * (base[p] + own * key_own[p] + deny * key_foe[p])
    return out


def men_needed(sit: Situation, need: F64) -> F64:
    """Return ``[R, P]``: men the side must keep in each province for the peace it wants.

    ``need`` (``[P]``) is what its winning outcomes ask there (infinity where nothing).
    Within :data:`SIGNING_TURNS` of the earliest signing, every enemy home province it
    holds needs the rules' ``control_men`` too: a town its occupier has marched out of
    goes back to its own people at the peace.  One kernel (:func:`_men_needed_kernel`).
    """
    return _men_needed_kernel(*needed_args(sit, need))  # type: ignore[no-any-return]


def needed_args(sit: Situation, need: F64) -> tuple[Any, ...]:
    """Return what :func:`_men_needed_kernel` reads (as the appraisal passes it)."""
    scn = sit.scn
    return (
        sit.owner,
        turns_left(sit),
        np.ascontiguousarray(need, np.float64),
        np.asarray(scn.home[sit.enemy], np.bool_),
        (sit.side, float(max(scn.rules.control_men, 1))),
    )


@jit.kernel
def _men_needed_kernel(owner, left, need, enemy_home, scal):
    """Return :func:`men_needed`, place by place."""
    side, control = scal
    R, P = owner.shape
    out = np.empty((R, P))
    for r in range(R):
        soon = left[r] <= SIGNING_TURNS
        for p in range(P):
            held = owner[r, p] == side and enemy_home[p]
            out[r, p] = minimum(need[p], control) if held and soon else need[p]
    return out
