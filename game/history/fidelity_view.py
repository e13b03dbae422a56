"""The fidelity report and the what-if comparison as terminal tables (rich).

Everything printed comes from the report dicts of :mod:`game.history.fidelity`, so the
tables and ``--json`` can never disagree.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from game.history.fidelity import targets


def pct(p: float | None) -> str:
    """Return a probability as a percentage with one decimal ('—' for none)."""
    return "—" if p is None else f"{100 * p:.1f}%"


def _ci(block: dict[str, Any] | None) -> str:
    if not block or block.get("of", 0) == 0:
        return ""
    lo, hi = block["ci95"]
    return f"{100 * lo:.0f}–{100 * hi:.0f}%"


def _fit(rep: dict[str, Any], target: str, name: str) -> str:
    """Return a row's name, marked when a value of the scenario was fitted to it."""
    return f"{name} [yellow](fitted)[/]" if target in rep.get("fitted", {}) else name


def fitted_lines(rep: dict[str, Any]) -> list[str]:
    """Return one line per fitted figure: what was set to match it (not evidence)."""
    return [
        f"{target}: fitted by {', '.join(paths)}"
        for target, paths in sorted(rep.get("fitted", {}).items())
    ]


def engagements_table(rep: dict[str, Any]) -> Table:
    """Return the table of recorded battles: how often each happens and who wins."""
    t = Table(
        title=f"Recorded battles (same place, within {rep['window_days']} days of the date)",
        title_justify="left",
    )
    for col, just in (
        ("Battle", "left"),
        ("Date", "left"),
        ("History's winner", "left"),
        ("Happens", "right"),
        ("95% CI", "right"),
        ("Winner wins", "right"),
        ("95% CI", "right"),
    ):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for e in rep["engagements"]:
        t.add_row(
            _fit(rep, e["id"], e["name"]),
            e["date"],
            rep["side_names"].get(e["historical_winner"], "—"),
            pct(e["p_occurs"]),
            _ci(e["occurs"]),
            pct(e["p_historical_winner"]),
            _ci(e["historical_winner_wins"]),
        )
    return t


def war_table(rep: dict[str, Any]) -> Table:
    """Return the table of the war as a whole beside history."""
    h = rep["history"]
    t = Table(title="The war beside history", title_justify="left")
    t.add_column("")
    t.add_column("Model", justify="right")
    t.add_column("History", justify="right")
    for c, p in rep["commanders_killed"].items():
        t.add_row(f"{rep['commander_names'][c]} killed", pct(p), "killed")
    k = rep["killed_total"]
    hist_k = "" if h["killed_total"] is None else f"about {h['killed_total']:,}"
    t.add_row(
        _fit(rep, "killed", "Killed, all sides (median; 5th–95th pct)"),
        f"{k['median']:,.0f} ({k['p05']:,.0f}–{k['p95']:,.0f})",
        hist_k,
    )
    e = rep["end_date"]
    t.add_row(
        _fit(rep, "end_date", "War ends (median; 5th–95th pct)"),
        f"{e['median']} ({e['p05']} – {e['p95']})",
        h["end_date"] or "",
    )
    for oid, p in rep["outcomes"].items():
        if p > 0 or oid == h["outcome"]:
            t.add_row(
                _fit(rep, "outcome", f"Outcome: {rep['outcome_names'][oid]}"),
                pct(p),
                "✓" if oid == h["outcome"] else "",
            )
    return t


def occupations_table(rep: dict[str, Any]) -> Table:
    """Return the table of recorded occupations and their collapse."""
    t = Table(title="Occupations and their end", title_justify="left")
    for col in ("Occupation", "Date", "Occupied", "Gone by (history + 2 weeks)", "Evacuated"):
        t.add_column(col)
    for o in rep["occupations"]:
        t.add_row(
            _fit(rep, o["id"], o["name"]),
            o["date"],
            pct(o["p_occupied"]),
            o["evacuated_by"] or "—",
            pct(o["p_evacuated"]),
        )
    return t


def will_table(rep: dict[str, Any]) -> Table:
    """Return each side's will as the wars went (every few turns), and why talks opened."""
    will = rep["will"]
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


def targets_table(rep: dict[str, Any]) -> Table:
    """Return the table of the fidelity targets, met or not."""
    t = Table(title="Targets", title_justify="left")
    for col in ("Target", "Wanted", "Model", ""):
        t.add_column(col)
    for tg in targets(rep):
        t.add_row(tg.name, tg.wanted, tg.got, "[green]met[/]" if tg.met else "[red]not met[/]")
    return t


def print_fidelity(rep: dict[str, Any], console: Console) -> None:
    """Print the whole fidelity report."""
    console.print(
        f"[bold]{rep['scenario']['title']}[/bold]: {rep['runs']:,} runs of the historical "
        f"orders, seed {rep['seed']}, fallback {rep['fallback']}"
    )
    for table in (engagements_table, occupations_table, war_table, targets_table):
        console.print(table(rep))
    if rep.get("will"):
        console.print(will_table(rep))
    lines = fitted_lines(rep)
    if lines:
        console.print(
            "[bold]Fitted[/bold] (values set to match these figures, so they are no evidence "
            "for the model):"
        )
        for line in lines:
            console.print(f"  {line}")


def compare_table(base: dict[str, Any], others: list[dict[str, Any]]) -> Table:
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
    t.add_row("War ends (median)", *[r["end_date"]["median"] for r in reps])
    t.add_row("Killed (median)", *[f"{r['killed_total']['median']:,.0f}" for r in reps])
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
