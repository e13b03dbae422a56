"""Small integer codes shared by the compiled scenario, the engine and its callers.

Arrays hold these codes rather than strings so that a batch of ten thousand runs is a few
numpy arrays; the enums give them names (and docstrings) wherever Python code reads them.
"""

from __future__ import annotations

import enum

import numpy as np


class Code(enum.IntEnum):
    """An integer code with a name: compared with arrays at the cost of a plain integer.

    numpy asks an operand that is not a plain ``int`` whether it overrides ufuncs or
    array functions (``__array_ufunc__``, ``__array_function__``); asked of an enum class,
    Python's enum answers through its metaclass's ``__getattr__`` and a raised
    ``AttributeError``, which made ``status == ForceStatus.ACTIVE`` some four times as slow
    as ``status == 1`` (tens of such comparisons a turn at a batch of one).  Naming
    ndarray's own methods answers "no override" at once, which numpy treats exactly as
    an operand without them: the same results, the same dtypes.
    """

    __array_ufunc__ = np.ndarray.__array_ufunc__
    __array_function__ = np.ndarray.__array_function__


class OrderKind(Code):
    """What a force is told to do this turn."""

    HOLD = 0
    """Stay put; defend where it stands (and keep marching if already on the road)."""
    MARCH = 1
    """Move along a link to a neighbouring province at the normal pace."""
    FORCED_MARCH = 2
    """Move faster than normal, losing stragglers and cohesion."""
    ATTACK = 3
    """Move into a neighbouring province (or stay) to fight the enemy there."""
    GARRISON = 4
    """Stay and garrison a friendly province: dig in and keep its people quiet."""
    RETREAT = 5
    """Break contact and fall back to a neighbouring province free of enemies."""
    JOIN = 6
    """March to another force of the same side and merge into it (the target is a force)."""


ORDER_NAMES: dict[str, OrderKind] = {k.name.lower(): k for k in OrderKind}


class ForceKind(Code):
    """Arm of service of a force."""

    LINE_INFANTRY = 0
    CAVALRY = 1
    MILITIA = 2
    MONTONEROS = 3
    ARTILLERY = 4


KIND_NAMES: dict[str, ForceKind] = {k.name.lower(): k for k in ForceKind}


class ForceStatus(Code):
    """Where a force is in its life."""

    WAITING = 0
    """Not yet in the game (a later arrival, or one that only an event raises)."""
    ACTIVE = 1
    """On the map."""
    GONE = 2
    """Destroyed, captured, dispersed or disbanded."""
    JOINED = 3
    """Merged into another force of its side by a ``join`` order (its men live on there)."""
    WITHDRAWN = 4
    """Taken out of the war by its allied party leaving the alliance."""


class Posture(Code):
    """How ready a defender is when attacked."""

    MEETING = 0
    HASTY = 1
    PREPARED = 2
    FORTIFIED = 3


class CommanderState(Code):
    """Fate of a commander so far."""

    ACTIVE = 0
    KILLED = 1
    CAPTURED = 2
    ABSENT = 3
    """Not taking part (a what-if removed him)."""


class TalksCause(Code):
    """Why peace talks opened."""

    WILL = 0
    """Every side's will had fallen below the scenario's talks_will."""
    COLLAPSE = 1
    """One side's will had collapsed below collapse_will."""
    SUED = 2
    """A side sued for peace."""
    EVENT = 3
    """A scenario event opened them."""


class Refusal(Code):
    """Why an order is illegal (0 means it is legal)."""

    OK = 0
    NOT_YOURS = 1
    NOT_ON_MAP = 2
    NO_SUCH_PROVINCE = 3
    UNREACHABLE = 4
    ALREADY_THERE = 5
    ON_THE_ROAD = 6
    NOT_FRIENDLY = 7
    NOT_ADJACENT = 8
    ENEMY_HELD = 9
    WAR_OVER = 10
    ENEMY_BASE = 11
    NEEDS_TARGET = 12
    UNKNOWN_ORDER = 13
    NO_SUCH_FORCE = 14
    JOIN_ITSELF = 15
    JOIN_STRANGER = 16
    JOIN_ABSENT = 17


class Winner(Code):
    """Result of a battle from the attacker's point of view."""

    DEFENDER = -1
    DRAW = 0
    ATTACKER = 1


CROSSINGS = ("none", "border", "river", "pass", "desert", "sea")
ROADS = ("road", "track", "path")
NONE = -1
"""Index meaning 'no province / no commander / no target'."""
