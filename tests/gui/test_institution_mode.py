"""The institution's own mode of the app: on the institution's computer the app opens on the
accounts' sign-in (the first admin created with the institution's passphrase), never on a
laptop's device set-up; then on its home (imported sessions with their counts, viewed
read-only), with bundle import and the devices for an admin; locking signs the account out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.accounts.service import ADMIN, REVIEWER, add_account, authenticate, list_accounts
from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from app.core.trust.institution import init_institution
from app.ui.institution import devices as devices_ui
from app.ui.institution.login import InstitutionLogin
from app.ui.main_window import MainWindow
from tests.support.sync import institution_signs

LEFT = Qt.MouseButton.LeftButton
PASSPHRASE = "admin-pass-1"
ADMIN_PASSWORD = "correct horse 42"


@pytest.fixture
def institution(tmp_path: Path) -> Iterator[tuple[Workspace, str, str]]:
    """An institution that imported a site's bundle from a laptop without a kit (accepted by
    its fingerprint): (workspace, session id, the laptop's fingerprint)."""
    ws = Workspace.open(tmp_path / "institution")
    identity = init_institution(ws.data_dir, "示范鉴定中心", PASSPHRASE)
    institution_signs(ws, identity)  # no account yet
    with Workspace.open(tmp_path / "laptop") as laptop:
        session_id = seed_demo(laptop, candidates=6, incidents=3).session_id
        bundle = tmp_path / "site.pdbundle"
        export_bundle(laptop, session_id, bundle)
        fingerprint = laptop.device.fingerprint
    (outcome,) = import_bundles(ws, identity, [bundle], trust=[fingerprint])
    assert outcome.status == "imported"
    yield ws, session_id, fingerprint
    ws.close()


def _window(qtbot: QtBot, ws: Workspace) -> MainWindow:
    window = MainWindow(ws.data_dir, workspace=ws)
    qtbot.addWidget(window)
    window.show()
    return window


def _sign_in(qtbot: QtBot, window: MainWindow, name: str, password: str) -> InstitutionLogin:
    """Type the account and its password on the sign-in page and click 登录; the page."""
    login = window.institution_login
    assert login is not None
    _type(qtbot, login.name_edit, name)
    _type(qtbot, login.password_edit, password)
    qtbot.mouseClick(login.submit_button, LEFT)
    return login


def _type(qtbot: QtBot, edit: object, text: str) -> None:
    edit.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(edit, text)


def test_the_first_admin_is_created_with_the_institution_passphrase(
    qtbot: QtBot, institution: tuple[Workspace, str, str]
) -> None:
    ws, _session, _fp = institution
    window = _window(qtbot, ws)
    login = window.institution_login
    assert login is not None and window.current_page() is login  # not the device set-up
    assert login.first_account and login.passphrase_edit.isVisible()
    assert not window.lock_screen.isVisible()
    _type(qtbot, login.name_edit, "wang.admin")
    _type(qtbot, login.password_edit, "short")
    qtbot.mouseClick(login.submit_button, LEFT)
    assert login.message.text() == "密码至少 10 个字符。"
    _type(qtbot, login.password_edit, ADMIN_PASSWORD)
    _type(qtbot, login.repeat_edit, ADMIN_PASSWORD + "x")
    qtbot.mouseClick(login.submit_button, LEFT)
    assert login.message.text() == "两次输入的密码不一致。"
    _type(qtbot, login.repeat_edit, ADMIN_PASSWORD)
    _type(qtbot, login.passphrase_edit, "not-the-passphrase")
    qtbot.mouseClick(login.submit_button, LEFT)
    assert login.message.text() == "机构密钥口令不正确，请重新输入。"
    assert list_accounts(ws) == []  # nothing created by a refused try
    _type(qtbot, login.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(login.passphrase_edit, Qt.Key.Key_Return)
    assert window.current_page() is window.institution_home
    assert [(a.name, a.role) for a in list_accounts(ws)] == [("wang.admin", ADMIN)]
    home = window.institution_home
    assert home is not None and "已登录：wang.admin（管理员）" in home.header.text()


def test_wrong_passwords_are_counted_and_lock_the_account(
    qtbot: QtBot, institution: tuple[Workspace, str, str]
) -> None:
    ws, _session, _fp = institution
    add_account(ws, "wang.admin", ADMIN, ADMIN_PASSWORD, institution_passphrase=PASSPHRASE)
    window = _window(qtbot, ws)
    login = window.institution_login
    assert login is not None and not login.first_account
    assert not login.passphrase_edit.isVisible() and not login.repeat_edit.isVisible()
    _type(qtbot, login.name_edit, "wang.admin")
    for _ in range(4):
        _type(qtbot, login.password_edit, "wrong password")
        qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)
        assert login.message.text() == "账户或密码不正确，请重新输入。"
        assert window.current_page() is login
    _type(qtbot, login.password_edit, "wrong password")
    qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)
    assert login.message.text().startswith("账户已锁定（密码错误次数过多），请于 ")
    _type(qtbot, login.password_edit, ADMIN_PASSWORD)  # the right one, while locked
    qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)
    assert window.current_page() is login and "账户已锁定" in login.message.text()
    assert login.password_edit.text() == ""  # a password never stays in the field


