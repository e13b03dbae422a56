"""Keeping a province: the chance men standing there hold it this turn, and what it is worth.

The movement pass weighs every march and every stay by the change it makes to the chance
of keeping the places concerned; the attack pass charges a strike with what its forces
were worth where they stood (:func:`anchors`).  The threats are those of the
:class:`~game.ai.appraisal.Appraisal`: seen enemies in reach, unseen ones where they are
believed to be, and raids on own land from anywhere nobody watches.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from game.ai.appraisal import Appraisal
from game.ai.army_kernels import maximum
from game.ai.draft import Draft
from game.ai.odds_table import OddsTable, battle_index_logs
from game.ai.tables import odds_table
from game.codes import Posture
from game.engine import jit

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
    ``log_eff`` and ``lead`` (``[N, X]``, or ``[N, 1]``) describe the defenders.  N is
    every run, or the runs ``rows`` (``[N]``) only; X is every province, or the places
    ``places`` (``[N, X]`` province indices).  Each kind of threat comes with its chance
    (see :mod:`game.ai.appraisal`).  Enemy-held land is kept only with at least
    ``rules.control_men`` men; own land left empty is lost to whoever comes.  Losses
    are the expected share of the men lost.

    With ``need`` (``[K, N, X]``) only the cases the caller reads are worked out (the
    others are left at zero), and of those only the battles that can happen (a threat
    that can come, own men to meet it) are looked up in the odds table.  The whole pass
    is one kernel (:func:`_keep_kernel`): the movement pass's kernel asks it once per force
    (:mod:`game.ai.option_kernels`).
    """
    _, N, X = men.shape
    keep, loss = _keep_kernel(
        np.ascontiguousarray(men, np.float64),
        np.ones(men.shape, np.bool_) if need is None else _contiguous(need, np.bool_, men.shape),
        _contiguous(posture, np.int64, men.shape),
        np.zeros(0, np.int64) if rows is None else np.asarray(rows, np.int64),
        np.zeros((0, 0), np.int64) if places is None else _contiguous(places, np.int64, (N, X)),
        np.ascontiguousarray(log_eff, np.float64),
        np.ascontiguousarray(lead, np.float64),
        ap.P,
        *keep_tables(ap),
    )
    return keep, loss


def keep_tables(ap: Appraisal) -> tuple:  # type: ignore[type-arg]
    """Return the tables :func:`_keep_kernel` reads after its cases: threats, odds, rules."""
    sit = ap.sit
    table = odds_table(sit.scn)
    return (
        ap.threat_men_flat,
        ap.threat_push_flat,
        ap.chance_flat.reshape(-1),
        ap.own_held.reshape(-1),
        float(sit.scn.rules.control_men),
        float(sit.scn.rules.combat.theta_leadership),
        sit.st.log_posture,
        sit.st.log_terrain,
        table.fine[_P_WIN],
        table.fine[_DEF_LOSS],
        table.size_cuts,
    )


_P_WIN = OddsTable.FIELDS.index("p_win")
_DEF_LOSS = OddsTable.FIELDS.index("def_loss")
_TENTH = np.float32(0.1)
_HASTY = int(Posture.HASTY)
_PREPARED = int(Posture.PREPARED)
_ONE = np.float32(1.0)
_ZERO = np.float32(0.0)


def _contiguous(x: npt.ArrayLike, dtype: type, shape: tuple[int, ...]) -> npt.NDArray[np.generic]:
    """Return ``x`` broadcast to ``shape``, as one contiguous array of ``dtype``."""
    a = np.asarray(x, dtype)
    if a.shape != shape:
        a = np.broadcast_to(a, shape)
    return np.ascontiguousarray(a)


@jit.kernel
def _keep_kernel(
    men,
    need,
    post,
    rows,
    places,
    log_eff,
    lead,
    P,
    threat_men,
    threat_push,
    chance,
    own_held,
    control_men,
    theta_lead,
    log_posture,
    log_terrain,
    p_win,
    def_loss,
    cuts,
):
    """Return the keep chances and losses of :func:`keep_chance` (``[K, N, X]`` each).

    For each case wanted, :func:`keep_at` with the place's threats read once for all
    its cases (:func:`threats_at`).
    """
    K, N, X = men.shape
    threat_t = (threat_men, threat_push, chance, own_held)
    odds_t = (control_men, (theta_lead, log_posture, log_terrain, cuts), p_win, def_loss)
    keep = np.zeros((K, N, X))
    loss = np.zeros((K, N, X))
    for i in range(N):
        run = i if rows.size == 0 else rows[i]
        for x in range(X):
            wanted = False
            for k in range(K):
                wanted = wanted or need[k, i, x]
            if not wanted:
                continue
            place = x if places.size == 0 else places[i, x]
            th = threats_at(run * P + place, threat_t)
            le = log_eff[i, 0 if log_eff.shape[1] == 1 else x]
            ld = lead[i, 0 if lead.shape[1] == 1 else x]
            for k in range(K):
                if need[k, i, x]:
                    keep[k, i, x], loss[k, i, x] = keep_at(
                        men[k, i, x], post[k, i, x], place, th, le, ld, odds_t
                    )
    return keep, loss


