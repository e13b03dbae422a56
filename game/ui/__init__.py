"""The pygame interface (the only package that imports pygame).

Importing this package imports nothing heavy; the entry points load pygame when called:

* :func:`play` opens the start screen, or a campaign straight away;
* :func:`open_replay` opens the replay of a scenario under given policies, seed and run
  (for ``ingavi replay --gui``).
"""

from __future__ import annotations

from typing import Any


def play(*args: Any, **kwargs: Any) -> Any:
    """Open the game window; see :func:`game.ui.main.play`."""
    from game.ui.main import play as _play

    return _play(*args, **kwargs)


def open_replay(*args: Any, **kwargs: Any) -> Any:
    """Open a replay window; see :func:`game.ui.scenes.replay_open.open_replay`."""
    from game.ui.scenes.replay_open import open_replay as _open

    return _open(*args, **kwargs)


__all__ = ["open_replay", "play"]
