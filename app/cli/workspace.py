"""The data folder of a command that only reads it.

Opening a workspace creates the folder, the database and a device key, which is right for the
commands that record something (``session create``, ``demo seed``, ``kit import`` …) but not for
one that only looks: ``verify`` on a mistyped ``--data-dir`` would report an empty new database
as "OK". Read-only commands open the folder through here and are told it is not there instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.errors import CliError

if TYPE_CHECKING:
    from app.core.records.service import Workspace


def existing_folder(data_dir: str | None) -> Path:
    """The data folder, which must already exist; nothing is created."""
    from app.core.paths import data_dir as find_data_dir

    folder = find_data_dir(data_dir, create=False)
    if not folder.is_dir():
        raise CliError(f"no data folder at {folder}; check --data-dir (nothing was created)")
    return folder


def has_records(folder: Path) -> bool:
    from app.core.records.db import DB_FILE

    return (folder / DB_FILE).is_file()


def open_existing(data_dir: str | None) -> Workspace:
    """The workspace of an existing data folder that holds a records database, opened to read:
    it takes no writer lock, so it works while the app records."""
    from app.core.records.db import DB_FILE, records_exist
    from app.core.records.service import Workspace

    folder = existing_folder(data_dir)
    if not records_exist(folder):
        raise CliError(f"no records in {folder} ({DB_FILE} not found); check --data-dir")
    return Workspace.open(folder, read_only=True)
