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
from game.engine import jit


def escort(ap: Appraisal, d: Draft) -> None:
    """March every head of state's force that stands away from the main body back to it."""
    sit, ops = ap.sit, ap.ops
    at = np.asarray(ops.main_at, np.int64)
    away = _away(
        (ops.chief, d.free, np.ascontiguousarray(sit.here, np.int64), sit.men),
        (at, ops.main_men),
        (ap.foe_any, ap.mt, sit.clear, sit.eta),
    )
    if not away.any():
        return
    dest = np.ascontiguousarray(np.broadcast_to(np.maximum(at, 0)[:, None], away.shape))
    d.assign(away, OrderKind.MARCH, dest)
    d.move_men(away, dest)
    if d.notes.recording:
        d.notes.set(away, Reason.ESCORT, place=dest, other=sit.here, men=ops.main_men[:, None])


@jit.kernel
def _away(force_t, main_t, road_t):  # pragma: no cover - compiled
    """Return ``[R, F]``: the heads of state's forces that march back to the main body.

    A free force led by a head of state (``force_t``: the chiefs, the free forces, where
    each is and its men) that has men and stands away from the main body (``main_t``:
    where it is, -1 if nowhere, and its men), which is larger than his own column (else
    he would be with it: the main body is where the most regular men stand), where no
    enemy is seen in his province, and the road to the main body is open (``road_t``:
    where enemies are seen, where each force may march, the clear roads, the days).
    """
    chief, free, here, men = force_t
    main_at, main_men = main_t
    foe_any, mt, clear, eta = road_t
    R, F = chief.shape
    away = np.zeros((R, F), np.bool_)
    for r in range(R):
        q = main_at[r]
        if q < 0:
            continue
        for f in range(F):
            if not (chief[r, f] and free[r, f]) or here[r, f] == q or not men[r, f] > 0:
                continue
            if not main_men[r] > men[r, f] or foe_any[r, here[r, f]]:
                continue
            away[r, f] = mt[r, f, q] and clear[r, f, q] and np.isfinite(eta[r, f, q])
    return away
