"""The movement pass's kernel gives what weighing each force over all its runs gave."""

from __future__ import annotations

import copy
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai import option_kernels
from game.ai.appraisal import appraise
from game.ai.draft import Draft
from game.ai.holding import garrison_one
from game.ai.march_values import discount, powers
from game.ai.movement import (
    ARMY_PERSIST,
    army_peril,
    main_body_target,
    move_costs,
    moves,
    options,
    seek_battle,
)
from game.ai.personality import Personality
from game.codes import NONE, OrderKind
from tests.test_ai_odds_kernels import _played_situations


def _reference_moves(ap, d, c):
    """The pass as it was first written: each force weighed over every run where it is free.

    The forces in order, largest first; each one's options over all its free runs at
    once (:func:`game.ai.movement.options`), then each run's choice: the best march if
    it beats staying, else staying, garrisoning where keeping it down is worth most.
    """
    sit = ap.sit
    order = np.argsort(-np.asarray(sit.scn.men0), kind="stable")
    order = order[np.asarray(sit.own)[order]]
    eps = 1e-3 * ap.scale
    for f in order:
        ri = np.flatnonzero(d.free[:, f])
        if ri.size == 0:
            continue
        o = options(ap, d, int(f), ri, c)
        for n, r in enumerate(ri):
            q = int(np.argmax(o.move[n]))
            here = sit.here[r, f]
            if np.isfinite(o.move[n, q]) and o.move[n, q] > o.stay[n]:
                d.kind[r, f], d.target[r, f], d.free[r, f] = OrderKind.MARCH, q, False
                d.proj[r, here] -= sit.men[r, f]
                d.proj[r, q] += sit.men[r, f]
            elif np.isfinite(o.stay[n]):
                vk, vg, vc, vgs = o.v_keep[n], o.v_gar[n], o.v_cov[n], o.v_gs[n]
                keep = vk > eps and vk >= vg and vk >= vc and vk >= vgs
                garrison = not keep and vg > eps and vg >= vc and vg >= vgs
                d.kind[r, f] = OrderKind.GARRISON if garrison else OrderKind.HOLD
                d.target[r, f], d.free[r, f] = NONE, False


def test_the_movement_kernel_gives_the_orders_of_the_pass_force_by_force():
    """More runs than a block of the kernel, with and without noise in the scores."""
    runs = option_kernels.RUN_BLOCK + 37
    compared = 0
    for i, (_, sit) in enumerate(_played_situations(turns=4, runs=runs, seed=8)):
        pers = Personality(noise=0.35 if i % 2 else 0.0)
        ap = appraise(sit, pers, np.arange(runs, dtype=np.uint64) + np.uint64(i))
        d = Draft.start(sit, notes=False)
        want = copy.deepcopy(d)
        c = move_costs(ap, want)
        c.rally = main_body_target(ap, want, c)
        _reference_moves(ap, want, c)
        moves(ap, d)
        assert np.array_equal(d.kind, want.kind)
        assert np.array_equal(d.target, want.target)
        assert np.array_equal(d.free, want.free)
        assert np.array_equal(d.proj, want.proj)
        compared += int((~want.free & sit.able).sum())
    assert compared > 0


def _reference_main_body(ap, d, c):
    """Where the main body marches, as numpy weighed it: one core force at a time."""
    sit = ap.sit
    free = d.free & ap.ops.regular[None, :]
    bound = np.where(sit.stands, sit.here, np.where(sit.obs.dest >= 0, sit.obs.dest, sit.here))
    men = np.where(free, sit.men, 0.0)
    mass = np.zeros((ap.R, ap.P))
    r, f = np.nonzero(free)
    np.add.at(mass, (r, bound[r, f]), men[r, f])
    at = np.argmax(mass, axis=1)
    army = mass[ap.rows, at]
    core = np.argmax(np.where(bound == at[:, None], men, -1.0), axis=1)
    has = army > 0
    target = np.where(has, at, NONE).astype(np.int64)
    for slot in np.unique(core[has]):
        ri = np.flatnonzero(has & (core == slot))
        o = options(ap, d, int(slot), ri, c, army=army[ri])
        n = np.arange(ri.size)
        peril = army_peril(ap, int(slot), ri, army[ri])
        move = o.move - peril
        move += seek_battle(ap, int(slot), ri, army[ri]) * np.isfinite(move)
        here = sit.here[ri, slot]
        stay = np.where(np.isfinite(o.stay), o.stay, -np.inf) - peril[n, here]
        move[n, at[ri]] += ARMY_PERSIST * ap.scale
        q = np.argmax(move, axis=1)
        best = move[n, q]
        go = np.isfinite(best) & (best > stay)
        target[ri] = np.where(go, q, here)
    return target


