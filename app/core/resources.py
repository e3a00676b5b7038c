"""Finds the files the app ships (rulebooks, translations): installed, frozen or in a checkout.

An installed wheel carries them as package data, ``app/resources`` (``tools/build_hooks.py``
puts them there), and the frozen build puts the same folder beside its ``app`` package; a
checkout keeps them in its top-level ``resources/`` folder. The package's own folder is where
``importlib.resources`` would look for a package on the file system; importing that module
costs start-up time (about 18 ms before the first window), so it is used only for a package
that is not in a folder (imported from a zip).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import app

PACKAGED = "resources"


@cache
def resources_dir() -> Path:
    package = Path(app.__file__).resolve().parent if app.__file__ else None
    if package is not None and package.is_dir():
        packaged = package / PACKAGED
        if packaged.is_dir():
            return packaged
        return package.parent / "resources"  # a checkout: resources/ beside app/
    from importlib.resources import files  # a zipped package: only its loader can read it

    return Path(str(files("app").joinpath(PACKAGED)))


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
