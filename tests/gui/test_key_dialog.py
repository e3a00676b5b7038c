"""The key passphrase window: asked when the records open and the keys do not open by
themselves (no key store, no passphrase in the environment); chosen on a new laptop when it is
set up as one on the first-run page (a new computer may become the institution's there, which
has no device key)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.core.records.service import Workspace
from app.core.seal import key_vault
from app.ui.lock.key_dialog import KeyPassphraseDialog
from app.ui.main_window import MainWindow

PASSPHRASE = "test key passphrase"


def _type_and_ok(dialog: KeyPassphraseDialog, text: str, again: str | None = None) -> str:
    dialog.findChild(QLineEdit, "passphraseEdit").setText(text)
    if again is not None:
        dialog.findChild(QLineEdit, "againEdit").setText(again)
    dialog.findChild(QPushButton, "okButton").click()
    return str(dialog.findChild(QLabel, "messageLabel").text())


def test_the_keys_are_opened_with_the_passphrase_a_wrong_one_is_refused(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    expect_modal: Callable[[Callable[[object], None]], None],
) -> None:
    folder = tmp_path / "data"
    with Workspace.open(folder) as ws:
        ws.device.sign(b"made")  # the vault exists, under PASSPHRASE
    monkeypatch.delenv(key_vault.ENV)
    key_vault.forget(folder)
    messages: list[str] = []

    def answer(dialog: object) -> None:
        assert isinstance(dialog, KeyPassphraseDialog) and not dialog.choosing
        messages.append(_type_and_ok(dialog, "not it at all"))
        assert dialog.isVisible()  # still asking
        messages.append(_type_and_ok(dialog, PASSPHRASE))

    expect_modal(answer)
    ws = Workspace.open(folder)
    window = MainWindow(folder, workspace=ws)
    qtbot.addWidget(window)
    assert messages[0] == "口令不正确，请重试"
    assert window.workspace is ws
    assert key_vault.vault_for(folder).unlocked
    window.close()
    ws.close()


def test_a_new_laptop_chooses_its_passphrase_first(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    expect_modal: Callable[[Callable[[object], None]], None],
) -> None:
    monkeypatch.delenv(key_vault.ENV)
    folder = tmp_path / "data"
    messages: list[str] = []

    def answer(dialog: object) -> None:
        assert isinstance(dialog, KeyPassphraseDialog) and dialog.choosing
        messages.append(_type_and_ok(dialog, "short", "short"))
        messages.append(_type_and_ok(dialog, "long enough one", "long enough two"))
        messages.append(_type_and_ok(dialog, "long enough one", "long enough one"))

    ws = Workspace.open(folder, defer_device=True)  # as the app opens it
    window = MainWindow(folder, workspace=ws)
    qtbot.addWidget(window)
    lock = window.lock_screen
    assert window.current_page() is lock and lock.is_setup_page()
    assert not (folder / "device").exists()  # nothing made before it is set up as a laptop
    expect_modal(answer)
    _set_up_as_laptop(qtbot, window)
    assert messages[:2] == ["口令至少 8 个字符", "两次输入的口令不一致"]
    assert ws.device.code == "K" and window.current_page() is window.start_screen
    key_vault.forget(folder)
    key_vault.vault_for(folder).unlock_with("long enough one")
    window.close()
    ws.close()


def test_quitting_at_the_passphrase_leaves_the_records_closed(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    expect_modal: Callable[[Callable[[object], None]], None],
) -> None:
    monkeypatch.delenv(key_vault.ENV)
    folder = tmp_path / "data"
    with Workspace.open(folder) as ws:
        assert ws.device.device_id  # a laptop already: its device identity, no keys yet
    expect_modal(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    ws = Workspace.open(folder)
    window = MainWindow(folder, workspace=ws)
    qtbot.addWidget(window)
    assert window.workspace is None
    assert not key_vault.vault_for(folder).exists()


def test_no_passphrase_chosen_at_the_set_up_leaves_the_first_run_page(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    expect_modal: Callable[[Callable[[object], None]], None],
) -> None:
    monkeypatch.delenv(key_vault.ENV)
    folder = tmp_path / "data"
    ws = Workspace.open(folder, defer_device=True)
    window = MainWindow(folder, workspace=ws)
    qtbot.addWidget(window)
    expect_modal(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    _set_up_as_laptop(qtbot, window)
    assert window.current_page() is window.lock_screen and window.lock_screen.is_setup_page()
    assert not key_vault.vault_for(folder).exists()
    assert not window.settings.set_up
    window.close()
    ws.close()


def _set_up_as_laptop(qtbot: QtBot, window: MainWindow) -> None:
    lock = window.lock_screen
    lock.ui.deviceCodeEdit.clear()
    qtbot.keyClicks(lock.ui.deviceCodeEdit, "k")
    qtbot.keyClicks(lock.ui.deviceNameEdit, "Laptop 3")
    qtbot.mouseClick(lock.ui.setupButton, Qt.MouseButton.LeftButton)
