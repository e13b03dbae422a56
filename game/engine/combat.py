"""The vectorised battle resolver: thousands of battles at once, each fully keyed.

The model is a stochastic Helmbold-form attrition model (described for players in
``docs/rules.md``), calibrated on the pre-1900 battles of the CDB90 database
(:mod:`game.engine.calibration`, ``benchmarks/calibration.py``):

* Per-man effectiveness is a product of multipliers -- quality, the defender's posture
  and terrain, surprise, leadership, training and morale -- times a hidden per-battle
  "fortune" ``phi = exp(sigma_phi * z)`` for each side.  Fortune, not the casualty dice,
  is where most of the uncertainty of a battle comes from.
* Each tick of ``dt`` hours each side loses ``Poisson(k * dt * e_opp * N_opp**W *
  N_own**(1 - W))`` men, with ``k = k0 * (N_total / 10_000) ** -g_size`` (small actions
  are bloodier per hour).
* A side breaks when its losses, weighted by the power ratio against it, pass a random
  breakpoint, or when a hazard of collapse not caused by losses (outflanked, panic)
  fires; an annihilated side always breaks.  Nobody breaking by nightfall means the
  battle resumes next morning with probability ``p_continue``, else both disengage (a
  draw).
* The loser suffers a heavy-tailed pursuit loss, larger against cavalry.
* Commanders fall with a hazard proportional to their own side's losses and personal
  exposure; a fallen commander cuts his side's breakpoint by ``shock`` and takes his
  leadership with him.  A beaten commander still standing is lost in the rout with
  probability ``rho * pi`` (``pi`` the pursuit loss fraction), half of that chance
  killed and half captured: the data give no split, and both happened (Gamarra was
  killed at Ingavi, Tallard taken at Blenheim).
* Casualties are whole men.  Losses in the fighting are split by ``killed_share`` and
  ``captured_share`` (the rest wounded), pursuit losses by ``pursuit_killed_share`` and
  ``pursuit_captured_share``; the killed are rounded first, the captured get at most
  what remains and the wounded the rest, so every count is exact and men are conserved.

Determinism.  Every random number is a pure function of the battle's key and a fixed
draw index (:func:`game.rng.counter_bits`), so battle *b* gives the same result alone, in
any batch, at any position and whatever the chunking across threads.  The loop runs
over ticks only; battles are numpy arrays that are compacted as battles end.

Two exact shortcuts keep it fast: the per-tick hazard of a commander's death,
``1 - exp(-kappa * x * C_t / N0)``, compounds to ``exp(-kappa * x * sum(C_t) / N0)``, so one
Exp(1) threshold per commander against ``kappa * x * (cumulative loss fraction)`` is the
same process; and the collapse hazard is likewise one Exp(1) threshold per side against
its integrated hazard.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from game.codes import Posture
from game.rng import (
    Stream,
    counter_bits,
    derive,
    poisson_from_uniform,
    root_key,
    to_uniform_pair,
)

if TYPE_CHECKING:
    from game.scenario.schema import CombatRules

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
BoolArr = npt.NDArray[np.bool_]

# Draw indices within each battle's counter-based stream (game.rng.counter_bits).  Each
# index is used at most once per battle, so no two draws of a battle can coincide.
_C_FORTUNE: Final = 0
_C_BREAKPOINT: Final = 1
_C_COMMANDER: Final = 2
_C_COLLAPSE: Final = 3
_C_PURSUIT: Final = 4
_C_ROUT: Final = 5
_C_DAY: Final = 16
"""Plus the day index (0 .. max_days - 2): whether an unbroken battle resumes."""
_C_TICK: Final = 64
"""Plus the tick index, counted over all days: the casualty dice of each tick."""

BLOCK: Final = 65_536
"""Battles resolved together by one worker.  Large enough that numpy's per-call overhead
is amortised (and threads rarely wait for each other), small enough that the working
arrays mostly stay in cache; measured best between 32k and 128k."""

POISSON_EXACT_BELOW: Final = 1.0
"""Tick casualty means below this are drawn exactly by inversion; above it by a
skew-corrected (Cornish-Fisher) rounded normal, within about 1% total variation of the
Poisson (tests/test_combat.py checks it)."""

_COMPACT_SHARE: Final = 4
"""Compact the working arrays once more than 1/4 of the battles in them have ended: each
compaction copies every row, so doing it every tick would cost more than fighting on."""

_MAX_PURSUIT: Final = 0.9
"""Largest share of a beaten side's remaining men that the pursuit can take."""
_NEVER: Final = 2.0
"""A loss-fraction threshold that is never reached (fractions cannot pass 1)."""
_BREAK: Final = np.float32(1.0 + 2.0**-20)
"""Stress given to a side that collapsed or was annihilated: just past its breakpoint, by
a margin that float32, the tick loop's precision, still tells from 1."""


