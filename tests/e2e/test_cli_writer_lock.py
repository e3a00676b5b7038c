"""One writer per data folder: a second program that would write waits briefly for the first,
then is told in one line which program holds the folder; the commands that only read need no
lock; two first runs side by side no longer race on the schema; ``restore`` is refused while a
writer holds the folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import folder_lock
from app.core.records import backups
from app.core.records.db import DB_FILE
from tests.e2e.test_cli_sessions import SESSION_ARGS
from tests.support.cli import Run, one_line_error

ROOT = Path(__file__).resolve().parents[2]
SUBJECT = "理论知识=2026-06-12T09:00/2026-06-12T10:30"

HOLD = """
import sys, time
from pathlib import Path
from app.core.records.service import Workspace
with Workspace.open(Path(sys.argv[1])):
    print("ready", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def held(data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another program (a process of its own) with the data folder open for writing."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "ready"
    yield holder
    holder.stdin.close()
    holder.wait(30)
    holder.stdout.close()


def test_a_second_writer_is_told_which_program_holds_the_folder(
    cli: Run, held: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folder_lock, "WAIT_SECONDS", 0.3)
    status, out, err = cli(*SESSION_ARGS, "--subject", SUBJECT)
    assert status == 2, err
    line = one_line_error(err)
    assert "in use" in line and f"PID {held.pid}" in line
    assert out == ""


def test_commands_that_only_read_need_no_lock(
    cli: Run, held: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folder_lock, "WAIT_SECONDS", 0.3)
    for args in (("verify",), ("session", "list"), ("incident", "list")):
        status, _out, err = cli(*args)
        assert status == 0, (args, err)


def test_restore_is_refused_while_another_program_writes(
    data_dir: Path, held: subprocess.Popen[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folder_lock, "WAIT_SECONDS", 0.3)
    copy = backups.snapshot(data_dir, tmp_path / "copy.sqlite3")
    with pytest.raises(backups.BackupError, match=f"in use.*PID {held.pid}"):
        backups.restore(data_dir, copy)


def test_two_first_runs_side_by_side_both_succeed(data_dir: Path) -> None:
    argv = [sys.executable, "-m", "app", "--data-dir", str(data_dir), "demo", "seed"]
    argv += ["--candidates", "4", "--incidents", "3"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    runs = [
        subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for run in runs:
        _out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    assert (data_dir / DB_FILE).is_file()
    verify = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), "verify"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith("OK: 6 incidents")
