"""``ingavi schema``: write the JSON Schema of scenario (or overlay) files.

Point an editor at the schema to get completion and inline documentation while writing a
scenario; ``--markdown`` prints the generated reference of ``docs/scenario-format.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "schema",
        help="write the JSON Schema of scenario files (or of overlays)",
        description="Write the JSON Schema of scenario files, generated from the models "
        "the loader validates with, on stdout or to a file.",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--overlay", action="store_true", help="the schema of overlay files")
    kind.add_argument(
        "--markdown", action="store_true", help="the Markdown reference of every model instead"
    )
    p.set_defaults(func=run)


def text_for(args: argparse.Namespace) -> str:
    """Return the text the arguments ask for."""
    if args.markdown:
        from game.scenario.docs import reference_markdown

        return reference_markdown()
    from game.scenario.jsonschema import dump, overlay_schema, scenario_schema

    return dump(overlay_schema() if args.overlay else scenario_schema())


def run(args: argparse.Namespace) -> int:
    """Print or write the schema."""
    text = text_for(args)
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return 0