@dataclass(frozen=True)
class CombatParams:
    """Numbers of the combat model, as plain floats for the hot loop.

    Built from a scenario's :class:`~game.scenario.schema.CombatRules` with
    :meth:`from_rules`; the field meanings and calibrated defaults are documented there.
    ``posture`` holds the defender's multiplier for each :class:`Posture` code.
    """

    k0: float
    w: float
    g_size: float
    sigma_phi: float
    b0: float
    sigma_b: float
    gamma: float
    h0: float
    pi0_def: float
    pi0_att: float
    sigma_pi: float
    hours_per_day: float
    max_days: int
    p_continue: float
    dt: float
    kappa: float
    rho: float
    shock: float
    theta_leadership: float
    theta_training: float
    theta_morale: float
    theta_surprise: float
    posture: tuple[float, float, float, float]
    killed_share: float
    captured_share: float
    pursuit_killed_share: float
    pursuit_captured_share: float

    @classmethod
    def from_rules(cls, rules: CombatRules) -> CombatParams:
        """Return the parameters of a scenario's combat rules."""
        names = {f.name for f in fields(cls)} - {"posture"}
        values: dict[str, Any] = {name: getattr(rules, name) for name in names}
        values["max_days"] = int(rules.max_days)
        values["posture"] = (
            float(rules.posture_meeting),
            float(rules.posture_hasty),
            float(rules.posture_prepared),
            float(rules.posture_fortified),
        )
        return cls(**values)

    @classmethod
    def default(cls) -> CombatParams:
        """Return the calibrated defaults (those of a scenario that overrides nothing)."""
        from game.scenario.schema import CombatRules

        return cls.from_rules(CombatRules())

    @property
    def ticks_per_day(self) -> int:
        """Ticks of fighting in one day (at least one)."""
        return max(1, round(self.hours_per_day / self.dt))


_FLOAT_INPUTS: Final = (
    "att_men",
    "def_men",
    "att_quality",
    "def_quality",
    "att_leadership",
    "def_leadership",
    "att_training",
    "def_training",
    "att_morale",
    "def_morale",
    "surprise",
    "terrain",
    "att_cavalry",
    "def_cavalry",
    "att_exposure",
    "def_exposure",
)

_DEFAULTS: Final[dict[str, float]] = {
    "att_quality": 1.0,
    "def_quality": 1.0,
    "att_leadership": 0.0,
    "def_leadership": 0.0,
    "att_training": 0.0,
    "def_training": 0.0,
    "att_morale": 0.0,
    "def_morale": 0.0,
    "surprise": 0.0,
    "posture": float(Posture.HASTY),
    "terrain": 1.0,
    "att_cavalry": 0.0,
    "def_cavalry": 0.0,
    "att_exposure": 1.0,
    "def_exposure": 1.0,
}

_LARGE: Final = 1e12
"""Upper bound of inputs with no natural one (quality, terrain, exposure): keeps them finite."""

MAX_MEN: Final = 10_000_000
"""Most men a side may engage: counts up to 2**24 are exact in the tick loop's float32."""

_RANGES: Final[dict[str, tuple[float, float]]] = {
    "att_men": (0.0, MAX_MEN),
    "def_men": (0.0, MAX_MEN),
    "att_quality": (0.0, _LARGE),
    "def_quality": (0.0, _LARGE),
    "att_leadership": (-2.0, 2.0),
    "def_leadership": (-2.0, 2.0),
    "att_training": (-2.0, 2.0),
    "def_training": (-2.0, 2.0),
    "att_morale": (-2.0, 2.0),
    "def_morale": (-2.0, 2.0),
    "surprise": (-3.0, 3.0),
    "terrain": (0.5, _LARGE),
    "att_cavalry": (0.0, 1.0),
    "def_cavalry": (0.0, 1.0),
    "att_exposure": (0.0, _LARGE),
    "def_exposure": (0.0, _LARGE),
}


