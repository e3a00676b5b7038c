"""The setuptools build step that makes the wheel a working app (pyproject.toml names it).

A wheel is installed away from this checkout, so it must carry what the source tree builds and
keeps beside the code: the compiled Designer forms (``app/ui/generated``), the rulebooks and the
compiled translations (``.qm``). They are built here, into the wheel's build folder, never into
git: the forms with ``tools/build_ui.py``, the translations with ``tools/translations.py``.
``app.core.resources`` finds them as package data at ``app/resources``.

An editable install (``pip install -e .``, as ``make`` does) reads the source tree instead.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parents[1]
# Package data inside the wheel; app/core/resources.py looks here first.
PACKAGED = Path("app") / "resources"
SHIPPED = {"rulebooks": "*.toml", "translations": "*.qm"}


def _tool(name: str) -> ModuleType:
    # tools/ is not a package: load the script by path.
    path = ROOT / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"proctor_desk_{name}", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"tools/{name}.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildPy(build_py):  # type: ignore[misc]
    """setuptools' build_py, then the forms, rulebooks and translations into the build folder."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        build_lib = Path(self.build_lib)
        _tool("build_ui").build(out_dir=build_lib / "app" / "ui" / "generated")
        # The .qm files are compiled beside their .ts (git ignores them), then copied.
        _tool("translations").build()
        for folder, pattern in SHIPPED.items():
            target = build_lib / PACKAGED / folder
            target.mkdir(parents=True, exist_ok=True)
            sources = sorted((ROOT / "resources" / folder).glob(pattern))
            if not sources:
                raise RuntimeError(f"resources/{folder} has no {pattern}: nothing to ship")
            for source in sources:
                if source.stem.endswith("_pseudo"):  # a layout check for developers only
                    continue
                shutil.copy2(source, target / source.name)