def test_the_home_lists_the_sessions_and_opens_one_read_only(
    qtbot: QtBot, institution: tuple[Workspace, str, str]
) -> None:
    ws, session_id, _fp = institution
    add_account(ws, "wang.admin", ADMIN, ADMIN_PASSWORD, institution_passphrase=PASSPHRASE)
    window = _window(qtbot, ws)
    login = _sign_in(qtbot, window, "wang.admin", ADMIN_PASSWORD)
    home = window.institution_home
    assert home is not None and window.current_page() is home
    assert home.table.rowCount() == 1 and home.table.item(0, 3).text() == "3"
    assert home.import_button.isEnabled() and not home.open_button.isEnabled()
    home.table.selectRow(0)
    qtbot.mouseClick(home.open_button, LEFT)
    dashboard = window.dashboard
    assert dashboard is not None and window.current_page() is dashboard
    assert window.session_id == session_id and window.reviewing
    assert not window.menus.new_action.isEnabled()  # read-only: no new record, no signing
    assert window.open_incident(None) is None
    window.menus.switch_action.trigger()  # back to the home, still signed in
    assert window.current_page() is home and window.account is not None
    home.table.selectRow(0)
    home.open_selected()
    window.lock()  # Ctrl+L or the idle lock: the account is signed out
    assert window.current_page() is login and window.account is None
    assert window.dashboard is None and window.session_id is None


