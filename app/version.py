"""The product version, read from the installed distribution metadata."""

from __future__ import annotations

from importlib import metadata


def version() -> str:
    try:
        return metadata.version("proctor-desk")
    except metadata.PackageNotFoundError:  # running from a source tree that was not installed
        return "0.0.0+unknown"
