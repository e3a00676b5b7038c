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


# What the app and the commands create is the user's alone (folders 0700, files 0600): on a
# shared laptop the records hold people's names and ID numbers. Set as the process's umask for
# as long as it works in a data folder.
PRIVATE_UMASK = 0o077


def make_private(folder: Path) -> None:
    """Make ``folder`` and everything in it the user's alone (no bits for group and others),
    when the folder itself is not yet
    (a folder made by an earlier version, or copied in with looser modes); a folder already
    0700 is left as it is, so this costs one ``stat`` on each open. Nothing on Windows, whose
    per-user folders are private already."""
    if os.name != "posix":
        return
    try:
        if folder.stat().st_mode & 0o077 == 0:
            return
        for root, dirs, files in os.walk(folder):
            for name in [*dirs, *files]:  # the owner's bits kept (evidence stays read-only)
                path = os.path.join(root, name)
                os.chmod(path, os.stat(path).st_mode & 0o700)
        os.chmod(folder, 0o700)  # last: a walk cut short is taken up again next time
    except OSError:
        pass  # not ours to change (another user's folder): it still works as it is
