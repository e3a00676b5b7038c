"""Files the command line writes: never over an existing file (the one policy of every
``--out``: bundles, kits and roster templates refuse too), and never left half written."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from app.cli.errors import CliError
from app.core.durable import sync_folder

# What link(2) says on file systems without hard links (FAT32/exFAT USB sticks, some shares).
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}


def refuse_existing(out: str | Path) -> Path:
    """``out`` as a path, refused at once when it exists or its folder does not (before any
    work goes into what would be written there)."""
    path = Path(out)
    if not path.parent.is_dir():
        raise CliError(f"{path.parent}: no such folder")
    if path.exists():
        raise CliError(f"{path} already exists; choose another file name")
    return path


def write_new(out: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``out``, which must not exist yet; the file appears whole or not at
    all (written beside it, flushed to disk, then put in place under its name)."""
    path = refuse_existing(out)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise CliError(f"{path}: cannot write ({exc.strerror})") from None
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(partial, path)
        sync_folder(path.parent)
    except FileExistsError:
        raise CliError(f"{path} already exists; choose another file name") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot write ({exc.strerror})") from None
    finally:
        partial.unlink(missing_ok=True)
    return path


def _put_in_place(partial: Path, path: Path) -> None:
    try:
        os.link(partial, path)  # fails, rather than replacing, if the name was taken meanwhile
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno not in _NO_LINKS:
            raise
        # No hard links here: a last look, then a rename (the gap is a moment, not the
        # time it took to build the file).
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(partial, path)
