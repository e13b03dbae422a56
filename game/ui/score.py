"""The war's score as it stands and how the war is won, in words (no pygame).

Victory points count only who holds which province, which both sides know, so the
running score can be shown to a player at any time.  How the war is won is the
scenario's own: its outcomes, tested in order when the war ends, and the margin of
victory points that counts as a win.
"""

from __future__ import annotations

import numpy as np

from game.engine.outcome import victory_points
from game.ui.describe import long_date
from game.ui.session import Session


def points(s: Session) -> list[float]:
    """Return each side's victory points if the war ended now."""
    return [float(v) for v in victory_points(s.scn, s.game.state.owner[:1])[0]]


def score_words(s: Session) -> str:
    """Return the score as 'Peru 4 · Bolivia 0'."""
    return " · ".join(f"{s.scn.side_name(i)} {v:g}" for i, v in enumerate(points(s)))


def lead_words(s: Session) -> str:
    """Return who leads and by how much against the margin that counts as a win."""
    vp = points(s)
    margin = float(s.scn.model.victory.margin)
    best = int(np.argmax(vp))
    lead = vp[best] - max(v for i, v in enumerate(vp) if i != best) if len(vp) > 1 else vp[0]
    if lead <= 0:
        return f"level; a lead of {margin:g} counts as a win"
    return f"{s.scn.side_name(best)} leads by {lead:g} of the {margin:g} that count as a win"


def how_won(s: Session) -> str:
    """Return how the war ends and is judged, from the scenario's victory rules."""
    scn = s.scn
    v = scn.model.victory
    lines = [
        f"The war ends with a treaty, or is cut off on {long_date(scn.end)}. Then the first "
        "of these that holds names the outcome:"
    ]
    for o in v.outcomes:
        who = f" ({scn.side_name(scn.side_index[o.winner])} wins)" if o.winner else ""
        desc = f": {' '.join(o.description.split())}" if o.description else ""
        lines.append(f"- {o.name}{who}{desc}")
    lines.append(
        "Victory points: a side scores the value of each province of the enemy's it holds"
        f" (x{v.points.enemy_home:g}), and of land it merely claims (x{v.points.claimed:g}); "
        "its own land scores nothing."
    )
    return "\n".join(lines)


def value_words(s: Session, p: int) -> str:
    """Return what holding a province is worth, and to whom."""
    scn = s.scn
    parts = []
    for side in range(scn.S):
        mine = np.full((1, scn.P), -1, np.int8)
        mine[0, p] = side
        worth = float(victory_points(scn, mine)[0, side])
        if worth > 0:
            parts.append(f"{worth:g} to {scn.side_name(side)}")
    if not parts:
        return f"{scn.value[p]:g} (no side scores it by holding it)"
    return f"{scn.value[p]:g} (victory points while held: {', '.join(parts)})"
