"""Resolving a batch of battles: blocks on threads, then the pursuit and the rout.

Battles are cut into equal blocks fought on threads (the compiled kernel releases the
GIL); each block is fought to its end, pursuit and rout included, by one compiled call
(:mod:`game.engine.combat.ticks`).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Final

import numpy as np
import numpy.typing as npt

from game.engine.combat.effectiveness import log_effectiveness
from game.engine.combat.inputs import BattleInput
from game.engine.combat.params import CombatParams

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
BoolArr = npt.NDArray[np.bool_]

BLOCK: Final = 65_536
"""Battles resolved together by one worker.  Large enough that threads rarely wait for
each other and the per-block set-up (the effectiveness, in numpy) is amortised."""


@dataclass
class BattleResult:
    """Outcome of ``n`` battles; every field is an array of length ``n``.

    Casualties are whole men; on each side ``killed + wounded + captured`` never exceeds
    the men engaged.  Commanders are "killed" if killed or mortally wounded in the
    fighting or cut down in the rout, "captured" if taken in the rout.

    Attributes:
        winner: ``int8`` :class:`~game.codes.Winner`: 1 attacker, -1 defender,
            0 draw (nobody broke).
        att_killed: Attacker's men killed.
        att_wounded: Attacker's men wounded (out of the fight, not captured).
        att_captured: Attacker's men captured or missing.
        def_killed: Defender's men killed.
        def_wounded: Defender's men wounded.
        def_captured: Defender's men captured or missing.
        hours: Hours of active fighting.
        days: Calendar days the battle lasted (1 .. max_days).
        att_cmd_killed: The attacker's commander was killed.
        att_cmd_captured: The attacker's commander was captured.
        def_cmd_killed: The defender's commander was killed.
        def_cmd_captured: The defender's commander was captured.
    """

    winner: npt.NDArray[np.int8]
    att_killed: I64
    att_wounded: I64
    att_captured: I64
    def_killed: I64
    def_wounded: I64
    def_captured: I64
    hours: F64
    days: I64
    att_cmd_killed: BoolArr
    att_cmd_captured: BoolArr
    def_cmd_killed: BoolArr
    def_cmd_captured: BoolArr

    def __len__(self) -> int:
        return int(self.winner.shape[0])

    @property
    def att_casualties(self) -> I64:
        """Attacker's men lost: killed, wounded and captured."""
        return self.att_killed + self.att_wounded + self.att_captured

    @property
    def def_casualties(self) -> I64:
        """Defender's men lost: killed, wounded and captured."""
        return self.def_killed + self.def_wounded + self.def_captured

    def take(self, index: object) -> BattleResult:
        """Return the results at ``index`` (an integer array, slice or boolean mask)."""
        return BattleResult(**{f.name: getattr(self, f.name)[index] for f in fields(self)})


_Out = tuple[npt.NDArray[np.int8], I64, I64, I64, F64, I64, BoolArr, BoolArr]
"""What the kernel writes: winner, killed, wounded, captured ``[2, n]`` (attacker first),
hours, days, commanders killed and captured ``[2, n]``."""


def _empty_result(n: int) -> tuple[BattleResult, _Out]:
    """Return a result for ``n`` battles, and the arrays the kernel fills it through."""
    out: _Out = (
        np.zeros(n, np.int8),
        np.zeros((2, n), np.int64),
        np.zeros((2, n), np.int64),
        np.zeros((2, n), np.int64),
        np.zeros(n),
        np.ones(n, np.int64),
        np.zeros((2, n), bool),
        np.zeros((2, n), bool),
    )
    winner, killed, wounded, captured, hours, days, cmd_killed, cmd_captured = out
    result = BattleResult(
        winner=winner,
        att_killed=killed[0],
        att_wounded=wounded[0],
        att_captured=captured[0],
        def_killed=killed[1],
        def_wounded=wounded[1],
        def_captured=captured[1],
        hours=hours,
        days=days,
        att_cmd_killed=cmd_killed[0],
        att_cmd_captured=cmd_captured[0],
        def_cmd_killed=cmd_killed[1],
        def_cmd_captured=cmd_captured[1],
    )
    return result, out


def _resolve_block(inp: BattleInput, p: CombatParams, out: _Out, sl: slice) -> None:
    """Fight the battles at ``sl`` and write their results there (one thread's job).

    The fighting, the pursuit and the rout are one compiled call
    (:func:`game.engine.combat.ticks.fight_block`), which releases the GIL.
    """
    from game.engine.combat.ticks import fight_block, packed

    part = inp.take(sl)
    fight_block(
        (
            part.att_men,
            part.def_men,
            part.att_exposure,
            part.def_exposure,
            part.att_leadership,
            part.def_leadership,
            part.att_cavalry,
            part.def_cavalry,
            part.keys,
        ),
        log_effectiveness(part, p),
        packed(p),
        tuple(a[..., sl] for a in out),
    )


def default_workers() -> int:
    """Return how many threads :func:`resolve` uses by default: the usable cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


MIN_SPLIT: Final = 16_384
"""Smallest block worth a thread of its own: below it the per-tick overhead of a second
block costs more than the second core saves."""


def _blocks(n: int, block: int, workers: int) -> list[slice]:
    """Return equal slices of ``n`` battles, at most ``block`` each.

    When the batch is big enough to share, their number is a multiple of ``workers``, so
    that no thread is left idle while another finishes a long block.
    """
    count = -(-n // block)
    if workers > 1 and n >= workers * MIN_SPLIT:
        count = -(-count // workers) * workers
    size = -(-n // max(count, 1))
    return [slice(i, min(i + size, n)) for i in range(0, n, max(size, 1))]


def resolve(
    inp: BattleInput, params: CombatParams, *, workers: int | None = None, block: int = BLOCK
) -> BattleResult:
    """Resolve every battle of ``inp`` at once.

    Battles are cut into equal blocks of at most ``block`` that are fought on up to
    ``workers`` threads (the compiled kernel releases the GIL).  Because every draw is keyed by the battle's
    own key, the result is identical whatever the blocks, threads or batch.

    Args:
        inp: The battles.
        params: Combat parameters.
        workers: Threads to use; default :func:`default_workers`.
        block: Most battles per block.

    Returns:
        One result per battle, in input order.

    Raises:
        ValueError: The input is malformed or out of range.
    """
    inp = inp.checked()
    n = len(inp)
    result, out = _empty_result(n)
    wanted = workers or default_workers()
    slices = _blocks(n, max(1, block), wanted)
    n_workers = min(wanted, len(slices))
    if n_workers <= 1:
        for sl in slices:
            _resolve_block(inp, params, out, sl)
        return result
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        for done in [pool.submit(_resolve_block, inp, params, out, sl) for sl in slices]:
            done.result()
    return result
