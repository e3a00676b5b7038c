"""Compile the Qt Designer forms in ``forms/`` into the git-ignored ``app/ui/generated/``.

Each ``forms/NAME.ui`` becomes ``app/ui/generated/ui_NAME.py`` (a ``Ui_…`` class used by
composition). A form is recompiled only when its output is missing, older than the ``.ui``
file or written before the output was typed, so running this before every test or app start
costs nothing when nothing changed.

uic writes ``setupUi(self, Form)`` and ``retranslateUi(self, Form)`` without annotations, and
``mypy --strict`` refuses every call to them from our typed code. Each output is therefore
given the signatures ``(self, Form: <the form's top-level class>) -> None``: the callers stay
under ``disallow_untyped_calls`` and passing the wrong kind of widget is caught. The bodies stay
uic's own (pyproject.toml tells mypy not to report errors inside ``app.ui.generated``).
Run as ``python tools/build_ui.py``; exits non-zero with uic's message if a form does not compile.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMS_DIR = ROOT / "forms"
GENERATED_DIR = ROOT / "app" / "ui" / "generated"
INIT_TEXT = '"""Modules compiled from forms/*.ui by tools/build_ui.py; not edited by hand."""\n'
# The first line of every typed output; an output without it predates typing (or the trimmed
# imports) and is rebuilt.
TYPED_STAMP = (
    "# Typed by tools/build_ui.py: setupUi and retranslateUi annotated for mypy, "
    "imports trimmed.\n"
)
_UI_METHOD = re.compile(r"^(    def (?:setupUi|retranslateUi)\(self, )(\w+)\):$", re.MULTILINE)


class BuildError(Exception):
    """A form failed to compile or to be typed; the message names the form and the cause."""


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
    if not output.is_file() or output.stat().st_mtime < form.stat().st_mtime:
        return True
    with output.open(encoding="utf-8") as handle:
        return handle.readline() != TYPED_STAMP


def _top_level_class(form: Path) -> str:
    """The class of the form's top-level widget (``QWidget``, ``QDialog`` …)."""
    try:
        widget = ET.parse(form).getroot().find("widget")
    except ET.ParseError as exc:
        raise BuildError(f"{form.name}: not a readable form: {exc}") from exc
    if widget is None or not widget.get("class"):
        raise BuildError(f"{form.name}: no top-level widget")
    return widget.get("class", "")


def trimmed_imports(source: str) -> str:
    """uic's module importing only the Qt names it uses.

    uic imports some 40 names whatever the form holds (QGradient, QPainter, QLocale …), and
    PySide6 builds a class's Python enums when the class is first imported: QGradient's
    presets and QPainter's modes alone cost about 18 ms before the first window is painted.
    """
    import ast

    tree = ast.parse(source)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    lines = source.splitlines(keepends=True)
    for node in reversed(tree.body):
        if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6")):
            continue
        names = [alias.name for alias in node.names if alias.name in used]
        start, end = node.lineno - 1, node.end_lineno or node.lineno
        kept = f"from {node.module} import {', '.join(names)}\n" if names else ""
        lines[start:end] = [kept]
    return "".join(lines)


def typed(source: str, form: Path) -> str:
    """uic's module with ``setupUi`` and ``retranslateUi`` annotated, stamped as typed."""
    widget_class = _top_level_class(form)
    # The annotation names the class as uic imported it; a class uic did not import (a custom
    # top-level widget) would need an import added here, so it is refused rather than guessed.
    imported = rf"^from PySide6\.\w+ import (?:\([^)]*|[^\n(]*)\b{re.escape(widget_class)}\b"
    if not re.search(imported, source, re.MULTILINE):
        raise BuildError(f"{form.name}: uic did not import the top-level class {widget_class}")
    annotated, count = _UI_METHOD.subn(rf"\1\2: {widget_class}) -> None:", source)
    if count != 2:
        raise BuildError(
            f"{form.name}: expected setupUi and retranslateUi in uic's output, found {count}"
        )
    return TYPED_STAMP + trimmed_imports(annotated)


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
        try:
            source = typed(partial.read_text(encoding="utf-8"), form)
        except BuildError:
            partial.unlink()
            raise
        partial.write_text(source, encoding="utf-8")
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
