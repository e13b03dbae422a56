"""The appraisal's compiled passes give what the numpy formulas they replaced gave.

The posture, the men the peace needs, the least odds of an attack, the tables worked
out once (a province's worth, the occupation, the ground montoneros may go to) and the
appraisal as a whole, on played situations of both sides, with talks open in some runs
and every winner, bit for bit.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from game import rng
from game.ai.appraisal import HORIZON_TURNS, URGENT_ODDS, _threshold, appraise
from game.ai.operations import KEY_SHARE, turns_left
from game.ai.personality import Personality
from game.ai.posture import OUTMATCHED, SIGNING_TURNS, THREAT_MARCHES, men_needed, posture
from tests.test_ai_odds_kernels import _played_situations


def _situations(turns, runs, seed):
    """Played situations; in every other one talks open in some runs, near their end."""
    for i, (scn, sit) in enumerate(_played_situations(turns=turns, runs=runs, seed=seed)):
        if i % 2:
            t = rng.integers(scn.talks.turns + 2, rng.derive(np.uint64(9), i, np.arange(sit.runs)))
            talks = (t - 1).astype(sit.obs.talks.dtype)
            sit = dataclasses.replace(sit, obs=dataclasses.replace(sit.obs, talks=talks))
        u = rng.integers(3, rng.derive(np.uint64(8), i, np.arange(sit.runs)))
        yield i, scn, sit, (u - 1).astype(np.int64)  # a winner per run (-1: none)


def numpy_posture(sit, ops, outcome, winner):
    """:func:`game.ai.posture.posture` as numpy worked it out: defend, mine, theirs, signing."""
    scn = sit.scn
    cap = int(scn.capital[sit.side])
    home = np.asarray(scn.home[sit.side], bool)
    seats = home & (sit.st.key[sit.enemy] >= KEY_SHARE * max(sit.st.win_margin, 1.0))
    seats[cap] = True
    mutual_of = np.array([o.mutual for o in scn.outcomes], bool)
    foe_at = np.maximum(ops.foe_main_at, 0)
    close = sit.st.fastest[foe_at][:, seats] <= THREAT_MARCHES * scn.turn_days
    inside = home[foe_at] | (sit.owner[np.arange(sit.runs), foe_at] == sit.side)
    near = (ops.foe_main_at >= 0) & inside & close.any(axis=1)
    outmatched = ops.foe_main_men > OUTMATCHED * np.maximum(ops.main_men, 1.0)
    defend = (near & outmatched) | (sit.owner[:, cap] != sit.side)
    mutual = mutual_of[outcome]
    return (
        defend,
        (winner == sit.side) | mutual,
        (winner == sit.enemy) | mutual,
        turns_left(sit) <= SIGNING_TURNS,
    )


def numpy_men_needed(sit, need):
    scn = sit.scn
    held = (sit.owner == sit.side) & np.asarray(scn.home[sit.enemy], bool)[None, :]
    soon = turns_left(sit) <= SIGNING_TURNS
    control = float(max(scn.rules.control_men, 1))
    return np.where(held & soon[:, None], np.minimum(need, control), need)


def numpy_threshold(sit, p, winner, urgency):
    scn = sit.scn
    base = p.min_odds + 0.06 * (p.caution - 1.0) - 0.08 * (p.aggression - 1.0)
    late = np.clip(1.5 * sit.obs.turn / max(scn.n_turns, 1), 0.0, 1.0)
    win = max(sit.st.win_margin, 1.0)
    behind = np.maximum(np.clip(-sit.margin / win, 0.0, 1.0), 1.0 * (winner == sit.enemy))
    lost_capital = sit.owner[:, int(scn.capital[sit.side])] != sit.side
    despair = np.maximum(behind * late, 0.5 * lost_capital)
    least = np.clip(base - 0.2 * despair, 0.15, 0.95)
    return np.clip(least - URGENT_ODDS * urgency, 0.15, 0.95)


def test_posture_needs_and_threshold_are_the_numpy_formulas_on_played_situations():
    defend = mine = theirs = signing = lowered = clipped = 0
    personalities = (
        Personality(min_odds=0.55, caution=1.3, aggression=0.8),
        Personality(min_odds=0.97),
        Personality(min_odds=0.1, aggression=1.5),
    )
    for i, scn, sit, winner in _situations(turns=6, runs=8, seed=5):
        ap = appraise(sit, Personality(), np.zeros(sit.runs, np.uint64))
        n_out = len(scn.outcomes)
        keys = rng.derive(np.uint64(10), i, np.arange(sit.runs))
        outcome = rng.integers(n_out, keys).astype(np.int64)
        # The enemy's main army anywhere, with up to twice the own main body's men.
        ops = ap.ops
        if i % 3 == 1:
            at = rng.integers(scn.P + 1, rng.derive(keys, 1)).astype(np.int64) - 1
            men = 2.0 * rng.uniform(rng.derive(keys, 2)) * np.maximum(ops.main_men, 1.0)
            ops = dataclasses.replace(ops, foe_main_at=at, foe_main_men=men)
        pos = posture(sit, ops, outcome, winner)
        want = numpy_posture(sit, ops, outcome, winner)
        for got, ref in zip((pos.defend, pos.mine, pos.theirs, pos.signing), want, strict=True):
            assert got.dtype == ref.dtype and np.array_equal(got, ref)
        defend += int(want[0].sum())
        mine += int(want[1].sum())
        theirs += int(want[2].sum())
        signing += int(want[3].sum())
        need = sit.st.need_men[sit.side]
        need = np.where(need > 0, need, np.inf)
        assert np.array_equal(men_needed(sit, need), numpy_men_needed(sit, need))
        assert np.array_equal(ap.need_men, numpy_men_needed(sit, need))
        for pers in personalities:
            got = _threshold(sit, pers, winner, ap.ops.urgency)
            ref = numpy_threshold(sit, pers, winner, ap.ops.urgency)
            assert got.dtype == ref.dtype and np.array_equal(got, ref)
            calm = numpy_threshold(sit, pers, np.full_like(winner, -1), 0.0)
            lowered += int((ref < calm).sum())
            clipped += int(((ref == 0.95) | (ref == 0.15)).sum())
    assert defend and mine and theirs and signing and lowered and clipped  # every branch


def test_the_tables_worked_out_once_are_their_formulas_for_both_sides():
    sides = set()
    for _, scn, sit, _ in _situations(turns=2, runs=4, seed=9):
        sides.add(sit.side)
        for objective in (1.0, 1.5):
            pers = Personality(objective=objective)
            ap = appraise(sit, pers, np.zeros(sit.runs, np.uint64))
            st = sit.st
            value = np.asarray(scn.value)
            aims = np.asarray(scn.objectives[sit.side]) * 0.5 * np.maximum(value, value.mean())
            prize = objective * (
                st.swing[sit.side] + aims + st.key[sit.side] + 0.5 * st.key[sit.enemy]
            )
            assert np.array_equal(ap.prize, prize)
            T = float(scn.turn_days)
            hostile = (
                (np.asarray(scn.home_side) == sit.enemy)
                & (np.asarray(scn.resistance) > 0)
                & (np.asarray(scn.partisans) > 0)
            )
            hazard = scn.rules.resistance.rate * np.asarray(scn.resistance) * T / 7.0
            need = np.maximum(np.asarray(scn.garrison_needed), 1).astype(np.float64)
            assert np.array_equal(ap.hostile, hostile)
            assert np.array_equal(ap.garrison_need, need)
            assert np.array_equal(ap.protect, np.minimum(1.0, HORIZON_TURNS * hazard))
            assert ap.scale == max(st.win_margin, float(np.max(st.swing[sit.side])), 1.0)
            assert not ap.prize.flags.writeable and not ap.protect.flags.writeable
    assert sides == {0, 1}


def numpy_anchors(ap, d):
    """:func:`game.ai.holding.anchors` with numpy around the keep chance's kernel."""
    from game import libm
    from game.ai.holding import garrison_one, keep_chance
    from game.codes import Posture

    sit = ap.sit
    r, f = np.nonzero(d.free & sit.stands)
    here = sit.here[r, f]
    men = sit.men[r, f]
    base = np.maximum(d.proj[r, here] - men, 0.0)
    cases = np.stack([base + men, base])[:, :, None]
    post = np.full(cases.shape, int(Posture.HASTY), np.int64)
    post[0, :, 0] = np.where(ap.dug[r, here], int(Posture.PREPARED), int(Posture.HASTY))
    log_eff = libm.log(np.maximum(sit.eff, 1e-6))[r, f][:, None]
    keep, _ = keep_chance(ap, cases, log_eff, sit.lead[r, f][:, None], post, here[:, None], r)
    worth, held, need = ap.worth[r, here], ap.own_held[r, here], ap.need_men[r, here]
    crossed = (base + men >= need) & (base < need)
    v_keep = np.where(held, 0.5 * worth * keep[0, :, 0] * crossed, 0.0)
    ge = float(sit.scn.rules.resistance.garrison_effect)
    v_gar = np.array(
        [
            garrison_one(
                ap.hostile[q],
                h,
                ap.garrison_need[q],
                ap.prize[q],
                ap.protect[q],
                b,
                m,
                ge,
                float(ap.pers.garrison),
            )
            for q, h, b, m in zip(here, held, base, men, strict=True)
        ]
    )
    v_cov = np.where(ap.foe_any[r, here], 0.0, worth * (keep[0, :, 0] - keep[1, :, 0]))
    out = np.zeros(sit.men.shape)
    out[r, f] = v_keep + v_gar + v_cov
    return out