@dataclass
class BattleInput:
    """Who fights whom, for ``n`` battles: every field is a 1-D array of length ``n``.

    Attributes:
        att_men: Men the attacker engages (fractions of a man are ignored).
        def_men: Men the defender engages.
        att_quality: Attacker's quality Q (> 0), already including arm of service and
            cohesion; 1.0 is average line infantry.
        def_quality: Defender's quality Q.
        att_leadership: Rating of the attacker's leading commander, -2..2 (0 if none).
        def_leadership: Rating of the defender's leading commander.
        att_training: Attacker's training, -2..2.
        def_training: Defender's training.
        att_morale: Attacker's morale, -2..2.
        def_morale: Defender's morale.
        surprise: Surprise the attacker achieves, -3..3; negative is a defender's ambush.
        posture: ``int8`` :class:`~game.codes.Posture` code of the defender.
        terrain: Defender's terrain multiplier (>= 0.5).
        att_cavalry: Share of horsemen in the attacker's force, 0..1.
        def_cavalry: Share of horsemen in the defender's force.
        att_exposure: Personal exposure of the attacker's commander; 0 means no
            commander is present (so none can fall).
        def_exposure: Personal exposure of the defender's commander.
        keys: ``uint64`` key of each battle, from :func:`game.rng.derive`; the only
            source of randomness.
    """

    att_men: F64
    def_men: F64
    att_quality: F64
    def_quality: F64
    att_leadership: F64
    def_leadership: F64
    att_training: F64
    def_training: F64
    att_morale: F64
    def_morale: F64
    surprise: F64
    posture: npt.NDArray[np.int8]
    terrain: F64
    att_cavalry: F64
    def_cavalry: F64
    att_exposure: F64
    def_exposure: F64
    keys: U64

    @classmethod
    def build(
        cls, *, att_men: object, def_men: object, keys: object, **values: object
    ) -> BattleInput:
        """Return an input from scalars or arrays, broadcast to one common length.

        Fields not given take neutral values: quality 1, ratings and surprise 0, a hasty
        defence on terrain 1.0, no cavalry, commanders present with exposure 1.

        Raises:
            ValueError: An unknown field name, or arrays that do not broadcast.
        """
        unknown = set(values) - set(_DEFAULTS)
        if unknown:
            raise ValueError(f"unknown battle input fields: {', '.join(sorted(unknown))}")
        given: dict[str, object] = {**_DEFAULTS, **values}
        given.update(att_men=att_men, def_men=def_men)
        key_arr = np.atleast_1d(np.asarray(keys, dtype=np.uint64))
        arrays = np.broadcast_arrays(
            key_arr, *(np.atleast_1d(np.asarray(v)) for v in given.values())
        )
        out: dict[str, Any] = {
            name: np.ascontiguousarray(a, dtype=np.float64)
            for name, a in zip(given, arrays[1:], strict=True)
        }
        out["posture"] = out["posture"].astype(np.int8)
        out["keys"] = np.ascontiguousarray(arrays[0])
        return cls(**out)

    def __len__(self) -> int:
        return int(np.shape(self.att_men)[0])

    def take(self, index: object) -> BattleInput:
        """Return the battles at ``index`` (an integer array, slice or boolean mask)."""
        return BattleInput(
            **{
                f.name: np.ascontiguousarray(np.atleast_1d(getattr(self, f.name)[index]))  # type: ignore[index]
                for f in fields(self)
            }
        )

    def repeat(self, times: int, keys: U64) -> BattleInput:
        """Return each battle repeated ``times`` times in a row, with the given new keys.

        Used to sample one battle many times (odds previews, calibration replays).
        """
        out = {f.name: np.repeat(getattr(self, f.name), times) for f in fields(self)}
        out["keys"] = np.ascontiguousarray(np.asarray(keys, dtype=np.uint64).reshape(-1))
        return BattleInput(**out)

    def checked(self) -> BattleInput:
        """Return the input as contiguous arrays of the right types, after checking it.

        Raises:
            ValueError: Arrays of different lengths or not 1-D, or a value out of range.
        """
        arrays: dict[str, Any] = {}
        n = len(self)
        for f in fields(self):
            a = np.asarray(getattr(self, f.name))
            if a.ndim != 1 or a.shape[0] != n:
                raise ValueError(f"battle input {f.name} must be 1-D of length {n}")
            arrays[f.name] = a
        for name in _FLOAT_INPUTS:
            a = np.ascontiguousarray(arrays[name], dtype=np.float64)
            lo, hi = _RANGES[name]
            # Written so that NaN fails too (every comparison with NaN is false).
            if n and not (a.min() >= lo and a.max() <= hi):
                raise ValueError(f"battle input {name} must be finite and lie in [{lo:g}, {hi:g}]")
            arrays[name] = a
        for name in ("att_quality", "def_quality"):
            if n and arrays[name].min() <= 0.0:
                raise ValueError(f"battle input {name} must be positive")
        posture = np.asarray(arrays["posture"])
        if n and (posture.min() < min(Posture) or posture.max() > max(Posture)):
            raise ValueError("battle input posture must be a Posture code")
        arrays["posture"] = np.ascontiguousarray(posture, dtype=np.int8)
        keys = np.asarray(arrays["keys"])
        if keys.dtype != np.uint64:
            raise ValueError("battle input keys must be uint64 (use game.rng.derive)")
        arrays["keys"] = np.ascontiguousarray(keys)
        return BattleInput(**arrays)


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


@dataclass(frozen=True)
class Modifier:
    """One multiplier on per-man effectiveness, for the odds panel.

    Attributes:
        name: What it is ("posture", "terrain", ...).
        attacker: Multiplier on the attacker's effectiveness.
        defender: Multiplier on the defender's effectiveness.
        note: A short human explanation of where the numbers come from.
    """

    name: str
    attacker: float
    defender: float
    note: str


@dataclass(frozen=True)
class Spread:
    """Median and 10th/90th percentiles of a sampled quantity."""

    median: float
    p10: float
    p90: float


