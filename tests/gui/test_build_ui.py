"""tools/build_ui.py: compiles forms once, again only when a form changes."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_build_ui() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_ui", ROOT / "tools" / "build_ui.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_is_idempotent_and_rebuilds_changed_forms(tmp_path: Path) -> None:
    build_ui = load_build_ui()
    forms, out = tmp_path / "forms", tmp_path / "generated"
    forms.mkdir()
    shutil.copy(ROOT / "forms" / "rulebook_browser.ui", forms)
    first = build_ui.build(forms, out)
    target = out / "ui_rulebook_browser.py"
    assert first == [target]
    assert "class Ui_RulebookBrowser" in target.read_text(encoding="utf-8")
    assert (out / "__init__.py").is_file()
    assert build_ui.build(forms, out) == []
    later = target.stat().st_mtime + 10
    os.utime(forms / "rulebook_browser.ui", (later, later))
    assert build_ui.build(forms, out) == [target]


def test_the_form_methods_are_typed_and_an_untyped_output_is_rebuilt(tmp_path: Path) -> None:
    build_ui = load_build_ui()
    forms, out = tmp_path / "forms", tmp_path / "generated"
    forms.mkdir()
    shutil.copy(ROOT / "forms" / "amend_dialog.ui", forms)
    target = out / "ui_amend_dialog.py"
    assert build_ui.build(forms, out) == [target]
    text = target.read_text(encoding="utf-8")
    assert "    def setupUi(self, AmendDialog: QDialog) -> None:\n" in text
    assert "    def retranslateUi(self, AmendDialog: QDialog) -> None:\n" in text
    # An output written before the methods were typed is current by time, yet rebuilt.
    target.write_text(text.split("\n", 1)[1], encoding="utf-8")
    assert build_ui.build(forms, out) == [target]
    assert build_ui.build(forms, out) == []


def test_a_broken_form_is_reported_and_leaves_no_module(tmp_path: Path) -> None:
    build_ui = load_build_ui()
    forms, out = tmp_path / "forms", tmp_path / "generated"
    forms.mkdir()
    (forms / "broken.ui").write_text("<ui version='4.0'><widget", encoding="utf-8")
    with pytest.raises(build_ui.BuildError, match=r"broken\.ui"):
        build_ui.build(forms, out)
    assert not (out / "ui_broken.py").exists()
    assert not list(out.glob("*.partial"))


def test_a_compiled_form_imports_only_the_qt_names_it_uses(tmp_path: Path) -> None:
    """uic imports QGradient, QPainter, QLocale … whatever the form holds; PySide6 builds each
    imported class's enums, which cost the lock screen about 30 ms before the first paint."""
    import ast

    build_ui = load_build_ui()
    forms, out = tmp_path / "forms", tmp_path / "generated"
    forms.mkdir()
    shutil.copy(ROOT / "forms" / "lock_screen.ui", forms)
    (target,) = build_ui.build(forms, out)
    tree = ast.parse(target.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6")
        for alias in node.names
    }
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert imported and imported <= used
    assert not {"QGradient", "QPainter", "QLocale", "QConicalGradient"} & imported
    compile(target.read_text(encoding="utf-8"), str(target), "exec")
