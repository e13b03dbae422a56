"""What the viewer knows of forces, in words: strengths with their range, stacks, sightings.

An enemy's strength is the scouts' estimate, drawn afresh each week with an error the
scenario's rules give, so it is shown with the range the truth lies in nine times in ten;
a force out of sight is described by where and when it was last seen.  Kept apart from
drawing (no pygame) so the words can be tested.
"""

from __future__ import annotations

from game.codes import NONE, ForceKind
from game.ui.describe import KIND_WORDS, long_date, order_text
from game.ui.session import Session
from game.ui.sightings import Sighting

REDRAWN = (
    "the scouts' count is made afresh each week; the truth lies in this range nine times in ten"
)


def men_words(s: Session, forces: list[int]) -> str:
    """Return the men of some forces as the viewer knows them: exact, or about N (range)."""
    total = sum(s.shown_men(f) for f in forces)
    if s.viewer is None or all(s.is_own(f) for f in forces):
        return f"{total:,} men"
    lo, hi = s.shown_range(forces)
    return f"about {total:,} men ({lo:,}–{hi:,})"


def force_tip(s: Session, f: int) -> str:
    """Return the tooltip of one force's counter."""
    scn = s.scn
    own = s.viewer is None or s.is_own(f)
    c = int(s.game.state.commander[0, f])
    lead = f"\nCommanded by {scn.commander_name(c)}." if c != NONE else ""
    kind = KIND_WORDS[ForceKind(int(scn.kind[f]))]
    order = s.pending().get(f)
    extra = f"\nOrdered to {order_text(s, *order)}." if order else ""
    tip = f"{scn.force_name(f)} ({scn.side_name(int(scn.force_side[f]))})\n{men_words(s, [f])}, {kind}.{lead}{extra}"
    if not own:
        tip += f"\nThe range: {REDRAWN}."
        tip += earlier_words(s, f)
    return tip


def earlier_words(s: Session, f: int) -> str:
    """Return the sighting of a force before this week, if any, as a sentence."""
    mem = s.memory()
    seen = mem.before(f, s.game.turn) if mem is not None else None
    if seen is None:
        return ""
    return f"\nSeen before: {sighting_words(s, seen)}."


def sighting_words(s: Session, seen: Sighting) -> str:
    """Return a sighting as 'at Puno on 12 November 1841, about 2,650 men'."""
    scn = s.scn
    when = long_date(scn.date_of(seen.turn))
    return f"at {scn.province_name(seen.province)} on {when}, about {seen.men:,} men"


def stack_tip(s: Session, forces: tuple[int, ...]) -> str:
    """Return the tooltip of a stack: its total as the viewer knows it, then each force."""
    scn = s.scn
    side = scn.side_name(int(scn.force_side[forces[0]]))
    lines = [f"{len(forces)} forces of {side} here: {men_words(s, list(forces))} in all."]
    own = s.viewer is None or s.is_own(forces[0])
    for f in sorted(forces, key=lambda g: -s.shown_men(g)):
        men = s.shown_men(f)
        lines.append(f"  {scn.force_name(f)}: {'' if own else '~'}{men:,}")
    if not own:
        lines.append(f"The range: {REDRAWN}.")
    return "\n".join(lines)


def ghost_tip(s: Session, f: int) -> str:
    """Return the tooltip of a faded counter: a force out of sight, and where it was seen."""
    scn = s.scn
    mem = s.memory()
    seen = mem.last(f) if mem is not None else None
    where = sighting_words(s, seen) if seen is not None else "somewhere"
    return (
        f"{scn.force_name(f)} ({scn.side_name(int(scn.force_side[f]))})\n"
        f"Out of sight. Last seen {where}.\nIt may have moved on since."
    )