def test_the_main_body_is_weighed_as_numpy_weighed_it():
    """The kernel over every core force gives the places the numpy loop gave."""
    runs = 40
    moved = 0
    for i, (_, sit) in enumerate(_played_situations(turns=5, runs=runs, seed=10)):
        ap = appraise(sit, Personality(noise=0.35 if i % 2 else 0.0), np.zeros(runs, np.uint64))
        d = Draft.start(sit, notes=False)
        c = move_costs(ap, d)
        want = _reference_main_body(ap, d, c)
        assert np.array_equal(main_body_target(ap, d, c), want)
        moved += int((want >= 0).sum())
    assert moved > 0


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(0.0, 400.0, allow_nan=False),
            st.integers(0, 40).map(lambda k: 7.0 * k),  # whole turns, where the power repeats
            st.sampled_from([np.inf, np.nan, 1e6]),
        ),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([(7.0, 0.85), (3.5, 0.5), (14.0, 0.97)]),
)
def test_a_kept_discount_is_the_power_taken_afresh(etas, turn):
    """The discount of a march kept from an earlier march is the power itself, bit for bit."""
    T, per_turn = turn
    memo = powers()
    for eta in etas:
        want = per_turn ** (max(math.ceil(eta / T) if np.isfinite(eta) else eta / T, 1.0) - 1.0)
        got = discount(eta, T, per_turn, memo)
        assert got == want or (np.isnan(got) and np.isnan(want))


@settings(max_examples=80, deadline=None)
@given(
    st.booleans(),
    st.booleans(),
    st.floats(1.0, 5000.0),
    st.floats(0.0, 50.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 20000.0),
    st.floats(0.0, 20000.0),
    st.floats(0.0, 5.0),
    st.floats(0.0, 3.0),
)
def test_a_garrison_is_worth_what_the_formula_gives(
    hostile, held, gneed, prize, protect, base, mf, ge, weight
):
    """The share of the rising risk the extra men take away, at the prize, bit for bit."""
    want = 0.0
    if hostile and held:
        drop = math.exp(-ge * base / gneed) - math.exp(-ge * (base + mf) / gneed)
        want = weight * prize * protect * drop
    assert garrison_one(hostile, held, gneed, prize, protect, base, mf, ge, weight) == want


