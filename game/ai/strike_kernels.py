"""The economy of force, compiled: which forces a strike can spare, one run at a time.

:func:`game.ai.economy.economy` tries, force by force, the odds of a strike without
each; numpy spent that as a dozen calls per position and trial, on a handful of runs
each.  :func:`spare` walks every run's forces in one call: each trial pools the
strike (:func:`game.ai.groups.pool_one`, the same sums as every other group) and looks
its chance of winning up in the odds table, as
:meth:`~game.ai.features.Situation.battle` does.
"""

from __future__ import annotations

import numpy as np

from game.ai.groups import pool_one
from game.ai.odds_table import fine_index
from game.engine import jit


@jit.kernel
def p_win_of(sel, r, slots_t, foe, odds_t):
    """Return the chance the forces ``sel[F]`` of run ``r`` win their strike on ``foe``.

    ``foe`` is the defenders (men, ln effectiveness, leadership, initiative, posture and
    place, of run ``r``); ``odds_t`` the combat constants, posture and terrain terms and
    the odds table's chance of winning on its fine grid.  The ratios are those of
    :meth:`~game.ai.features.Situation.odds_of_push`.
    """
    men, eff, surprise, has_cmd, rank, ratings, cols = slots_t
    d_men, d_log_eff, d_lead, d_init, post, place = foe
    theta_lead, theta_surprise, log_posture, log_terrain, p_win, cuts = odds_t
    total, eff_sum, sur_sum, best = pool_one(sel, r, cols, men, False, eff, surprise, has_cmd, rank)
    safe = max(total, 1e-9)
    lead = ratings[0, r, best] if best >= 0 else 0.0
    init = ratings[1, r, best] if best >= 0 else 0.0
    surprise_level = min(max(sur_sum / safe + 0.5 * (init - d_init), -3.0), 3.0)
    push = np.log(max(eff_sum / safe, 1e-6)) + theta_lead * lead + theta_surprise * surprise_level
    ratio = push - d_log_eff - theta_lead * d_lead - log_posture[post] - log_terrain[place]
    log_men = np.log(max(total, 1.0)) - np.log(max(d_men, 1.0))
    return np.float64(p_win[fine_index(ratio, log_men, total + d_men, cuts)])


@jit.kernel
def spare(sel, order, chief, threshold, slack, slots_t, foe_t, odds_t):
    """Return the strikes ``sel[R, F]`` less the forces they can spare.

    ``order[R, F]`` is the order each run tries its forces in (those of the strike
    first); ``chief[R, F]`` marks heads of state; ``slack`` is the release slack, the
    chief's slack and the odds beyond which no more forces are needed
    (:mod:`game.ai.economy`).  ``foe_t`` holds the defenders at each run's target
    (``[R]`` each).  A force is left out if the odds without it stay at or above what
    :func:`game.ai.economy.economy` asks.
    """
    release, chief_slack, sure = slack
    d_men, d_log_eff, d_lead, d_init, post, place = foe_t
    R, F = sel.shape
    out = sel.copy()
    trial = np.empty(F, np.bool_)
    for r in range(R):
        count = 0
        for f in range(F):
            count += out[r, f]
        if count == 0:
            continue
        foe = (d_men[r], d_log_eff[r], d_lead[r], d_init[r], post[r], place[r])
        full = p_win_of(out[r], r, slots_t, foe, odds_t)
        floor = max(threshold[r], min(full - release, sure))
        spared = min(floor, threshold[r] + chief_slack)
        for k in range(count):
            f = order[r, k]
            if not out[r, f] or count <= 1:
                continue
            for j in range(F):
                trial[j] = out[r, j]
            trial[f] = False
            need = spared if chief[r, f] else floor
            if p_win_of(trial, r, slots_t, foe, odds_t) >= need:
                out[r, f] = False
                count -= 1
    return out
