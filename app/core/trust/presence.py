"""Whether a data folder holds the institution's identity, known without loading any crypto:
the lock screen asks on every session it shows, and a site laptop never needs more."""

from __future__ import annotations

from pathlib import Path

FOLDER = "institution"
INFO_FILE = "institution.json"  # written last: its presence means the identity is complete


def folder_of(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def institution_here(data_dir: Path) -> bool:
    return (folder_of(data_dir) / INFO_FILE).is_file()
