"""``ingavi play`` without a display says so and exits 2, instead of playing unseen forever.

SDL falls back to an invisible "offscreen" driver when it finds no display; the window
would then run with no one able to see or close it.  Only a driver asked for explicitly
with ``SDL_VIDEODRIVER`` (``dummy`` in tests and screenshots) is accepted without a display.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pygame
import pytest

from game.cli import main
from game.commands import play_command

NO_DISPLAY = ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR")


@pytest.mark.skipif(sys.platform != "linux", reason="a display is always found elsewhere")
def test_play_with_no_display_says_so_and_exits_2(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in NO_DISPLAY}
    env["INGAVI_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "game", "play"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # the old behaviour: it never returned
        check=False,
    )
    assert done.returncode == 2
    ours = [ln for ln in done.stderr.splitlines() if ln.startswith("ingavi play:")]
    assert len(ours) == 1 and "no display found" in ours[0]
    assert "Traceback" not in done.stderr


def test_an_offscreen_driver_chosen_by_sdl_is_refused(monkeypatch, capsys) -> None:
    monkeypatch.delenv("SDL_VIDEODRIVER", raising=False)
    monkeypatch.setattr(pygame.display, "init", lambda: None)
    monkeypatch.setattr(pygame.display, "get_driver", lambda: "offscreen")
    assert main(["play"]) == 2
    assert "no display found" in capsys.readouterr().err


def test_a_driver_asked_for_is_trusted(monkeypatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    play_command.check_display()  # no error: tests and screenshots run this way
    pygame.display.quit()


def test_a_driver_asked_for_that_cannot_start_is_one_line(monkeypatch, capsys) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "no_such_driver")

    def fail() -> None:
        raise pygame.error("no_such_driver not available")

    monkeypatch.setattr(pygame.display, "init", fail)
    assert main(["play"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "ingavi play: error: SDL_VIDEODRIVER=no_such_driver: the display cannot start "
        "(no_such_driver not available)"
    ]