@jit.inline_kernel
def threats_at(cell, threat_t):
    """Return the three threats at one place of one run, as :func:`keep_at` reads them.

    ``cell`` is ``run * P + place`` in the flat ``[3, R * P]`` tables of ``threat_t``
    (the threats' men, their push and their chance, and the places the side holds).
    For each threat (seen, believed, lurking) its chance, men, push and ln of its men
    (the last two only where it has men and a chance, else zero), then the chance the
    place is lost to whoever comes if left empty: the same for every case asked there.
    """
    threat_men, threat_push, chance, own_held = threat_t
    RP = own_held.size
    c0, c1, c2 = chance[cell], chance[RP + cell], chance[2 * RP + cell]
    f0, f1, f2 = threat_men[cell], threat_men[RP + cell], threat_men[2 * RP + cell]
    u0 = threat_push[cell] if f0 > 0 and c0 > 0 else 0.0
    u1 = threat_push[RP + cell] if f1 > 0 and c1 > 0 else 0.0
    u2 = threat_push[2 * RP + cell] if f2 > 0 and c2 > 0 else 0.0
    g0 = np.log(max(f0, 1.0)) if f0 > 0 and c0 > 0 else 0.0
    g1 = np.log(max(f1, 1.0)) if f1 > 0 and c1 > 0 else 0.0
    g2 = np.log(max(f2, 1.0)) if f2 > 0 and c2 > 0 else 0.0
    p0 = 1.0 if f0 > 0 else 0.0
    p1 = 1.0 if f1 > 0 else 0.0
    p2 = 1.0 if f2 > 0 else 0.0
    seen = c0 * p0 + max(c1 * p1, c2 * p2)
    empty = 1.0 - seen if own_held[cell] else 0.0
    return (c0, c1, c2, f0, f1, f2, u0, u1, u2, g0, g1, g2, empty)


@jit.inline_kernel
def keep_at(m, posture, place, th, log_eff, lead, odds_t):
    """Return the chance ``m`` men in ``posture`` keep a place this turn, and their losses.

    ``th`` are the place's threats (:func:`threats_at`), ``log_eff`` and ``lead`` the
    defenders'; ``odds_t`` the men that control a place, the odds' terms
    (:func:`~game.ai.odds_table.battle_index_logs`) and the table's chance of winning
    and defender's losses.  Each threat that can come at men standing there is a battle
    looked up in the odds table with the threat attacking and the odds in float32, as
    numpy gives them; seen threats add up, and the two guesses about unseen forces
    overlap, so the worse of them counts.  Of scalars and the odds' tables only, so a
    kernel can ask it place by place.
    """
    c0, c1, c2, f0, f1, f2, u0, u1, u2, g0, g1, g2, empty = th
    control_men, terms, p_win, def_loss = odds_t
    fights = m > 0 and ((f0 > 0 and c0 > 0) or (f1 > 0 and c1 > 0) or (f2 > 0 and c2 > 0))
    log_m = np.log(max(m, 1.0)) if fights else 0.0  # once for the three threats
    dfd = (m, log_m, log_eff, lead, posture, place)
    table = (terms, p_win, def_loss)
    h0, l0 = _battle(c0, f0, u0, g0, dfd, table)
    h1, l1 = _battle(c1, f1, u1, g1, dfd, table)
    h2, l2 = _battle(c2, f2, u2, g2, dfd, table)
    if m >= control_men:
        v = 1.0 - (c0 * (_ONE - h0) + max(c1 * (_ONE - h1), c2 * (_ONE - h2)))
    else:
        v = empty
    return min(max(v, 0.0), 1.0), c0 * l0 + max(c1 * l1, c2 * l2)


@jit.inline_kernel
def _battle(c, foe, push, log_foe, dfd, table):
    """Return the chance defenders hold against one threat, and the share they lose (float32).

    ``dfd`` are the defenders' men, their ln (at least 1), ln effectiveness, leadership,
    posture and place; ``table`` the odds' terms and the table's fields.
    """
    m, log_m, log_eff, lead, posture, place = dfd
    terms, p_win, def_loss = table
    if foe > 0 and m > 0 and c > 0:
        j = battle_index_logs(push, foe, m, log_foe, log_m, log_eff, lead, posture, place, terms)
        return _ONE - p_win[j], def_loss[j] + p_win[j] * _TENTH
    return (_ONE if foe <= 0 else _ZERO), _ZERO


