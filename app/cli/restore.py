"""``proctor-desk restore FILE``: put a backup in place of the records database.

The backup is checked first on a copy (``verify`` in this data folder); the current database is
kept in ``backups/`` before the swap; the app must not have the folder open (refused if it
does). See ``app.core.records.backups``.
"""

from __future__ import annotations

import argparse

from app.cli.acting import ACT


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "restore",
        help="replace the records database with a backup that passes verify (恢复), "
        "keeping the current one",
    )
    parser.add_argument("file", metavar="FILE", help="a backup (backups/… or from 'backup')")
    parser.set_defaults(func=_restore, needs_role=ACT)


def _restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.core.paths import data_dir
    from app.core.records.backups import restore

    result = restore(data_dir(args.data_dir, create=False), Path(args.file))
    print(
        f"已恢复数据库 (database restored) from {result.restored_from}: "
        f"{result.incidents} incidents"
    )
    if result.kept is not None:
        print(f"the database it replaced is kept as {result.kept}")
    return 0
