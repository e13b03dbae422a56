"""The fidelity report: how close the model comes to what happened, as one dict.

:func:`summarise` turns the rows of :func:`game.history.historical_runs.play` into the report
that ``ingavi fidelity --json`` prints, one section at a time (:data:`SECTIONS`; a new
figure is a new section function, and :mod:`game.history.fidelity_view` a new table):

* each recorded battle: how often it happens (in all wars, and in the wars where the
  premise it rests on held), how often history's winner wins, and the battle's figures in
  the wars history's winner won — killed, wounded and captured per side, the men who met,
  the defender's posture — beside the record's;
* a proper score of the battles (:mod:`game.history.score`);
* the commanders killed in history, the dead, the occupations and their end, the outcome,
  the end date and when talks opened;
* how the war answers its decisive battle (:mod:`game.history.responsiveness`);
* the record entries the report cannot measure, with why;
* every figure that a scenario parameter was set to match (``calibrated_to``), marked
  *fitted*: the others are the model's predictions.

:func:`targets` judges the report against thresholds read from the scenario's own record.
Probabilities come with Wilson 95% intervals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.codes import Posture
from game.history import record
from game.history.historical_runs import Setup
from game.history.measure import LOSSES, Columns
from game.history.responsiveness import responsiveness
from game.history.score import battle_forecasts, score
from game.scenario.compile import CompiledScenario
from game.scenario.fitted import fitted_targets
from game.scenario.schema import strength_range, strength_value
from game.study.intervals import wilson
from game.study.will_recorder import will_summary

PERCENTILES = (5, 50, 95)
Report = dict[str, Any]


def _p(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson(k, n)
    return {"p": k / n if n else None, "ci95": [lo, hi], "count": k, "of": n}


def spread(values: np.ndarray) -> dict[str, float] | None:
    """Return the median and the 5th and 95th percentiles (None for no values)."""
    if values.size == 0:
        return None
    p05, med, p95 = np.percentile(values, PERCENTILES, method="inverted_cdf")
    return {"median": float(med), "p05": float(p05), "p95": float(p95)}


def _date(scn: CompiledScenario, day: float) -> str:
    return (scn.start + dt.timedelta(days=int(day))).isoformat()


def _premise_column(scn: CompiledScenario, cols: Columns, entry_id: str) -> np.ndarray | None:
    ids = [r.id for r in record.premised(scn)]
    return cols["premise_held"][:, ids.index(entry_id)] if entry_id in ids else None


def _premise_of(scn: CompiledScenario, entry_id: str) -> dict[str, Any]:
    r = next(r for r in record.entries(scn) if r.id == entry_id)
    if r.premise is None:
        return {"premise": None, "premise_name": None}
    return {"premise": r.premise, "premise_name": scn.premises[scn.premise_index[r.premise]].name}


def _record_figures(scn: CompiledScenario, entry_id: str) -> dict[str, Any]:
    r = next(r for r in record.entries(scn) if r.id == entry_id)
    return {
        key: {s: [strength_value(v), *strength_range(v)] for s, v in getattr(r, key).items()}
        for key in ("strengths", "killed", "casualties")
    }


def battle_figures(
    scn: CompiledScenario, cols: Columns, e: int, entry_id: str, won: np.ndarray
) -> dict[str, Any]:
    """Return one battle's modelled figures in the wars ``won`` (history's winner won)."""
    n = int(won.sum())
    posture = cols["battle_posture"][won, e]
    sides: dict[str, Any] = {}
    for s, sid in enumerate(scn.side_ids):
        sides[sid] = {"men": spread(cols["battle_men"][won, e, s])}
        for k in LOSSES:
            sides[sid][k] = spread(cols[f"battle_{k}"][won, e, s])
    return {
        "runs": n,
        "posture": {p.name.lower(): float((posture == p).mean()) if n else 0.0 for p in Posture},
        "sides": sides,
        "record": _record_figures(scn, entry_id),
    }


def engagements(scn: CompiledScenario, cols: Columns) -> list[dict[str, Any]]:
    """Return, per recorded battle, how often it happens, who wins, and its figures."""
    out = []
    battles = record.engagements(scn)
    main = record.decisive(battles)
    fits = record.calibrations(scn)
    for e, b in enumerate(battles):
        winner = cols["battle_winner"][:, e]
        happens = winner >= 0
        n = int(happens.sum())
        won = happens & (winner == b.winner) if b.winner is not None else np.zeros_like(happens)
        held = _premise_column(scn, cols, b.id)
        given = None if held is None else _p(int((happens & held).sum()), int(held.sum()))
        out.append(
            {
                "id": b.id,
                "name": b.name,
                "date": b.date.isoformat(),
                "place": scn.province_ids[b.province],
                "historical_winner": None if b.winner is None else scn.side_ids[b.winner],
                "decisive": b.id == main,
                **_premise_of(scn, b.id),
                "p_occurs": n / happens.size,
                "occurs": _p(n, happens.size),
                "p_occurs_given_premise": None if given is None else given["p"],
                "occurs_given_premise": given,
                "p_historical_winner": int(won.sum()) / n if n else None,
                "historical_winner_wins": _p(int(won.sum()), n),
                "forecast": None
                if b.winner is None
                else battle_forecasts(
                    winner, cols["battle_attacker"][:, e], cols["battle_men"][:, e], b.winner
                ),
                "figures": battle_figures(scn, cols, e, b.id, won),
                "fitted": {f: record.is_fitted(fits, f"{b.id}.{f}") for f in record.FIGURES},
            }
        )
    return out


def occupations(scn: CompiledScenario, cols: Columns) -> list[dict[str, Any]]:
    """Return, per recorded occupation, how often it happens and how often it ends in time."""
    out = []
    fits = record.calibrations(scn)
    for o, occ in enumerate(record.occupations(scn)):
        held = cols["occupied"][:, o]
        n = int(held.sum())
        gone = int((held & ~cols["stayed"][:, o]).sum()) if occ.until is not None else None
        premise = _premise_column(scn, cols, occ.id)
        given = None if premise is None else _p(int((held & premise).sum()), int(premise.sum()))
        out.append(
            {
                "id": occ.id,
                "name": occ.name,
                "place": scn.province_ids[occ.province],
                "occupier": scn.side_ids[occ.side],
                "date": occ.date.isoformat(),
                **_premise_of(scn, occ.id),
                "evacuated_by": None if occ.until is None else occ.until.isoformat(),
                "p_occupied": n / held.size,
                "occupied": _p(n, held.size),
                "p_occupied_given_premise": None if given is None else given["p"],
                "occupied_given_premise": given,
                "p_evacuated": None if gone is None or not n else gone / n,
                "evacuated": None if gone is None else _p(gone, n),
                "fitted": record.is_fitted(fits, f"{occ.id}.happens"),
            }
        )
    return out


def war(scn: CompiledScenario, cols: Columns) -> Report:
    """Return the war as a whole: deaths, the dead, outcomes, the end and the talks."""
    R = int(cols["run"].size)
    counts = np.bincount(cols["outcome"].astype(np.int64), minlength=len(scn.outcomes))
    fits = record.calibrations(scn)
    talks = record.talks(scn)
    turns = cols["talks_turn"]
    opened = turns >= 0
    talk_days = turns[opened].astype(np.int64) * scn.turn_days
    talk_spread = spread(talk_days)
    return {
        "commanders_killed": {
            c: float(cols["cmd_killed"][:, scn.commander_index[c]].mean())
            for c in record.killed_in_history(scn)
        },
        "commander_names": {
            c: scn.commander_name(scn.commander_index[c]) for c in record.killed_in_history(scn)
        },
        "killed_total": spread(cols["killed"]),
        "killed_fitted": record.is_fitted(fits, "killed"),
        "outcomes": {o.id: int(counts[i]) / R for i, o in enumerate(scn.outcomes)},
        "outcome_names": {o.id: o.name for o in scn.outcomes},
        "outcome_fitted": record.is_fitted(fits, "outcome"),
        "end_date": {k: _date(scn, v) for k, v in (spread(cols["end_day"]) or {}).items()},
        "end_fitted": record.is_fitted(fits, "end_date"),
        "talks_opened": {
            "p": float(opened.mean()),
            **({k: _date(scn, v) for k, v in talk_spread.items()} if talk_spread else {}),
            "history": None if talks is None else talks.date.isoformat(),
            **record.is_fitted(fits, f"{talks.id}.happens" if talks else ""),
        },
        "talks_length": talks_length(scn),
        "truncated": float(cols["truncated"].mean()),
        "will": will_summary(scn, cols),
    }


def talks_length(scn: CompiledScenario) -> Report:
    """Return how long the talks last (the same in every war) and what sets it."""
    talks = scn.talks
    out: Report = {"turns": talks.turns, "days": talks.turns * scn.turn_days}
    if talks.fixed:
        return {**out, "rule": "fixed"}
    model = scn.model
    side = model.sides[talks.side]
    rule = model.victory.peace.length_rule()
    assert rule is not None
    return {
        **out,
        "rule": "envoys",
        "journeys_days": round(talks.days, 1),
        "side": side.id,
        "from": side.capital,
        "to": model.victory.peace.place,
        "pace": rule.pace,
        "referrals": rule.referrals,
    }


def history(scn: CompiledScenario, cols: Columns) -> Report:
    """Return what the record says of the war as a whole, and what was fitted to it."""
    del cols
    killed = record.killed_total(scn)
    treaty = record.treaty(scn)
    return {
        "history": {
            "killed_total": None if killed is None else killed[0],
            "killed_range": None if killed is None else list(killed[1]),
            "outcome": record.historical_outcome(scn),
            "end_date": None if treaty is None else treaty.date.isoformat(),
            "treaty": None if treaty is None else treaty.title,
        },
        "unmeasured": record.unmeasured(scn),
        "fitted": fitted_targets(scn.model),
    }


SECTIONS: list[Callable[[CompiledScenario, Columns], Report]] = [
    lambda scn, cols: {"engagements": engagements(scn, cols)},
    lambda scn, cols: {"occupations": occupations(scn, cols)},
    war,
    lambda scn, cols: {"responsiveness": responsiveness(scn, cols)},
    history,
]
"""The report's sections, in order; each returns its keys of the report."""