def test_the_anchors_are_the_numpy_formula_on_played_situations():
    """What each standing free force is worth where it stands, its ln effectiveness taken
    in the kernel for the forces that stand only."""
    from game.ai.draft import Draft
    from game.ai.holding import anchors

    worth = 0
    for _, _, sit, _ in _situations(turns=5, runs=6, seed=7):
        ap = appraise(sit, Personality(), np.zeros(sit.runs, np.uint64))
        d = Draft.start(sit, notes=False)
        got, want = anchors(ap, d), numpy_anchors(ap, d)
        assert np.array_equal(got, want) and np.array_equal(np.signbit(got), np.signbit(want))
        worth += int((want != 0).sum())
    assert worth > 0  # some standing force was worth something where it stood


def test_the_usual_detachment_and_the_chiefs_odds_are_their_formulas_for_both_sides():
    """Kept once per side and flag (a value kept for one side and read by the other fails)."""
    from game.ai.operations import CHIEF_ODDS, chief_odds
    from game.ai.treaty import usual_detachment

    sides = set()
    for _, scn, sit, _ in _situations(turns=1, runs=2, seed=3):
        sides.add(sit.side)
        enemy = np.asarray(scn.force_side) == sit.enemy
        men0 = np.asarray(scn.men0, np.float64)[enemy]
        assert usual_detachment(sit) == float(men0.mean())
        power = men0 * np.asarray(sit.st.base_eff)[enemy]
        assert usual_detachment(sit, power=True) == float(power.mean())
    assert sides == {0, 1}
    for care in np.linspace(-3.0, 5.0, 161):
        assert chief_odds(care) == float(np.clip(CHIEF_ODDS + 0.1 * (care - 1.0), 0.5, 0.9))


