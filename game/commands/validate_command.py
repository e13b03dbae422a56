"""``ingavi validate PATH...``: check scenario and overlay files, reporting every problem.

Each file goes through all three passes of the loader (structure, cross-references,
compile).  Problems are printed one a line as ``FILE:LINE:COLUMN: error: MESSAGE (hint)``
on stderr, followed by a one-line summary; with ``--json`` a single JSON object describing
every file is printed on stdout instead of the problem lines.  The exit status is 2 if any
file has a problem, so the command can gate CI.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from game.commands.common import print_json
from game.errors import Problem, ScenarioError, UsageError

SUFFIXES = (".yaml", ".yml")
"""Files a folder walk picks up; JSON Schema files (``*.schema.json``) are never scenarios."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "validate",
        help="check scenario and overlay files (or folders of them) and report every problem",
        description="Check scenario and overlay files. Every problem is printed as "
        "FILE:LINE:COLUMN: error: MESSAGE (hint); the exit status is 2 if any was found.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario or overlay files, or folders")
    p.add_argument(
        "--overlay",
        action="append",
        default=[],
        metavar="FILE",
        help="apply this overlay to every file checked (repeatable)",
    )
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="change one value in every file checked, e.g. --set forces.x.men=9000",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.set_defaults(func=run)


def files_to_check(paths: list[str]) -> list[Path]:
    """Return the files named, with folders replaced by the YAML files inside them."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(
                    q
                    for q in path.rglob("*")
                    if q.is_file() and q.suffix in SUFFIXES and not q.name.endswith(".schema.json")
                )
            )
        elif path.is_file():
            out.append(path)
        elif path.exists():
            raise UsageError(f"{raw}: not a regular file (a device, pipe or socket)")
        else:
            raise UsageError(f"{raw}: no such file or folder")
    return out


def check_file(path: Path, overlays: list[str], sets: list[str]) -> list[Problem]:
    """Run every pass of the loader on one file; return its problems (empty if valid)."""
    from game.scenario.overlay import load_with_overlays

    try:
        load_with_overlays(path, list(overlays), list(sets))
    except ScenarioError as exc:
        return exc.problems
    return []


def run(args: argparse.Namespace) -> int:
    """Validate each file; print problems and a summary; return 2 if any file is broken."""
    files = files_to_check(args.paths)
    report: list[dict[str, Any]] = []
    for f in files:
        problems = check_file(f, args.overlay, args.sets)
        report.append({"path": str(f), "ok": not problems, "problems": problems})
        if not args.json:
            for p in problems:
                print(p.format(), file=sys.stderr)
    bad = sum(not r["ok"] for r in report)
    count = sum(len(r["problems"]) for r in report)
    if args.json:
        print_json(
            {"files": [{**r, "problems": [asdict(p) for p in r["problems"]]} for r in report]}
        )
    noun = "problem" if count == 1 else "problems"
    print(f"{len(files) - bad} of {len(files)} files valid; {count} {noun}", file=sys.stderr)
    return 2 if bad else 0
