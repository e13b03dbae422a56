"""The operational picture: the main armies, and what a battle would decide.

Generals of the 1840s thought in armies, not in provinces: where is the enemy's main
army, where is one's own, and is a battle worth the men and the commander it risks?  This
module reads that picture from the situation, once a turn, for every run:

* the enemy's **main army** is the largest mass of enemy men seen in one province, or
  believed to be there (unseen forces presumed at their likeliest place);
* a battle is **decisive** when it is fought against at least :data:`DECISIVE_SHARE` of
  the enemy's men in the field (the battle that decides a campaign), or for a province
  the scenario's named outcomes turn on (the battle that decides the peace);
* the **key** provinces are those the scenario's named outcomes turn on;
* own **regular** forces (not irregulars) are those that should keep together; the
  **chiefs** are own forces led by a head of state, kept out of any battle that does not
  decide the war.

The passes use it: strikes by chiefs only where decisive, forces concentrating on the
main body (:mod:`game.ai.movement`), explanations naming the enemy army and its distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from game import libm
from game.ai import army_kernels
from game.ai.clearing import enemy_power
from game.ai.features import Group, Situation, is_irregular
from game.codes import NONE

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

DECISIVE_SHARE: Final = 0.4
"""Share of the enemy's men in the field a battle must be fought against to decide the
campaign."""


KEY_SHARE: Final = 0.5
"""Share of the winning margin a province's named outcomes must make it worth to be a
key province."""
CHIEF_ODDS: Final = 0.65
"""Least chance of winning of a battle a head of state rides into (at ``chief_care`` 1;
0.1 less or more per unit below or above): the decisive battle, on good terms."""
URGENCY_TURNS: Final = 10.0
"""Turns before the war's end (the treaty, or the scenario's last turn) from which a
side whose war aims are not met grows more willing to fight: a war slipping away
justifies battles that a war with time to run does not."""
HOLD_TURNS: Final = 1
"""Turns a conquest must be kept to be worth taking: land taken only to be lost again at
once is not worth taking (victory points count when the treaty is signed)."""
SPHERE_MEN: Final = 2.0
"""Turns of head start worth one unit of the log ratio of the two main armies' men."""
RELIEF_MARCHES: Final = 2.0
"""Marches within which the enemy's nearest force is expected to come at a conquest
before the own main body relieves it: the reach within which the main body already
weighs the danger of the enemy's army (:func:`game.ai.movement.army_peril`), not a new
horizon."""


@dataclass(frozen=True)
class Operations:
    """One side's operational picture this turn, per run.

    Attributes:
        regular: ``[F]`` own slots that fight in line (not irregulars).
        field: ``[R]`` own men able to take orders.
        foe_mass: ``[R, P]`` enemy men seen standing in each province, or believed there.
        foe_field: ``[R]`` enemy men seen or presumed in the field.
        foe_main_at: ``[R]`` where the enemy's main army is, or believed to be (-1: none).
        foe_main_men: ``[R]`` its men.
        foe_main_leader: ``[R]`` the commander leading its largest seen force (-1: none
            seen).
        decisive: ``[R, P]`` a battle there would decide the war: it is fought against
            the enemy's main army, or for a province the scenario's outcomes turn on
            (worth :data:`KEY_SHARE` of the winning margin to either side).
        chief: ``[R, F]`` own forces led by a head of state.
        main_at: ``[R]`` where the own main body stands (the most own regular men).
        main_men: ``[R]`` its men.
        sphere: ``[R, P]`` the chance that a place is kept for the rest of the war once
            taken: whose main army can get there first, and how the two compare.
        urgency: ``[R]`` how pressing it is to act: 0 while the war has long to run or
            would end as the side wants, rising to 1 as the end nears
            (:data:`URGENCY_TURNS`) with the treaty naming another winner or none.
        chief_care: How much the side guards its head of state: the personality's
            ``commander_safety`` halfway to 1 (a careless personality shapes it, and
            does not break it).
        hold_turns: ``[R]`` turns a conquest must be kept against what can come at it
            (:data:`HOLD_TURNS`, fewer when the war can end sooner).
        relief_foe: ``[R, P]`` enemy men, seen or believed, that can come to each place
            before the own main body can (or, if sooner, before the war can end): what
            a band that takes the place must beat alone to keep it (see
            :func:`_relief_foe`).
    """

    regular: B
    field: F64
    foe_mass: F64
    foe_field: F64
    foe_main_at: I64
    foe_main_men: F64
    foe_main_leader: I64
    decisive: B
    key: B
    chief: B
    main_at: I64
    main_men: F64
    sphere: F64
    hold_turns: F64
    relief_foe: F64
    urgency: F64
    chief_care: float


