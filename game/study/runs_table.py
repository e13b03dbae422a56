"""Per-run tables: chunk arrays -> named columns -> CSV, Parquet or pandas.

One row per run, with ids rather than codes (``outcome=status_quo``, ``owner_puno=peru``)
so the files read without the scenario at hand.  Rows are written chunk by chunk, so a
study of a million runs is written with the memory of one chunk.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from game.codes import NONE, CommanderState
from game.scenario.compile import CompiledScenario
from game.study.accumulators import LOSSES
from game.study.chunk import Columns, uncertain_forces
from game.study.conduct_recorder import period_columns
from game.study.will_recorder import CAUSES

_FATES = np.array([s.name.lower() for s in sorted(CommanderState, key=int)])


def to_json(obj: Any) -> str:
    """Return ``obj`` as indented JSON (numpy values, dates and paths as plain values)."""
    return json.dumps(plain(obj), ensure_ascii=False, indent=2) + "\n"


def plain(o: Any) -> Any:
    """Return ``o`` with numpy values, dates and paths made plain, and NaN made None.

    JSON has no NaN; a statistic that does not exist (the median of no runs) is null.
    """
    if isinstance(o, dict):
        return {str(k): plain(v) for k, v in o.items()}
    if isinstance(o, list | tuple):
        return [plain(v) for v in o]
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating | float):
        f = float(o)
        return None if math.isnan(f) else f
    if isinstance(o, np.ndarray):
        return plain(o.tolist())
    if isinstance(o, dt.date):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    return o


def named_columns(scn: CompiledScenario, cols: Columns, prefix: str = "") -> dict[str, np.ndarray]:
    """Return a chunk's rows as named one-dimensional columns.

    Args:
        scn: The scenario the rows were played on (for ids and dates).
        cols: The chunk's arrays.
        prefix: Put before every name but ``run`` (``vs_`` for the variant of ``--vs``).
    """
    sides, out = scn.side_ids, {}
    oc = cols["outcome"].astype(np.int64)
    ids = np.array([o.id for o in scn.outcomes] + [""], dtype=object)
    winners = np.array([o.winner or "" for o in scn.outcomes] + [""], dtype=object)
    out["outcome"] = ids[oc]
    out["winner"] = winners[oc]
    out["termination"] = np.where(
        ~cols["over"], "", np.where(cols["truncated"], "date_limit", "treaty")
    ).astype(object)
    start = np.datetime64(scn.start, "D")
    out["end_date"] = np.where(
        cols["over"], (start + cols["end_day"].astype("timedelta64[D]")).astype(str), ""
    ).astype(object)
    out["end_day"] = cols["end_day"]
    out["battles"] = cols["battles"]
    for k in LOSSES:
        for s, sid in enumerate(sides):
            out[f"{k}_{sid}"] = cols[k][:, s]
    for s, sid in enumerate(sides):
        out[f"vp_{sid}"] = np.round(cols["vp"][:, s].astype(np.float64), 3)
        out[f"provinces_{sid}"] = (cols["owner"] == s).sum(axis=1)
        out[f"commanders_lost_{sid}"] = cols["cmd_lost"][:, scn.cmd_side == s].sum(axis=1)
    for j, f in enumerate(uncertain_forces(scn)[: cols["inputs"].shape[1]]):
        out[f"men_{scn.force_ids[f]}"] = cols["inputs"][:, j]
    side_names = np.array([*sides, ""], dtype=object)
    for p, pid in enumerate(scn.province_ids):
        out[f"owner_{pid}"] = side_names[cols["owner"][:, p]]
    for p, pid in enumerate(scn.province_ids):
        out[f"signing_owner_{pid}"] = side_names[cols["owner_signing"][:, p]]
    for c, cid in enumerate(scn.commander_ids):
        out[f"fate_{cid}"] = _FATES[cols["cmd_state"][:, c]].astype(object)
    out.update(_will_columns(scn, cols))
    out.update(_conduct_columns(scn, cols))
    named = {"run": cols["run"]}
    named.update({prefix + k: v for k, v in out.items()})
    return named


def _will_columns(scn: CompiledScenario, cols: Columns) -> dict[str, np.ndarray]:
    """Return each side's will at the end and when and why talks opened (turn -1: never).

    Chunks kept by a study begun before these were recorded lack them: their rows are
    left empty rather than the study refused.
    """
    n = cols["run"].size
    out: dict[str, np.ndarray] = {}
    final = cols.get("will_final")
    party = cols.get("party_will_final")
    for s, sid in enumerate(scn.side_ids):
        out[f"will_{sid}_final"] = (
            np.round(final[:, s].astype(np.float64), 4) if final is not None else np.full(n, np.nan)
        )
    for q, pid in enumerate(scn.party_ids):
        out[f"will_{pid}_final"] = (
            np.round(party[:, q].astype(np.float64), 4) if party is not None else np.full(n, np.nan)
        )
    turn = cols.get("talks_turn")
    cause = cols.get("talks_cause")
    out["talks_opened_turn"] = turn.astype(np.int64) if turn is not None else np.full(n, NONE)
    names = np.array([*CAUSES, ""], dtype=object)
    out["talks_cause"] = (
        names[cause.astype(np.int64)] if cause is not None else np.full(n, "", dtype=object)
    )
    return out


def _conduct_columns(scn: CompiledScenario, cols: Columns) -> dict[str, np.ndarray]:
    """Return each side's concentration and raids (see :mod:`game.study.conduct_recorder`).

    With them the raids and battles by period and the record's own raids, when the
    scenario's record gives their dates (``raids_to_record_<side>``, ``battles_to_treaty``,
    ``record_raids_<side>``, ...).  Chunks kept by a study begun before these were
    recorded lack them: their rows are left empty.
    """
    n = cols["run"].size
    conc, raids = cols.get("concentration"), cols.get("raids")
    out: dict[str, np.ndarray] = {}
    for s, sid in enumerate(scn.side_ids):
        out[f"concentration_{sid}"] = (
            np.round(conc[:, s].astype(np.float64), 3) if conc is not None else np.full(n, np.nan)
        )
        out[f"raids_{sid}"] = (
            raids[:, s].astype(np.int64) if raids is not None else np.full(n, NONE, np.int64)
        )
    for key, per_side in period_columns(scn).items():
        got = cols.get(key)
        if not per_side:
            out[key] = got.astype(np.int64) if got is not None else np.full(n, NONE, np.int64)
            continue
        for s, sid in enumerate(scn.side_ids):
            out[f"{key}_{sid}"] = (
                got[:, s].astype(np.int64) if got is not None else np.full(n, NONE, np.int64)
            )
    return out


def joined(
    scenarios: list[CompiledScenario], chunks: Iterable[list[Columns]], prefixes: list[str]
) -> Iterator[dict[str, np.ndarray]]:
    """Yield one table per range: the arms' columns side by side (one row per run)."""
    for arms in chunks:
        table: dict[str, np.ndarray] = {}
        for scn, cols, prefix in zip(scenarios, arms, prefixes, strict=True):
            table.update(named_columns(scn, cols, prefix))
        yield table


