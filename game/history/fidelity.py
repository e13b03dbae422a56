"""The fidelity report: how close the model comes to what happened, as one dict.

:func:`summarise` turns the rows of :func:`game.history.historical_runs.play` into the report that
``ingavi fidelity --json`` prints: for every recorded battle, how often it happens (same
place, within two weeks of its date) and how often history's winner wins it; how often
each commander killed in history dies; the dead; the occupations and their collapse; the
outcome and the end date.  :func:`targets` judges it against the thresholds the project
set for a faithful model.  Probabilities come with Wilson 95% intervals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.history import record
from game.history.historical_runs import Setup
from game.history.measure import NEVER, Columns
from game.scenario.compile import CompiledScenario
from game.scenario.fitted import fitted_targets
from game.study.intervals import wilson
from game.study.will_recorder import will_summary

PERCENTILES = (5, 50, 95)


def _p(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson(k, n)
    return {"p": k / n if n else None, "ci95": [lo, hi], "count": k, "of": n}


def _spread(values: np.ndarray) -> dict[str, float]:
    p05, med, p95 = np.percentile(values, PERCENTILES, method="inverted_cdf")
    return {"median": float(med), "p05": float(p05), "p95": float(p95)}


def _date(scn: CompiledScenario, day: float) -> str:
    return (scn.start + dt.timedelta(days=int(day))).isoformat()


def engagements(scn: CompiledScenario, cols: Columns) -> list[dict[str, Any]]:
    """Return, per recorded battle, how often it happens and how often history's winner wins."""
    out = []
    battles = record.engagements(scn)
    main = record.decisive(battles)
    for e, b in enumerate(battles):
        happens = cols["battle_gap"][:, e] < NEVER
        n = int(happens.sum())
        won = int((cols["battle_won"][:, e] & happens).sum())
        out.append(
            {
                "id": b.id,
                "name": b.name,
                "date": b.date.isoformat(),
                "place": scn.province_ids[b.province],
                "historical_winner": None if b.winner is None else scn.side_ids[b.winner],
                "decisive": b.id == main,
                "p_occurs": n / happens.size,
                "p_historical_winner": won / n if n else None,
                "occurs": _p(n, happens.size),
                "historical_winner_wins": _p(won, n),
            }
        )
    return out


def occupations(scn: CompiledScenario, cols: Columns) -> list[dict[str, Any]]:
    """Return, per recorded occupation, how often it happens and how often it collapses."""
    out = []
    for o, occ in enumerate(record.occupations(scn)):
        held = cols["occupied"][:, o]
        n = int(held.sum())
        gone = int((held & ~cols["stayed"][:, o]).sum()) if occ.until is not None else None
        out.append(
            {
                "id": occ.id,
                "name": occ.name,
                "place": scn.province_ids[occ.province],
                "occupier": scn.side_ids[occ.side],
                "date": occ.date.isoformat(),
                "evacuated_by": None if occ.until is None else occ.until.isoformat(),
                "p_occupied": n / held.size,
                "p_evacuated": None if gone is None or not n else gone / n,
                "occupied": _p(n, held.size),
                "evacuated": None if gone is None else _p(gone, n),
            }
        )
    return out


def summarise(scn: CompiledScenario, cols: Columns, setup: Setup) -> dict[str, Any]:
    """Return the fidelity report of played rows as one JSON-ready dict."""
    R = int(cols["run"].size)
    outcome_counts = np.bincount(cols["outcome"].astype(np.int64), minlength=len(scn.outcomes))
    killed_hist = record.killed_total(scn)
    treaty = record.treaty(scn)
    return {
        "scenario": {"id": scn.model.meta.id, "title": scn.model.meta.title, "hash": scn.hash},
        "overlays": list(setup.overlays),
        "sets": list(setup.sets),
        "runs": R,
        "first_run": int(cols["run"][0]),
        "seed": setup.seed,
        "fallback": setup.fallback,
        "difficulty": setup.difficulty,
        "sample_uncertain": setup.sample_uncertain,
        "window_days": record.WINDOW_DAYS,
        "side_names": {sid: scn.side_name(i) for i, sid in enumerate(scn.side_ids)},
        "engagements": engagements(scn, cols),
        "commanders_killed": {
            c: float(cols["cmd_killed"][:, scn.commander_index[c]].mean())
            for c in record.killed_in_history(scn)
        },
        "commander_names": {
            c: scn.commander_name(scn.commander_index[c]) for c in record.killed_in_history(scn)
        },
        "killed_total": _spread(cols["killed"]),
        "occupations": occupations(scn, cols),
        "outcomes": {o.id: int(outcome_counts[i]) / R for i, o in enumerate(scn.outcomes)},
        "outcome_names": {o.id: o.name for o in scn.outcomes},
        "end_date": {k: _date(scn, v) for k, v in _spread(cols["end_day"]).items()},
        "truncated": float(cols["truncated"].mean()),
        "fitted": fitted_targets(scn.model),
        "will": will_summary(scn, cols),
        "history": {
            "killed_total": None if killed_hist is None else killed_hist[0],
            "killed_range": None if killed_hist is None else list(killed_hist[1]),
            "outcome": record.historical_outcome(scn),
            "end_date": None if treaty is None else treaty.date.isoformat(),
            "treaty": None if treaty is None else treaty.title,
        },
    }


def _side(rep: dict[str, Any], side: str | None) -> str:
    return "nobody" if side is None else rep.get("side_names", {}).get(side, side)


@dataclass(frozen=True)
class Target:
    """One threshold of a faithful model, and whether a report meets it."""

    name: str
    wanted: str
    got: str
    met: bool


def targets(rep: dict[str, Any]) -> list[Target]:
    """Judge a report against the project's fidelity targets.

    Every historical winner must win at least half the battles it fights where history
    fought them (the decisive battle, the largest recorded, 60%: Ingavi in 1841); every recorded battle must happen in at
    least 70% of runs; the median dead within 700-1,300 of the recorded ~1,000; history's
    outcome the most likely; the median end within four weeks of the recorded treaty.
    """
    out = []
    for e in rep["engagements"]:
        need = 0.6 if e["decisive"] else 0.5
        pw = e["p_historical_winner"]
        out.append(
            Target(
                f"{e['name']}: {_side(rep, e['historical_winner'])} wins",
                f">= {need:.0%}",
                "never fought" if pw is None else f"{pw:.1%}",
                pw is not None and pw >= need,
            )
        )
    for e in rep["engagements"]:
        out.append(
            Target(f"{e['name']} happens", ">= 70%", f"{e['p_occurs']:.1%}", e["p_occurs"] >= 0.7)
        )
    med = rep["killed_total"]["median"]
    out.append(Target("Killed (median)", "700 - 1,300", f"{med:,.0f}", 700 <= med <= 1300))
    hist = rep["history"]
    if hist["outcome"] is not None:
        best = max(rep["outcomes"], key=rep["outcomes"].get)
        out.append(
            Target(
                "Most likely outcome",
                rep["outcome_names"][hist["outcome"]],
                f"{rep['outcome_names'][best]} ({rep['outcomes'][best]:.1%})",
                best == hist["outcome"],
            )
        )
    if hist["end_date"] is not None:
        gap = (
            dt.date.fromisoformat(rep["end_date"]["median"])
            - dt.date.fromisoformat(hist["end_date"])
        ).days
        out.append(
            Target(
                "War ends (median)",
                f"{hist['end_date']} +/- 28 days",
                f"{rep['end_date']['median']} ({gap:+d} days)",
                abs(gap) <= 28,
            )
        )
    return out
