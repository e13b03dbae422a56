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

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.ai.explain import Reason
from game.codes import OrderKind


def escort(ap: Appraisal, d: Draft) -> None:
    """March every head of state's force that stands away from the main body back to it."""
    sit, ops = ap.sit, ap.ops
    at = ops.main_at
    rows = ap.rows
    away = ops.chief & d.free & (at[:, None] >= 0) & (sit.here != at[:, None]) & (sit.men > 0)
    if not away.any():
        return
    q = np.maximum(at, 0)
    # The main body is larger than his own column (else he would be with it: main_at is
    # where the most regular men stand), and the road to it is open.
    away &= (ops.main_men[:, None] > sit.men) & ~ap.foe_any[rows[:, None], sit.here]
    away &= ap.mt[rows, :, q] & sit.clear[rows, :, q] & np.isfinite(sit.eta[rows, :, q])
    if not away.any():
        return
    dest = np.broadcast_to(q[:, None], away.shape)
    d.assign(away, OrderKind.MARCH, dest)
    d.move_men(away, np.ascontiguousarray(dest))
    if d.notes.recording:
        d.notes.set(away, Reason.ESCORT, place=dest, other=sit.here, men=ops.main_men[:, None])
