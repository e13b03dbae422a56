"""A balance report for scenario authors: who wins, and is it a foregone conclusion?

A scenario is *one-sided* for a pairing of policies when one side wins in at least
``threshold`` of runs (judged on the lower end of the 95% interval, so a small study
cannot condemn a scenario by chance).  Short of that, it is *balanced* only when the two
sides' chances cannot be told apart; otherwise it *favours* the leader, slightly, plainly
or heavily by the ratio of their wins (37% against 4% heavily favours the first).  A
historically lopsided war may rightly be one-sided with its historical policies; the
report says so rather than judging it.
"""

from __future__ import annotations

from typing import Any

DEFAULT_THRESHOLD = 0.9
"""Win probability from which a pairing counts as one-sided."""


FAVOUR_WORDS: tuple[tuple[float, str], ...] = ((4.0, "heavily favours"), (2.0, "favours"))
"""Ratios of the leader's wins to the other side's from which a study favours it so."""

VERDICTS: tuple[str, ...] = (
    "one-sided",
    "probably one-sided",
    "heavily favours",
    "favours",
    "slightly favours",
    "balanced",
)
"""Every verdict, from the most lopsided to the most even."""


def _odds(lead: float, other: float) -> str:
    """Return how many wins the leader has for each of the other's ("9 to 1")."""
    if other <= 0:
        return "the other side never wins"
    ratio = lead / other
    return f"{ratio:.1f} to 1" if ratio < 10 else f"{ratio:.0f} to 1"


def verdict(winners: dict[str, Any], threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """Return the balance of one study from its ``winners`` summary, in words that fit it.

    * ``one-sided``: the leader wins at least ``threshold`` of runs, judged on the lower
      end of its 95% interval; ``probably one-sided`` when only its estimate reaches it.
    * ``balanced``: the two sides' 95% intervals overlap, so the study cannot tell their
      chances apart.
    * Otherwise the leader is favoured, by the ratio of its wins to the other side's:
      ``heavily favours`` from 4 to 1, ``favours`` from 2 to 1, ``slightly favours`` below.

    A study in which most wars end without a winner says so as well.

    Args:
        winners: ``{side id or 'draw': {p, ci95}}`` as in a study's summary.
        threshold: Win probability from which the study counts as one-sided.

    Returns:
        ``{"verdict": one of VERDICTS, "favours": side or None, "text": ...,
        "threshold": ..., "win": {side: {p, ci95}}, "draw": {p, ci95}}``.
    """
    sides = {k: v for k, v in winners.items() if k != "draw"}
    draw = winners.get("draw", {"p": 0.0, "ci95": [0.0, 0.0]})
    ranked = sorted(sides, key=lambda s: -sides[s]["p"])
    leader = ranked[0] if ranked else None
    runner = ranked[1] if len(ranked) > 1 else None
    shares = ", ".join(f"{s} {sides[s]['p']:.1%}" for s in ranked)
    if leader is None:
        word, text = "balanced", "no side can win"
    elif sides[leader]["ci95"][0] >= threshold:
        word = "one-sided"
        text = (
            f"one-sided: {leader} wins {sides[leader]['p']:.1%} of runs "
            f"(95% CI from {sides[leader]['ci95'][0]:.1%}), at least {threshold:.0%}"
        )
    elif sides[leader]["p"] >= threshold:
        word = "probably one-sided"
        text = (
            f"probably one-sided: {leader} wins {sides[leader]['p']:.1%} of runs, but the "
            f"95% CI reaches down to {sides[leader]['ci95'][0]:.1%}; play more runs"
        )
    elif runner is None or sides[runner]["ci95"][1] >= sides[leader]["ci95"][0]:
        word = "balanced"
        text = f"balanced: wins {shares} (within chance of each other)"
    else:
        lead, other = sides[leader]["p"], sides[runner]["p"]
        ratio = lead / other if other > 0 else float("inf")
        word = next((w for r, w in FAVOUR_WORDS if ratio >= r), "slightly favours")
        text = f"{word} {leader}: wins {shares} ({_odds(lead, other)})"
    if leader is not None and word not in ("one-sided", "probably one-sided"):
        text += f"; draws {draw['p']:.1%}"
        if draw["p"] >= 0.5:
            text += " (most wars end without a winner)"
    return {
        "verdict": word,
        "favours": None if word == "balanced" else leader,
        "threshold": threshold,
        "win": {s: {"p": v["p"], "ci95": v["ci95"]} for s, v in sides.items()},
        "draw": {"p": draw["p"], "ci95": draw["ci95"]},
        "text": text,
    }


def pairings(policies: list[str], sides: tuple[str, ...]) -> list[dict[str, str]]:
    """Return every assignment of the listed policies to the sides (one per side)."""
    import itertools

    return [
        dict(zip(sides, combo, strict=True))
        for combo in itertools.product(policies, repeat=len(sides))
    ]


def report(
    studies: list[tuple[dict[str, str], dict[str, Any]]], threshold: float
) -> dict[str, Any]:
    """Return the balance report over pairings: each pairing's win rates and verdict.

    Args:
        studies: ``(policy per side, study summary)`` for each pairing played.
        threshold: Win probability from which a pairing counts as one-sided.
    """
    rows = []
    for policies, summary in studies:
        rows.append(
            {
                "policies": policies,
                "runs": summary["runs"],
                **verdict(summary["winners"], threshold),
            }
        )
    overall = _overall(rows)
    return {"threshold": threshold, "pairings": rows, "overall": overall}


def _overall(rows: list[dict[str, Any]]) -> str:
    """Return the verdict over every pairing in a sentence."""
    n = len(rows)
    lopsided = [r for r in rows if r["verdict"] == "one-sided"]
    if lopsided:
        sides = sorted({r["favours"] for r in lopsided})
        return f"one-sided in {len(lopsided)} of {n} pairings (favouring {', '.join(sides)})"
    parts = []
    for word in VERDICTS[1:]:
        hits = [r for r in rows if r["verdict"] == word]
        if not hits:
            continue
        if word == "balanced":
            parts.append(f"{len(hits)} balanced")
            continue
        by_side: dict[str, int] = {}
        for r in hits:
            by_side[r["favours"]] = by_side.get(r["favours"], 0) + 1
        who = ", ".join(f"{side} {k}" for side, k in sorted(by_side.items()))
        if word == "probably one-sided":
            parts.append(f"{len(hits)} probably one-sided ({who})")
        else:
            parts.append(f"{len(hits)} {word.removesuffix('s')} one side ({who})")
    return f"none of {n} pairings one-sided: " + "; ".join(parts)
