"""The ``ingavi`` command: one entry point, one sub-command per job.

Errors a user can cause are :class:`game.errors.IngaviError` subclasses; they are printed
as one line on stderr with exit status 2, never as a traceback.  Ctrl-C exits with 130
after the command has saved whatever it had finished.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from game.errors import IngaviError, IngaviWarning, ScenarioError
from game.version import __version__

COMMANDS: tuple[str, ...] = (
    "play",
    "validate",
    "schema",
    "battle",
    "study",
    "sweep",
    "sensitivity",
    "balance",
    "tournament",
    "replay",
    "fidelity",
    "screenshots",
)
"""Modules of :mod:`game.commands`, in the order ``ingavi --help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="ingavi",
        description="Ingavi: a turn-based operational wargame and campaign simulator. "
        "A war is a YAML scenario file: play it on a map, replay its history, measure "
        "how faithfully the model reproduces it, or play it thousands of times headless. "
        "Commands that take a SCENARIO play the bundled one when none is given.",
    )
    parser.add_argument("--version", action="version", version=f"ingavi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"game.commands.{name}_command").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        parser.error(_unrecognised(args, extra))
    if not getattr(args, "func", None):
        if "play" in COMMANDS:
            args = parser.parse_args(["play", *(argv or [])])
        else:
            parser.print_help()
            return 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", IngaviWarning)
            warnings.showwarning = _one_line(args.command)
            return int(args.func(args) or 0)
    except ScenarioError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        return 2
    except IngaviError as exc:
        print(f"ingavi {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"ingavi {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _unrecognised(args: argparse.Namespace, extra: list[str]) -> str:
    """Return argparse's message for unknown arguments, with a hint for ``--SIDE POLICY``.

    Policies are chosen by the scenario's side ids (``--policy north=random``); the options
    named after one war's sides are gone, so say how to write what was meant.
    """
    text = f"unrecognized arguments: {' '.join(extra)}"
    if hasattr(args, "policy") and extra[0].startswith("--") and len(extra) > 1:
        side = extra[0][2:]
        text += f" (to choose the policy of side '{side}', write --policy {side}={extra[1]})"
    return text


def _one_line(command: str) -> Any:
    """Return a ``warnings.showwarning`` that prints a warning as one line, like errors."""

    def show(message: Warning | str, *args: Any, **kwargs: Any) -> None:
        print(f"ingavi {command}: warning: {message}", file=sys.stderr)

    return show


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
