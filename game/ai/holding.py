"""Keeping a province: the chance men standing there hold it this turn, and what it is worth.

The movement pass weighs every march and every stay by the change it makes to the chance
of keeping the places concerned; the attack pass charges a strike with what its forces
were worth where they stood (:func:`anchors`).  The threats are those of the
:class:`~game.ai.appraisal.Appraisal`: seen enemies in reach, unseen ones where they are
believed to be, and raids on own land from anywhere nobody watches.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.draft import Draft
from game.codes import Posture

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


def keep_chance(
    ap: Appraisal,
    men: F64,
    log_eff: F64,
    lead: F64,
    posture: npt.ArrayLike,
    places: I64 | None = None,
    rows: I64 | None = None,
    need: B | None = None,
) -> tuple[F64, F64]:
    """Return the chance own men standing in each province keep it this turn, and losses.

    ``men`` is ``[K, N, X]`` (K cases evaluated at once) with a posture per case;
    ``log_eff`` and ``lead`` (``[N, X]``) describe the defenders.  N is every run, or
    the runs ``rows`` (``[N]``) only; X is every province, or the places ``places``
    (``[N, X]`` province indices).  Each kind of threat comes with its chance (see
    :mod:`game.ai.appraisal`).  Enemy-held land is kept only with at least
    ``rules.control_men`` men; own land left empty is lost to whoever comes.  Losses
    are the expected share of the men lost.

    With ``need`` (``[K, N, X]``) only the cases the caller reads are worked out (the
    others are left at zero), and of those only the battles that can happen (a threat
    that can come, own men to meet it) are looked up in the odds table: in a big batch
    that is a small share of the grid.  Inputs are gathered by flat index into the
    per-province tables (``[3, runs * provinces]``), the cheapest gather numpy has.
    """
    K, N, X = men.shape
    flat = np.flatnonzero(need) if need is not None else np.arange(K * N * X)
    k, ix = np.divmod(flat, N * X)  # case, and (run, place) within the case
    i, x = np.divmod(ix, X)
    run = i if rows is None else rows[i]
    cell = run * ap.P + (x if places is None else places[i, x])  # [E] into [R * P]
    m = men.reshape(-1)[flat]
    c = ap.chance_flat.take(cell, axis=1)  # [3, E]
    post = np.broadcast_to(np.asarray(posture), (K, N, X))
    present, hold, lost = _threat_battles(ap, m, cell, c, (log_eff, lead), post, (k, i, x))

    def combine(x: F64) -> F64:
        # Seen threats add up; the two guesses about unseen forces overlap, so the worse.
        return x[0] + np.maximum(x[1], x[2])

    enough = m >= ap.sit.scn.rules.control_men
    held = ap.own_held.reshape(-1).take(cell)
    empty = np.where(held, 1.0 - combine(c * present), 0.0)
    keep = np.zeros(K * N * X)
    keep[flat] = np.clip(np.where(enough, 1.0 - combine(c * (1.0 - hold)), empty), 0.0, 1.0)
    loss = np.zeros(K * N * X)
    loss[flat] = combine(c * lost)
    return keep.reshape(K, N, X), loss.reshape(K, N, X)


def _threat_battles(
    ap: Appraisal,
    m: F64,
    cell: I64,
    c: F64,
    defenders: tuple[F64, F64],
    post: npt.NDArray[np.int64],
    where: tuple[I64, I64, I64],
) -> tuple[B, npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Return ``[3, E]``: whether each threat is present, the chance of holding, the losses.

    ``m`` own men and ``cell`` the flat (run, province) of each of E cases; ``c`` the
    chance each threat comes; ``defenders`` the defenders' ln effectiveness and
    leadership (``[N, X]``, or ``[N, 1]``); ``post`` the posture per case ``[K, N, X]``
    and ``where`` each case's (k, n, x) position in it.
    """
    RP = ap.R * ap.P
    k, i, x = where
    log_eff, lead = defenders
    foe_men = ap.threat_men_flat.reshape(3, RP).take(cell, axis=1)  # [3, E]
    present = foe_men > 0
    # The battles that can happen and count: a threat that can come (with some chance:
    # raids from anywhere threaten own land only), and own men to meet it.
    t, e = np.nonzero(present & (m > 0) & (c > 0))
    at = t * RP + cell[e]  # into the flat [3 * R * P] tables
    ie, xe = i[e], x[e]
    ours = (  # men, ln effectiveness and leadership of the defenders
        m[e],
        log_eff[ie, 0 if log_eff.shape[1] == 1 else xe],
        lead[ie, 0 if lead.shape[1] == 1 else xe],
    )
    o = ap.sit.odds_of_push(
        ap.threat_push_flat.take(at),
        foe_men[t, e],
        ours,
        post[k[e], ie, xe],
        fields=("p_win", "def_loss"),
        places=cell[e] % ap.P,
    )
    # The odds are float32; so are hold and lost, as if computed on the whole grid.
    hold = np.where(present, np.float32(0.0), np.float32(1.0))
    hold[t, e] = 1.0 - o.p_win
    lost = np.zeros(present.shape, np.float32)
    lost[t, e] = o.def_loss + o.p_win * 0.1
    return present, hold, lost


