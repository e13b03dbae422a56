"""The bound on the exchange: no army melts against a tenth of its number.

A grid of equal-quality battles: 2,000 defenders against 1/12 to 12 times as many
attackers, in every posture, many samples each.  In CDB90's pre-1900 battles the most
a beaten side ever cost the winner was 1.67 men per man of its own (Isandhlwana), and
the most any side lost per man of the other, prisoners included, was 2.15 (San
Jacinto, nearly all prisoners).  The resolver must keep each side's killed and wounded
within 2.5 per man of the other side in every sample, and above 1.67 in fewer than
0.2% of them; only a routed side may lose more, and then only as prisoners.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from game import rng
from game.codes import Posture
from game.engine.combat import BattleInput, CombatParams, resolve

RATIOS: Final = (1 / 12, 1 / 6, 1 / 3, 1 / 2, 1.0, 2.0, 3.0, 6.0, 12.0)
"""Attackers per defender on the grid."""
DEFENDERS: Final = 2_000
"""Defenders in every battle of the grid."""
HISTORY_MOST: Final = 1.67
"""Most a beaten side cost the winner per man of its own before 1900 (Isandhlwana)."""
BOUND: Final = 2.5
"""Most killed and wounded a side may lose per man of the other, in any sample."""


def exchange_metrics(
    params: CombatParams, samples: int = 20_000, seed: int = 0
) -> dict[str, float]:
    """Return the tails of the exchange over the grid.

    Keys: ``exchange_kw_max`` (most killed and wounded per man of the other side),
    ``exchange_kw_over_history_pct`` (samples above 1.67), ``exchange_kw_p999`` and
    ``exchange_unrouted_over_bound`` (samples in which a side that was not beaten lost
    more than 2.5 men per man of the other, prisoners included: always 0).
    """
    worst: list[np.ndarray] = []
    unrouted = 0
    att = np.repeat(np.floor(np.asarray(RATIOS) * DEFENDERS), samples)
    for posture in Posture:
        keys = rng.derive(
            rng.root_key(seed, rng.Stream.TEST, 12), int(posture), np.arange(att.size)
        )
        inp = BattleInput.build(att_men=att, def_men=DEFENDERS, keys=keys, posture=int(posture))
        res = resolve(inp, params)
        att_kw = (res.att_killed + res.att_wounded) / DEFENDERS
        def_kw = (res.def_killed + res.def_wounded) / att
        worst.append(np.maximum(att_kw, def_kw))
        att_all = res.att_casualties / DEFENDERS > BOUND
        def_all = res.def_casualties / att > BOUND
        unrouted += int(np.sum(att_all & (res.winner != -1)) + np.sum(def_all & (res.winner != 1)))
    x = np.concatenate(worst)
    return {
        "exchange_kw_max": float(x.max()),
        "exchange_kw_over_history_pct": 100.0 * float(np.mean(x > HISTORY_MOST)),
        "exchange_kw_p999": float(np.quantile(x, 0.999)),
        "exchange_unrouted_over_bound": float(unrouted),
    }
