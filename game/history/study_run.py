"""Reading a study's ``summary.json`` to replay one of its runs exactly.

A study records how to reproduce itself: the scenario file with its overlays and
``--set`` values, the content hash they compiled to, the seed, the policies, the
difficulty and whether strengths were drawn per run.  With those and a run id, the
replay deals the same dice as the study did for that run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.errors import UsageError
from game.game import ScenarioSource
from game.scenario.compile import CompiledScenario


@dataclass(frozen=True)
class StudyRuns:
    """What a study played, as needed to replay any of its runs.

    Attributes:
        folder: The study's folder.
        source: Its scenario, overlays and ``--set`` values.
        scenario_hash: The content hash the scenario compiled to.
        seed: The seed of its dice.
        policies: Policy name by side id.
        difficulty: Difficulty given to the policies.
        sample_uncertain: Whether strengths were drawn per run.
        first_run: Id of its first run.
        runs: Number of runs it played.
    """

    folder: Path
    source: ScenarioSource
    scenario_hash: str
    seed: int
    policies: dict[str, str]
    difficulty: str
    sample_uncertain: bool
    first_run: int
    runs: int

    def check_run(self, run: int) -> None:
        """Refuse a run id the study did not play.

        Raises:
            UsageError: Naming the runs it did play.
        """
        last = self.first_run + self.runs - 1
        if not self.first_run <= run <= last:
            raise UsageError(
                f"{self.folder}: the study played runs {self.first_run}..{last}, not run {run}"
            )

    def load(self) -> CompiledScenario:
        """Load the study's scenario and check it is the one the study played.

        Raises:
            UsageError: If the files have changed since (another content hash).
        """
        scn = self.source.load()
        if self.scenario_hash and scn.hash != self.scenario_hash:
            raise UsageError(
                f"{self.source.path}: the scenario has changed since the study in "
                f"{self.folder} was played (content hash {scn.hash[:12]}, the study's "
                f"{self.scenario_hash[:12]}): its runs cannot be replayed exactly"
            )
        return scn


def read_study(folder: str | Path) -> StudyRuns:
    """Read ``folder/summary.json``.

    Raises:
        UsageError: If there is no summary, or it is not a study's summary.
    """
    path = Path(folder) / "summary.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{folder}: no summary.json (is it a study's --out folder?)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read: {exc}") from None
    try:
        return _parse(Path(folder), data)
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{path}: not a study summary ({exc!s} is missing or malformed)") from None


def _parse(folder: Path, data: dict[str, Any]) -> StudyRuns:
    scn = data["scenario"]
    return StudyRuns(
        folder=folder,
        source=ScenarioSource(
            str(scn["path"]),
            tuple(str(o) for o in scn.get("overlays") or ()),
            tuple(str(s) for s in scn.get("sets") or ()),
        ),
        scenario_hash=str(scn.get("hash") or ""),
        seed=int(data["seed"]),
        policies={str(k): str(v) for k, v in dict(data["policies"]).items()},
        difficulty=str(data.get("difficulty") or "normal"),
        sample_uncertain=bool(data.get("sample_uncertain", False)),
        first_run=int(data.get("first_run") or 0),
        runs=int(data["runs"]),
    )
