"""Reading a study's ``summary.json`` to replay one of its runs exactly.

A study records how to reproduce itself: the scenario file with its overlays and
``--set`` values, the content hash they compiled to, the seed, the policies, the
difficulty and whether strengths were drawn per run.  With those and a run id, the
replay deals the same dice as the study did for that run.

A study folder may come from a stranger, so ``summary.json`` is read as data only: its
size is limited, its values have strict types (a seed is a whole number, never ``true``
or ``"7"``), the scenario files it names are opened like files named by ``extends:``
(never quoted), and its policies must be names of the policy registry.  A policy named
as ``module:factory`` (a study may be played with one named on the command line) is
never imported because a file says so: the user must name it again on the replay's own
command line (``--policy SIDE=module:factory``), taking responsibility for that code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from game.ai import POLICY_NAMES
from game.errors import UsageError
from game.files import Unreadable, read_limited
from game.game import ScenarioSource
from game.rng import RUN_LIMIT, SEED_LIMIT
from game.scenario.compile import CompiledScenario

SUMMARY = "summary.json"
MAX_SUMMARY_BYTES = 16 * 1024 * 1024
"""Largest ``summary.json`` read (a study's summary is a few hundred kilobytes at most)."""


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
        try:
            scn = self.source.load(named=True)
        except Unreadable as exc:
            which = "path" if exc.name in (None, self.source.path) else "overlays"
            raise UsageError(
                f"{self.folder / SUMMARY}: scenario.{which} '{exc.name or self.source.path}': "
                f"{exc.reason}; the study's runs can be replayed only with its scenario"
            ) from None
        if self.scenario_hash and scn.hash != self.scenario_hash:
            raise UsageError(
                f"{self.source.path}: the scenario has changed since the study in "
                f"{self.folder} was played (content hash {scn.hash[:12]}, the study's "
                f"{self.scenario_hash[:12]}): its runs cannot be replayed exactly"
            )
        return scn

    def policies_to_play(self, given: dict[str, str]) -> dict[str, str]:
        """Return the policy per side id to replay with, never importing a name from a file.

        Args:
            given: Policies the user named on the command line (``--policy SIDE=NAME``).

        Raises:
            UsageError: If the study names a policy outside the registry that the user
                did not name identically, or the user names one the study did not play.
        """
        for side, name in given.items():
            if side not in self.policies:
                raise UsageError(f"--policy {side}=...: the study has no side '{side}'")
            if name != self.policies[side]:
                raise UsageError(
                    f"--policy {side}={name}: the study played {side} with "
                    f"'{self.policies[side]}'; replaying with another policy would not "
                    "give its run"
                )
        for side, name in self.policies.items():
            if name not in POLICY_NAMES and given.get(side) != name:
                raise UsageError(
                    f"{self.folder / SUMMARY}: {side} was played by '{name}', not a policy "
                    f"of the registry ({', '.join(POLICY_NAMES)}); Ingavi never imports code "
                    "a file names: if you trust that code, name it yourself: "
                    f"--policy {side}={name}"
                )
        return dict(self.policies)


Text = Annotated[str, Field(max_length=4096)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class _SavedScenario(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    path: Text
    overlays: list[Text] | None = None
    sets: list[Text] | None = None
    hash: Text | None = None


class _Summary(BaseModel):
    """The part of ``summary.json`` a replay reads, with strict types and ranges."""

    model_config = ConfigDict(strict=True, extra="ignore")
    scenario: _SavedScenario
    seed: Annotated[int, Field(ge=0, lt=SEED_LIMIT)]
    policies: dict[Name, Name]
    difficulty: Name | None = None
    sample_uncertain: bool = False
    first_run: Annotated[int, Field(ge=0, lt=RUN_LIMIT)] | None = None
    runs: Annotated[int, Field(ge=1, le=RUN_LIMIT)]


def read_study(folder: str | Path) -> StudyRuns:
    """Read ``folder/summary.json``.

    Raises:
        UsageError: If there is no summary, or it is not a study's summary.
    """
    path = Path(folder) / SUMMARY
    try:
        data = json.loads(read_limited(path, MAX_SUMMARY_BYTES).decode("utf-8"))
    except Unreadable as exc:
        if exc.reason == "no such file":
            raise UsageError(f"{folder}: no summary.json (is it a study's --out folder?)") from None
        raise UsageError(f"{path}: cannot be read: {exc.reason}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UsageError(f"{path}: cannot be read: it is not JSON text") from None
    try:
        summary = _Summary.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or "its top level"
        raise UsageError(f"{path}: not a study summary ({where}: {err['msg'].lower()})") from None
    return _parse(Path(folder), summary)


def _parse(folder: Path, data: _Summary) -> StudyRuns:
    scn = data.scenario
    return StudyRuns(
        folder=folder,
        source=ScenarioSource(scn.path, tuple(scn.overlays or ()), tuple(scn.sets or ())),
        scenario_hash=scn.hash or "",
        seed=data.seed,
        policies=dict(data.policies),
        difficulty=data.difficulty or "normal",
        sample_uncertain=data.sample_uncertain,
        first_run=data.first_run or 0,
        runs=data.runs,
    )
