"""A replay: a campaign played by policies on both sides, stepped forward and back.

No pygame here.  Turns are computed on demand and the state before every turn is kept,
so stepping back is free and stepping forward past what was computed plays one more
turn.  A replay can give back a :class:`~game.game.Game` at any turn it has reached, so a
later screen can hand that exact state to a player ("take command from here").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game.ai.base import Policy
from game.engine.state import CampaignState, initial_state
from game.game import Game, ScenarioSource, TurnRecord
from game.scenario.compile import CompiledScenario


@dataclass
class Replay:
    """Every turn of one campaign, computed as far as it has been watched."""

    game: Game
    policies: dict[int, Policy]
    label: str = ""
    run: int | None = None
    sample_uncertain: bool = False
    """Whether the run's armies were drawn from their ranges (as a study may do)."""
    states: list[CampaignState] = field(default_factory=list)
    records: list[TurnRecord] = field(default_factory=list)
    index: int = 0

    @classmethod
    def start(
        cls,
        scn: CompiledScenario,
        policies: dict[int, Policy],
        seed: int | None = None,
        *,
        run: int | None = None,
        source: ScenarioSource | None = None,
        sample_uncertain: bool = False,
        label: str = "",
    ) -> Replay:
        """Return a replay at the start of the war.

        Args:
            scn: The scenario.
            policies: The policy of each side, by side index.
            seed: The game's seed (the scenario's own by default).
            run: The run id within a study, so its dice are that run's.
            source: How to reload the scenario (kept by games handed on).
            sample_uncertain: Whether the study drew uncertain strengths per run.
            label: A title for the screen.
        """
        s = scn.model.meta.default_seed if seed is None else int(seed)
        state = None
        if run is not None or sample_uncertain:
            state = initial_state(scn, np.array([run or 0]), s, sample_uncertain=sample_uncertain)
        game = Game(scn, s, source=source, state=state)
        return cls(game, policies, label, run, sample_uncertain, [game.state.copy()])

    @property
    def state(self) -> CampaignState:
        """The state shown: before turn ``index``."""
        return self.states[self.index]

    @property
    def record(self) -> TurnRecord | None:
        """The turn that led to the state shown, if any."""
        return self.records[self.index - 1] if self.index > 0 else None

    @property
    def at_end(self) -> bool:
        """Whether the state shown is the end of the war."""
        return self.index == len(self.records) and self.game.over

    def forward(self) -> bool:
        """Step one turn forward (playing it if needed); False at the end of the war."""
        if self.index < len(self.records):
            self.index += 1
            return True
        if self.game.over:
            return False
        rec = self.game.end_turn(self.policies)
        self.records.append(rec)
        self.states.append(self.game.state.copy())
        self.index += 1
        return True

    def back(self) -> bool:
        """Step one turn back; False at the start."""
        if self.index == 0:
            return False
        self.index -= 1
        return True

    def seek(self, index: int) -> None:
        """Go to the state before a given turn (playing on as needed)."""
        index = max(index, 0)
        while self.index < index and self.forward():
            pass
        self.index = min(index, self.index)

    def game_at(self, index: int | None = None) -> Game:
        """Return a game at a turn of this replay (default: the one shown), to play on."""
        i = self.index if index is None else index
        g = self.game
        out = Game(
            g.scenario, g.seed, source=g.source, state=self.states[i].copy(), branch=g.branch
        )
        out.history = list(self.records[:i])
        return out
