"""Battle odds for the AI: the combat odds API, tabulated once and interpolated.

A heuristic turn weighs hundreds of possible battles, and a look-ahead runs the heuristic
for hundreds of rollouts at once, so calling the resolver for every candidate battle
would blow the time budget many times over.  The resolver's outcome depends almost only
on the ratio of per-man effectiveness and the ratio of numbers (and weakly on the size
of the battle), so :func:`table` samples :func:`game.engine.combat.odds` once per set of
combat parameters on a grid of those three quantities, and :meth:`OddsTable.lookup`
interpolates it for any batch of battles.  Samples use common random numbers across the
grid (one integer preview key), which keeps the table smooth and monotone in practice.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from game import libm
from game.codes import Posture
from game.engine import jit
from game.engine.combat import BattleInput, CombatParams, odds
from game.engine.combat.prior import NONE

F64 = npt.NDArray[np.float64]

LOG_EFF: Final = np.linspace(-2.0, 2.0, 17)
"""Grid of ln(attacker / defender per-man effectiveness)."""
LOG_MEN: Final = np.linspace(-3.0, 3.0, 25)
"""Grid of ln(attacker / defender men)."""
LOG_SIZE: Final = np.linspace(math.log(150.0), math.log(30_000.0), 4)
"""Grid of ln(total men engaged), uniform in the logarithm."""
SAMPLES: Final = 96
"""Resolutions per grid cell (sampled once per machine and parameters, see :func:`stored_grid`)."""
PREVIEW_KEY: Final = 0x41_49
"""Preview seed of the table (common random numbers across the grid)."""


@dataclass(frozen=True)
class BattleOdds:
    """Interpolated odds of a batch of battles, every field broadcast to the batch shape.

    Attributes:
        p_win: Chance the attacker wins.
        p_loss: Chance the defender wins.
        att_loss: Expected share of the attacker's men lost (all causes).
        def_loss: Expected share of the defender's men lost.
        att_killed: Expected share of the attacker's men killed.
        def_killed: Expected share of the defender's men killed.
        att_cmd: Chance the attacker's commander is lost (at exposure 1).
        def_cmd: Chance the defender's commander is lost (at exposure 1).
    """

    p_win: F64
    p_loss: F64
    att_loss: F64
    def_loss: F64
    att_killed: F64
    def_killed: F64
    att_cmd: F64
    def_cmd: F64


class OddsTable:
    """Odds tabulated on (ln effectiveness ratio, ln men ratio, ln total men)."""

    FIELDS: Final = (
        "p_win",
        "p_loss",
        "att_loss",
        "def_loss",
        "att_killed",
        "def_killed",
        "att_cmd",
        "def_cmd",
    )

    def __init__(self, params: CombatParams, samples: int = SAMPLES, unknown: int = NONE) -> None:
        """Tabulate the odds of ``params``.

        ``unknown`` ratings (a :mod:`~game.engine.combat.prior` mask) are drawn from the
        record; the grid's effectiveness ratio is then that of the known part.
        """
        self.params = params
        self.unknown = unknown
        self.grid, fine = stored(params, samples, unknown)
        self.fine = list(fine)
        """Each field on the refined grid, flattened (:func:`refine`)."""
        self.size_cuts = size_cuts()

    def lookup(
        self,
        log_eff: npt.ArrayLike,
        log_men: npt.ArrayLike,
        size: npt.ArrayLike,
        fields: tuple[str, ...] | None = None,
    ) -> BattleOdds:
        """Return the odds of battles given by the three ratios (broadcast).

        The nearest point of the refined grid, one gather per field wanted (this is the
        AI's innermost loop: it avoids searching the grid and interpolating each time).

        Args:
            log_eff: ln(attacker / defender per-man effectiveness), posture and terrain in.
            log_men: ln(attacker / defender men).
            size: Total men engaged.
            fields: The odds wanted (default all); the others are returned as zeros.
        """
        arrays = np.broadcast_arrays(
            np.asarray(log_eff, np.float64),
            np.asarray(log_men, np.float64),
            np.asarray(size, np.float64),
        )
        shape = arrays[0].shape
        idx = fine_indices(*(a.ravel() for a in arrays), self.size_cuts).reshape(shape)
        return self.at(idx, fields)

    def at(self, idx: npt.NDArray[np.int64], fields: tuple[str, ...] | None = None) -> BattleOdds:
        """Return the odds at the fine grid's points ``idx`` (one gather per field wanted).

        ``idx`` as :func:`battle_index` gives it; the fields not wanted are zeros.
        """
        full = dict.fromkeys(self.FIELDS, np.zeros(idx.shape, np.float32))
        for f in fields or self.FIELDS:
            full[f] = self.fine[self.FIELDS.index(f)].take(idx)
        return BattleOdds(**full)


def sample_grid(params: CombatParams, samples: int, unknown: int) -> F64:
    """Return the odds of ``params`` sampled on the grid, ``[fields, eff, men, size]``.

    Each cell is :func:`game.engine.combat.odds` of one meeting battle, ``samples``
    resolutions with the table's preview key (common random numbers across the grid).
    """
    e, n, s = np.meshgrid(LOG_EFF, LOG_MEN, LOG_SIZE, indexing="ij")
    total = libm.exp(s)
    share = 1.0 / (1.0 + libm.exp(-n))
    inp = BattleInput.build(
        att_men=np.maximum(np.round(total * share), 1.0).ravel(),
        def_men=np.maximum(np.round(total * (1.0 - share)), 1.0).ravel(),
        att_quality=libm.exp(e / 2.0).ravel(),
        def_quality=libm.exp(-e / 2.0).ravel(),
        posture=int(Posture.MEETING),
        keys=np.uint64(0),
    )
    res = odds(inp, params, samples=samples, key=PREVIEW_KEY, unknown=unknown)
    att_men = np.maximum(inp.att_men, 1.0)
    def_men = np.maximum(inp.def_men, 1.0)
    cols = {
        "p_win": [o.p_attacker_wins for o in res],
        "p_loss": [o.p_defender_wins for o in res],
        "att_loss": [o.attacker_casualty_fraction.median for o in res],
        "def_loss": [o.defender_casualty_fraction.median for o in res],
        "att_killed": np.array([o.expected_attacker_killed for o in res]) / att_men,
        "def_killed": np.array([o.expected_defender_killed for o in res]) / def_men,
        "att_cmd": [o.p_attacker_commander_lost for o in res],
        "def_cmd": [o.p_defender_commander_lost for o in res],
    }
    return np.stack(
        [np.asarray(cols[k], dtype=np.float64).reshape(e.shape) for k in OddsTable.FIELDS]
    )


def refine(grid: F64) -> npt.NDArray[np.float32]:
    """Return each field on a grid :data:`REFINE` times finer, ``[fields, points]`` float32.

    The sampled grid is interpolated trilinearly once, here; lookups then take the
    nearest point of the fine grid, a single gather per field (a quarter of a coarse
    cell is well inside the sampling noise of the table).
    """
    axes = [_fine_axis(g) for g in (LOG_EFF, LOG_MEN, LOG_SIZE)]
    x, y, z = np.meshgrid(*axes, indexing="ij")
    ix, fx = _cell(LOG_EFF, x, x.shape)
    iy, fy = _cell(LOG_MEN, y, y.shape)
    iz, fz = _cell(LOG_SIZE, z, z.shape)
    out = np.zeros((len(OddsTable.FIELDS), *x.shape))
    for dx, wx in ((0, 1.0 - fx), (1, fx)):
        for dy, wy in ((0, 1.0 - fy), (1, fy)):
            for dz, wz in ((0, 1.0 - fz), (1, fz)):
                out += grid[:, ix + dx, iy + dy, iz + dz] * (wx * wy * wz)
    return np.ascontiguousarray(out.reshape(len(out), -1), dtype=np.float32)


def table_file(params: CombatParams, samples: int, unknown: int) -> Path:
    """Return the file a table is kept in, named by everything that makes it.

    The name hashes the package's source (the resolver, the grids, the preview key),
    the numpy and numba versions, the combat parameters (``repr`` of floats is exact),
    the sample count and the unknown ratings: any change gives another file.
    """
    key = "|".join(
        (
            jit.package_stamp(),
            np.__version__,
            jit.numba_version(),
            repr(params),
            str(samples),
            str(unknown),
        )
    )
    name = f"odds-{hashlib.sha256(key.encode()).hexdigest()[:32]}.npz"
    return jit.cache_folder() / name


def stored(
    params: CombatParams, samples: int = SAMPLES, unknown: int = NONE
) -> tuple[F64, npt.NDArray[np.float32]]:
    """Return :func:`sample_grid` and its :func:`refine`, from this machine's cache if kept.

    Sampling and refining take over half a second of CPU (a second with the resolver's
    kernels to load), paid by every process that plays a turn: each worker of a study,
    each window.  So the arrays are kept in a file the program writes itself
    (atomically, under a hashed name: :func:`table_file`) and read back as bare arrays
    (``allow_pickle=False``), the same floats bit for bit.  A file unreadable or of the
    wrong shape is sampled again and rewritten; a folder that cannot be written only
    costs the time.
    """
    shape = (len(OddsTable.FIELDS), LOG_EFF.size, LOG_MEN.size, LOG_SIZE.size)
    points = _fine_size(LOG_EFF) * _fine_size(LOG_MEN) * _fine_size(LOG_SIZE)
    path = table_file(params, samples, unknown)
    try:
        with path.open("rb") as fh:
            kept = np.load(fh, allow_pickle=False)
            if not isinstance(kept, np.lib.npyio.NpzFile):
                raise ValueError("not an npz file")
            with kept:
                grid, fine = kept["grid"], kept["fine"]
        if (
            grid.dtype == np.float64
            and grid.shape == shape
            and fine.dtype == np.float32
            and fine.shape == (shape[0], points)
        ):
            return grid, fine
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass
    grid = sample_grid(params, samples, unknown)
    fine = refine(grid)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".odds-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, grid=grid, fine=fine)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return grid, fine


REFINE: Final = 4
"""How many times finer than the sampled grid lookups are (per axis)."""


def _fine_axis(grid: F64) -> F64:
    return np.linspace(grid[0], grid[-1], _fine_size(grid))


def _fine_size(grid: F64) -> int:
    """Return the number of points of the refined ``grid`` (without building it)."""
    return (grid.size - 1) * REFINE + 1


def _nearest(grid: F64, x: npt.ArrayLike) -> npt.NDArray[np.intp]:
    """Return the index of the nearest point of the refined ``grid`` for each ``x``.

    Used to build :func:`size_cuts`; :func:`fine_index` is the same, one battle at a time.
    """
    n = (grid.size - 1) * REFINE
    lo = np.float32(grid[0])
    scale = np.float32(n / (grid[-1] - grid[0]))
    u = (np.asarray(x, np.float32) - lo) * scale + np.float32(0.5)
    return np.minimum(np.maximum(u, 0), n).astype(np.intp)  # as np.clip(u, 0, n), cheaper


def _size_index(size: npt.NDArray[np.float32]) -> npt.NDArray[np.intp]:
    """Return the fine grid's index of each total of men ``size`` (float32), with numpy."""
    return _nearest(LOG_SIZE, np.log(np.maximum(size, np.float32(1.0))))


def size_cuts() -> npt.NDArray[np.float32]:
    """Return the least float32 total of men at each step of the size axis of the fine grid.

    The size axis is in the logarithm of the men, taken in float32.  numpy's float32
    logarithm is its own vectorised one, which differs in the last bit from the C
    library's that a kernel calls for one value in about twenty: near a step of the grid
    that would change the point looked up, and with it a decision.  So the steps are
    found here, once, with numpy's own logarithm (a bisection on the float32 bit
    patterns), and :func:`fine_index` compares a total with them: the index numpy's
    logarithm would give, bit for bit, without a logarithm at all.  It relies on
    numpy's logarithm never decreasing, which the tests check around every step.
    """
    n = _fine_size(LOG_SIZE) - 1
    steps = np.arange(1, n + 1)
    lo = np.full(n, np.float32(1.0).view(np.int32), np.int64)  # index 0
    hi = np.full(n, np.float32(2.0**24).view(np.int32), np.int64)  # index n
    while (hi - lo > 1).any():
        mid = (lo + hi) // 2
        up = _size_index(mid.astype(np.int32).view(np.float32)) >= steps
        hi, lo = np.where(up, mid, hi), np.where(up, lo, mid)
    return hi.astype(np.int32).view(np.float32)


def _axis(grid: F64) -> tuple[np.float32, np.float32, int]:
    """Return the float32 start and steps per unit of the refined ``grid``, and its last index."""
    n = (grid.size - 1) * REFINE
    return np.float32(grid[0]), np.float32(n / (grid[-1] - grid[0])), n


_EFF_LO, _EFF_SCALE, _EFF_N = _axis(LOG_EFF)
_MEN_LO, _MEN_SCALE, _MEN_N = _axis(LOG_MEN)
_HALF = np.float32(0.5)


@jit.kernel
def _nearest_one(x, lo, scale, n):
    """Return the nearest point of a refined axis to ``x``, as :func:`_nearest` (float32)."""
    u = (np.float32(x) - lo) * scale + _HALF
    u = max(min(u, np.float32(n)), np.float32(0.0))
    return np.int64(u)


@jit.kernel
def fine_index(log_eff, log_men, size, cuts):
    """Return the row-major index of the fine grid's point nearest one battle.

    ``log_eff`` and ``log_men`` as :meth:`OddsTable.lookup`; ``size`` the total men,
    placed on its axis by the float32 steps ``cuts`` (:func:`size_cuts`).
    """
    s = max(np.float32(size), np.float32(1.0))
    k = 0
    while k < cuts.size and cuts[k] <= s:
        k += 1
    i = _nearest_one(log_eff, _EFF_LO, _EFF_SCALE, _EFF_N) * (_MEN_N + 1)
    i = (i + _nearest_one(log_men, _MEN_LO, _MEN_SCALE, _MEN_N)) * (cuts.size + 1)
    return i + k


@jit.kernel
def fine_indices(log_eff, log_men, size, cuts):
    """Return :func:`fine_index` of each of a batch of battles (flat arrays)."""
    out = np.empty(log_eff.size, np.int64)
    for j in range(log_eff.size):
        out[j] = fine_index(log_eff[j], log_men[j], size[j], cuts)
    return out


@jit.kernel
def push_of(log_eff, lead, surprise, init, dfd_init, theta_lead, theta_surprise):
    """Return an attacker's part of a battle's ln effectiveness ratio (one battle).

    Its ln effectiveness, leadership and surprise, the surprise being its arms' surprise
    plus half its lead in initiative over the defender's, clipped to the resolver's
    range (:func:`game.engine.battle_sides.surprise_level`).  The one implementation:
    :meth:`~game.ai.features.Situation.push` and ``battle`` call it for grids of battles.
    """
    level = min(max(surprise + 0.5 * (init - dfd_init), -3.0), 3.0)
    return log_eff + theta_lead * lead + theta_surprise * level


@jit.kernel
def battle_index(push, att_men, dfd_men, dfd_log_eff, dfd_lead, posture, place, terms):
    """Return the odds table's index of one battle: the odds of a push, written once.

    ``push`` is the attackers' part of the ln effectiveness ratio (:func:`push_of`),
    ``att_men`` and ``dfd_men`` the men of each side, ``dfd_log_eff`` and ``dfd_lead``
    the defenders' ln effectiveness and leadership, ``posture`` the defenders' posture
    and ``place`` the province (its terrain); ``terms`` holds the combat's weight of
    leadership, the ln effect of each posture and each province's terrain, and the
    table's size steps (:func:`size_cuts`).  Every look-up of the AI goes through here,
    from the situation's grids of battles (:meth:`game.ai.features.Situation.battle`) and
    from the kernels alike.
    """
    log_att, log_dfd = np.log(max(att_men, 1.0)), np.log(max(dfd_men, 1.0))
    return battle_index_logs(
        push, att_men, dfd_men, log_att, log_dfd, dfd_log_eff, dfd_lead, posture, place, terms
    )


@jit.kernel
def battle_index_logs(
    push, att_men, dfd_men, log_att, log_dfd, dfd_log_eff, dfd_lead, posture, place, terms
):
    """Return :func:`battle_index` given ``ln max(men, 1)`` of each side.

    For a kernel that meets one side's men with many battles and takes its logarithm
    once (the chance of keeping a place against each of three threats).
    """
    theta_lead, log_posture, log_terrain, cuts = terms
    ratio = push - dfd_log_eff - theta_lead * dfd_lead - log_posture[posture] - log_terrain[place]
    return fine_index(ratio, log_att - log_dfd, att_men + dfd_men, cuts)


def _cell(grid: F64, x: npt.ArrayLike, shape: tuple[int, ...]) -> tuple[npt.NDArray[np.int64], F64]:
    """Return the cell index and the fraction within it of each ``x`` on a uniform grid."""
    step = (grid[-1] - grid[0]) / (grid.size - 1)
    lo, hi = np.float32(grid[0]), np.float32(grid[-1])
    xs = np.broadcast_to(np.asarray(x, np.float32), shape)
    u = (np.clip(xs, lo, hi) - lo) * np.float32(1.0 / step)
    i = np.minimum(u.astype(np.int32), grid.size - 2)
    return i, u - i.astype(np.float32)


_TABLES: dict[tuple[CombatParams, int], OddsTable] = {}


def table(params: CombatParams, unknown: int = NONE) -> OddsTable:
    """Return the odds table of a set of combat parameters (built on first use).

    ``unknown`` marks the ratings drawn from the record (the enemy's: :data:`DEFENDER`
    when the AI attacks, :data:`ATTACKER` when it is attacked).
    """
    t = _TABLES.get((params, unknown))
    if t is None:
        t = _TABLES[params, unknown] = OddsTable(params, unknown=unknown)
    return t
