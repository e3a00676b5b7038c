"""At the institution, the admin opens an imported session read-only with the institution's
passphrase: the list and counts, each record as its PDF report; no new record, no signing, no
export. Site laptops never offer it (they hold no institution keys)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.demo.seed import seed_demo
from app.core.records.app_state import AppSettings, save_settings
from app.core.records.incidents import IncidentFilters
from app.core.records.service import Workspace
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from app.core.trust.institution import init_institution
from app.ui.main_window import MainWindow
from app.ui.reports.preview import ReportPreviewDialog
from tests.support.main_window import show_main_window
from tests.support.sync import institution_signs

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def institution(tmp_path: Path) -> Iterator[tuple[Workspace, str, list[str]]]:
    """An institution that imported a site's bundle: (workspace, session id, incident ids)."""
    ws = Workspace.open(tmp_path / "institution")
    identity = init_institution(ws.data_dir, "示范鉴定中心", "admin-pass-1")
    institution_signs(ws, identity)  # no account yet
    with Workspace.open(tmp_path / "laptop") as laptop:
        session_id = seed_demo(laptop, candidates=6, incidents=3).session_id
        bundle = tmp_path / "site.pdbundle"
        export_bundle(laptop, session_id, bundle)
        fingerprint = laptop.device.fingerprint
    (outcome,) = import_bundles(ws, identity, [bundle], trust=[fingerprint])
    assert outcome.status == "imported"
    ids = [row.id for row in ws.list_incidents(IncidentFilters(session_id=session_id))]
    yield ws, session_id, ids
    ws.close()


