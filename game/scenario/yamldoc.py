"""Read a YAML file safely into a tree of values that remember where they were written.

The loader needs more than ``yaml.safe_load`` gives: every value's file, line and column
(so that a problem found three passes later still points at the right place), refusal of
duplicate keys (YAML silently keeps the last one), and protection against hostile or
accidental inputs (a huge file, a "billion laughs" web of aliases, binary data).  So a
file is read in steps, each of which can only fail with a one-line :class:`Problem`:

1. the size is checked before reading, and the bytes must be UTF-8 text;
2. the text is *composed* into YAML nodes by a safe loader (aliases are shared there, so
   this costs memory in proportion to the file, however many aliases it has);
3. the node graph is measured: aliases that would expand it beyond a limit, or that refer
   to themselves, are refused before anything is constructed;
4. the graph is walked into :class:`Node` objects, building only plain scalars with the
   safe constructor (no Python objects, no tags beyond the standard ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.nodes import Node as YamlNode

from game.errors import Problem, ScenarioError
from game.files import Unreadable, read_limited

MAX_BYTES = 2_000_000
"""Largest file accepted; the biggest real scenario is a small fraction of this."""
MAX_ALIAS_VALUES = 100_000
"""Most values that aliases may add when expanded (a defence against "billion laughs")."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted."""

_MERGE_TAG = "tag:yaml.org,2002:merge"
_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
)
"""The only tags a scenario may use (explicitly or implicitly): plain data."""
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The only YAML loader the project uses: standard tags only, never Python objects.

    It is the C-accelerated safe loader when PyYAML was built with libyaml (composition is
    then fast and has a nesting limit of its own), else the pure-Python one.
    """


@dataclass(frozen=True, slots=True)
class Pos:
    """Where something was written: a file and a 1-based line and column."""

    file: str
    line: int
    column: int


@dataclass(slots=True)
class Node:
    """A value of a YAML document and where it came from.

    Attributes:
        value: A scalar (str, int, float, bool, date, datetime or None), a
            ``dict[str, Node]`` for a mapping, or a ``list[Node]`` for a sequence.
        pos: Where the value starts.
        key_pos: Where its key is, when the value belongs to a mapping (unknown keys and
            duplicate keys are reported there rather than at the value).
    """

    value: Any
    pos: Pos
    key_pos: Pos | None = None


Path_ = tuple[str | int, ...]
"""A path into a document, in the form pydantic uses for error locations."""


def problem_at(pos: Pos | None, file: str, message: str, hint: str = "", path: str = "") -> Problem:
    """Return a :class:`Problem` at ``pos`` (or at the top of ``file`` when unknown)."""
    if pos is None:
        return Problem(file, 0, 0, message, hint, path)
    return Problem(pos.file, pos.line, pos.column, message, hint, path)


def _fail(file: str, line: int, column: int, message: str, hint: str = "") -> ScenarioError:
    return ScenarioError([Problem(file, line, column, message, hint)])


# --------------------------------------------------------------------------- bytes to text


def read_text(path: Path, file: str) -> str:
    """Return the text of ``path`` if it is a UTF-8 text file of acceptable size.

    Args:
        path: The file to read.
        file: The name to use in problems (the path as the user wrote it).

    Raises:
        ScenarioError: If the file is missing, not a regular file, too big, binary, not
            UTF-8 or empty.
    """
    try:
        data = read_limited(path, MAX_BYTES)
    except Unreadable as exc:
        if exc.size is not None:
            raise _too_big(file, exc.size) from None
        raise _fail(file, 0, 0, f"cannot read the file: {exc.reason}") from None
    return decode(data, file)


def _too_big(file: str, size: int) -> ScenarioError:
    return _fail(
        file,
        0,
        0,
        f"file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})",
        "a scenario should be far smaller; is this the right file?",
    )


def decode(data: bytes, file: str) -> str:
    """Decode ``data`` as UTF-8 text, refusing binary data and empty documents."""
    if b"\x00" in data:
        at = data.index(b"\x00")
        line, column = data.count(b"\n", 0, at) + 1, at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise _fail(
            file,
            line,
            column,
            "file contains NUL bytes: it is binary, not YAML text",
            "save as UTF-8",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(
            file,
            line,
            column,
            f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded)",
            "save the file as UTF-8",
        ) from None
    if not any(ln.strip() and not ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise _fail(file, 1, 1, "file is empty: it has no YAML content", "")
    return text


# --------------------------------------------------------------------------- text to nodes


def compose(text: str, file: str) -> YamlNode:
    """Compose ``text`` into one YAML node graph, turning YAML errors into a problem."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _yaml_problem(exc, text, file) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_col(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise _fail(
            file, line, column, f"control character U+{code:04X} is not allowed in YAML text"
        ) from None
    except yaml.YAMLError as exc:
        raise _fail(file, 0, 0, f"not valid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise _fail(
            file, 0, 0, f"values are nested too deeply (the limit is {MAX_DEPTH})"
        ) from None
    finally:
        loader.dispose()
    if node is None:
        raise _fail(file, 1, 1, "file is empty: it has no YAML content")
    return node


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> ScenarioError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    tab = _tab_indent(text, line)
    if tab:
        return _fail(file, tab, 1, "tab character in indentation", "YAML indents with spaces only")
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    context = exc.context.strip() if exc.context and exc.problem else ""
    if "expected a single document" in context:
        return _fail(file, line, column, "a second YAML document ('---') in one file", "keep one")
    return _fail(file, line, column, f"YAML syntax error: {problem}", context)


def _tab_indent(text: str, upto: int) -> int:
    """Return the first line (up to ``upto``) indented with a tab, or 0."""
    for n, line in enumerate(text.splitlines()[:upto], start=1):
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
            return n
    return 0


