"""``ingavi validate PATH...``: check scenario and overlay files, reporting every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.errors import ScenarioError, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "validate",
        help="check scenario files (or folders of them) and report every problem",
        description="Check scenario and overlay files. Every problem is printed as "
        "FILE:LINE:COLUMN: error: MESSAGE (hint); the exit status is 2 if any was found.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    p.set_defaults(func=run)


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(q for q in path.rglob("*.yaml") if q.is_file()))
        elif path.is_file():
            out.append(path)
        else:
            raise UsageError(f"{raw}: no such file or folder")
    return out


def run(args: argparse.Namespace) -> int:
    """Validate each file; print problems; return 2 if any file is broken."""
    from game.scenario.load import load_scenario

    bad = 0
    files = _files(args.paths)
    for f in files:
        try:
            load_scenario(f)
        except ScenarioError as exc:
            bad += 1
            for p in exc.problems:
                print(p.format(), file=sys.stderr)
    print(f"{len(files) - bad} of {len(files)} files valid", file=sys.stderr)
    return 2 if bad else 0
