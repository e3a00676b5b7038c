"""Finds the files the app ships (rulebooks, translations): installed, frozen or in a checkout.

An installed wheel carries them as package data, ``app/resources`` (``tools/build_hooks.py``
puts them there), found through ``importlib.resources``; the frozen build puts the same folder
under its unpacked root; a checkout keeps them in its top-level ``resources/`` folder.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:  # PyInstaller unpacks data files under _MEIPASS
        return Path(frozen_root) / "app" / "resources"
    packaged = files("app").joinpath("resources")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
