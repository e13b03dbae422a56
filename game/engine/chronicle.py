"""The chronicle: a turn's array records turned into dated prose for one run.

Large batches keep only arrays; a game with a human (a batch of one) or a replay asks for
the chronicle of the run it shows.  Each entry has a date, a place, a kind, a sentence and
the figures behind it, so the interface can lay it out and tests can check the numbers.
Marches and retreats name their provinces by id in the figures, so that a reader under
fog of war can keep only what its side could have seen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.codes import NONE, Posture, TalksCause
from game.engine.turn import TurnReport
from game.scenario.compile import CompiledScenario

POSTURE_WORDS = {
    Posture.MEETING: "a meeting engagement",
    Posture.HASTY: "a hasty defence",
    Posture.PREPARED: "a prepared position",
    Posture.FORTIFIED: "fortified works",
}


@dataclass(frozen=True)
class Entry:
    """One happening of a turn, for one run."""

    date: dt.date
    kind: str
    text: str
    place: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)


def _rows(table: dict[str, np.ndarray], run: int) -> list[dict[str, Any]]:
    if not table:
        return []
    sel = np.flatnonzero(table["run"] == run)
    return [{k: v[i].item() for k, v in table.items()} for i in sel]


def _n(x: float) -> str:
    return f"{round(x):,}"


class Chronicler:
    """Writes the entries of one run of a report in the scenario's own names."""

    def __init__(self, scn: CompiledScenario, report: TurnReport, run: int = 0) -> None:
        self.scn = scn
        self.report = report
        self.run = run
        self.day0 = report.turn * scn.turn_days

    def date(self, day: int = 0) -> dt.date:
        """Return the date of a day within the reported turn."""
        return self.scn.start + dt.timedelta(days=self.day0 + int(day))

    def side(self, s: int) -> str:
        """Return a side's name."""
        return self.scn.side_name(int(s))

    def prov(self, p: int) -> str:
        """Return a province's name."""
        return self.scn.province_name(int(p))

    def force(self, f: int) -> str:
        """Return a force's name."""
        return self.scn.force_name(int(f))

    def rows(self, name: str) -> list[dict[str, Any]]:
        """Return the rows of a table that belong to this run."""
        return _rows(self.report.table(name), self.run)

    def entries(self) -> list[Entry]:
        """Return every entry of the turn for this run, in date order."""
        out: list[Entry] = []
        out += self._arrivals()
        out += self._events()
        out += self._marches()
        out += self._battles()
        out += self._retreats()
        out += self._control()
        out += self._risings()
        out += self._dispersals()
        out += self._joins()
        out += self._alliance()
        out += self._removed()
        out += self._peace()
        return sorted(out, key=lambda e: e.date)

    def _arrivals(self) -> list[Entry]:
        return [
            Entry(
                self.date(),
                "arrival",
                f"{self.force(r['force'])} ({_n(r['men'])} men) "
                f"arrives at {self.prov(r['province'])}.",
                self.scn.province_ids[r["province"]],
                {
                    "force": self.scn.force_ids[r["force"]],
                    "men": r["men"],
                    "province": self.scn.province_ids[r["province"]],
                },
            )
            for r in self.rows("arrivals")
        ]

    def _events(self) -> list[Entry]:
        out = []
        for r in self.rows("events"):
            ev = self.scn.events[r["event"]]
            when = ev.date if ev.date is not None and ev.when is None else self.date()
            out.append(
                Entry(when, "event", f"{ev.name}. {ev.text}".strip(), None, {"event": ev.id})
            )
        return out

    def _marches(self) -> list[Entry]:
        out = [
            Entry(
                self.date(),
                "march",
                f"{self.force(r['force'])} marches from "
                f"{self.prov(r['origin'])} toward {self.prov(r['dest'])}.",
                self.scn.province_ids[r["origin"]],
                {
                    "force": self.scn.force_ids[r["force"]],
                    "origin": self.scn.province_ids[r["origin"]],
                    "dest": self.scn.province_ids[r["dest"]],
                },
            )
            for r in self.rows("departures")
        ]
        for r in self.rows("arrivals_on_march"):
            if r["done"] or r["contact"]:
                verb = "meets the enemy at" if r["contact"] else "reaches"
                out.append(
                    Entry(
                        self.date(r["day"]),
                        "march",
                        f"{self.force(r['force'])} {verb} {self.prov(r['province'])}.",
                        self.scn.province_ids[r["province"]],
                        {
                            "force": self.scn.force_ids[r["force"]],
                            "province": self.scn.province_ids[r["province"]],
                            "contact": bool(r["contact"]),
                        },
                    )
                )
        return out

    def _commander(self, c: int, fate: int) -> str:
        if c == NONE:
            return ""
        name = self.scn.commander_name(int(c))
        return {1: f" {name} was killed.", 2: f" {name} was taken prisoner."}.get(int(fate), "")

    def _battles(self) -> list[Entry]:
        out = []
        for r in self.rows("battles"):
            att, dfd = int(r["attacker"]), 1 - int(r["attacker"])
            won = {1: self.side(att), -1: self.side(dfd)}.get(int(r["winner"]))
            lead_a = (
                "" if r["att_cmd"] == NONE else f" under {self.scn.commander_name(r['att_cmd'])}"
            )
            lead_d = (
                "" if r["def_cmd"] == NONE else f" under {self.scn.commander_name(r['def_cmd'])}"
            )
            result = f"{won} won" if won else "Neither side gave way (a draw)"
            text = (
                f"Battle at {self.prov(r['province'])}: {self.side(att)} ({_n(r['att_men'])} men{lead_a}) "
                f"attacked {self.side(dfd)} ({_n(r['def_men'])} men{lead_d}) in "
                f"{POSTURE_WORDS[Posture(int(r['posture']))]}. {result} after {r['hours']:.1f} hours. "
                f"{self.side(att)} lost {_n(r['att_killed'])} killed, {_n(r['att_wounded'])} wounded, "
                f"{_n(r['att_captured'])} captured; {self.side(dfd)} lost {_n(r['def_killed'])} killed, "
                f"{_n(r['def_wounded'])} wounded, {_n(r['def_captured'])} captured."
                + self._commander(r["att_cmd"], r["att_cmd_fate"])
                + self._commander(r["def_cmd"], r["def_cmd_fate"])
            )
            figures = {k: v for k, v in r.items() if k != "run"}
            figures["province_id"] = self.scn.province_ids[r["province"]]
            out.append(Entry(self.date(r["day"]), "battle", text, figures["province_id"], figures))
        return out

    def _retreats(self) -> list[Entry]:
        out = [
            Entry(
                self.date(self.scn.turn_days - 1),
                "retreat",
                f"{self.force(r['force'])} falls back "
                f"from {self.prov(r['origin'])} to {self.prov(r['to'])}.",
                self.scn.province_ids[r["to"]],
                {
                    "force": self.scn.force_ids[r["force"]],
                    "origin": self.scn.province_ids[r["origin"]],
                    "to": self.scn.province_ids[r["to"]],
                },
            )
            for r in self.rows("retreats")
        ]
        out += [
            Entry(
                self.date(self.scn.turn_days - 1),
                "surrender",
                f"{self.force(r['force'])}, cut off at {self.prov(r['province'])}, surrenders.",
                self.scn.province_ids[r["province"]],
                {"force": self.scn.force_ids[r["force"]]},
            )
            for r in self.rows("surrenders")
        ]
        return out

    def _control(self) -> list[Entry]:
        out = []
        for r in self.rows("control"):
            p, s = int(r["province"]), int(r["side"])
            verb = "retakes" if self.scn.home_side[p] == s else "occupies"
            out.append(
                Entry(
                    self.date(self.scn.turn_days - 1),
                    "occupation",
                    f"{self.side(s)} {verb} {self.prov(p)}.",
                    self.scn.province_ids[p],
                    {"side": self.scn.side_ids[s]},
                )
            )
        return out

    def _risings(self) -> list[Entry]:
        out = []
        for r in self.rows("risings"):
            s = int(r["side"])
            adj = self.scn.model.sides[s].adjective or self.side(s)
            out.append(
                Entry(
                    self.date(self.scn.turn_days - 1),
                    "rising",
                    f"The people of "
                    f"{self.prov(r['province'])} rise: {_n(r['men'])} {adj} irregulars take up "
                    "arms.",
                    self.scn.province_ids[r["province"]],
                    {"men": r["men"]},
                )
            )
        return out

    def _dispersals(self) -> list[Entry]:
        return [
            Entry(
                self.date(self.scn.turn_days - 1),
                "dispersal",
                f"{self.force(r['force'])} melts away ({_n(r['men'])} men left).",
                None,
                {"force": self.scn.force_ids[r["force"]]},
            )
            for r in self.rows("dispersed")
        ]

    def _joins(self) -> list[Entry]:
        return [
            Entry(
                self.date(r["day"]),
                "join",
                f"{self.force(r['force'])} ({_n(r['men'])} men) joins "
                f"{self.force(r['into'])} at {self.prov(r['province'])}.",
                self.scn.province_ids[r["province"]],
                {
                    "force": self.scn.force_ids[r["force"]],
                    "into": self.scn.force_ids[r["into"]],
                    "men": r["men"],
                },
            )
            for r in self.rows("joins")
        ]

    def _alliance(self) -> list[Entry]:
        out = []
        for r in self.rows("alliance"):
            q = int(r["party"])
            side = self.side(int(self.scn.party_side[q]))
            why = (
                f"its will to fight has fallen to {r['will']:.2f}"
                if r["cause"] == "will"
                else "as events decreed"
            )
            out.append(
                Entry(
                    self.date(self.scn.turn_days - 1),
                    "alliance",
                    f"{self.scn.party_name(q)} leave the war beside {side}: {why}; their "
                    "forces go home.",
                    None,
                    {"party": self.scn.party_ids[q], "will": r["will"], "cause": r["cause"]},
                )
            )
        return out

    def _removed(self) -> list[Entry]:
        words = {
            "executed": "is executed",
            "killed": "is killed",
            "captured": "is taken prisoner",
            "deposed": "is deposed and leaves the war",
        }
        return [
            Entry(
                self.date(),
                "commander",
                f"{self.scn.commander_name(int(r['commander']))} {words[str(r['fate'])]}.",
                None,
                {"commander": self.scn.commander_ids[int(r["commander"])], "fate": r["fate"]},
            )
            for r in self.rows("commanders_removed")
        ]

    def talks_cause(self, r: dict[str, Any]) -> str:
        """Return why talks opened, in words, from a row of the ``talks`` table."""
        cause = TalksCause(int(r["cause"]))
        peace = self.scn.model.victory.peace
        wills = ", ".join(f"{self.side(s)} {r[f'will_{s}']:.2f}" for s in range(self.scn.S))
        if cause == TalksCause.SUED:
            return f"{self.side(r['side'])} sues for peace (will: {wills})"
        if cause == TalksCause.COLLAPSE:
            return (
                f"{self.side(r['side'])}'s will has collapsed below {peace.collapse_will:.2f} "
                f"(will: {wills})"
            )
        if cause == TalksCause.EVENT:
            return f"{self.scn.events[int(r['event'])].name} (will: {wills})"
        return f"every side's will has fallen below {peace.talks_will:.2f} ({wills})"

    def _refusal(self, r: dict[str, Any]) -> Entry:
        """Return the entry of a suit for peace the enemy would not take up."""
        suitor, enemy = int(r["side"]), 1 - int(r["side"])
        will, threshold = r[f"will_{enemy}"], self.scn.model.victory.peace.talks_will
        return Entry(
            self.date(self.scn.turn_days - 1),
            "talks",
            f"{self.side(suitor)} sues for peace; {self.side(enemy)} will not talk yet: its "
            f"will, {will:.2f}, is not below {threshold:.2f}.",
            None,
            {"refused": True, "side": self.scn.side_ids[suitor]},
        )

    def _peace(self) -> list[Entry]:
        peace = self.scn.model.victory.peace
        out = [
            Entry(
                self.date(self.scn.turn_days - 1 if r["cause"] != TalksCause.EVENT else 0),
                "talks",
                f"Peace talks open: {self.talks_cause(r)}.",
                None,
                {
                    "cause": TalksCause(int(r["cause"])).name.lower(),
                    "side": None if r["side"] == NONE else self.scn.side_ids[int(r["side"])],
                    "will": {sid: r[f"will_{s}"] for s, sid in enumerate(self.scn.side_ids)},
                },
            )
            for r in self.rows("talks")
        ]
        out += [
            Entry(
                self.date(self.scn.turn_days - 1),
                "talks",
                "The peace talks stand still: the condition for negotiating does not hold "
                f"({int(r['done'])} of {self.scn.talks.turns} turns of talks done).",
                peace.place,
                {"stalled": True, "done": int(r["done"])},
            )
            for r in self.rows("talks_stalled")
        ]
        out += [self._refusal(r) for r in self.rows("suit_refused")]
        for r in self.rows("war_end"):
            o = self.scn.outcomes[int(r["outcome"])]
            when = self.scn.start + dt.timedelta(days=int(r["day"]))
            if r["truncated"]:
                text = f"The war is cut off at its end date with no treaty: {o.name}."
            else:
                place = (
                    f" at {self.prov(self.scn.province_index[peace.place])}" if peace.place else ""
                )
                text = f"The {peace.treaty_name} is signed{place}: {o.name}."
                if peace.withdrawal_days:
                    text += f" The last occupying troops leave {peace.withdrawal_days} days later."
            out.append(Entry(when, "treaty", text, peace.place, {"outcome": o.id}))
        return out


def chronicle(scn: CompiledScenario, report: TurnReport, run: int = 0) -> list[Entry]:
    """Return the dated entries of one run of a turn's report."""
    return Chronicler(scn, report, run).entries()
