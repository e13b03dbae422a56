"""How a war was fought: whether each side kept its army together, and how it raided.

Two figures per side and run, recorded turn by turn by a play-loop recorder
(:class:`game.play_loop.Recorder`) so that any policy's wars can be compared with the
historical orders' (a study's ``runs.csv``: ``concentration_<side>``, ``raids_<side>``):

* **concentration**: the mean, over the turns the war was fought, of the share of the
  side's field army (its men on the map) standing in its largest force group (its men
  in one province) at the end of the turn.  An army that marches and fights together
  scores near 1; one scattered over the map in equal parts, near 1 / the parts.
* **raids**: the battles the side fought with less than :data:`RAID_SHARE` of its field
  army (its men in the battle against its men on the map when the turn began), as
  attacker or defender: the skirmishes of detachments, garrisons and irregulars, as
  against the battles of armies.

And the same raids, with the battles, counted **by period**, up to the days the scenario's
historical record gives (:func:`periods`): its last engagement (``raids_to_record_<side>``,
``battles_to_record``) and its treaty (``raids_to_treaty_<side>``, ``battles_to_treaty``),
so that wars fought at different paces are compared over the same calendar; and the
record's own engagements counted as raids the same way (``record_raids_<side>``: the
recorded strength of each side against its field army in the war at hand).  A scenario
whose record gives no engagement, or no treaty, has no such columns.

For a side the historical policy plays, its raids also by who fought them
(:class:`UnderOrders`): forces under the recorded orders, under the fallback (the
heuristic), or both (``raids_orders_<side>``, ``raids_to_treaty_fallback_<side>``, ...).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.ai.historical import command
from game.codes import NONE
from game.engine.observe import force_side64, observe
from game.engine.state import CampaignState
from game.play_loop import Columns, Recorder, Turn
from game.scenario.compile import CompiledScenario
from game.scenario.schema import strength_value

F64 = npt.NDArray[np.float64]

RAID_SHARE: Final = 0.2
"""Share of a side's field army below which a battle it fights counts as a raid."""


def field_army(scn: CompiledScenario, st: CampaignState) -> tuple[F64, F64]:
    """Return ``[R, S]``: each side's men on the map, and its men in its largest group.

    A group is the side's forces in one province (a force on the road counts where it
    last stood).  One compiled call (:func:`game.study.conduct_kernels.field_masses`).
    """
    from game.study.conduct_kernels import field_masses

    return field_masses(  # type: ignore[no-any-return]
        st.status, st.loc, st.men, force_side64(scn), scn.S, scn.P
    )


def raids_of(scn: CompiledScenario, battles: Columns, before: F64) -> npt.NDArray[np.bool_]:
    """Return ``[N, S]``: whether each of a turn's battles is a raid for each side.

    ``before`` is each side's field army as the turn began (:func:`field_army`), by row
    of the batch; the battles' ``run`` column indexes it.
    """
    r = battles["run"]
    att = battles["attacker"].astype(np.int64)
    out = np.zeros((r.size, scn.S), bool)
    for s in range(scn.S):  # a battle is fought by the attacker's side and the other
        fought = (att == s) | (1 - att == s)
        men = np.where(att == s, battles["att_men"], battles["def_men"])
        out[:, s] = fought & (men < RAID_SHARE * before[r, s])
    return out


def battle_days(scn: CompiledScenario, turn: Turn, battles: Columns) -> npt.NDArray[np.int64]:
    """Return the day (from the scenario's start) each of a turn's battles was fought."""
    return turn.before.turn * scn.turn_days + battles["day"].astype(np.int64)


PERIODS: Final = ("record", "treaty")
"""The periods raids are also counted over, besides the whole war (see :func:`periods`)."""


