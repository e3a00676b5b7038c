"""``proctor-desk backup --out FILE``: a consistent copy of the records database, taken with
SQLite's online backup API, so it may run while the app records (``app.core.records.backups``).
"""

from __future__ import annotations

import argparse

from app.cli.acting import ACT


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "backup", help="copy the records database to a new file (备份), even while the app runs"
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="the copy (a new file)")
    parser.set_defaults(func=_backup, needs_role=ACT)


def _backup(args: argparse.Namespace) -> int:
    from app.cli.errors import CliError
    from app.cli.files import refuse_existing
    from app.cli.workspace import existing_folder, has_records
    from app.core.records.backups import snapshot
    from app.core.records.db import DB_FILE

    out = refuse_existing(args.out)
    folder = existing_folder(args.data_dir)
    if not has_records(folder):
        raise CliError(f"no records in {folder} ({DB_FILE} not found); check --data-dir")
    snapshot(folder, out)
    print(f"已写入备份 {out} (backup written, {out.stat().st_size:,} bytes)")
    return 0
