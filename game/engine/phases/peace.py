"""Phase 8: war will, peace talks, the treaty, and the end of the war.

A side fights while it has the will to.  Will falls with war weariness, defeats, men lost,
commanders lost (a head of state more: :attr:`WillRules.head_of_state_lost`) and enemy
occupation of home provinces, and rises with victories and conquests (events move it too: a
manifesto, a rising).  When both sides'
will has fallen below the scenario's threshold, when either collapses, or when a side
sues for peace (or an event opens them), talks open; they last as long as the envoys take
to travel between the seats of government and the place of the talks, as often as the
scenario's rule says (or a number of turns the scenario fixes:
:mod:`game.scenario.talks`), counting only the turns in which the scenario's condition for
negotiating holds (a side that sets one, such as the enemy's evacuation of its towns, stalls
the talks until it is met, unless a side's will has collapsed); once a few turns have passed
without battle the treaty is signed.  The outcome is
named by the scenario's rules from who holds what at signing, the same way whichever
side is tested first (see :func:`name_outcome`); the treaty's terms then settle the map: a
status-quo treaty restores every province to its pre-war owner, others leave each with
the side holding it.  A war still
going at the scenario's end date is cut off there and scored as it stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from game.codes import NONE, ForceStatus, TalksCause
from game.engine import jit
from game.engine.context import TurnContext
from game.engine.events import evaluate
from game.engine.forces import field_army
from game.engine.orders import Orders
from game.engine.outcome import home_values, victory_points
from game.engine.phases.alliance import alliance
from game.engine.state import CampaignState
from game.engine.sums import plan_code, tree_sum
from game.scenario.compile import CompiledScenario

if TYPE_CHECKING:
    from game.engine.conditions import Readable

B = npt.NDArray[np.bool_]


def update_will(scn: CompiledScenario, st: CampaignState, ctx: TurnContext) -> None:
    """Move each side's will by the turn's battles, losses, occupations and weariness.

    Every term counts a share of what the side has (docs/rules.md §8), so that the
    rules' sizes mean the same whatever the scale of a scenario's armies and map: a
    battle weighs by the share of the side's field army that fought in it, losses by
    the share of the men it has brought into the war, occupation and conquest by the
    share of a side's home value.  The battles' shares are worked out here (on a turn
    with battles); the rest is one kernel (:func:`_will`).
    """
    battles = ctx.rec("battles").table()
    if battles:
        field = np.maximum(field_army(scn, st) + ctx.lost_men, 1)  # [R, S]
        r, att, win = battles["run"], battles["attacker"].astype(np.int64), battles["winner"]
        decided = win != 0
        winner = np.where(win == 1, att, 1 - att)
        men = np.where(winner == att, battles["att_men"], battles["def_men"])
        won = np.minimum(men / field[r, winner], 1.0)
        men = np.where(winner == att, battles["def_men"], battles["att_men"])
        lost = np.minimum(men / field[r, 1 - winner], 1.0)
        fought = (r[decided].astype(np.int64), winner[decided], won[decided], lost[decided])
    else:
        none = np.zeros(0, np.int64)
        fought = (none, none, np.zeros(0), np.zeros(0))
    leaf, code, n_leaves = plan_code(scn.P)
    st.will = _will(
        ctx.live,
        st.will,
        st.owner,
        np.maximum(st.arrived, 1),
        (ctx.lost_men, ctx.commanders_lost, ctx.heads_of_state_lost, ctx.taken_value),
        fought,
        np.asarray(scn.home, np.bool_),
        np.asarray(scn.value, np.float64),
        home_values(scn),
        _will_rules(scn),
        (leaf, code, n_leaves),
    )


def _will_rules(scn: CompiledScenario) -> npt.NDArray[np.float64]:
    """Return the will's rules as :func:`_will` reads them, worked out once per scenario."""
    if "will_rules" not in scn.extra:
        rules = scn.rules.war_will
        weeks = scn.turn_days / 7.0
        scn.extra["will_rules"] = np.array(
            [
                rules.weariness * weeks,
                rules.battle_won,
                rules.battle_lost,
                rules.army_lost,
                rules.commander_lost,
                rules.head_of_state_lost,
                rules.enemy_home_taken,
                rules.home_held * weeks,
            ]
        )
    return scn.extra["will_rules"]  # type: ignore[no-any-return]