def periods(scn: CompiledScenario) -> dict[str, int]:
    """Return the last day (days from the start) of each period the scenario's record gives.

    ``record``: the day of the record's last engagement (its last battle entry of the war,
    not of its prelude); ``treaty``: the day of its first treaty.  A period whose date the
    record does not give is left out, and so are its columns.
    """
    out: dict[str, int] = {}
    days = np.asarray(scn.rec_battle_day, np.int64)
    if days.size:
        out["record"] = int(days.max())
    treaties = [r.date for r in scn.model.history.record if r.kind == "treaty" and not r.prelude]
    if treaties:
        out["treaty"] = (min(treaties) - scn.start).days
    return out


def period_columns(scn: CompiledScenario) -> dict[str, bool]:
    """Return the by-period and record columns :class:`Conduct` gives for a scenario.

    Each name (a key of :meth:`Conduct.columns`) with whether it has a value per side.
    """
    out: dict[str, bool] = {}
    for k in periods(scn):
        out[f"raids_to_{k}"] = True
        out[f"battles_to_{k}"] = False
    if len(scn.rec_battle_ids):
        out["record_raids"] = True
    if (np.asarray(scn.hist_kind) != NONE).any():
        for k in ("", *(f"to_{p}_" for p in periods(scn))):
            for who in WHO:
                out[f"raids_{k}{who}"] = True
    return out


def record_sizes(scn: CompiledScenario) -> tuple[F64, npt.NDArray[np.int64]]:
    """Return ``[E, S]``: the men each side fought each recorded engagement with, and ``[E]``.

    The engagements are the compiled ones (``scn.rec_battle_ids``, in date order); NaN
    where the record gives no strength for a side.  The second array is the turn of each.
    """
    entry = {r.id: r for r in scn.model.history.record}
    men = np.full((len(scn.rec_battle_ids), scn.S), np.nan)
    for e, rid in enumerate(scn.rec_battle_ids):
        for sid, value in entry[rid].strengths.items():
            men[e, scn.side_index[sid]] = strength_value(value)
    turn = np.asarray(scn.rec_battle_day, np.int64) // scn.turn_days
    return men, turn


class Conduct(Recorder):
    """Each side's concentration and raids over a batch of runs (see the module).

    Args:
        scn: The scenario.
        runs: Number of runs in the batch.
    """

    def __init__(self, scn: CompiledScenario, runs: int) -> None:
        self.scn = scn
        self.share_sum = np.zeros((runs, scn.S))
        self.turns = np.zeros((runs, scn.S), np.int64)
        self.raids = np.zeros((runs, scn.S), np.int64)
        self.last_day = periods(scn)
        self.raids_to = {k: np.zeros((runs, scn.S), np.int64) for k in self.last_day}
        self.battles_to = {k: np.zeros(runs, np.int64) for k in self.last_day}
        self.rec_men, self.rec_turn = record_sizes(scn)
        # The field army each recorded engagement is measured against, per run (NaN until
        # its turn is played), and each run's field army as its last turn ended.
        self.rec_field = np.full((runs, self.rec_turn.size, scn.S), np.nan)
        self.last_field = np.zeros((runs, scn.S))

    def __call__(self, turn: Turn) -> None:
        """Add the turn's concentration and count its raids, for the runs still at war."""
        scn = self.scn
        live = ~turn.before.over
        field, largest = field_army(scn, turn.after)
        counted = live[:, None] & (field > 0)
        rows = turn.where
        self.share_sum[rows] += np.where(counted, largest / np.maximum(field, 1.0), 0.0)
        self.turns[rows] += counted
        self.last_field[rows] = field
        now = turn.before.turn
        engaged = np.flatnonzero(self.rec_turn == now)
        battles = turn.report.table("battles")
        if not battles and engaged.size == 0:
            return
        before, _ = field_army(scn, turn.before)
        if engaged.size:
            self.rec_field[np.ix_(rows, engaged)] = before[:, None, :]
        if not battles:
            return
        r = battles["run"]
        day = battle_days(scn, turn, battles)
        within = {k: day <= last for k, last in self.last_day.items()}
        for k, inside in within.items():
            np.add.at(self.battles_to[k], rows[r[inside]], 1)
        raid = raids_of(scn, battles, before)
        for s in range(scn.S):
            np.add.at(self.raids, (rows[r[raid[:, s]]], s), 1)
            for k, inside in within.items():
                np.add.at(self.raids_to[k], (rows[r[raid[:, s] & inside]], s), 1)

    def columns(self) -> Columns:
        """Return ``concentration [R, S]`` (NaN for a side never in the field), ``raids``.

        With them, for each period the record gives (:func:`periods`),
        ``raids_to_<period> [R, S]`` and ``battles_to_<period> [R]``; and when it records
        an engagement, ``record_raids [R, S]``: the recorded engagements a side fought
        with less than :data:`RAID_SHARE` of its field army in the run as the
        engagement's turn began (as its war ended, if it ended before), where the record
        gives the side's strength.
        """
        with np.errstate(invalid="ignore", divide="ignore"):
            conc = np.where(self.turns > 0, self.share_sum / self.turns, np.nan)
        out: Columns = {
            "concentration": conc.astype(np.float32),
            "raids": self.raids.astype(np.int32),
        }
        for k in self.last_day:
            out[f"raids_to_{k}"] = self.raids_to[k].astype(np.int32)
            out[f"battles_to_{k}"] = self.battles_to[k].astype(np.int32)
        if self.rec_turn.size:
            field = np.where(np.isnan(self.rec_field), self.last_field[:, None, :], self.rec_field)
            with np.errstate(invalid="ignore"):
                raid = self.rec_men[None, :, :] < RAID_SHARE * field
            out["record_raids"] = raid.sum(axis=1).astype(np.int32)
        return out


