"""Second pass of the loader: cross-references and other checks pydantic cannot make.

The models of :mod:`game.scenario.schema` check each part of a scenario on its own; this
pass checks the parts against each other: that every id referred to exists (with a "did you
mean" when it does not), that no id is given twice, that a force's commander serves its
side, that dates fall inside the war, that the map is connected, and so on.  It returns
every problem at once, each with the YAML path of the offending value; the loader turns
paths into file, line and column.

The checks on dates encode these decisions: forces' arrivals, events, record entries and
historical orders must fall between ``meta.start`` and ``meta.end`` inclusive; a
commander's fate may fall after the end (he lived on) but not before the start.
"""

from __future__ import annotations

from collections.abc import Callable

from game.scenario.check_base import Context, Finding, check_duplicate_ids, check_sources
from game.scenario.check_events import check_events, check_victory
from game.scenario.check_fitted import check_fitted
from game.scenario.check_forces import check_commanders, check_evidence, check_forces
from game.scenario.check_history import check_orders, check_premises, check_record
from game.scenario.check_map import check_connected, check_links, check_provinces, check_sides
from game.scenario.schema import Scenario

CHECKS: tuple[Callable[[Context], None], ...] = (
    check_duplicate_ids,
    check_sources,
    check_sides,
    check_provinces,
    check_links,
    check_connected,
    check_commanders,
    check_forces,
    check_events,
    check_record,
    check_orders,
    check_premises,
    check_victory,
    check_evidence,
    check_fitted,
)
"""Every check, in the order their findings are reported."""


def check(model: Scenario) -> list[Finding]:
    """Return every cross-reference problem of a structurally valid scenario.

    Args:
        model: A scenario that passed the pydantic models.

    Returns:
        The findings, in the order of :data:`CHECKS`; empty when the scenario is sound.
    """
    ctx = Context(model)
    for run in CHECKS:
        run(ctx)
    return ctx.findings


__all__ = ["CHECKS", "Finding", "check"]
