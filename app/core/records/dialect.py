"""What the database engine underneath changes: the one place that knows SQLite's (and, for an
institution that outgrows one PC, another engine's) way of doing a thing the rest of the core
asks for by name.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session

# The key of the lock that serialises audit appends on an engine with advisory locks.
_AUDIT_LOCK = zlib.crc32(b"proctor-desk audit_log") & 0x7FFFFFFF


def lock_audit_chain(db: Session) -> None:
    """Hold the write lock for the rest of ``db``'s transaction before the audit log's last
    entry is read, so two writers append one after the other: each reads the entry the other
    wrote, and the chain never forks (a fork would fail on ``seq`` anyway, as a conflict).

    SQLite: ``BEGIN IMMEDIATE`` when no transaction is open yet (another writer then waits,
    up to the busy timeout, instead of both reading the same last entry); PostgreSQL: a
    transaction-scoped advisory lock."""
    connection = db.connection()
    name = connection.dialect.name
    if name == "sqlite":
        driver = connection.connection.driver_connection
        if driver is not None and not getattr(driver, "in_transaction", True):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_AUDIT_LOCK})")


@contextmanager
def snapshot(db: Session) -> Iterator[Session]:
    """Make every read of ``db`` see one snapshot of the database until it closes.

    SQLite's driver runs a SELECT outside any transaction, so each read would see the latest
    commit; a deferred ``BEGIN`` makes them one read transaction (WAL lets writers go on).
    PostgreSQL reads at REPEATABLE READ, which is one snapshot for the transaction."""
    connection = db.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    yield db


def append_only_triggers(dialect: str, table: str) -> list[str]:
    """The statements that make the database itself refuse UPDATE and DELETE on ``table``."""
    message = f"{table} is append-only"
    if dialect == "postgresql":
        return [
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$",
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
            # TRUNCATE fires no row trigger: refuse it as a statement.
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()",
        ]
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
    ]


def drop_append_only_triggers(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP FUNCTION IF EXISTS {table}_append_only() CASCADE"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
    ]


def _name(db: Session) -> str:
    return db.connection().dialect.name


def mark(db: Session) -> str:
    """The driver's parameter placeholder for ``exec_driver_sql`` (qmark or format style)."""
    return "%s" if _name(db) == "postgresql" else "?"


def marks(db: Session, count: int) -> str:
    """``count`` placeholders separated by commas."""
    return ", ".join([mark(db)] * count)


def json_list_values(db: Session) -> str:
    """A subquery of the text values of one JSON array parameter (a list of ids given as one
    parameter, however long: a bundle may name 10,000 records)."""
    if _name(db) == "postgresql":
        return "SELECT jsonb_array_elements_text(CAST(%s AS jsonb))"
    return "SELECT value FROM json_each(?)"


def json_text(db: Session, column: str, *path: str) -> str:
    """An expression for the text at ``path`` in the JSON held by ``column`` (NULL if none)."""
    if _name(db) == "postgresql":
        return f"(CAST({column} AS jsonb) #>> '{{{','.join(path)}}}')"
    return f"json_extract({column}, '$.{'.'.join(path)}')"


@contextmanager
def large_cache(db: Session, kib: int) -> Iterator[None]:
    """A larger page cache for one bulk write (SQLite's is per connection); a server manages
    its own memory, so elsewhere this does nothing."""
    if _name(db) != "sqlite":
        yield
        return
    connection = db.connection()
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(usual or -2000)}")


@contextmanager
def checkpoint_later(db: Session) -> Iterator[None]:
    """Commit ``db``'s transaction without SQLite's automatic checkpoint (the caller has the
    log copied afterwards, ``checkpoints.BackgroundCheckpoint``); a server checkpoints on its
    own, so elsewhere this does nothing."""
    if _name(db) != "sqlite":
        yield
        return
    # On the driver's connection: the setting is the connection's, not the transaction's, and
    # it is put back even after a failed commit left the session unusable.
    driver: Any = db.connection().connection.driver_connection
    usual = driver.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    driver.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA wal_autocheckpoint={int(usual)}")


