"""The schema comes from Alembic migrations, from the first version; pragmas on every connection."""

from __future__ import annotations

import errno
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from app.core.records import db as records_db
from app.core.records.db import (
    MIGRATIONS_DIR,
    PAGE_SIZE,
    current_revision,
    head_revision,
    open_engine,
    upgrade,
)


def test_upgrade_from_empty_reaches_head(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    assert current_revision(path) is None
    engine = open_engine(path)
    assert current_revision(path) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"incident", "signature", "seal", "audit_log", "exam_session", "staff"} <= tables
    engine.dispose()


def test_head_revision_read_without_alembic_matches_alembic() -> None:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == head_revision()


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "db.sqlite3")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_nothing_and_back(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    engine = open_engine(path)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert "incident" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "incident" in inspect(engine).get_table_names()
    engine.dispose()


def test_wal_full_sync_and_foreign_keys_on_every_connection(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "db.sqlite3")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_a_new_database_has_its_page_size_and_an_older_file_keeps_its_own(
    tmp_path: Path,
) -> None:
    engine = open_engine(tmp_path / "new.sqlite3")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA page_size")).scalar() == PAGE_SIZE
    engine.dispose()
    # A file made with other pages (an earlier version's) opens and upgrades as it is.
    older = tmp_path / "older.sqlite3"
    con = sqlite3.connect(older)
    con.execute(f"PRAGMA page_size={PAGE_SIZE * 2}")
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.close()
    engine = open_engine(older)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA page_size")).scalar() == PAGE_SIZE * 2
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert "incident" in inspect(connection).get_table_names()
    engine.dispose()


def test_a_first_run_stopped_while_the_schema_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite makes tables outside any transaction: stopped half-way (a full disk), the schema
    # would stay half-made and no later run could open it. It is made beside its place.
    path = tmp_path / "db.sqlite3"
    real = records_db.upgrade

    def stops_after_the_first_migration(engine: Any, revision: str = "head") -> None:
        real(engine, "0001")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(records_db, "upgrade", stops_after_the_first_migration)
    with pytest.raises(Exception, match=r"space|full"):
        open_engine(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    monkeypatch.setattr(records_db, "upgrade", real)
    engine = open_engine(path)
    assert current_revision(path) == head_revision()
    assert "incident" in inspect(engine).get_table_names()
    engine.dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_reopening_at_head_does_not_load_alembic(tmp_path: Path) -> None:
    """Alembic costs most of a second to import; a database at head must not need it."""
    path = tmp_path / "db.sqlite3"
    open_engine(path).dispose()
    probe = (
        "import sys; from pathlib import Path; from app.core.records.db import open_engine; "
        f"open_engine(Path({str(path)!r})).dispose(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    fresh = tmp_path / "fresh.sqlite3"
    out = subprocess.run(
        [sys.executable, "-c", probe.replace(str(path), str(fresh))],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True"
