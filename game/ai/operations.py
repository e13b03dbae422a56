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
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from game.ai import army_kernels
from game.ai.clearing import mean_enemy_eff
from game.ai.features import Group, Situation, is_irregular
from game.ai.tables import once
from game.engine.sums import plan_code

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
            :func:`operations`, :func:`before_relief`).
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
    """Return the operational picture of ``sit.side`` (``foe``: the seen enemies by place).

    One kernel (:func:`game.ai.army_kernels.picture`) over the runs, in the order of
    operations of the numpy formulas it replaced: the enemy's mass by place and its main
    army, the own main body and men in the field, and

    * **the sphere** (``sphere``): land is held in the end by the army that can come
      to it: a place the own main body reaches sooner than the enemy's, or with more
      men, is likely kept; one the enemy's main army reaches first, with more men, is
      lost again when it comes.  A logistic in the turns' head start (at most six),
      plus :data:`SPHERE_MEN` per unit of the log of the ratio of the two armies; where
      either army is unknown it is taken as even.  What the enemy cannot reach before
      the treaty is signed is kept whoever is stronger, and the places the side's own
      winning outcomes or war aims name are worth taking whoever comes after (the war
      is won by holding them);
    * **the power before relief** (``relief_foe``): a column that takes a town alone
      keeps it only until the enemy's nearest force comes, unless the own main body
      comes first.  Counted is the enemy's fighting power, seen or believed, standing
      in one province (as the clearing pass reads it,
      :func:`game.ai.clearing.enemy_power`) whose fastest march to the place is no
      longer than the own main body's, nor than :data:`RELIEF_MARCHES` or the turns
      before the war can end (:func:`before_relief`).  The movement pass weighs a
      conquest's worth by the chance the men who take it beat that force
      (:func:`game.ai.march_values.march_score`);
    * **the urgency**: 0 while the war has long to run or would end as the side wants,
      rising to 1 over the last :data:`URGENCY_TURNS` before the treaty (with talks
      open) or the scenario's last turn;
    * the commander leading the enemy's largest seen force where its main army is.
    """
    return picture_of(
        sit,
        army_kernels.picture(np.ascontiguousarray(foe.men, np.float64), *picture_args(sit, winner)),
        commander_safety,
    )


def picture_args(sit: Situation, winner: I64) -> tuple[Any, ...]:
    """Return what :func:`game.ai.army_kernels.picture` reads after the seen enemies' men.

    The side's forces, the presumed enemies, the places, the order of the places and
    the war's clock, the scalars and constants: :func:`operations` and the appraisal's
    one kernel (:func:`game.ai.appraisal.appraise`) pass the same.
    """
    scn, obs = sit.scn, sit.obs
    regular, _, aim = once(scn, f"ai_operations_{sit.side}", lambda: _tables(sit))
    return (
        _forces(sit, regular),
        (sit.ghost_at, sit.ghost_men),
        (sit.owner, sit.watched, aim, sit.st.fastest),
        (*_near(sit), turns_left(sit), np.asarray(winner, np.int64), obs.talks),
        _scalars(sit, RELIEF_MARCHES),
        (DECISIVE_SHARE, SPHERE_MEN, URGENCY_TURNS, float(HOLD_TURNS)),
        (plan_code(scn.P), plan_code(scn.F)),
    )


def picture_of(sit: Situation, tables: tuple[Any, ...], commander_safety: float) -> Operations:
    """Return the :class:`Operations` of :func:`game.ai.army_kernels.picture`'s tables."""
    regular, key, _ = once(sit.scn, f"ai_operations_{sit.side}", lambda: _tables(sit))
    mass, foe_field, armies, field, decisive, chief, sphere, relief_foe, urgency, hold = tables
    foe_at, foe_men, leader, main_at, main_men = armies
    return Operations(
        regular=regular,
        field=field,
        foe_mass=mass,
        foe_field=foe_field,
        foe_main_at=foe_at,
        foe_main_men=foe_men,
        foe_main_leader=leader,
        decisive=decisive,
        key=key,
        chief=chief,
        main_at=main_at,
        main_men=main_men,
        sphere=sphere,
        hold_turns=hold,
        relief_foe=relief_foe,
        urgency=urgency,
        chief_care=0.5 + 0.5 * float(commander_safety),
    )


def _tables(sit: Situation) -> tuple[B, B, B]:
    """Return the side's regular slots, the key places and its aims: the same all war.

    ``[F]``, ``[P]`` (:func:`_key`) and ``[P]``: the places its own winning outcomes
    name or its war aims' objectives, which the sphere counts as kept.
    """
    regular = sit.own & ~is_irregular(sit.scn)
    aim = (sit.st.key[sit.side] > 0) | np.asarray(sit.scn.objectives[sit.side], bool)
    out = (regular, _key(sit), np.ascontiguousarray(aim))
    for a in out:
        a.setflags(write=False)
    return out


def _forces(sit: Situation, regular: B) -> tuple[npt.NDArray[Any], ...]:
    """Return the per-force tables :func:`game.ai.army_kernels.picture` reads."""
    return (
        sit.own,
        sit.able,
        regular,
        sit.men,
        sit.eff,
        sit.here,
        sit.head,
        sit.enemy_seen,
        sit.commander,
        sit.foe_at,
    )


def _near(sit: Situation) -> tuple[I64, F64, I64]:
    """Return :func:`game.ai.army_kernels.near_order` of the scenario, once."""
    return once(sit.scn, "ai_near_order", lambda: army_kernels.near_order(sit.st.fastest))  # type: ignore[no-any-return]


def _scalars(sit: Situation, marches: float) -> tuple[float | int, ...]:
    """Return the scalars :func:`game.ai.army_kernels.picture` reads."""
    scn = sit.scn
    mean_eff = mean_enemy_eff(sit)
    return (
        float(scn.turn_days),
        sit.enemy,
        sit.side,
        mean_eff,
        float(scn.rules.control_men) * mean_eff,
        int(scn.talks.turns),
        int(scn.n_turns),
        int(sit.obs.turn),
        float(marches),
    )


def before_relief(
    sit: Situation, own_at: I64, marches: float, *, seen: bool = False
) -> tuple[F64, I64]:
    """Return ``[R, P]``: the largest enemy power that can come to each place before relief.

    As ``Operations.relief_foe`` (see :func:`operations`), within ``marches`` (or the turns before the war can end); with
    it, the province that power comes from (-1: none).  With ``seen``, only the enemy
    forces seen (not those presumed where they were last seen, nor a town's presumed
    holders).  One kernel (:func:`game.ai.army_kernels.relief`).
    """
    return army_kernels.relief(  # type: ignore[no-any-return]
        _near(sit),
        sit.st.fastest,
        np.asarray(own_at, np.int64),
        turns_left(sit),
        _forces(sit, sit.own),
        (sit.ghost_at, sit.ghost_men),
        (sit.owner, sit.watched),
        _scalars(sit, marches),
        not seen,
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


def chief_odds(care: float) -> float:
    """Return the least chance of winning a battle with a head of state in it must have.

    ``care`` is :attr:`Operations.chief_care`.
    """
    return min(max(CHIEF_ODDS + 0.1 * (care - 1.0), 0.5), 0.9)  # numpy's clip of a float
