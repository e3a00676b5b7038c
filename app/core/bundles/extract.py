"""Copying verified file entries out to a folder without following links or overwriting.

Names were already checked (relative, no ``..``), so this guards against the disk instead:
a folder on the way that is a link, a file that already exists. On failure, everything this
call created is removed again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from app.core.bundles.errors import ExtractError
from app.core.bundles.names import display_name

_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
)


def extract(items: Sequence[tuple[str, Path]], target: Path) -> list[Path]:
    """Copy each (entry name, spooled file) under ``target``; return the paths written."""
    created_dirs: list[Path] = []
    written: list[Path] = []
    try:
        if not target.exists():
            target.mkdir(parents=True)
            created_dirs.append(target)
        elif not target.is_dir():
            raise ExtractError(f"{target} is not a folder")
        for name, spooled in items:
            *folders, leaf = name.split("/")
            folder = target
            for part in folders:
                folder = folder / part
                if folder.is_symlink():
                    raise ExtractError(f"{folder} is a link; files are not extracted through links")
                if not folder.exists():
                    folder.mkdir()
                    created_dirs.append(folder)
                elif not folder.is_dir():
                    raise ExtractError(f"{folder} exists and is not a folder")
            dest = folder / leaf
            try:
                fd = os.open(dest, _FLAGS, 0o644)
            except FileExistsError:
                raise ExtractError(
                    f"{dest} already exists; extract {display_name(name)} to an empty folder"
                ) from None
            written.append(dest)
            with os.fdopen(fd, "wb") as out, spooled.open("rb") as source:
                shutil.copyfileobj(source, out)
    except OSError as exc:
        _undo(written, created_dirs)
        raise ExtractError(f"files cannot be extracted to {target}: {exc}") from None
    except BaseException:
        _undo(written, created_dirs)
        raise
    return written


def _undo(written: list[Path], created_dirs: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)
    for folder in reversed(created_dirs):
        with contextlib.suppress(OSError):
            folder.rmdir()
