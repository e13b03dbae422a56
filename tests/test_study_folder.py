"""Study folders: one writer at a time, chunks of one study only, and nothing run from them.

Two studies told to write one ``--out`` used to mix their rows silently, and ``replay
--study`` imported whatever ``module:factory`` a folder's ``summary.json`` named.  Here a
study holding the folder's lock (in another process) refuses the second study with its
owner named; a lock left by a killed study is reported and taken over; a resumed study
refuses any chunk that is not its own; plans are lazy and their limits are checked; and a
study folder from a stranger is read as data only.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pytest

from game import study
from game.cli import main
from game.errors import UsageError
from game.files import unique_temporary
from game.rng import RUN_LIMIT
from game.study.driver import Options
from game.study.lock import LOCK_FILE, StaleLockWarning
from game.study.plan import plan

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "scenarios" / "examples" / "tiny.yaml"
SMALL = {"runs": 40, "chunk_size": 20, "plots": False}

HOLDER = """
import sys
from pathlib import Path
from game.study.lock import hold
with hold(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def held_elsewhere(folder: Path) -> Iterator[int]:
    """Hold a study folder's lock in another process until the block ends; yield its pid."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc.pid
    finally:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        proc.wait(timeout=120)
        proc.stdout.close()


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


def study_args(out: Path, *more: str) -> list[str]:
    runs = ["--runs", "40", "--chunk-size", "20"]
    return ["study", str(TINY), *runs, "--out", str(out), "--quiet", "--no-plots", *more]


# --------------------------------------------------------------------------- the lock


def test_a_folder_being_written_is_refused_naming_its_owner(tmp_path, capsys) -> None:
    out = tmp_path / "E"
    with held_elsewhere(out) as pid:
        assert main(study_args(out, "--seed", "6")) == 2
    line = one_line(capsys)
    assert f"is being written by another study (pid {pid} on " in line
    assert "another --out" in line
    assert not (out / "study.json").exists() and not (out / "chunks").exists()
    assert (out / LOCK_FILE).read_bytes() == b"", "a released lock holds no owner"


def test_a_stale_lock_is_reported_and_taken_over(tmp_path) -> None:
    out = tmp_path / "S"
    out.mkdir()
    dead = {"pid": 999_999, "host": "elsewhere", "since": "1841-11-18T10:00:00+00:00"}
    (out / LOCK_FILE).write_text(json.dumps(dead), encoding="utf-8")
    with pytest.warns(StaleLockWarning, match=r"stale lock .*\(pid 999999 on elsewhere"):
        res = study.run(TINY, out=out, **SMALL)
    assert res.runs == 40
    assert (out / LOCK_FILE).read_bytes() == b""


def test_the_stale_lock_warning_is_one_line_on_the_command_line(tmp_path, capsys) -> None:
    out = tmp_path / "S"
    out.mkdir()
    (out / LOCK_FILE).write_text('{"pid": 4, "host": "h", "since": "x"}', encoding="utf-8")
    assert main(study_args(out, "--json")) == 0
    assert one_line(capsys).startswith(f"ingavi study: warning: {out}: found a stale lock")


def test_the_lock_is_reentrant_in_one_process(tmp_path) -> None:
    from game.study.lock import hold

    with hold(tmp_path / "R"), hold(tmp_path / "R"):
        pass
    with held_elsewhere(tmp_path / "R"):
        pass  # released: another process could take it


# --------------------------------------------------------------------------- chunks


def test_chunk_temporaries_are_unique_and_leftovers_are_removed(tmp_path) -> None:
    target = tmp_path / "000000000000-000000000020.npz"
    fds = [unique_temporary(target) for _ in range(2)]
    assert fds[0][1] != fds[1][1]
    for fd, _ in fds:
        os.close(fd)
    out = tmp_path / "T"
    study.run(TINY, out=out, **SMALL)
    arm = out / "chunks" / "base"
    left = arm / ".000000000000-000000000020.npz.123.abcd.tmp"
    left.write_bytes(b"half a chunk")
    study.run(TINY, out=out, resume=True, **SMALL)
    assert not left.exists()
    assert not [f for f in arm.iterdir() if f.name.endswith(".tmp")]


def test_resume_refuses_a_chunk_of_another_study(tmp_path, capsys) -> None:
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    study.run(TINY, out=mine, seed=5, **SMALL)
    study.run(TINY, out=theirs, seed=6, **SMALL)
    name = "000000000020-000000000040.npz"
    shutil.copy(theirs / "chunks" / "base" / name, mine / "chunks" / "base" / name)
    assert main(study_args(mine, "--seed", "5", "--resume")) == 2
    line = one_line(capsys)
    assert name in line and "belongs to another study" in line and "--overwrite" in line
    assert (mine / "chunks" / "base" / name).exists(), "the evidence is not deleted"
    assert main(study_args(mine, "--seed", "5", "--overwrite")) == 0


def test_a_chunk_moved_to_another_arm_is_refused(tmp_path) -> None:
    out = tmp_path / "vs"
    study.run(TINY, out=out, vs_sets=["sides.north.war_will=0.5"], **SMALL)
    name = "000000000000-000000000020.npz"
    shutil.copy(out / "chunks" / "vs" / name, out / "chunks" / "base" / name)
    with pytest.raises(UsageError, match="belongs to another study"):
        study.run(TINY, out=out, vs_sets=["sides.north.war_will=0.5"], resume=True, **SMALL)


def test_a_folder_of_an_earlier_version_is_not_resumed(tmp_path, capsys) -> None:
    out = tmp_path / "old"
    (out / "chunks" / "base").mkdir(parents=True)
    (out / "study.json").write_text('{"format": 1, "fingerprint": "x", "spec": {}}')
    assert main(study_args(out, "--resume")) == 2
    assert "an earlier Ingavi" in one_line(capsys)


def test_a_damaged_manifest_is_one_line(tmp_path, capsys) -> None:
    out = tmp_path / "bad"
    out.mkdir()
    (out / "study.json").write_text("[" * 100_000)
    assert main(study_args(out, "--resume")) == 2
    assert "unreadable study manifest" in one_line(capsys)


# --------------------------------------------------------------------------- plans and limits


def test_plans_are_lazy() -> None:
    ranges = plan(0, RUN_LIMIT, 1)
    assert list(islice(ranges, 3)) == [(0, 1), (1, 2), (2, 3)]
    aligned = plan(
        RUN_LIMIT - 10**9, 10**9, 256, align=1000, existing=[(RUN_LIMIT - 10, RUN_LIMIT)]
    )
    assert next(aligned) == (RUN_LIMIT - 10**9, RUN_LIMIT - 10**9 + 256)


def test_a_trillion_runs_play_lazily_until_precise_enough(tmp_path) -> None:
    res = study.run(TINY, runs=RUN_LIMIT, until_ci=0.45, ci_every=40, chunk_size=40, plots=False)
    assert res.played.stopped == "until_ci" and res.runs == 40


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", str(RUN_LIMIT + 1)], "goes past the last run id"),
        (["--first-run", "9223372036854775807", "--runs", "10"], "goes past the last run id"),
        (["--first-run", "-1"], "--first-run must be 0 or more"),
        (["--runs", "0"], "--runs must be at least 1"),
        (["--chunk-size", "1000000000"], "--chunk-size must be between 1 and 10,000"),
        (["--workers", "1000000", "--backend", "processes"], "--workers must be between 1"),
        (["--seed", str(2**70)], "--seed must be between 0 and 2**63-1"),
    ],
)
def test_study_limits_are_one_line(tmp_path, capsys, args, message) -> None:
    out = tmp_path / "L"
    argv = ["study", str(TINY), "--out", str(out), "--quiet", "--no-plots", *args]
    assert main(argv) == 2
    assert message in one_line(capsys)
    assert not out.exists(), "nothing is created for options that are refused"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--first-run", "9223372036854775807", "--runs", "5"], "goes past the last run id"),
        (["--runs", "100000000"], "plays at most 10,000,000 runs"),
    ],
)
def test_fidelity_limits_are_one_line(capsys, args, message) -> None:
    assert main(["fidelity", str(TINY), "--json", *args]) == 2
    assert message in one_line(capsys)


def test_options_accept_the_last_run_id() -> None:
    Options(runs=1, first_run=RUN_LIMIT - 1).check()
    Options(runs=RUN_LIMIT).check()
    with pytest.raises(UsageError):
        Options(runs=2, first_run=RUN_LIMIT - 1).check()


# --------------------------------------------------------------------------- from strangers


def fake_summary(folder: Path, **over: object) -> Path:
    from game.scenario.load import load_scenario

    summary: dict[str, object] = {
        "scenario": {
            "path": str(TINY),
            "overlays": [],
            "sets": [],
            "hash": load_scenario(TINY).hash,
        },
        "seed": 11,
        "policies": {"north": "heuristic", "south": "heuristic"},
        "difficulty": "normal",
        "sample_uncertain": False,
        "first_run": 0,
        "runs": 10,
    }
    summary.update(over)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return folder


def test_a_study_folder_never_imports_code(tmp_path, monkeypatch, capsys) -> None:
    mark = tmp_path / "ran"
    (tmp_path / "ingavi_payload_x.py").write_text(
        f"from pathlib import Path\nPath({str(mark)!r}).write_text('ran')\nmake = None\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    folder = fake_summary(tmp_path / "evil", policies={"north": "ingavi_payload_x:make"})
    assert main(["replay", "--study", str(folder), "--run", "0", "--json"]) == 2
    line = one_line(capsys)
    assert "not a policy of the registry" in line
    assert "--policy north=ingavi_payload_x:make" in line
    assert not mark.exists() and "ingavi_payload_x" not in sys.modules
    # Naming the code on one's own command line is trusting it: then it is imported.
    args = [
        "replay",
        "--study",
        str(folder),
        "--run",
        "0",
        "--policy",
        "north=ingavi_payload_x:make",
    ]
    assert main(args) == 2
    assert "has no callable 'make'" in one_line(capsys)
    assert mark.exists()
    sys.modules.pop("ingavi_payload_x", None)


def test_a_command_line_factory_is_recorded_but_never_replayed_from_the_folder(
    tmp_path, capsys
) -> None:
    out = tmp_path / "rec"
    code = "game.history.record_policies:recorded"
    argv = [*study_args(out, "--policy", f"north={code}", "--json")]
    assert main(argv) == 0
    capsys.readouterr()
    assert json.loads((out / "summary.json").read_text())["policies"]["north"] == code
    assert main(["replay", "--study", str(out), "--run", "3", "--json"]) == 2
    assert f"--policy north={code}" in one_line(capsys)
    assert (
        main(["replay", "--study", str(out), "--run", "3", "--json", "--policy", f"north={code}"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["run"] == 3
    assert main(["replay", "--study", str(out), "--run", "3", "--policy", "north=random"]) == 2
    assert "would not give its run" in one_line(capsys)


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"seed": True}, "seed: input should be a valid integer"),
        ({"seed": 2**70}, "seed: input should be less than"),
        ({"seed": "11"}, "seed: input should be a valid integer"),
        ({"runs": "10"}, "runs: input should be a valid integer"),
        ({"first_run": 10**13}, "first_run: input should be less than"),
        ({"policies": {"north": 5}}, "policies.north: input should be a valid string"),
        ({"scenario": {"path": "."}}, "scenario.path '.': it is a directory"),
        ({"scenario": {"path": "nowhere.yaml"}}, "scenario.path 'nowhere.yaml': no such file"),
    ],
)
def test_hostile_summaries_are_one_line(tmp_path, capsys, over, message) -> None:
    folder = fake_summary(tmp_path / "s", **over)
    assert main(["replay", "--study", str(folder), "--run", "0", "--json"]) == 2
    assert message in one_line(capsys)


def test_a_summary_naming_a_private_file_never_quotes_it(tmp_path, capsys) -> None:
    secret = tmp_path / "id_secret"
    secret.write_text("correct horse battery staple\n")
    folder = fake_summary(tmp_path / "s", scenario={"path": str(secret)})
    assert main(["replay", "--study", str(folder), "--run", "0"]) == 2
    line = one_line(capsys)
    assert "it is not a scenario or overlay" in line and "horse" not in line


def test_a_summary_that_is_not_a_file(tmp_path, capsys) -> None:
    (tmp_path / "d" / "summary.json").mkdir(parents=True)
    assert main(["replay", "--study", str(tmp_path / "d"), "--run", "0"]) == 2
    assert "it is a directory" in one_line(capsys)
