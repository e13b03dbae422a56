"""Ingavi: a turn-based operational wargame of the Peruvian-Bolivian War of 1841-42.

The public API: load a scenario, play it through the :class:`Game` facade, or drive the
batched engine directly for studies.
"""

from __future__ import annotations

__version__ = "0.1.0"
ENGINE_VERSION = "1"
"""Bumped whenever a rule change alters results for the same scenario and seed."""

__all__ = ["ENGINE_VERSION", "__version__"]
