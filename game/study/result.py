"""A finished study as a Python object: its summary, its rows, its files.

This is what :func:`game.study.run` returns to a notebook and what the ``study`` command
prints and saves.  The summary is always in memory; the rows are read back chunk by chunk
from the study's folder (or kept in memory when it has none) only when asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.study import plots, runs_table
from game.study.chunk import Columns
from game.study.driver import Played
from game.study.store import Store

SUMMARY = "summary.json"
RUNS_CSV = "runs.csv"
RUNS_PARQUET = "runs.parquet"


class StudyInterrupted(KeyboardInterrupt):
    """Ctrl-C during a study: what was finished is saved; ``result`` holds it.

    ``result`` is the partial :class:`StudyResult` (or ``SweepResult`` for a sweep), with
    its summary marked ``complete: false``.
    """

    def __init__(self, result: Any) -> None:
        super().__init__("study interrupted")
        self.result = result


@dataclass
class StudyResult:
    """A study's summary and access to its per-run rows.

    Attributes:
        summary: The JSON-ready summary (as in ``summary.json``).
        played: The driver's record (aggregates, scenarios, chunks).
        out: The study's folder, or None.
        files: Files written into ``out``.
    """

    summary: dict[str, Any]
    played: Played
    out: Path | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def runs(self) -> int:
        """Runs in the result."""
        return self.played.runs

    @property
    def outcomes(self) -> dict[str, Any]:
        """Outcome id -> ``{name, winner, count, p, ci95}``."""
        return self.summary["outcomes"]

    def p(self, outcome: str) -> float:
        """Return the probability of one outcome."""
        return float(self.outcomes[outcome]["p"])

    def chunks(self) -> Iterator[list[Columns]]:
        """Yield each chunk's rows (one entry per arm), in run order."""
        if self.played.rows is not None:
            yield from zip(*self.played.rows, strict=True)
            return
        store = self.played.store
        if store is None:
            raise ValueError("this study kept no rows: give it an out folder or keep_rows=True")
        for first, end in self.played.ranges:
            arms = []
            for arm in self.played.spec.arms:
                cols = store.load(arm.name, first, end)
                if cols is None:
                    raise ValueError(
                        f"chunk {first}-{end} of {arm.name} is missing from {store.root}"
                    )
                arms.append(cols)
            yield arms

    def tables(self) -> Iterator[dict[str, np.ndarray]]:
        """Yield the per-run table chunk by chunk (variant columns prefixed ``vs_``)."""
        prefixes = ["", *(f"{a.name}_" for a in self.played.spec.arms[1:])]
        return runs_table.joined(self.played.scenarios, self.chunks(), prefixes)

    def to_pandas(self) -> Any:
        """Return one row per run as a pandas DataFrame (needs pandas installed)."""
        return runs_table.to_pandas(self.tables())

    def write(self, *, plots_too: bool = True) -> list[Path]:
        """Write ``summary.json``, ``runs.csv`` (and ``runs.parquet``) and the figures."""
        if self.out is None:
            raise ValueError("this study has no out folder")
        store = Store(self.out)
        files = [store.write_json(SUMMARY, self.summary)]
        if self.played.ranges:
            files.append(self.out / RUNS_CSV)
            runs_table.write_csv(files[-1], self.tables())
            if runs_table.write_parquet(self.out / RUNS_PARQUET, self.tables()):
                files.append(self.out / RUNS_PARQUET)
        if plots_too and self.played.runs:
            files += self.figures(self.out)
        self.files = files
        return files

    def figures(self, out: Path) -> list[Path]:
        """Draw the study's figures into ``out`` and return their paths."""
        p = self.played
        scn = p.scenarios[0]
        names = ["baseline", "vs"] if p.paired is not None else [p.spec.arms[0].name]
        arms = list(zip(names, p.aggregates, strict=False))
        title = f"{scn.model.meta.title}: outcomes of {p.runs:,} runs"
        files = plots.write_all(out, scn, arms, title)
        if p.spec.sample_uncertain and p.aggregates[0].inputs:
            from game.study.sensitivity import tornado

            for o in scn.outcomes:
                fig = tornado(scn, p.aggregates[0], o.id)
                files.append(plots.save(fig, out / f"tornado_{o.id}.png"))
        return files