def _reference_options(ap, d, f, ri, c, army=None):
    """The options of force ``f`` in the runs ``ri`` as the pass first weighed them.

    The chances of keeping every place in three cases at once (marching there with the
    force, what is left there without it, staying where it stands:
    :func:`game.ai.holding.keep_chance`, checked against its formula elsewhere), then
    each place's march score and staying's parts, run by run in Python floats, in the
    order of operations of the numpy pass.
    """
    from game.ai.holding import keep_chance
    from game.ai.movement import option_tables
    from game.ai.operations import SPHERE_MEN
    from game.codes import Posture
    from game.engine import jit

    scal, proj, sit_t, ap_t, cost_t, gar_t, _, join_t, march_t = option_tables(ap, d, c)
    T, per_turn, k_lose, scale, chief_care, chief_peril, ge, w_gar, noise = scal
    men, here_t, stands_t, eff, lead, mt, clear, dest = sit_t
    foe_any, need_men, worth, own_held, open_land, defend, home, signing, chief_t = ap_t
    hungry, supply_need, wear_p, stay_post, gdest, gval, foe_main_at, fastest, keys = cost_t
    eta, rally, weights, regular, conc = join_t
    hold_turns, sphere, relief_foe, mine = march_t
    gneed, hostile, prize, protect = gar_t
    N, P = ri.size, proj.shape[1]
    is_army = army is not None
    mf = np.array([army[n] if is_army else men[r, f] for n, r in enumerate(ri)])
    here = here_t[ri, f]
    base = proj[ri].copy()
    base[np.arange(N), here] = np.maximum(base[np.arange(N), here] - mf, 0.0)
    with_f = base + mf[:, None]
    at_here = np.arange(P)[None, :] == here[:, None]
    ok = mt[ri, f] & clear[ri, f] & ~(stands_t[ri, f][:, None] & at_here)
    legal = ok & ~foe_any[ri]
    crossed = (with_f >= need_men[ri]) & (base < need_men[ri])
    men3 = np.stack([with_f, base, with_f])
    need3 = np.stack([legal, legal | at_here, at_here])
    post3 = np.stack(
        [
            np.full((N, P), int(Posture.MEETING)),
            np.full((N, P), int(Posture.HASTY)),
            stay_post[ri],
        ]
    )
    log_eff = np.log(np.maximum(eff[ri, f], 1e-6))[:, None]
    keep, loss = keep_chance(ap, men3, log_eff, lead[ri, f][:, None], post3, rows=ri, need=need3)
    memo = powers()
    move, take, v_gat = np.empty((N, P)), np.empty((N, P)), np.empty((N, P))
    join = np.zeros((N, P))
    out = {k: np.empty(N) for k in ("stay", "gar", "keep", "cov", "gs", "js", "keep_stay")}
    for n, r in enumerate(ri):
        h = here[n]
        wear = [k_lose * mf[n] * (hungry[r, p] * supply_need[f] + wear_p[p]) for p in range(P)]
        q = rally[r]
        if not is_army and q >= 0:
            w = weights[1] if chief_t[r, f] else weights[0]
            w = w * (weights[2] if defend[r] else 1.0)
            value = w * conc * k_lose * men[r, f] * (1.0 if regular[f] else 0.0)
            join[n, q] = value * discount(eta[r, f, q], T, per_turn, memo)
        for p in range(P):
            if not legal[n, p]:
                move[n, p], take[n, p], v_gat[n, p] = -np.inf, 0.0, 0.0
                continue
            e, t, t2 = eta[r, f, p], 0.0, 0.0
            go, go_base = keep[0, n, p], keep[1, n, p]
            if open_land[r, p]:
                disc = discount(e, T, per_turn, memo)
                last = 1.0
                if not own_held[r, p]:
                    last = sphere[r, p]
                    foe = relief_foe[r, p]
                    if foe > 0.0 and mine[r] and not signing[r]:
                        own = (base[n, p] + mf[n]) * eff[r, f]
                        last = min(last, 1.0 / (1.0 + (foe / max(own, 1e-6)) ** SPHERE_MEN))
                    go, go_base = go ** hold_turns[r], go_base ** hold_turns[r]
                t = worth[r, p] * last * (go - go_base) * disc
                t2 = 0.5 * worth[r, p] * last * go * disc * (1.0 if crossed[n, p] else 0.0)
            t = t + t2
            t = t + k_lose * base[n, p] * max(loss[1, n, p] - loss[0, n, p], 0.0)
            if defend[r] and not home[p]:
                t = 0.0
            g = gval[r, f] if p == gdest[r, f] else 0.0
            persist = 0.05 * scale if p == dest[r, f] else 0.0
            risk = k_lose * mf[n] * loss[0, n, p]
            take[n, p], v_gat[n, p] = t, g
            move[n, p] = t + g - risk - wear[p] - 0.01 * scale * e / T + persist
        chief = chief_t[r, f]
        peril = chief_care * scale * chief_peril if chief else 0.0
        top = max(base[n])
        for p in range(P):
            alone = base[n, p] + mf[n] < top
            move[n, p] = move[n, p] + join[n, p] - peril * (1.0 - keep[0, n, p]) * alone
            if chief and alone and not is_army:
                if legal[n, p]:
                    move[n, p] = move[n, p] - take[n, p]
                take[n, p] = 0.0
        alone_here = base[n, h] + mf[n] < top
        held, g0, ks, ls = own_held[r, h], base[n, h], keep[2, n, h], loss[2, n, h]
        v_keep = 0.5 * worth[r, h] * ks * crossed[n, h] if held else 0.0
        gar = garrison_one(hostile[h], held, gneed[h], prize[h], protect[h], g0, mf[n], ge, w_gar)
        v_gar = 0.0 if chief else gar
        cov = worth[r, h] * (ks - keep[1, n, h]) if open_land[r, h] else 0.0
        if (defend[r] and not home[h]) or (chief and alone_here and not is_army):
            v_gar, cov = 0.0, 0.0
        cov += k_lose * g0 * max(loss[1, n, h] - ls, 0.0)
        if is_army:
            near = foe_main_at[r] >= 0 and fastest[max(foe_main_at[r], 0), h] <= 2.0 * T
            cov = cov if (near or signing[r]) else 0.0
        v_gs = gval[r, f] if gdest[r, f] == h else 0.0
        rest = v_gar + v_keep + cov + v_gs + join[n, h]
        rest = rest - k_lose * mf[n] * ls - wear[h]
        rest -= peril * (1.0 - ks) * (1.0 if alone_here else 0.0)
        stands = stands_t[r, f] and (regular[f] or mt[r, f, h])
        stay = rest + (1e-3 if dest[r, f] < 0 else 0.0) if stands else -np.inf
        if noise > 0:  # (each key kept a uint64, as in the kernel)
            key = np.uint64(jit.fold(np.uint64(jit.fold(keys[r], 11)), f))
            for p in range(P + 1):
                z = noise * scale * jit.normal(np.uint64(jit.bits(np.uint64(jit.fold(key, p)))))
                if p < P:
                    move[n, p] = move[n, p] + z
                else:
                    stay = stay + z
        for k, v in zip(out, (stay, v_gar, v_keep, cov, v_gs, join[n, h], ks), strict=True):
            out[k][n] = v
    return (move, out["stay"], take, v_gat, join, *(out[k] for k in list(out)[1:]))


