"""Compile the Qt Designer forms in ``forms/`` into the git-ignored ``app/ui/generated/``.

Each ``forms/NAME.ui`` becomes ``app/ui/generated/ui_NAME.py`` (a ``Ui_…`` class used by
composition). A form is recompiled only when its output is missing or older than the ``.ui``
file, so running this before every test or app start costs nothing when nothing changed.
Run as ``python tools/build_ui.py``; exits non-zero with uic's message if a form does not compile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMS_DIR = ROOT / "forms"
GENERATED_DIR = ROOT / "app" / "ui" / "generated"
INIT_TEXT = '"""Modules compiled from forms/*.ui by tools/build_ui.py; not edited by hand."""\n'


class BuildError(Exception):
    """A form failed to compile; the message carries uic's output."""


def _uic_command() -> list[str]:
    # The venv's own pyside6-uic first, so the generated code matches the installed PySide6.
    bin_dir = Path(sys.executable).parent
    for name in ("pyside6-uic", "pyside6-uic.exe"):
        candidate = bin_dir / name
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which("pyside6-uic")
    if found is None:
        raise BuildError("pyside6-uic not found: install pyside6-essentials in this environment")
    return [found]


def output_for(form: Path, out_dir: Path = GENERATED_DIR) -> Path:
    return out_dir / f"ui_{form.stem}.py"


def is_stale(form: Path, output: Path) -> bool:
    return not output.is_file() or output.stat().st_mtime < form.stat().st_mtime


def build(forms_dir: Path = FORMS_DIR, out_dir: Path = GENERATED_DIR) -> list[Path]:
    """Compile the stale forms; return the outputs written (empty when all were current)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    init = out_dir / "__init__.py"
    if not init.is_file() or init.read_text(encoding="utf-8") != INIT_TEXT:
        init.write_text(INIT_TEXT, encoding="utf-8")
    written: list[Path] = []
    uic: list[str] | None = None
    for form in sorted(forms_dir.glob("*.ui")):
        output = output_for(form, out_dir)
        if not is_stale(form, output):
            continue
        uic = uic or _uic_command()
        # Write beside the target and rename, so a failed or interrupted run never leaves a
        # half-written module that a later run would take as current.
        partial = output.with_suffix(".py.partial")
        result = subprocess.run(
            [*uic, "-o", str(partial), str(form)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0 or not partial.is_file():
            partial.unlink(missing_ok=True)
            raise BuildError(f"{form.name}: uic failed: {(result.stderr or result.stdout).strip()}")
        os.replace(partial, output)
        written.append(output)
    return written


def main() -> int:
    try:
        written = build()
    except BuildError as exc:
        sys.stderr.write(f"build_ui: {exc}\n")
        return 1
    for path in written:
        print(f"build_ui: wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
