"""Outcomes of battles, real or replayed by the resolver, in one common form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

from cdb90.records import HistoricalBattles
from game import rng
from game.engine.combat import BattleInput, BattleResult, CombatParams, resolve

F64 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int8]
BoolArr = npt.NDArray[np.bool_]

QUALITY_SD: Final = 0.15
"""Log-sd of each side's unobserved quality in the replay.  HERO's codes do not capture
every difference between two real armies; without this the replays would be more
predictable than history.  It is a property of the data, not of the game's rules."""

THETA_CE: Final = 0.5
"""Effect of one step of HERO's combat-effectiveness code on the ratio of the two sides'
quality (``exp(THETA_CE * c)``), judgement.  The resolver's own effects per step of
leadership, training and morale are 0.35-0.4; combat effectiveness sums them and more,
so a little above.  The winners' likelihood alone would make it about 1.0, but HERO gave
the code knowing who won (hindsight inflates it), and 1.0 would cut the replays'
exchange exponent to 0.26 against the record's 0.56; 0.5 gives 0.48."""

UNKNOWN_CAVALRY: Final = 0.15
"""Cavalry share assumed where CDB90 does not give one (76 of 239 defenders, 78
attackers): the value the defaults were fitted with; the shares it does give have median
0.19 and quartiles 0.11 and 0.30."""

MAX_CAVALRY: Final = 0.6
"""Cap on the cavalry share, as in the fit of the defaults: 10 of 324 known shares are
higher, among them the all-cavalry fights at Junín and Fehrbellin."""


@dataclass(frozen=True)
class Sample:
    """Outcomes of a set of battles, real or simulated, in one common form.

    Attributes:
        str_a: Attacker's strength.
        str_d: Defender's strength.
        frac_a: Attacker's casualties as a share of its strength.
        frac_d: Defender's casualties as a share of its strength.
        winner: 1 attacker, -1 defender, 0 draw.
        days: Calendar days.
        hours: Active hours (NaN when unknown).
        cmd_a_lost: Attacker's commander killed or captured (simulations only).
        cmd_d_lost: Defender's commander killed or captured (simulations only).
        cap_a: Attacker's men captured, as a share of its strength (simulations only:
            CDB90 does not split casualties).
        cap_d: Defender's men captured, as a share of its strength.
    """

    str_a: F64
    str_d: F64
    frac_a: F64
    frac_d: F64
    winner: I8
    days: npt.NDArray[np.int64]
    hours: F64
    cmd_a_lost: BoolArr | None = field(default=None)
    cmd_d_lost: BoolArr | None = field(default=None)
    cap_a: F64 | None = field(default=None)
    cap_d: F64 | None = field(default=None)


def history_sample(b: HistoricalBattles) -> Sample:
    """Return what actually happened in the battles."""
    return Sample(
        str_a=b.str_a,
        str_d=b.str_d,
        frac_a=b.cas_a / b.str_a,
        frac_d=b.cas_d / b.str_d,
        winner=b.winner,
        days=b.days,
        hours=b.hours,
    )


def result_sample(inp: BattleInput, res: BattleResult) -> Sample:
    """Return simulated outcomes in the same form as :func:`history_sample`."""
    men_a = np.asarray(inp.att_men, dtype=np.float64)
    men_d = np.asarray(inp.def_men, dtype=np.float64)
    return Sample(
        str_a=men_a,
        str_d=men_d,
        frac_a=res.att_casualties / np.maximum(men_a, 1.0),
        frac_d=res.def_casualties / np.maximum(men_d, 1.0),
        winner=res.winner,
        days=res.days,
        hours=res.hours,
        cmd_a_lost=res.att_cmd_killed | res.att_cmd_captured,
        cmd_d_lost=res.def_cmd_killed | res.def_cmd_captured,
        cap_a=res.att_captured / np.maximum(men_a, 1.0),
        cap_d=res.def_captured / np.maximum(men_d, 1.0),
    )


def replay_input(
    b: HistoricalBattles, reps: int, seed: int, theta_ce: float = THETA_CE
) -> BattleInput:
    """Return each historical battle ``reps`` times as resolver input.

    HERO's codes are the attacker's *relative* advantage; each is split evenly between
    the sides (``+c/2`` to the attacker, ``-c/2`` to the defender), so the ratio of
    effectiveness is ``exp(theta * c)``, as in the model; combat effectiveness acts on
    quality through ``theta_ce`` (default :data:`THETA_CE`).  Quality also carries
    :data:`QUALITY_SD` of unobserved noise; cavalry unknown is :data:`UNKNOWN_CAVALRY`.
    """
    n = len(b)
    base = rng.root_key(seed, rng.Stream.TEST, 0)
    rep = np.repeat(np.arange(reps), n)
    battle = np.tile(np.arange(n), reps)
    za, zd = rng.normal_pair(base, 1, rep, battle)

    def tile(x: npt.NDArray[np.float64] | I8) -> F64:
        return np.tile(np.asarray(x, dtype=np.float64), reps)

    def cavalry(x: F64) -> F64:
        return tile(_cavalry(x))

    return BattleInput.build(
        att_men=tile(b.str_a),
        def_men=tile(b.str_d),
        keys=rng.derive(base, 2, rep, battle),
        att_quality=np.exp(QUALITY_SD * za + tile(theta_ce * b.effectiveness / 2.0)),
        def_quality=np.exp(QUALITY_SD * zd - tile(theta_ce * b.effectiveness / 2.0)),
        surprise=tile(b.surprise),
        att_leadership=tile(b.leadership / 2.0),
        def_leadership=tile(-b.leadership / 2.0),
        att_training=tile(b.training / 2.0),
        def_training=tile(-b.training / 2.0),
        att_morale=tile(b.morale / 2.0),
        def_morale=tile(-b.morale / 2.0),
        posture=np.tile(b.posture, reps),
        att_cavalry=cavalry(b.cav_a),
        def_cavalry=cavalry(b.cav_d),
    )


def _cavalry(x: F64) -> F64:
    return np.clip(np.where(np.isnan(x), UNKNOWN_CAVALRY, x), 0.0, MAX_CAVALRY)


def calculator_input(b: HistoricalBattles) -> BattleInput:
    """Return each battle once as a battle calculator's user would give it.

    Strengths, the defender's posture and surprise (and cavalry, which decides only the
    pursuit); every rating left neutral, to be drawn from a prior as unknown.
    """
    return BattleInput.build(
        att_men=b.str_a,
        def_men=b.str_d,
        keys=0,
        surprise=b.surprise,
        posture=b.posture,
        att_cavalry=_cavalry(b.cav_a),
        def_cavalry=_cavalry(b.cav_d),
    )


def replay(b: HistoricalBattles, params: CombatParams, reps: int = 20, seed: int = 0) -> Sample:
    """Fight every historical battle ``reps`` times; return the simulated outcomes."""
    inp = replay_input(b, reps, seed)
    return result_sample(inp, resolve(inp, params))
