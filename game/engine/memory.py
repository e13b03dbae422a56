"""What each side remembers of the enemy: the last it saw of each force, and which are gone.

A general of the 1840s did not forget an army because it marched out of sight: he knew
it was 3,000 men at a town a fortnight ago, and that the column his army broke last
month no longer exists.  The engine keeps this memory for each side in the state
(``memory_men``, ``memory_at``, ``memory_turn``, ``memory_gone``, ``[R, S, F]``), not in
the policies, so that a policy stays a function of its observation: a game saved, replayed
or split into batches decides the same.

Only what the side actually learned goes in:

* **What it saw.** At the start of every turn, before anything moves, every enemy force
  the side's observation shows is written down as the observation shows it: the fog's
  estimate of its men (never the truth), its province and the turn.
* **What it fought.** An enemy force that fought one of the side's forces during the
  turn is written down where it fought, with its men after the battle as the next
  observation's estimate would give them (the same keyed draw: a battle shows the enemy's
  losses as well as a look from the next hill).
* **What it saw leave the field.** An enemy force destroyed, captured, dispersed or
  merged is known gone if the side fought it that turn or watched where it stood; one
  withdrawn with its allied party is public news.

:func:`game.engine.observe.observe` shows the memory with the current sight laid over it.
Nothing here draws new dice: the estimates are the fog stream's own (keyed on seed, run,
turn, side and force), so run *r* remembers the same alone or in any batch.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.codes import NONE
from game.engine.context import TurnContext
from game.engine.observe import force_side64, sides_sight
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

B = npt.NDArray[np.bool_]


def remember_seen(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, sights: B | None = None
) -> B:
    """Write down what each side's observation shows of the enemy now; return the sight.

    Called at the start of a turn, on the state the policies observed.  Returns each
    side's sight ``[S, R, P]`` for :func:`remember_witnessed`: ``sights`` if the caller
    has it for this very state (the previous turn's :func:`remember_witnessed` gave it),
    else worked out here.
    """
    from game.engine.fog import remember

    if sights is None:
        sights = sides_sight(scn, st)
    remember(
        sights,
        (st.status, st.loc, st.nxt, st.men),
        force_side64(scn),
        np.uint64(st.seed),
        st.run_ids,
        st.turn,
        float(scn.rules.fog.estimate_error),
        ctx.live,
        (st.memory_men, st.memory_at, st.memory_turn, st.memory_gone),
    )
    return sights


def remember_witnessed(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    before: tuple[npt.NDArray[np.int8], npt.NDArray[np.int16]],
    sights: B,
) -> B:
    """Write down what each side witnessed during the turn: battles fought, forces gone.

    ``before`` is ``(status, loc)`` at the turn's start and ``sights`` the sides' sight
    then (:func:`remember_seen`).  Called at the end of the turn's phases, before the
    turn count moves on.  Returns the sides' sight now ``[S, R, P]``, which is the next
    turn's observations' and memory's.
    """
    from game.engine.fog import witness

    fought = _fought(scn, st, ctx)
    turn = st.turn + 1  # the turn of the next observation
    now = sides_sight(scn, st)
    witness(
        before,
        (st.status, st.loc, st.men),
        np.stack([sights, now]),
        fought,
        force_side64(scn),
        np.uint64(st.seed),
        st.run_ids,
        turn,
        float(scn.rules.fog.estimate_error),
        (st.memory_men, st.memory_at, st.memory_turn, st.memory_gone),
    )
    return now


def _fought(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> npt.NDArray[np.int64]:
    """Return ``[R, S, F]``: where each force fought a force of each side this turn, else -1."""
    out = np.full((st.runs, scn.S, scn.F), NONE, np.int64)
    battles = ctx.records.get("battles")
    taking = ctx.records.get("battle_forces")
    if not battles or not taking or not len(taking):
        return out
    b, t = battles.table(), taking.table()
    row = t["battle"].astype(np.int64)
    force = t["force"].astype(np.int64)
    side_of = np.asarray(scn.force_side, np.int64)[force]
    present = np.zeros((b["run"].size, scn.S), bool)
    present[row, side_of] = True
    run = b["run"].astype(np.int64)[row]
    province = b["province"].astype(np.int64)[row]
    for side in range(scn.S):
        met = present[row, side] & (side_of != side)
        out[run[met], side, force[met]] = province[met]
    return out