def row_key(db: Session, table: str) -> str:
    """A column that orders ``table``'s rows as they were inserted and identifies each one:
    SQLite's rowid (its table's own B-tree key, so a page of ids is read from an index alone);
    elsewhere the primary key ``id``."""
    return f"{table}.rowid" if _name(db) == "sqlite" else f"{table}.id"


def insert_rows(
    db: Session, table: str, columns: list[str], rows: list[tuple[object, ...]]
) -> None:
    """Insert many rows as they are (values already in their stored form), in the caller's
    transaction: one ``executemany`` on SQLite, one ``COPY`` on PostgreSQL (several times faster
    than a statement per row over a connection)."""
    if not rows:
        return
    connection = db.connection()
    if connection.dialect.name == "postgresql":
        driver: Any = connection.connection.driver_connection
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    connection.exec_driver_sql(sql, rows)


def keeps_files(db: Session) -> bool:
    """Whether files (evidence, archived PDFs) are kept in the database rather than in the data
    folder: a shared server's records are read from several computers, and each would see only
    its own folder; SQLite's database is that folder's alone, so its files stay beside it."""
    return _name(db) == "postgresql"


def _insert(db: Session, table: Table, values: dict[str, Any]) -> Any:
    if _name(db) == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).values(**values)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).values(**values)


def insert_once(db: Session, table: Table, values: dict[str, Any]) -> None:
    """Insert a row unless one with its primary key is there already, in the caller's
    transaction: two admins storing the same file at once both succeed (``ON CONFLICT DO
    NOTHING``; a second writer waits for the first's commit instead of failing)."""
    db.execute(_insert(db, table, values).on_conflict_do_nothing())


def upsert(db: Session, table: Table, values: dict[str, Any], keys: list[str]) -> None:
    """Insert a row, or update the one whose ``keys`` columns are equal, in the caller's
    transaction (``ON CONFLICT … DO UPDATE``)."""
    statement = _insert(db, table, values)
    changed = {k: v for k, v in values.items() if k not in keys}
    db.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))


# Above every character a name can hold: ``p <= x < p + _TOP`` is "x starts with p".
_TOP = "\U0010ffff"


def prefix_match(db: Session, column: str, prefix: str) -> tuple[str, tuple[str, ...]]:
    """A condition (and its parameters) true where ``column`` starts with ``prefix``, answered
    from the column's B-tree index (``prefix_index``): SQLite as a range of its BINARY order
    (its LIKE ignores case and would not use the index); PostgreSQL as ``LIKE 'p%'``, which its
    ``text_pattern_ops`` index serves whatever the database's collation."""
    if _name(db) == "postgresql":
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{column} LIKE %s", (escaped + "%",)
    return f"({column} >= ? AND {column} < ?)", (prefix, prefix + _TOP)


def prefix_index(dialect: str, name: str, table: str, column: str) -> str:
    """The statement that makes the index ``prefix_match`` on ``table.column`` reads."""
    ops = " text_pattern_ops" if dialect == "postgresql" else ""
    return f"CREATE INDEX {name} ON {table} ({column}{ops})"


def prefix_order(db: Session, column: str) -> str:
    """``ORDER BY`` of ``column`` in the order of its ``prefix_index``, so that the first rows
    of a prefix that thousands share are read from the index, not sorted: PostgreSQL orders by
    the ``text_pattern_ops`` class's own ``~<~`` (character by character), SQLite by BINARY."""
    if _name(db) == "postgresql":
        return f"{column} USING ~<~"
    return column


def is_null_unindexed(db: Session, column: str) -> str:
    """A test that ``column`` is NULL which the planner estimates rightly and answers from
    another index. SQLite's statistics count distinct values, so ``IS NULL`` on a column that
    is NULL in nearly every row (``incident.superseded_by_id``) looks as selective as one value
    and an index on it is taken; ``coalesce(…) = ''`` keeps it from that index. PostgreSQL
    knows each column's share of NULLs: plain ``IS NULL`` (the coalesce would make it guess
    0.5 % and sort a year of records on disk instead of hashing them)."""
    if _name(db) == "postgresql":
        return f"{column} IS NULL"
    return f"coalesce({column}, '') = ''"
