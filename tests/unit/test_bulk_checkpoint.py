"""A bulk write (an import) commits on SQLite without copying the log into the database file in
the same commit; the copy runs afterwards in the background, and the connection's own setting
is back for every later commit."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.core.records import dialect
from app.core.records.checkpoints import BackgroundCheckpoint
from app.core.records.db import DB_FILE, make_engine
from app.core.sync.export import export_bundle
from app.core.sync.importing import IMPORTED, import_bundles
from tests.support.sync import make_institution, make_laptop, record_incident


def _file_alone(folder: Path, copy: Path, sql: str) -> int:
    """``sql``'s count in the database file as it is on disk, without its log (a copy)."""
    shutil.copyfile(folder / DB_FILE, copy)
    connection = sqlite3.connect(copy)
    try:
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def _copy_log_into_file(folder: Path) -> None:
    connection = sqlite3.connect(folder / DB_FILE)
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
    finally:
        connection.close()


def test_a_commit_inside_checkpoint_later_leaves_the_log_uncopied(tmp_path: Path) -> None:
    """With the connection set to copy the log at every commit, a commit inside
    ``checkpoint_later`` still leaves it in the log; the setting is back afterwards, so the
    next commit copies again."""
    path = tmp_path / DB_FILE
    engine = make_engine(path)
    count = "SELECT count(*) FROM t"
    try:
        with Session(engine) as db:
            db.connection().exec_driver_sql("PRAGMA wal_autocheckpoint=1")
            db.connection().exec_driver_sql("CREATE TABLE t (x INTEGER)")
            db.commit()
        _copy_log_into_file(tmp_path)
        with Session(engine) as db, dialect.checkpoint_later(db):
            assert db.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
            db.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
            db.commit()
        assert _file_alone(tmp_path, tmp_path / "1.sqlite3", count) == 0
        with Session(engine) as db:
            assert db.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1
            db.connection().exec_driver_sql("INSERT INTO t VALUES (2)")
            db.commit()
        assert _file_alone(tmp_path, tmp_path / "2.sqlite3", count) == 2
    finally:
        engine.dispose()


def test_the_setting_is_back_after_a_commit_that_failed(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / DB_FILE)
    try:
        with Session(engine) as db:
            db.connection().exec_driver_sql("CREATE TABLE t (x INTEGER PRIMARY KEY)")
            db.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
            db.commit()
        with pytest.raises(IntegrityError), Session(engine) as db, dialect.checkpoint_later(db):
            db.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
        with Session(engine) as db:
            assert db.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    finally:
        engine.dispose()


def test_an_import_has_its_log_copied_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inst = make_institution(tmp_path)
    folder = inst.ws.data_dir
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    try:
        for index in range(3):
            record_incident(laptop, inst.session_id, index)
        bundle = tmp_path / "three.pdbundle"
        export_bundle(laptop, inst.session_id, bundle)
    finally:
        laptop.close()
    _copy_log_into_file(folder)
    count = "SELECT count(*) FROM incident"
    seen: list[int] = []
    start = BackgroundCheckpoint.start

    def start_and_look(self: BackgroundCheckpoint) -> None:
        seen.append(_file_alone(folder, tmp_path / "before.sqlite3", count))
        start(self)
        self.wait()
        seen.append(_file_alone(folder, tmp_path / "after.sqlite3", count))

    monkeypatch.setattr(BackgroundCheckpoint, "start", start_and_look)
    (outcome,) = import_bundles(inst.ws, inst.identity, [bundle])
    assert outcome.status == IMPORTED, outcome.line()
    assert seen == [0, 3]  # committed in the log first, then copied into the file
    with inst.ws.transaction() as db:
        assert db.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    inst.ws.close()
