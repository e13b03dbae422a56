"""``ingavi validate PATH...``: check scenario and overlay files, reporting every problem.

Each file goes through all three passes of the loader (structure, cross-references,
compile).  Problems are printed one a line as ``FILE:LINE:COLUMN: error: MESSAGE (hint)``
on stderr, followed by a one-line summary; with ``--json`` a single JSON object describing
every file is printed on stdout instead of the problem lines.  The exit status is 2 if any
file has a problem, so the command can gate CI.

A file that loads is then *rehearsed*: each side's recorded orders are played unopposed
(:func:`game.history.order_audit.rehearse`), and every recorded order the rules will
refuse, every march the record abandons half-way and every route decided by a tie is
reported as ``FILE:LINE:COLUMN: warning: ...`` at the order.  Warnings leave a file valid
unless ``--strict`` is given; ``--notes`` also shows where the fallback takes a force over
after its last order, and orders that act from before their date.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, replace
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
    p.add_argument(
        "--strict",
        action="store_true",
        help="count warnings as errors (exit status 2 if any file has one)",
    )
    p.add_argument(
        "--notes",
        action="store_true",
        help="also print notes: where the fallback takes over a force after its last "
        "recorded order, and orders that act earlier than their date",
    )
    p.add_argument(
        "--no-rehearsal",
        dest="rehearse",
        action="store_false",
        help="skip the rehearsal of the recorded orders (structure and references only)",
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


def check_file(
    path: Path, overlays: list[str], sets: list[str], *, rehearse: bool = True
) -> list[Problem]:
    """Run every pass of the loader on one file, then rehearse its recorded orders.

    Returns its problems: errors (the file cannot be used; the rehearsal is then skipped),
    or warnings and notes on the recorded orders (:mod:`game.history.order_audit`).
    """
    from game.scenario.overlay import load_document
    from game.scenario.passes import compile_checked, validate_document

    try:
        doc = load_document(path, list(overlays), list(sets))
        scn = compile_checked(validate_document(doc), str(path))
    except ScenarioError as exc:
        return exc.problems
    if not rehearse:
        return []
    from game.history.order_audit import order_problems

    return order_problems(scn, doc)


def run(args: argparse.Namespace) -> int:
    """Validate each file; print problems and a summary; return 2 if any file is broken."""
    files = files_to_check(args.paths)
    report: list[dict[str, Any]] = []
    for f in files:
        found = check_file(f, args.overlay, args.sets, rehearse=args.rehearse)
        if args.strict:
            found = [replace(p, severity="error") if p.severity == "warning" else p for p in found]
        shown = [p for p in found if p.severity != "note" or args.notes]
        if not any(p.severity == "error" for p in shown):  # warnings and notes: in file order
            shown.sort(key=lambda p: (p.file != str(f), p.file, p.line, p.column))
        errors = [p for p in found if p.severity == "error"]
        report.append({"path": str(f), "ok": not errors, "problems": shown})
        if not args.json:
            for p in shown:
                # a warning on the recorded orders of the file an overlay extends names the
                # overlay too: the orders stand there, the overlay is what makes them fail
                elsewhere = ""
                if p.severity != "error" and p.file != str(f):
                    elsewhere = f" (while checking {f})"
                print(p.format() + elsewhere, file=sys.stderr)
    bad = sum(not r["ok"] for r in report)
    tally = {k: sum(p.severity == k for r in report for p in r["problems"]) for k in SEVERITIES}
    if args.json:
        print_json(
            {"files": [{**r, "problems": [asdict(p) for p in r["problems"]]} for r in report]}
        )
    counts = [_count(tally["error"], "problem")]
    counts += [_count(tally[k], k) for k in ("warning", "note") if tally[k]]
    print(f"{len(files) - bad} of {len(files)} files valid; {', '.join(counts)}", file=sys.stderr)
    return 2 if bad else 0


SEVERITIES = ("error", "warning", "note")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