def write_csv(path: Path, tables: Iterable[dict[str, np.ndarray]]) -> int:
    """Write tables (same columns each) to one CSV file; return the number of rows."""
    rows = 0
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        header: list[str] | None = None
        for table in tables:
            if header is None:
                header = list(table)
                w.writerow(header)
            w.writerows(zip(*(table[k].tolist() for k in header), strict=True))
            rows += len(table["run"])
    tmp.replace(path)
    return rows


def write_parquet(path: Path, tables: Iterable[dict[str, np.ndarray]]) -> bool:
    """Write tables to a Parquet file if pyarrow is installed; return whether it was."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return False
    writer = None
    tmp = path.with_name(path.name + ".tmp")
    try:
        for table in tables:
            t = pa.table({k: _arrow_ready(v) for k, v in table.items()})
            if writer is None:
                writer = pq.ParquetWriter(tmp, t.schema)
            writer.write_table(t)
    finally:
        if writer is not None:
            writer.close()
    if writer is not None:
        tmp.replace(path)
    return writer is not None


def _arrow_ready(v: np.ndarray) -> Any:
    return v.tolist() if v.dtype == object else v


def to_pandas(tables: Iterable[dict[str, np.ndarray]]) -> Any:
    """Return the tables as one pandas DataFrame.

    Raises:
        ImportError: If pandas is not installed (it is not a dependency of Ingavi).
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_pandas needs pandas: pip install pandas") from None
    frames = [pd.DataFrame(t) for t in tables]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)
