"""The hypothesis profile in force: derandomized on CI, never with a deadline."""

from __future__ import annotations

import os

from hypothesis import settings


def test_the_ci_profile_draws_the_same_examples_every_run():
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.deadline is None


def test_the_profile_in_force_follows_the_environment():
    expected = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    assert settings.default == settings.get_profile(expected)
    assert settings.default.deadline is None
