"""Backups of the records database: consistent while another connection writes, rotated, and
restored only when they pass ``verify``, keeping the database they replace."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession, seed_demo
from app.core.folder_lock import LOCK_FILE
from app.core.records import backups
from app.core.records.app_state import AppSettings, save_settings
from app.core.records.db import DB_FILE
from app.core.records.service import Workspace
from tests.support.records import confirmed


def incidents_in(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM incident").fetchone()[0])
    finally:
        con.close()


def verifies(copy: Path, tmp_path: Path, name: str) -> bool:
    """Whether ``copy`` passes ``verify`` as the database of a data folder of its own."""
    folder = tmp_path / name
    folder.mkdir()
    shutil.copyfile(copy, folder / DB_FILE)
    with Workspace.open(folder) as ws:
        report = ws.verify()
    assert report.incidents == incidents_in(copy)
    return report.ok


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_is_the_committed_state_while_another_connection_writes(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    for _ in range(3):
        confirmed(ws, demo)  # committed, and still in the WAL: a plain file copy misses them
    assert (ws.data_dir / f"{DB_FILE}-wal").stat().st_size > 0
    writer = sqlite3.connect(ws.data_dir / DB_FILE, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction, during the backup
    writer.execute("UPDATE incident SET clause = '5.4'")  # would fail verify if copied
    try:
        copy = backups.snapshot(ws.data_dir, tmp_path / "copy.sqlite3")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert incidents_in(copy) == 3
    assert verifies(copy, tmp_path, "check")


def test_backups_taken_while_the_app_records_all_verify(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    stop = threading.Event()
    written: list[str] = []
    failures: list[BaseException] = []

    def record() -> None:
        try:
            while not stop.is_set() and len(written) < 40:
                written.append(confirmed(ws, demo))
        except BaseException as exc:  # surfaced below
            failures.append(exc)

    thread = threading.Thread(target=record)
    thread.start()
    copies = []
    try:
        while len(copies) < 4 and thread.is_alive():
            copies.append(backups.snapshot(ws.data_dir, tmp_path / f"c{len(copies)}.sqlite3"))
    finally:
        stop.set()
        thread.join(60)
    assert not failures
    counts = [incidents_in(c) for c in copies]
    assert counts == sorted(counts) and counts[-1] <= len(written)
    for index, copy in enumerate(copies):
        assert verifies(copy, tmp_path, f"v{index}"), copy


def test_rolling_backups_keep_the_newest_n(ws: Workspace, demo: DemoSession) -> None:
    save_settings(ws.data_dir, AppSettings(backups_kept=3))
    made = [backups.rolling_backup(ws.data_dir, "session-end") for _ in range(5)]
    kept = backups.rolling_backups(ws.data_dir)
    assert kept == made[-3:]
    assert [p.name for p in kept] == sorted(p.name for p in kept)  # names sort by time
    assert all(backups.backup_folder(ws.data_dir) == p.parent for p in kept)
    assert backups.rolling_backup(ws.data_dir, "export", keep=1) is not None
    assert len(backups.rolling_backups(ws.data_dir)) == 1


def test_a_backup_that_fails_verify_is_refused_and_nothing_changes(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    with Workspace.open(folder) as ws:
        seed_demo(ws, candidates=4, incidents=2)
    backup = backups.snapshot(folder, tmp_path / "b.sqlite3")
    con = sqlite3.connect(backup)
    with con:
        con.execute("UPDATE incident SET clause = '5.4' WHERE rowid = 1")
    con.close()
    before = digest(folder / DB_FILE)
    with pytest.raises(backups.BackupError, match="fails verify"):
        backups.restore(folder, backup)
    assert digest(folder / DB_FILE) == before
    assert not backups.backup_folder(folder).exists()  # no copy kept, nothing swapped
    assert sorted(p.name for p in folder.iterdir()) == sorted(["device", DB_FILE, LOCK_FILE])


def test_restore_puts_the_backup_back_and_keeps_the_database_it_replaced(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    with Workspace.open(folder) as ws:
        demo = seed_demo(ws, candidates=4, incidents=2)
        backup = backups.snapshot(folder, tmp_path / "b.sqlite3")
        confirmed(ws, demo)
    result = backups.restore(folder, backup)
    assert result.incidents == 2
    assert incidents_in(folder / DB_FILE) == 2
    assert result.kept is not None and result.kept.parent == backups.backup_folder(folder)
    assert incidents_in(result.kept) == 3
    with Workspace.open(folder) as ws:
        assert ws.verify().ok
    # The kept copy is not rotated away with the rolling ones.
    backups.rolling_backup(folder, "export", keep=1)
    backups.rolling_backup(folder, "export", keep=1)
    assert result.kept.exists()


def test_restore_is_refused_while_the_database_is_open(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    backup = backups.snapshot(ws.data_dir, tmp_path / "b.sqlite3")
    ws.list_sessions()  # the app's connection has read the database and stays open
    with pytest.raises(backups.BackupError, match="in use"):
        backups.restore(ws.data_dir, backup)


def test_a_bundle_export_leaves_a_rolling_backup(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    from app.core.sync.export import export_bundle

    confirmed(ws, demo)
    export_bundle(ws, demo.session_id, tmp_path / "s.pdbundle")
    [copy] = backups.rolling_backups(ws.data_dir)
    assert copy.name.endswith("-export.sqlite3")
    assert incidents_in(copy) == 1
