"""The AI's compiled odds look-ups give what numpy gave, point for point."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.ai.appraisal import appraise
from game.ai.features import situation
from game.ai.holding import keep_chance
from game.ai.odds_table import (
    LOG_EFF,
    LOG_MEN,
    LOG_SIZE,
    _fine_size,
    _nearest,
    _size_index,
    fine_indices,
    size_cuts,
)
from game.ai.personality import Personality
from game.engine.observe import observe
from game.engine.state import initial_state
from game.paths import default_scenario
from game.scenario.load import load_scenario


def numpy_index(log_eff, log_men, size):
    """The fine grid's index as the numpy look-up worked it out (float32 logarithm)."""
    size_log = np.log(np.maximum(np.asarray(size, np.float32), np.float32(1.0)))
    idx = _nearest(LOG_EFF, log_eff) * _fine_size(LOG_MEN) + _nearest(LOG_MEN, log_men)
    return idx * _fine_size(LOG_SIZE) + _nearest(LOG_SIZE, size_log)


def test_the_size_steps_are_where_numpys_logarithm_puts_them():
    cuts = size_cuts()
    assert np.all(np.diff(cuts) > 0)
    for c in cuts:  # every float32 within 2**15 steps of each cut, either side
        s = (c.view(np.int32) + np.arange(-(2**15), 2**15, dtype=np.int32)).view(np.float32)
        assert np.array_equal(_size_index(s), np.searchsorted(cuts, s, side="right"))


def test_compiled_indices_equal_numpys_near_every_step_of_the_grid():
    cuts = size_cuts()

    def draw(n, stream):
        return rng.normal(rng.derive(np.uint64(7), stream, np.arange(n)))

    def near_steps(grid, n):
        k = (grid.size - 1) * 4
        step = (grid[-1] - grid[0]) / k
        mids = grid[0] + (np.arange(k + 1) - 0.5) * step
        return np.repeat(mids, n) + 1e-6 * draw((k + 1) * n, k)

    eff = near_steps(LOG_EFF, 400)
    men = near_steps(LOG_MEN, 400)[: eff.size]
    men = np.concatenate([men, 2.5 * draw(eff.size - men.size, 1)])
    near_cuts = np.concatenate(
        [(c.view(np.int32) + np.arange(-500, 500, dtype=np.int32)).view(np.float32) for c in cuts]
    ).astype(np.float64)
    far = np.exp(-1.0 + 15.0 * rng.uniform(rng.derive(np.uint64(7), 2, np.arange(eff.size))))
    size = np.concatenate([near_cuts, far[near_cuts.size :]])
    assert np.array_equal(fine_indices(eff, men, size, cuts), numpy_index(eff, men, size))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-50, 50, allow_nan=False),
            st.floats(-50, 50, allow_nan=False),
            st.floats(0, 1e9, allow_nan=False),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_compiled_indices_equal_numpys_anywhere(battles):
    e, m, s = (np.array(v, np.float64) for v in zip(*battles, strict=True))
    assert np.array_equal(fine_indices(e, m, s, size_cuts()), numpy_index(e, m, s))


def test_keep_chance_is_the_same_for_any_subset_of_runs_places_and_cases():
    scn = load_scenario(default_scenario())
    R = 6
    ap = appraise(
        situation(scn, observe(scn, initial_state(scn, R, 5), 0)),
        Personality(),
        np.zeros(R, np.uint64),
    )
    key = np.uint64(3)
    men = np.array([0.0, 50.0, 400.0, 3000.0])[rng.integers(4, key, 0, np.arange(2 * R * ap.P))]
    men = men.reshape(2, R, ap.P)
    log_eff = 0.3 * rng.normal(rng.derive(key, 1, np.arange(R)))[:, None]
    lead = rng.uniform(rng.derive(key, 2, np.arange(R)))[:, None]
    post = np.array([1, 2])[:, None, None]
    keep, loss = keep_chance(ap, men, log_eff, lead, post)
    assert ((keep >= 0) & (keep <= 1)).all() and (loss >= 0).all()
    assert (keep < 1).any()  # threats are there to be weighed
    rows = np.array([4, 1])
    places = rng.integers(ap.P, key, 3, np.arange(6)).reshape(2, 3)
    need = (rng.uniform(rng.derive(key, 4, np.arange(12))) < 0.6).reshape(2, 2, 3)
    sub = men[:, rows[:, None], places]
    k2, l2 = keep_chance(ap, sub, log_eff[rows], lead[rows], post, places, rows, need)
    want = keep[:, rows[:, None], places]
    assert np.array_equal(k2, np.where(need, want, 0.0))
    assert np.array_equal(l2, np.where(need, loss[:, rows[:, None], places], 0.0))


