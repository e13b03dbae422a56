"""The talks' turn compiled: checked against the array code it replaced.

:func:`game.engine.phases.peace.negotiate` counts the quiet turns, opens the talks due,
records the suits refused and the talks opened, and moves the talks on, in two compiled
calls; the array code is kept here as the reference and both are run on random wills
(the thresholds themselves included), talks, quiet turns, suits and battles.
"""

from __future__ import annotations

import numpy as np
from engine_helpers import MAIN
from hypothesis import given, settings
from hypothesis import strategies as st_

from game import rng
from game.codes import NONE, TalksCause
from game.engine.context import new_context
from game.engine.orders import Orders
from game.engine.phases.peace import _wills, negotiate, willing_to_negotiate
from game.engine.state import initial_state
from game.scenario.load import load_scenario

SCN = load_scenario(MAIN)


def _reference(scn, st, ctx, orders):
    """The array code :func:`negotiate` was before its kernels."""
    peace = scn.model.victory.peace
    live = ctx.live & ~st.over
    fought = np.zeros(st.runs, bool)
    battles = ctx.rec("battles").table()
    if battles:
        fought[battles["run"]] = True
    st.quiet = np.where(live, np.where(fought, 0, st.quiet + 1), st.quiet).astype(np.int16)
    closed = live & (st.talks < 0)
    weary_side = st.will < peace.talks_will  # [R, S]
    weary = weary_side.all(axis=1)
    collapsed = st.will < peace.collapse_will  # [R, S]
    sued = accepted_suits(scn, st, ctx, orders.sue & closed[:, None], weary_side)
    opening = closed & (weary | collapsed.any(axis=1) | sued.any(axis=1))
    st.talks[opening] = 0
    if opening.any():
        r = np.flatnonzero(opening)
        # the first reason that holds is the one given: a suit, a collapse, weariness
        cause = np.where(
            sued[r].any(axis=1),
            TalksCause.SUED,
            np.where(collapsed[r].any(axis=1), TalksCause.COLLAPSE, TalksCause.WILL),
        )
        side = np.where(
            cause == TalksCause.SUED,
            np.argmax(sued[r], axis=1),
            np.where(cause == TalksCause.COLLAPSE, np.argmin(st.will[r], axis=1), NONE),
        )
        ctx.rec("talks").add(run=r, cause=cause, side=side, event=NONE, **_wills(st, r))
    talking = live & (st.talks >= 0)
    if peace.negotiate_when is not None and talking.any():
        willing = willing_to_negotiate(scn, st, ctx.turn)
        stalled = talking & ~willing
        if stalled.any():
            r = np.flatnonzero(stalled)
            ctx.rec("talks_stalled").add(run=r, done=st.talks[r])
        talking &= willing
    sign = talking & (st.talks >= scn.talks.turns) & (st.quiet >= peace.quiet_turns)
    st.talks[talking & ~sign] += 1
    return sign


def accepted_suits(scn, st, ctx, sue, weary):
    """Return ``[R, S]``: the suits for peace the enemy accepts, and record those it refuses.

    A suit is an offer: talks need two.  The enemy accepts it when it has had enough of
    the war too (its will is below the talks threshold); a side that has not is in no
    hurry to talk, and the war goes on until its will falls or the suitor's collapses.
    """
    accepted = sue & weary[:, ::-1]  # the other side of two
    refused = sue & ~accepted
    if refused.any():
        r, s = np.nonzero(refused)
        ctx.rec("suit_refused").add(run=r, side=s, **_wills(st, r))
    return accepted


@settings(max_examples=80, deadline=None)
@given(seed=st_.integers(0, 2**32), runs=st_.integers(1, 9), turn=st_.integers(0, 60))
def test_the_talks_turn_is_the_array_codes(seed, runs, turn):
    scn = SCN
    peace = scn.model.victory.peace
    key = rng.root_key(seed, rng.Stream.TEST, np.arange(runs))

    def u(salt: int, *shape: int) -> np.ndarray:
        return (
            rng.uniform(
                key.reshape(-1, *([1] * len(shape))),
                salt,
                *(
                    np.arange(n).reshape([1] * i + [n] + [1] * (len(shape) - i - 1))
                    for i, n in enumerate(shape)
                ),
            )
            if shape
            else rng.uniform(key, salt)
        )

    st = initial_state(scn, runs, seed % 1000)
    st.turn = turn
    levels = np.array(
        [peace.talks_will, peace.collapse_will, 0.0, 1.0], np.float32
    )  # the thresholds themselves, where float32 and float64 part
    will = u(1, scn.S).astype(np.float32)
    pick = (u(2, scn.S) * 8).astype(np.int64)
    st.will = np.where(pick < 4, levels[np.minimum(pick, 3)], will).astype(np.float32)
    st.talks = np.where(u(3) < 0.5, -1, (u(4) * 8).astype(np.int16)).astype(np.int16)
    st.quiet = (u(5) * 6).astype(np.int16)
    st.over = u(6) < 0.2
    st.owner = np.where(u(7, scn.P) < 0.5, scn.owner0[None, :], 1 - scn.owner0[None, :]).astype(
        np.int8
    )
    orders = Orders.empty(runs, scn.F, scn.S)
    orders.sue = u(8, scn.S) < 0.4
    battles = np.flatnonzero(u(9) < 0.3)
    states, contexts, signs = [], [], []
    for play in (_reference, negotiate):
        s = st.copy()
        ctx = new_context(scn, s, record_moves=False)
        ctx.live = u(10) < 0.85
        if battles.size:
            ctx.rec("battles").add(run=battles)
        signs.append(play(scn, s, ctx, orders))
        states.append(s)
        contexts.append(ctx)
    assert np.array_equal(signs[0], signs[1]) and signs[1].dtype == np.bool_
    for name in ("quiet", "talks", "will"):
        a, b = getattr(states[0], name), getattr(states[1], name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    for kind in ("suit_refused", "talks", "talks_stalled"):
        a, b = contexts[0].rec(kind).table(), contexts[1].rec(kind).table()
        assert a.keys() == b.keys(), kind
        for col in a:
            assert a[col].dtype == b[col].dtype and np.array_equal(a[col], b[col]), (kind, col)