@jit.kernel
def _will(
    live, will, owner, arrived, losses, fought, home, value, home_value, rules, plan
):  # pragma: no cover - compiled
    """Return the sides' will after the turn, in the array code's order of operations.

    Each run and side starts from ``-weariness * weeks``; adds the battles won, then
    subtracts the battles lost, in the order of the battles; subtracts the men, the
    commanders and the heads of state lost; adds the enemy's home taken; subtracts its
    own home held by the enemy, its values summed in numpy's pairwise order
    (:mod:`game.engine.sums`).  The will of a live run is clipped to [0, 1] in float64
    and kept in float32; the others are left as they were.
    """
    lost_men, commanders_lost, heads_lost, taken_value = losses
    runs, winner, won, lost = fought
    weary, battle_won, battle_lost, army_lost, commander_lost, head_lost, taken, held = rules
    leaf, code, n_leaves = plan
    R, S = will.shape
    P = owner.shape[1]
    delta = np.empty((R, S))
    delta[:] = 0.0 - weary
    for i in range(runs.size):
        delta[runs[i], winner[i]] += battle_won * won[i]
    for i in range(runs.size):
        delta[runs[i], 1 - winner[i]] += -battle_lost * lost[i]
    out = will.copy()
    lanes = np.zeros(n_leaves)
    for r in range(R):
        for s in range(S):
            d = delta[r, s]
            d -= army_lost * lost_men[r, s] / arrived[r, s]
            d -= commander_lost * commanders_lost[r, s]
            d -= head_lost * heads_lost[r, s]
            d += taken * taken_value[r, s] / home_value[1 - s]
            lanes[:] = 0.0
            for p in range(P):
                if home[s, p] and owner[r, p] != s:
                    lanes[leaf[p]] += value[p]
            d -= held * (tree_sum(lanes, code) + 0.0) / home_value[s]
            if live[r]:
                out[r, s] = np.float32(min(max(np.float64(will[r, s]) + d, 0.0), 1.0))
    return out


def negotiate(scn: CompiledScenario, st: CampaignState, ctx: TurnContext, orders: Orders) -> B:
    """Open talks where due, advance them, and return the runs that sign a treaty now.

    Talks open where both sides' will is below the talks threshold, where a side's will
    has collapsed, or where a suit for peace is accepted (the enemy has had enough of the
    war too; a suit it refuses is recorded); they then move one turn a turn while the
    scenario's condition for negotiating holds, and a treaty is signed once they have run
    their course and a few turns have passed without battle.  The turn's arithmetic is
    two compiled calls (:func:`_open_talks`, :func:`_advance_talks`); what happened is
    recorded here, on the turns it happens.
    """
    peace = scn.model.victory.peace
    fought = np.zeros(st.runs, bool)
    battles = ctx.rec("battles").table()
    if battles:
        fought[battles["run"]] = True
    live = ctx.live & ~st.over
    st.quiet, opening, sued, refused, collapsed = _open_talks(
        live,
        fought,
        st.quiet,
        st.talks,
        st.will,
        orders.sue,
        np.float32(peace.talks_will),
        np.float32(peace.collapse_will),
    )
    if refused.any():
        r, s = np.nonzero(refused)
        ctx.rec("suit_refused").add(run=r, side=s, **_wills(st, r))
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
    return _advance_talks(  # type: ignore[no-any-return]
        talking, st.talks, st.quiet, int(scn.talks.turns), int(peace.quiet_turns)
    )


@jit.kernel
def _open_talks(live, fought, quiet, talks, will, sue, talks_will, collapse_will):
    """Count the quiet turns and open the talks due; return what :func:`negotiate` records.

    Returns the quiet turns ``[R]`` (a new array), where talks open ``[R]`` (their turn
    count set to 0 in ``talks``), the suits accepted and those refused ``[R, S]`` (suits
    made while talks are closed: accepted where the other side's will is below the talks
    threshold), and where each side's will has collapsed ``[R, S]``.  The thresholds are
    float32, as the will is: the comparisons are those of the array code.
    """
    R, S = will.shape
    out_quiet = np.empty(R, np.int16)
    opening = np.zeros(R, np.bool_)
    accepted = np.zeros((R, S), np.bool_)
    refused = np.zeros((R, S), np.bool_)
    collapsed = np.zeros((R, S), np.bool_)
    for r in range(R):
        if not live[r]:
            out_quiet[r] = quiet[r]
        elif fought[r]:
            out_quiet[r] = 0
        else:
            out_quiet[r] = quiet[r] + np.int16(1)
        weary = True
        collapse = False
        for s in range(S):
            collapsed[r, s] = will[r, s] < collapse_will
            collapse = collapse or collapsed[r, s]
            weary = weary and will[r, s] < talks_will
        closed = live[r] and talks[r] < 0
        suit = False
        for s in range(S):
            if closed and sue[r, s]:
                if will[r, S - 1 - s] < talks_will:  # the other side of two
                    accepted[r, s] = True
                    suit = True
                else:
                    refused[r, s] = True
        if closed and (weary or collapse or suit):
            opening[r] = True
            talks[r] = 0
    return out_quiet, opening, accepted, refused, collapsed