def operations(
    sit: Situation, foe: Group, winner: I64, commander_safety: float = 1.0
) -> Operations:
    """Return the operational picture of ``sit.side`` (``foe``: the seen enemies by place)."""
    scn = sit.scn
    R, P = sit.runs, scn.P
    own = sit.own[None, :] & sit.able
    ghost = np.zeros((R, P))
    r, f = np.nonzero(sit.ghost_at >= 0)
    np.add.at(ghost, (r, sit.ghost_at[r, f]), sit.ghost_men[r, f])
    mass = foe.men + ghost
    main_at = np.argmax(mass, axis=1)
    main_men = mass[np.arange(R), main_at]
    foe_field = mass.sum(axis=1)
    decisive = (mass > 0) & (mass >= DECISIVE_SHARE * foe_field[:, None])
    regular = sit.own & ~is_irregular(scn)
    ours = np.zeros((R, P))
    r, f = np.nonzero(own & regular[None, :])
    np.add.at(ours, (r, sit.here[r, f]), sit.men[r, f])
    own_at = np.argmax(ours, axis=1)
    own_men = ours[np.arange(R), own_at]
    foe_at = np.where(main_men > 0, main_at, NONE)
    return Operations(
        regular=regular,
        field=np.where(own, sit.men, 0.0).sum(axis=1),
        foe_mass=mass,
        foe_field=foe_field,
        foe_main_at=foe_at,
        foe_main_men=main_men,
        foe_main_leader=_leader_at(sit, main_at),
        decisive=decisive,
        key=_key(sit),
        chief=sit.head & own,
        main_at=np.where(own_men > 0, own_at, NONE),
        main_men=own_men,
        sphere=_sphere(sit, own_at, own_men, foe_at, main_men),
        hold_turns=np.clip(turns_left(sit), 1.0, HOLD_TURNS),
        relief_foe=_relief_foe(sit, np.where(own_men > 0, own_at, NONE)),
        urgency=_urgency(sit, winner),
        chief_care=0.5 + 0.5 * float(commander_safety),
    )


def _sphere(sit: Situation, own_at: I64, own_men: F64, foe_at: I64, foe_men: F64) -> F64:
    """Return ``[R, P]``: the chance each place, once taken, is kept to the end of the war.

    Land is held in the end by the army that can come to it: a place the own main body
    reaches sooner than the enemy's, or with more men, is likely kept; one the enemy's
    main army reaches first, with more men, is lost again when it comes.  A logistic
    in the turns' head start, plus :data:`SPHERE_MEN` per unit of the log of the ratio
    of the two armies.  Where either army is unknown it is taken as even.  The places
    the side's own winning outcomes name are worth taking whoever comes after: the war
    is won by holding them, and an army that gave them up to the enemy's sphere would
    never win it.
    """
    T = float(sit.scn.turn_days)
    fastest = sit.st.fastest  # [P, P] days at the fastest pace
    mine = fastest[np.maximum(own_at, 0)] / T  # [R, P] marches from the own main body
    theirs = fastest[np.maximum(foe_at, 0)] / T
    known = (own_men > 0) & (foe_men > 0)
    lead = np.where(known[:, None], np.minimum(theirs - mine, 6.0), 0.0)
    ratio = libm.log(np.maximum(own_men, 1.0) / np.maximum(foe_men, 1.0))
    z = lead + SPHERE_MEN * np.where(known, ratio, 0.0)[:, None]
    # What the enemy cannot reach before the treaty is signed is kept whoever is stronger.
    late = theirs > turns_left(sit)[:, None]
    # Named by the side's own winning outcomes, or among its war aims' objectives.
    aim = (sit.st.key[sit.side] > 0) | np.asarray(sit.scn.objectives[sit.side], bool)
    return np.where(late | aim[None, :], 1.0, 1.0 / (1.0 + libm.exp(-z)))


