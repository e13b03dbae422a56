"""The head of state rides with the army: his own column does not campaign alone.

A scenario marks the commanders who also head their side's government
(``commanders[].head_of_state``), and the engine's will rules make losing one cost his
side much more than another general (``rules.war_will.head_of_state_lost``, on top of
``commander_lost``).  Generals of the 1840s who were also presidents rode with the main
army and risked themselves only in the battle that decided the war.  A head of state's
own column is often a small one, though, and left to the other passes it is sent, like
any detachment, to hold a town or to strike a band, where it is beaten and he is killed
or taken.

:func:`escort` therefore marches a head of state's force that stands away from the own
main body (the most regular men in one province,
:attr:`~game.ai.operations.Operations.main_at`) back to it, before any other pass gives
it an order, where the road there is open and no enemy stands in his province (that is
the contact pass's to weigh).  With the army, the other passes take him along: into the
decisive battle only, on good odds (:mod:`game.ai.strikes`), or to the town the peace
rests on (:mod:`game.ai.signing`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.ai.explain import Reason
from game.codes import OrderKind

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def escort(ap: Appraisal, d: Draft) -> None:
    """March every head of state's force that stands away from the main body to it.

    He rides to where the main body is going (the march its largest force is on), so
    that he does not trail a marching army from one halt to the next; where that place
    is one the enemy can reach this turn with more men than would stand there with him
    (the army is still on its way), to where it stands now, on the same test; and
    where neither is safe he is left to the other passes.
    """
    sit, ops = ap.sit, ap.ops
    at = ops.main_at
    rows = ap.rows
    away = ops.chief & d.free & (at[:, None] >= 0) & (sit.here != at[:, None]) & (sit.men > 0)
    if not away.any():
        return
    q = np.maximum(at, 0)
    going = _bound(ap)
    # The main body is larger than his own column (else he would be with it: main_at is
    # where the most regular men stand), and no enemy stands with him.
    away &= (ops.main_men[:, None] > sit.men) & ~ap.foe_any[rows[:, None], sit.here]
    dest = np.full(sit.here.shape, -1, np.int64)
    for place in (going, q):
        ok = away & (dest < 0) & (sit.here != place[:, None]) & _safe(ap, d, place)
        ok &= ap.mt[rows, :, place] & sit.clear[rows, :, place]
        ok &= np.isfinite(sit.eta[rows, :, place])
        dest = np.where(ok, place[:, None], dest)
    # Already where the army is going, or with it where it stands: nothing to do here.
    away &= dest >= 0
    if not away.any():
        return
    dest = np.ascontiguousarray(np.maximum(dest, 0))
    d.assign(away, OrderKind.MARCH, dest)
    d.move_men(away, dest)
    if d.notes.recording:
        d.notes.set(away, Reason.ESCORT, place=dest, other=sit.here, men=ops.main_men[:, None])


def _bound(ap: Appraisal) -> I64:
    """Return ``[R]``: where the own main body is going (where it stands, if not marching).

    The march its largest regular force is on: the place it was last ordered to and has
    not reached.
    """
    sit, ops = ap.sit, ap.ops
    at = np.maximum(ops.main_at, 0)
    there = ops.regular[None, :] & (sit.here == at[:, None]) & (sit.men > 0)
    core = np.argmax(np.where(there, sit.men, -1.0), axis=1)
    dest = sit.obs.dest[ap.rows, core]
    marching = there[ap.rows, core] & (dest >= 0)
    return np.where(marching, dest, at).astype(np.int64)


def _safe(ap: Appraisal, d: Draft, place: I64) -> B:
    """Return ``[R, F]``: whether ``place`` is safe for each force to march to this turn.

    Safe where no seen enemy that can reach it this turn outnumbers the men who would
    stand there with the force (those there now, and its own).
    """
    sit = ap.sit
    foe = ap.foe_near.men[ap.rows, place]
    there = d.proj[ap.rows, place]
    return foe[:, None] <= there[:, None] + sit.men
