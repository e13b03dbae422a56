"""Does the war answer its decisive battle?  Conditional figures from the played wars.

A model whose history is written into its orders plays the same war whoever wins the
battle that decided it.  This section splits the wars by the result of the decisive
battle (the largest recorded: Ingavi in 1841) and asks of the occupations that history's
winner made after it:

* in the wars the other side won it, how often *none* of them happens (target: at least
  80%), and how often the war still ends in history's outcome (at most 60%);
* in the wars history's winner won it, how often *each* of them happens (at least 70%).

Everything is read from the scenario's record, so another war gets its own targets.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.engine.phases.engagements import DRAW
from game.history import record
from game.scenario.compile import CompiledScenario
from game.study.intervals import wilson

NONE_HAPPEN = 0.8
HISTORY_AT_MOST = 0.6
EACH_HAPPENS = 0.7


def _p(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson(k, n)
    return {"p": k / n if n else None, "ci95": [lo, hi], "count": k, "of": n}


def _target(name: str, wanted: str, p: float | None, ok: bool, note: str = "") -> dict[str, Any]:
    got = "no such wars" if p is None else f"{p:.1%}{note}"
    return {"name": name, "wanted": wanted, "got": got, "met": p is not None and ok}


def responsiveness(scn: CompiledScenario, cols: dict[str, np.ndarray]) -> dict[str, Any]:
    """Return the conditional figures and their targets (empty without a decisive battle)."""
    battles = record.engagements(scn)
    main = record.decisive(battles)
    decisive = next((b for b in battles if b.id == main), None)
    if decisive is None or decisive.winner is None:
        return {"decisive": None, "targets": []}
    e = battles.index(decisive)
    w = decisive.winner
    occs = record.occupations(scn)
    after = [o for o, occ in enumerate(occs) if occ.side == w and occ.day > decisive.day]
    winner = cols["battle_winner"][:, e]
    won = winner == w
    lost = (winner >= 0) & (winner != w) & (winner != DRAW)
    held = cols["occupied"][:, after]
    none = ~held.any(axis=1)
    hist = record.historical_outcome(scn)
    hist_i = [o.id for o in scn.outcomes].index(hist) if hist else None
    in_history = cols["outcome"] == hist_i if hist_i is not None else np.zeros_like(won)
    each = {
        occs[o].id: _p(int((held[:, i] & won).sum()), int(won.sum())) for i, o in enumerate(after)
    }
    rep: dict[str, Any] = {
        "decisive": decisive.id,
        "winner": scn.side_ids[w],
        "followers": [occs[o].id for o in after],
        "if_lost": {
            "runs": int(lost.sum()),
            "none_happen": _p(int((none & lost).sum()), int(lost.sum())),
            "historical_outcome": _p(int((in_history & lost).sum()), int(lost.sum())),
            "each": {
                occs[o].id: _p(int((held[:, i] & lost).sum()), int(lost.sum()))
                for i, o in enumerate(after)
            },
        },
        "if_won": {"runs": int(won.sum()), "each": each},
    }
    rep["targets"] = _targets(scn, decisive.name, w, hist, rep) if after else []
    return rep


def _targets(
    scn: CompiledScenario, battle: str, w: int, hist: str | None, rep: dict[str, Any]
) -> list[dict[str, Any]]:
    other, mine = scn.side_name(1 - w), scn.side_name(w)
    lost, won = rep["if_lost"], rep["if_won"]
    out = [
        _target(
            f"If {other} wins {battle}: none of the later occupations by {mine}",
            f">= {NONE_HAPPEN:.0%}",
            lost["none_happen"]["p"],
            (lost["none_happen"]["p"] or 0) >= NONE_HAPPEN,
        )
    ]
    if hist is not None:
        p = lost["historical_outcome"]["p"]
        name = next(o.name for o in scn.outcomes if o.id == hist)
        out.append(
            _target(
                f"If {other} wins {battle}: {name}",
                f"<= {HISTORY_AT_MOST:.0%}",
                p,
                p is not None and p <= HISTORY_AT_MOST,
            )
        )
    shares = {k: v["p"] for k, v in won["each"].items()}
    low = min(shares, key=lambda k: shares[k] if shares[k] is not None else -1.0)
    p = shares[low]
    out.append(
        _target(
            f"If {mine} wins {battle}: each later occupation by {mine}",
            f">= {EACH_HAPPENS:.0%}",
            p,
            p is not None and p >= EACH_HAPPENS,
            f" (lowest: {low})",
        )
    )
    return out