def test_a_reviewer_looks_and_an_admin_revokes_a_device(
    qtbot: QtBot, institution: tuple[Workspace, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, _session, fingerprint = institution
    admin = add_account(ws, "wang.admin", ADMIN, ADMIN_PASSWORD, institution_passphrase=PASSPHRASE)
    add_account(ws, "li.review", REVIEWER, "reviewer pass 7", by=admin)
    window = _window(qtbot, ws)
    login = window.institution_login
    assert login is not None
    _type(qtbot, login.name_edit, "li.review")
    _type(qtbot, login.password_edit, "reviewer pass 7")
    qtbot.mouseClick(login.submit_button, LEFT)
    home = window.institution_home
    assert home is not None and "（审阅人）" in home.header.text()
    assert not home.import_button.isEnabled() and home.devices_button.isEnabled()
    dialog = window.show_devices()
    assert dialog is not None and dialog.table.rowCount() == 1
    dialog.table.selectRow(0)
    assert not dialog.accept_button.isEnabled() and not dialog.revoke_button.isEnabled()
    dialog.close()
    qtbot.mouseClick(home.sign_out_button, LEFT)
    assert window.current_page() is login

    _type(qtbot, login.name_edit, "wang.admin")
    _type(qtbot, login.password_edit, ADMIN_PASSWORD)
    qtbot.mouseClick(login.submit_button, LEFT)
    dialog = window.show_devices()
    assert dialog is not None
    dialog.table.selectRow(0)
    assert "已由管理员接受" in dialog.table.item(0, 2).text()
    assert dialog.revoke_button.isEnabled() and not dialog.accept_button.isEnabled()
    monkeypatch.setattr(devices_ui, "ask_reason", lambda *_a: "   ")
    qtbot.mouseClick(dialog.revoke_button, LEFT)
    assert dialog.message.text() == "请说明吊销原因。"
    monkeypatch.setattr(devices_ui, "ask_reason", lambda *_a: "笔记本丢失")
    qtbot.mouseClick(dialog.revoke_button, LEFT)
    assert dialog.table.item(0, 2).text().startswith("已吊销")
    assert "笔记本丢失" in dialog.table.item(0, 2).text()
    assert dialog.table.item(0, 0).text().replace(" ", "") == fingerprint.replace(" ", "")
    with ws.reading() as db:
        from sqlmodel import col, select

        from app.core.records.tables import AuditEntry

        entry = db.exec(select(AuditEntry).where(col(AuditEntry.action) == "revoke_device")).one()
    assert '"account":"wang.admin"' in entry.details_json
    assert authenticate(ws, "wang.admin", ADMIN_PASSWORD).name == "wang.admin"
    dialog.close()


def test_an_admin_plans_a_session_and_writes_its_site_kit(
    qtbot: QtBot,
    institution: tuple[Workspace, str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from app.core.kits.kit_import import import_kit
    from app.ui.institution import kit_dialog
    from tests.support.main_window import (
        ROSTERS,
        fill_form,
        pick_files,
        wait_for_workers,
    )

    ws, _session, _fp = institution
    add_account(ws, "wang.admin", ADMIN, ADMIN_PASSWORD, institution_passphrase=PASSPHRASE)
    window = _window(qtbot, ws)
    _sign_in(qtbot, window, "wang.admin", ADMIN_PASSWORD)
    home = window.institution_home
    assert home is not None and home.table.rowCount() == 1
    assert not home.kit_button.isEnabled()  # no session chosen yet
    qtbot.mouseClick(home.plan_button, LEFT)
    form = window.session_form
    assert form is not None and window.current_page() is form
    fill_form(qtbot, form)
    pick_files(monkeypatch, ROSTERS / "candidates.csv", ROSTERS / "staff.csv")
    qtbot.mouseClick(form.ui.candidatesBrowseButton, LEFT)
    qtbot.mouseClick(form.ui.staffBrowseButton, LEFT)
    qtbot.mouseClick(form.ui.createButton, LEFT)
    wait_for_workers(qtbot)
    assert window.current_page() is home and home.table.rowCount() == 2
    planned = home.selected_session()
    assert planned is not None and ws.session(planned)["site"]["name"] == "江北考点"
    assert window.account is not None  # still signed in: no laptop lock screen here

    assert home.kit_button.isEnabled()
    qtbot.mouseClick(home.kit_button, LEFT)
    dialog = window.findChild(kit_dialog.KitExportDialog)
    assert dialog is not None
    kit = tmp_path / "jiangbei.pdkit"
    monkeypatch.setattr(kit_dialog, "ask_kit_path", lambda *_a: str(kit))
    _type(qtbot, dialog.passphrase_edit, PASSPHRASE)
    _type(qtbot, dialog.site_edit, "short")
    qtbot.mouseClick(dialog.export_button, LEFT)
    assert dialog.message.text() == "考点口令至少 8 个字符。" and not kit.exists()
    _type(qtbot, dialog.site_edit, "site pass 2026")
    _type(qtbot, dialog.repeat_edit, "site pass 2027")
    qtbot.mouseClick(dialog.export_button, LEFT)
    assert dialog.message.text() == "两次输入的考点口令不一致。" and not kit.exists()
    _type(qtbot, dialog.passphrase_edit, "not-the-passphrase")
    _type(qtbot, dialog.repeat_edit, "site pass 2026")
    qtbot.mouseClick(dialog.export_button, LEFT)
    assert dialog.message.text() == "机构密钥口令不正确，请重新输入。" and not kit.exists()
    _type(qtbot, dialog.passphrase_edit, PASSPHRASE)
    _type(qtbot, dialog.site_edit, "site pass 2026")
    _type(qtbot, dialog.repeat_edit, "site pass 2026")
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    assert kit.is_file() and dialog.message.text().startswith("已导出考点包：")
    dialog.close()
    # The kit opens on a laptop with the site passphrase: the plan and its rosters arrive.
    with Workspace.open(tmp_path / "laptop-b") as laptop:
        result = import_kit(laptop, kit, "site pass 2026")
        assert result.session_id == planned
        assert laptop.session(planned)["candidates"] == 3
    with ws.reading() as db:
        from sqlmodel import col, select

        from app.core.records.tables import AuditEntry

        acts = {
            e.action
            for e in db.exec(select(AuditEntry).where(col(AuditEntry.session_id) == planned))
            if '"account":"wang.admin"' in e.details_json
        }
    assert {"create_session", "export_kit"} <= acts


def test_a_new_computer_becomes_the_institutions_from_the_first_run_page(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from app.core.trust.presence import institution_here
    from app.ui.institution.setup_dialog import InstitutionSetupDialog

    ws = Workspace.open(tmp_path / "new-pc", defer_device=True)  # as the app opens it
    try:
        window = _window(qtbot, ws)
        assert window.current_page() is window.lock_screen  # a laptop's first-run page
        button = window.lock_screen.ui.institutionSetupButton
        assert button.isVisible()
        qtbot.mouseClick(button, LEFT)
        dialog = window.findChild(InstitutionSetupDialog)
        assert dialog is not None and dialog.isVisible()
        _type(qtbot, dialog.name_edit, "Guangdong Skills Centre")
        _type(qtbot, dialog.passphrase_edit, "short")
        qtbot.mouseClick(dialog.create_button, LEFT)
        assert dialog.message.text() == "口令至少 8 个字符。" and not institution_here(ws.data_dir)
        _type(qtbot, dialog.passphrase_edit, PASSPHRASE)
        _type(qtbot, dialog.repeat_edit, PASSPHRASE + "!")
        qtbot.mouseClick(dialog.create_button, LEFT)
        assert dialog.message.text() == "两次输入的口令不一致。"
        _type(qtbot, dialog.repeat_edit, PASSPHRASE)
        qtbot.mouseClick(dialog.create_button, LEFT)
        assert institution_here(ws.data_dir)
        login = window.institution_login
        assert login is not None and window.current_page() is login and login.first_account
        # The institution's accounts sign: the first-run page made no laptop device key.
        assert not (ws.data_dir / "device").exists()
    finally:
        ws.close()
