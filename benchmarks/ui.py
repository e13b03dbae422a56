"""Speed of the interface: frame time, End Turn with the heuristic AI, and the odds panel.

Usage::

    python benchmarks/ui.py            # a short table
    python benchmarks/ui.py --json     # one JSON object on stdout

Runs headless (SDL's dummy video driver) at 1280x720 on the 1841-42 war: a game as Peru
played five turns in, with a force selected and the pointer moving over the map (so
tooltips, lit destinations and the odds panel are drawn), renders 300 frames and reports
the median and 95th percentile of the time a frame takes (events, update, draw, flip;
not the wait for the next frame).  ``end_turn_ms`` is the median time of End Turn with
the heuristic AI on the other side (after one warm-up turn, which builds the AI's
tables); ``odds_ms`` the median time to compute a fresh odds panel.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import time
from typing import Any

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

from game.ai.base import policy_keys
from game.codes import OrderKind
from game.errors import IllegalOrderError
from game.game import ScenarioSource
from game.paths import default_scenario
from game.ui import ai_levels as pol
from game.ui.app import App
from game.ui.launch import new_session
from game.ui.scenes.campaign import CampaignScene
from game.ui.screenshots import _attack_target

FRAMES = 300


def _p95(xs: list[float]) -> float:
    return sorted(xs)[int(0.95 * (len(xs) - 1))]


def measure(frames: int = FRAMES) -> dict[str, Any]:
    """Return the figures as a dict."""
    os.environ.setdefault("INGAVI_HOME", os.path.join(os.getcwd(), ".bench-ui"))
    app = App((1280, 720), throttle=False)
    s = new_session(ScenarioSource(str(default_scenario())), "peru", "normal", None)
    s.autosave = None
    scene = app.replace(CampaignScene(app, s))
    assert isinstance(scene, CampaignScene)
    app.run(2)
    t0 = time.perf_counter()
    s.resolve()
    first_turn = (time.perf_counter() - t0) * 1000
    turns = []
    hist = {i: pol.make("historical", i, s.scn) for i in s.seats.humans}
    for _ in range(4):
        _historical_orders(s, hist)
        t0 = time.perf_counter()
        s.resolve()
        turns.append((time.perf_counter() - t0) * 1000)
    target = _attack_target(s)
    odds_ms = []
    if target is not None:
        f, p = target
        scene.select(f)
        scene.board.view.focus([int(s.game.state.loc[0, f]), p], pad=1.0)
        for _ in range(5):
            s._preview_cache.clear()
            t0 = time.perf_counter()
            s.preview([f], p)
            odds_ms.append((time.perf_counter() - t0) * 1000)
    else:
        scene.focus_own()
    app.run(5)
    app.frame_ms.clear()
    rect = scene.board.view.rect
    for i in range(frames):
        x = rect.x + (i * 37) % rect.w
        y = rect.y + (i * 23) % rect.h
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(0, 0, 0))
        )
        app.step()
    ms = list(app.frame_ms)
    pygame.display.quit()
    return {
        "frames": len(ms),
        "frame_ms_median": round(statistics.median(ms), 3),
        "frame_ms_p95": round(_p95(ms), 3),
        "end_turn_ms": round(statistics.median(turns), 1),
        "end_turn_first_ms": round(first_turn, 1),
        "odds_ms": round(statistics.median(odds_ms), 1) if odds_ms else None,
        "size": [1280, 720],
    }


def _historical_orders(s: Any, hist: dict[int, Any]) -> None:
    """Give the player's side its historical orders, so that the war moves on."""
    for side, p in hist.items():
        keys = policy_keys(s.game.seed, s.game.state.run_ids, s.game.turn, side)
        d = p.decide(s.scn, s.game.observe(side), keys)
        for f in range(s.scn.F):
            k, t = int(d.orders.kind[0, f]), int(d.orders.target[0, f])
            if k >= 0 and s.scn.force_side[f] == side:
                with contextlib.suppress(IllegalOrderError):
                    s.give(f, OrderKind(k), t if t >= 0 else None)


def main() -> None:
    """Run and print."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--frames", type=int, default=FRAMES, help="frames to render")
    args = ap.parse_args()
    out = measure(args.frames)
    if args.json:
        print(json.dumps(out))
        return
    for k, v in out.items():
        print(f"{k:20s} {v}")


if __name__ == "__main__":
    main()