def test_a_forces_options_are_the_formula_place_by_place():
    """The option kernel, weighing a run's places one by one with each place's threats
    read from the turn's table, gives what the three cases weighed at once gave."""
    runs = 10
    weighed = 0
    for i, (_, sit) in enumerate(_played_situations(turns=4, runs=runs, seed=9)):
        ap = appraise(
            sit, Personality(noise=0.35 if i % 2 else 0.0), np.arange(runs, dtype=np.uint64)
        )
        d = Draft.start(sit, notes=False)
        c = move_costs(ap, d)
        c.rally = main_body_target(ap, d, c)
        for f in np.flatnonzero(np.asarray(sit.own)):
            ri = np.flatnonzero(d.free[:, f])
            if ri.size == 0:
                continue
            army = sit.men[ri, f] * 3.0 if f % 3 == 0 else None
            o = options(ap, d, int(f), ri, c, army=army)
            want = _reference_options(ap, d, int(f), ri, c, army=army)
            got = (
                o.move,
                o.stay,
                o.v_take,
                o.v_gat,
                o.v_join,
                o.v_gar,
                o.v_keep,
                o.v_cov,
                o.v_gs,
                o.v_js,
                o.keep_stay,
            )
            for g, w in zip(got, want, strict=True):
                assert np.array_equal(g, w, equal_nan=True)
                assert np.array_equal(np.signbit(g), np.signbit(w))
            weighed += int(np.isfinite(o.move).sum())
    assert weighed > 0


def test_the_threat_table_holds_each_places_threats():
    """Each place's threats, as the keep chances read them, from the appraisal's flat tables."""
    runs = 7
    for _, sit in _played_situations(turns=3, runs=runs, seed=11):
        ap = appraise(sit, Personality(), np.zeros(runs, np.uint64))
        table = move_costs(ap, Draft.start(sit, notes=False)).threats
        men = ap.threat_men_flat.reshape(3, runs, ap.P)
        push = ap.threat_push_flat.reshape(3, runs, ap.P)
        chance = ap.chance_flat.reshape(3, runs, ap.P)
        fight = (men > 0) & (chance > 0)
        for t in range(3):
            assert np.array_equal(table[:, :, t], chance[t])
            assert np.array_equal(table[:, :, 3 + t], men[t])
            assert np.array_equal(table[:, :, 6 + t], np.where(fight[t], push[t], 0.0))
            logs = np.log(np.maximum(men[t], 1.0))
            assert np.array_equal(table[:, :, 9 + t], np.where(fight[t], logs, 0.0))
        present = (men > 0).astype(float)
        seen = chance[0] * present[0] + np.maximum(chance[1] * present[1], chance[2] * present[2])
        assert np.array_equal(table[:, :, 12], np.where(ap.own_held, 1.0 - seen, 0.0))
        assert (table[:, :, 12] > 0).any() and fight.any()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 9), st.integers(2, 7), st.integers(0, 2**32 - 1))
