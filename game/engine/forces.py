"""Helpers on forces shared by several phases: presence, arrivals, risings, dispersal."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.codes import NONE, CommanderState, ForceStatus
from game.engine.context import TurnContext
from game.engine.state import CampaignState
from game.scenario.compile import CompiledScenario

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def pairs(mask: B) -> tuple[I64, I64]:
    """Return the (row, column) positions where a 2-D mask is set, as ``np.nonzero`` does.

    The same positions in the same order, found through the flat index, which is several
    times faster than ``np.nonzero`` on the ``[R, F]`` and ``[R, P]`` masks of a batch.
    """
    idx = np.flatnonzero(mask)
    row = idx // mask.shape[1]
    return row, idx - row * mask.shape[1]


def contested(pres: I64) -> B:
    """Return ``[R, P]``: where every side has men, from a :func:`presence` array."""
    out = pres[:, :, 0] > 0
    for s in range(1, pres.shape[2]):
        out &= pres[:, :, s] > 0
    return out


def standing(st: CampaignState) -> B:
    """Return ``[R, F]``: forces on the map and inside a province (not on the road)."""
    return (st.status == ForceStatus.ACTIVE) & (st.nxt == NONE)


def presence(scn: CompiledScenario, st: CampaignState, mask: B | None = None) -> I64:
    """Return men of each side standing in each province ``[R, P, S]``.

    One compiled pass over the force slots (:mod:`game.engine.tally`).
    """
    from game.engine import tally

    return tally.presence(  # type: ignore[no-any-return]
        standing(st) if mask is None else mask,
        st.loc,
        st.men,
        _sides(scn),
        scn.P,
        scn.S,
    )


def _sides(scn: CompiledScenario) -> I64:
    """Return each force slot's side as int64, once per scenario."""
    if "force_side_i64" not in scn.extra:
        scn.extra["force_side_i64"] = np.ascontiguousarray(scn.force_side, np.int64)
    return scn.extra["force_side_i64"]  # type: ignore[no-any-return]


def activate(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, mask: B, force: int, province: int
) -> None:
    """Bring a waiting force onto the map at a province in the runs of ``mask``."""
    m = mask & ctx.live & (st.status[:, force] == ForceStatus.WAITING)
    if not m.any():
        return
    st.status[m, force] = ForceStatus.ACTIVE
    st.loc[m, force] = province
    st.nxt[m, force] = NONE
    st.dest[m, force] = NONE
    st.progress[m, force] = 0.0
    st.cohesion[m, force] = 1.0
    st.dug_in[m, force] = 0
    c = scn.commander0[force]
    if c != NONE:
        ok = st.cmd_state[:, c] == CommanderState.ACTIVE
        st.commander[m, force] = np.where(ok[m], c, NONE)
    side = scn.force_side[force]
    st.arrived[m, side] += st.men[m, force]
    ctx.rec("arrivals").add(
        run=np.flatnonzero(m), force=force, province=province, men=st.men[m, force], day=0
    )


def raise_irregulars(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    mask: B,
    side: int,
    province: int,
    men: npt.ArrayLike,
    cause: str,
) -> None:
    """Add irregulars of ``side`` in ``province`` (the rising slot) in the runs of ``mask``.

    A slot that is waiting or gone comes (back) onto the map with the new men; one already
    standing there grows; one that has marched away is left alone (this rising fizzles).
    """
    r = np.flatnonzero(mask)
    men = np.broadcast_to(np.asarray(men, np.int64), mask.shape)[r]
    raise_many(scn, st, ctx, r, np.full(r.size, province), np.full(r.size, side), men, cause)


