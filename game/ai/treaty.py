"""What the treaty turns on, read from the scenario: the talks' condition and the outcomes.

Once peace talks are open (or the scenario's end is as near as talks would take), a war
is decided by who stands where at the signing, not by the next battle.  This module reads
what that depends on, from the scenario alone:

* **The talks.**  A scenario may let the talks advance only while a condition holds
  (``victory.peace.negotiate_when``): a side's condition for negotiating, such as the
  enemy's evacuation of its towns.  :func:`talk_blockers` reads where enemy men keep it
  failing.
* **The outcome.**  The treaty names a winner from who holds what
  (:func:`game.engine.phases.peace.name_outcome`), and a side keeps a town of the other
  only with men in it.  :func:`gain_towns` are the side's own towns the enemy's winning
  outcomes name (enemy men standing in one at the signing win the enemy a gain);
  :func:`prizes` the enemy towns the side's own winning outcomes name.
* **When.**  :func:`talks_near` says whether the signing is near; :func:`usual_detachment`
  how strong a band of the enemy's usually is.

The passes that act on it: :mod:`game.ai.detachments` clears the enemy's detachments,
:mod:`game.ai.signing` keeps the army and garrisons where the outcome is decided.
Nothing here names a place or a side.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.features import Situation
from game.ai.tables import once
from game.scenario.compile import CompiledScenario
from game.scenario.schema import Condition

B = npt.NDArray[np.bool_]


def talk_blockers(scn: CompiledScenario, side: int) -> B:
    """Return ``[P]``: where enemy men keep the scenario's condition for negotiating failing.

    Read from ``victory.peace.negotiate_when``: the places of a ``forces_in`` test on the
    enemy's men, or of a ``controls``/``holds`` test on what the enemy holds, that must
    *not* hold (under an odd number of ``not``) for the talks to move.  Cached on the
    scenario.
    """
    cache = scn.extra.setdefault("ai_talk_blockers", {})
    if side in cache:
        return cache[side]  # type: ignore[no-any-return]
    out = np.zeros(scn.P, bool)
    enemy = 1 - side

    def walk(cond: Condition | None, negated: bool) -> None:
        if cond is None:
            return
        if cond.not_ is not None:
            walk(cond.not_, not negated)
        for sub in (cond.all or []) + (cond.any or []):
            walk(sub, negated)
        if cond.some_of is not None:
            for sub in cond.some_of.of:
                walk(sub, negated)
        if not negated:
            return
        if cond.forces_in is not None and scn.side_index[cond.forces_in.side] == enemy:
            out[[scn.province_index[p] for p in cond.forces_in.provinces]] = True
            if cond.forces_in.home_of is not None:
                out[np.asarray(scn.home[scn.side_index[cond.forces_in.home_of]], bool)] = True
        if cond.controls is not None and scn.side_index[cond.controls.side] == enemy:
            out[scn.province_index[cond.controls.province]] = True
        if cond.holds is not None and scn.side_index[cond.holds.side] == enemy:
            out[[scn.province_index[p] for p in cond.holds.provinces]] = True

    walk(scn.model.victory.peace.negotiate_when, False)
    cache[side] = out
    return out


def gain_towns(sit: Situation) -> B:
    """Return ``[P]``: the side's own home provinces the enemy's winning outcomes name.

    Enemy men standing in one at the signing win the enemy a gain: the treaty pass clears
    and guards them, and the look-ahead's plan of clearing aims at them.
    """
    return np.asarray(sit.scn.home[sit.side], bool) & (np.asarray(sit.st.key[sit.enemy]) > 0)


def prizes(sit: Situation) -> B:
    """Return ``[P]``: the enemy's home provinces the side's own winning outcomes name.

    Holding one with men at the signing wins the side a gain: its army keeps to the one
    it holds as the treaty nears, and it garrisons the others it holds.
    """
    home = np.asarray(sit.scn.home[sit.side], bool)
    return ~home & (np.asarray(sit.st.key[sit.side]) > 0)


def talks_near(sit: Situation) -> B:
    """Return ``[R]``: talks are open, or the scenario's end is as near as talks would take."""
    scn, obs = sit.scn, sit.obs
    return ((obs.talks >= 0) | (scn.n_turns - obs.turn <= scn.talks.turns + 1)) & ~obs.over


def usual_detachment(sit: Situation, *, power: bool = False) -> float:
    """Return the men of the enemy's usual detachment: the mean of its forces' in the scenario.

    With ``power``, their men times their worth in battle (quality, arm, training and
    morale), as :attr:`~game.ai.features.Situation.eff` weighs own men.  The same all
    war: worked out once per side.
    """
    return once(sit.scn, f"ai_usual_detachment_{sit.side}_{power}", lambda: _usual(sit, power))


def _usual(sit: Situation, power: bool) -> float:
    """Return :func:`usual_detachment`, worked out."""
    scn = sit.scn
    enemy = np.asarray(scn.force_side) == sit.enemy
    men0 = np.asarray(scn.men0, np.float64)[enemy]
    if power:
        men0 = men0 * np.asarray(sit.st.base_eff)[enemy]
    return float(men0.mean()) if men0.size else 0.0
