"""Files that survive a power cut once we say they are written.

Writing a temporary file, syncing it and renaming it over the target makes the content safe,
but the rename itself is an entry in the folder: until the folder is synced too, a power cut may
leave the old name or none (a database row could then point at an evidence file that is gone).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

# What link(2) says on file systems without hard links (FAT32/exFAT USB sticks, some shares).
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}


def sync_folder(folder: Path) -> None:
    """Make the entries of ``folder`` (a rename, a new file or subfolder) durable. Folders
    cannot be opened for syncing on Windows, where NTFS journals the rename itself."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(source: Path | str, target: Path) -> None:
    """Rename the synced file ``source`` over ``target`` and sync the folder holding it."""
    os.replace(source, target)
    sync_folder(target.parent)


def _synced_temporary(path: Path, suffix: str, data: bytes, mode: int) -> Path:
    """``data`` written and synced in ``.<name><suffix>`` beside ``path`` (created with ``mode``,
    a stale one from a killed attempt removed first); removed again if the writing fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{suffix}")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_durably(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` atomically and durably (temporary file, sync, rename,
    folder sync)."""
    tmp = _synced_temporary(path, ".tmp", data, mode)
    try:
        replace_durably(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def create_durably(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Create ``path`` holding ``data``, whole or not at all: ``FileExistsError`` when it is
    already there (another process made it first). The content is written and synced under a
    temporary name (with ``mode`` from the start, so a key is never readable by others), then
    linked to ``path`` (which fails if ``path`` exists) and the folder synced. A full disk or a
    killed process leaves no empty or truncated ``path`` behind, only the temporary file, which
    the next attempt removes."""
    tmp = _synced_temporary(path, ".new", data, mode)
    try:
        os.link(tmp, path)
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno not in _NO_LINKS:
            raise
        # No hard links here (FAT32/exFAT, some shares): a last look, then a rename.
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    sync_folder(path.parent)