def raise_many(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    r: I64,
    province: I64,
    side: I64,
    men: I64,
    cause: str,
) -> None:
    """Raise irregulars in many (run, province) pairs at once, as :func:`raise_irregulars`.

    Pairs must be distinct and come sorted by province, then run: the order the risings
    are recorded in, as one call per province would.  Each (side, province) has its own
    rising slot, so the pairs never touch the same force of a run twice.
    """
    f = scn.rising_slot[side, province].astype(np.int64)
    ok = (f != NONE) & ctx.live[r] & (men > 0)
    r, province, side, men, f = r[ok], province[ok], side[ok], men[ok], f[ok]
    active = st.status[r, f] == ForceStatus.ACTIVE
    fresh = ~active
    here = active & (st.loc[r, f] == province) & (st.nxt[r, f] == NONE)
    take = fresh | here
    if not take.any():
        return
    rf, ff, pf = r[fresh], f[fresh], province[fresh]
    st.men[rf, ff] = 0
    st.status[rf, ff] = ForceStatus.ACTIVE
    st.loc[rf, ff] = pf
    st.nxt[rf, ff] = NONE
    st.dest[rf, ff] = NONE
    st.progress[rf, ff] = 0.0
    st.cohesion[rf, ff] = 1.0
    st.dug_in[rf, ff] = 0
    st.commander[rf, ff] = NONE
    r, province, side, men, f = r[take], province[take], side[take], men[take], f[take]
    st.men[r, f] += men.astype(np.int32)
    np.add.at(st.arrived, (r, side), men.astype(np.int32))
    ctx.rec("risings").add(run=r, side=side, province=province, men=men, cause=cause)


def disperse_small(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Disperse forces below the minimum size; their men count as deserted."""
    small = (st.status == ForceStatus.ACTIVE) & (st.men < scn.rules.min_force) & ctx.live[:, None]
    if not small.any():
        return
    r, f = pairs(small)
    np.add.at(st.deserted, (r, scn.force_side[f]), st.men[r, f])
    ctx.rec("dispersed").add(run=r, force=f, province=st.loc[r, f], men=st.men[r, f])
    st.men[r, f] = 0
    st.status[r, f] = ForceStatus.GONE
    st.dest[r, f] = NONE
    st.nxt[r, f] = NONE
    st.commander[r, f] = NONE


def lose_men(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, lost: npt.ArrayLike, bucket: str
) -> None:
    """Remove ``lost[R, F]`` men from forces and add them to a loss counter by side."""
    r, f = pairs(np.asarray(lost) != 0)
    take_men(scn, st, ctx, r, f, np.asarray(lost)[r, f], bucket)


def take_men(
    scn: CompiledScenario,
    st: CampaignState,
    ctx: TurnContext,
    r: npt.NDArray[np.intp],
    f: npt.NDArray[np.intp],
    lost: npt.ArrayLike,
    bucket: str,
) -> None:
    """Remove ``lost`` men from the forces at the distinct pairs ``(r, f)``, as :func:`lose_men`.

    Phases whose losses fall on a few (run, force) pairs pass just those, so that no
    ``[R, F]`` array is built; only active forces of live runs lose men, and never more
    than they have.  Losses other than desertion also count toward the turn's men lost.
    """
    slot = r * scn.F + f
    men = np.take(st.men, slot)
    lost = np.minimum(np.asarray(lost, np.int64), men).astype(np.int32)
    lost = np.where((np.take(st.status, slot) == ForceStatus.ACTIVE) & ctx.live[r], lost, 0)
    np.put(st.men, slot, men - lost)
    by_side = np.bincount(
        r * scn.S + scn.force_side[f], weights=lost, minlength=st.runs * scn.S
    ).reshape(st.runs, scn.S)
    counter = getattr(st, bucket)
    counter += by_side.astype(np.int64)
    if bucket != "deserted":
        ctx.lost_men += by_side.astype(np.int64)


def field_army(scn: CompiledScenario, st: CampaignState) -> npt.NDArray[np.int64]:
    """Return ``[R, S]``: the men of each side on the map now (on the road or standing)."""
    on_map = np.where(st.status == ForceStatus.ACTIVE, st.men, 0).astype(np.int64)
    side = np.asarray(scn.force_side, np.int64)
    return np.stack([on_map[:, side == s].sum(axis=1) for s in range(scn.S)], axis=1)