def test_the_main_mass_is_numpys(R, F, P, seed):
    """The main body's place, men and largest force as numpy found them, ties and all."""
    from game import rng

    key = np.uint64(seed)

    def draw(k, n, hi):
        return rng.integers(hi, key, k, np.arange(n))

    free = draw(0, R * F, 2).reshape(R, F).astype(bool)
    regular = draw(1, F, 3) > 0
    stands = draw(2, R * F, 2).reshape(R, F).astype(bool)
    here = draw(3, R * F, P).reshape(R, F)
    dest = draw(4, R * F, P + 1).reshape(R, F) - 1
    men = np.array([0.0, 100.0, 250.0, 100.0])[draw(5, R * F, 4)].reshape(R, F)
    core, has, army, at, target = option_kernels.main_mass(
        free, regular, stands, here, dest, men, P
    )
    pool = free & regular[None, :]
    bound = np.where(stands, here, np.where(dest >= 0, dest, here))
    m = np.where(pool, men, 0.0)
    mass = np.zeros((R, P))
    r, f = np.nonzero(pool)
    np.add.at(mass, (r, bound[r, f]), m[r, f])
    want_at = np.argmax(mass, axis=1)
    want_army = mass[np.arange(R), want_at]
    assert np.array_equal(at, want_at) and np.array_equal(army, want_army)
    assert np.array_equal(core, np.argmax(np.where(bound == want_at[:, None], m, -1.0), axis=1))
    assert np.array_equal(has, want_army > 0)
    assert np.array_equal(target, np.where(want_army > 0, want_at, NONE))


_UNIT = st.floats(0.0, 1.0)
_VALUE = st.floats(-50.0, 50.0)


@settings(max_examples=300, deadline=None)
@given(
    st.tuples(st.booleans(), st.booleans(), st.floats(0.0, 6.0), st.booleans()),
    st.tuples(
        st.floats(0.0, 40.0),  # worth
        st.booleans(),  # held
        st.booleans(),  # open land
        _UNIT,  # sphere
        st.floats(0.0, 20000.0),  # relief
        st.floats(0.0, 60.0),  # days
        _UNIT,  # discount
        st.floats(0.0, 20000.0),  # men there
        st.booleans(),  # crossed
        st.booleans(),  # home
        _VALUE,  # gathering
        st.booleans(),  # bound there
        st.floats(0.0, 30.0),  # wear
    ),
    st.tuples(_UNIT, _UNIT, _UNIT, _UNIT),
    st.tuples(st.floats(1.0, 20000.0), st.floats(0.05, 3.0)),
    st.tuples(st.sampled_from([3.5, 7.0, 14.0]), st.floats(0.0, 0.01), st.floats(0.1, 40.0)),
    st.floats(0.0, 0.6),
)
def test_a_march_never_scores_above_its_bound(run, place, keeps, force, rates, lost_most):
    """The bound the pruned pass weighs a place by is never below the place's score.

    Chances of keeping in [0, 1], shares lost at most ``lost_most`` (the bound's own
    reading of the threats); the score with and without what taking the place is worth
    (a head of state away from the main army takes nothing).
    """
    from game.ai.march_values import march_bound, march_score, within

    keep_go, keep_base, lost_go, lost_base = keeps
    keeps = (keep_go, keep_base, lost_go * lost_most, lost_base * lost_most)
    move, take, _ = march_score(run, place, keeps, force, rates)
    top = within(*march_bound(run, place, lost_most, rates))
    assert move <= top
    assert move - take <= top


