"""The versions of the package and of the rules (kept apart so any module may read them)."""

from __future__ import annotations

__version__ = "0.1.0"
ENGINE_VERSION = "1"
"""Bumped whenever a rule change alters results for the same scenario and seed."""