def _reference_keep(ap, men, post, log_eff, lead):
    """Each case of :func:`keep_chance` by the formula, one at a time, in Python floats.

    Every threat that can come at men standing there is a battle looked up in the
    odds table with the threat attacking (float32 odds); seen threats add up, the two
    guesses about unseen forces overlap (the worse counts); enemy-held land needs the
    rules' control men and own land left empty is lost to whoever comes.
    """
    from game.ai.holding import keep_tables
    from game.ai.odds_table import battle_index_logs

    tm, tp, ch, held, control, theta, log_post, log_terr, p_win, def_loss, cuts = keep_tables(ap)
    terms = (theta, log_post, log_terr, cuts)
    one, tenth = np.float32(1.0), np.float32(0.1)
    K, N, X = men.shape
    RP = held.size
    keep, loss = np.zeros(men.shape), np.zeros(men.shape)
    for k, i, x in np.ndindex(K, N, X):
        cell, m = i * ap.P + x, float(men[k, i, x])
        c, hold, lost, present = [], [], [], []
        for t in range(3):
            foe = float(tm[t * RP + cell])
            c.append(float(ch[t * RP + cell]))
            present.append(1.0 if foe > 0 else 0.0)
            h, lo = (one if foe <= 0 else np.float32(0.0)), np.float32(0.0)
            if foe > 0 and m > 0 and c[t] > 0:
                j = battle_index_logs(
                    float(tp[t * RP + cell]),
                    foe,
                    m,
                    math.log(max(foe, 1.0)),
                    math.log(max(m, 1.0)),
                    float(log_eff[i, 0]),
                    float(lead[i, 0]),
                    int(post[k, 0, 0]),
                    x,
                    terms,
                )
                h, lo = one - p_win[j], def_loss[j] + p_win[j] * tenth
            hold.append(float(h))
            lost.append(float(lo))
        if m >= control:
            v = 1.0 - (c[0] * (1.0 - hold[0]) + max(c[1] * (1.0 - hold[1]), c[2] * (1.0 - hold[2])))
        else:
            seen = c[0] * present[0] + max(c[1] * present[1], c[2] * present[2])
            v = 1.0 - seen if held[cell] else 0.0
        keep[k, i, x] = min(max(v, 0.0), 1.0)
        loss[k, i, x] = c[0] * lost[0] + max(c[1] * lost[1], c[2] * lost[2])
    return keep, loss


def test_keep_chance_is_the_formula_case_by_case():
    """Each case weighed on its own gives what the kernel gives weighing a place's cases
    together (the threats there read once for all of them), bit for bit."""
    from game.ai.holding import keep_chance

    cases = 0
    for _, sit in _played_situations(turns=3, runs=3, seed=7):
        ap = appraise(sit, Personality(), np.zeros(sit.runs, np.uint64))
        R, key = sit.runs, np.uint64(11)
        men = np.array([0.0, 50.0, 400.0, 3000.0])[rng.integers(4, key, 0, np.arange(3 * R * ap.P))]
        men = men.reshape(3, R, ap.P)
        log_eff = 0.3 * rng.normal(rng.derive(key, 1, np.arange(R)))[:, None]
        lead = rng.uniform(rng.derive(key, 2, np.arange(R)))[:, None]
        post = np.array([1, 2, 0])[:, None, None]
        keep, loss = keep_chance(ap, men, log_eff, lead, post)
        want_keep, want_loss = _reference_keep(ap, men, post, log_eff, lead)
        assert np.array_equal(keep, want_keep)
        assert np.array_equal(loss, want_loss)
        cases += int((want_keep < 1).sum())
    assert cases > 0  # threats were there to be weighed


