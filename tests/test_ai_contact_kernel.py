"""The contact pass's two kernels (contact._touching, contact._stands) are the numpy
formulas they replaced.

Which free forces touch the enemy, who stands with each, each one's chance of holding
and whether it stands or falls back are compared exactly with the array code (written
out here) over random tables drawn from keyed streams; and the group of the men
standing with each force is the group of every place picked at the force's place, as
the pass pooled it before.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.ai.contact import _stands, _touching
from game.ai.draft import pick
from game.ai.features import situation
from game.ai.groups import Group
from game.engine.observe import observe
from game.engine.state import initial_state
from game.play_loop import play_turn
from game.scenario.load import load_scenario
from game.study.policy_names import make_all
from tests.engine_helpers import MAIN, keyed_uniforms


def _touching_in_numpy(free, stands, here, foe_any, mine_at):
    """The forces in contact and who stands with them, as the array code worked them out."""
    rows = np.arange(free.shape[0])
    touching = free & stands & foe_any[rows[:, None], here]
    r, f = np.nonzero(touching)
    ours = (mine_at & free[:, :, None])[r, :, here[r, f]]
    return touching, r, f, ours


def _stands_in_numpy(r, f, held, p_def, p_att, touching, threshold, chief, margin):
    """Each force's chance of holding, and whether it stands, as the array code had them."""
    hold = np.zeros(touching.shape, np.float32)
    hold[r, f] = np.where(held, 1.0 - p_def, p_att)
    need = np.clip(threshold - 0.15, 0.1, 0.9)[:, None]
    need = need + np.where(chief, margin, 0.0)
    stay = touching & (hold >= need)
    leave = touching & ~(hold >= need)
    return hold, stay, leave


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 6),
    forces=st.integers(1, 9),
    places=st.integers(1, 7),
)
def test_the_forces_in_contact_are_the_numpy_formula(seed, runs, forces, places):
    R, F, P = runs, forces, places
    u = keyed_uniforms(seed, R)
    free = u(1, R, F) < 0.7
    stands = u(2, R, F) < 0.7
    here = np.floor(u(3, R, F) * P).astype(np.int64)
    foe_any = u(4, R, P) < 0.5
    # Own forces standing where they are, and stray marks elsewhere (read as given).
    mine_at = (np.arange(P)[None, None, :] == here[:, :, None]) & stands[:, :, None]
    mine_at |= u(5, R, F, P) < 0.1
    got = _touching(free, stands, here, foe_any, mine_at)
    want = _touching_in_numpy(free, stands, here, foe_any, mine_at)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and g.shape == w.shape and np.array_equal(g, w)


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    runs=st.integers(1, 6),
    forces=st.integers(1, 9),
)
def test_standing_in_contact_is_the_numpy_formula(seed, runs, forces):
    R, F = runs, forces
    u = keyed_uniforms(seed, R)
    touching = u(1, R, F) < 0.7
    r, f = np.nonzero(touching)
    n = r.size
    held = (u(2, R, F) < 0.5)[r, f]
    # Chances on a coarse grid of float32: ties of the chance with the need.
    p_def = (np.floor(u(3, R, F) * 20.0) / 20.0).astype(np.float32)[r, f]
    p_att = (np.floor(u(4, R, F) * 20.0) / 20.0).astype(np.float32)[r, f]
    threshold = np.floor(u(5, R, 1)[:, 0] * 30.0) / 20.0 - 0.1  # below, within and above
    chief = u(6, R, F) < 0.3
    margin = 0.15 * (0.5 + 0.5 * float(u(7, R, 1)[0, 0]))
    got = _stands((r, f, held, p_def, p_att), touching, threshold, (chief, margin))
    want = _stands_in_numpy(r, f, held, p_def, p_att, touching, threshold, chief, margin)
    assert n == r.size
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and np.array_equal(g, w)


@pytest.mark.parametrize("seed", [5, 7])
def test_the_men_with_each_force_are_the_group_of_its_place(seed):
    """The group pooled per force is the group of every place, picked at the force's."""
    scn = load_scenario(MAIN)
    policies = make_all(dict.fromkeys(scn.side_ids, "heuristic"), scn, "normal")
    state = initial_state(scn, np.arange(6), seed)
    compared = 0
    for _ in range(12):
        for side in range(scn.S):
            sit = situation(scn, observe(scn, state, side))
            here = np.ascontiguousarray(sit.here, np.int64)
            everywhere = np.ones((sit.runs, scn.P), bool)
            _, r, f, ours = _touching(sit.able, sit.stands, here, everywhere, sit.mine_at)
            if r.size == 0:
                continue
            rt = np.flatnonzero(np.isin(np.arange(sit.runs), r))
            every = sit.group(sit.mine_at[rt] & sit.able[rt, :, None], rows=rt)
            want = pick(every, np.searchsorted(rt, r), here[r, f])
            g = sit.group_of(ours, r)
            for k in Group.__dataclass_fields__:
                assert np.array_equal(getattr(g, k)[:, 0], getattr(want, k)), k
            compared += r.size
        state = play_turn(scn, state, policies).after
    assert compared > 100
