"""The core never imports Qt: every module of app/core is imported in a clean interpreter. And
the app never imports the tests' own code (``tests.support``) or the benchmarks."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "app" / "core"
APP = CORE.parent


def core_modules() -> list[str]:
    root = CORE.parent.parent
    names = []
    for path in sorted(CORE.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # alembic's env and revisions are run by alembic, not imported as modules
        rel = path.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def test_core_has_modules() -> None:
    assert "app.core.rulebook.model" in core_modules()


def imported_packages(path: Path) -> set[str]:
    """The first name of every module an import statement in the file names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_qt_import_statement_in_core() -> None:
    qt = {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
    offenders = [str(path) for path in CORE.rglob("*.py") if imported_packages(path) & qt]
    assert offenders == []


def test_the_app_never_imports_the_tests_or_the_benchmarks() -> None:
    # Test-only helpers live in tests/support; the app that ships must run without them.
    assert "app" in imported_packages(CORE / "records" / "service.py")  # the check sees imports
    outside = {"tests", "benchmarks"}
    offenders = [str(path) for path in APP.rglob("*.py") if imported_packages(path) & outside]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = core_modules()
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(qt))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