WHO: Final = ("orders", "fallback", "both")
"""Who fought a side's raid under the historical policy: every force of the side in it was
under the recorded orders, every one under the fallback (the heuristic), or both."""


class UnderOrders(Recorder):
    """The raids of the sides the historical policy plays, by who commanded the forces in them.

    Each turn, each force of such a side is labelled as the policy commands it
    (:func:`game.ai.historical.command`): *orders* when it is given its recorded order or
    goes on as history sent it, *fallback* when the heuristic decides for it.  A force on
    the road keeps the label of the order it marches on.  A force that fights before its
    side was ever asked about it (raised during the turn) counts as the orders' if the
    record ever orders it, else as the fallback's.  A raid (as :class:`Conduct` counts
    it) is the orders' when every force of the side in it is, the fallback's when every
    one is, else both's; over the whole war and up to the end of each period the record
    gives (:func:`periods`).  A scenario without recorded orders gives no columns; a
    side the policy does not play gives -1.

    Args:
        scn: The scenario.
        runs: Number of runs in the batch.
        sides: The sides the historical policy plays.
    """

    def __init__(self, scn: CompiledScenario, runs: int, sides: tuple[int, ...]) -> None:
        self.scn = scn
        self.sides = sides
        self.label = np.full((runs, scn.F), NONE, np.int8)
        self.ordered = (np.asarray(scn.hist_kind) != NONE).any(axis=0)  # [F]
        self.last_day = periods(scn)
        self.counts = {k: np.zeros((runs, scn.S, len(WHO)), np.int64) for k in ("", *self.last_day)}

    def __call__(self, turn: Turn) -> None:
        """Label the sides' forces as the policy commands them, and count the turn's raids."""
        if not self.sides:
            return
        scn = self.scn
        rows = turn.where
        marching = turn.before.nxt >= 0
        for s in self.sides:
            c = command(scn, observe(scn, turn.before, s))
            now = np.where(c.follow | c.wait, 0, np.where(c.fallback, 1, NONE))
            label = self.label[rows]
            keep = marching & (label != NONE)
            self.label[rows] = np.where((now != NONE) & ~keep, now, label)
        battles = turn.report.table("battles")
        if not battles:
            return
        before, _ = field_army(scn, turn.before)
        raid = raids_of(scn, battles, before)
        fought = turn.report.table("battle_forces")
        b, f = fought["battle"].astype(np.int64), fought["force"].astype(np.int64)
        r = battles["run"]
        label = self.label[rows[r[b]], f]
        label = np.where(label != NONE, label, np.where(self.ordered[f], 0, 1))
        side = np.asarray(scn.force_side)[f]
        day = battle_days(scn, turn, battles)
        within = {"": np.ones(r.size, bool)}
        within.update({k: day <= last for k, last in self.last_day.items()})
        n = r.size
        for s in self.sides:
            mine = side == s
            orders = np.bincount(b[mine & (label == 0)], minlength=n) > 0
            fallback = np.bincount(b[mine & (label == 1)], minlength=n) > 0
            who = np.where(orders & fallback, 2, np.where(fallback, 1, 0))
            for k, inside in within.items():
                pick = raid[:, s] & inside
                np.add.at(self.counts[k], (rows[r[pick]], s, who[pick]), 1)

    def columns(self) -> Columns:
        """Return ``raids_<who>`` and ``raids_to_<period>_<who>`` ``[R, S]`` (:data:`WHO`)."""
        if not self.ordered.any():
            return {}
        played = np.isin(np.arange(self.scn.S), self.sides)
        out: Columns = {}
        for k, counts in self.counts.items():
            for w, who in enumerate(WHO):
                name = f"raids_to_{k}_{who}" if k else f"raids_{who}"
                out[name] = np.where(played[None, :], counts[:, :, w], NONE).astype(np.int32)
        return out