def _played_situations(turns=3, runs=8, seed=5):
    """Yield each side's situation over the first turns of a batch of heuristic wars."""
    from game.ai import make_policy
    from game.play_loop import play_from

    scn = load_scenario(default_scenario())
    policies = {s: make_policy("heuristic", s, scn) for s in range(scn.S)}
    state = initial_state(scn, runs, seed)
    for _ in range(turns):
        for s in range(scn.S):
            yield scn, situation(scn, observe(scn, state, s))
        state = play_from(scn, state, policies, max_turns=1, compact=False)


def test_the_one_odds_of_a_push_is_the_numpy_formula():
    """Situation.battle looks up what the ratios written out in numpy give, bit for bit."""
    from game.ai.tables import odds_table
    from game.codes import Posture
    from game.engine.battle_sides import surprise_level

    looked = 0
    for scn, sit in _played_situations():
        c = scn.rules.combat
        foe, mine = sit.group(sit.foe_reach), sit.group(sit.mine_at)
        for att, dfd in ((mine, foe), (foe, mine)):
            posture = np.where(sit.owner == sit.side, Posture.PREPARED, Posture.HASTY)
            got = sit.battle(att, dfd, posture)
            push = (
                att.log_eff
                + c.theta_leadership * att.lead
                + c.theta_surprise * surprise_level(att.surprise, att.init, dfd.init)
            )
            ratio = (
                push
                - dfd.log_eff
                - c.theta_leadership * dfd.lead
                - sit.st.log_posture[posture]
                - sit.st.log_terrain[None, :]
            )
            log_men = np.log(np.maximum(att.men, 1.0)) - np.log(np.maximum(dfd.men, 1.0))
            want = odds_table(scn).lookup(ratio, log_men, att.men + dfd.men)
            for name in ("p_win", "att_loss", "def_loss", "att_cmd"):
                assert np.array_equal(getattr(got, name), getattr(want, name))
            looked += int(((att.men > 0) & (dfd.men > 0)).sum())
    assert looked > 0  # real battles were looked up, not only empty places


def _ghosts_in_numpy(scn, st, obs, presumed, watched):
    """Where presumed forces are believed and may lurk, as numpy worked it out."""
    from game.ai.presumed import place_costs, presumed_men
    from game.ai.tables import meets, pack

    men = np.where(presumed, presumed_men(scn, obs), 0.0)
    R, F, P = obs.runs, scn.F, scn.P
    at = np.full((R, F), -1, np.int64)
    near = np.zeros((R, F, P), bool)
    lurk = np.zeros((R, F, P), bool)
    cols = np.flatnonzero(presumed.any(axis=0))
    if cols.size == 0:
        return men, at, near, lurk
    pres = presumed[:, cols]
    cost = place_costs(scn, obs, watched, cols)
    best = np.argmin(cost, axis=2)
    ok = np.isfinite(np.take_along_axis(cost, best[:, :, None], axis=2)[:, :, 0])
    at_c = np.where(pres & ok, best, -1)
    at[:, cols] = at_c
    days = st.route_days[st.pace_of[None, cols], np.maximum(at_c, 0)]
    near[:, cols] = (at_c >= 0)[:, :, None] & (days <= scn.turn_days)
    hidden_bits = pack(~watched | (obs.owner == 1 - obs.side))[:, None, :]
    for v in np.unique(st.pace_of[cols]):
        far = meets(hidden_bits, pack((st.route_days[v] <= 2.0 * scn.turn_days).T)[None])
        paced = pres & (st.pace_of[cols] == v)[None, :]
        lurk[:, cols] |= paced[:, :, None] & far[:, None, :]
    return men, at, near, lurk


def _presumed_in_numpy(scn, obs, seen):
    """The enemy forces presumed in the field, as numpy worked them out."""
    from game.ai.tables import static

    enemy = np.asarray(scn.force_side != obs.side)
    scenario = np.arange(scn.F) < scn.n_scenario_forces
    arrival = np.asarray(scn.arrival_turn)
    due = (np.asarray(scn.start_at) >= 0) | ((arrival >= 0) & (arrival <= obs.turn))
    event = static(scn).raised_by
    fired = np.concatenate([obs.fired, np.zeros((obs.runs, 1), bool)], axis=1)
    raised = fired[:, np.where(event >= 0, event, scn.E)]  # [R, F]
    field = (enemy & scenario)[None, :] & (due[None, :] | raised)
    return field & ~seen & ~obs.known_gone & ~obs.over[:, None]


