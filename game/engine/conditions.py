"""Scenario conditions compiled: every condition a phase needs, one kernel call per batch.

A condition (the scenario's ``when:``) is a small tree.  :func:`program` turns a list of
them, once per scenario, into flat postfix code: one row per leaf test or combinator,
its indices resolved from the scenario's ids.  :func:`holds` then runs that code for
every run of a batch in one call of the kernel :func:`_run`, the loop over runs inside:
no Python per condition, per leaf or per run.  The tests are the rules of
``docs/rules.md`` (conditions), each written once here; :func:`game.engine.events.evaluate`
is this module applied to one condition.

Comparisons follow numpy's on the state's own dtypes: a war will (float32) is compared
with its threshold rounded to float32, as numpy compares a float32 array with a Python
float, and the men counted in a province are summed in int64, so a run's answers are the
same bit for bit as the array code they replace, alone or in any batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from game.codes import NONE, CommanderState, ForceStatus
from game.engine import jit
from game.engine.outcome import victory_points
from game.scenario.compile import CompiledScenario
from game.scenario.schema import Condition

# Leaf tests (column 0 of a row; columns 1-4 their integer arguments, ``value`` a float).
AFTER = 0  # turn >= a
BEFORE = 1  # turn * b < a (days from the start)
CONTROLS = 2  # owner[p=a] == s=b
OCCUPIED = 3  # owner[a] == b, held for c turns, d: the province is not b's home
COMMANDER = 4  # cmd_state[c=a] is b or c
PARTY_LEFT = 5  # party_left[a]
PARTY_WILL_BELOW = 6  # party_will[a] < value
FORCE_GONE = 7  # status[f=a] == GONE
FORCE_AT = 8  # force a active in province b, not on the road
FORCES_IN = 9  # side b's active men in the provinces of set a >= c
WILL_BELOW = 10  # will[s=a] < value
BATTLE = 11  # a battle in province a (-1: any) won by b (-1: any), lost by c (-1: any)
TALKS_OPEN = 12  # (talks >= 0) == a
FLAG = 13  # flags[a]
FIRED = 14  # fired[a]
HOLDS = 15  # provinces of set a (counted with repeats) held by side b >= c
VP_MARGIN = 16  # vp[a] - vp[other] >= value
ENGAGEMENT = 17  # recorded battle a fought, won by b (-1: any), lost by c (-1: any)
# Combinators over the last ``a`` results.
ALL = 20
ANY = 21
NOT = 22
SOME = 23  # at least b of the last a

_ACTIVE = int(ForceStatus.ACTIVE)
_GONE = int(ForceStatus.GONE)

_COMMANDER = {
    "commander_dead": (CommanderState.KILLED, CommanderState.KILLED),
    "commander_captured": (CommanderState.CAPTURED, CommanderState.CAPTURED),
    "commander_lost": (CommanderState.KILLED, CommanderState.CAPTURED),
}

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

_FORCE_TESTS = (FORCE_GONE, FORCE_AT, FORCES_IN)


class Readable(Protocol):
    """What a condition reads of a state: a :class:`~game.engine.state.CampaignState`, or one judged.

    The AI judges a treaty signed now on the state as it sees it
    (:class:`game.ai.determinize.Judged`), which works out the forces and the wills only
    if a condition reads them.
    """

    @property
    def runs(self) -> int:
        """Number of runs."""
        ...

    owner: npt.NDArray[np.int8]
    held_since: npt.NDArray[np.int16]
    last_battle: npt.NDArray[np.int8]
    status: npt.NDArray[np.int8]
    loc: npt.NDArray[np.int16]
    nxt: npt.NDArray[np.int16]
    men: npt.NDArray[np.int32]
    cmd_state: npt.NDArray[np.int8]
    party_left: B
    party_will: npt.NDArray[np.float32]
    will: npt.NDArray[np.float32]
    talks: npt.NDArray[np.int16]
    flags: B
    fired: B
    rec_winner: npt.NDArray[np.int8]


@dataclass(frozen=True)
class Program:
    """Conditions as postfix code: ``code[starts[k]:starts[k+1]]`` is condition ``k``.

    ``code`` rows are ``(test, a, b, c, d)``, ``value`` the float argument of each row,
    ``sets`` ``[sets, P]`` how many times each province is named in each list of
    provinces, ``depth`` the deepest stack any condition needs, ``vp`` whether any test
    reads the victory points, ``forces`` whether any reads the forces (their status,
    place and men) and ``will`` whether any reads a side's will.
    """

    conds: tuple[Condition | None, ...]
    code: I64
    value: npt.NDArray[np.float64]
    starts: I64
    sets: I64
    depth: int
    vp: bool
    forces: bool
    will: bool


class _Builder:
    """Writes the postfix code of conditions, resolving ids against one scenario."""

    def __init__(self, scn: CompiledScenario) -> None:
        self.scn = scn
        self.rows: list[tuple[int, int, int, int, int]] = []
        self.values: list[float] = []
        self.sets: list[npt.NDArray[np.int64]] = []
        self.vp = False

    def emit(self, op: int, a: int = 0, b: int = 0, c: int = 0, d: int = 0, v: float = 0.0):
        self.rows.append((op, a, b, c, d))
        self.values.append(v)

    def province_set(self, provinces: Sequence[str], home_of: str | None = None) -> int:
        scn = self.scn
        counts = np.zeros(scn.P, np.int64)
        for p in provinces:
            counts[scn.province_index[p]] += 1
        if home_of is not None:
            counts[scn.home[scn.side_index[home_of]]] += 1
        self.sets.append(counts)
        return len(self.sets) - 1

    def write(self, cond: Condition) -> int:
        """Append ``cond``'s code; return the stack depth it needs."""
        scn = self.scn
        key = cond.key()
        val = getattr(cond, key)
        pi, si = scn.province_index, scn.side_index
        opt = lambda side: NONE if side is None else si[side]  # noqa: E731
        if key in ("all", "any", "some_of"):
            subs = val.of if key == "some_of" else val
            depth = 0
            for k, sub in enumerate(subs):
                depth = max(depth, k + self.write(sub))
            op = {"all": ALL, "any": ANY, "some_of": SOME}[key]
            self.emit(op, len(subs), val.count if key == "some_of" else 0)
            return max(depth, 1)
        if key == "not_":
            depth = self.write(val)
            self.emit(NOT)
            return depth
        if key == "after":
            self.emit(AFTER, (val - scn.start).days // scn.turn_days)
        elif key == "before":
            self.emit(BEFORE, (val - scn.start).days, scn.turn_days)
        elif key == "controls":
            self.emit(CONTROLS, pi[val.province], si[val.side])
        elif key == "occupied":
            p, s = pi[val.province], si[val.by]
            self.emit(OCCUPIED, p, s, val.turns, int(scn.home_side[p] != s))
        elif key in _COMMANDER:
            self.emit(COMMANDER, scn.commander_index[val], *map(int, _COMMANDER[key]))
        elif key == "party_left":
            self.emit(PARTY_LEFT, scn.party_index[val])
        elif key == "party_will_below":
            self.emit(PARTY_WILL_BELOW, scn.party_index[val.party], v=float(np.float32(val.value)))
        elif key == "force_destroyed":
            self.emit(FORCE_GONE, scn.force_index[val])
        elif key == "force_at":
            self.emit(FORCE_AT, scn.force_index[val.force], pi[val.province])
        elif key == "forces_in":
            m = self.province_set(val.provinces, val.home_of)
            self.emit(FORCES_IN, m, si[val.side], val.at_least)
        elif key == "war_will_below":
            self.emit(WILL_BELOW, si[val.side], v=float(np.float32(val.value)))
        elif key == "battle":
            p = NONE if val.province is None else pi[val.province]
            self.emit(BATTLE, p, opt(val.winner), opt(val.loser))
        elif key == "talks_open":
            self.emit(TALKS_OPEN, int(bool(val)))
        elif key == "flag":
            self.emit(FLAG, scn.flag_index[val])
        elif key == "event_fired":
            self.emit(FIRED, scn.event_index[val])
        elif key == "holds":
            self.emit(HOLDS, self.province_set(val.provinces), si[val.side], val.at_least)
        elif key == "vp_margin":
            self.vp = True
            self.emit(VP_MARGIN, si[val.side], v=float(val.at_least))
        elif key == "engagement":
            e = scn.rec_battle_index[val.id]
            self.emit(ENGAGEMENT, e, opt(val.winner), opt(val.loser))
        else:  # pragma: no cover - the schema admits no other key
            raise AssertionError(f"unhandled condition {key}")
        return 1


def program(scn: CompiledScenario, conds: Sequence[Condition | None]) -> Program:
    """Return the code of ``conds`` for ``scn``, built once and kept with the scenario.

    A missing condition (None) never holds.  The code is kept under the conditions'
    identities, with the conditions themselves so that an identity is never reused.
    """
    by_tuple: dict[int, Program] = scn.extra.setdefault("condition_programs_by_tuple", {})
    if isinstance(conds, tuple):  # a caller's own tuple, asked for every turn
        prog = by_tuple.get(id(conds))
        if prog is not None and prog.conds is conds:  # the program holds it: ids not reused
            return prog
    kept: dict[tuple[int, ...], Program] = scn.extra.setdefault("condition_programs", {})
    ids = tuple(map(id, conds))
    prog = kept.get(ids)
    if prog is not None and all(a is b for a, b in zip(prog.conds, conds, strict=True)):
        if prog.conds is conds:
            by_tuple[id(conds)] = prog
        return prog
    build = _Builder(scn)
    starts, depth = [0], 1
    for cond in conds:
        if cond is None:
            build.emit(ANY, 0)  # the empty "any": false
        else:
            depth = max(depth, build.write(cond))
        starts.append(len(build.rows))
    prog = kept[ids] = Program(
        conds=tuple(conds),
        code=np.array(build.rows, np.int64).reshape(-1, 5),
        value=np.array(build.values, np.float64),
        starts=np.array(starts, np.int64),
        sets=np.array(build.sets, np.int64).reshape(-1, scn.P),
        depth=depth,
        vp=build.vp,
        forces=any(row[0] in _FORCE_TESTS for row in build.rows),
        will=any(row[0] == WILL_BELOW for row in build.rows),
    )
    if prog.conds is conds:
        by_tuple[id(conds)] = prog
    return prog


# What the kernel is given for a part of the state no condition reads: empty arrays of
# the state's own dtypes (the same compiled kernel), never indexed.
_NO_FORCES = (
    np.zeros((0, 0), np.int8),
    np.zeros((0, 0), np.int16),
    np.zeros((0, 0), np.int16),
    np.zeros((0, 0), np.int32),
)
_NO_WILL = np.zeros((0, 0), np.float32)
_NO_VP = np.zeros((0, 0), np.float64)
_ROWS: dict[int, npt.NDArray[np.int64]] = {}
_WANT: dict[int, B] = {}


_KEPT = 64
"""Sizes up to which those arrays are kept (small batches, where making them shows)."""


def _every_row(n: int) -> npt.NDArray[np.int64]:
    """Return ``0 .. n-1``, kept for small sizes (the kernel only reads it)."""
    if n > _KEPT:
        return np.arange(n, dtype=np.int64)
    if n not in _ROWS:
        _ROWS[n] = np.arange(n, dtype=np.int64)
    return _ROWS[n]


def _every_condition(n: int) -> B:
    """Return ``n`` flags all set, kept for small sizes (the kernel only reads them)."""
    if n > _KEPT:
        return np.ones(n, np.bool_)
    if n not in _WANT:
        _WANT[n] = np.ones(n, np.bool_)
    return _WANT[n]


def holds(
    scn: CompiledScenario,
    st: Readable,
    conds: Sequence[Condition | None],
    turn: int,
    rows: npt.NDArray[np.int64] | None = None,
    want: B | None = None,
) -> B:
    """Return ``[R, len(conds)]``: where each condition holds in the state at ``turn``.

    ``rows`` (positions in the batch) reads those runs alone, in that order (``[len(rows),
    len(conds)]``), without copying the state; ``want`` (one flag per condition) reads only
    the conditions flagged, the others answered False.  The events phase reads again only
    the runs an event fired in, and only the events still to come.  Parts of the state
    that no condition reads (the forces, the wills) are not read at all.
    """
    prog = program(scn, conds)
    every = rows is None
    rows = _every_row(st.runs) if every else rows.astype(np.int64)
    want = _every_condition(len(conds)) if want is None else want
    if prog.vp:
        vp = victory_points(scn, st.owner if every else st.owner[rows])
    else:
        vp = _NO_VP
    return _run(  # type: ignore[no-any-return]
        prog.code,
        prog.value,
        prog.starts,
        prog.sets,
        prog.depth,
        int(turn),
        _force_side(scn),
        rows,
        want,
        (st.owner, st.held_since, st.last_battle),
        (st.status, st.loc, st.nxt, st.men) if prog.forces else _NO_FORCES,
        (st.cmd_state, st.party_left, st.party_will, st.will if prog.will else _NO_WILL, st.talks),
        (st.flags, st.fired, st.rec_winner, vp),
    )


def _force_side(scn: CompiledScenario) -> npt.NDArray[np.int64]:
    """Return each force slot's side as int64 (what the kernel reads; made once)."""
    if "condition_force_side" not in scn.extra:
        scn.extra["condition_force_side"] = scn.force_side.astype(np.int64)
    return scn.extra["condition_force_side"]  # type: ignore[no-any-return]


@jit.kernel
def _leaf(op, a, b, c, d, v, turn, sets, force_side, rows, places, forces, people, marks, row):
    """Write leaf test ``op`` with arguments ``a..d, v`` for the runs ``rows`` into ``row``.

    The state is read at ``rows[i]``; the victory points (worked out for those runs
    alone) at ``i``.
    """
    owner, held_since, last_battle = places
    status, loc, nxt, men = forces
    cmd_state, party_left, party_will, will, talks = people
    flags, fired, rec_winner, vp = marks
    for i in range(row.size):
        r = rows[i]
        if op == AFTER:
            row[i] = turn >= a
        elif op == BEFORE:
            row[i] = turn * b < a
        elif op == CONTROLS:
            row[i] = owner[r, a] == b
        elif op == OCCUPIED:
            row[i] = owner[r, a] == b and turn - held_since[r, a] >= c and d != 0
        elif op == COMMANDER:
            row[i] = cmd_state[r, a] == b or cmd_state[r, a] == c
        elif op == PARTY_LEFT:
            row[i] = party_left[r, a]
        elif op == PARTY_WILL_BELOW:
            row[i] = party_will[r, a] < v
        elif op == FORCE_GONE:
            row[i] = status[r, a] == _GONE
        elif op == FORCE_AT:
            row[i] = status[r, a] == _ACTIVE and loc[r, a] == b and nxt[r, a] == NONE
        elif op == FORCES_IN:
            total = 0
            for f in range(force_side.size):
                p = loc[r, f]
                if force_side[f] == b and status[r, f] == _ACTIVE and p >= 0 and sets[a, p] > 0:
                    total += men[r, f]
            row[i] = total >= c
        elif op == WILL_BELOW:
            row[i] = will[r, a] < v
        elif op == BATTLE:
            lo, hi = (0, last_battle.shape[1]) if a < 0 else (a, a + 1)
            fought = False
            for p in range(lo, hi):
                won = last_battle[r, p]
                if won != NONE and (b < 0 or won == b) and (c < 0 or won == 1 - c):
                    fought = True
            row[i] = fought
        elif op == TALKS_OPEN:
            row[i] = (talks[r] >= 0) == (a != 0)
        elif op == FLAG:
            row[i] = flags[r, a]
        elif op == FIRED:
            row[i] = fired[r, a]
        elif op == HOLDS:
            n = 0
            for p in range(sets.shape[1]):
                if owner[r, p] == b:
                    n += sets[a, p]
            row[i] = n >= c
        elif op == VP_MARGIN:
            row[i] = vp[i, a] - vp[i, 1 - a] >= v
        else:  # ENGAGEMENT
            won = rec_winner[r, a]
            row[i] = won != NONE and (b < 0 or won == b) and (c < 0 or won == 1 - c)


@jit.kernel
def _run(
    code, value, starts, sets, depth, turn, force_side, rows, want, places, forces, people, marks
):
    """Return ``[len(rows), K]``: each wanted condition of the code in each of the runs.

    The code is run one row at a time for every run at once: the stack holds a row of
    answers per level, so each test is one call whatever the number of runs.
    """
    R = rows.size
    K = starts.size - 1
    out = np.zeros((R, K), np.bool_)
    stack = np.zeros((depth, R), np.bool_)
    for k in range(K):
        if not want[k]:
            continue
        sp = 0
        for i in range(starts[k], starts[k + 1]):
            op, a, b = code[i, 0], code[i, 1], code[i, 2]
            if op in (ALL, ANY, SOME):
                for r in range(R):
                    n = 0
                    for j in range(sp - a, sp):
                        n += stack[j, r]
                    if op == ALL:
                        stack[sp - a, r] = n == a
                    elif op == ANY:
                        stack[sp - a, r] = n > 0
                    else:
                        stack[sp - a, r] = n >= b
                sp += 1 - a
            elif op == NOT:
                for r in range(R):
                    stack[sp - 1, r] = not stack[sp - 1, r]
            else:
                _leaf(
                    op, a, b, code[i, 3], code[i, 4], value[i], turn,
                    sets, force_side, rows, places, forces, people, marks, stack[sp],
                )  # fmt: skip
                sp += 1
        for r in range(R):
            out[r, k] = stack[0, r]
    return out
