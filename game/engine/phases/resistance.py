"""Phase 7: popular resistance to occupation.

In 1841-42 the Bolivian occupation of southern Peru collapsed because it could not hold
hostile provinces: the people rose as montoneros, ambushed garrisons and wore down the
occupier's will.  Here every province whose people belong to one side but which the other
side holds may rise each week, the more readily the more hostile its people
(``resistance``) and the thinner its garrison against ``garrison_needed``, and the more so
while the people's own side still has the will to fight.  A rising raises irregulars of
the home side in the province itself, so the next turn the garrison must fight them.
Garrisons also bleed from ambushes, and the occupier's will drains with every hostile
province it holds, by its value and hostility as a share of its people's home value.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from game.codes import NONE, ForceStatus
from game.engine import jit
from game.engine.context import Phase, TurnContext
from game.engine.outcome import home_values
from game.engine.state import CampaignState
from game.engine.sums import plan_code, tree_sum
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

_ACTIVE = int(ForceStatus.ACTIVE)
_RESISTANCE = int(Phase.RESISTANCE)
_HALF32 = np.float32(0.5)


def resist(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Draw risings, bleed garrisons and drain occupiers' will in every occupied province.

    One kernel for the whole phase (:func:`_resist`), which changes the state in place
    and returns the risings to record, in the order they are recorded: province by
    province, then run by run.
    """
    rules = scn.rules.resistance
    leaf, code, n_leaves = plan_code(scn.P)
    rise = _resist(
        ctx.live,
        np.int64(ctx.turn),
        np.int64(rules.min_turns),
        _province_terms(scn),
        np.asarray(scn.rising_slot, np.int64),
        ctx.keys,
        np.asarray(scn.force_side, np.int64),
        np.array(
            [
                rules.rate,
                rules.garrison_effect,
                scn.turn_days / 7.0,
                rules.attrition,
                scn.rules.combat.killed_share,
                rules.occupier_drain,
            ]
        ),
        (leaf, code, n_leaves),
        (st.owner, st.held_since, st.will),
        (st.status, st.loc, st.nxt, st.dest, st.progress, st.cohesion, st.dug_in),
        (st.commander, st.men, st.arrived, st.killed, st.wounded, ctx.lost_men),
    )
    r, side, province, men = rise
    if r.size:
        ctx.rec("risings").add(run=r, side=side, province=province, men=men, cause="rising")


def _province_terms(scn: CompiledScenario) -> tuple[I64, F64, I64, I64, F64]:
    """Return the provinces' terms of the phase, worked out once per scenario.

    Each province's people's side, resistance, garrison needed (at least 1), partisans,
    and value times resistance as a share of its people's home value.
    """
    if "resistance_terms" not in scn.extra:
        home = np.asarray(scn.home_side, np.int64)
        share = scn.value * scn.resistance / home_values(scn)[np.maximum(home, 0)]
        scn.extra["resistance_terms"] = (
            home,
            np.asarray(scn.resistance, np.float64),
            np.maximum(scn.garrison_needed, 1).astype(np.int64),
            np.asarray(scn.partisans, np.int64),
            np.asarray(share, np.float64),
        )
    return scn.extra["resistance_terms"]  # type: ignore[no-any-return]


