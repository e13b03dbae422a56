"""The movement pass's kernel gives what weighing each force over all its runs gave."""

from __future__ import annotations

import copy

import numpy as np

from game.ai import option_kernels
from game.ai.appraisal import appraise
from game.ai.draft import Draft
from game.ai.movement import main_body_target, move_costs, moves, options
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
