"""A full disk or a read-only data folder is one clear line on stderr (exit 2), and nothing
saved before is lost: the records still verify and a bundle on disk is always one that was
recorded.

How the faults are made: the database is held at its current size (SQLite's
``max_page_count``, so growing it fails with SQLITE_FULL exactly as on a full disk); file
writes fail by ``os.fsync`` raising ``ENOSPC`` in the command's process; a read-only folder is
made immutable with ``chattr +i`` (root ignores permissions) or, for other users, ``chmod``;
and where this machine lets the test mount one, a real 1 MB tmpfs fills up."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.records import db as records_db
from app.core.records.service import Workspace
from tests.e2e.test_cli_sessions import SESSION_ARGS
from tests.support.cli import Run, one_line_error
from tests.support.records import draft

SUBJECT = "理论知识=2026-06-12T09:00/2026-06-12T10:30"
# A row that needs new pages of the database (more than two pages of UTF-8, whatever their size).
LONG_ADDRESS = "深圳市南山区科技园" * (records_db.PAGE_SIZE // 12)


def _seeded(cli: Run) -> dict[str, Any]:
    status, out, err = cli("demo", "seed", "--candidates", "4", "--incidents", "2", "--json")
    assert status == 0, err
    status, out, _ = cli("incident", "list", "--json")
    first = json.loads(out)["incidents"][0]
    return {"incident": first["id"], "session": first["session_id"]}


def _intact(cli: Run, incidents: int) -> None:
    status, out, err = cli("verify")
    assert status == 0, out + err
    assert out.startswith(f"OK: {incidents} incidents")


def _hold_database_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection opened from now on may not grow the database file."""
    real = records_db._on_connect

    def full(dbapi_connection: Any, record: Any) -> None:
        real(dbapi_connection, record)
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        cursor.close()

    monkeypatch.setattr(records_db, "_on_connect", full)


def _files_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file synced from now on reports a full disk."""

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)


def _full_line(err: str) -> str:
    line = one_line_error(err)
    assert "unexpected" not in line
    assert "space" in line or "full" in line, line
    return line


def test_session_create_on_a_full_disk(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _seeded(cli)
    _hold_database_size(monkeypatch)
    args = [a if a != "深圳市南山区科技园 1 号" else LONG_ADDRESS for a in SESSION_ARGS]
    status, out, err = cli(*args, "--subject", SUBJECT)
    assert status == 2 and out == ""
    _full_line(err)


def test_session_create_keeps_what_was_saved(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _seeded(cli)
    real = records_db._on_connect
    _hold_database_size(monkeypatch)
    args = [a if a != "深圳市南山区科技园 1 号" else LONG_ADDRESS for a in SESSION_ARGS]
    status, _out, err = cli(*args, "--subject", SUBJECT)
    assert status == 2, err
    monkeypatch.setattr(records_db, "_on_connect", real)
    _intact(cli, 2)
    status, out, _ = cli("session", "list", "--json")
    assert len(json.loads(out)) == 1


def test_demo_seed_on_a_full_disk(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _seeded(cli)
    _hold_database_size(monkeypatch)
    status, _out, err = cli("demo", "seed", "--candidates", "40", "--incidents", "30")
    assert status == 2
    _full_line(err)


def test_report_when_the_signing_key_cannot_be_written(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seeded(cli)
    _files_full(monkeypatch)
    status, out, err = cli("report", "incident", ids["incident"], "--out", str(tmp_path / "r.pdf"))
    assert status == 2 and out == ""
    _full_line(err)
    assert not (tmp_path / "r.pdf").exists()


def test_evidence_attach_on_a_full_disk(
    cli: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.demo.seed import seed_demo

    with Workspace.open(data_dir) as ws:
        demo = seed_demo(ws, candidates=4, incidents=1)
        incident = ws.create_incident(demo.session_id, draft(demo)).id
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"\xff\xd8 a scan of the paper form " + uuid.uuid4().bytes)
    _files_full(monkeypatch)
    status, out, err = cli("evidence", "attach", incident, str(scan))
    assert status == 2 and out == ""
    _full_line(err)
    monkeypatch.undo()
    status, out, err = cli("evidence", "list", incident, "--json")
    assert status == 0, err
    listed = json.loads(out)
    assert not (listed["evidence"] if isinstance(listed, dict) else listed)


def test_bundle_export_on_a_full_disk(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seeded(cli)
    out_file = tmp_path / "s.pdbundle"
    _files_full(monkeypatch)
    status, _out, err = cli("bundle", "export", "--session", ids["session"], "--out", str(out_file))
    assert status == 2
    _full_line(err)
    assert not out_file.exists()


def test_a_bundle_written_but_not_recorded_is_not_left_behind(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.sync import export

    ids = _seeded(cli)
    out_file = tmp_path / "s.pdbundle"

    def database_full(*_args: object) -> None:  # the export's record cannot be saved
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export, "_mark_exported", database_full)
    status, _out, err = cli("bundle", "export", "--session", ids["session"], "--out", str(out_file))
    assert status == 2
    _full_line(err)
    assert not out_file.exists(), "a bundle on disk that this laptop has no record of"
    monkeypatch.undo()
    status, _out, err = cli("bundle", "export", "--session", ids["session"], "--out", str(out_file))
    assert status == 0, err


def _make_read_only(folder: Path) -> bool:
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            return False
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        return done.returncode == 0
    folder.chmod(0o500)
    return True


def _make_writable(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True, check=False)
    else:
        folder.chmod(0o700)


@pytest.fixture
def read_only_folder(data_dir: Path, cli: Run) -> Iterator[dict[str, Any]]:
    ids = _seeded(cli)
    if not _make_read_only(data_dir):
        pytest.skip("cannot make a folder read-only here")
    try:
        yield ids
    finally:
        _make_writable(data_dir)


@pytest.mark.skipif(sys.platform != "linux", reason="chattr/chmod semantics of Linux")
def test_writing_commands_in_a_read_only_folder(
    cli: Run, read_only_folder: dict[str, Any], tmp_path: Path
) -> None:
    for args in (
        (*SESSION_ARGS, "--subject", SUBJECT),
        ("demo", "seed"),
        ("report", "incident", read_only_folder["incident"], "--out", str(tmp_path / "r.pdf")),
    ):
        status, _out, err = cli(*args)
        assert status == 2, (args, err)
        line = one_line_error(err)
        assert "unexpected" not in line and ("read-only" in line or "permission" in line), line


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB file system (tmpfs), where this machine lets the test mount one."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("this machine does not let the test mount a tmpfs")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], capture_output=True, check=False)


def test_a_real_disk_filling_up(tiny_disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.cli import run

    folder = tiny_disk / "data"
    status = run(folder, "demo", "seed", "--candidates", "60", "--incidents", "60")
    err = capsys.readouterr().err
    assert status == 2, err
    _full_line(err)  # and no "Logging error" traceback of a log that could not be written
    # What the failed seed had taken is free again (its transaction was rolled back): the
    # next command either fits or is told so in one line; the records saved still verify.
    for args in ((*SESSION_ARGS, "--subject", SUBJECT), ("verify",)):
        status = run(folder, *args)
        err = capsys.readouterr().err
        assert status == 0 or (status == 2 and _full_line(err)), err
