"""Studies give the same numbers on any backend, worker count and chunk size; a sub-range
gives exactly the rows of the full study; an interrupted study resumes to the same result;
--until-ci stops at the same run whatever the chunking; a paired comparison of a scenario
with itself shows no difference."""

from __future__ import annotations

import json

import numpy as np
import pytest
from engine_helpers import TINY

from game import study
from game.errors import UsageError
from game.study.backends import DaskBackend, LocalBackend
from game.study.result import StudyInterrupted
from game.study.store import Store

POLICIES = {"north": "study_policies:wander", "south": "study_policies:wander"}
RUNS = 48
TIMING = {
    "elapsed_s",
    "runs_per_s",
    "backend",
    "workers",
    "chunk_size",
    "campaigns_played",
    "campaigns_reused",
}


def results_only(summary: dict) -> dict:
    """Drop what describes how a study was played rather than what it found."""
    return {k: v for k, v in summary.items() if k not in TIMING}


def play(**kw):
    args = {"runs": RUNS, "seed": 5, "policies": POLICIES, "sample_uncertain": True}
    args.update(kw)
    return study.run(TINY, **args)


def rows(res) -> dict[str, np.ndarray]:
    tables = list(res.tables())
    return {k: np.concatenate([t[k] for t in tables]) for k in tables[0]}


@pytest.fixture(scope="module")
def reference():
    return play(chunk_size=RUNS)


def test_the_reference_study_is_not_degenerate(reference):
    counts = [o["count"] for o in reference.outcomes.values()]
    assert sum(counts) == RUNS
    assert sum(c > 0 for c in counts) >= 2, "every run ended the same way: a useless test"
    assert len(set(rows(reference)["men_north_army"].tolist())) > 10


@pytest.mark.parametrize("chunk", [3, 7, 20])
def test_chunk_size_never_changes_results(reference, chunk):
    res = play(chunk_size=chunk)
    assert results_only(res.summary) == results_only(reference.summary)
    ref_rows, got = rows(reference), rows(res)
    assert all(np.array_equal(ref_rows[k], got[k]) for k in ref_rows)


def test_process_pool_gives_the_same_results(reference):
    res = play(backend="processes", workers=2, chunk_size=11)
    assert res.summary["backend"] == "processes"
    assert res.summary["workers"] == 2
    assert results_only(res.summary) == results_only(reference.summary)
    assert all(np.array_equal(rows(reference)[k], rows(res)[k]) for k in rows(reference))


def test_dask_cluster_gives_the_same_results(reference):
    pytest.importorskip("dask.distributed")
    backend = DaskBackend(None, 2, processes=False)
    try:
        res = play(backend=backend, chunk_size=9)
    finally:
        backend.close()
    assert res.summary["backend"] == "dask"
    assert results_only(res.summary) == results_only(reference.summary)


def test_dask_scheduler_address_gives_the_same_results(reference):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        res = play(backend="dask", scheduler=cluster.scheduler_address, chunk_size=13)
    assert res.summary["workers"] == 2
    assert results_only(res.summary) == results_only(reference.summary)


def test_workers_get_one_blas_thread_and_local_runs_do_not():
    probe = {"north": "study_policies:single_thread_probe", "south": "study_policies:hold"}
    res = play(runs=4, policies=probe, backend="processes", workers=2, chunk_size=2)
    assert res.runs == 4
    with pytest.raises(UsageError, match="OMP_NUM_THREADS"):
        play(runs=4, policies=probe)


def test_a_sub_range_gives_exactly_the_rows_of_the_full_study(reference):
    part = play(runs=17, first_run=13, chunk_size=5)
    full = rows(reference)
    got = rows(part)
    assert got["run"].tolist() == list(range(13, 30))
    for k in full:
        assert np.array_equal(got[k], full[k][13:30]), k


def test_different_seeds_differ(reference):
    other = play(seed=6, chunk_size=RUNS)
    assert not np.array_equal(rows(other)["killed_north"], rows(reference)["killed_north"])


class InterruptAfter(LocalBackend):
    """Plays some chunks, then behaves as if the user pressed Ctrl-C."""

    def __init__(self, chunks: int) -> None:
        self.left = chunks

    def run(self, tasks):
        for task, cols in super().run(tasks):
            if self.left == 0:
                raise KeyboardInterrupt
            self.left -= 1
            yield task, cols


