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
from game.ai.odds_table import OddsTable
from game.ai.odds_table import fine_index as odds_table_index
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
_ONE = np.float32(1.0)


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

    For each case wanted: each of the three threats (seen, believed, lurking, from the
    flat ``[3, R * P]`` tables) that can come at men standing there is a battle looked
    up in the odds table, as :meth:`~game.ai.features.Situation.odds_of_push` with the
    threat attacking and the odds in float32, as numpy gives them; seen threats add up,
    and the two guesses about unseen forces overlap, so the worse of them counts.
    """
    K, N, X = men.shape
    RP = own_held.size
    keep = np.zeros((K, N, X))
    loss = np.zeros((K, N, X))
    hold = np.empty(3, np.float32)
    lost = np.empty(3, np.float32)
    c = np.empty(3)
    present = np.empty(3)
    for k in range(K):
        for i in range(N):
            run = i if rows.size == 0 else rows[i]
            for x in range(X):
                if not need[k, i, x]:
                    continue
                place = x if places.size == 0 else places[i, x]
                cell = run * P + place
                m = men[k, i, x]
                log_m = np.log(max(m, 1.0))  # once for the three threats
                le = log_eff[i, 0 if log_eff.shape[1] == 1 else x]
                ld = lead[i, 0 if lead.shape[1] == 1 else x]
                for t in range(3):
                    c[t] = chance[t * RP + cell]
                    foe = threat_men[t * RP + cell]
                    present[t] = 1.0 if foe > 0 else 0.0
                    hold[t] = _ONE if foe <= 0 else np.float32(0.0)
                    lost[t] = np.float32(0.0)
                    if foe > 0 and m > 0 and c[t] > 0:
                        ratio = threat_push[t * RP + cell] - le - theta_lead * ld
                        ratio = ratio - log_posture[post[k, i, x]] - log_terrain[place]
                        log_men = np.log(max(foe, 1.0)) - log_m
                        j = odds_table_index(ratio, log_men, foe + m, cuts)
                        hold[t] = _ONE - p_win[j]
                        lost[t] = def_loss[j] + p_win[j] * _TENTH
                seen = c[0] * present[0] + max(c[1] * present[1], c[2] * present[2])
                empty = 1.0 - seen if own_held[cell] else 0.0
                if m >= control_men:
                    v = 1.0 - (
                        c[0] * (_ONE - hold[0])
                        + max(c[1] * (_ONE - hold[1]), c[2] * (_ONE - hold[2]))
                    )
                else:
                    v = empty
                keep[k, i, x] = min(max(v, 0.0), 1.0)
                loss[k, i, x] = c[0] * lost[0] + max(c[1] * lost[1], c[2] * lost[2])
    return keep, loss


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
        * ap.prize[here]
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
    men_needed = ap.need_men[at]
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
