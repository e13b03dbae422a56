"""What the resolver gives a side's whole army against the enemy's main army.

Usage::

    python benchmarks/army_odds.py                          # a table
    python benchmarks/army_odds.py --json                   # one JSON object on stdout
    python benchmarks/army_odds.py --seed 5 --runs 4 --turn 6 --samples 2000
    python benchmarks/army_odds.py SCENARIO                 # another war

The look-ahead's plans that gather the army and strike (``game/ai/blow.py``,
``game/ai/decisive.py``) only pay if the battle they seek can be won.  This script
plays ``--runs`` wars with the heuristic on both sides for ``--turn`` turns (seed
``--seed``) and then, for each side in turn as the attacker, puts every man it has on
the map, wherever he stands, into one battle against the enemy's main body (the enemy's
men in the province where most of them stand), and asks the resolver
(:func:`game.engine.combat.odds`, both sides' ratings as the scenario gives them) for
the odds:

- the attack on the main body where it stands, the defender in each posture the engine
  gives (it has stood a turn: prepared; a garrison in works: fortified; it has not
  stood a turn: hasty; it arrived that day: a meeting);
- the same attack against a prepared defender with the attacker's men multiplied by
  1.5, 2 and 3 (how far numbers carry in the resolver);
- the main body attacking the whole army standing at the last place on the road
  before the hold (the ground an attacker gathers on), prepared there or meeting it.

No battle is fought: the odds are sampled on the preview stream and the game's dice are
never touched.  The numbers say what a blow against the enemy's army can hope for under
the engine's rules, not what any policy chooses.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import numpy as np

from game.ai import make_policy
from game.codes import ForceStatus, Posture
from game.engine.battle_sides import BattleSide, aggregate_side, battle_input
from game.engine.combat import combat_params, odds
from game.engine.state import CampaignState, initial_state
from game.paths import default_scenario
from game.play_loop import play_from
from game.scenario.compile import CompiledScenario
from game.scenario.load import load_scenario

SCALES = (1.5, 2.0, 3.0)
"""Multiples of the attacker's men tried against a prepared defender."""


def _side(
    scn: CompiledScenario, st: CampaignState, r: int, forces: np.ndarray, scale: float = 1.0
) -> BattleSide:
    """Aggregate forces of run ``r`` into one side of one battle, as the engine does."""
    f = np.sort(forces).astype(np.int64)
    return aggregate_side(
        scn,
        np.zeros(f.size, np.int64),
        f,
        st.men[r, f].astype(np.float64) * scale,
        st.cohesion[r, f],
        st.commander[r, f].astype(np.int64),
        1,
    )


def _odds(
    scn: CompiledScenario,
    att: BattleSide,
    dfd: BattleSide,
    posture: Posture,
    place: int,
    samples: int,
) -> dict[str, float]:
    """Return the attacker's and the defender's chance of winning one battle."""
    inp = battle_input(
        scn,
        att,
        dfd,
        posture=np.array([posture], np.int8),
        province=np.array([place], np.int64),
        keys=np.zeros(1, np.uint64),
    )
    o = odds(inp, combat_params(scn), samples=samples, key=0)[0]
    return {
        "attacker_wins": round(o.p_attacker_wins, 3),
        "defender_wins": round(o.p_defender_wins, 3),
    }


