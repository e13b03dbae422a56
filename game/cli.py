"""The ``ingavi`` command: one entry point, one sub-command per job.

Errors a user can cause are :class:`game.errors.IngaviError` subclasses; they are printed
as one line on stderr with exit status 2, never as a traceback.  Ctrl-C exits with 130
after the command has saved whatever it had finished.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from game import __version__
from game.errors import IngaviError, ScenarioError

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
        description="Ingavi: a wargame and campaign simulator of the Peruvian-Bolivian "
        "War of 1841-42.",
    )
    parser.add_argument("--version", action="version", version=f"ingavi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"game.commands.{name}_command").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        if "play" in COMMANDS:
            args = parser.parse_args(["play", *(argv or [])])
        else:
            parser.print_help()
            return 0
    try:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