def test_the_appraisal_in_one_call_is_each_pass_called_alone():
    """:func:`appraise`'s one kernel call gives what each pass's own function gives.

    The threats, the operational picture, the posture, the stakes, the reach, the least
    odds, the roads beating an enemy opens and the men the peace needs, bit for bit
    (each function is checked against its numpy formula elsewhere), for both sides,
    talks open in some runs and two personalities.
    """
    from game.ai.appraisal import _behind, _strike_reach, _threats
    from game.ai.operations import operations
    from game.ai.posture import stakes

    def same(got, want, name):
        assert np.asarray(got).dtype == np.asarray(want).dtype, name
        assert np.array_equal(got, want), name
        assert np.array_equal(np.signbit(got), np.signbit(want)), name

    sides, opened, behind = set(), 0, 0
    for _, scn, sit, _ in _situations(turns=6, runs=6, seed=11):
        for pers in (Personality(), Personality(objective=1.5, min_odds=0.4, caution=1.3)):
            ap = appraise(sit, pers, np.zeros(sit.runs, np.uint64))
            own_held = sit.owner == sit.side
            same(ap.own_held, own_held, "own_held")
            foe, near, threat_t, ghost_here, dug = _threats(sit, own_held)
            for k in foe.__dataclass_fields__:
                same(getattr(ap.foe, k), getattr(foe, k), k)
                same(getattr(ap.foe_near, k), getattr(near, k), k)
            for name, want in zip(
                ("threat_men_flat", "threat_push_flat", "chance", "threat_men"),
                threat_t,
                strict=True,
            ):
                same(getattr(ap, name), want, name)
            same(ap.ghost_here, ghost_here, "ghost_here")
            same(ap.dug, dug, "dug")
            same(ap.foe_any, foe.men > 0, "foe_any")
            ops = operations(sit, foe, ap.winner, pers.commander_safety)
            for k in ops.__dataclass_fields__:
                same(getattr(ap.ops, k), getattr(ops, k), k)
            pos = posture(sit, ops, ap.outcome, ap.winner)
            for k in pos.__dataclass_fields__:
                same(getattr(ap.pos, k), getattr(pos, k), k)
            worth = stakes(sit, pers.objective, pos)
            same(ap.worth, worth, "worth")
            T = float(scn.turn_days)
            for name, want in zip(
                ("mt", "reach", "forced_only", "reach_any"), _strike_reach(sit, T), strict=True
            ):
                same(getattr(ap, name), want, name)
            same(ap.threshold, _threshold(sit, pers, ap.winner, ops.urgency), "threshold")
            key = np.flatnonzero((ap.prize >= sit.st.win_margin) & (sit.st.win_margin > 0))
            want = _behind(sit, key, worth, foe.men > 0, T)
            same(ap.behind, want, "behind")
            need = sit.st.need_men[sit.side]
            same(ap.need_men, men_needed(sit, np.where(need > 0, need, np.inf)), "need_men")
            sides.add(sit.side)
            opened += int((sit.obs.talks >= 0).sum())
            behind += int((want > 0).sum())
    assert sides == {0, 1} and opened > 0 and behind > 0  # every branch was there
