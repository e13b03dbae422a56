"""Cross-reference checks of ``calibrated_to``: real keys, real record entries."""

from __future__ import annotations

from game.scenario.check_base import Context
from game.scenario.fitted import fitted_values, resolve_key
from game.scenario.messages import did_you_mean
from game.scenario.schema import FITTED_FIGURES, FITTED_TARGETS


def check_fitted(ctx: Context) -> None:
    """Each ``calibrated_to`` key names a value of its item, fitted to real targets.

    A target is a ``history.record`` id (optionally one of its figures, ``r_x.happens``;
    the winner, strengths and losses of battles only) or a whole-war figure: outcome,
    end_date, killed.
    """
    kinds = {r.id: r.kind for r in ctx.model.history.record}
    known = [*kinds, *FITTED_TARGETS]
    for fv in fitted_values(ctx.model):
        ok, choices = resolve_key(fv.item, fv.key)
        if not ok:
            hint = (
                did_you_mean(fv.key.split(".")[-1], choices) or f"its keys are {', '.join(choices)}"
            )
            ctx.add(fv.loc, f"'{fv.key}' is not a key of this item", hint, at_key=True)
        if not fv.targets:
            ctx.add(fv.loc, f"'{fv.key}' is fitted to nothing", "list what it was fitted to")
        for i, target in enumerate(fv.targets):
            entry, _, figure = target.partition(".")
            if entry not in known or (figure and entry in FITTED_TARGETS):
                hint = did_you_mean(entry, known) or (
                    f"give a history.record id or one of {', '.join(FITTED_TARGETS)}"
                )
                ctx.add((*fv.loc, i), f"unknown fitting target '{target}'", hint)
            elif figure not in ("", "happens") and kinds.get(entry) != "battle":
                ctx.add(
                    (*fv.loc, i),
                    f"'{target}': record entry '{entry}' is {kinds[entry]!r}, not a battle",
                    f"only battles have a winner, strengths and losses; of "
                    f"{', '.join(FITTED_FIGURES)} use '{entry}.happens' or '{entry}'",
                )
