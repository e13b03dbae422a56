"""Who fights whom: the resolver's input for a batch of battles, checked and broadcast."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from game.codes import Posture

F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]

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