@jit.kernel
def garrison_one(hostile, held, gneed, prize, protect, base, mf, ge, weight):
    """Return what men ``mf`` joining ``base`` others do to hold down a hostile conquest.

    In one place of one run (``hostile``: its people resist the side; ``held``: the
    side holds it): the share of the rising risk over the next turns (``protect``) that
    the extra men take away, against the men it needs held down (``gneed``), at what
    the province is worth (``prize``), times the personality's ``garrison``
    (``weight``); ``ge`` is the rules' garrison effect.  Of scalars only, which the
    caller reads from its ``[P]`` tables: the kernels call it once per force and run,
    and an array passed to a call is counted in and out of use every time.
    """
    if not (hostile and held):
        return 0.0
    return (
        weight * prize * protect * (np.exp(-ge * base / gneed) - np.exp(-ge * (base + mf) / gneed))
    )


def anchors(ap: Appraisal, d: Draft) -> F64:
    """Return ``[R, F]``: what each standing free force is worth where it stands now.

    A strike that takes a force away gives this up (a garrison leaving its conquest,
    the army leaving the town the treaty needs it in), so it is charged to the strike:
    the sum of keeping an outcome's ``forces_in`` men there, holding down a hostile
    conquest against risings (:func:`garrison_one`), and covering the province against
    threats (:func:`keep_chance`'s kernel, with the force and without it).  One kernel
    (:func:`_anchor_kernel`).
    """
    sit = ap.sit
    return _anchor_kernel(  # type: ignore[no-any-return]
        np.ascontiguousarray(d.free & sit.stands),
        (
            sit.men,
            np.ascontiguousarray(sit.here, np.int64),
            sit.eff,
            np.ascontiguousarray(sit.lead, np.float64),
        ),
        d.proj,
        (ap.dug, ap.worth, ap.own_held, ap.need_men, ap.foe_any),
        (ap.garrison_need, ap.hostile, ap.prize, ap.protect),
        (float(sit.scn.rules.resistance.garrison_effect), float(ap.pers.garrison)),
        ap.P,
        keep_tables(ap),
    )


@jit.kernel
def _anchor_kernel(stands, force_t, proj, place_t, garrison_t, gar_scal, P, keep_t):
    """Return :func:`anchors`, force by force, in the order of operations numpy had.

    The ln effectiveness of a standing force (floored at 1e-6) is taken here, of the
    forces that stand alone, not of every slot in every run.
    """
    men, here_t, eff, lead = force_t
    dug, worth_t, own_held, need_men, foe_any = place_t
    ge, weight = gar_scal
    gneed, hostile, prize, protect = garrison_t
    R, F = stands.shape
    n = 0
    for r in range(R):
        for f in range(F):
            n += stands[r, f]
    cases = np.empty((2, n, 1))
    post = np.full((2, n, 1), _HASTY, np.int64)
    rows = np.empty(n, np.int64)
    places = np.empty((n, 1), np.int64)
    le = np.empty((n, 1))
    ld = np.empty((n, 1))
    base = np.empty(n)
    k = 0
    for r in range(R):
        for f in range(F):
            if not stands[r, f]:
                continue
            here = here_t[r, f]
            base[k] = max(proj[r, here] - men[r, f], 0.0)
            cases[0, k, 0] = base[k] + men[r, f]
            cases[1, k, 0] = base[k]
            if dug[r, here]:
                post[0, k, 0] = _PREPARED
            rows[k] = r
            places[k, 0] = here
            le[k, 0] = math.log(maximum(eff[r, f], 1e-6))
            ld[k, 0] = lead[r, f]
            k += 1
    need = np.ones((2, n, 1), np.bool_)
    keep, _ = _keep_kernel(cases, need, post, rows, places, le, ld, P, *keep_t)
    out = np.zeros((R, F))
    k = 0
    for r in range(R):
        for f in range(F):
            if not stands[r, f]:
                continue
            here = here_t[r, f]
            mf, b = men[r, f], base[k]
            worth = worth_t[r, here]
            held = own_held[r, here]
            crossed = b + mf >= need_men[r, here] and b < need_men[r, here]
            v_keep = 0.5 * worth * keep[0, k, 0] * (1.0 if crossed else 0.0) if held else 0.0
            v_gar = garrison_one(
                hostile[here], held, gneed[here], prize[here], protect[here], b, mf, ge, weight
            )
            v_cov = 0.0 if foe_any[r, here] else worth * (keep[0, k, 0] - keep[1, k, 0])
            out[r, f] = v_keep + v_gar + v_cov
            k += 1
    return out
