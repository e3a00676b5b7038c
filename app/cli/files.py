"""Files the command line writes: never over an existing file (the one policy of every
``--out``: bundles, kits and roster templates refuse too), and never left half written."""

from __future__ import annotations

import os
from pathlib import Path

from app.cli.errors import CliError


def write_new(out: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``out``, which must not exist yet; the file appears whole or not at
    all (written beside it, flushed to disk, then linked in under its name)."""
    path = Path(out)
    if not path.parent.is_dir():
        raise CliError(f"{path.parent}: no such folder")
    if path.exists():
        raise CliError(f"{path} already exists; choose another file name")
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(partial, path)  # fails, rather than replacing, if the name was taken meanwhile
    except FileExistsError:
        raise CliError(f"{path} already exists; choose another file name") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot write ({exc.strerror})") from None
    finally:
        partial.unlink(missing_ok=True)
    return path
