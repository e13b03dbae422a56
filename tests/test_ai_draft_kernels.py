"""The draft's kernels give and move what numpy's gathers, scatters and ``add.at`` did."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from game import rng
from game.ai.draft import Draft
from game.codes import OrderKind
from tests.test_ai_odds_kernels import _played_situations


def numpy_assign(kind, target, free, mask, k, t):
    """The numpy formula the assign kernel replaced."""
    k = np.broadcast_to(np.asarray(k), mask.shape)
    t = np.broadcast_to(np.asarray(t), mask.shape)
    kind[mask] = k[mask]
    target[mask] = t[mask]
    free &= ~mask


def numpy_move_men(proj, mask, men, here, dest):
    """The numpy formula the move kernel replaced."""
    r, f = np.nonzero(mask)
    if r.size == 0:
        return
    m = men[r, f]
    np.add.at(proj, (r, here[r, f]), -m)
    np.add.at(proj, (r, dest[r, f] if dest.ndim == 2 else dest[r]), m)


@st.composite
def drafts(draw):
    """A small batch's draft tables, a mask and orders of every shape the passes give."""
    R = draw(st.integers(1, 5))
    F = draw(st.integers(1, 7))
    P = draw(st.integers(1, 6))
    g = _Draws(draw(st.integers(0, 2**32 - 1)))
    mask = g.random((R, F)) < draw(st.sampled_from([0.0, 0.3, 1.0]))
    shape = draw(st.sampled_from(["scalar", "run", "cell", "dest1"]))
    if shape == "scalar":
        k, t = int(OrderKind.MARCH), draw(st.integers(-1, P - 1))
    elif shape == "run":
        k, t = int(OrderKind.ATTACK), g.integers(-1, P, (R, 1))
    else:
        k = np.where(g.random((R, F)) < 0.5, OrderKind.FORCED_MARCH, OrderKind.ATTACK)
        t = g.integers(-1, P, (R, F)).astype(np.int16)
    dest = g.integers(-1, P, R) if shape == "dest1" else g.integers(-1, P, (R, F))
    men = np.floor(g.random((R, F)) * 3000.0)
    here = g.integers(0, P, (R, F))
    proj = np.floor(g.random((R, P)) * 5000.0) + g.random((R, P))
    return mask, k, t, dest, men, here, proj


class _Draws:
    """Test inputs from the ``TEST`` stream, drawn in turn."""

    def __init__(self, seed):
        self.key = rng.root_key(seed, rng.Stream.TEST, [0])[0]
        self.n = 0

    def random(self, shape):
        self.n += 1
        size = int(np.prod(shape))
        return rng.uniform(rng.derive(self.key, self.n, np.arange(size))).reshape(shape)

    def integers(self, lo, hi, shape):
        return lo + np.minimum((self.random(shape) * (hi - lo)).astype(np.int64), hi - lo - 1)


class _Sit:
    def __init__(self, men, here):
        self.men = men
        self.here = here


@settings(max_examples=150, deadline=None)
@given(drafts())
def test_assign_and_move_men_are_the_numpy_formulas(case):
    mask, k, t, dest, men, here, proj = case
    R, F = mask.shape
    want_kind = np.full((R, F), -1, np.int16)
    want_target = np.full((R, F), -1, np.int16)
    want_free = np.ones((R, F), bool)
    numpy_assign(want_kind, want_target, want_free, mask, k, t)
    want_proj = proj.copy()
    numpy_move_men(want_proj, mask, men, here, dest)

    d = Draft.__new__(Draft)
    d.sit = _Sit(men, here)
    d.kind = np.full((R, F), -1, np.int16)
    d.target = np.full((R, F), -1, np.int16)
    d.free = np.ones((R, F), bool)
    d.proj = proj.copy()
    d.assign(mask, k, t)
    d.move_men(mask, dest)
    assert np.array_equal(d.kind, want_kind)
    assert np.array_equal(d.target, want_target)
    assert np.array_equal(d.free, want_free)
    assert np.array_equal(d.proj, want_proj)


def test_move_men_on_played_situations():
    """Every free force marching to a place drawn per run, as numpy moved them."""
    for i, (_, sit) in enumerate(_played_situations(turns=3, runs=6, seed=7)):
        d = Draft.start(sit, notes=False)
        g = _Draws(i)
        mask = d.free & (g.random(d.free.shape) < 0.5)
        dest = g.integers(0, sit.scn.P, sit.runs)
        want = d.proj.copy()
        numpy_move_men(want, mask, sit.men, sit.here, dest)
        d.move_men(mask, dest)
        assert np.array_equal(d.proj, want)
