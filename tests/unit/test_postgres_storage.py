"""The records on a shared PostgreSQL (an institution that outgrows one PC): the same
migrations make the schema, the audit log is append-only there too, several writers keep one
chain, and the laptop's whole flow (sessions, rosters, records signed and sealed, verify)
works the same on it."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from app.core.demo.seed import seed_demo
from app.core.records import audit
from app.core.records.db import DatabaseError, head_revision
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry


@pytest.fixture
def shared(tmp_path: Path, pg_url: str) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "admin-a", database_url=pg_url) as ws:
        yield ws


def test_the_migrations_make_the_schema_on_postgresql(shared: Workspace) -> None:
    assert shared.engine.dialect.name == "postgresql"
    with shared.engine.connect() as con:
        version = con.execute(text("SELECT version_num FROM alembic_version")).scalar()
        tables = set(
            con.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
        )
    assert version == head_revision()
    assert {"audit_log", "incident", "staff", "sync_imported_bundle"} <= tables


def test_large_text_is_compressed_with_lz4_on_postgresql(shared: Workspace) -> None:
    """Migration 0015: the server this suite starts is built with lz4, so the content and the
    strokes are compressed with it (faster than pglz on a large import)."""
    with shared.engine.connect() as con:
        methods = dict(
            con.execute(
                text(
                    "SELECT c.relname || '.' || a.attname, a.attcompression FROM pg_attribute a "
                    "JOIN pg_class c ON c.oid = a.attrelid "
                    "WHERE (c.relname, a.attname) IN "
                    "(('incident_content', 'content_json'), ('signature', 'strokes_json'))"
                )
            ).all()
        )
    assert methods == {"incident_content.content_json": "l", "signature.strokes_json": "l"}


def test_the_audit_log_refuses_edits_on_postgresql(shared: Workspace) -> None:
    with shared.transaction() as db:
        audit.append(db, action="first", device=shared.device)
    for statement in (
        "UPDATE audit_log SET action = 'changed'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ):
        with (
            pytest.raises(DBAPIError, match="audit_log is append-only"),
            shared.engine.begin() as con,
        ):
            con.execute(text(statement))
    with Session(shared.engine) as db:
        assert [e.action for e in db.exec(select(AuditEntry)).all()] == ["first"]


def test_the_demo_flow_is_sealed_and_verifies_on_postgresql(shared: Workspace) -> None:
    demo = seed_demo(shared, candidates=4, incidents=3)
    assert len(demo.incident_ids) == 3
    assert all(shared.incident(i)["status"] == "confirmed" for i in demo.incident_ids)
    report = shared.verify()
    assert report.ok, report.problems


def test_two_admins_appending_at_once_keep_one_chain(tmp_path: Path, pg_url: str) -> None:
    # Two computers on one database, each through its own folder (its own device key).
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def admin(name: str) -> None:
        try:
            with Workspace.open(tmp_path / name, database_url=pg_url) as ws:
                start.wait()
                for n in range(20):
                    with ws.transaction() as db:
                        audit.append(db, action="admin_act", device=ws.device, details={"n": n})
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    with Workspace.open(tmp_path / "setup", database_url=pg_url):
        pass  # migrate once, before the two race
    threads = [threading.Thread(target=admin, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with Workspace.open(tmp_path / "setup", database_url=pg_url) as ws:
        with Session(ws.engine) as db:
            entries = list(db.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all())
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        assert sum(e.action == "admin_act" for e in entries) == 40
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


def test_a_bad_database_url_is_one_clear_error(tmp_path: Path, pg_server: object) -> None:
    from tests.support.postgres import Server

    assert isinstance(pg_server, Server)
    missing = pg_server.url("no_such_database")
    with pytest.raises(DatabaseError, match=r"no_such_database.*could not be opened"):
        Workspace.open(tmp_path / "x", database_url=missing)
    with pytest.raises(DatabaseError, match="not a database URL"):
        Workspace.open(tmp_path / "y", database_url="nonsense://")


def test_the_environment_names_the_shared_database(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_DATABASE_URL", pg_url)
    with Workspace.open(tmp_path / "admin") as ws:
        assert ws.engine.dialect.name == "postgresql"
        assert not (tmp_path / "admin" / "proctor-desk.sqlite3").exists()
    monkeypatch.delenv("PROCTOR_DESK_DATABASE_URL")
    with Workspace.open(tmp_path / "laptop") as ws:
        assert ws.engine.dialect.name == "sqlite"
