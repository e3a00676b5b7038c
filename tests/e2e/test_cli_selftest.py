"""``proctor-desk --self-test [--json]``: as a site runs it before exam day, in a process of its
own without a display; one line per step, exit 0 only when every step passed, and a broken
step named in its line with the steps that need it skipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import Run

STEPS = [
    "resources",
    "classify",
    "institution",
    "kit",
    "record",
    "report",
    "export",
    "verify",
    "import",
    "window",
]
# Seconds: the run takes a few on a laptop; this leaves room for a busy test machine.
TIME_LIMIT = 30


def self_test(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the self-test chooses offscreen itself
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["PROCTOR_DESK_HOME"] = str(tmp_path / "home")  # must stay untouched
    env["PYTHONIOENCODING"] = "utf-8"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app", "--self-test", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=90,
    )
    return done, time.perf_counter() - started


@pytest.mark.slow
def test_self_test_prints_one_passing_line_per_step(tmp_path: Path) -> None:
    done, seconds = self_test(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert "自检 (self-test)" in lines[0]
    step_lines = lines[1:-1]
    assert [line.split()[1] for line in step_lines] == [f"[{name}]" for name in STEPS]
    assert all(line.startswith("ok ") for line in step_lines)
    assert lines[-1].startswith("自检通过 (self-test passed): 10 steps")
    assert "platform offscreen" in step_lines[-1]
    assert not (tmp_path / "home").exists()
    assert seconds < TIME_LIMIT, f"the self-test took {seconds:.1f} s"


@pytest.mark.slow
def test_self_test_as_json(tmp_path: Path) -> None:
    done, seconds = self_test(tmp_path, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    document = json.loads(done.stdout)
    assert document["ok"] is True
    assert [step["name"] for step in document["steps"]] == STEPS
    for step in document["steps"]:
        assert step["ok"] is True and step["detail"] and step["seconds"] >= 0
    assert seconds < TIME_LIMIT, f"the self-test took {seconds:.1f} s"


def test_a_broken_step_fails_the_run_and_is_named(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-rulebooks"
    empty.mkdir()
    monkeypatch.setattr("app.core.rulebook.loader.builtin_dir", lambda: empty)
    status, out, err = cli("--self-test")
    assert status == 1
    lines = out.splitlines()
    assert lines[1].startswith("FAILED  [resources] ")
    assert "no rulebook 'cn-national-2021'" in lines[1]
    assert "Traceback" not in out + err
    assert any(line.startswith("skipped [import] ") for line in lines)
    assert lines[-1].startswith("自检未通过 (self-test FAILED): resources, classify, institution")

    status, out, _ = cli("--self-test", "--json")
    assert status == 1
    document = json.loads(out)
    assert document["ok"] is False
    failed = [s["name"] for s in document["steps"] if s["status"] == "failed"]
    assert failed == ["resources", "classify", "institution"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--json",), "--json goes with --self-test"),
        (("--self-test", "verify"), "--self-test runs on its own"),
    ],
)
def test_misplaced_self_test_options_are_refused(
    cli: Run, args: tuple[str, ...], message: str
) -> None:
    status, _, err = cli(*args)
    assert status == 2
    assert message in err


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    env = dict(os.environ, PROCTOR_DESK_HOME=str(tmp_path / "home"), PYTHONIOENCODING="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--self-test"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    assert "自检".encode() in process.stdout.readline()  # like `proctor-desk --self-test | head -1`
    process.stdout.close()
    with process.stderr:
        err = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=90) == 0
    assert "Traceback" not in err
