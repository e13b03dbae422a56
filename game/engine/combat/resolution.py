"""Resolving a batch of battles: blocks on threads, then the pursuit and the rout.

Battles are cut into equal blocks fought on threads (numpy releases the GIL in its
loops); each block is fought to its end (:mod:`game.engine.combat.ticks`), then the
loser suffers a heavy-tailed pursuit loss, larger against cavalry, and a beaten
commander still standing may be cut down or taken.  Casualties are whole men: losses
in the fighting are split by ``killed_share`` and ``captured_share`` (the rest wounded),
pursuit losses by ``pursuit_killed_share`` and ``pursuit_captured_share``; the killed are
rounded first, the captured get at most what remains and the wounded the rest, so
every count is exact and men are conserved.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Final

import numpy as np
import numpy.typing as npt

from game.engine.combat.draws import C_PURSUIT, C_ROUT, normal_pair
from game.engine.combat.inputs import BattleInput
from game.engine.combat.params import CombatParams
from game.engine.combat.ticks import FightRecord, fight
from game.rng import counter_bits, to_uniform_pair

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
BoolArr = npt.NDArray[np.bool_]

BLOCK: Final = 65_536
"""Battles resolved together by one worker.  Large enough that numpy's per-call overhead
is amortised (and threads rarely wait for each other), small enough that the working
arrays mostly stay in cache; measured best between 32k and 128k."""


_MAX_PURSUIT: Final = 0.9
"""Largest share of a beaten side's remaining men that the pursuit can take."""


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


def _split(total: F64, share: float, other: float) -> tuple[F64, F64, F64]:
    """Split whole casualties into (killed, wounded, captured) by rounding the shares.

    The killed are rounded first and the captured get at most what remains, so the
    three always add up exactly to ``total`` whatever the shares.  Whole numbers held
    as floats (exact far beyond any army's size).
    """
    killed = np.minimum(np.floor(total * share + 0.5), total)
    captured = np.minimum(np.floor(total * other + 0.5), total - killed)
    return killed, total - killed - captured, captured


def _cap_pursuit(k: F64, w: F64, c: F64, most: F64) -> tuple[F64, F64, F64]:
    """Limit the killed and wounded of a pursuit to ``most``; the rest are taken prisoner.

    The pursuers can cut down only so many men; beyond that a routed army surrenders.
    """
    kw = k + w
    over = kw > most
    k_new = np.where(over, np.floor(k * most / np.maximum(kw, 1.0)), k)
    w_new = np.where(over, most - k_new, w)
    return k_new, w_new, c + (kw - k_new - w_new)


def _finish(
    inp: BattleInput, p: CombatParams, o: FightRecord, out: BattleResult, sl: slice
) -> None:
    """Apply pursuit and the rout to a block's outcomes and write them into ``out``."""
    keys = inp.keys
    w = o.winner
    att_lost = w == -1
    decisive = w != 0
    z, _ = normal_pair(keys, C_PURSUIT)
    u, _ = to_uniform_pair(counter_bits(keys, C_ROUT))
    # The pursuit: a share pi of the loser's men still standing, more against cavalry.
    base = np.where(
        att_lost, p.pi0_att * (1.0 + inp.def_cavalry), p.pi0_def * (1.0 + inp.att_cavalry)
    )
    pi = np.minimum(base * np.exp(p.sigma_pi * z.astype(np.float64)), _MAX_PURSUIT)
    pi *= decisive
    pursuers = np.where(att_lost, o.left[1], o.left[0])
    chased = np.floor(pi * np.where(att_lost, o.left[0], o.left[1]) + 0.5)
    chased = np.minimum(chased, np.floor(p.capture_cap * pursuers))
    chased_k, chased_w, chased_c = _split(chased, p.pursuit_killed_share, p.pursuit_captured_share)
    chased_k, chased_w, chased_c = _cap_pursuit(
        chased_k, chased_w, chased_c, np.floor(p.pursuit_cap * pursuers)
    )

    # The beaten commander, if still up, is cut down or taken with probability rho * pi:
    # half of that chance each (u below rho*pi/2: killed; between it and rho*pi: taken).
    rout = p.rho * pi
    cut_down = u < 0.5 * rout
    taken = (u < rout) & ~cut_down

    for i, (side, lost) in enumerate((("att", att_lost), ("def", w == 1))):
        men0 = np.floor(inp.att_men if i == 0 else inp.def_men)
        k, wd, c = _split(men0 - o.left[i], p.killed_share, p.captured_share)
        getattr(out, f"{side}_killed")[sl] = k + chased_k * lost
        getattr(out, f"{side}_wounded")[sl] = wd + chased_w * lost
        getattr(out, f"{side}_captured")[sl] = c + chased_c * lost
        exposure = inp.att_exposure if i == 0 else inp.def_exposure
        routed = lost & (exposure > 0.0) & (men0 > 0.0) & ~o.fell[i]
        getattr(out, f"{side}_cmd_killed")[sl] = o.fell[i] | (routed & cut_down)
        getattr(out, f"{side}_cmd_captured")[sl] = routed & taken
    out.winner[sl] = w
    out.hours[sl] = o.hours
    out.days[sl] = o.days


def _resolve_block(inp: BattleInput, p: CombatParams, out: BattleResult, sl: slice) -> None:
    """Fight the battles at ``sl`` and write their results there (one thread's job)."""
    part = inp.take(sl)
    _finish(part, p, fight(part, p), out, sl)


def _empty_result(n: int) -> BattleResult:
    """Return a result for ``n`` battles, to be filled in block by block."""
    ints = {name: np.zeros(n, np.int64) for name in ("att_killed", "att_wounded", "att_captured")}
    ints |= {name: np.zeros(n, np.int64) for name in ("def_killed", "def_wounded", "def_captured")}
    flags = {
        name: np.zeros(n, bool)
        for name in ("att_cmd_killed", "att_cmd_captured", "def_cmd_killed", "def_cmd_captured")
    }
    return BattleResult(
        winner=np.zeros(n, np.int8), hours=np.zeros(n), days=np.ones(n, np.int64), **ints, **flags
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
    ``workers`` threads (numpy releases the GIL in its loops).  Because every draw is keyed by the battle's
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
    out = _empty_result(n)
    wanted = workers or default_workers()
    slices = _blocks(n, max(1, block), wanted)
    n_workers = min(wanted, len(slices))
    if n_workers <= 1:
        for sl in slices:
            _resolve_block(inp, params, out, sl)
        return out
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        for done in [pool.submit(_resolve_block, inp, params, out, sl) for sl in slices]:
            done.result()
    return out