@dataclass(frozen=True)
class Odds:
    """What a battle is likely to bring, estimated by resolving it many times.

    Attributes:
        p_attacker_wins: Share of samples the attacker won.
        p_defender_wins: Share of samples the defender won.
        p_draw: Share of samples nobody broke.
        attacker_casualty_fraction: Attacker's losses (killed, wounded, captured) as a
            share of the men engaged.
        defender_casualty_fraction: Defender's losses as a share of the men engaged.
        expected_attacker_killed: Mean number of the attacker's men killed.
        expected_defender_killed: Mean number of the defender's men killed.
        p_attacker_commander_lost: Chance the attacker's commander is killed or captured.
        p_defender_commander_lost: Chance the defender's commander is killed or captured.
        median_hours: Median hours of fighting.
        samples: How many samples the estimate rests on.
    """

    p_attacker_wins: float
    p_defender_wins: float
    p_draw: float
    attacker_casualty_fraction: Spread
    defender_casualty_fraction: Spread
    expected_attacker_killed: float
    expected_defender_killed: float
    p_attacker_commander_lost: float
    p_defender_commander_lost: float
    median_hours: float
    samples: int

    def to_dict(self) -> dict[str, Any]:
        """Return the odds as plain JSON-ready values."""
        return asdict(self)


# ---------------------------------------------------------------- effectiveness


def _multipliers(inp: BattleInput, p: CombatParams) -> dict[str, tuple[F64, F64]]:
    """Return each named multiplier on (attacker, defender) per-man effectiveness."""
    one = np.ones(len(inp))
    half_s = 0.5 * p.theta_surprise * np.asarray(inp.surprise, dtype=np.float64)
    posture = np.asarray(p.posture, dtype=np.float64)[np.asarray(inp.posture, dtype=np.intp)]
    return {
        "quality": (np.asarray(inp.att_quality, float), np.asarray(inp.def_quality, float)),
        "posture": (one, posture),
        "terrain": (one, np.asarray(inp.terrain, float)),
        "surprise": (np.exp(half_s), np.exp(-half_s)),
        "leadership": (
            np.exp(p.theta_leadership * np.asarray(inp.att_leadership, float)),
            np.exp(p.theta_leadership * np.asarray(inp.def_leadership, float)),
        ),
        "training": (
            np.exp(p.theta_training * np.asarray(inp.att_training, float)),
            np.exp(p.theta_training * np.asarray(inp.def_training, float)),
        ),
        "morale": (
            np.exp(p.theta_morale * np.asarray(inp.att_morale, float)),
            np.exp(p.theta_morale * np.asarray(inp.def_morale, float)),
        ),
    }


def _log_effectiveness(inp: BattleInput, p: CombatParams) -> F64:
    """Return ln of per-man effectiveness before fortune, shape (2, n): attacker first.

    The sum of the logarithms of :func:`_multipliers`, computed directly: the resolver
    needs the logarithm anyway, and it costs three logarithms instead of ten powers.
    """
    half_s = (0.5 * p.theta_surprise) * np.asarray(inp.surprise, dtype=np.float64)
    log_posture = np.log(np.asarray(p.posture, dtype=np.float64))
    out = np.empty((2, len(inp)))
    for row, side, sign in ((0, "att", 1.0), (1, "def", -1.0)):
        acc = np.log(np.asarray(getattr(inp, f"{side}_quality"), dtype=np.float64))
        for theta, rating in (
            (p.theta_leadership, "leadership"),
            (p.theta_training, "training"),
            (p.theta_morale, "morale"),
        ):
            acc += theta * np.asarray(getattr(inp, f"{side}_{rating}"), dtype=np.float64)
        acc += sign * half_s
        out[row] = acc
    out[1] += log_posture[np.asarray(inp.posture, dtype=np.intp)]
    out[1] += np.log(np.asarray(inp.terrain, dtype=np.float64))
    return out


def effectiveness(inp: BattleInput, params: CombatParams) -> tuple[F64, F64]:
    """Return per-man effectiveness ``(e_att, e_def)`` before the hidden fortune.

    This is what a player or an AI can know before the battle: the product of every
    multiplier that :func:`modifiers` lists.  The resolver multiplies each by a random
    fortune ``exp(sigma_phi * z)`` that nobody sees.
    """
    e = np.exp(_log_effectiveness(inp, params))
    return e[0], e[1]


_NOTES: Final = {
    "quality": "troop quality: arms, drill, arm of service and cohesion",
    "posture": "defender's readiness: meeting {0:g}, hasty {1:g}, prepared {2:g}, fortified {3:g}",
    "terrain": "defender's ground (1 open, 1.1 broken, 1.2 heights; x1.2 behind a river)",
    "surprise": "surprise splits exp({s:g} x level) between the sides",
    "leadership": "leading commander's rating: exp({t:g} per step)",
    "training": "training: exp({t:g} per step)",
    "morale": "morale: exp({t:g} per step)",
}


