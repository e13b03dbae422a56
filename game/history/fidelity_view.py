"""The fidelity report and the what-if comparison as terminal tables (rich).

Everything printed comes from the report dicts of :mod:`game.history.fidelity`, so the
tables and ``--json`` can never disagree.  Each table is a function of the report;
:data:`TABLES` lists them in the order printed, so a new section of the report is a new
function here.  A figure a scenario parameter was set to match is marked *fitted*; every
other figure is the model's prediction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

Report = dict[str, Any]


def pct(p: float | None) -> str:
    """Return a probability as a percentage with one decimal ('—' for none)."""
    return "—" if p is None else f"{100 * p:.1f}%"


def _ci(block: dict[str, Any] | None) -> str:
    if not block or block.get("of", 0) == 0:
        return ""
    lo, hi = block["ci95"]
    return f"{100 * lo:.0f}–{100 * hi:.0f}%"


def fitted(mark: dict[str, Any] | None) -> str:
    """Return 'fitted' or 'predicted' for a figure's calibration mark."""
    return "fitted" if mark and mark.get("fitted") else "predicted"


def _table(title: str, columns: list[tuple[str, str]]) -> Table:
    t = Table(title=title, title_justify="left")
    for col, just in columns:
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    return t


def engagements_table(rep: Report) -> Table:
    """Return the table of recorded battles: how often each happens and who wins."""
    t = _table(
        f"Recorded battles (same place, within {rep['window_days']} days of the date)",
        [
            ("Battle", "left"),
            ("Date", "left"),
            ("History's winner", "left"),
            ("Happens", "right"),
            ("where its premise held", "right"),
            ("Winner wins", "right"),
            ("95% CI", "right"),
            ("", "left"),
        ],
    )
    for e in rep["engagements"]:
        given = e.get("occurs_given_premise")
        premise = "" if given is None else f"{pct(given['p'])} ({e['premise_name']})"
        marks = [f for f, m in e["fitted"].items() if m["fitted"]]
        t.add_row(
            e["name"],
            e["date"],
            rep["side_names"].get(e["historical_winner"], "—"),
            pct(e["p_occurs"]),
            premise,
            pct(e["p_historical_winner"]),
            _ci(e["historical_winner_wins"]),
            f"fitted: {', '.join(marks)}" if marks else "predicted",
        )
    return t


def _spread(s: dict[str, float] | None) -> str:
    if s is None:
        return "—"
    return f"{s['median']:,.0f} ({s['p05']:,.0f}–{s['p95']:,.0f})"


def _recorded(block: dict[str, list[int]], side: str) -> str:
    if side not in block:
        return "—"
    v, lo, hi = block[side]
    return f"{v:,}" if lo == hi else f"{v:,} ({lo:,}–{hi:,})"


def battle_figures_table(rep: Report) -> Table:
    """Return each battle's modelled losses (wars history's winner won) beside the record."""
    t = _table(
        "Battles as fought: median (5th–95th pct) in the wars history's winner won, beside "
        "the record",
        [
            ("Battle", "left"),
            ("Side", "left"),
            ("Men", "right"),
            ("Killed", "right"),
            ("Wounded", "right"),
            ("Captured", "right"),
            ("Record: men", "right"),
            ("killed", "right"),
            ("killed+wounded+captured", "right"),
            ("Defender's posture", "left"),
        ],
    )
    for e in rep["engagements"]:
        f = e["figures"]
        posture = ", ".join(f"{k} {pct(v)}" for k, v in f["posture"].items() if v > 0)
        for i, (sid, s) in enumerate(f["sides"].items()):
            rec = f["record"]
            t.add_row(
                f"{e['name']} ({f['runs']} wars)" if i == 0 else "",
                rep["side_names"].get(sid, sid),
                _spread(s["men"]),
                _spread(s["killed"]),
                _spread(s["wounded"]),
                _spread(s["captured"]),
                _recorded(rec["strengths"], sid),
                _recorded(rec["killed"], sid),
                _recorded(rec["casualties"], sid),
                posture if i == 0 else "",
            )
    return t


def score_table(rep: Report) -> Table:
    """Return the proper score of the battles beside the two baselines."""
    sc = rep["score"]
    t = _table(
        f"Score of history's winners over {sc['battles']} recorded battles "
        "(lower Brier, higher log-likelihood is better)",
        [("Forecast", "left"), ("Brier", "right"), ("Log-likelihood", "right")],
    )

    def num(x: float | None, fmt: str) -> str:
        return "—" if x is None else format(x, fmt)

    label = "the model (blind: commanders neutral)" if rep.get("blind") else "the model"
    t.add_row(label, num(sc["brier"], ".3f"), num(sc["loglik"], ".2f"))
    t.add_row(
        "attacker wins 57% (CDB90)",
        num(sc["brier_constant"], ".3f"),
        num(sc["loglik_constant"], ".2f"),
    )
    t.add_row(
        "force-ratio logistic (CDB90)",
        num(sc["brier_ratio_logistic"], ".3f"),
        num(sc["loglik_ratio_logistic"], ".2f"),
    )
    t.add_row("model / logistic", num(sc["brier_model_over_ratio_logistic"], ".2f"), "")
    return t


