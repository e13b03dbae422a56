"""The summary of a study as one JSON-ready dict: what ``summary.json`` and ``--json`` hold.

It records how to reproduce the study (the command, the scenario's content hash, the
overlays, ``--set`` values, seed, policies and engine version) beside its results, so a
number quoted from it can always be traced and re-made.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from game.scenario.compile import CompiledScenario
from game.study.balance import DEFAULT_THRESHOLD, verdict
from game.study.driver import Played
from game.study.runs_table import plain
from game.study.sensitivity import drivers
from game.study.spec import ScenarioRef


def command_line(words: Sequence[str], options: dict[str, Any]) -> str:
    """Return a shell command from leading words and options (None and False omitted).

    A list value repeats its option; True gives a bare flag.
    """
    parts = list(words)
    for opt, value in options.items():
        if value is None or value is False:
            continue
        if value is True:
            parts.append(opt)
            continue
        for v in value if isinstance(value, list | tuple) else [value]:
            parts += [opt, str(v)]
    return shlex.join(parts)


def scenario_info(scn: CompiledScenario, ref: ScenarioRef) -> dict[str, Any]:
    """Return what identifies a scenario: file, id, title, content hash, overlays, sets."""
    return {
        "path": ref.path,
        "id": scn.model.meta.id,
        "title": scn.model.meta.title,
        "hash": scn.hash,
        "overlays": list(ref.overlays),
        "sets": list(ref.sets),
    }


def build(
    played: Played,
    *,
    command: str,
    balance_threshold: float = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """Return the summary of a played study (its baseline, and the comparison for ``--vs``)."""
    spec = played.spec
    base_scn, base = played.scenarios[0], played.aggregates[0]
    head = {
        "command": command,
        "scenario": scenario_info(base_scn, spec.arms[0].scenario),
        "overlays": list(spec.arms[0].scenario.overlays),
        "sets": list(spec.arms[0].scenario.sets),
        "seed": spec.seed,
        "engine_version": spec.engine_version,
        "policies": dict(spec.policies),
        "difficulty": spec.difficulty,
        "sample_uncertain": spec.sample_uncertain,
        "first_run": played.first_run,
        "complete": played.complete,
        "stopped": played.stopped,
        "backend": played.backend,
        "workers": played.workers,
        "chunk_size": played.chunk_size,
        "elapsed_s": played.elapsed_s,
        "runs_per_s": played.runs_per_s,
        "campaigns_played": played.played,
        "campaigns_reused": played.reused,
    }
    body = base.summary(base_scn)
    out = {**head, **body}
    out["balance"] = verdict(body["winners"], balance_threshold)
    if spec.sample_uncertain:
        out["drivers"] = drivers(base_scn, base)
    if played.paired is not None:
        vs_scn, vs_agg = played.scenarios[1], played.aggregates[1]
        out["vs"] = {
            "scenario": scenario_info(vs_scn, spec.arms[1].scenario),
            **vs_agg.summary(vs_scn),
            "comparison": played.paired.summary(base_scn, base, vs_agg),
        }
    return plain(out)


def relative(path: Path | str) -> str:
    """Return a path relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
