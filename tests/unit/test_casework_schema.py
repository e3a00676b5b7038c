"""Migration 0009 makes exactly the casework tables the models describe, and takes them away
again on the way down."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.core.casework.tables  # noqa: F401  (the models compared)
from app.core.records.db import make_engine, open_engine, upgrade

CASEWORK = {"casework_case", "casework_case_record", "casework_step", "casework_setting"}


def _table_of(change: object) -> str | None:
    item = change[0] if isinstance(change, list) else change
    for part in item if isinstance(item, tuple) else ():
        if isinstance(part, str) and part in CASEWORK:  # a table named by its name
            return part
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return str(table.name)
        if name in CASEWORK:
            return str(name)
    return None


def test_the_casework_tables_match_their_models(tmp_path: Path) -> None:
    # At 0009 itself: later revisions (an index for search …) are checked by their own tests.
    engine = make_engine(tmp_path / "db.sqlite3")
    upgrade(engine, "0009")
    assert set(inspect(engine).get_table_names()) >= CASEWORK
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert [d for d in diff if _table_of(d) in CASEWORK] == []


def test_down_to_0008_and_up_again(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from app.core.records.db import MIGRATIONS_DIR

    engine = open_engine(tmp_path / "db.sqlite3")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    assert not CASEWORK & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= CASEWORK
    engine.dispose()
