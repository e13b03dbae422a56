"""The campaign screen: the map, your forces, orders, odds, and the turn.

Click one of your counters to select it; the towns it may reach light up (red where it
would attack enemies you can see).  Pointing at a lit town shows the route and, for an
attack, the odds panel computed by the real resolver.  A click gives the order; right
click or Escape cancels; Backspace undoes.  Enter ends the turn: the computer moves, the
turn is played, and the results are shown page by page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pygame

from game.codes import NONE, OrderKind
from game.errors import IllegalOrderError
from game.game import TurnRecord
from game.ui import describe
from game.ui.app import App
from game.ui.layout import button_width, log_height, side_width
from game.ui.mapview.board import Board, Marks, counter_info
from game.ui.mapview.counters import CounterInfo
from game.ui.scene import Scene
from game.ui.scenes import campaign_input
from game.ui.scenes import campaign_panel as cp
from game.ui.session import Preview, Session
from game.ui.storage import new_save_path
from game.ui.widgets.button import Button, tooltip_of
from game.ui.widgets.log import LogView
from game.ui.widgets.tooltip import draw_tooltip

TOP_H = 48


def open_campaign(app: App, session: Session, *, autoplay: bool = False) -> CampaignScene:
    """Open a campaign as the only screen: its end if the war is over, else the map.

    A hot-seat game first hides the map until its player is ready; ``autoplay`` starts
    the computer playing on by itself (a game the computer plays on every side).
    """
    scene = CampaignScene(app, session)
    app.replace(scene)
    if session.game.over:
        scene.end_turn()
    elif session.hot_seat:
        from game.ui.scenes.handover import HandoverScene

        app.push(HandoverScene(app, session.scn.side_name(session.viewer)))  # type: ignore[arg-type]
    if autoplay and session.viewer is None and not session.game.over:
        scene.toggle_auto()
    return scene


class CampaignScene(Scene):
    """Plays a campaign: map, side panel, log, top bar."""

    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.board = Board(session.scn, self._map_rect(self.size))
        self.logs: dict[int | None, LogView] = {}
        """One chronicle per player: in a hot-seat game each sees only what their side saw."""
        self.selected: int | None = None
        self.joining = False
        """Set by J: the next click on one of the viewer's forces orders the selected one to join it."""
        self.last_selected: int | None = None
        """The force selected last, from which Tab looks for the next one without orders."""
        self.inspect: int | None = None
        """A province or enemy force shown in the panel when no own force is selected."""
        self.inspect_force: int | None = None
        self.hover_province: int | None = None
        self.preview: Preview | None = None
        self.mouse = (0, 0)
        self.list_scroll = 0
        """First row shown of the panel's list of forces (it scrolls with the wheel)."""
        self.list_rect = pygame.Rect(0, 0, 0, 0)
        self.auto = False
        self.flash: int | None = None
        self.last_save = None
        self._auto_wait = 0.0
        self.buttons: dict[str, Button] = {}
        self._make_buttons()
        self.resize(self.size)
        self._intro()
        self.focus_own()

    def focus_own(self) -> None:
        """Frame the viewer's forces (or the whole theatre when watching)."""
        s = self.session
        st = s.game.state
        own = [
            int(st.loc[0, f])
            for f in s.visible_forces()
            if s.is_own(f) and not s.scn.off_map[int(st.loc[0, f])]
        ]
        if own:
            self.board.view.focus(own, pad=1.2)

    # ------------------------------------------------------------------ layout
    @staticmethod
    def _map_rect(size: tuple[int, int]) -> pygame.Rect:
        w, h = size
        return pygame.Rect(0, TOP_H, w - side_width(w), h - TOP_H - log_height(h))

    def _make_buttons(self) -> None:
        def mk(label: str, fn: Callable[[], None], tip: str) -> Button:
            return Button(pygame.Rect(0, 0, button_width(label, 16), 34), label, fn, tip, size=16)

        self.buttons = {
            "end_turn": mk(
                "End Turn", self.end_turn, "Finish your orders and play the turn (Enter)."
            ),
            "save": mk(
                "Save",
                self.save,
                "Save the game (F5). The game also saves itself after every turn.",
            ),
            "load": mk("Load", self.open_load, "Load a saved game (F9)."),
            "menu": mk(
                "Menu", self.to_menu, "Back to the start screen (the game is autosaved each turn)."
            ),
        }
        if self.session.viewer is None:
            self.buttons["end_turn"] = mk("Next Turn", self.end_turn, "Play one turn (Enter).")
            self.buttons["auto"] = mk(
                "Play", self.toggle_auto, "Let the generals play on by themselves (Space)."
            )
            self.buttons["auto"].rect.w = button_width("Pause", 16)
        else:
            self.buttons["undo"] = mk(
                "Undo", self.undo, "Take back your last order this turn (Backspace)."
            )
            self.buttons["peace"] = mk(
                "Sue for peace",
                self.sue,
                "Ask for peace this turn: talks open at the end of the turn.",
            )
        self.buttons["legend"] = Button(
            pygame.Rect(0, 0, button_width("Legend", 14), 26),
            "Legend",
            self.open_legend,
            "What the map's shading, lines, numbers and counters mean (L).",
            size=14,
        )
        self._end_turn_words = (self.buttons["end_turn"].label, self.buttons["end_turn"].tooltip)

    def resize(self, size: tuple[int, int]) -> None:
        """Lay out the map, panel, log and buttons for the window's size."""
        w, h = size
        self.board.view.set_rect(self._map_rect(size))
        self.log_rect = pygame.Rect(0, h - log_height(h), w - side_width(w), log_height(h))
        for log in self.logs.values():
            log.rect = pygame.Rect(self.log_rect)
        self.panel_rect = pygame.Rect(w - side_width(w), TOP_H, side_width(w), h - TOP_H)
        x = w - 8
        for key in ("menu", "load", "save", "undo", "peace", "auto", "end_turn"):
            if key in self.buttons:
                b = self.buttons[key]
                b.rect.topright = (x, 7)
                x = b.rect.x - 6
        self.title_right = x
        self.buttons["legend"].rect.bottomleft = (8, self.board.view.rect.bottom - 8)

    @property
    def log(self) -> LogView:
        """The chronicle of the side now giving orders."""
        viewer = self.session.viewer
        if viewer not in self.logs:
            log = self.logs[viewer] = LogView(pygame.Rect(self.log_rect))
            scn = self.session.scn
            log.add(f"{scn.model.meta.title}. {scn.model.meta.description}")
            for rec in self.session.game.history:
                for e in self.session.visible_entries(rec, viewer):
                    log.add(describe.entry_line(scn, e), e.kind)
            b = self.session.game.branch
            if isinstance(b, dict) and "turn" in b:
                log.add(
                    f"Here you take command, leaving {b.get('from') or 'the replay'} at turn "
                    f"{int(b['turn']) + 1}; from now on the war is yours.",
                    "event",
                )
        return self.logs[viewer]

    def _intro(self) -> None:
        _ = self.log

    # ------------------------------------------------------------------ actions
    def select(self, force: int | None) -> None:
        """Select one of the viewer's forces (None clears the selection)."""
        self.selected = force if force is not None and self.session.is_own(force) else None
        self.joining = False
        if self.selected is not None:
            self.last_selected = self.selected
        self.preview = None

    def order_to(self, province: int, forced: bool = False) -> bool:
        """Order the selected force to a province; return whether an order was given."""
        if self.selected is None:
            return False
        kind = self.session.natural_order(self.selected, province)
        if kind is None:
            return False
        if forced and kind == OrderKind.MARCH:
            kind = OrderKind.FORCED_MARCH
        self.session.give(self.selected, kind, province)
        self.log.add(
            f"Order: {self.session.scn.force_name(self.selected)} will {describe.order_text(self.session, kind, province)}."
        )
        self.select(None)
        return True

    def start_join(self) -> None:
        """Ready the selected force to join another of the viewer's forces (J).

        Joining is how a player concentrates: the force marches to the other one (or to
        the end of its road) and merges into it, under the better commander.
        """
        if self.selected is None:
            self.log.add("Select a force first, then press J and click the force it should join.")
            return
        self.joining = True
        self.log.add(
            f"{self.session.scn.force_name(self.selected)}: click the force it should join "
            "(on the map or in the panel's list); Esc cancels."
        )

    def join(self, partner: int) -> bool:
        """Order the selected force to join ``partner``; return whether the order was given."""
        force, self.joining = self.selected, False
        if force is None:
            return False
        try:
            self.session.give(force, OrderKind.JOIN, partner)
        except IllegalOrderError as e:
            self.log.add(f"No order: {e}.")
            return False
        self.log.add(
            f"Order: {self.session.scn.force_name(force)} will {describe.order_text(self.session, OrderKind.JOIN, partner)}."
        )
        self.select(None)
        return True

    def order_here(self, kind: OrderKind) -> None:
        """Give the selected force an order without a destination (hold, garrison)."""
        if self.selected is None:
            return
        self.session.give(self.selected, kind, None)
        self.log.add(
            f"Order: {self.session.scn.force_name(self.selected)} will {describe.ORDER_WORDS[kind]}."
        )

    def undo(self) -> None:
        """Take back the last order."""
        if self.session.undo():
            self.log.add("Last order taken back.")
            self.preview = None

    def sue(self) -> None:
        """Ask for peace this turn, once the player has confirmed it."""
        if self.session.viewer is None or self.session.game.over:
            return
        from game.ui.widgets.messagebox import ConfirmBox

        name = self.session.scn.side_name(self.session.viewer)
        self.app.push(
            ConfirmBox(
                self.app,
                "Sue for peace?",
                f"{name} will ask for peace at the end of this turn. Talks open if the enemy "
                "is willing too, or its will is low; while they last the war goes on, and the "
                "treaty is judged on what each side holds when it is signed. Backspace takes "
                "the request back before you end the turn.",
                "Sue for peace",
                self._sue,
            )
        )

    def _sue(self) -> None:
        viewer = self.session.viewer
        assert viewer is not None
        self.session.game.sue_for_peace(viewer)
        self.log.add(f"{self.session.scn.side_name(viewer)} asks for peace.", "peace")

    def toggle_auto(self) -> None:
        """Start or stop the computer playing turn after turn (watch mode)."""
        self.auto = not self.auto
        self._auto_wait = 0.0
        if "auto" in self.buttons:
            self.buttons["auto"].label = "Pause" if self.auto else "Play"

    def end_turn(self) -> None:
        """End the viewer's orders: hand over to the next player or play the turn."""
        if self.session.game.over:
            self._finish()
            return
        self.select(None)
        if self.session.next_seat():
            from game.ui.scenes.handover import HandoverScene

            self.app.push(HandoverScene(self.app, self.session.scn.side_name(self.session.viewer)))  # type: ignore[arg-type]
            return
        self._close_passive_results()
        record = self.session.resolve()
        self.after_turn(record)

    def after_turn(self, record: TurnRecord) -> None:
        """Log the turn and show its results page by page.

        While the computer plays on by itself (Play), the results are shown without
        stopping it, and a turn with nothing to report shows none.
        """
        from game.ui.scenes.results import ResultsScene

        self.select(None)
        s = self.session
        for side in s.seats.humans or (None,):
            log = self.logs.get(side)
            if log is None:
                continue
            seen = s.visible_entries(record, side)
            for e in seen:
                log.add(describe.entry_line(s.scn, e), e.kind)
            if not seen:
                log.add(f"{describe.long_date(s.game.date)}: a quiet week.")
        entries = s.visible_entries(record)
        if self.session.viewer is None:
            for side, notes in record.explanations.items():
                for note in notes[:3]:
                    self.log.add(f"{self.session.scn.side_name(side)}'s staff: {note.text}")
        if self.auto:
            if entries:
                self.app.push(ResultsScene(self.app, self, record, entries, passive=True))
            return
        self.app.push(ResultsScene(self.app, self, record, entries))
        if s.hot_seat:
            from game.ui.scenes.handover import HandoverScene

            # the next player takes the seat before seeing the results of their side
            self.app.push(HandoverScene(self.app, s.scn.side_name(s.viewer)))  # type: ignore[arg-type]

    def _close_passive_results(self) -> None:
        from game.ui.scenes.results import ResultsScene

        top = self.app.top
        if isinstance(top, ResultsScene) and top.passive:
            top.close()
            self.flash = None

    def results_closed(self) -> None:
        """Called by the results screen: end the war if it is over."""
        if self.session.game.over:
            self._finish()

    def _finish(self) -> None:
        """Show the end of the war over the map (which it can go back to)."""
        from game.ui.scenes.endwar import EndScene

        self._close_passive_results()
        if self.auto:
            self.toggle_auto()
        if not isinstance(self.app.top, EndScene):
            self.app.push(EndScene(self.app, self.session))

    def shutdown(self) -> None:
        """Autosave on closing, with the orders given so far this turn."""
        if self.session.autosave is not None and not self.session.game.over:
            self.session.save(self.session.autosave)

    def save(self) -> None:
        """Save to a new file in the saves folder."""
        path = new_save_path(self.session.scn.model.meta.title)
        self.session.save(path)
        self.log.add(f"Game saved as {path.name}.")
        self.last_save = path

    def open_legend(self) -> None:
        """Show the map's legend."""
        from game.ui.widgets.legend import LegendOverlay

        self.app.push(LegendOverlay(self.app, self.session.scn))

    def open_load(self) -> None:
        """Open the load dialog."""
        from game.ui.scenes.loadgame import LoadScene

        self.app.push(LoadScene(self.app, factory=self.session.factory))

    def to_menu(self) -> None:
        """Back to the start screen (the orders given so far are autosaved)."""
        from game.ui.scenes.start import StartScene

        self.shutdown()
        self.app.replace(StartScene(self.app))

    # ------------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> None:
        """Route an event to the buttons, the log, the map or the keys (see campaign_input)."""
        campaign_input.handle(self, event)

    def target_at(self, pos: tuple[int, int]) -> int | None:
        """Return the province the pointer aims at: an enemy counter's, else the town's."""
        return campaign_input.target_at(self, pos)

    def attackers(self, province: int) -> list[int]:
        """Return the selected force and the viewer's others already sent against a province."""
        return self.session.attack_group(province, self.selected)

    # ------------------------------------------------------------------ update and draw
    def update(self, dt: float) -> None:
        """Play on by itself in watch mode, a turn every ``app.pace`` seconds."""
        if self.auto and self._watching():
            self._auto_wait += dt
            if self._auto_wait >= self.app.pace:
                self._auto_wait = 0.0
                self.end_turn()
        over = self.session.game.over
        for key in ("undo", "peace"):
            if key in self.buttons:
                self.buttons[key].enabled = not over
        end = self.buttons["end_turn"]
        end.label, end.tooltip = (
            ("The end", "See how the war ended (Enter).") if over else self._end_turn_words
        )

    def _watching(self) -> bool:
        """Whether nothing but the map (or results that need no answer) is in front."""
        from game.ui.scenes.results import ResultsScene

        top = self.app.top
        return top is self or (isinstance(top, ResultsScene) and top.passive)

    def marks(self) -> Marks:
        """Return the selection, lit destinations, route and orders to draw."""
        s = self.session
        m = Marks(
            selected=self.selected, hover=self.hover_province, orders=s.pending(), flash=self.flash
        )
        if self.selected is not None:
            dests = s.destinations(self.selected)
            m.targets = {p: s.natural_order(self.selected, p) == OrderKind.ATTACK for p in dests}
            if self.hover_province in dests:
                m.route = self._route(self.selected, self.hover_province)  # type: ignore[arg-type]
        return m

    def _route(self, f: int, target: int) -> list[int]:
        st, scn = self.session.game.state, self.session.scn
        here = int(st.nxt[0, f]) if int(st.nxt[0, f]) != NONE else int(st.loc[0, f])
        route = [here]
        while route[-1] != target and len(route) <= scn.P:
            hop = int(scn.next_hop[route[-1], target])
            if hop == NONE:
                break
            route.append(hop)
        return route

    def infos(self) -> list[CounterInfo]:
        """Return the counters the viewer may see."""
        s = self.session
        st = s.game.state
        pend = s.pending()
        return [
            counter_info(
                s.scn, st, f, s.shown_men(f), s.viewer is not None and not s.is_own(f), f in pend
            )
            for f in s.visible_forces()
        ]

    def ghost_infos(self) -> list[tuple[int, CounterInfo]]:
        """Return the faded counters of enemies out of sight, where they were last seen."""
        s = self.session
        st = s.game.state
        return [
            (
                seen.province,
                replace(counter_info(s.scn, st, f, seen.men, True, False), commander=""),
            )
            for f, seen in s.ghosts()
        ]

    def draw(self, surf: pygame.Surface) -> None:
        """Draw the whole screen."""
        st = self.session.game.state
        self.board.draw(surf, st, self.infos(), self.marks(), self.ghost_infos())
        cp.draw_top(self, surf)
        cp.draw_panel(self, surf)
        cp.draw_log(self, surf)
        draw_tooltip(surf, self.mouse, self.tooltip(self.mouse))

    def tooltip(self, pos: tuple[int, int]) -> str:
        """Return the tooltip for whatever lies under the pointer."""
        tip = tooltip_of(list(self.buttons.values()), pos)
        if tip:
            return tip
        for rect, text in getattr(self, "panel_tips", []):
            if rect.collidepoint(pos):
                return str(text)
        if not self.board.view.rect.collidepoint(pos):
            return ""
        return cp.map_tooltip(self, pos)

    @property
    def owner(self) -> np.ndarray:
        """Who holds each province now."""
        return self.session.game.state.owner[0]
