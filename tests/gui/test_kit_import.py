"""Start screen → 从考点工作包创建: pick the kit, enter its passphrase, the import runs in a worker,
refusals (altered kit, wrong passphrase, another institution) are said in place, and the new
session opens at its lock screen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.demo.seed import seed_demo
from app.core.kits.kit_export import export_kit
from app.core.records.app_state import AppSettings, save_settings
from app.core.records.service import Workspace
from app.core.trust import site_state
from app.core.trust.institution import init_institution
from app.ui.main_window import MainWindow
from app.ui.start import kit_dialog
from app.ui.start.kit_dialog import KitImportDialog
from tests.support.main_window import wait_for_workers
from tests.support.sync import institution_signs

LEFT = Qt.MouseButton.LeftButton
SITE_PASS = "site-pass-123"


@dataclass
class Kit:
    path: Path
    session_id: str


def make_kit(folder: Path, name: str) -> Kit:
    with Workspace.open(folder / name) as ws:
        identity = init_institution(ws.data_dir, name, "admin-pass-1")
        institution_signs(ws, identity)  # no account yet
        session_id = seed_demo(ws, candidates=4, incidents=0).session_id
        path = folder / f"{name}.kit"
        export_kit(ws, identity, session_id, path, SITE_PASS)
    return Kit(path, session_id)


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Kit, Kit]:
    folder = tmp_path_factory.mktemp("kits")
    return make_kit(folder, "浙江鉴定中心"), make_kit(folder, "江苏鉴定中心")


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    ws = Workspace.open(tmp_path / "laptop")
    save_settings(ws.data_dir, AppSettings("Laptop"))
    main = MainWindow(ws.data_dir, workspace=ws)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main
    ws.close()


def open_dialog(qtbot: QtBot, window: MainWindow) -> KitImportDialog:
    screen = window.start_screen
    assert window.current_page() is screen and screen.ui.kitButton.isEnabled()
    qtbot.mouseClick(screen.ui.kitButton, LEFT)
    dialog = screen.kit_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def try_import(qtbot: QtBot, dialog: KitImportDialog, kit: Path, passphrase: str) -> None:
    dialog.pathEdit.setText(str(kit))
    dialog.passphraseEdit.clear()
    qtbot.keyClicks(dialog.passphraseEdit, passphrase)
    assert dialog.importButton.isEnabled()
    qtbot.mouseClick(dialog.importButton, LEFT)
    wait_for_workers(qtbot)


def test_kit_creates_and_opens_the_session(
    qtbot: QtBot,
    window: MainWindow,
    kits: tuple[Kit, Kit],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kit, _other = kits
    dialog = open_dialog(qtbot, window)
    assert not dialog.importButton.isEnabled()  # no file, no passphrase yet
    monkeypatch.setattr(kit_dialog, "ask_kit_file", lambda parent: str(kit.path))
    qtbot.mouseClick(dialog.chooseButton, LEFT)
    assert dialog.pathEdit.text() == str(kit.path)
    assert not dialog.importButton.isEnabled()  # the passphrase is still missing

    # Altered on the way: refused, nothing imported.
    altered = tmp_path / "altered.kit"
    data = bytearray(kit.path.read_bytes())
    data[len(data) // 2] ^= 0x55
    altered.write_bytes(bytes(data))
    try_import(qtbot, dialog, altered, SITE_PASS)
    assert "已损坏或被改动" in dialog.message()
    assert dialog.isVisible() and window.workspace is not None
    assert window.workspace.list_sessions() == []

    # A wrong passphrase: said in place, the passphrase selected to retype.
    try_import(qtbot, dialog, kit.path, "not-the-pass")
    assert "口令不正确" in dialog.message()
    assert dialog.passphraseEdit.selectedText() == "not-the-pass"
    assert window.workspace.list_sessions() == []

    try_import(qtbot, dialog, kit.path, SITE_PASS)
    assert dialog.result_ is not None and dialog.result_.certified
    assert window.session_id == kit.session_id
    assert window.current_page() is window.lock_screen
    assert site_state.is_kit_session(window.workspace.data_dir, kit.session_id)
    assert window.start_screen.selected_session() == kit.session_id


def test_kit_from_another_institution_is_refused_in_place(
    qtbot: QtBot, window: MainWindow, kits: tuple[Kit, Kit]
) -> None:
    first, other = kits
    dialog = open_dialog(qtbot, window)
    try_import(qtbot, dialog, first.path, SITE_PASS)
    assert window.session_id == first.session_id
    window.show_start()
    dialog = open_dialog(qtbot, window)
    try_import(qtbot, dialog, other.path, SITE_PASS)
    assert "另一评价机构" in dialog.message() and "浙江鉴定中心" in dialog.message()
    assert window.session_id is None
    assert window.start_screen.session_ids() == [first.session_id]
    qtbot.mouseClick(dialog.cancelButton, LEFT)
    assert not dialog.isVisible()


def test_a_kit_file_that_is_gone_is_said_to_be_missing(tmp_path: Path) -> None:
    """The core's words for a missing file are led by a plain sentence, not 'damaged'."""
    from app.core.kits.kit_import import KitError, import_kit
    from app.ui.start.kit_dialog import refusal_text

    with Workspace.open(tmp_path / "laptop") as laptop, pytest.raises(KitError) as caught:
        import_kit(laptop, tmp_path / "moved.pdkit", "site-pass-123")
    said = refusal_text(str(caught.value))
    assert said.startswith("无法打开所选文件") and "damaged" not in said


def test_a_sync_bundle_given_as_a_kit_is_named_as_such(tmp_path: Path) -> None:
    from app.core.kits.kit_import import KitError, import_kit
    from app.core.sync.export import export_bundle
    from app.ui.start.kit_dialog import refusal_text

    inst = Workspace.open(tmp_path / "institution")
    identity = init_institution(inst.data_dir, "示范鉴定中心", "admin-pass-1")
    institution_signs(inst, identity)  # no account yet
    session_id = seed_demo(inst, candidates=4, incidents=0).session_id
    kit = tmp_path / "site.pdkit"
    export_kit(inst, identity, session_id, kit, "site-pass-123")
    inst.close()
    with Workspace.open(tmp_path / "laptop") as laptop:
        import_kit(laptop, kit, "site-pass-123")
        bundle = tmp_path / "b.pdbundle"
        export_bundle(laptop, session_id, bundle)  # encrypted: the session came from a kit
        with pytest.raises(KitError) as caught:
            import_kit(laptop, bundle, "site-pass-123")
    said = refusal_text(str(caught.value))
    assert said.startswith("所选文件是同步包，不是考点包") and "damaged" not in said