@jit.kernel
def _advance_talks(talking, talks, quiet, turns, quiet_turns):
    """Return where a treaty is signed ``[R]``; move the other talks on a turn, in place.

    A treaty is signed where talks move (``talking``), have run ``turns`` turns and the
    war has been quiet ``quiet_turns`` turns.
    """
    R = talking.size
    sign = np.zeros(R, np.bool_)
    for r in range(R):
        if not talking[r]:
            continue
        if talks[r] >= turns and quiet[r] >= quiet_turns:
            sign[r] = True
        else:
            talks[r] += np.int16(1)
    return sign


def willing_to_negotiate(scn: CompiledScenario, st: CampaignState, turn: int) -> B:
    """Return ``[R]``: the scenario's condition for negotiating lets talks move this turn.

    A side's condition stalls the talks unless that side has collapsed (it then sues on
    any terms); a condition nobody owns is waived by any side's collapse.  One function,
    so that the AI's forecast of the treaty reads the talks exactly as this phase does.
    """
    peace = scn.model.victory.peace
    if peace.negotiate_when is None:
        return np.ones(st.runs, bool)
    collapsed = st.will < peace.collapse_will  # [R, S]
    waived = collapsed.any(axis=1)
    if peace.negotiate_side is not None:
        waived = collapsed[:, scn.side_index[peace.negotiate_side]]
    return evaluate(scn, st, peace.negotiate_when, turn) | waived


def _wills(st: CampaignState, r: npt.NDArray[np.int64]) -> dict[str, npt.NDArray[np.float32]]:
    """Return each side's will in runs ``r`` as columns ``will_0``, ``will_1``, ..."""
    return {f"will_{s}": st.will[r, s] for s in range(st.will.shape[1])}


def name_outcome(scn: CompiledScenario, st: Readable, turn: int) -> npt.NDArray[np.int8]:
    """Return the index of the scenario outcome of each run, judged on who holds what.

    Each side's outcomes are tested in the scenario's order and the first that holds is
    that side's gain; the order of the sides never matters.  One side gains: its outcome.
    Both gain: the mutual outcome, or, if the scenario has none, the gain of the side ahead
    by the winning margin in victory points, else the default.  Neither: the first draw
    outcome with a condition that holds, else the default (the last outcome).
    """
    from game.engine.conditions import holds as held

    whens, sides = _outcome_table(scn)
    out, gain, both = _name(held(scn, st, whens, turn), sides, scn.S)
    if both.any():
        out[both] = _both_gain(scn, st, gain, both, len(scn.outcomes) - 1)
    return out.astype(np.int8)


def _outcome_table(scn: CompiledScenario) -> tuple[tuple[Any, ...], npt.NDArray[np.int64]]:
    """Return the outcomes' conditions and the side each one is a gain for (-1: a draw)."""
    if "outcome_table" not in scn.extra:
        scn.extra["outcome_table"] = (
            tuple(o.when for o in scn.outcomes),
            np.array(
                [NONE if o.winner is None else scn.side_index[o.winner] for o in scn.outcomes],
                np.int64,
            ),
        )
    return scn.extra["outcome_table"]  # type: ignore[no-any-return]


