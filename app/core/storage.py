"""Writing that fails for want of space or of permission, told as one line a person can act on.

A full disk, a read-only folder (a write-protected USB stick, a folder of another user, an
immutable one) surface in many places as different exceptions: ``OSError`` with ``ENOSPC`` or
``EROFS`` from a file, "database or disk is full" or "attempt to write a readonly database"
from SQLite, wrapped by SQLAlchemy or by our own errors. None of them is a fault of the app,
and none loses what was saved before (each save is one transaction; files appear whole or not
at all), so the person is told what happened and what to do, not shown a traceback.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from app.core.errors import UserError

_NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}
_SQLITE_NO_SPACE = ("database or disk is full",)
_SQLITE_NOT_WRITABLE = ("readonly database", "unable to open database file")
_SQLITE_DISK = ("disk i/o error",)


class StorageError(UserError):
    """The disk is full, or the folder cannot be written."""


def storage_problem(exc: BaseException, folder: Path | None = None) -> StorageError | None:
    """A ``StorageError`` saying what ``exc`` (or an exception it was raised from) means, when
    it is a full disk, a folder that cannot be written or a failing disk; else None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = _kind(current)
        if kind is not None:
            return StorageError(_message(kind, current, folder))
        current = current.__cause__ or current.__context__
    return None


def _kind(exc: BaseException) -> str | None:
    if isinstance(exc, OSError) and exc.errno is not None:
        if exc.errno in _NO_SPACE:
            return "space"
        if exc.errno in _NOT_WRITABLE:
            return "read-only"
        return None
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if any(words in text for words in _SQLITE_NO_SPACE):
            return "space"
        if any(words in text for words in _SQLITE_NOT_WRITABLE):
            return "read-only"
        if any(words in text for words in _SQLITE_DISK):
            return "disk"
    return None


def _message(kind: str, exc: BaseException, folder: Path | None) -> str:
    filename = getattr(exc, "filename", None)
    where = str(filename) if filename else str(folder) if folder else "the data folder"
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    kept = "what was saved before is kept"
    if kind == "space":
        return (
            f"cannot save: no space left on the disk of {where} ({detail}); nothing more was "
            f"saved and {kept}; free some space and try again"
        )
    if kind == "read-only":
        return (
            f"cannot save: {where} is read-only or not writable by this user ({detail}); "
            f"nothing was saved and {kept}; use a folder you can write to"
        )
    return (
        f"cannot save: the disk of {where} reported an error ({detail}); {kept} as far as the "
        "disk allows; check the disk and try again"
    )
