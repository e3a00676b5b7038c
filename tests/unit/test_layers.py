"""The core never imports Qt: every module of app/core is imported in a clean interpreter. The
command line (app/cli) never imports the GUI (app.ui) or Qt; only ``app.__main__`` starts the
app. And the app never imports the tests' own code (``tests.support``) or the benchmarks."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "app" / "core"
APP = CORE.parent
CLI = APP / "cli"
GUI = ("app.ui", "PySide6", "PyQt5", "PyQt6", "shiboken6")


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


def imported_modules(path: Path) -> set[str]:
    """The full name of every module an import statement in the file names, at any depth
    (in functions too); ``from app import ui`` names ``app.ui``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def is_gui(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in GUI)


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


def test_no_gui_import_statement_in_the_cli() -> None:
    # main.py imports UserError inside a function: the check sees function-level imports.
    assert "app.core.errors.UserError" in imported_modules(CLI / "main.py")
    offenders = {
        str(path): sorted(m for m in imported_modules(path) if is_gui(m))
        for path in sorted(CLI.rglob("*.py"))
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_building_every_command_loads_no_gui() -> None:
    # Commands are imported by name (COMMAND_MODULES), which no import statement shows.
    script = (
        "import sys\n"
        "from app.cli import main\n"
        "for name in main.COMMAND_MODULES:\n"
        "    main.build_parser(only=name)\n"
        f"gui = sorted(m for m in sys.modules if m.startswith({GUI!r}))\n"
        "print(','.join(gui))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