@jit.kernel
def _resist(
    live, turn, min_turns, terms, rising_slot, keys, force_side, rules, plan, land, march, ranks
):  # pragma: no cover - compiled
    """Play the resistance phase for every run, changing the state's arrays in place.

    The rules of ``docs/rules.md`` §7 in the order of operations of the array code they
    replace (``tests/test_resistance_phase.py``):

    - a province is hostile where its people's side does not hold it (in a live run),
      held for ``min_turns`` at least, and its people resist at all;
    - each hostile province rises with the chance ``rate * resistance * exp(-effect *
      garrison / need) * (0.5 + will of its people's side) * weeks`` (``0.5 + will`` in
      float32, as the state's will is), the first uniform of a pair keyed on the run,
      the phase and the province, the second setting the men raised; a rising slot
      waiting or gone comes (back) onto the map, one standing there grows, one marched
      away is left alone;
    - every force occupying a hostile province loses ``men * attrition * resistance *
      weeks`` men (the fraction of the last man drawn, keyed on the phase and ``P`` plus
      the force), a share of them killed, the rest wounded;
    - each side's will falls by the sum over the hostile provinces it holds of
      ``occupier_drain * weeks * share``, summed in numpy's order (:mod:`sums`).

    Nothing changes in a batch where no province is hostile.  Returns the risings'
    runs, sides, provinces and men.
    """
    home, resistance, need, partisans, share = terms
    rate, effect, weeks, attrition, killed_share, occupier_drain = rules
    leaf, code, n_leaves = plan
    owner, held_since, will = land
    status, loc, nxt, dest, progress, cohesion, dug_in = march
    commander, men, arrived, killed, wounded, lost_men = ranks
    R, P = owner.shape
    F = status.shape[1]
    S = will.shape[1]
    hostile = np.zeros((R, P), np.bool_)
    some = False
    for r in range(R):
        if not live[r]:
            continue
        for p in range(P):
            h = (
                home[p] != NONE
                and owner[r, p] != home[p]
                and turn - held_since[r, p] >= min_turns
                and resistance[p] > 0
            )
            hostile[r, p] = h
            some = some or h
    n = 0
    out_r = np.empty(R * P, np.int64)
    out_s = np.empty(R * P, np.int64)
    out_p = np.empty(R * P, np.int64)
    out_m = np.empty(R * P, np.int64)
    if not some:
        return out_r[:0], out_s[:0], out_p[:0], out_m[:0]
    # the garrisons: men of each side standing in each province, before any rising
    garrison = np.zeros((R, P, S), np.int64)
    for r in range(R):
        for f in range(F):
            if status[r, f] == _ACTIVE and nxt[r, f] == NONE:
                q = loc[r, f]
                garrison[r, q if q >= 0 else 0, force_side[f]] += men[r, f]
    for p in range(P):
        for r in range(R):
            if not hostile[r, p]:
                continue
            g = garrison[r, p, owner[r, p]]
            hazard = (
                rate
                * resistance[p]
                * math.exp(-effect * g / need[p])
                * (_HALF32 + will[r, home[p]])
                * weeks
            )
            b = jit.bits(jit.fold(jit.fold(keys[r], _RESISTANCE), p))
            if not (jit.uniform_hi(b) < min(max(hazard, 0.0), 1.0) and partisans[p] > 0):
                continue
            raised = np.int64(np.floor(partisans[p] * (0.4 + 0.6 * jit.uniform_lo(b))))
            f = rising_slot[home[p], p]
            if f == NONE or raised <= 0:
                continue
            if status[r, f] == _ACTIVE:
                if loc[r, f] != p or nxt[r, f] != NONE:
                    continue  # marched away: this rising fizzles
            else:
                men[r, f] = 0
                status[r, f] = _ACTIVE
                loc[r, f] = p
                nxt[r, f] = NONE
                dest[r, f] = NONE
                progress[r, f] = 0.0
                cohesion[r, f] = 1.0
                dug_in[r, f] = 0
                commander[r, f] = NONE
            men[r, f] += raised
            arrived[r, home[p]] += raised
            out_r[n], out_s[n], out_p[n], out_m[n] = r, home[p], p, raised
            n += 1
    # ambushes: garrisons of hostile provinces lose men, killed first, then wounded
    for r in range(R):
        for f in range(F):
            q = loc[r, f]
            if status[r, f] != _ACTIVE or q < 0:
                continue
            if not (hostile[r, q] and owner[r, q] == force_side[f]):
                continue
            expected = men[r, f] * (attrition * resistance[q] * weeks)
            u = jit.uniform(jit.bits(jit.fold(jit.fold(keys[r], _RESISTANCE), P + f)))
            whole = np.floor(expected)
            lost = np.int64(whole + (1.0 if u < expected - whole else 0.0))
            dead = np.int64(np.floor(lost * killed_share))
            s = force_side[f]
            taken = min(dead, np.int64(men[r, f]))
            men[r, f] -= taken
            killed[r, s] += taken
            lost_men[r, s] += taken
            hurt = min(lost - dead, np.int64(men[r, f]))
            men[r, f] -= hurt
            wounded[r, s] += hurt
            lost_men[r, s] += hurt
    # the occupiers' will, drained by what they hold down
    lanes = np.zeros(n_leaves)
    for r in range(R):
        for s in range(S):
            lanes[:] = 0.0
            for p in range(P):
                if hostile[r, p] and owner[r, p] == s:
                    lanes[leaf[p]] += occupier_drain * weeks * share[p]
            drained = np.float64(will[r, s]) - (tree_sum(lanes, code) + 0.0)
            will[r, s] = np.float32(min(max(drained, 0.0), 1.0))
    return out_r[:n], out_s[:n], out_p[:n], out_m[:n]