def summarise(scn: CompiledScenario, cols: Columns, setup: Setup) -> Report:
    """Return the fidelity report of played rows as one JSON-ready dict."""
    rep: Report = {
        "scenario": {"id": scn.model.meta.id, "title": scn.model.meta.title, "hash": scn.hash},
        "overlays": list(setup.overlays),
        "sets": list(setup.sets),
        "runs": int(cols["run"].size),
        "first_run": int(cols["run"][0]),
        "seed": setup.seed,
        "fallback": setup.fallback,
        "difficulty": setup.difficulty,
        "sample_uncertain": setup.sample_uncertain,
        "blind": setup.blind,
        "window_days": scn.window_days,
        "side_names": {sid: scn.side_name(i) for i, sid in enumerate(scn.side_ids)},
    }
    for section in SECTIONS:
        rep.update(section(scn, cols))
    rep["score"] = score([e["forecast"] for e in rep["engagements"] if e["forecast"]])
    rep["targets"] = [t.__dict__ for t in targets(rep)]
    return rep


def _side(rep: Report, side: str | None) -> str:
    return "nobody" if side is None else rep.get("side_names", {}).get(side, side)


@dataclass(frozen=True)
class Target:
    """One threshold of a faithful model, and whether a report meets it."""

    name: str
    wanted: str
    got: str
    met: bool


