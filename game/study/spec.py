"""What a study is: plain, JSON-ready descriptions that any worker can rebuild from.

A worker on another process or another machine never receives a game object.  It receives
a :class:`StudySpec` as a dict of strings and numbers, reloads the scenario from its path,
overlays and ``--set`` values (or rebuilds it from the plain data the driver hands over with
each chunk, without reading the files again), checks that it compiled to the same content hash the driver
saw, and plays its runs.  Because every die is keyed on (seed, run index), that is enough
for any worker to produce exactly the rows the driver would have produced itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from game.errors import UsageError
from game.scenario.compile import CompiledScenario
from game.version import ENGINE_VERSION

DEFAULT_POLICY = "heuristic"
"""Policy playing every side a study does not name a policy for."""
DEFAULT_DIFFICULTY = "normal"
"""Difficulty passed to the policy registry unless the study names another."""


@dataclass(frozen=True)
class ScenarioRef:
    """A scenario as files: what a worker needs to load it again.

    Attributes:
        path: The scenario (or overlay) file, made absolute so workers elsewhere find it.
        overlays: Overlay files applied in order on top of ``path`` (absolute).
        sets: ``PATH=VALUE`` changes applied last, as on the command line.
    """

    path: str
    overlays: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, path: str | Path, overlays: list[str] | tuple[str, ...] = (), sets: list[str] = ()
    ) -> ScenarioRef:
        """Return a reference with absolute paths (so a worker's cwd does not matter)."""
        return cls(
            str(Path(path).resolve()),
            tuple(str(Path(o).resolve()) for o in overlays),
            tuple(sets),
        )

    def with_sets(self, *sets: str) -> ScenarioRef:
        """Return this reference with more ``--set`` values applied after its own."""
        return replace(self, sets=(*self.sets, *sets))

    def with_overlay(self, overlay: str | Path) -> ScenarioRef:
        """Return this reference with one more overlay, applied before its ``--set`` values.

        An overlay given to ``--vs`` changes the scenario as the user sees it, so the
        baseline's own ``--set`` values still win over it, as they would on its own.
        """
        return replace(self, overlays=(*self.overlays, str(Path(overlay).resolve())))

    def load(self) -> CompiledScenario:
        """Load and compile the scenario (raises ScenarioError listing every problem)."""
        from game.scenario.load import load_scenario
        from game.scenario.overlay import load_with_overlays

        if not Path(self.path).is_file():
            raise UsageError(f"{self.path}: no such scenario file")
        if self.overlays or self.sets:
            return load_with_overlays(self.path, list(self.overlays), list(self.sets))
        return load_scenario(self.path)

    def label(self) -> str:
        """Return a short human description: file name, overlays and sets."""
        parts = [Path(self.path).name]
        parts += [f"+{Path(o).name}" for o in self.overlays]
        parts += list(self.sets)
        return " ".join(parts)


@dataclass(frozen=True)
class Arm:
    """One scenario variant played over the study's runs.

    A plain study has one arm; ``--vs`` adds a second played on the same run indices (and
    so the same dice); a sweep has one arm per grid point.

    Attributes:
        name: Short name used for its folder and in tables (``base``, ``vs``, ``p003``).
        scenario: How to load it.
        hash: The content hash it must compile to (checked by every worker).
        values: Parameter values that define the arm in a sweep, else empty.
    """

    name: str
    scenario: ScenarioRef
    hash: str
    values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class StudySpec:
    """Everything that decides a study's results except which runs are played.

    Attributes:
        arms: Scenario variants (see :class:`Arm`); the first is the baseline.
        seed: Seed every die is keyed on.
        policies: Policy name per side id (a registry name or ``module:factory``).
        difficulty: Difficulty passed to the policy registry.
        sample_uncertain: Draw uncertain scenario values (strength ranges) per run.
        engine_version: :data:`game.ENGINE_VERSION` when the study began.
    """

    arms: tuple[Arm, ...]
    seed: int
    policies: tuple[tuple[str, str], ...]
    difficulty: str = DEFAULT_DIFFICULTY
    sample_uncertain: bool = False
    engine_version: str = field(default=ENGINE_VERSION)

    @property
    def policy_map(self) -> dict[str, str]:
        """Policy name by side id."""
        return dict(self.policies)

    def to_dict(self) -> dict[str, Any]:
        """Return the spec as plain JSON-ready data (what workers receive)."""
        return json.loads(json.dumps(asdict(self)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StudySpec:
        """Rebuild a spec from :meth:`to_dict` output."""
        arms = tuple(
            Arm(
                name=a["name"],
                scenario=ScenarioRef(
                    a["scenario"]["path"],
                    tuple(a["scenario"]["overlays"]),
                    tuple(a["scenario"]["sets"]),
                ),
                hash=a["hash"],
                values=tuple((str(k), v) for k, v in a["values"]),
            )
            for a in data["arms"]
        )
        return cls(
            arms=arms,
            seed=int(data["seed"]),
            policies=tuple((str(s), str(p)) for s, p in data["policies"]),
            difficulty=str(data["difficulty"]),
            sample_uncertain=bool(data["sample_uncertain"]),
            engine_version=str(data["engine_version"]),
        )

    def fingerprint(self) -> str:
        """Return a hash of what decides the results (not of file paths).

        Two studies with equal fingerprints give identical rows for every run index, so
        their chunks may be shared: this is what ``--resume`` checks.
        """
        data = {
            "arms": [(a.name, a.hash, a.values) for a in self.arms],
            "seed": self.seed,
            "policies": self.policies,
            "difficulty": self.difficulty,
            "sample_uncertain": self.sample_uncertain,
            "engine_version": self.engine_version,
        }
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_SCENARIOS: dict[ScenarioRef, CompiledScenario] = {}


def load(ref: ScenarioRef) -> CompiledScenario:
    """Load the scenario afresh and remember it for the workers of this process."""
    scn = _SCENARIOS[ref] = ref.load()
    return scn


def scenario_data(ref: ScenarioRef, expected_hash: str) -> dict[str, Any] | None:
    """Return the scenario this process loaded for ``ref``, as plain JSON-ready data.

    What a worker is handed with its chunks (:func:`load_cached`), so
    that it rebuilds the scenario from data already read and checked instead of reading,
    checking and compiling the files again (about a tenth of a second per worker and
    scenario).  The data are the checked model's fields (strings, numbers, lists, maps),
    never code; None when this process holds no scenario of that hash.
    """
    scn = _SCENARIOS.get(ref)
    if scn is None or scn.hash != expected_hash:
        return None
    return scn.model.model_dump(mode="json", by_alias=True)


def _from_data(ref: ScenarioRef, data: dict[str, Any]) -> CompiledScenario | None:
    """Return the scenario rebuilt from :func:`scenario_data`, or None if it does not build.

    The data passed the structure and cross-reference passes where they were read; the
    structure is checked again here (pydantic, strict as for a file) before compiling.
    """
    from pydantic import ValidationError

    from game.errors import ScenarioError
    from game.scenario.passes import compile_checked
    from game.scenario.schema import Scenario

    try:
        scn = compile_checked(Scenario.model_validate(data), ref.path)
    except (ValidationError, ScenarioError):
        return None
    _SCENARIOS[ref] = scn
    return scn


def load_cached(
    ref: ScenarioRef, expected_hash: str, data: dict[str, Any] | None = None
) -> CompiledScenario:
    """Return the compiled scenario with the given content hash, loading it if need be.

    A worker loads each scenario once, however many chunks it plays: from ``data``
    (:func:`scenario_data`, handed over by the study's driver) when given, else from
    its files.  A file edited since is noticed because it no longer compiles to the hash
    the study began with; data that do not build to that hash are set aside and the
    files read instead.

    Raises:
        UsageError: If the files compile to another scenario than the driver saw (they
            changed during the study, or a remote worker has other copies of them).
    """
    scn = _SCENARIOS.get(ref)
    if (scn is None or scn.hash != expected_hash) and data is not None:
        scn = _from_data(ref, data)
    if scn is None or scn.hash != expected_hash:
        scn = load(ref)
    if scn.hash != expected_hash:
        raise UsageError(
            f"{ref.label()}: the scenario this worker loaded differs from the one the study "
            "began with (was a file edited, or does the worker see other copies?)"
        )
    return scn


def policies_for(
    scn: CompiledScenario, given: dict[str, str] | None
) -> tuple[tuple[str, str], ...]:
    """Return a policy per side of the scenario: those given, else the default.

    Raises:
        UsageError: If a side id is not one of the scenario's sides.
    """
    given = dict(given or {})
    for side in given:
        if side not in scn.side_ids:
            raise UsageError(
                f"no side '{side}' in this scenario (sides: {', '.join(scn.side_ids)})"
            )
    return tuple((s, given.get(s, DEFAULT_POLICY)) for s in scn.side_ids)


def make_spec(
    base: ScenarioRef,
    *,
    seed: int | None = None,
    policies: dict[str, str] | None = None,
    difficulty: str = DEFAULT_DIFFICULTY,
    sample_uncertain: bool = False,
    variants: list[tuple[str, ScenarioRef, tuple[tuple[str, Any], ...]]] | None = None,
    include_base: bool = True,
) -> tuple[StudySpec, CompiledScenario]:
    """Load the scenario (and its variants) and return the spec and the baseline compiled.

    Args:
        base: The baseline scenario.
        seed: Seed of the dice (default: the scenario's ``meta.default_seed``).
        policies: Policy name per side id (others play :data:`DEFAULT_POLICY`).
        difficulty: Difficulty passed to the registry.
        sample_uncertain: Draw uncertain values per run.
        variants: ``(name, scenario, values)`` of further arms (``--vs``, sweep points).
        include_base: Whether the baseline itself is an arm (a sweep plays only its points).
    """
    scn = load(base)
    arms: list[Arm] = [Arm("base", base, scn.hash)] if include_base else []
    for name, ref, values in variants or []:
        other = load(ref)
        if other.side_ids != scn.side_ids:
            raise UsageError(f"{ref.label()}: its sides differ from the baseline's")
        arms.append(Arm(name, ref, other.hash, values))
    if not arms:
        raise UsageError("a study needs at least one scenario to play")
    spec = StudySpec(
        arms=tuple(arms),
        seed=int(scn.model.meta.default_seed if seed is None else seed),
        policies=policies_for(scn, policies),
        difficulty=difficulty,
        sample_uncertain=sample_uncertain,
    )
    if not 0 <= spec.seed < 2**63:
        raise UsageError(f"--seed must be between 0 and 2**63-1, got {spec.seed}")
    from game.study.policy_names import make_all

    make_all(spec.policy_map, scn, difficulty)  # refuse unknown policies before any work
    return spec, scn
