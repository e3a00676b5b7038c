"""Where the data folder is: ``--data-dir``, else ``$PROCTOR_DESK_HOME``, else the platform's."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "PROCTOR_DESK_HOME"


def data_dir(override: str | os.PathLike[str] | None = None, *, create: bool = True) -> Path:
    if override:
        path = Path(override)
    elif os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR])
    else:
        import platformdirs  # imported here: only needed when no folder is given

        path = Path(platformdirs.user_data_dir("proctor-desk", appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path
