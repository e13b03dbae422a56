"""Ingavi: a turn-based operational wargame of the Peruvian-Bolivian War of 1841-42.

The public API: load a scenario, play it through the :class:`Game` facade, or drive the
batched engine directly for studies.
"""

from __future__ import annotations

from game.version import ENGINE_VERSION, __version__

__all__ = ["ENGINE_VERSION", "__version__"]
