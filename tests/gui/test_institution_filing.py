"""The institution's filing in the app: 备案信息 on the home opens the window; an admin imports
a CSV (a bad row named, nothing changed), edits and saves new versions; a reviewer only looks.
A plan outside the filing is flagged when it is made and when its kit is written: the admin
sees Art. 14(2) and decides (going back changes nothing; going on is not refused)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.accounts.service import ADMIN, REVIEWER, add_account
from app.core.institution.filing import (
    FiledOccupation,
    Filing,
    ScopeFinding,
    current_filing,
    filing_history,
    record_filing,
)
from app.core.records.service import Workspace
from app.core.trust.institution import init_institution
from app.ui.institution import filing_dialog, kit_dialog
from app.ui.institution.filing_dialog import FilingDialog
from app.ui.main_window import MainWindow
from app.ui.start import session_form
from tests.support.institution_ui import signed_in

LEFT = Qt.MouseButton.LeftButton
PASSPHRASE = "admin-pass-1"
PASSWORD = "correct horse 42"
CODE = "S33020020250007"  # the code ``tests.support.main_window.fill_form`` plans under
ART_14_2 = "严重超出备案范围开展评价工作的"
CSV = (
    "项目,备案码,名称,类型,职业,工种,等级\n"
    f"机构,{CODE},,用人单位,,,\n"
    "职业,,,,焊工,,五级/初级工、四级/中级工\n"
    "分支机构,B3302001,北仑分公司,,,,\n"
)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "institution")
    init_institution(workspace.data_dir, "宁波甬江职业技能评价中心", PASSPHRASE)
    admin = add_account(workspace, "wang.admin", ADMIN, PASSWORD, institution_passphrase=PASSPHRASE)
    add_account(workspace, "li.rev", REVIEWER, PASSWORD, by=admin)
    yield workspace
    workspace.close()


def _signed_in(qtbot: QtBot, ws: Workspace, name: str) -> MainWindow:
    return signed_in(qtbot, ws, name, PASSWORD)


def _open_filing(qtbot: QtBot, window: MainWindow) -> FilingDialog:
    home = window.institution_home
    assert home is not None and home.filing_button.isEnabled()
    assert home.filing_button.text() == "备案信息(&B)…"
    qtbot.mouseClick(home.filing_button, LEFT)
    dialog = window.findChild(FilingDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_an_admin_imports_edits_and_saves_the_filing(
    qtbot: QtBot, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _signed_in(qtbot, ws, "wang.admin")
    dialog = _open_filing(qtbot, window)
    assert dialog.version_label.text() == "尚未记录备案信息。"
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV.replace("四级/中级工", "中级"), encoding="utf-8")
    monkeypatch.setattr(filing_dialog, "ask_filing_csv", lambda _parent: str(bad))
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert (
        "第3行 等级 levels" in dialog.message.text() and "“中级”不是等级" in dialog.message.text()
    )
    assert dialog.code_edit.text() == "" and dialog.occupations.rowCount() == 0  # nothing taken
    good = tmp_path / "good.csv"
    good.write_text(CSV, encoding="utf-8")
    monkeypatch.setattr(filing_dialog, "ask_filing_csv", lambda _parent: str(good))
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.code_edit.text() == CODE and dialog.branches.rowCount() == 1
    with ws.reading() as db:
        assert current_filing(db) is None  # read into the window, saved only on 保存
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.message.text() == "已保存为第 1 版备案信息。"
    # The admin adds 电工 at 三级 by hand: a second version, the first kept.
    qtbot.mouseClick(dialog.add_occupation_button, LEFT)
    row = dialog.occupations.rowCount() - 1
    dialog.occupations.item(row, 0).setText("电工")
    dialog.occupations.item(row, 2 + 2).setCheckState(Qt.CheckState.Checked)  # 三级/高级工
    dialog.note_edit.setText("新增电工")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.message.text() == "已保存为第 2 版备案信息。"
    assert dialog.version_label.text().startswith("第 2 版，由 wang.admin 于")
    with ws.reading() as db:
        history = filing_history(db)
    assert [f.version for f in history] == [1, 2] and history[1].note == "新增电工"
    assert history[1].occupations[-1] == FiledOccupation("电工", "", ("三级/高级工",))
    # A problem typed by hand is said and saves nothing.
    dialog.code_edit.clear()
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert "备案码 code" in dialog.message.text() and "未保存" in dialog.message.text()
    with ws.reading() as db:
        assert len(filing_history(db)) == 2
    dialog.close()


def test_a_reviewer_only_looks(qtbot: QtBot, ws: Workspace) -> None:
    with ws.transaction() as db:
        record_filing(
            db,
            Filing(CODE, "national_employer", (FiledOccupation("焊工", "", ("五级/初级工",)),)),
            actor="wang.admin",
            device=ws.device,
        )
    window = _signed_in(qtbot, ws, "li.rev")
    dialog = _open_filing(qtbot, window)
    assert dialog.code_edit.text() == CODE and dialog.code_edit.isReadOnly()
    assert not dialog.kind_combo.isEnabled()
    assert not dialog.save_button.isVisible() and not dialog.import_button.isVisible()
    assert not dialog.add_occupation_button.isVisible()
    level = dialog.occupations.item(0, 2)
    assert not level.flags() & Qt.ItemFlag.ItemIsUserCheckable
    dialog.save()  # even called directly, a reviewer's window records nothing
    with ws.reading() as db:
        assert len(filing_history(db)) == 1
    dialog.close()


def test_a_plan_outside_the_filing_is_flagged_at_creation_and_at_kit_export(
    qtbot: QtBot, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.main_window import ROSTERS, fill_form, pick_files, wait_for_workers

    with ws.transaction() as db:  # 焊工 only: the form's 电工 is outside
        record_filing(
            db,
            Filing(CODE, "national_employer", (FiledOccupation("焊工", "", ("五级/初级工",)),)),
            actor="wang.admin",
            device=ws.device,
        )
    window = _signed_in(qtbot, ws, "wang.admin")
    home = window.institution_home
    assert home is not None
    qtbot.mouseClick(home.plan_button, LEFT)
    form = window.session_form
    assert form is not None
    fill_form(qtbot, form)
    pick_files(monkeypatch, ROSTERS / "candidates.csv", ROSTERS / "staff.csv")
    qtbot.mouseClick(form.ui.candidatesBrowseButton, LEFT)
    qtbot.mouseClick(form.ui.staffBrowseButton, LEFT)
    seen: list[ScopeFinding] = []

    def answer(go: bool):  # type: ignore[no-untyped-def]
        def ask(_parent: object, finding: ScopeFinding) -> bool:
            seen.append(finding)
            return go

        return ask

    monkeypatch.setattr(session_form, "ask_acknowledge_scope", answer(False))
    qtbot.mouseClick(form.ui.createButton, LEFT)
    assert "未创建场次" in form.message() and window.current_page() is form
    assert seen and "“电工”未备案" in seen[-1].message_zh()
    assert ART_14_2 in seen[-1].message_zh() and "不是拒绝" in seen[-1].message_zh()
    assert ws.list_sessions() == []
    monkeypatch.setattr(session_form, "ask_acknowledge_scope", answer(True))
    qtbot.mouseClick(form.ui.createButton, LEFT)
    wait_for_workers(qtbot)
    assert window.current_page() is home and home.table.rowCount() == 1  # not refused
    # The acknowledged excess is in the plan's audit entry, under the account.
    from sqlmodel import col, select

    from app.core.records.tables import AuditEntry

    with ws.reading() as db:
        made = db.exec(select(AuditEntry).where(col(AuditEntry.action) == "create_session")).all()
    assert made and "outside_filed_scope" in made[-1].details_json

    qtbot.mouseClick(home.kit_button, LEFT)
    dialog = window.findChild(kit_dialog.KitExportDialog)
    assert dialog is not None
    assert dialog.scope_label.isVisible() and ART_14_2 in dialog.scope_label.text()
    kit = tmp_path / "plan.pdkit"
    monkeypatch.setattr(kit_dialog, "ask_kit_path", lambda *_a: str(kit))
    monkeypatch.setattr(kit_dialog, "ask_acknowledge_scope", answer(False))
    for edit, text in (
        (dialog.passphrase_edit, PASSPHRASE),
        (dialog.site_edit, "site pass 2026"),
        (dialog.repeat_edit, "site pass 2026"),
    ):
        edit.setText(text)
    qtbot.mouseClick(dialog.export_button, LEFT)
    assert "未导出考点包" in dialog.message.text() and not kit.exists()
    monkeypatch.setattr(kit_dialog, "ask_acknowledge_scope", answer(True))
    qtbot.mouseClick(dialog.export_button, LEFT)
    assert kit.is_file() and f"备案码：{CODE}" in dialog.message.text()
    assert len(seen) == 4
    dialog.close()