def test_the_pruned_options_choose_what_weighing_every_place_chooses():
    """Pruned, a force's options give the march numpy's argmax of every place gives,
    with its score, wherever the march is taken; and fewer places are weighed."""
    from game.ai.movement import option_tables

    runs = 24
    taken = pruned = 0
    for i, (_, sit) in enumerate(_played_situations(turns=4, runs=runs, seed=7)):
        ap = appraise(
            sit, Personality(noise=0.35 if i % 2 else 0.0), np.arange(runs, dtype=np.uint64)
        )
        d = Draft.start(sit, notes=False)
        c = move_costs(ap, d)
        c.rally = main_body_target(ap, d, c)
        tables = option_tables(ap, d, c)
        for f in np.flatnonzero(np.asarray(sit.own)):
            ri = np.flatnonzero(d.free[:, f]).astype(np.int64)
            if ri.size == 0:
                continue
            no = option_kernels.NO_AROUND
            full = option_kernels.options(int(f), ri, np.zeros(0), False, no, *tables)
            cut = option_kernels.options(int(f), ri, np.zeros(0), True, no, *tables)
            assert np.array_equal(full[1], cut[1])  # staying is weighed in full
            for n in range(ri.size):
                q = np.argmax(full[0][n])
                best = full[0][n, q]
                if not (np.isfinite(best) and best > full[1][n]):
                    continue
                taken += 1
                assert np.argmax(cut[0][n]) == q and cut[0][n, q] == best
                assert cut[2][n, q] == full[2][n, q] and cut[3][n, q] == full[3][n, q]
            pruned += int((np.isfinite(full[0]) & ~np.isfinite(cut[0])).sum())
    assert taken > 0 and pruned > 0


def test_the_threat_table_holds_the_most_that_can_be_lost_at_each_place():
    """The last column: the most share of its men lost in a battle of the table, times the
    chance of the seen threat and of the larger unseen one, where they can come."""
    from game.ai.movement import _most_lost
    from game.ai.odds_table import OddsTable
    from game.ai.tables import odds_table

    runs = 5
    for _, sit in _played_situations(turns=3, runs=runs, seed=5):
        ap = appraise(sit, Personality(), np.zeros(runs, np.uint64))
        table = odds_table(sit.scn)
        p_win = table.fine[OddsTable.FIELDS.index("p_win")]
        def_loss = table.fine[OddsTable.FIELDS.index("def_loss")]
        most = float((def_loss + p_win * np.float32(0.1)).max())
        assert _most_lost(table) == most
        got = move_costs(ap, Draft.start(sit, notes=False)).threats[:, :, 13]
        men = ap.threat_men_flat.reshape(3, runs, ap.P)
        chance = ap.chance_flat.reshape(3, runs, ap.P)
        w = np.where((men > 0) & (chance > 0), chance, 0.0)
        assert np.array_equal(got, most * (w[0] + np.maximum(w[1], w[2])))
        assert (got > 0).any()


def _reference_gathering(ap, soon, g, o, bar):
    """Where each force gathers for the best strike, as numpy weighed it."""
    sit = ap.sit
    ev = (
        o.p_win * (ap.worth + ap.behind)
        + ap.k_kill * o.def_loss * ap.foe.men
        - ap.k_lose * o.att_loss * g.men
    )
    ok = ap.foe_any & ~bar & (g.men > 0) & (o.p_win >= ap.threshold[:, None]) & (ev > 0)
    best = np.argmax(np.where(ok, ev, -np.inf), axis=1)
    has = ok[ap.rows, best]
    member = soon[ap.rows, :, best] & has[:, None]
    stage = np.asarray(sit.st.stage)[sit.here, best[:, None]].astype(np.int64)
    dest = np.where(member, stage, NONE)
    value = np.where(member, ap.pers.concentration * 0.6 * ev[ap.rows, best][:, None], 0.0)
    return dest, value, np.where(has, best, NONE), o.p_win[ap.rows, best]


