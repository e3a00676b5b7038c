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


def core_package(module: str) -> str | None:
    """The package of app/core a module belongs to (``records`` for app.core.records.db; a
    top-level module such as app.core.durable is a package of its own)."""
    parts = module.split(".")
    if parts[:2] != ["app", "core"] or len(parts) < 3:
        return None
    return parts[2]


def core_import_graph() -> dict[str, dict[str, set[str]]]:
    """package → package it imports → the files that do, function-level imports included."""
    graph: dict[str, dict[str, set[str]]] = {}
    root = CORE.parent.parent
    for path in sorted(CORE.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        source = core_package(".".join(rel.parts))
        assert source is not None
        for module in imported_modules(path):
            target = core_package(module)
            if target is not None and target != source:
                graph.setdefault(source, {}).setdefault(target, set()).add(str(rel))
    return graph


def cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """Every strongly connected group of more than one package (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    nodes = set(graph) | {t for targets in graph.values() for t in targets}
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return sorted(groups)


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = {"a": {"b": {"a.py"}}, "b": {"c": {"b.py"}}, "c": {"a": {"c.py"}}, "d": {"a": set()}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b": {"a.py"}}}) == []


def test_the_core_packages_import_each_other_without_cycles() -> None:
    """Each package of app/core builds only on those below it (seal, trust, records, bundles,
    reports, sync, kits …), function-level imports included: a cycle means two packages that
    cannot be understood, tested or changed apart."""
    graph = core_import_graph()
    assert "seal" in graph.get("records", {})  # the check sees the packages' imports
    found = cycles(graph)
    detail = [
        f"{a} → {b}: {', '.join(sorted(graph[a][b]))}"
        for group in found
        for a in group
        for b in group
        if b in graph.get(a, {})
    ]
    assert found == [], "\n".join(detail)


def test_the_cli_asks_the_core_services_and_queries_no_table_itself() -> None:
    # What a command shows comes from the services the app calls too (Workspace, the
    # institution's devices …), so the command line and the windows cannot drift apart.
    assert "app.core.institution.devices" in imported_modules(CLI / "institution.py")
    tables = (
        "sqlmodel",
        "sqlalchemy",
        "app.core.records.tables",
        "app.core.records.exchange_tables",
    )
    offenders = {
        str(path): sorted(
            m
            for m in imported_modules(path)
            if any(m == t or m.startswith(t + ".") for t in tables)
        )
        for path in sorted(CLI.rglob("*.py"))
    }
    assert {path: found for path, found in offenders.items() if found} == {}
    uses = [
        str(path)
        for path in sorted(CLI.rglob("*.py"))
        if ".reading()" in (text := path.read_text(encoding="utf-8")) or ".transaction()" in text
    ]
    assert uses == []


def test_the_cli_names_the_shared_database_as_the_core_does() -> None:
    # Written twice so that parsing a command does not import SQLAlchemy; kept equal here.
    from app.cli.main import DATABASE_URL_ENV as CLI_NAME
    from app.core.records.db import DATABASE_URL_ENV as CORE_NAME

    assert CLI_NAME == CORE_NAME == "PROCTOR_DESK_DATABASE_URL"