def test_interrupted_study_resumes_to_the_same_result(tmp_path, reference):
    out = tmp_path / "s"
    with pytest.raises(StudyInterrupted) as exc:
        play(out=out, chunk_size=10, backend=InterruptAfter(3), plots=False)
    partial = json.loads((out / "summary.json").read_text())
    assert partial["complete"] is False
    assert partial["runs"] == 30 == exc.value.result.runs
    assert len(Store(out).ranges("base")) == 3
    with pytest.raises(UsageError, match="--resume"):
        play(out=out, chunk_size=10)
    done = play(out=out, chunk_size=16, resume=True, plots=False)
    assert done.summary["campaigns_reused"] == 30
    assert done.summary["campaigns_played"] == RUNS - 30
    assert results_only(done.summary) | {"command": ""} == results_only(reference.summary) | {
        "command": ""
    }
    assert done.summary["complete"] is True
    csv_rows = (out / "runs.csv").read_text().splitlines()
    assert len(csv_rows) == RUNS + 1


def test_resume_refuses_another_study_and_replays_a_damaged_chunk(tmp_path, reference):
    out = tmp_path / "s"
    play(out=out, chunk_size=16, plots=False)
    with pytest.raises(UsageError, match="seed"):
        play(out=out, seed=99, resume=True)
    first = Store(out).chunk_path("base", 0, 16)
    first.write_bytes(b"not a zip file")
    again = play(out=out, resume=True, plots=False)
    assert again.summary["campaigns_played"] == 16
    assert results_only(again.summary) == results_only(reference.summary)


def test_resume_extends_a_finished_study_with_new_runs_only(tmp_path, reference):
    out = tmp_path / "s"
    play(runs=20, out=out, chunk_size=8, plots=False)
    more = play(out=out, resume=True, chunk_size=8, plots=False)
    assert more.summary["campaigns_reused"] == 20
    assert more.summary["campaigns_played"] == RUNS - 20
    assert results_only(more.summary) == results_only(reference.summary)


def test_until_ci_stops_at_the_same_run_whatever_the_chunking():
    kw = {"runs": 400, "until_ci": 0.12, "ci_every": 20}
    a = play(chunk_size=7, **kw)
    b = play(chunk_size=400, backend="processes", workers=2, **kw)
    assert a.summary["stopped"] == "until_ci"
    assert a.runs == b.runs < 400
    assert results_only(a.summary) == results_only(b.summary)
    widths = [(o["ci95"][1] - o["ci95"][0]) / 2 for o in a.outcomes.values()]
    assert max(widths) < 0.12
    shorter = play(runs=a.runs - 20, chunk_size=a.runs)
    widths = [(o["ci95"][1] - o["ci95"][0]) / 2 for o in shorter.outcomes.values()]
    assert max(widths) >= 0.12, "it should have stopped 20 runs earlier"


def test_a_scenario_compared_with_itself_shows_no_difference():
    res = play(runs=24, vs_sets=["sides.north.war_will=0.7"])
    cmp = res.summary["vs"]["comparison"]
    assert cmp["same_outcome"]["share"] == 1.0
    for o in cmp["outcomes"].values():
        assert o["difference"] == 0.0
        lo, hi = o["ci95_paired"]
        assert lo < 0 < hi
        assert hi - lo < o["ci95_independent"][1] - o["ci95_independent"][0]


def test_paired_comparison_counts_changed_runs():
    res = play(runs=RUNS, vs_sets=["sides.south.war_will=0.95"])
    base, vs = rows(res)["outcome"], rows(res)["vs_outcome"]
    cmp = res.summary["vs"]["comparison"]
    for oid, o in cmp["outcomes"].items():
        assert o["changed_runs"]["to"] == int(((vs == oid) & (base != oid)).sum())
        assert o["changed_runs"]["from"] == int(((base == oid) & (vs != oid)).sum())
        assert o["difference"] == pytest.approx((vs == oid).mean() - (base == oid).mean())
    assert cmp["same_outcome"]["count"] == int((base == vs).sum())
