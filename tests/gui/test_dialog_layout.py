"""The sync and kit dialogs (bundle export with its receipt, site-kit import with a refusal) and
the incident window's print menu fit their text in Chinese, English and the pseudo-translation
(every string 40 % longer): nothing clipped. Set ``PROCTOR_DESK_GRAB_DIR`` to keep PNGs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.records.service import Workspace
from app.ui.i18n import switch_language
from app.ui.start.kit_dialog import KitImportDialog
from app.ui.sync.export_dialog import ExportBundleDialog
from tests.support.layout_check import find_clipped_widgets
from tests.support.main_window import build_translations, make_session, restore_chinese

LANGUAGES = ("zh_CN", "en", "pseudo")


@pytest.fixture(scope="module")
def translations() -> None:
    build_translations()


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


def settle(qtbot: QtBot, widget: QWidget, name: str) -> list[str]:
    widget.show()
    qtbot.waitExposed(widget)
    QApplication.processEvents()
    folder = os.environ.get("PROCTOR_DESK_GRAB_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"), "PNG")
    return find_clipped_widgets(widget)


@pytest.mark.parametrize("language", LANGUAGES)
def test_new_dialogs_fit_their_text(
    qtbot: QtBot,
    qapp: QApplication,
    workspace: Workspace,
    tmp_path: Path,
    translations: None,
    cjk_family: str | None,
    language: str,
) -> None:
    session_id, _staff = make_session(workspace)
    switch_language(qapp, language)
    try:
        kit = KitImportDialog(workspace)
        qtbot.addWidget(kit)
        kit.pathEdit.setText(str(tmp_path / "missing.kit"))
        kit.passphraseEdit.setText("secret-pass")
        kit._failed(_kit_refusal())
        assert kit.message()
        problems = {"kit": settle(qtbot, kit, f"kit-{language}")}

        export = ExportBundleDialog(workspace, session_id)
        qtbot.addWidget(export)
        export.pathEdit.setText(str(tmp_path / "out.pdbundle"))
        problems["export"] = settle(qtbot, export, f"export-{language}")
        export.export()
        qtbot.waitUntil(lambda: export.result_ is not None, timeout=20_000)
        assert export.copyButton.isVisible()
        problems["receipt"] = settle(qtbot, export, f"receipt-{language}")
        if language == "pseudo":  # the pseudo strings are really in use
            assert export.exportButton.text() not in ("导出(&E)", "&Export")
    finally:
        restore_chinese(qapp)
    assert problems == {"kit": [], "export": [], "receipt": []}


def _kit_refusal() -> BaseException:
    from app.core.kits.kit_export import KitError

    return KitError("the site passphrase is wrong, or the site certificate is damaged")


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirmed_record_buttons_fit(
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    translations: None,
    cjk_family: str | None,
    language: str,
) -> None:
    from app.core.demo.seed import seed_demo
    from app.ui.incident.window import IncidentWindow

    with Workspace.open(tmp_path / "demo") as ws:
        demo = seed_demo(ws, candidates=4, incidents=1)
        head = next(s for s in ws.staff(demo.session_id) if s.role == "site_head")
        switch_language(qapp, language)
        try:
            window = IncidentWindow(
                ws, demo.session_id, incident_id=demo.incident_ids[0], operator_id=head.id
            )
            qtbot.addWidget(window)
            window.resize(1366, 740)
            problems = settle(qtbot, window, f"incident-{language}")
            row = [window.ui.printButton, window.ui.amendButton, window.ui.voidButton]
            assert all(button.isVisible() for button in row)
            names = {button.objectName() for button in row}
            assert [p for p in problems if any(n in p for n in names)] == []
            window.close()
        finally:
            restore_chinese(qapp)
