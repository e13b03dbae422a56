"""Taking command from any point of a replay: a branch of history, saved like any game.

No pygame here.  A :class:`~game.ui.replay_tape.Replay` (the historical one, or a run of a
study) gives back the exact state before a turn; :func:`take_command` hands one side or
both to people from there, the other side to the computer (at a level, or still
following the historical record), and records in the game's ``branch`` field where it
left history: the turn and date, the seed and run whose dice it keeps, who played
before, and how that same run ended when left alone, so the end screen can compare.

:func:`from_history` does the same from a date without a window (``ingavi play
--from-history DATE``): it plays the recorded orders up to the turn containing the date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from game.ai.base import Policy
from game.errors import UsageError
from game.game import Game, ScenarioSource
from game.scenario.compile import CompiledScenario
from game.ui import ai_levels as pol
from game.ui.describe import long_date
from game.ui.launch import humans_for
from game.ui.replay_tape import Replay
from game.ui.session import Seats, Session

OTHER_CHOICES: tuple[str, ...] = ("historical", "easy", "normal", "hard")
"""What the computer may do with the sides nobody takes: follow history, or an AI level."""


def policy_name(policy: Policy) -> str:
    """Return a policy's name for the record (its ``name`` attribute, else its class)."""
    return str(getattr(policy, "name", type(policy).__name__))


def ending(game: Game) -> dict[str, Any] | None:
    """Return how a game's war ended, as plain data for a save; None while it goes on."""
    o = game.outcome()
    if o is None:
        return None
    st, scn = game.state, game.scenario
    return {
        "outcome": o.id,
        "name": o.name,
        "winner": o.winner,
        "date": o.date.isoformat(),
        "turns": int(st.turn),
        "battles": int(st.battles[0]),
        "killed": {scn.side_ids[s]: int(st.killed[0, s]) for s in range(scn.S)},
    }


def turn_of(scn: CompiledScenario, day: dt.date) -> int:
    """Return the turn containing a date.

    Raises:
        UsageError: If the date lies outside the war.
    """
    if not scn.start <= day <= scn.end:
        raise UsageError(
            f"{long_date(day)} is outside the war, which runs from {long_date(scn.start)} "
            f"to {long_date(scn.end)}"
        )
    return min((day - scn.start).days // scn.turn_days, scn.n_turns - 1)


def parse_date(text: str) -> dt.date:
    """Return a date written as YYYY-MM-DD.

    Raises:
        UsageError: If it is not one.
    """
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 1841-11-06"
        ) from None


def _history_ending(replay: Replay) -> dict[str, Any] | None:
    """Return how the replayed run ends if left alone (playing it on), keeping the turn shown.

    The replay's own policies play on with the same dice, so this is the war the player
    departs from: for the historical replay, history as the model plays it.
    """
    shown = replay.index
    replay.seek(replay.game.scenario.n_turns + 1)
    out = ending(replay.game)
    replay.index = shown
    return out


def take_command(
    replay: Replay,
    humans: tuple[int, ...],
    other: str = "historical",
    factory: pol.PolicyFactory | None = None,
) -> Session:
    """Return a campaign from the turn a replay shows, people on some sides.

    Args:
        replay: The replay, at the turn to take command from.
        humans: The sides people take, in hot-seat order (empty: watch the computer).
        other: What commands the other sides: ``historical`` (follow the record where it
            can) or an AI level (``easy``, ``normal``, ``hard``).
        factory: How to build the computer's policies.

    Raises:
        UsageError: If the war is already over at that turn, or ``other`` is unknown.
    """
    if other not in OTHER_CHOICES and other not in pol.LEVELS:
        raise UsageError(f"no AI level '{other}' (choose from {', '.join(OTHER_CHOICES)})")
    i = replay.index
    scn = replay.game.scenario
    if bool(replay.states[i].over[0]):
        raise UsageError("the war is over at this point: step back a turn to take command")
    game = replay.game_at(i)
    game.branch = {
        "from": replay.label or "replay",
        "turn": i,
        "date": scn.date_of(i).isoformat(),
        "seed": game.seed,
        "run": replay.run,
        "sample_uncertain": replay.sample_uncertain,
        "policies": {scn.side_ids[s]: policy_name(p) for s, p in sorted(replay.policies.items())},
        "humans": [scn.side_ids[s] for s in humans],
        "other": other,
        "history": _history_ending(replay),
    }
    return Session(game, Seats(tuple(humans), other), factory)


def from_history(
    source: ScenarioSource,
    day: dt.date,
    side: str,
    other: str = "historical",
    seed: int | None = None,
    factory: pol.PolicyFactory | None = None,
) -> Session:
    """Return a campaign taken over on a date, both sides having followed history till then.

    Raises:
        UsageError: If the date is outside the war, the war had ended by then, or the
            side is unknown.
    """
    scn = source.load()
    humans = humans_for(scn, side or scn.side_ids[0])
    turn = turn_of(scn, day)
    policies = {s: pol.make("historical", s, scn, factory) for s in range(scn.S)}
    replay = Replay.start(scn, policies, seed, source=source, label="History")
    replay.seek(turn)
    if replay.index < turn or (replay.game.over and replay.index == len(replay.records)):
        o = replay.game.outcome()
        when = long_date(o.date) if o is not None else long_date(scn.date_of(replay.index))
        raise UsageError(
            f"the war had ended by {long_date(day)}: played by the record, it ended on {when}"
        )
    return take_command(replay, humans, other, factory)


def comparison(game: Game) -> str:
    """Return, for a branched game that has ended, its outcome beside the war it left.

    Empty for a game that is not a branch, or whose war goes on.
    """
    b = game.branch
    mine = ending(game)
    if not isinstance(b, dict) or mine is None or "turn" not in b:
        return ""
    scn = game.scenario
    sides = [scn.side_name(scn.side_index[s]) for s in b.get("humans", []) if s in scn.side_index]
    who = " and ".join(sides) or "the war"
    when = long_date(dt.date.fromisoformat(str(b["date"])))
    text = f"You took command of {who} on {when} (turn {int(b['turn']) + 1})."
    hist = b.get("history")
    if isinstance(hist, dict):
        text += (
            f" Left as it was, the same war (the same dice) ended on "
            f"{long_date(dt.date.fromisoformat(hist['date']))}: {hist['name']}, "
            f"{sum(hist['killed'].values()):,} killed in {hist['battles']} battles."
        )
    text += (
        f" Yours ended on {long_date(dt.date.fromisoformat(mine['date']))}: {mine['name']}, "
        f"{sum(mine['killed'].values()):,} killed in {mine['battles']} battles."
    )
    if isinstance(hist, dict):
        text += (
            " The same outcome as history's."
            if hist["outcome"] == mine["outcome"]
            else " History took another turn."
        )
    return text