def test_gathering_for_a_strike_is_the_numpy_formula():
    """The kernel gives the places, values, targets and odds numpy gave, bit for bit,
    with the personalities' concentrations and the weights of men as they are."""
    from game.ai.features import defender_posture
    from game.ai.strikes import barred, strike

    runs = 30
    gathered = 0
    for i, (_, sit) in enumerate(_played_situations(turns=6, runs=runs, seed=8)):
        ap = appraise(sit, Personality(concentration=0.7 + 0.2 * i), np.zeros(runs, np.uint64))
        held = sit.owner == sit.enemy
        post = defender_posture(sit, held, held)
        bar = barred(ap)
        d = Draft.start(sit, notes=False)
        ops = ap.ops
        decides = (ops.decisive, ops.key)
        own = np.flatnonzero(sit.own)
        soon = option_kernels.soon(d.free, sit.eta, ap.mt, sit.clear, ops.chief, decides, ap.T, own)
        g = sit.group(soon, cols=own)
        o = strike(ap, g, ap.foe, post)
        got = option_kernels.gathering(
            (o.p_win, o.def_loss, o.att_loss),
            ap.worth,
            ap.behind,
            ap.foe.men,
            g.men,
            (ap.foe_any, bar, ap.threshold),
            (soon, own),
            np.asarray(sit.st.stage),
            sit.here,
            (ap.k_kill, ap.k_lose, ap.pers.concentration),
        )
        every = np.zeros((runs, ap.F, ap.P), bool)
        every[:, own] = soon
        g_every = sit.group(every)  # the own slots pool as every slot did
        for k in g.__dataclass_fields__:
            assert np.array_equal(getattr(g, k), getattr(g_every, k))
        want = _reference_gathering(ap, every, g, o, bar)
        for a, b in zip(got, want, strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        gathered += int((want[0] >= 0).sum())
    assert gathered > 0


def test_gathering_takes_the_first_of_equal_strikes():
    """Two places worth the same: the first is the target, as numpy's argmax takes it."""
    R, F, P = 1, 2, 4
    odds = tuple(np.full((R, P), v, np.float32) for v in (0.8, 0.1, 0.2))
    worth = np.array([[0.0, 3.0, 3.0, 1.0]])
    ok_t = (np.ones((R, P), bool), np.zeros((R, P), bool), np.array([0.5]))
    soon = (np.ones((R, F, P), bool), np.arange(F))
    stage = np.arange(P * P, dtype=np.int16).reshape(P, P)
    here = np.array([[0, 3]])
    dest, value, target, gwin = option_kernels.gathering(
        odds,
        worth,
        np.zeros((R, P)),
        np.full((R, P), 100.0),
        np.full((R, P), 50.0),
        ok_t,
        soon,
        stage,
        here,
        (1.0, 1.0, 1.0),
    )
    assert target[0] == 1 and list(dest[0]) == [stage[0, 1], stage[3, 1]]
    assert value[0, 0] == value[0, 1] > 0 and gwin[0] == np.float32(0.8)


def test_the_costs_of_each_place_are_the_numpy_formulas():
    """Hunger, the posture of those who stay and open land, as numpy worked them out."""
    from game.codes import Posture

    runs = 12
    for _, sit in _played_situations(turns=5, runs=runs, seed=9):
        ap = appraise(sit, Personality(), np.zeros(runs, np.uint64))
        c = move_costs(ap, Draft.start(sit, notes=False))
        scn, rules = sit.scn, sit.scn.rules
        weeks = ap.T / 7.0
        forage = np.asarray(scn.terrain_forage)[scn.terrain]
        hungry = (sit.supply_d > rules.supply.range_days) * (1.0 - forage)[None, :]
        hungry = hungry * rules.supply.out_of_supply * weeks * 2.0
        assert np.array_equal(c.hungry, hungry) and (hungry > 0).any()
        assert np.array_equal(np.signbit(c.hungry), np.signbit(hungry))
        wear = np.asarray(scn.terrain_attrition)[scn.terrain] * weeks * 2.0
        assert np.array_equal(c.wear, wear)
        post = np.where(ap.dug, Posture.PREPARED, Posture.HASTY)
        assert c.stay_post.dtype == post.dtype and np.array_equal(c.stay_post, post)
        assert np.array_equal(c.open_land, ~ap.foe_any & ~(ap.ghost_here & ~ap.own_held))


def test_who_can_gather_soon_is_the_numpy_formula():
    """Free forces two marches from a place by a clear road; a head of state only where
    the battle decides.  Of the side's own slots, the only ones ever free."""
    runs = 10
    for _, sit in _played_situations(turns=4, runs=runs, seed=10):
        ap = appraise(sit, Personality(), np.zeros(runs, np.uint64))
        d = Draft.start(sit, notes=False)
        ops = ap.ops
        own = np.flatnonzero(sit.own)
        got = option_kernels.soon(
            d.free, sit.eta, ap.mt, sit.clear, ops.chief, (ops.decisive, ops.key), ap.T, own
        )
        decides = ops.decisive | ops.key[None, :]
        want = (sit.eta <= 2.0 * ap.T) & ap.mt & sit.clear & d.free[:, :, None]
        want &= decides[:, None, :] | ~ops.chief[:, :, None]
        assert np.array_equal(got, want[:, own]) and want.any()
        assert not want[:, ~np.asarray(sit.own)].any()  # no other slot is ever free


def test_the_main_body_weighs_in_full_only_what_it_can_choose():
    """The main body's options pruned as main_body takes them (peril, battle sought, the
    head start of where it is bound) give the place, and its score, of every place
    weighed, wherever it marches; and fewer places are weighed."""
    from game.ai.army_kernels import army_peril, seek_battle
    from game.ai.movement import _peril_tables, _seek_tables, option_tables

    runs = 30
    taken = pruned = 0
    for _, sit in _played_situations(turns=6, runs=runs, seed=11):
        ap = appraise(sit, Personality(), np.zeros(runs, np.uint64))
        d = Draft.start(sit, notes=False)
        c = move_costs(ap, d)
        tables = option_tables(ap, d, c)
        core, has, army, at, _ = option_kernels.main_mass(
            d.free, ap.ops.regular, sit.stands, sit.here, sit.obs.dest, sit.men, ap.P
        )
        persist = ARMY_PERSIST * ap.scale
        for slot in np.unique(core[has]):
            ri = np.flatnonzero(has & (core == slot)).astype(np.int64)
            men = army[ri]
            peril = army_peril(int(slot), ri, men, *_peril_tables(ap))
            seek = seek_battle(int(slot), ri, men, *_seek_tables(ap, c.foe_post, c.barred))
            around = (peril, seek, at[ri], persist)
            full = option_kernels.options(int(slot), ri, men, False, around, *tables)
            cut = option_kernels.options(int(slot), ri, men, True, around, *tables)
            assert np.array_equal(full[1], cut[1])
            for o in (full, cut):
                row = o[0] - peril
                row += seek * np.isfinite(row)
                row[np.arange(ri.size), at[ri]] += persist
                o[0][:] = row
            for n, r in enumerate(ri):
                here = sit.here[r, slot]
                stay = (full[1][n] if np.isfinite(full[1][n]) else -np.inf) - peril[n, here]
                q = np.argmax(full[0][n])
                if not (np.isfinite(full[0][n, q]) and full[0][n, q] > stay):
                    continue
                taken += 1
                assert np.argmax(cut[0][n]) == q and cut[0][n, q] == full[0][n, q]
            pruned += int((np.isfinite(full[0]) & ~np.isfinite(cut[0])).sum())
    assert taken > 0 and pruned > 0


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 9), st.integers(0, 2**32 - 1))
def test_the_costs_kernel_is_the_numpy_formula_on_drawn_tables(R, P, seed):
    """Every combination of dug in, seen, believed and held, and supply on either side
    of the range (signed zeros included)."""
    from game import rng
    from game.codes import Posture

    key = np.uint64(seed)
    flags = rng.integers(2, key, 0, np.arange(4 * R * P)).reshape(4, R, P).astype(bool)
    dug, foe_any, ghost_here, own_held = flags
    supply_d = rng.integers(20, key, 1, np.arange(R * P)).reshape(R, P).astype(float)
    lack = rng.integers(5, key, 2, np.arange(P)) - 2.0
    hungry, post, open_land = option_kernels.costs(
        supply_d, 9.0, lack, (dug, foe_any, ghost_here, own_held)
    )
    want = (supply_d > 9.0) * lack[None, :]
    assert np.array_equal(hungry, want) and np.array_equal(np.signbit(hungry), np.signbit(want))
    assert np.array_equal(post, np.where(dug, Posture.PREPARED, Posture.HASTY))
    assert np.array_equal(open_land, ~foe_any & ~(ghost_here & ~own_held))