def war_table(rep: Report) -> Table:
    """Return the table of the war as a whole beside history."""
    h = rep["history"]
    t = _table(
        "The war beside history",
        [("", "left"), ("Model", "right"), ("History", "right"), ("", "left")],
    )
    for c, p in rep["commanders_killed"].items():
        t.add_row(f"{rep['commander_names'][c]} killed", pct(p), "killed", "predicted")
    k = rep["killed_total"]
    hist_k = "" if h["killed_total"] is None else f"about {h['killed_total']:,}"
    t.add_row(
        "Killed, all sides (median; 5th–95th pct)", _spread(k), hist_k, fitted(rep["killed_fitted"])
    )
    e = rep["end_date"]
    if e:
        t.add_row(
            "War ends (median; 5th–95th pct)",
            f"{e['median']} ({e['p05']} – {e['p95']})",
            h["end_date"] or "",
            fitted(rep["end_fitted"]),
        )
    talks = rep["talks_opened"]
    if "median" in talks:
        t.add_row(
            f"Talks open (in {pct(talks['p'])} of wars; median, 5th–95th pct)",
            f"{talks['median']} ({talks['p05']} – {talks['p95']})",
            talks.get("history") or "",
            fitted(talks),
        )
    t.add_row("Talks last", _talks_length(rep["talks_length"]), "", "")
    for oid, p in rep["outcomes"].items():
        if p > 0 or oid == h["outcome"]:
            mark = fitted(rep["outcome_fitted"]) if oid == h["outcome"] else ""
            t.add_row(
                f"Outcome: {rep['outcome_names'][oid]}",
                pct(p),
                "✓" if oid == h["outcome"] else "",
                mark,
            )
    return t


def _talks_length(n: Report) -> str:
    """Return how long the talks last, and from what."""
    weeks = f"{n['turns']} turns ({n['days']} days)"
    if n["rule"] == "fixed":
        return f"{weeks}: fixed by the scenario"
    to = f"to {n['to']}" if n["to"] else "to the other capital"
    legs = 1 + 2 * n["referrals"]
    return (
        f"{weeks}: {n['side']}'s envoys, {n['from']} {to} and {legs - 1} more journeys, "
        f"{n['journeys_days']} days at {n['pace']:g}x an army's pace"
    )


def occupations_table(rep: Report) -> Table:
    """Return the table of recorded occupations and their end."""
    t = _table(
        "Occupations and their end",
        [
            ("Occupation", "left"),
            ("By", "left"),
            ("Date", "left"),
            ("Occupied", "right"),
            ("where its premise held", "right"),
            ("Gone by (history + window)", "left"),
            ("Evacuated", "right"),
            ("", "left"),
        ],
    )
    for o in rep["occupations"]:
        given = o.get("occupied_given_premise")
        t.add_row(
            o["name"],
            rep["side_names"].get(o["occupier"], o["occupier"]),
            o["date"],
            pct(o["p_occupied"]),
            "" if given is None else f"{pct(given['p'])} ({o['premise_name']})",
            o["evacuated_by"] or "—",
            pct(o["p_evacuated"]),
            fitted(o["fitted"]),
        )
    return t


def responsiveness_table(rep: Report) -> Table | None:
    """Return how the war answers its decisive battle, split by who won it."""
    r = rep.get("responsiveness") or {}
    if not r.get("decisive"):
        return None
    name = next(e["name"] for e in rep["engagements"] if e["id"] == r["decisive"])
    winner = rep["side_names"][r["winner"]]
    lost, won = r["if_lost"], r["if_won"]
    t = _table(
        f"How the war answers {name}: each later occupation by {winner}",
        [
            ("Occupation", "left"),
            (f"{winner} won ({won['runs']} wars)", "right"),
            (f"{winner} lost ({lost['runs']} wars)", "right"),
        ],
    )
    for oid in r["followers"]:
        t.add_row(oid, pct(won["each"][oid]["p"]), pct(lost["each"][oid]["p"]))
    t.add_row("none of them", "", pct(lost["none_happen"]["p"]))
    t.add_row("history's outcome", "", pct(lost["historical_outcome"]["p"]))
    return t