def targets(rep: Report) -> list[Target]:
    """Judge a report against thresholds read from the scenario's own record.

    Every recorded battle happens in at least 70% of the wars where its premise holds (of
    all wars, for a battle without one); the median dead within the record's range of
    killed (``history.totals.killed``); history's outcome (``history.outcome``) the most
    likely; and the responsiveness targets (:mod:`game.history.responsiveness`).  Who wins
    each battle and when the war ends are reported, not targets: a model tuned to hit them
    would predict nothing.
    """
    out = []
    for e in rep["engagements"]:
        given = e.get("occurs_given_premise")
        p = e["p_occurs"] if given is None else given["p"]
        where = "" if given is None else f" (where {e['premise_name']})"
        got = "premise never held" if p is None else f"{p:.1%}"
        out.append(Target(f"{e['name']} happens{where}", ">= 70%", got, p is None or p >= 0.7))
    hist = rep["history"]
    if hist["killed_range"] is not None and rep["killed_total"] is not None:
        lo, hi = hist["killed_range"]
        med = rep["killed_total"]["median"]
        out.append(Target("Killed (median)", f"{lo:,} - {hi:,}", f"{med:,.0f}", lo <= med <= hi))
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
    for t in rep.get("responsiveness", {}).get("targets", []):
        out.append(Target(t["name"], t["wanted"], t["got"], t["met"]))
    return out
