"""What the scenario format gained for authors of other wars: each new key, end to end.

Every addition is checked for its messages (``FILE:LINE:COL`` with a hint), for leaving
existing scenarios' content hashes alone when unused, and for what it does in the engine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from engine_helpers import MAIN, TINY

from game.errors import ScenarioError
from game.scenario.fitted import fitted_targets
from game.scenario.load import load_model, load_scenario

MAIN_HASH = "bbfba8cf91b40e0fe2eb93d3796bfb97aa517130cef7d1c7aaa8bcec53a755b7"
"""The war's content hash before the format grew: saves and studies of it stay valid."""


def overlay(tmp_path: Path, body: str, name: str = "what_if.yaml") -> Path:
    """Write an overlay of the tiny war next to a copy of it; return its path."""
    if not (tmp_path / "tiny.yaml").exists():
        shutil.copy(TINY, tmp_path / "tiny.yaml")
    path = tmp_path / name
    path.write_text(
        "extends: tiny.yaml\n"
        "overlay: {id: grown@1.0, title: Grown, description: The format grown.}\n" + body,
        encoding="utf-8",
    )
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    return [p.format() for p in err.value.problems]


def test_unused_additions_leave_the_content_hash_alone() -> None:
    assert load_scenario(MAIN).hash == MAIN_HASH


def test_calibrated_to_lists_fitted_values_by_their_set_path(tmp_path: Path) -> None:
    path = overlay(
        tmp_path,
        "sides:\n"
        "  - {id: north, war_will: 0.65, calibrated_to: {war_will: [peace, end_date]}}\n"
        "forces:\n"
        "  - {id: north_army, calibrated_to: {men: [battle_of_dal]}}\n"
        "rules:\n"
        "  war_will: {weariness: 0.005, calibrated_to: {weariness: [end_date]}}\n",
    )
    got = fitted_targets(load_model(path))
    assert got == {
        "peace": ["sides.north.war_will"],
        "end_date": ["sides.north.war_will", "rules.war_will.weariness"],
        "battle_of_dal": ["forces.north_army.men"],
    }
    assert load_scenario(path).hash != load_scenario(TINY).hash  # declared: it is content


def test_calibrated_to_names_real_keys_and_targets(tmp_path: Path) -> None:
    path = overlay(
        tmp_path,
        "sides:\n"
        "  - id: north\n"
        "    calibrated_to: {war_wil: [peace], ai.agression: [outcome], ai.min_odds: [battle_of_dall]}\n",
    )
    found = problems(path)
    assert any(
        ":5:21: error:" in p and "'war_wil' is not a key" in p and "did you mean 'war_will'?" in p
        for p in found
    ), found
    assert any("'ai.agression'" in p and "did you mean 'aggression'?" in p for p in found)
    assert any(
        "unknown fitting target 'battle_of_dall'" in p and "did you mean 'battle_of_dal'?" in p
        for p in found
    )