def _watched_in_numpy(scn, obs, able):
    """The provinces a side watches, as numpy worked them out (packed sets of places)."""
    from game.ai.tables import meets, pack, static

    watch = obs.owner == obs.side
    r, f = np.nonzero(able)
    watch[r, obs.loc[r, f]] = True
    road = able & (obs.nxt >= 0)
    r2, f2 = np.nonzero(road)
    watch[r2, obs.nxt[r2, f2]] = True
    linked = static(scn).linked
    for _ in range(scn.rules.fog.detect_links):
        watch = watch | meets(pack(watch)[:, None, :], linked[None, :, :])
    return watch


def test_presumed_forces_are_placed_as_numpy_placed_them():
    from game.ai.presumed import presumed, watched_places

    lurking = 0
    for scn, sit in _played_situations():
        want_watched = _watched_in_numpy(scn, sit.obs, sit.able)
        assert sit.watched.dtype == want_watched.dtype
        assert np.array_equal(sit.watched, want_watched)
        assert np.array_equal(watched_places(scn, sit.obs, sit.able), want_watched)
        want_presumed = _presumed_in_numpy(scn, sit.obs, sit.enemy_seen)
        assert np.array_equal(presumed(scn, sit.obs, sit.enemy_seen), want_presumed)
        # Every way a force is presumed or not, each taken away in turn.
        for seen in (np.ones_like(sit.enemy_seen), ~sit.enemy_seen):
            got = presumed(scn, sit.obs, seen)
            assert np.array_equal(got, _presumed_in_numpy(scn, sit.obs, seen))
        want = _ghosts_in_numpy(scn, sit.st, sit.obs, want_presumed, want_watched)
        got = (sit.ghost_men, sit.ghost_at, sit.ghost_near, sit.lurk_reach)
        for g, w in zip(got, want, strict=True):
            assert g.dtype == w.dtype and np.array_equal(g, w)
        lurking += int(sit.lurk_reach.sum())
    assert lurking > 0


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), turn=st.integers(0, 40))
def test_presumed_watched_and_ranks_on_any_observation(seed, turn):
    """Forces known gone, wars over, events fired and leaders missing, drawn at random."""
    import dataclasses

    from game.ai.presumed import presumed, watched_places
    from game.ai.tables import static

    scn = load_scenario(default_scenario())
    # Ratings of many values (the scenario's have two), some equal: a scenario of its own.
    ratings = rng.uniform(rng.root_key(seed, rng.Stream.TEST, np.arange(scn.C)))
    leadership = np.floor(ratings * 6.0) / 4.0
    scn = dataclasses.replace(scn, leadership=leadership, extra={})
    obs = observe(scn, initial_state(scn, 5, 3), seed % 2)
    keys = rng.root_key(seed, rng.Stream.TEST, np.arange(obs.runs))[:, None]

    def draw(salt, shape, p):
        cols = np.arange(int(np.prod(shape[1:])))[None, :]
        return (rng.uniform(rng.derive(keys, salt, cols)) < p).reshape(shape)

    # Commanders of the batch's forces, some taken away in every run: the ranks count only
    # those left.
    commander = np.where(draw(5, obs.commander.shape, 0.5)[:1], obs.commander, -1)
    raised = np.asarray(static(scn).raised_by) >= 0
    obs = dataclasses.replace(
        obs,
        turn=turn,
        known_gone=draw(1, obs.known_gone.shape, 0.3),
        over=draw(2, (obs.runs, 1), 0.3)[:, 0],
        fired=draw(3, obs.fired.shape, 0.5),
        owner=np.where(draw(4, obs.owner.shape, 0.5), obs.owner, 1 - obs.owner).astype(np.int8),
        commander=commander.astype(obs.commander.dtype),
    )
    seen = draw(6, obs.known_gone.shape, 0.2)
    want = _presumed_in_numpy(scn, obs, seen)
    assert np.array_equal(presumed(scn, obs, seen), want)
    able = draw(7, seen.shape, 0.5) & (obs.loc >= 0)
    assert np.array_equal(watched_places(scn, obs, able), _watched_in_numpy(scn, obs, able))
    sit = situation(scn, obs)
    lead = sit.lead
    assert np.array_equal(sit.lead_rank, np.searchsorted(np.unique(lead), lead))
    assert raised.any() and scn.E > 0  # the scenario raises forces by events: drawn above