def measure(root: YamlNode, file: str) -> int:
    """Return how many values the graph holds once aliases are expanded.

    Shared nodes are counted once per reference but measured once, so a "billion laughs"
    document is measured in a few microseconds; the walk stops as soon as the expanded
    size passes the limit, and refuses an alias that contains itself.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    unique = 0

    def size(node: YamlNode, depth: int) -> int:
        nonlocal unique
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_:
            raise _alias_problem(file, node, "an alias refers to a value that contains it")
        if depth > MAX_DEPTH:
            raise _fail(file, *_mark(node), f"values are nested too deeply (limit {MAX_DEPTH})")
        open_.add(key)
        unique += 1
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        open_.discard(key)
        sizes[key] = total
        if total - unique > MAX_ALIAS_VALUES:
            raise _alias_problem(
                file, node, f"aliases expand to more than {MAX_ALIAS_VALUES:,} values"
            )
        return total

    return size(root, 0)


def _mark(node: YamlNode) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _alias_problem(file: str, node: YamlNode, message: str) -> ScenarioError:
    return _fail(file, *_mark(node), message, "write the values out; is this a 'billion laughs'?")


class _Walker:
    """Turns a measured node graph into :class:`Node` values, collecting key problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self._constructor = SafeLoader("")

    def pos(self, node: YamlNode) -> Pos:
        line, column = _mark(node)
        return Pos(self.file, line, column)

    def walk(self, node: YamlNode) -> Node:
        if node.tag not in _TAGS:
            self.problems.append(
                problem_at(
                    self.pos(node),
                    self.file,
                    f"YAML tag '{node.tag}' is not allowed",
                    "scenario files hold plain values, lists and mappings only",
                )
            )
            return Node(None, self.pos(node))
        if isinstance(node, MappingNode):
            return Node(self.mapping(node), self.pos(node))
        if isinstance(node, SequenceNode):
            return Node([self.walk(child) for child in node.value], self.pos(node))
        return Node(self.scalar(node), self.pos(node))

    def scalar(self, node: YamlNode) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            return node.value  # e.g. 1841-13-01: keep the text; the schema reports it

    def mapping(self, node: MappingNode) -> dict[str, Node]:
        merged: dict[str, Node] = {}
        own: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self.merge(value_node, merged)
                continue
            key = self.key(key_node)
            if key is None:
                continue
            if key in own:
                first = own[key].key_pos
                where = f"line {first.line}" if first else "above"
                self.problems.append(
                    problem_at(
                        self.pos(key_node),
                        self.file,
                        f"duplicate key '{key}', first given on {where}",
                        "YAML would silently keep only the last one",
                    )
                )
                continue
            child = self.walk(value_node)
            child.key_pos = self.pos(key_node)
            own[key] = child
        return {**merged, **own}

    def merge(self, source: YamlNode, into: dict[str, Node]) -> None:
        sources = source.value if isinstance(source, SequenceNode) else [source]
        for src in sources:
            if not isinstance(src, MappingNode):
                self.problems.append(
                    problem_at(
                        self.pos(src), self.file, "'<<' must merge a mapping or list of them"
                    )
                )
                continue
            for k, v in self.mapping(src).items():
                into.setdefault(k, v)

    def key(self, node: YamlNode) -> str | None:
        if isinstance(node, ScalarNode):
            return str(node.value)
        self.problems.append(
            problem_at(self.pos(node), self.file, "a key must be plain text, not a list or mapping")
        )
        return None

    def close(self) -> None:
        self._constructor.dispose()


def parse(text: str, file: str) -> Node:
    """Parse YAML ``text`` into a :class:`Node` tree, or raise one problem per fault found."""
    root = compose(text, file)
    measure(root, file)
    walker = _Walker(file)
    try:
        tree = walker.walk(root)
    finally:
        walker.close()
    if walker.problems:
        raise ScenarioError(walker.problems)
    return tree


def load_tree(path: Path, file: str | None = None) -> Node:
    """Read and parse the YAML file at ``path`` (named ``file`` in problems)."""
    name = file if file is not None else str(path)
    return parse(read_text(path, name), name)


def require_mapping(tree: Node, what: str) -> dict[str, Node]:
    """Return the top-level mapping of a document, or raise a problem naming ``what``."""
    if isinstance(tree.value, dict):
        return tree.value
    kind = "a list" if isinstance(tree.value, list) else f"a single value ({tree.value!r:.40})"
    raise ScenarioError(
        [
            problem_at(
                tree.pos,
                tree.pos.file,
                f"the top level must be a mapping of sections, not {kind}",
                f"a {what} starts with keys such as 'meta:' and 'sides:'"
                if what == "scenario"
                else f"a {what} starts with 'extends:' and 'overlay:'",
            )
        ]
    )


# --------------------------------------------------------------------------- trees to data


def to_data(node: Node) -> Any:
    """Return the plain Python value of a tree (dicts, lists and scalars)."""
    if isinstance(node.value, dict):
        return {k: to_data(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [to_data(v) for v in node.value]
    return node.value


def index(node: Node, prefix: Path_ = ()) -> dict[Path_, Node]:
    """Return every node of a tree by its path, e.g. ``("forces", 3, "men")``."""
    out: dict[Path_, Node] = {prefix: node}
    if isinstance(node.value, dict):
        for k, v in node.value.items():
            out.update(index(v, (*prefix, k)))
    elif isinstance(node.value, list):
        for i, v in enumerate(node.value):
            out.update(index(v, (*prefix, i)))
    return out


def format_path(path: Path_) -> str:
    """Return a path the way authors read it: ``forces[3].men``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
