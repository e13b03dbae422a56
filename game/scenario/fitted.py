"""Values fitted to the record: what ``calibrated_to`` says, gathered from a scenario.

An author who sets a number so that the model reproduces a recorded figure (a side's will
so that the war ends when it did, a force's strength so that a battle goes history's way)
writes ``calibrated_to`` beside it.  That figure is then no evidence for the model: the
fidelity report shows it as *fitted*.  This module finds every such declaration, with the
dotted path of the value (``sides.north.war_will``, the path ``--set`` takes), and the
checks of :mod:`game.scenario.check_fitted` make sure they name real keys and targets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from game.scenario.schema import Scenario
from game.scenario.yamldoc import Path_


@dataclass(frozen=True)
class FittedValue:
    """One value set to match the record.

    Attributes:
        loc: YAML path of its ``calibrated_to`` key (for messages).
        item: The model holding it.
        key: The key as written (``war_will``, ``ai.aggression``).
        path: The value's dotted path, as ``--set`` names it (``sides.north.war_will``).
        targets: The record entries (or ``outcome``, ``end_date``, ``killed``) it matches.
    """

    loc: Path_
    item: BaseModel
    key: str
    path: str
    targets: tuple[str, ...]


def _walk(obj: Any, loc: Path_, dotted: str) -> Iterator[tuple[BaseModel, Path_, str]]:
    if isinstance(obj, BaseModel):
        yield obj, loc, dotted
        for name, info in type(obj).model_fields.items():
            key = info.alias or name
            yield from _walk(getattr(obj, name), (*loc, key), f"{dotted}.{key}".lstrip("."))
    elif isinstance(obj, list | tuple):
        for i, item in enumerate(obj):
            ident = getattr(item, "id", None)
            if ident is None and hasattr(item, "a") and hasattr(item, "b"):
                ident = f"{item.a}-{item.b}"  # a link, named by its ends as --set names it
            yield from _walk(item, (*loc, i), f"{dotted}.{ident if ident is not None else i}")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _walk(item, (*loc, key), f"{dotted}.{key}")


def fitted_values(model: Scenario) -> list[FittedValue]:
    """Return every value the scenario declares fitted, in the file's order."""
    out = []
    for item, loc, dotted in _walk(model, (), ""):
        for key, targets in (getattr(item, "calibrated_to", None) or {}).items():
            out.append(
                FittedValue(
                    (*loc, "calibrated_to", key),
                    item,
                    key,
                    f"{dotted}.{key}".lstrip("."),
                    tuple(targets),
                )
            )
    return out


def fitted_targets(model: Scenario) -> dict[str, list[str]]:
    """Return ``target -> the paths of the values fitted to it`` (empty if none are)."""
    out: dict[str, list[str]] = {}
    for fv in fitted_values(model):
        for t in fv.targets:
            out.setdefault(t, []).append(fv.path)
    return out


def resolve_key(item: BaseModel, key: str) -> tuple[bool, list[str]]:
    """Return whether ``key`` (dotted) names a value of ``item``, and the keys it could name.

    The second part lists the keys of the model where the walk stopped, for a "did you
    mean".
    """
    node: Any = item
    for part in key.split("."):
        fields = type(node).model_fields if isinstance(node, BaseModel) else {}
        names = {info.alias or n: n for n, info in fields.items() if n != "calibrated_to"}
        if part not in names:
            return False, sorted(names)
        node = getattr(node, names[part])
    return True, []