RAID_KINDS: Final = ("defend_home", "defend_conquest", "attack_town", "other")
"""The kinds of raid :class:`RaidKinds` counts, for one side: defending a place it holds
in its own homeland, defending a place it holds elsewhere (a conquest), attacking a
place the enemy holds, and any other (a meeting on the road, an attack on enemies
standing in a place the side holds)."""


class RaidKinds(Recorder):
    """Each side's raids (as :class:`Conduct` counts them) by kind.

    With them, how many of the raids it defended it fought against twice its men or
    more.  Who held the place is read as the turn began.  Not part of a study's columns: a
    reading of where the raids come from (``docs/ai.md``, raids).

    Args:
        scn: The scenario.
        runs: Number of runs in the batch.
    """

    def __init__(self, scn: CompiledScenario, runs: int) -> None:
        self.scn = scn
        self.kinds = np.zeros((runs, scn.S, len(RAID_KINDS)), np.int64)
        self.outnumbered = np.zeros((runs, scn.S), np.int64)

    def __call__(self, turn: Turn) -> None:
        """Count the turn's raids by kind, for each side."""
        battles = turn.report.table("battles")
        if not battles:
            return
        scn = self.scn
        before, _ = field_army(scn, turn.before)
        r, q = battles["run"], battles["province"]
        att = battles["attacker"].astype(np.int64)
        owner = turn.before.owner[r, q]
        rows = turn.where[r]
        for s in range(scn.S):
            attacks = att == s
            men = np.where(attacks, battles["att_men"], battles["def_men"])
            raid = men < RAID_SHARE * before[r, s]
            home = np.asarray(scn.home[s], bool)[q]
            holds = owner == s
            kind = np.where(
                attacks,
                np.where((owner >= 0) & ~holds, 2, 3),
                np.where(holds, np.where(home, 0, 1), 3),
            )
            np.add.at(self.kinds, (rows[raid], s, kind[raid]), 1)
            outnumbered = raid & ~attacks & (battles["att_men"] >= 2 * battles["def_men"])
            np.add.at(self.outnumbered, (rows[outnumbered], s), 1)

    def columns(self) -> Columns:
        """Return ``raid_kinds [R, S, K]`` (:data:`RAID_KINDS`) and ``raids_outnumbered``."""
        return {"raid_kinds": self.kinds, "raids_outnumbered": self.outnumbered}
