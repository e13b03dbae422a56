"""Reading a save file defensively: limits first, then strict types, then the arrays.

A save may come from a stranger, so nothing in it is trusted until checked, and every
refusal is one :class:`~game.errors.SaveError` line naming the file and the value.  The
file must be a regular file of at most :data:`MAX_BYTES`; its integers may have at most
:data:`MAX_DIGITS` digits (Python's own limit is 4,300, far past anything a save holds),
its values may nest at most :data:`MAX_DEPTH` deep, and its fields have strict types
(pydantic, strict mode: ``true`` is not a number, ``"7"`` is not a seed).  Seeds and run
ids must be ones the game could have made (:data:`game.rng.SEED_LIMIT`,
:data:`game.rng.RUN_LIMIT`).  What depends on the scenario (how many turns a log may
hold, the shapes of the arrays) is checked by :mod:`game.save` once it is loaded, and
still before anything is replayed.
"""

from __future__ import annotations

import json
import math
import re
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from game.errors import SaveError
from game.files import Unreadable, read_limited
from game.rng import RUN_LIMIT, SEED_LIMIT

FORMAT = "ingavi-save"
VERSION = 2
"""The format written.  Version 2 added each side's memory of the enemy to the state
(:mod:`game.engine.memory`)."""
READABLE = (1, 2)
"""Versions read: a version 1 save lacks the memory arrays, which replaying its log
rebuilds (:data:`game.save.ADDED_STATE`)."""
MAX_BYTES = 50 * 1024 * 1024
"""Largest save file read (a finished war of the bundled scenario is far smaller)."""
MAX_DIGITS = 24
"""Most digits in an integer: a save's numbers fit in 64 bits (20 digits)."""
MAX_DEPTH = 32
"""Deepest nesting of lists and objects (a save's own data nests 6 deep)."""
DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint64", "float32", "float64")
"""Array types a save may hold."""

Count = Annotated[int, Strict(), Field(ge=0)]
LABELS = {
    "seed": "the seed",
    "turn": "the turn",
    "branch.run": "the branch's run id",
    "branch.sample_uncertain": "the branch's sample_uncertain",
}
"""What a refusal calls a value, where its path alone would be obscure."""


class _Strict(BaseModel):
    """Strict types; keys a later version may add are kept, not refused."""

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)


class SavedScenario(_Strict):
    """How the save names its scenario: id, content hash and the files to load again."""

    id: str | None = None
    hash: str | None = None
    path: str | None = None
    overlays: list[str] = []
    sets: list[str] = []


class SavedOrders(_Strict):
    """One turn's orders of a batch of one: order kind and target per force, sue per side."""

    kind: list[list[Annotated[int, Field(ge=-128, le=127)]]]
    target: list[list[Annotated[int, Field(ge=-32768, le=32767)]]]
    sue: list[list[bool]]