def test_admin_views_an_imported_session_read_only(
    qtbot: QtBot, institution: tuple[Workspace, str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.accounts.service import ADMIN, add_account
    from app.ui.sync import import_dialog

    ws, session_id, ids = institution
    add_account(ws, "wang.admin", ADMIN, "admin password 1", institution_passphrase="admin-pass-1")
    save_settings(ws.data_dir, AppSettings("Institution"))
    window = MainWindow(ws.data_dir, workspace=ws)
    qtbot.addWidget(window)
    window.show()
    # A site's session at the institution: never its lock screen, only the sign-in first.
    window.open_session(session_id)
    assert window.current_page() is window.institution_login
    assert not window.is_unlocked() and not window.lock_screen.isVisible()
    login = window.institution_login
    assert login is not None
    login.name_edit.setText("wang.admin")
    login.password_edit.setText("admin password 1")
    login.submit()
    home = window.institution_home
    assert home is not None and window.current_page() is home
    home.select_session(session_id)
    qtbot.mouseClick(home.open_button, LEFT)

    def passphrase(answer: str | None) -> None:
        monkeypatch.setattr(import_dialog, "ask_institution_passphrase", lambda *_a: answer)

    dashboard = window.dashboard
    assert window.is_unlocked() and window.reviewing and window.current_page() is dashboard
    assert dashboard is not None and dashboard.incidents.rowCount() == len(ids) > 0
    assert dashboard.ui.operatorValue.text() == "评价机构查看（只读）"
    assert not dashboard.ui.newIncidentButton.isVisible()
    # What the institution needs of a session: its records first, beside them the bundles
    # its sites sent; no subject in progress, no site clock, no "still to sign" panel.
    assert dashboard.ui.tabs.currentWidget() is dashboard.ui.incidentTab
    assert not dashboard.ui.subjectValue.isVisible() and not dashboard.ui.clockValue.isVisible()
    assert dashboard.ui.pendingGroup.title() == "已导入的数据包"
    assert dashboard.ui.pendingSummary.text() == "共 1 个数据包，来自 1 台设备"
    (entry,) = _panel_lines(dashboard)
    assert entry.startswith("设备 ") and "完整数据包" in entry
    assert f"新增 {len(ids)} 条记录" in entry
    assert "尚未导入" not in entry
    # A record's status as the institution reads it: where its person's case stands (the
    # site's steps are behind it), here every case still awaiting determination.
    statuses = {dashboard.incidents.index(r, 2).data() for r in range(len(ids))}
    assert statuses == {"待认定"}, statuses
    menus = window.menus
    assert not menus.new_action.isEnabled() and not menus.export_bundle_action.isEnabled()
    assert menus.import_bundles_action.isEnabled() and menus.summary_action.isEnabled()
    assert window.open_incident(None) is None and window.open_windows() == []

    # A record opens as its PDF report (the institution's copy), never as a form.
    dashboard.ui.incidentView.doubleClicked.emit(dashboard.incidents.index(0, 0))
    qtbot.waitUntil(lambda: window.findChild(ReportPreviewDialog) is not None, timeout=60_000)
    preview = window.findChild(ReportPreviewDialog)
    assert preview is not None and window.open_windows() == []
    preview.close()

    # A bundle imported while viewing shows in the list at once.
    import datetime as dt

    from app.core.records.content import IncidentDraft
    from app.ui.workers import running_workers

    with Workspace.open(ws.data_dir.parent / "laptop") as laptop:
        draft = IncidentDraft(party="candidate", occurred_at=dt.datetime.now(dt.UTC))
        laptop.create_incident(session_id, draft)
        later = ws.data_dir.parent / "later.pdbundle"
        export_bundle(laptop, session_id, later, since_last=True)
    passphrase("admin-pass-1")
    dialog = window.import_bundles()
    assert dialog is not None
    dialog.add_files([later])
    qtbot.mouseClick(dialog.import_button, LEFT)
    qtbot.waitUntil(lambda: running_workers() == 0 and len(dialog.outcomes) == 1, timeout=20000)
    assert dialog.outcomes[0].status == "imported"
    qtbot.waitUntil(lambda: dashboard.incidents.rowCount() == len(ids) + 1, timeout=5000)
    dialog.close()
    newest, first = _panel_lines(dashboard)
    assert "增量数据包" in newest and "新增 1 条记录" in newest and "尚未导入" not in newest
    assert "完整数据包" in first
    assert dashboard.ui.pendingSummary.text() == "共 2 个数据包，来自 1 台设备"

    window.menus.lock_action.trigger()  # the account is signed out
    assert not window.is_unlocked() and not window.reviewing
    assert window.current_page() is window.institution_login and window.account is None


def test_a_site_laptop_offers_no_institution_view(qtbot: QtBot, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "laptop") as ws:
        window, _, _ = show_main_window(qtbot, ws)
        assert window.current_page() is window.lock_screen
        assert window.institution_login is None and window.institution_home is None
        assert window.lock_screen.ui.staffCombo.isVisible()
        window.close()


def test_a_purged_session_says_so_on_the_start_list_and_the_lock_screen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """On the laptop, after the purge: the start list marks the session and its lock screen
    says why nobody can unlock it (it said to import a staff roster, which is refused)."""
    from app.core.sync.receipts import accept_receipt, issue_receipt, purge_session

    inst = Workspace.open(tmp_path / "institution")
    identity = init_institution(inst.data_dir, "示范鉴定中心", "admin-pass-1")
    institution_signs(inst, identity)  # no account yet
    laptop = Workspace.open(tmp_path / "laptop")
    try:
        session_id = seed_demo(laptop, candidates=4, incidents=1).session_id
        bundle = tmp_path / "a.pdbundle"
        bundle_id = export_bundle(laptop, session_id, bundle).receipt.bundle_id
        (outcome,) = import_bundles(inst, identity, [bundle], trust=[laptop.device.fingerprint])
        assert outcome.status == "imported"
        receipt = issue_receipt(inst, identity, bundle_id)
        accept_receipt(laptop, receipt, expect_institution=identity.public.fingerprint)
        purge_session(laptop, session_id)
        save_settings(laptop.data_dir, AppSettings("Laptop"))
        window = MainWindow(laptop.data_dir, workspace=laptop)
        qtbot.addWidget(window)
        window.show()
        listed = window.start_screen.ui.sessionList
        lines = [listed.item(i).text() for i in range(listed.count())]
        assert len(lines) == 1 and lines[0].endswith("（个人信息已清除）")
        assert window.start_screen.ui.openButton.isEnabled()
        assert not window.start_screen.ui.importButton.isEnabled()  # no rosters again
        window.open_session(session_id)
        assert "本机已清除其个人信息" in window.lock_screen.message()
        assert not window.lock_screen.ui.unlockButton.isEnabled()
        window.close()
    finally:
        laptop.close()
        inst.close()


def _panel_lines(dashboard: object) -> list[str]:
    """The entries of the panel beside the records, top to bottom."""
    panel = dashboard.ui.pendingList  # type: ignore[attr-defined]
    return [panel.item(row).text() for row in range(panel.count())]


def test_a_bundle_whose_predecessor_is_missing_says_records_may_be_missing(
    tmp_path: Path,
) -> None:
    from app.core.institution.session_bundles import session_bundles

    ws = Workspace.open(tmp_path / "institution")
    identity = init_institution(ws.data_dir, "示范鉴定中心", "admin-pass-1")
    institution_signs(ws, identity)  # no account yet
    try:
        with Workspace.open(tmp_path / "laptop") as laptop:
            session_id = seed_demo(laptop, candidates=6, incidents=1).session_id
            export_bundle(laptop, session_id, tmp_path / "1.pdbundle")
            seed_demo(laptop, candidates=6, incidents=1)
            export_bundle(laptop, session_id, tmp_path / "2.pdbundle", since_last=True)
            seed_demo(laptop, candidates=6, incidents=1)
            export_bundle(laptop, session_id, tmp_path / "3.pdbundle", since_last=True)
            fingerprint = laptop.device.fingerprint
        # The third arrives without the second: its chain back to the full bundle is broken.
        for name in ("1", "3"):
            (outcome,) = import_bundles(
                ws, identity, [tmp_path / f"{name}.pdbundle"], trust=[fingerprint]
            )
            assert outcome.status == "imported", outcome.message
        listed = session_bundles(ws, session_id)
        assert [(b.mode, b.earlier_missing) for b in listed] == [
            ("incremental", True),
            ("full", False),
        ]
        (outcome,) = import_bundles(ws, identity, [tmp_path / "2.pdbundle"])
        assert outcome.status == "imported", outcome.message
        assert not any(b.earlier_missing for b in session_bundles(ws, session_id))
    finally:
        ws.close()


def test_an_admin_signs_the_import_receipt_of_a_bundle_from_the_session_view(
    qtbot: QtBot,
    institution: tuple[Workspace, str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    import json

    from app.core.accounts.service import ADMIN, add_account
    from app.core.sync.receipts import accept_receipt
    from app.ui.institution import receipt as receipt_ui
    from app.ui.sync import import_dialog

    ws, session_id, _ids = institution
    add_account(ws, "wang.admin", ADMIN, "admin password 1", institution_passphrase="admin-pass-1")
    window = MainWindow(ws.data_dir, workspace=ws)
    qtbot.addWidget(window)
    window.show()
    login = window.institution_login
    assert login is not None
    login.name_edit.setText("wang.admin")
    login.password_edit.setText("admin password 1")
    login.submit()
    window.review_session(session_id)
    dashboard = window.dashboard
    assert dashboard is not None and dashboard.receipt_button.isVisible()
    assert not dashboard.receipt_button.isEnabled()  # no bundle chosen yet
    (bundle_id,) = [
        dashboard.ui.pendingList.item(r).toolTip() for r in range(dashboard.ui.pendingList.count())
    ]
    dashboard.select_bundle(bundle_id)
    assert dashboard.receipt_button.isEnabled()

    out = tmp_path / "receipt.pdreceipt"
    monkeypatch.setattr(receipt_ui, "ask_receipt_path", lambda *_a: out)
    monkeypatch.setattr(import_dialog, "ask_institution_passphrase", lambda *_a: "wrong pass")
    qtbot.mouseClick(dashboard.receipt_button, LEFT)
    assert not out.exists() and "口令" in dashboard.ui.pendingSummary.text()

    monkeypatch.setattr(import_dialog, "ask_institution_passphrase", lambda *_a: "admin-pass-1")
    qtbot.mouseClick(dashboard.receipt_button, LEFT)
    assert out.is_file() and dashboard.ui.pendingSummary.text().startswith("已签发导入回执")
    assert json.loads(out.read_bytes())["receipt"]["bundle_id"] == bundle_id
    # The laptop that sent the bundle (no kit: it checks the institution's fingerprint)
    # accepts it.
    from app.core.trust.institution import load_public

    expected = load_public(ws.data_dir).fingerprint
    with Workspace.open(ws.data_dir.parent / "laptop") as laptop:
        assert accept_receipt(laptop, out.read_bytes(), expected).bundle_id == bundle_id
    # Never over an existing file.
    before = out.read_bytes()
    qtbot.mouseClick(dashboard.receipt_button, LEFT)
    assert out.read_bytes() == before and "已存在" in dashboard.ui.pendingSummary.text()
