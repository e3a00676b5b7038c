"""Alembic environment: runs on the connection handed in by ``app.core.records.db.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

# Every module with tables, so that autogenerate compares the whole schema.
import app.core.records.account_tables
import app.core.records.casework_tables
import app.core.records.exchange_tables
import app.core.records.file_tables
import app.core.records.filing_tables
import app.core.records.register_tables
import app.core.records.tables  # noqa: F401

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through app.core.records.db.upgrade(engine)")
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
