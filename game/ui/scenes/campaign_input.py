"""The campaign screen's input: clicks, keys and the pointer, turned into the scene's actions.

Click one of your counters to select it, a lit town (or the enemy's counter over it) to
order it there, or press J and click another of your forces to have it join that one;
right click or Escape cancels; the keys are listed by the help (F1).
Kept apart from the scene, which holds the state and the actions, as the drawing is
(:mod:`game.ui.scenes.campaign_panel`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.codes import NONE, OrderKind
from game.ui.widgets.button import handle_all

if TYPE_CHECKING:
    from game.ui.scenes.campaign import CampaignScene


def handle(sc: CampaignScene, event: pygame.event.Event) -> None:
    """Route an event to the buttons, the log, the map or the keys."""
    if event.type == pygame.MOUSEMOTION:
        sc.mouse = event.pos
        _hover(sc, event.pos)
    if handle_all(list(sc.buttons.values()), event) or sc.log.handle(event):
        return
    if event.type == pygame.MOUSEWHEEL and sc.list_rect.collidepoint(sc.mouse):
        sc.list_scroll -= event.y
        return
    if event.type == pygame.KEYDOWN and _key(sc, event):
        return
    if (
        event.type == pygame.MOUSEBUTTONUP
        and event.button == 1
        and sc.panel_rect.collidepoint(event.pos)
    ):
        _panel_click(sc, event.pos)
        return
    click = sc.board.view.handle(event)
    if click is not None:
        _click(sc, click.pos, click.button, click.province)


def _key(sc: CampaignScene, event: pygame.event.Event) -> bool:
    k = event.key
    if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
        sc.end_turn()
    elif k == pygame.K_ESCAPE:
        sc.select(None)
        sc.inspect = sc.inspect_force = None
    elif k == pygame.K_BACKSPACE or (k == pygame.K_z and event.mod & pygame.KMOD_CTRL):
        sc.undo()
    elif k == pygame.K_TAB:
        _cycle(sc)
    elif k == pygame.K_h:
        sc.order_here(OrderKind.HOLD)
    elif k == pygame.K_g:
        sc.order_here(OrderKind.GARRISON)
    elif k == pygame.K_j:
        sc.start_join()
    elif k == pygame.K_F5:
        sc.save()
    elif k == pygame.K_F9:
        sc.open_load()
    elif k == pygame.K_l:
        sc.open_legend()
    elif k == pygame.K_SPACE and sc.session.viewer is None:
        sc.toggle_auto()
    else:
        return False
    return True


def _cycle(sc: CampaignScene) -> None:
    """Select the next force without orders after the last one selected (Tab)."""
    own = [f for f in sc.session.visible_forces() if sc.session.is_own(f)]
    if not own:
        return
    start = own.index(sc.last_selected) + 1 if sc.last_selected in own else 0
    ring = own[start:] + own[:start]
    pending = sc.session.pending()
    nxt = next((f for f in ring if f not in pending), ring[0])
    sc.select(nxt)
    sc.board.view.camera.centre_on(
        *map(float, sc.board.art.points[int(sc.session.game.state.loc[0, nxt])])
    )


def target_at(sc: CampaignScene, pos: tuple[int, int]) -> int | None:
    """Return the province the pointer aims at: an enemy counter's, else the town's.

    Counters stand over their towns, so with a force selected a click on an enemy
    counter means "attack there", as a click on the town under it would.
    """
    force = sc.board.force_at(pos)
    if force is not None and not sc.session.is_own(force):
        st = sc.session.game.state
        if int(st.nxt[0, force]) == NONE:
            return int(st.loc[0, force])
    return sc.board.view.province_at(pos)


def _click(sc: CampaignScene, pos: tuple[int, int], button: int, province: int | None) -> None:
    if button == 3:
        sc.select(None)
        sc.inspect = sc.inspect_force = None
        return
    force = sc.board.force_at(pos)
    if sc.joining:
        partner = _join_partner(sc, force)
        if partner is not None:
            sc.join(partner)
            return
        sc.joining = False  # a click elsewhere gives up the join and is taken as it is
        sc.log.add("Join given up.")
    target = target_at(sc, pos)
    if (
        sc.selected is not None
        and target is not None
        and target in sc.session.destinations(sc.selected)
        and (force is None or not sc.session.is_own(force))
    ):
        sc.order_to(target, forced=bool(pygame.key.get_mods() & pygame.KMOD_SHIFT))
        return
    if force is not None:
        if sc.session.is_own(force):
            sc.select(force)
        else:
            sc.select(None)
            sc.inspect_force, sc.inspect = force, None
        return
    if province is not None:
        own_here = [
            f
            for f in sc.session.visible_forces()
            if sc.session.is_own(f) and int(sc.session.game.state.loc[0, f]) == province
        ]
        sc.select(own_here[0] if own_here else None)
        sc.inspect, sc.inspect_force = province, None
        return
    sc.select(None)


def _join_partner(sc: CampaignScene, force: int | None) -> int | None:
    """Return the force a click on ``force``'s counter asks the selected one to join.

    A stack shows one counter: a click on it while the selected force is that counter
    means the stack's largest other force of the same party, the main body to join.
    """
    s = sc.session
    if force is None or not s.is_own(force):
        return None
    if force != sc.selected:
        return force
    st, party = s.game.state, int(s.scn.force_party[force])
    here = int(st.loc[0, force])
    mates = [
        g
        for g in s.visible_forces()
        if g != force
        and s.is_own(g)
        and int(st.loc[0, g]) == here
        and int(s.scn.force_party[g]) == party
    ]
    return max(mates, key=lambda g: int(st.men[0, g]), default=None)


def _panel_click(sc: CampaignScene, pos: tuple[int, int]) -> None:
    for rect, f in getattr(sc, "panel_forces", []):
        if rect.collidepoint(pos):
            if sc.joining and f != sc.selected:
                sc.join(f)
            else:
                sc.select(f)


def _hover(sc: CampaignScene, pos: tuple[int, int]) -> None:
    sc.hover_province = target_at(sc, pos)
    sc.preview = None
    if sc.selected is None or sc.hover_province is None:
        return
    if sc.session.natural_order(sc.selected, sc.hover_province) == OrderKind.ATTACK:
        sc.preview = sc.session.preview(sc.attackers(sc.hover_province), sc.hover_province)