def will_table(rep: Report) -> Table | None:
    """Return each side's will as the wars went (every few turns), and why talks opened."""
    will = rep.get("will")
    if not will:
        return None
    names = rep.get("side_names", {})
    t = Table(
        title="War will (median, 5th–95th pct, over the wars still fought)", title_justify="left"
    )
    t.add_column("End of turn")
    t.add_column("At war", justify="right")
    for sid in will["final"]:
        t.add_column(names.get(sid, sid), justify="right")
    rows = will["by_turn"]
    step = max(1, len(rows) // 12)
    for row in rows[::step] + ([rows[-1]] if rows and (len(rows) - 1) % step else []):
        cells = [
            "—"
            if row.get(sid) is None
            else f"{row[sid]['median']:.2f} ({row[sid]['p05']:.2f}–{row[sid]['p95']:.2f})"
            for sid in will["final"]
        ]
        t.add_row(row["date"], pct(row["at_war"]), *cells)
    talks = will["talks"]
    causes = ", ".join(f"{k} {pct(v)}" for k, v in talks["causes"].items() if v)
    when = f", median {talks['date']['median']}" if talks["date"] else ""
    t.caption = f"Talks opened in {pct(talks['opened'])} of runs{when}" + (
        f" (why: {causes})" if causes else ""
    )
    return t


def calibrations_table(rep: Report) -> Table | None:
    """Return the fitted figures and the values set to match them (``calibrated_to``).

    Those figures are no evidence for the model; every other figure is predicted.
    """
    cal = rep.get("fitted")
    if not cal:
        return None
    t = _table(
        "Fitted figures (values set to match them, so they are no evidence for the model)",
        [("Figure", "left"), ("Fitted by", "left")],
    )
    for fig, params in sorted(cal.items()):
        t.add_row(fig, escape(", ".join(params)))
    return t


def unmeasured_table(rep: Report) -> Table | None:
    """Return the record entries the report cannot measure, with why."""
    if not rep.get("unmeasured"):
        return None
    t = _table(
        "Record entries not measured", [("Entry", "left"), ("Kind", "left"), ("Why", "left")]
    )
    for u in rep["unmeasured"]:
        t.add_row(f"{u['title']} ({u['id']})", u["kind"], u["why"])
    return t


def targets_table(rep: Report) -> Table:
    """Return the table of the fidelity targets, met or not."""
    t = _table("Targets", [("Target", "left"), ("Wanted", "left"), ("Model", "left"), ("", "left")])
    for tg in rep["targets"]:
        t.add_row(
            tg["name"],
            tg["wanted"],
            tg["got"],
            "[green]met[/]" if tg["met"] else "[red]not met[/]",
        )
    return t


TABLES: list[Callable[[Report], Table | None]] = [
    engagements_table,
    battle_figures_table,
    score_table,
    occupations_table,
    war_table,
    responsiveness_table,
    will_table,
    calibrations_table,
    unmeasured_table,
    targets_table,
]
"""The report's tables, in the order printed (a table may be None: nothing to show)."""


def print_fidelity(rep: Report, console: Console) -> None:
    """Print the whole fidelity report."""
    blind = " (blind: every commander rated neutral)" if rep.get("blind") else ""
    console.print(
        f"[bold]{rep['scenario']['title']}[/bold]: {rep['runs']:,} runs of the historical "
        f"orders, seed {rep['seed']}, fallback {rep['fallback']}{blind}"
    )
    for make in TABLES:
        table = make(rep)
        if table is not None:
            console.print(table)


def compare_table(base: Report, others: list[Report]) -> Table:
    """Return each what-if's outcome distribution and key figures beside the baseline."""
    t = Table(title="What-ifs beside the historical baseline", title_justify="left")
    t.add_column("")
    t.add_column("Baseline", justify="right")
    for o in others:
        t.add_column(o["label"], justify="right")
    reps = [base, *others]
    ids = [k for k in base["outcomes"] if any(r["outcomes"].get(k, 0) > 0 for r in reps)]
    for oid in ids:
        t.add_row(base["outcome_names"][oid], *[pct(r["outcomes"].get(oid)) for r in reps])
    t.add_row("War ends (median)", *[r["end_date"].get("median", "—") for r in reps])
    t.add_row("Killed (median)", *[_spread(r["killed_total"]).split(" ")[0] for r in reps])
    for c in base["commanders_killed"]:
        t.add_row(
            f"{base['commander_names'][c]} killed",
            *[pct(r["commanders_killed"].get(c)) for r in reps],
        )
    for i, e in enumerate(base["engagements"]):
        cells = []
        for r in reps:
            oe = r["engagements"][i] if i < len(r["engagements"]) else None
            if oe is None or oe["id"] != e["id"]:
                cells.append("—")
                continue
            cells.append(f"{pct(oe['p_occurs'])} / {pct(oe['p_historical_winner'])}")
        t.add_row(f"{e['name']} (happens / won)", *cells)
    return t
