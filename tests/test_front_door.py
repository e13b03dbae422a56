"""``import game`` is the front door: every public name resolves, and importing is cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import game


def test_every_public_name_resolves_to_what_it_says():
    for name in game.__all__:
        assert getattr(game, name) is not None, name
    assert game.Game.__module__ == "game.game"
    assert game.run_study.__module__ == "game.study.api"
    assert set(game.__all__) == {"ENGINE_VERSION", "__version__", *game._EXPORTS}


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'Gmae'"):
        _ = game.Gmae


def test_importing_game_loads_nothing_else():
    code = (
        "import sys; before = set(sys.modules); import game; "
        "print(' '.join(sorted(set(sys.modules) - before - {'__future__'})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["game", "game.version"]  # no numpy, no engine, no pygame
