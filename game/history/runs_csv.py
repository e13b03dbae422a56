"""``ingavi fidelity --runs-csv FILE``: one row per played war, for studies of the report.

Columns: ``run``, ``outcome`` (its id), ``end_date``, ``killed_total``, then one
``battle:<record id>`` per recorded battle holding the winning side's id, ``draw``, or
nothing if it was not fought, and one ``occupied:<record id>`` per recorded occupation
holding 1 if the occupier held the place near its date, else 0.  More columns may be
added at the end; readers should select them by name.  The file is written atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

import numpy as np

from game.engine.phases.engagements import DRAW
from game.files import unique_temporary
from game.history import record
from game.history.measure import Columns
from game.scenario.compile import CompiledScenario


def runs_table(scn: CompiledScenario, cols: Columns) -> tuple[list[str], list[list[str]]]:
    """Return the header and the rows of the runs table."""
    battles = record.engagements(scn)
    occs = record.occupations(scn)
    header = ["run", "outcome", "end_date", "killed_total"]
    header += [f"battle:{b.id}" for b in battles] + [f"occupied:{o.id}" for o in occs]
    names = np.array([*scn.side_ids, "draw"], dtype=object)
    rows = []
    for i in range(int(cols["run"].size)):
        won = cols["battle_winner"][i]
        day = int(cols["end_day"][i])
        row = [
            str(int(cols["run"][i])),
            scn.outcomes[int(cols["outcome"][i])].id if cols["outcome"][i] >= 0 else "",
            (scn.start + dt.timedelta(days=day)).isoformat() if day >= 0 else "",
            str(int(cols["killed"][i])),
        ]
        row += ["" if w < 0 else str(names[scn.S if w == DRAW else int(w)]) for w in won.tolist()]
        row += ["1" if h else "0" for h in cols["occupied"][i].tolist()]
        rows.append(row)
    return header, rows


def write_runs_csv(path: str | Path, scn: CompiledScenario, cols: Columns) -> None:
    """Write the runs table to ``path`` (a crash leaves the old file or the new one)."""
    header, rows = runs_table(scn, cols)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = unique_temporary(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