def modifiers(inp: BattleInput, params: CombatParams, index: int = 0) -> list[Modifier]:
    """Return every multiplier on per-man effectiveness of one battle, for the odds panel.

    Args:
        inp: The battles (usually just one).
        params: Combat parameters.
        index: Which battle of ``inp`` to describe.

    Returns:
        One :class:`Modifier` per factor, in the order quality, posture, terrain,
        surprise, leadership, training, morale; their product is :func:`effectiveness`.
    """
    one = inp.take(np.array([index]))
    thetas = {
        "leadership": params.theta_leadership,
        "training": params.theta_training,
        "morale": params.theta_morale,
    }
    out: list[Modifier] = []
    for name, (att, dfd) in _multipliers(one, params).items():
        note = _NOTES[name].format(*params.posture, s=params.theta_surprise, t=thetas.get(name, 0))
        out.append(Modifier(name, float(att[0]), float(dfd[0]), note))
    return out


# ---------------------------------------------------------------- random draws

F32 = npt.NDArray[np.float32]


def _normals(u1: F64, u2: F64) -> tuple[F32, F32]:
    """Return two independent standard normals from two uniforms (Box-Muller).

    Computed in float32, which is ample for 32-bit uniforms and several times faster
    for the logarithm and the trigonometry.
    """
    r = np.log(u1.astype(np.float32))
    r *= np.float32(-2.0)
    np.sqrt(r, out=r)
    t = u2.astype(np.float32)
    t *= np.float32(2.0 * np.pi)
    return r * np.cos(t), r * np.sin(t)


def _normal_pair(keys: U64, counter: int) -> tuple[F32, F32]:
    """Return the two normals of draw ``counter`` of each battle's stream."""
    return _normals(*to_uniform_pair(counter_bits(keys, counter)))


def _exponential_pair(keys: U64, counter: int) -> tuple[F64, F64]:
    """Return two Exp(1) thresholds from draw ``counter`` of each battle's stream."""
    u1, u2 = to_uniform_pair(counter_bits(keys, counter))
    return -np.log(u1), -np.log(u2)


def _poisson(lam: F32, u: F32, z: F32) -> F32:
    """Return Poisson(``lam``) draws from one uniform ``u`` and one normal ``z`` each.

    Means of :data:`POISSON_EXACT_BELOW` or more use a rounded normal with a
    Cornish-Fisher skewness term, ``lam + sqrt(lam) z + (z**2 - 1) / 6``, which is within
    1.2% total variation of the Poisson there (the plain rounded normal is 3.5-7% off
    at means of 1-12, common in small actions).  Smaller means are drawn exactly, by
    inversion of the CDF at ``u`` (:func:`game.rng.poisson_from_uniform`).  Arrays of
    any shape, all float32.
    """
    out = z * z
    out -= np.float32(1.0)
    out *= np.float32(1.0 / 6.0)
    out += np.float32(0.5)
    out += lam
    root = np.sqrt(lam)
    root *= z
    out += root
    np.floor(out, out=out)
    np.maximum(out, np.float32(0.0), out=out)
    small = np.flatnonzero(lam < POISSON_EXACT_BELOW)
    if small.size:
        flat = out.reshape(-1)
        flat[small] = poisson_from_uniform(
            lam.reshape(-1)[small].astype(np.float64),
            u.reshape(-1)[small].astype(np.float64),
            np.zeros(small.size),
            POISSON_EXACT_BELOW,
        )
    return out


# ---------------------------------------------------------------- the resolver

# Rows of the float32 working array of the tick loop.  Attacker and defender rows come
# in adjacent pairs (attacker first) so that one numpy call serves both sides.
_N = slice(0, 2)  # men still fighting
_KE = slice(2, 4)  # k * dt * e_opp: expected losses per tick per unit of N_opp**W N**(1-W)
_IB = slice(4, 6)  # 1 / breakpoint
_T = slice(6, 8)  # cumulative loss fraction at which the commander falls (_NEVER: cannot)
_G = slice(8, 10)  # collapse hazard still to accumulate before the side collapses
_I0 = slice(10, 12)  # 1 / initial men
_LE = 12  # ln(e_D / e_A), fortune and leadership included
_LNR = 13  # ln(max(D, 1) / max(A, 1))
_ROWS = 14


@dataclass
class _Outcome:
    """Per-battle state of a block, by position in the block (never compacted).

    Leadership and the commanders' fates live here rather than in the working array:
    they change only when a commander falls, so copying them at every compaction
    would be wasted work.
    """

    winner: npt.NDArray[np.int8]
    left: F64  # (2, n): men of each side still standing when the fighting stopped
    hours: F64
    days: I64
    fell: BoolArr  # (2, n): commander fell in the fighting
    lead: F64  # (2, n): theta_L * leadership rating, 0 once the commander has fallen


