"""Where the data folder is: ``--data-dir``, else ``$PROCTOR_DESK_HOME``, else the platform's.

The demo (``--demo``) keeps its synthetic session in a folder of its own beside that one, so
trying the app never puts demo records among a site's real ones.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.core.errors import UserError

ENV_VAR = "PROCTOR_DESK_HOME"


class DataFolderError(UserError):
    """The data folder named cannot be one."""


DEMO_SUFFIX = "-demo"


def data_dir(
    override: str | os.PathLike[str] | None = None, *, create: bool = True, demo: bool = False
) -> Path:
    """The data folder; with ``demo`` and no ``override``, the demo's folder beside the real one."""
    if override:
        path = Path(override)
    else:
        if os.environ.get(ENV_VAR):
            path = Path(os.environ[ENV_VAR])
        else:
            import platformdirs  # imported here: only needed when no folder is given

            path = Path(platformdirs.user_data_dir("proctor-desk", appauthor=False))
        if demo:
            path = path.with_name(path.name + DEMO_SUFFIX)
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise DataFolderError(
                f"data folder {path} is a file, not a folder; name a folder (--data-dir or "
                f"${ENV_VAR}); nothing was changed"
            ) from None
    return path
