"""Economy of force: leave out of a strike the forces it can spare.

A strike pools every free force in reach (:mod:`game.ai.strikes`); those whose absence
costs it little in odds are left behind, free to garrison or cover what the strike
leaves open.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.features import Group
from game.ai.odds_table import OddsTable
from game.ai.strike_kernels import odds_terms, spare
from game.ai.tables import odds_table

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

RELEASE_SLACK = 0.04
"""A force is left out of a strike if the odds without it fall by less than this."""
CHIEF_SLACK = 0.1
"""Chance of winning above the threshold at which a strike goes without a head of state."""
SURE = 0.92
"""Odds of a strike beyond which further forces are not needed."""


def economy(
    ap: Appraisal,
    sel: B,
    target: I64,
    defenders: Group,
    posture: npt.NDArray[np.int64],
    anchor: F64,
) -> B:
    """Return the strike ``sel[R, F]`` on ``target[R]`` less the forces it can spare.

    A head of state's force first, then those worth most where they stand
    (``anchor``), then the smallest, a force is left out if the odds without it stay
    above the threshold and within :data:`RELEASE_SLACK` of the odds with everyone (or
    above :data:`SURE`): it is then free to garrison or cover what the strike leaves
    behind.  A head of state is left out whenever the odds without him stay
    :data:`CHIEF_SLACK` above the threshold: he rides only where he is needed.  Each run
    tries its forces in one kernel (:func:`game.ai.strike_kernels.spare`).
    """
    sit = ap.sit
    d_at = sit.at(defenders, target)
    slots_t = sit.slots.kernel_tuple()
    foe_t = (
        np.ascontiguousarray(d_at.men[:, 0], np.float64),
        np.ascontiguousarray(d_at.log_eff[:, 0], np.float64),
        np.ascontiguousarray(d_at.lead[:, 0], np.float64),
        np.ascontiguousarray(d_at.init[:, 0], np.float64),
        np.ascontiguousarray(posture[ap.rows, target], np.int64),
        np.asarray(target, np.int64),
    )
    table = odds_table(sit.scn)
    odds_t = (*odds_terms(sit), table.fine[OddsTable.FIELDS.index("p_win")])
    # Forces that matter most where they stand go first, then the smallest: an order
    # per run (from that run's anchors alone); the forces of the strike are put before
    # the others (in the same order among themselves).
    men0 = np.broadcast_to(np.asarray(sit.scn.men0), anchor.shape)
    order = np.lexsort((men0, -anchor, ~ap.ops.chief, ~sel), axis=-1)  # [R, F]
    return spare(  # type: ignore[no-any-return]
        np.ascontiguousarray(sel),
        np.ascontiguousarray(order, np.int64),
        np.ascontiguousarray(ap.ops.chief),
        np.asarray(ap.threshold, np.float64),
        (RELEASE_SLACK, CHIEF_SLACK, SURE),
        slots_t,
        foe_t,
        odds_t,
    )
