"""Questions about the scenario models' types, asked by path.

Three parts of the loader need to know what the schema expects at a place in a document
without validating it: error messages ("unknown key 'colr' (did you mean 'colour'?)" needs
the model's keys), ``--set`` (``rules.combat.k0`` must name real fields even when the file
leaves them at their defaults) and the generated reference in ``docs/scenario-format.md``.
They all walk the pydantic annotations with the helpers here.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from game.scenario.schema import Scenario

PathPart = str | int


def unwrap(tp: Any) -> Any:
    """Return ``tp`` without ``Annotated`` wrappers and without ``| None``."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
            continue
        if is_union(tp):
            members = [a for a in get_args(tp) if a is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def is_union(tp: Any) -> bool:
    """Whether ``tp`` is a ``X | Y`` union (including ``Optional``)."""
    return get_origin(tp) in (Union, types.UnionType)


def is_model(tp: Any) -> bool:
    """Whether ``tp`` is a pydantic model class."""
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def union_members(tp: Any) -> list[Any]:
    """Return the members of a union other than ``None`` (or ``[tp]`` if not a union)."""
    tp = unwrap(tp)
    if is_union(tp):
        return [unwrap(a) for a in get_args(tp) if a is not type(None)]
    return [tp]


def literal_values(tp: Any) -> list[str] | None:
    """Return the allowed values of a ``Literal`` type, or ``None`` for other types."""
    tp = unwrap(tp)
    if get_origin(tp) is Literal:
        return [str(a) for a in get_args(tp)]
    return None


def fields_by_alias(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """Return a model's fields keyed as they are written in YAML (``from``, not ``a``)."""
    return {(f.alias or name): f for name, f in model.model_fields.items()}


def child_type(tp: Any, part: PathPart) -> Any | None:
    """Return the type of the value found at ``part`` inside a value of type ``tp``.

    Returns ``None`` when ``tp`` has nothing at ``part`` (an unknown key, an index into a
    scalar).  For a union such as ``int | Uncertain`` a key selects the model member.
    """
    for member in union_members(tp):
        found = _child_of_member(member, part)
        if found is not None:
            return found
    return None


def _child_of_member(tp: Any, part: PathPart) -> Any | None:
    if is_model(tp):
        field = fields_by_alias(tp).get(str(part))
        return None if field is None else _field_type(field)
    origin = get_origin(tp)
    args = get_args(tp)
    if origin is list and isinstance(part, int):
        return args[0]
    if origin is tuple and isinstance(part, int):
        return args[min(part, len(args) - 1)] if args and args[-1] is not Ellipsis else args[0]
    if origin is dict and isinstance(part, str):
        return args[1]
    return None


def _field_type(field: FieldInfo) -> Any:
    """Return a field's annotation with its constraints, as pydantic saw it."""
    if field.metadata:
        return Annotated[(field.annotation, *field.metadata)]
    return field.annotation


def type_at(path: typing.Sequence[PathPart], root: Any = Scenario) -> Any | None:
    """Return the type expected at ``path`` of a scenario, or ``None`` if nothing is there."""
    tp: Any = root
    for part in path:
        tp = child_type(tp, part)
        if tp is None:
            return None
    return tp


def model_at(path: typing.Sequence[PathPart], root: Any = Scenario) -> type[BaseModel] | None:
    """Return the model class expected at ``path`` (a union's model member), if any."""
    tp = type_at(path, root)
    if tp is None:
        return None
    for member in union_members(tp):
        if is_model(member):
            return member
    return None


def required_keys(model: type[BaseModel]) -> list[str]:
    """Return the keys a model needs, as written in YAML."""
    return [alias for alias, f in fields_by_alias(model).items() if f.is_required()]