def _relief_foe(sit: Situation, own_at: I64) -> F64:
    """Return ``[R, P]``: the largest enemy force that can come to each place before relief.

    A column that takes a town alone keeps it only until the enemy's nearest force comes,
    unless the own main body (at ``own_at``) comes first.  Counted is the enemy's
    fighting power, seen or believed, standing in one province (as the clearing pass
    reads it, :func:`game.ai.clearing.enemy_power`) whose fastest march to the place is
    no longer than the own main body's, nor than :data:`RELIEF_MARCHES` or the turns
    before the war can end.  The movement pass weighs a conquest's worth by
    the chance the men who take it beat that force
    (:func:`game.ai.march_values.march_scores`).
    """
    return before_relief(sit, own_at, RELIEF_MARCHES)[0]


def before_relief(
    sit: Situation, own_at: I64, marches: float, *, seen: bool = False
) -> tuple[F64, I64]:
    """Return ``[R, P]``: the largest enemy power that can come to each place before relief.

    As :func:`_relief_foe`, within ``marches`` (or the turns before the war can end); with
    it, the province that power comes from (-1: none).  With ``seen``, only the enemy
    forces seen (not those presumed where they were last seen, nor a town's presumed
    holders).
    """
    T = float(sit.scn.turn_days)
    fastest = sit.st.fastest  # [P, P] days at the fastest pace
    end = np.minimum(turns_left(sit), marches)[:, None] * T
    relief = np.where((own_at >= 0)[:, None], fastest[np.maximum(own_at, 0)], np.inf)
    relief = np.minimum(relief, end)  # [R, P]
    if seen:
        mass = np.einsum("rfp,rf->rp", sit.foe_at, sit.men * sit.eff)
    else:
        mass = enemy_power(sit)
    return army_kernels.strongest_before(  # type: ignore[no-any-return]
        np.ascontiguousarray(fastest, np.float64),
        np.ascontiguousarray(relief, np.float64),
        np.ascontiguousarray(mass, np.float64),
    )


def own_ground(sit: Situation) -> B:
    """Return ``[F, P]``: where each own force may be sent: montoneros on their own ground.

    Montoneros are the people of a country risen against the invader: they ambush his
    columns and garrisons on their own soil, and do not roam the enemy's country for
    its towns (a band of villagers far from home is neither fed, nor guided, nor hidden
    by anyone, and is soon caught).  Their ground is the side's home land and the places
    its war aims name (its objectives, and the places its winning outcomes turn on),
    where a band may still be sent to take or keep what the peace is about.  Regular
    forces may go anywhere; a side without home land is not held to it.
    """
    scn = sit.scn
    home = np.asarray(scn.home[sit.side], bool)
    if not home.any():
        return np.ones((scn.F, scn.P), bool)
    aims = (sit.st.key[sit.side] > 0) | np.asarray(scn.objectives[sit.side], bool)
    return ~is_irregular(scn)[:, None] | (home | aims)[None, :]


def _urgency(sit: Situation, winner: I64) -> F64:
    """Return ``[R]``: how pressing it is to act before the war ends (see Operations)."""
    scn, obs = sit.scn, sit.obs
    left = np.where(obs.talks >= 0, scn.talks.turns - obs.talks, scn.n_turns - obs.turn)
    near = np.clip(1.0 - left / URGENCY_TURNS, 0.0, 1.0)
    return np.where(winner != sit.side, near, 0.0)


def turns_left(sit: Situation) -> F64:
    """Return ``[R]``: the fewest turns before the war can end (the treaty or the last turn).

    With talks open, the turns of talking still to come; otherwise the talks that would
    have to open first, or the turns to the scenario's end if fewer
    (:attr:`Situation.turns_left <game.ai.features.Situation.turns_left>`, worked out
    once a turn).
    """
    return sit.turns_left


def _key(sit: Situation) -> B:
    """Return ``[P]``: the provinces the scenario's named outcomes turn on."""
    st = sit.st
    worth = np.maximum(st.key[sit.side], st.key[sit.enemy])
    return worth >= KEY_SHARE * max(st.win_margin, 1.0)


def _leader_at(sit: Situation, places: I64) -> I64:
    """Return ``[R]``: the commander of the largest seen enemy force at each run's place."""
    here = sit.enemy_seen & (sit.here == places[:, None]) & (sit.commander >= 0)
    best = np.argmax(np.where(here, sit.men, -1.0), axis=1)
    rows = np.arange(sit.runs)
    return np.where(here[rows, best], sit.commander[rows, best], NONE).astype(np.int64)


def chief_odds(care: float) -> float:
    """Return the least chance of winning a battle with a head of state in it must have.

    ``care`` is :attr:`Operations.chief_care`.
    """
    return float(np.clip(CHIEF_ODDS + 0.1 * (care - 1.0), 0.5, 0.9))
