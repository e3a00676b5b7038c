"""The database: SQLite in WAL mode with ``synchronous=FULL``, schema by Alembic migrations.

Migrations ship inside the package (``migrations/``) and run programmatically on open, so no
``alembic.ini`` is needed at run time. Alembic is imported only when the file is not already at
the head revision: it costs most of a second to import.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import urllib.parse
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from app.core.errors import UserError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DB_FILE = "proctor-desk.sqlite3"
# A shared database for the records instead of the folder's SQLite file (an institution's).
DATABASE_URL_ENV = "PROCTOR_DESK_DATABASE_URL"
# SQLite's usual 4 KiB pages, set for every new file. 16 KiB pages made a 10,000-record import's
# writes and commit about a fifth faster, but an empty database four times larger (2 MB
# against 0.5 MB) on every laptop and in each of its backups. A file keeps the size it was
# created with.
PAGE_SIZE = 4096
_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(?:None|[\"']([^\"']+)[\"'])", re.M)


class DatabaseError(UserError):
    """The database file cannot be opened or upgraded."""


# Every connection of the app.
_PRAGMAS = {
    "journal_mode": "WAL",
    "synchronous": "FULL",
    "foreign_keys": "ON",
    "busy_timeout": "10000",
}
# The connection making a new database (``_create``): a rollback journal, so the schema is
# written once, into the file itself; nothing synced on the way, as the file is synced once,
# whole, before it is renamed into place.
# The page size is set there only: it takes effect in a file not yet written.
_CREATING = {
    "page_size": str(PAGE_SIZE),
    **_PRAGMAS,
    "journal_mode": "DELETE",
    "synchronous": "OFF",
}


def _set(dbapi_connection: Any, pragmas: dict[str, str]) -> None:
    cursor = dbapi_connection.cursor()
    for name, value in pragmas.items():
        cursor.execute(f"PRAGMA {name}={value}")
    cursor.close()


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    _set(dbapi_connection, _PRAGMAS)


def _on_create(dbapi_connection: Any, _record: Any) -> None:
    _set(dbapi_connection, _CREATING)


def make_engine(path: Path) -> Engine:
    """An engine on ``path`` with the pragmas set on every connection; no migration."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    return engine


@cache
def head_revision() -> str:
    """The newest migration, read from the version files without importing Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        found, down = _REVISION.search(text), _DOWN.search(text)
        if found is None or down is None:
            raise DatabaseError(f"migration {script.name} names no revision or down_revision")
        revisions.add(found.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise DatabaseError(f"migrations must form one line; heads found: {sorted(heads)}")
    return heads.pop()


def current_revision(path: Path) -> str | None:
    if not path.exists():
        return None
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        con.close()
    return str(row[0]) if row else None


def check_ours(path: Path, *, empty_ok: bool) -> None:
    """Refuse a database file that is not ours: one of another program (tables, but not the
    migrations' version table), one that is no SQLite file, and (unless ``empty_ok``: a writer
    may make a new database in it) an empty file. Nothing is written: the file is opened
    read-only."""
    if not path.is_file():
        return
    if path.stat().st_size == 0:
        if empty_ok:
            return
        raise DatabaseError(
            f"database {path} is empty: it holds no records (a first run may have stopped "
            "before creating them); check --data-dir, or remove the file; nothing was changed"
        )
    uri = "file:" + urllib.parse.quote(path.resolve().as_posix()) + "?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"database {path} cannot be opened: {exc}") from None
    try:
        tables = [
            row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
    except sqlite3.OperationalError:
        return  # not readable here (a read-only folder …): opening it says so
    except sqlite3.DatabaseError:
        raise DatabaseError(
            f"{path} is not a SQLite database, so not a Proctor Desk database; check "
            "--data-dir; nothing was changed"
        ) from None
    finally:
        con.close()
    if tables and "alembic_version" not in tables:
        shown = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
        raise DatabaseError(
            f"{path} is not a Proctor Desk database (it holds the tables {shown}); check "
            "--data-dir; nothing was changed"
        )
    if not tables and not empty_ok:
        raise DatabaseError(
            f"database {path} is empty: it holds no records; check --data-dir; nothing was changed"
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations on ``engine`` up to ``revision``."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_engine(path: Path) -> Engine:
    """Open (creating and migrating as needed) the database at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.stat().st_size == 0:
        _create(path)
    engine = make_engine(path)
    if current_revision(path) != head_revision():
        try:
            upgrade(engine)
        except Exception as exc:
            engine.dispose()
            raise _open_problem(path, exc) from exc
    return engine


def _open_problem(path: Path, exc: Exception) -> Exception:
    from app.core.storage import storage_problem

    problem = storage_problem(exc, path.parent)  # a full disk, a read-only folder
    if problem is not None:
        return problem
    return DatabaseError(f"database {path} could not be opened or upgraded: {exc}")


def _create(path: Path) -> None:
    """A new database, its schema made whole beside ``path`` and then renamed into place.
    SQLite runs the migrations' table definitions outside any transaction, so a first run
    stopped part-way (a full disk) would otherwise leave a half-made schema that no later run
    can open; here it leaves nothing."""
    from app.core.durable import replace_durably

    new = path.with_name(f".{path.name}.new")
    _remove_with_log(new)  # a killed attempt's
    # Made with a rollback journal (a write-ahead log would hold the schema twice until its
    # checkpoint), then switched to WAL.
    engine = create_engine(f"sqlite:///{new}")
    event.listen(engine, "connect", _on_create)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        engine.dispose()
        with new.open("rb+") as handle:
            os.fsync(handle.fileno())
        replace_durably(new, path)
    except Exception as exc:
        engine.dispose()
        _remove_with_log(new)
        raise _open_problem(path, exc) from exc
    _remove_with_log(new)  # its log and shared-memory files, if closing left them


def _remove_with_log(path: Path) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(name).unlink()


def open_url_engine(url: str) -> Engine:
    """Open (migrating as needed) a shared database given by URL, e.g. PostgreSQL through
    psycopg 3 (``postgresql+psycopg://user@host/db``); the same migrations as SQLite's."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    shown = _without_password(url)
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        raise DatabaseError(
            f"database {shown}: not a database URL this app can use ({exc})"
        ) from None
    try:
        with engine.connect() as connection:
            has_table = engine.dialect.has_table(connection, "alembic_version")
            current = (
                connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if has_table
                else None
            )
        if current != head_revision():
            upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseError(f"database {shown} could not be opened or upgraded: {reason}") from None
    return engine


def _without_password(url: str) -> str:
    """``url`` as it may be shown: any password replaced."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable URL)"


def records_exist(folder: Path) -> bool:
    """Whether opening ``folder`` finds records rather than creating a database: its SQLite
    file exists, or the records are in a shared database (``$PROCTOR_DESK_DATABASE_URL``)."""
    import os

    return bool(os.environ.get(DATABASE_URL_ENV)) or (folder / DB_FILE).is_file()
