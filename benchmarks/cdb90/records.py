"""The pre-1900 CDB90 battles, read from the extract in ``benchmarks/data``."""

from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from game.codes import Posture

F64 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int8]

DATA_FILE: Final = Path(__file__).resolve().parents[1] / "data" / "cdb90_pre1900.csv"
"""The extract of CDB90 that ships with the source (not with the installed wheel)."""

_POSTURES: Final = {"HD": Posture.HASTY, "PD": Posture.PREPARED, "FD": Posture.FORTIFIED}


@dataclass(frozen=True)
class HistoricalBattles:
    """The pre-1900 CDB90 battles as arrays (one element per battle).

    Attributes:
        name: Battle names.
        str_a: Attacker's total personnel strength.
        str_d: Defender's total personnel strength.
        cas_a: Attacker's casualties (killed, wounded, missing, captured).
        cas_d: Defender's casualties.
        winner: 1 attacker won, -1 defender won, 0 draw.
        posture: Defender's :class:`~game.codes.Posture` code.
        cav_a: Attacker's cavalry share of strength (NaN when unknown).
        cav_d: Defender's cavalry share (NaN when unknown).
        surprise: HERO's attacker surprise advantage, -3..3.
        leadership: HERO's attacker leadership advantage.
        training: HERO's attacker training advantage.
        morale: HERO's attacker morale advantage.
        effectiveness: HERO's attacker combat-effectiveness advantage.
        days: Calendar days of fighting.
        hours: Active hours of fighting (NaN when unknown).
    """

    name: npt.NDArray[np.str_]
    str_a: F64
    str_d: F64
    cas_a: F64
    cas_d: F64
    winner: I8
    posture: I8
    cav_a: F64
    cav_d: F64
    surprise: F64
    leadership: F64
    training: F64
    morale: F64
    effectiveness: F64
    days: npt.NDArray[np.int64]
    hours: F64

    def __len__(self) -> int:
        return int(self.str_a.shape[0])

    def take(self, index: npt.ArrayLike) -> HistoricalBattles:
        """Return the battles at ``index`` (for the folds of a cross-validation)."""
        idx = np.asarray(index)
        return HistoricalBattles(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    @property
    def log_ratio(self) -> F64:
        """ln(attacker strength / defender strength) of each battle."""
        return np.log(self.str_a / self.str_d)


def _number(text: str) -> float:
    return float(text) if text.strip() else np.nan


def load_battles(path: Path | None = None) -> HistoricalBattles:
    """Read the calibration battles from ``path`` (default :data:`DATA_FILE`).

    Raises:
        FileNotFoundError: The data file is missing (it is not in installed wheels).
        ValueError: A row lacks a strength, a winner or a posture.
    """
    path = DATA_FILE if path is None else path
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cols: dict[str, list[float]] = {
        c: [_number(r[c]) for r in rows]
        for c in (
            "str_a",
            "str_d",
            "cas_a",
            "cas_d",
            "wina",
            "cav_a",
            "cav_d",
            "surpa",
            "leada",
            "trnga",
            "morala",
            "cea",
            "cal_days",
            "active_hours",
        )
    }
    for c in ("str_a", "str_d", "cas_a", "cas_d", "wina", "cal_days"):
        if any(np.isnan(cols[c])):
            raise ValueError(f"{path}: column {c} has a blank value")
    try:
        posture = [_POSTURES[r["post1"]] for r in rows]
    except KeyError as exc:
        raise ValueError(f"{path}: unknown posture {exc.args[0]!r}") from exc

    def arr(c: str) -> F64:
        return np.asarray(cols[c], dtype=np.float64)

    codes = {c: np.nan_to_num(arr(c)) for c in ("surpa", "leada", "trnga", "morala", "cea")}
    return HistoricalBattles(
        name=np.asarray([r["name"] for r in rows]),
        str_a=arr("str_a"),
        str_d=arr("str_d"),
        cas_a=arr("cas_a"),
        cas_d=arr("cas_d"),
        winner=arr("wina").astype(np.int8),
        posture=np.asarray(posture, dtype=np.int8),
        cav_a=arr("cav_a") / arr("str_a"),
        cav_d=arr("cav_d") / arr("str_d"),
        surprise=codes["surpa"],
        leadership=codes["leada"],
        training=codes["trnga"],
        morale=codes["morala"],
        effectiveness=codes["cea"],
        days=arr("cal_days").astype(np.int64),
        hours=arr("active_hours"),
    )
