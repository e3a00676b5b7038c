"""Copies of the records database, and putting one back.

A copy is taken with SQLite's online backup API in one step: it reads the database inside one
read transaction, so the copy is a consistent snapshot even while the app writes (WAL lets the
writer go on meanwhile). It is written beside its final name, synced, then renamed into place.

Rolling copies live in ``<data folder>/backups/`` and are named
``proctor-desk-<UTC time>-<reason>.sqlite3`` (``20260612T093015.482913Z``: names sort by
time). The app takes one at the end of each working session and after each bundle export;
the newest ``backups_kept`` (a setting) of those are kept. The copy of the database that a
restore replaced (reason ``before-restore``) is never removed by the rotation; purging a
session's personal data (``bundle purge``) removes every older copy, which still holds it.

A restore checks the copy first, in a temporary folder (SQLite's ``integrity_check``, the
schema brought up to date, then ``verify`` against this data folder's evidence), refuses it
when anything fails, keeps the current database as a backup, and only then swaps the file in
by one rename. It refuses while another program has the folder open to write (it takes the
folder's writer lock, ``app.core.folder_lock``, alone), and while any connection is still open
on the database: an exclusive SQLite lock is taken without waiting.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from app.core import folder_lock
from app.core.durable import replace_durably, sync_folder
from app.core.errors import UserError
from app.core.records.db import DB_FILE

BACKUP_DIR = "backups"
PREFIX = "proctor-desk-"
SUFFIX = ".sqlite3"
ROLLING_REASONS = ("session-end", "export")
BEFORE_RESTORE = "before-restore"
_NAME = re.compile(r"^proctor-desk-(\d{8}T\d{6}\.\d{6}Z)-([a-z-]+)\.sqlite3$")

log = logging.getLogger("proctor_desk.backups")


class BackupError(UserError):
    """A copy that cannot be made, or a restore that is refused."""


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept: Path | None  # the database that was replaced, now in backups/ (None if there was none)
    incidents: int


def backup_folder(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR


def backup_name(reason: str, when: dt.datetime | None = None) -> str:
    """``proctor-desk-20260612T093015.482913Z-<reason>.sqlite3``; names sort by time."""
    moment = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return f"{PREFIX}{moment.strftime('%Y%m%dT%H%M%S.%fZ')}-{reason}{SUFFIX}"


def _connect(
    path: Path | str, *, timeout: float = 5.0, uri: bool = False, autocommit: bool = False
) -> sqlite3.Connection:
    # Closed explicitly by each caller: sqlite3's context manager only ends the transaction.
    if autocommit:
        return sqlite3.connect(path, timeout=timeout, uri=uri, isolation_level=None)
    return sqlite3.connect(path, timeout=timeout, uri=uri)


def _read_only_uri(path: Path) -> str:
    return "file:" + urllib.parse.quote(path.resolve().as_posix()) + "?mode=ro"


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """The whole database of ``source`` into the new file ``target``, synced."""
    dest = _connect(target, autocommit=True)
    try:
        source.backup(dest)  # pages=-1: one step, one read transaction, one snapshot
        # One self-contained file (no -wal beside it), which opening read-only leaves alone.
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())


def snapshot(data_dir: Path, target: Path) -> Path:
    """A consistent copy of the data folder's database, written to ``target`` (which must not
    exist; it appears whole or not at all)."""
    database = Path(data_dir) / DB_FILE
    if not database.is_file():
        raise BackupError(f"no records database in {data_dir} ({DB_FILE} not found)")
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source = _connect(database, timeout=10)
    try:
        _copy(source, partial)
        _link_new(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"{database}: cannot be copied ({exc})") from None
    finally:
        source.close()
        partial.unlink(missing_ok=True)
    sync_folder(target.parent)
    log.info("backup of %s written to %s", database, target)
    return target


def _link_new(partial: Path, target: Path) -> None:
    """Put ``partial`` in place as ``target`` without replacing a file of that name."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise BackupError(f"{target} already exists; choose another file name") from None
    except OSError:
        if target.exists():  # no hard links here (FAT USB sticks): a last look, then rename
            raise BackupError(f"{target} already exists; choose another file name") from None
        os.replace(partial, target)