def _initial_state(inp: BattleInput, p: CombatParams) -> tuple[F32, F64]:
    """Return the working array of a block before the first tick, and the initial men.

    Filled row by row, without stacking temporaries: with a few numbers per battle
    this setup is a fair share of the whole cost of a short battle.
    """
    n = len(inp)
    keys = inp.keys
    men0 = np.empty((2, n))
    np.floor(inp.att_men, out=men0[0])
    np.floor(inp.def_men, out=men0[1])
    log_e = _log_effectiveness(inp, p)
    z_att, z_def = _normal_pair(keys, _C_FORTUNE)
    log_e[0] += p.sigma_phi * z_att.astype(np.float64)
    log_e[1] += p.sigma_phi * z_def.astype(np.float64)
    floor = np.maximum(men0, 1.0)
    total = np.maximum(men0[0] + men0[1], 1.0)
    k = (p.k0 * p.dt) * (total / 10_000.0) ** (-p.g_size)
    zb_att, zb_def = _normal_pair(keys, _C_BREAKPOINT)
    x_att, x_def = _exponential_pair(keys, _C_COMMANDER)

    s = np.empty((_ROWS, n), dtype=np.float32)
    s[_N] = men0
    s[_KE] = k * np.exp(log_e[::-1])
    s[_IB.start] = np.exp(-p.sigma_b * zb_att.astype(np.float64)) / p.b0
    s[_IB.start + 1] = np.exp(-p.sigma_b * zb_def.astype(np.float64)) / p.b0
    s[_T.start] = _fall_threshold(x_att, p.kappa * inp.att_exposure)
    s[_T.start + 1] = _fall_threshold(x_def, p.kappa * inp.def_exposure)
    s[_G.start], s[_G.start + 1] = _exponential_pair(keys, _C_COLLAPSE)
    np.divide(1.0, floor, out=s[_I0])
    np.subtract(log_e[1], log_e[0], out=s[_LE])
    np.log(floor[1] / floor[0], out=s[_LNR])
    return s, men0


def _fall_threshold(e1: F64, rate: F64) -> F64:
    """Return the loss fraction at which a commander falls: ``Exp(1) / (kappa * x)``.

    Capped at 2: a loss fraction never exceeds 1, so any larger threshold means the same
    (he survives the fighting), and the cap keeps it finite in float32.
    """
    out = np.full(e1.shape, _NEVER)
    np.divide(e1, rate, out=out, where=rate * _NEVER > e1)
    return out


def _commanders_fall(s: F32, hit: BoolArr, idx: I64, out: _Outcome, p: CombatParams) -> None:
    """Apply the fall of every commander whose loss threshold has just been passed.

    The side's breakpoint is cut by ``shock`` and its leadership bonus is lost (the
    successor is taken to be an ordinary officer, rating 0): the enemy's loss rate
    falls with the fallen side's effectiveness.  ``idx`` maps working positions to
    block positions, where ``out`` keeps leadership and fates.
    """
    keep = np.float32(1.0 - p.shock if p.shock < 1.0 else 1e-12)
    for side, sign in ((0, 1.0), (1, -1.0)):
        pos = np.flatnonzero(hit[side])
        if pos.size == 0:
            continue
        gid = idx[pos]
        lead = out.lead[side, gid]
        s[_T.start + side, pos] = _NEVER
        s[_IB.start + side, pos] /= keep
        s[_KE.start + 1 - side, pos] *= np.exp(-lead)
        s[_LE, pos] += sign * lead
        out.lead[side, gid] = 0.0
        out.fell[side, gid] = True


def _tick(
    s: F32, keys: U64, idx: I64, out: _Outcome, tick: int, p: CombatParams
) -> tuple[BoolArr, BoolArr]:
    """Fight one tick of every battle in ``s``; return who broke, ``(att, def)``.

    One hash per battle gives two uniforms; Box-Muller turns them into two normals.
    Each side's casualties use its own uniform (small means) or its own normal (large
    means), so when both means are large or both small the sides' dice are exactly
    independent; when one is small and the other large they are uncorrelated but not
    independent (the normal's magnitude depends on the other side's uniform), which
    is of no consequence for a casualty count.
    """
    m = keys.size
    u = np.empty((2, m), dtype=np.float32)
    u[0], u[1] = to_uniform_pair(counter_bits(keys, _C_TICK + tick))
    z = np.empty((2, m), dtype=np.float32)
    r = np.log(u[0])
    r *= np.float32(-2.0)
    np.sqrt(r, out=r)
    angle = u[1] * np.float32(2.0 * np.pi)
    np.cos(angle, out=z[0])
    np.sin(angle, out=z[1])
    z *= r

    men = s[_N]
    pair = np.empty((2, m), dtype=np.float32)
    np.exp(np.float32(p.w) * s[_LNR], out=pair[0])  # (D / A) ** W
    np.divide(np.float32(1.0), pair[0], out=pair[1])
    lam = s[_KE] * men
    lam *= pair
    lost = _poisson(lam, u, z)
    np.minimum(lost, men, out=lost)
    men -= lost
    frac = men * s[_I0]  # cumulative loss fraction, below
    np.subtract(np.float32(1.0), frac, out=frac)
    hit = frac > s[_T]
    if hit.any():
        _commanders_fall(s, hit, idx, out, p)

    floor = np.maximum(men, np.float32(1.0))
    np.log(floor[1] / floor[0], out=s[_LNR])
    lp = s[_LE] + s[_LNR]  # ln(P_D / P_A): the power ratio against the attacker
    np.exp(np.float32(p.gamma) * lp, out=pair[0])
    np.divide(np.float32(1.0), pair[0], out=pair[1])
    stress = frac * pair
    stress *= s[_IB]
    np.exp(lp, out=pair[0])
    np.divide(np.float32(1.0), pair[0], out=pair[1])
    pair *= np.float32(p.h0 * p.dt)
    s[_G] -= pair
    collapse = s[_G] <= 0.0
    collapse |= men <= 0.0
    bump = collapse.astype(np.float32)  # a masked maximum is ten times slower
    bump *= _BREAK
    np.maximum(stress, bump, out=stress)
    brk_a = stress[0] > 1.0
    brk_a &= stress[0] >= stress[1]
    brk_d = stress[1] > 1.0
    brk_d &= ~brk_a
    return brk_a, brk_d


