"""The project's small tree of exceptions.

Every error a user can cause (a broken scenario, an illegal order, a damaged save) is a
subclass of a builtin, so callers may catch ``ValueError`` without importing us, and the
command line turns each into a one-line message with exit status 2 instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class IngaviError(Exception):
    """Root of every error raised on purpose by Ingavi."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario, save or overlay file, with where it is.

    Attributes:
        file: The file the problem is in, as the user named it.
        line: 1-based line, or 0 when unknown.
        column: 1-based column, or 0 when unknown.
        message: What is wrong, in one sentence.
        hint: How to fix it (may be empty).
        path: The YAML path of the offending value, such as ``forces[3].men``.
        severity: ``error`` (the file cannot be used), ``warning`` (it can, but something
            in it will not do what it says; ``validate --strict`` counts it as an error) or
            ``note`` (worth knowing).
    """

    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    path: str = ""
    severity: str = "error"

    def format(self) -> str:
        """Return the one-line ``FILE:LINE:COLUMN: error: MESSAGE (hint)`` form."""
        where = f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.path and self.path not in self.message:
            text = f"{where}: {self.severity}: {self.path}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ScenarioError(IngaviError, ValueError):
    """A scenario or overlay file is malformed; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0].format() if self.problems else "invalid scenario"
        more = len(self.problems) - 1
        super().__init__(first if more <= 0 else f"{first} (and {more} more)")


class IllegalOrderError(IngaviError, ValueError):
    """An order that the rules do not allow; the message gives the reason."""


class SaveError(IngaviError, ValueError):
    """A saved game that cannot be read: corrupt, foreign, or from another scenario."""


class UsageError(IngaviError, ValueError):
    """A command-line argument that cannot be honoured (bad path, bad --set, ...)."""


class IngaviWarning(UserWarning):
    """Something the user should know that does not stop the command (a stale lock taken over).

    The command line prints each as one line on stderr, like errors.
    """
