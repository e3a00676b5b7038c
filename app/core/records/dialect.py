"""What the database engine underneath changes: the one place that knows SQLite's (and, for an
institution that outgrows one PC, another engine's) way of doing a thing the rest of the core
asks for by name.
"""

from __future__ import annotations

import zlib

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