@jit.kernel
def _name(holds, sides, n_sides):  # pragma: no cover - compiled
    """Return each run's outcome, each side's gain (-1: none) and where both sides gain.

    ``holds[r, i]``: outcome i's condition holds in run r.  A side's gain is the first of
    its outcomes that holds; a draw the first draw outcome that holds, else the last
    outcome; one side gaining names its gain; both gaining is left to the caller.
    """
    R, K = holds.shape
    out = np.empty(R, np.int64)
    gain = np.full((R, n_sides), -1, np.int64)
    both = np.zeros(R, np.bool_)
    for r in range(R):
        draw = -1
        last = -1
        for i in range(K):
            if not holds[r, i]:
                continue
            s = sides[i]
            if s < 0:
                if draw < 0:
                    draw = i
            elif gain[r, s] < 0:
                gain[r, s] = i
        out[r] = draw if draw >= 0 else K - 1
        n = 0
        for s in range(n_sides):
            if gain[r, s] >= 0:
                n += 1
                last = gain[r, s]
        if n == 1:
            out[r] = last
        both[r] = n > 1
    return out, gain, both


def _both_gain(
    scn: CompiledScenario,
    st: Readable,
    gain: npt.NDArray[np.int64],
    both: B,
    default: int,
) -> npt.NDArray[np.int64]:
    """Return the outcome of the runs of ``both``, where every side holds a gain."""
    mutual = [i for i, o in enumerate(scn.outcomes) if o.mutual]
    if mutual:
        return np.full(int(both.sum()), mutual[0], np.int64)
    vp = victory_points(scn, st.owner[both])
    lead = vp[:, 0] - vp[:, 1]
    margin = scn.model.victory.margin
    return np.where(
        lead >= margin, gain[both, 0], np.where(-lead >= margin, gain[both, 1], default)
    )


def held_at_end(scn: CompiledScenario, st: CampaignState) -> npt.NDArray[np.int8]:
    """Return who holds each province when the war ends ``[R, P]``.

    A province is held by the side that controls it, except that a side holds an enemy's
    home province only while at least ``rules.control_men`` of its men stand in it: a
    province its occupier has marched out of goes back to its own people (their
    authorities return, as the Peruvian subprefects did in 1842), so an empty town is no
    gain at the peace.
    """
    R, P = st.runs, scn.P
    stand = (st.status == ForceStatus.ACTIVE) & (st.nxt == NONE) & (st.loc >= 0)
    rows = np.broadcast_to(np.arange(R)[:, None], st.loc.shape)
    men = np.zeros((scn.S, R * P), np.int64)
    for s in range(scn.S):
        mine = stand & (scn.force_side == s)[None, :]
        np.add.at(men[s], rows[mine] * P + st.loc[mine], st.men[mine])
    owner = st.owner.astype(np.int64)
    home = scn.home_side.astype(np.int64)[None, :]
    present = np.take_along_axis(men.reshape(scn.S, R, P), owner[None, :, :], axis=0)[0]
    gone = (home >= 0) & (owner != home) & (present < scn.rules.control_men)
    return np.where(gone, home, owner).astype(np.int8)


def end_war(
    scn: CompiledScenario, st: CampaignState, ctx: TurnContext, ending: B, *, truncated: bool
) -> None:
    """End the war in the runs of ``ending``: name the outcome and settle the map."""
    if not ending.any():
        return
    runs = np.flatnonzero(ending)
    judged = st.select(runs)  # the ending runs only, as held at the end
    judged.owner = held_at_end(scn, judged)
    outcome = name_outcome(scn, judged, ctx.turn)
    st.vp[runs] = victory_points(scn, judged.owner).astype(np.float32)
    st.outcome[runs] = outcome
    st.over[ending] = True
    st.truncated[ending] = truncated
    last_day = (scn.end - scn.start).days if truncated else ctx.day0 + scn.turn_days - 1
    st.end_day[ending] = last_day
    if not truncated:
        restore = np.array([o.settles() == "status_quo" for o in scn.outcomes])[
            np.maximum(outcome, 0)
        ]
        st.owner[runs] = np.where(restore[:, None], scn.owner0[None, :], judged.owner)
    ctx.rec("war_end").add(run=runs, outcome=outcome, truncated=truncated, day=last_day)


def peace(scn: CompiledScenario, st: CampaignState, ctx: TurnContext, orders: Orders) -> None:
    """Update will, conduct talks, sign treaties, and cut off wars at the end date."""
    update_will(scn, st, ctx)
    alliance(scn, st, ctx)
    sign = negotiate(scn, st, ctx, orders)
    end_war(scn, st, ctx, sign, truncated=False)
    if ctx.turn >= scn.n_turns - 1:
        end_war(scn, st, ctx, ctx.live & ~st.over, truncated=True)
