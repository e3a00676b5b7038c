"""What a support person asks first: which versions run here (Help → About shows them).

Read from the installed distributions' metadata, without importing the libraries; the GUI
adds the Qt it runs on.
"""

from __future__ import annotations

import platform
from importlib import metadata

from app.version import version

# The libraries whose behaviour the records, reports and bundles depend on, by distribution.
LIBRARIES = (
    "SQLAlchemy",
    "sqlmodel",
    "alembic",
    "cryptography",
    "reportlab",
    "pyHanko",
    "openpyxl",
    "argon2-cffi",
    "orjson",
)


def versions() -> list[tuple[str, str]]:
    """(name, version) of the app, Python and each library; "not installed" when missing."""
    found = [("Proctor Desk", version()), ("Python", platform.python_version())]
    for name in LIBRARIES:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "not installed"))
    return found