def garrison_value(ap: Appraisal, here: I64, held: B, base: F64, mf: F64) -> F64:
    """Return what men ``mf`` joining ``base`` others do to hold down a hostile conquest.

    The share of the rising risk over the next turns (``protect``) that the extra men
    take away, at what the province is worth, times the personality's ``garrison``.
    """
    gneed = ap.garrison_need[here]
    ge = ap.sit.scn.rules.resistance.garrison_effect
    return np.where(
        ap.hostile[here] & held,
        ap.pers.garrison
        * ap.worth[0][here]
        * ap.protect[here]
        * (np.exp(-ge * base / gneed) - np.exp(-ge * (base + mf) / gneed)),
        0.0,
    )


def stay_values(
    ap: Appraisal, mf: F64, base: F64, here: I64, stay_post: npt.ArrayLike, need: B
) -> F64:
    """Return what forces are worth where they stand, ``[R, X]`` (X forces, or one).

    The sum of keeping an outcome's ``forces_in`` men there, holding down a hostile
    conquest against risings, and covering the province against threats, for men
    ``mf`` joining ``base`` others in province ``here``.  Only the values ``need``
    (``[R, X]``) are wanted; the others are left unspecified.
    """
    sit = ap.sit
    at = ap.rows[:, None], here
    keeps, _ = keep_chance(
        ap,
        np.stack([base + mf, base]),
        np.log(np.maximum(sit.eff, 1e-6)),
        sit.lead,
        np.stack([np.take_along_axis(stay_post, here, axis=1), np.full(here.shape, Posture.HASTY)]),
        places=here,
        need=np.broadcast_to(need, (2, *need.shape)),
    )
    worth = ap.worth[at]
    held = ap.own_held[at]
    men_needed = ap.need_men[here]
    crossed = (base + mf >= men_needed) & (base < men_needed)
    v_keep = np.where(held, 0.5 * worth * keeps[0] * crossed, 0.0)
    v_gar = garrison_value(ap, here, held, base, mf)
    open_here = ~ap.foe_any[at]
    v_cov = np.where(open_here, worth * (keeps[0] - keeps[1]), 0.0)
    return v_keep + v_gar + v_cov


def anchors(ap: Appraisal, d: Draft) -> F64:
    """Return ``[R, F]``: what each standing free force is worth where it stands now.

    A strike that takes a force away gives this up (a garrison leaving its conquest,
    the army leaving the town the treaty needs it in), so it is charged to the strike.
    """
    sit = ap.sit
    stands = d.free & sit.stands
    mf = np.where(stands, sit.men, 0.0)
    base = np.maximum(d.proj[ap.rows[:, None], sit.here] - mf, 0.0)
    post = np.where(ap.dug, Posture.PREPARED, Posture.HASTY)
    return np.where(stands, stay_values(ap, mf, base, sit.here, post, stands), 0.0)