def one_run(
    scn: CompiledScenario, st: CampaignState, r: int, side: int, samples: int
) -> dict[str, Any] | None:
    """Return the odds of ``side``'s whole army against the enemy's main body in run ``r``."""
    foe = 1 - side
    on = (st.status[r] == ForceStatus.ACTIVE) & (st.loc[r] >= 0)
    standing = on & (st.nxt[r] < 0)
    mine = np.flatnonzero(on & (scn.force_side == side))
    theirs = standing & (scn.force_side == foe)
    if mine.size == 0 or not theirs.any():
        return None
    at = np.bincount(st.loc[r, theirs], weights=st.men[r, theirs], minlength=scn.P)
    hold = int(np.argmax(at))
    body = np.flatnonzero(theirs & (st.loc[r] == hold))
    largest = int(st.loc[r, mine[np.argmax(st.men[r, mine])]])
    stage = int(scn.next_hop[hold, largest]) if largest != hold else hold
    stage = stage if stage >= 0 else hold
    army, main = _side(scn, st, r, mine), _side(scn, st, r, body)
    attack = {p.name.lower(): _odds(scn, army, main, p, hold, samples) for p in Posture}
    if scn.fort[hold] < 1:
        del attack["fortified"]
    more = {
        f"x{k:g}": _odds(scn, _side(scn, st, r, mine, k), main, Posture.PREPARED, hold, samples)
        for k in SCALES
    }
    received = {
        p.name.lower(): _odds(scn, main, army, p, stage, samples)
        for p in (Posture.PREPARED, Posture.MEETING)
    }
    return {
        "run": int(st.run_ids[r]),
        "army_men": int(st.men[r, mine].sum()),
        "main_body_men": int(st.men[r, body].sum()),
        "enemy_men": int(st.men[r, on & (scn.force_side == foe)].sum()),
        "hold": scn.province_ids[hold],
        "stage": scn.province_ids[stage],
        "attack_hold": attack,
        "attack_hold_prepared_with_more_men": more,
        "attacked_at_stage": received,
    }


def measure(path: str, runs: int, turn: int, seed: int, samples: int) -> dict[str, Any]:
    """Play the heuristic on both sides to ``turn`` and return the odds of every run."""
    scn = load_scenario(path)
    policies = {s: make_policy("heuristic", s, scn) for s in range(scn.S)}
    st = play_from(scn, initial_state(scn, np.arange(runs), seed), policies, max_turns=turn)
    out: dict[str, Any] = {
        "scenario": scn.model.meta.id,
        "seed": seed,
        "runs": runs,
        "turn": int(st.turn),
        "samples": samples,
    }
    for s in range(scn.S):
        rows = [one_run(scn, st, r, s, samples) for r in range(st.runs) if not st.over[r]]
        out[f"{scn.side_ids[s]}_attacks"] = [x for x in rows if x is not None]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print the odds as a table, or one JSON object with --json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(default_scenario()))
    parser.add_argument("--runs", type=int, default=4, help="wars played (default 4)")
    parser.add_argument("--turn", type=int, default=6, help="turns played first (default 6)")
    parser.add_argument("--seed", type=int, default=5, help="seed of the wars (default 5)")
    parser.add_argument(
        "--samples", type=int, default=2000, help="resolutions per battle (default 2000)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.turn < 0 or args.samples < 10:
        parser.error("--runs must be at least 1, --turn at least 0, --samples at least 10")
    result = measure(args.scenario, args.runs, args.turn, args.seed, args.samples)
    if args.json:
        from game.commands.common import print_json

        print_json(result)
        return 0
    from rich.console import Console
    from rich.table import Table

    con = Console()
    for key, rows in result.items():
        if not key.endswith("_attacks"):
            continue
        t = Table(
            title=f"{key.replace('_', ' ')}: the whole army against the main body "
            f"(turn {result['turn']}, seed {result['seed']}); the attacker's chance of winning",
            title_justify="left",
        )
        for col in ("run", "men", "hold", "prepared", "hasty", "meeting", "x1.5", "x2", "x3"):
            t.add_column(col, justify="left" if col in ("run", "hold") else "right")
        t.add_column("attacked at stage", justify="right")
        for x in rows:
            a, m = x["attack_hold"], x["attack_hold_prepared_with_more_men"]
            t.add_row(
                str(x["run"]),
                f"{x['army_men']:,} v {x['main_body_men']:,}",
                x["hold"],
                *(f"{a[p]['attacker_wins']:.2f}" for p in ("prepared", "hasty", "meeting")),
                *(f"{m[k]['attacker_wins']:.2f}" for k in ("x1.5", "x2", "x3")),
                f"{x['attacked_at_stage']['prepared']['defender_wins']:.2f} ({x['stage']})",
            )
        con.print(t)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
