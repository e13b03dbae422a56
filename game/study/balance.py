"""A balance report for scenario authors: who wins, and is it a foregone conclusion?

A scenario is *one-sided* for a pairing of policies when one side wins in at least
``threshold`` of runs (judged on the lower end of the 95% interval, so a small study
cannot condemn a scenario by chance), and *balanced* when no side does.  A historically
lopsided war may rightly be one-sided with its historical policies; the report says so
rather than judging it.
"""

from __future__ import annotations

from typing import Any

DEFAULT_THRESHOLD = 0.9
"""Win probability from which a pairing counts as one-sided."""


def verdict(winners: dict[str, Any], threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """Return the balance of one study from its ``winners`` summary.

    Args:
        winners: ``{side id or 'draw': {p, ci95}}`` as in a study's summary.
        threshold: Win probability from which the study counts as one-sided.

    Returns:
        ``{"verdict": "balanced" | "one-sided", "favours": side or None, "text": ...,
        "threshold": ..., "win": {side: {p, ci95}}, "draw": {p, ci95}}``.
    """
    sides = {k: v for k, v in winners.items() if k != "draw"}
    draw = winners.get("draw", {"p": 0.0, "ci95": [0.0, 0.0]})
    leader = max(sides, key=lambda s: sides[s]["p"]) if sides else None
    one_sided = leader is not None and sides[leader]["ci95"][0] >= threshold
    likely = leader is not None and not one_sided and sides[leader]["p"] >= threshold
    if one_sided:
        text = (
            f"one-sided: {leader} wins {sides[leader]['p']:.1%} of runs "
            f"(95% CI from {sides[leader]['ci95'][0]:.1%}), at least {threshold:.0%}"
        )
    elif likely:
        text = (
            f"probably one-sided: {leader} wins {sides[leader]['p']:.1%} of runs, but the "
            f"95% CI reaches down to {sides[leader]['ci95'][0]:.1%}; play more runs"
        )
    else:
        shares = ", ".join(f"{s} {v['p']:.1%}" for s, v in sides.items())
        text = f"balanced: wins {shares}, draws {draw['p']:.1%}"
    return {
        "verdict": "one-sided" if one_sided else ("probably one-sided" if likely else "balanced"),
        "favours": leader if (one_sided or likely) else None,
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
    lopsided = [r for r in rows if r["verdict"] == "one-sided"]
    if not lopsided:
        overall = "balanced with every pairing played"
    else:
        sides = sorted({r["favours"] for r in lopsided})
        overall = (
            f"one-sided in {len(lopsided)} of {len(rows)} pairings (favouring {', '.join(sides)})"
        )
    return {"threshold": threshold, "pairings": rows, "overall": overall}
