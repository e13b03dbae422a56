"""Refit the look-ahead's score: the signs of a position against the war's final result.

Usage::

    python benchmarks/lookahead_score.py                   # a table
    python benchmarks/lookahead_score.py --json            # one JSON object on stdout
    python benchmarks/lookahead_score.py --runs 2000 --held-out 1000 --seed 101
    python benchmarks/lookahead_score.py SCENARIO          # another war

The look-ahead (``game/ai/lookahead.py``) plays each candidate plan a few turns ahead
and scores where the rollout stops as a forecast of how the war will end for its side.
This script plays ``--runs`` wars with the heuristic on both sides (seed ``--seed``),
records the signs of every position at the end of every turn for both sides
(:func:`game.ai.forecast.signs`) and the result each side finally got (+1 a win, 0 a
draw, -1 a loss), and fits the result on the signs by least squares (with an intercept
per side, the war's own balance, which plays no part in comparing one side's plans and
is left out of the score).  The fit is then scored on ``--held-out`` other wars (seed
``--seed + 1``): the mean squared error and correlation of the forecast, beside those
of the weights the code has now, of the treaty-now outcome alone and of the side's
intercept alone.  The seeds are kept apart from the tournament's (seed 3 and its games).

The weights printed are what :data:`game.ai.forecast.WEIGHTS` should hold; they are
fitted (``calibrated_to``), and their fit is in-sample on the first wars only.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from game.ai import make_policy
from game.ai.forecast import SIGNS, WEIGHTS, signs
from game.engine.state import initial_state
from game.paths import default_scenario
from game.play_loop import Turn, play_from
from game.scenario.compile import CompiledScenario
from game.scenario.load import load_scenario

F64 = npt.NDArray[np.float64]


class Positions:
    """A turn hook that keeps the signs of every live position, for each side."""

    def __init__(self, scn: CompiledScenario) -> None:
        self.scn = scn
        self.rows: list[tuple[npt.NDArray[np.int64], int, F64]] = []

    def __call__(self, turn: Turn) -> None:
        """Record the signs of the runs still at war after this turn, from both sides."""
        live = ~turn.after.over
        if not live.any():
            return
        st = turn.after.select(np.flatnonzero(live))
        for side in range(self.scn.S):
            self.rows.append((turn.where[live], side, signs(self.scn, st, side)))


def collect(scn: CompiledScenario, runs: int, seed: int) -> tuple[F64, F64, npt.NDArray[Any]]:
    """Play ``runs`` wars heuristic against heuristic; return signs, results and sides.

    Each row is one side's view of one position; its result is what that side got when
    the war ended (a war cut off at the scenario's end counts as it was scored).
    """
    policies = {s: make_policy("heuristic", s, scn) for s in range(scn.S)}
    hook = Positions(scn)
    final = play_from(scn, initial_state(scn, runs, seed), policies, on_turn=[hook])
    winner = np.array(
        [scn.side_index[o.winner] if o.winner is not None else -1 for o in scn.outcomes]
    )[np.maximum(final.outcome, 0)]
    winner = np.where(final.outcome >= 0, winner, -1)
    xs, ys, sides = [], [], []
    for where, side, x in hook.rows:
        w = winner[where]
        xs.append(x)
        ys.append(np.where(w == side, 1.0, np.where(w < 0, 0.0, -1.0)))
        sides.append(np.full(where.size, side))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(sides)


def design(x: F64, side: npt.NDArray[Any], n_sides: int) -> F64:
    """Return the signs with one intercept column per side."""
    return np.concatenate([x, (side[:, None] == np.arange(n_sides)[None, :]).astype(float)], 1)


def quality(pred: F64, y: F64) -> dict[str, float]:
    """Return the mean squared error and correlation of a forecast of the results."""
    corr = float(np.corrcoef(pred, y)[0, 1]) if pred.std() > 0 else 0.0
    return {"mse": round(float(((pred - y) ** 2).mean()), 4), "corr": round(corr, 4)}


def refit(path: str, runs: int, held_out: int, seed: int) -> dict[str, Any]:
    """Fit the weights on ``runs`` wars and score them on ``held_out`` others."""
    scn = load_scenario(path)
    t0 = time.perf_counter()
    x, y, side = collect(scn, runs, seed)
    xh, yh, sideh = collect(scn, held_out, seed + 1)
    n = len(SIGNS)
    coef, *_ = np.linalg.lstsq(design(x, side, scn.S), y, rcond=None)
    fitted = coef[:n]
    intercept = coef[n:]

    def forecast(w: F64, xx: F64, ss: npt.NDArray[Any]) -> F64:
        return np.clip(xx @ w + intercept[ss], -1.0, 1.0)

    only_now = np.zeros(n)
    only_now[0] = 1.0
    return {
        "scenario": scn.model.meta.id,
        "runs": runs,
        "held_out": held_out,
        "seed": seed,
        "held_out_seed": seed + 1,
        "positions": int(y.size),
        "held_out_positions": int(yh.size),
        "signs": list(SIGNS),
        "weights": [round(float(v), 3) for v in fitted],
        "intercepts": [round(float(v), 3) for v in intercept],
        "current_weights": [round(float(v), 3) for v in WEIGHTS],
        "in_sample": quality(forecast(fitted, x, side), y),
        "held_out_fit": {
            "fitted": quality(forecast(fitted, xh, sideh), yh),
            "current": quality(forecast(WEIGHTS, xh, sideh), yh),
            "treaty_now_only": quality(np.clip(xh[:, 0], -1, 1), yh),
            "intercept_only": quality(intercept[sideh], yh),
        },
        "results_share": {
            "win": round(float((y > 0).mean()), 4),
            "draw": round(float((y == 0).mean()), 4),
            "loss": round(float((y < 0).mean()), 4),
        },
        "seconds": round(time.perf_counter() - t0, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Refit the score and print a table, or one JSON object with --json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(default_scenario()))
    parser.add_argument("--runs", type=int, default=1000, help="wars to fit on (default 1000)")
    parser.add_argument(
        "--held-out", type=int, default=500, help="wars to score the fit on (default 500)"
    )
    parser.add_argument("--seed", type=int, default=101, help="seed of the fitted wars")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.runs < 10 or args.held_out < 10:
        parser.error("--runs and --held-out must be at least 10")
    result = refit(args.scenario, args.runs, args.held_out, args.seed)
    if args.json:
        from game.commands.common import print_json

        print_json(result)
        return 0
    from rich.console import Console
    from rich.table import Table

    con = Console()
    t = Table(title=f"Look-ahead score refitted on {result['scenario']}", title_justify="left")
    for col in ("sign", "fitted weight", "current weight"):
        t.add_column(col, justify="left" if col == "sign" else "right")
    for i, name in enumerate(result["signs"]):
        t.add_row(name, f"{result['weights'][i]:+.3f}", f"{result['current_weights'][i]:+.3f}")
    con.print(t)
    h = Table(
        title=f"Fit on {result['held_out']} wars held out (seed {result['held_out_seed']})",
        title_justify="left",
    )
    for col in ("forecast", "mean squared error", "correlation"):
        h.add_column(col, justify="left" if col == "forecast" else "right")
    for name, q in result["held_out_fit"].items():
        h.add_row(name, f"{q['mse']:.4f}", f"{q['corr']:.3f}")
    con.print(h)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
