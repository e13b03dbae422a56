"""Economy of force: leave out of a strike the forces it can spare.

A strike pools every free force in reach (:mod:`game.ai.strikes`); those whose absence
costs it little in odds are left behind, free to garrison or cover what the strike
leaves open.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.draft import pick
from game.ai.features import Group

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
    :data:`CHIEF_SLACK` above the threshold: he rides only where he is needed.  The odds without a
    force are looked up only in the runs where it could be left out.
    """
    sit = ap.sit
    d_at = sit.at(defenders, target)
    post_at = posture[ap.rows, target][:, None]
    where = target[:, None]

    def odds_of(mask: B, rows: I64) -> F64:
        # ``mask[N, F]``: the strike of each run of ``rows``.  Its sums run over every
        # slot, so a run gets the same odds in any batch.
        g = sit.group_of(mask, rows)
        d = pick(d_at, rows)
        o = sit.battle(g, d, post_at[rows], ("p_win",), where[rows])
        return o.p_win[:, 0]

    full = odds_of(sel, ap.rows)
    floor = np.maximum(ap.threshold, np.minimum(full - RELEASE_SLACK, SURE))
    # A head of state is spared whenever the others can do it on fair odds without him.
    spared = np.minimum(floor, ap.threshold + CHIEF_SLACK)
    chief = ap.ops.chief
    out = sel.copy()
    count = out.sum(axis=1)
    # Forces that matter most where they stand go first, then the smallest: an order
    # per run (from that run's anchors alone), walked position by position.  The
    # forces of the strike are put before the others (in the same order among
    # themselves), so each position tries one force in every run that still has
    # one: fewer, larger trials, and each run tries its forces in the same order.
    men0 = np.broadcast_to(np.asarray(sit.scn.men0), anchor.shape)
    order = np.lexsort((men0, -anchor, ~chief, ~sel), axis=-1)  # [R, F]
    for k in range(int(count.max(initial=0))):
        f = order[:, k]
        try_out = out[ap.rows, f] & (count > 1)
        if not try_out.any():
            continue
        rows = np.flatnonzero(try_out)
        trial = out[rows]
        trial[np.arange(rows.size), f[rows]] = False
        need = np.where(chief[rows, f[rows]], spared[rows], floor[rows])
        spare = rows[odds_of(trial, rows) >= need]
        out[spare, f[spare]] = False
        count[spare] -= 1
    return out
