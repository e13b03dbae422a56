"""A worker rebuilds the scenario from the plain data the driver hands over with its chunks.

The data are the checked model's fields (what the driver read and checked), so a worker
need not read, check and compile the files again; they must rebuild to the content hash
the study began with, or the worker reads the files, and refuses to play if those differ.
"""

from __future__ import annotations

import json

import pytest
from engine_helpers import TINY

from game.errors import UsageError
from game.study import spec as study_spec
from game.study.spec import ScenarioRef, load_cached, scenario_data


@pytest.fixture
def fresh(monkeypatch):
    """A worker that has loaded no scenario yet."""
    monkeypatch.setattr(study_spec, "_SCENARIOS", {})


def test_the_data_are_plain_and_rebuild_the_same_scenario_without_its_files(fresh, tmp_path):
    ref = ScenarioRef.of(TINY)
    scn = study_spec.load(ref)
    data = scenario_data(ref, scn.hash)
    assert data is not None
    assert json.loads(json.dumps(data)) == data  # strings, numbers, lists and maps only
    gone = ScenarioRef.of(tmp_path / "moved.yaml")  # no such file: nothing is read
    study_spec._SCENARIOS.clear()
    again = load_cached(gone, scn.hash, data)
    assert again.hash == scn.hash
    assert again.province_ids == scn.province_ids
    assert (again.men0 == scn.men0).all() and (again.dist_days == scn.dist_days).all()
    assert load_cached(gone, scn.hash) is again  # kept for the worker's next chunks


def test_no_data_for_a_scenario_not_loaded_or_of_another_hash(fresh):
    ref = ScenarioRef.of(TINY)
    assert scenario_data(ref, "0" * 64) is None
    scn = study_spec.load(ref)
    assert scenario_data(ref, "0" * 64) is None
    assert scenario_data(ref, scn.hash) is not None


def test_data_of_another_scenario_are_set_aside_for_the_files(fresh):
    ref = ScenarioRef.of(TINY)
    scn = study_spec.load(ref)
    data = scenario_data(ref, scn.hash)
    assert data is not None
    other = json.loads(json.dumps(data))
    other["meta"]["title"] = other["meta"].get("title", "") + " (edited)"
    study_spec._SCENARIOS.clear()
    assert load_cached(ref, scn.hash, other).hash == scn.hash  # read from the file
    study_spec._SCENARIOS.clear()
    broken = {"meta": 7}
    assert load_cached(ref, scn.hash, broken).hash == scn.hash
    study_spec._SCENARIOS.clear()
    with pytest.raises(UsageError, match="differs from the one the study began with"):
        load_cached(ref, "f" * 64, data)  # neither the data nor the file give that hash