class _Block:
    """The tick loop of one block of battles, compacting as they end."""

    def __init__(self, inp: BattleInput, p: CombatParams) -> None:
        self.p = p
        n = len(inp)
        self.s, men0 = _initial_state(inp, p)
        self.keys = inp.keys
        self.idx = np.arange(n)
        self.live = np.ones(n, dtype=bool)
        self.n_dead = 0
        self.out = _Outcome(
            winner=np.zeros(n, np.int8),
            left=men0.copy(),
            hours=np.zeros(n),
            days=np.ones(n, np.int64),
            fell=np.zeros((2, n), bool),
            lead=p.theta_leadership * np.stack([inp.att_leadership, inp.def_leadership]),
        )
        empty = (men0 <= 0.0).any(axis=0)
        if empty.any():
            # A side with nobody engaged cannot fight: the other wins unopposed.
            has = men0 > 0.0
            self.out.winner[:] = np.where(has[0], 1, np.where(has[1], -1, 0))
            self._compact(~empty)

    def run(self) -> _Outcome:
        """Fight every day of every battle; return what was recorded as each ended."""
        p = self.p
        tpd = p.ticks_per_day
        for day in range(p.max_days):
            for t in range(day * tpd, (day + 1) * tpd):
                if self.idx.size == 0:
                    return self.out
                brk_a, brk_d = _tick(self.s, self.keys, self.idx, self.out, t, p)
                self._end(brk_a, brk_d, (t + 1) * p.dt, day)
            self._compact(self.live)
            if day < p.max_days - 1 and self.idx.size:
                self._next_morning(day)
        # Still unbroken at the last nightfall: both sides disengage.
        self._record(self.live, None, p.max_days * tpd * p.dt, p.max_days - 1)
        return self.out

    def _end(self, brk_a: BoolArr, brk_d: BoolArr, hours: float, day: int) -> None:
        """Record the battles in which a side broke this tick; compact when enough have."""
        ended = brk_a | brk_d
        ended &= self.live
        if not ended.any():
            return
        self._record(ended, brk_a, hours, day)
        # Ended battles are fought on (unseen) until the next compaction; their
        # commanders must not fall in that phantom fighting.
        self.s[_T, np.flatnonzero(ended)] = _NEVER
        self.live &= ~ended
        self.n_dead += int(np.count_nonzero(ended))
        if self.n_dead * _COMPACT_SHARE >= self.idx.size:
            self._compact(self.live)

    def _record(self, mask: BoolArr, att_broke: BoolArr | None, hours: float, day: int) -> None:
        """Store the outcome of the battles at ``mask`` (positions in the working arrays).

        ``att_broke`` tells, for each position, whether it was the attacker who broke;
        None records draws.
        """
        pos = np.flatnonzero(mask)
        gid = self.idx[pos]
        o = self.out
        o.winner[gid] = 0 if att_broke is None else np.where(att_broke[pos], -1, 1)
        o.left[:, gid] = self.s[_N, pos]
        o.hours[gid] = hours
        o.days[gid] = day + 1

    def _compact(self, keep: BoolArr) -> None:
        """Keep only the working columns at ``keep`` (the battles still being fought)."""
        self.s = np.compress(keep, self.s, axis=1)
        self.keys = np.compress(keep, self.keys)
        self.idx = np.compress(keep, self.idx)
        self.live = np.ones(self.idx.size, dtype=bool)
        self.n_dead = 0

    def _next_morning(self, day: int) -> None:
        """End as draws the unbroken battles that do not resume; the rest fight on."""
        hours = (day + 1) * self.p.ticks_per_day * self.p.dt
        u, _ = to_uniform_pair(counter_bits(self.keys, _C_DAY + day))
        stop = u >= self.p.p_continue
        if stop.any():
            self._record(stop, None, hours, day)
            self._compact(~stop)


