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
    orders and tries its forces in one kernel (:func:`game.ai.strike_kernels.spare`).
    """
    sit = ap.sit
    table = odds_table(sit.scn)
    return spare(  # type: ignore[no-any-return]
        np.ascontiguousarray(sel),
        np.ascontiguousarray(ap.ops.chief),
        np.ascontiguousarray(anchor, np.float64),
        np.asarray(sit.scn.men0, np.float64),
        np.asarray(ap.threshold, np.float64),
        (RELEASE_SLACK, CHIEF_SLACK, SURE),
        sit.slots.kernel_tuple(),
        (
            *(np.ascontiguousarray(getattr(defenders, k), np.float64) for k in _FOE),
            np.ascontiguousarray(posture, np.int64),
            np.asarray(target, np.int64),
        ),
        (*odds_terms(sit), table.fine[OddsTable.FIELDS.index("p_win")]),
    )


_FOE = ("men", "log_eff", "lead", "init")
"""The defenders' fields a trial strike is weighed against."""