class SavedArray(_Strict):
    """One state array as :func:`encode_array` writes it."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    dtype: Literal[DTYPES]  # type: ignore[valid-type]
    shape: list[Count]
    data: list[Any]


class SavedBranch(_Strict):
    """Where a game taken over from history or a study run began."""

    run: Annotated[int, Field(ge=0, lt=RUN_LIMIT)] | None = None
    sample_uncertain: bool = False


class SaveFile(_Strict):
    """The whole save, as far as it can be checked without its scenario."""

    scenario: SavedScenario
    seed: Annotated[int, Field(ge=0, lt=SEED_LIMIT)]
    turn: Count
    branch: SavedBranch | None = None
    log: list[Any]
    """Checked turn by turn by :func:`check_log`, once its length is known to be sane."""
    pending: SavedOrders | None = None
    state: dict[str, SavedArray]
    extra: dict[str, Any] = {}

    @field_validator("pending", mode="before")
    @classmethod
    def _none_if_empty(cls, value: Any) -> Any:
        return value or None


def read_save(path: Any) -> dict[str, Any]:
    """Read a save file and check everything that does not need its scenario.

    Returns:
        The file's JSON object, unchanged (values a later version added included).

    Raises:
        SaveError: One line naming the file and what is wrong with it.
    """
    try:
        data = read_limited(path, MAX_BYTES)
    except Unreadable as exc:
        raise SaveError(f"{path}: cannot be read as a save: {exc.reason}") from None
    try:
        # Integers are checked one by one only if the file has a long run of digits at all
        # (the check costs a Python call per integer; the result is the same either way).
        hook = _integer if _LONG_DIGITS.search(data) else None
        obj = json.loads(data.decode("utf-8"), parse_int=hook)
    except UnicodeDecodeError:
        raise SaveError(f"{path}: not a saved game (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise SaveError(
            f"{path}: damaged save, JSON error at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise SaveError(f"{path}: damaged save, values nested too deeply") from None
    except SaveError as exc:
        raise SaveError(f"{path}: damaged save, {exc}") from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise SaveError(f"{path}: not an Ingavi saved game")
    version = obj.get("version")
    if type(version) is not int or version not in READABLE:
        raise SaveError(
            f"{path}: save format version {_short(version)}; this Ingavi reads versions "
            f"{READABLE[0]} to {READABLE[-1]}"
        )
    free = [v for k, v in obj.items() if k not in _SHAPED]  # extra, branch, later keys
    if _depth(free) > MAX_DEPTH:
        raise SaveError(f"{path}: damaged save, values nested more than {MAX_DEPTH} deep")
    for key in ("scenario", "seed", "turn", "log", "state"):
        if key not in obj:
            raise SaveError(f"{path}: damaged save, '{key}' is missing")
    try:
        SaveFile.model_validate(obj)
    except ValidationError as exc:
        raise SaveError(f"{path}: damaged save, {_first_error(exc)}") from None
    return obj


_LONG_DIGITS = re.compile(rb"\d{%d}" % (MAX_DIGITS + 1))
_SHAPED = frozenset({"scenario", "seed", "turn", "log", "pending", "state"})
"""Fields whose nesting their strict types bound (a log entry is lists of lists of ints)."""
_LOG = TypeAdapter(list[SavedOrders])


def check_log(path: Any, log: list[Any]) -> None:
    """Check every turn of a save's log (after its length was checked against the scenario).

    Raises:
        SaveError: Naming the first turn that is malformed.
    """
    try:
        _LOG.validate_python(log)
    except ValidationError as exc:
        raise SaveError(f"{path}: damaged save, log{_first_error(exc)}") from None


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise SaveError(f"an integer of {len(text):,} digits (a save's have at most {MAX_DIGITS})")
    return int(text)


def _depth(root: Any) -> int:
    """Return how deep lists and objects nest, without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return deepest


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
    where = where if where.startswith("[") else where.lstrip(".")
    where = LABELS.get(where, where)
    msg = err["msg"][:1].lower() + err["msg"][1:]
    more = exc.error_count() - 1
    return f"{where}: {msg}" + (f" (and {more} more)" if more > 0 else "")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def decode_array(obj: Any, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Rebuild a state array, refusing any that is not exactly ``shape`` of ``dtype``."""
    if not isinstance(obj, dict) or set(obj) != {"dtype", "shape", "data"}:
        raise SaveError(f"array '{name}' is malformed")
    if obj["dtype"] != str(dtype) or obj["shape"] != list(shape):
        raise SaveError(
            f"array '{name}' has shape {_short(obj['shape'])} {_short(obj['dtype'])}, "
            f"expected {list(shape)} {dtype}"
        )
    data = obj["data"]
    if not isinstance(data, list) or len(data) != math.prod(shape):
        n = len(data) if isinstance(data, list) else "?"
        raise SaveError(f"array '{name}' has {n} values for shape {list(shape)}")
    if not all(isinstance(x, int | float) for x in data):
        raise SaveError(f"array '{name}' holds values that are not numbers")
    try:
        return np.array(data, dtype=dtype).reshape(shape)
    except (ValueError, OverflowError):
        raise SaveError(f"array '{name}' holds values out of range for {dtype}") from None
