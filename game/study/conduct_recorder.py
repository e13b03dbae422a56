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
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from game.codes import ForceStatus
from game.engine.state import CampaignState
from game.play_loop import Columns, Recorder, Turn
from game.scenario.compile import CompiledScenario

F64 = npt.NDArray[np.float64]

RAID_SHARE: Final = 0.2
"""Share of a side's field army below which a battle it fights counts as a raid."""


def field_army(scn: CompiledScenario, st: CampaignState) -> tuple[F64, F64]:
    """Return ``[R, S]``: each side's men on the map, and its men in its largest group.

    A group is the side's forces in one province (a force on the road counts where it
    last stood).
    """
    on_map = (st.status == ForceStatus.ACTIVE) & (st.loc >= 0)
    men = np.where(on_map, st.men, 0).astype(np.float64)
    side = np.asarray(scn.force_side, np.int64)
    R = st.runs
    cell = (np.arange(R)[:, None] * scn.S + side[None, :]) * scn.P + np.maximum(st.loc, 0)
    mass = np.bincount(cell.ravel(), weights=men.ravel(), minlength=R * scn.S * scn.P)
    mass = mass.reshape(R, scn.S, scn.P)
    return mass.sum(axis=2), mass.max(axis=2)


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

    def __call__(self, turn: Turn) -> None:
        """Add the turn's concentration and count its raids, for the runs still at war."""
        scn = self.scn
        live = ~turn.before.over
        field, largest = field_army(scn, turn.after)
        counted = live[:, None] & (field > 0)
        rows = turn.where
        self.share_sum[rows] += np.where(counted, largest / np.maximum(field, 1.0), 0.0)
        self.turns[rows] += counted
        battles = turn.report.table("battles")
        if not battles:
            return
        before, _ = field_army(scn, turn.before)
        r = battles["run"]
        att = battles["attacker"].astype(np.int64)
        for s in range(scn.S):  # a battle is fought by the attacker's side and the other
            fought = (att == s) | (1 - att == s)
            men = np.where(att == s, battles["att_men"], battles["def_men"])
            small = fought & (men < RAID_SHARE * before[r, s])
            np.add.at(self.raids, (rows[r[small]], s), 1)

    def columns(self) -> Columns:
        """Return ``concentration [R, S]`` (NaN for a side never in the field) and ``raids``."""
        with np.errstate(invalid="ignore", divide="ignore"):
            conc = np.where(self.turns > 0, self.share_sum / self.turns, np.nan)
        return {"concentration": conc.astype(np.float32), "raids": self.raids.astype(np.int32)}


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