def _split(total: F64, share: float, other: float) -> tuple[F64, F64, F64]:
    """Split whole casualties into (killed, wounded, captured) by rounding the shares.

    The killed are rounded first and the captured get at most what remains, so the
    three always add up exactly to ``total`` whatever the shares.  Whole numbers held
    as floats (exact far beyond any army's size).
    """
    killed = np.minimum(np.floor(total * share + 0.5), total)
    captured = np.minimum(np.floor(total * other + 0.5), total - killed)
    return killed, total - killed - captured, captured


def _finish(inp: BattleInput, p: CombatParams, o: _Outcome, out: BattleResult, sl: slice) -> None:
    """Apply pursuit and the rout to a block's outcomes and write them into ``out``."""
    keys = inp.keys
    w = o.winner
    att_lost = w == -1
    decisive = w != 0
    z, _ = _normal_pair(keys, _C_PURSUIT)
    u, _ = to_uniform_pair(counter_bits(keys, _C_ROUT))
    # The pursuit: a share pi of the loser's men still standing, more against cavalry.
    base = np.where(
        att_lost, p.pi0_att * (1.0 + inp.def_cavalry), p.pi0_def * (1.0 + inp.att_cavalry)
    )
    pi = np.minimum(base * np.exp(p.sigma_pi * z.astype(np.float64)), _MAX_PURSUIT)
    pi *= decisive
    chased = np.floor(pi * np.where(att_lost, o.left[0], o.left[1]) + 0.5)
    chased_k, chased_w, chased_c = _split(chased, p.pursuit_killed_share, p.pursuit_captured_share)

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
    _finish(part, p, _Block(part, p).run(), out, sl)


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


# ---------------------------------------------------------------- odds


def preview_keys(key: int | U64, n: int, samples: int) -> U64:
    """Return ``(n, samples)`` keys for odds previews, in the PREVIEW namespace.

    With an integer ``key`` every battle gets the same sample keys (common random
    numbers: comparing two options then shows their real difference, not noise).  With
    an array of per-battle keys each battle's samples are derived from its own key.
    """
    s = np.arange(samples, dtype=np.int64)
    if np.ndim(key) == 0:
        base = root_key(int(key), Stream.PREVIEW, 0)
        return np.broadcast_to(derive(base, s)[None, :], (n, samples))
    k = np.asarray(key, dtype=np.uint64).reshape(n)
    return derive(k[:, None], int(Stream.PREVIEW), s[None, :])


def _spread(x: F64) -> list[Spread]:
    """Return the median, p10 and p90 of each row of ``x``."""
    q = np.quantile(x, [0.5, 0.1, 0.9], axis=1)
    return [Spread(float(m), float(lo), float(hi)) for m, lo, hi in q.T]


def odds(
    inp: BattleInput, params: CombatParams, samples: int = 2000, key: int | U64 = 0
) -> list[Odds]:
    """Return the odds of each battle of ``inp``, estimated from ``samples`` resolutions.

    Draws come from the PREVIEW stream (:func:`preview_keys`), so a preview never uses
    or shifts the game's own dice; the battles' own keys are ignored unless passed as
    ``key``.

    Args:
        inp: The battles to preview.
        params: Combat parameters.
        samples: Resolutions per battle.
        key: A seed (the same sample keys for every battle) or one key per battle.

    Returns:
        One :class:`Odds` per battle, in input order.

    Raises:
        ValueError: ``samples`` is not positive, or the input is malformed.
    """
    if samples < 1:
        raise ValueError("samples must be at least 1")
    n = len(inp)
    keys = preview_keys(key, n, samples)
    res = resolve(inp.repeat(samples, keys.reshape(-1)), params)

    def per(x: npt.NDArray[Any]) -> F64:
        return np.asarray(x, dtype=np.float64).reshape(n, samples)

    men_a = np.maximum(np.floor(np.asarray(inp.att_men, float)), 1.0)[:, None]
    men_d = np.maximum(np.floor(np.asarray(inp.def_men, float)), 1.0)[:, None]
    w = per(res.winner)
    frac_a = _spread(per(res.att_casualties) / men_a)
    frac_d = _spread(per(res.def_casualties) / men_d)
    lost_a = per(res.att_cmd_killed | res.att_cmd_captured).mean(axis=1)
    lost_d = per(res.def_cmd_killed | res.def_cmd_captured).mean(axis=1)
    kill_a = per(res.att_killed).mean(axis=1)
    kill_d = per(res.def_killed).mean(axis=1)
    hours = np.median(per(res.hours), axis=1)
    return [
        Odds(
            p_attacker_wins=float(np.mean(w[i] == 1)),
            p_defender_wins=float(np.mean(w[i] == -1)),
            p_draw=float(np.mean(w[i] == 0)),
            attacker_casualty_fraction=frac_a[i],
            defender_casualty_fraction=frac_d[i],
            expected_attacker_killed=float(kill_a[i]),
            expected_defender_killed=float(kill_d[i]),
            p_attacker_commander_lost=float(lost_a[i]),
            p_defender_commander_lost=float(lost_d[i]),
            median_hours=float(hours[i]),
            samples=samples,
        )
        for i in range(n)
    ]