def rolling_backups(data_dir: Path) -> list[Path]:
    """The rotated copies in ``backups/``, oldest first."""
    folder = backup_folder(data_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and match.group(2) in ROLLING_REASONS:
            found.append(path)
    return sorted(found, key=lambda p: p.name)


def rolling_backup(data_dir: Path, reason: str, keep: int | None = None) -> Path | None:
    """Add a copy to ``backups/`` and remove the oldest beyond ``keep`` (default: the
    ``backups_kept`` setting); None when the folder has no database yet."""
    from app.core.records.app_state import load_settings

    if reason not in ROLLING_REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    data_dir = Path(data_dir)
    if not (data_dir / DB_FILE).is_file():
        return None
    kept = load_settings(data_dir).backups_kept if keep is None else keep
    folder = backup_folder(data_dir)
    folder.mkdir(exist_ok=True)
    path = snapshot(data_dir, folder / backup_name(reason))
    for old in rolling_backups(data_dir)[: -max(kept, 1)]:
        old.unlink(missing_ok=True)
        log.info("old backup %s removed (%d kept)", old.name, kept)
    return path


def rolling_backup_quietly(data_dir: Path, reason: str) -> Path | None:
    """``rolling_backup`` after work that already succeeded: a failed copy is logged, never
    raised, so it cannot make a written bundle or a closed session look failed."""
    try:
        return rolling_backup(data_dir, reason)
    except (OSError, sqlite3.Error, UserError):
        log.exception("the %s backup of %s failed", reason, data_dir)
        return None


def purge_backups(data_dir: Path) -> Path | None:
    """After a session's personal data was purged: a fresh copy, and every older one removed
    (they still hold what was purged), ``before-restore`` copies included."""
    fresh = rolling_backup(data_dir, "session-end")
    folder = backup_folder(data_dir)
    if folder.is_dir():
        for path in folder.iterdir():
            if _NAME.match(path.name) and path != fresh:
                path.unlink(missing_ok=True)
        sync_folder(folder)
    return fresh


# -- restore -----------------------------------------------------------------------------------


def _incident_count(path: Path) -> int:
    con = _connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM incident").fetchone()[0])
    finally:
        con.close()


def _verified_copy(path: Path, data_dir: Path, copy: Path) -> None:
    """Copy ``path`` to ``copy``, bring it to the current schema and verify it; the copy is
    left in rollback-journal mode, with no ``-wal`` file beside it to carry over."""
    from sqlmodel import Session

    from app.core.records.db import open_engine
    from app.core.records.verify import verify_database

    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        source = _connect(_read_only_uri(path), uri=True, timeout=10)
        try:
            _copy(source, copy)
        finally:
            source.close()
        con = _connect(copy)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: not a readable Proctor Desk database ({exc})") from None
    if result is None or result[0] != "ok":
        raise BackupError(f"{path}: the database file is damaged ({result and result[0]})")
    engine = open_engine(copy)  # DatabaseError (a UserError) when it cannot be brought up
    try:
        with Session(engine) as db:
            report = verify_database(db, data_dir)
    except Exception as exc:  # a file of another program: no tables of ours
        raise BackupError(f"{path}: not a Proctor Desk database ({exc})") from None
    finally:
        engine.dispose()
    if not report.ok:
        shown = "; ".join(str(p) for p in report.problems[:3])
        more = f" (and {len(report.problems) - 3} more)" if len(report.problems) > 3 else ""
        raise BackupError(
            f"{path}: fails verify with {len(report.problems)} problem(s): {shown}{more}; "
            "nothing was restored"
        )
    con = _connect(copy, autocommit=True)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def _lock_exclusively(database: Path) -> sqlite3.Connection:
    """A connection holding the database's exclusive lock, or ``BackupError`` at once when
    another connection (the app, a command) has it open."""
    con = _connect(database, timeout=0, autocommit=True)
    try:
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        con.execute("COMMIT")  # in exclusive locking mode the lock stays after the commit
    except sqlite3.OperationalError:
        con.close()
        raise BackupError(
            f"{database} is in use (the app or another command has it open); "
            "close it and try again; nothing was restored"
        ) from None
    return con


def restore(data_dir: Path, path: Path) -> RestoreResult:
    """Put the backup ``path`` in place of the data folder's database, keeping that one."""
    data_dir = Path(data_dir)
    created = not data_dir.exists()  # a new computer's folder: removed again if refused
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / DB_FILE
    try:
        # The one writer lock of the folder (``folder_lock``), held alone: not while the app
        # or another command has the folder open to write, nor while this program does.
        folder_lock.acquire(data_dir, "nothing was restored", alone=True)
    except folder_lock.FolderBusyError as exc:
        if created:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise BackupError(str(exc)) from None
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    done = False
    try:
        incoming = work / DB_FILE
        _verified_copy(Path(path), data_dir, incoming)
        incidents = _incident_count(incoming)
        kept: Path | None = None
        if database.is_file():
            lock = _lock_exclusively(database)
            try:
                folder = backup_folder(data_dir)
                folder.mkdir(exist_ok=True)
                kept = folder / backup_name(BEFORE_RESTORE)
                partial = kept.with_name(f".{kept.name}.partial")
                _copy(lock, partial)
                os.replace(partial, kept)
                sync_folder(folder)
                # Folds the WAL into the file and deletes it, so nothing of the old database
                # is replayed onto the new one.
                lock.execute("PRAGMA journal_mode=DELETE")
                if os.name == "posix":  # Windows renames no file another handle has open
                    _swap(incoming, database)
            finally:
                lock.close()
            if os.name != "posix":
                _swap(incoming, database)
        else:
            _swap(incoming, database)
        log.info("database %s restored from %s; previous kept as %s", database, path, kept)
        done = True
        return RestoreResult(Path(path), kept, incidents)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        folder_lock.release(data_dir)
        if created and not done:
            shutil.rmtree(data_dir, ignore_errors=True)


def _swap(incoming: Path, database: Path) -> None:
    for side in ("-wal", "-shm"):
        database.with_name(database.name + side).unlink(missing_ok=True)
    replace_durably(incoming, database)
