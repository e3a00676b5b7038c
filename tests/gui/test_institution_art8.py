"""A violation found after the evaluation (Art. 8) opened as a case in the app: from the
institution's home, the finding and its confirmation (two staff and the responsible person);
a missing confirmer is named and nothing is made; the case opens without a site record; the
certificates already issued are entered in the dialog's table, a bad one named in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QTableWidgetItem
from pytestqt.qtbot import QtBot

from app.core.accounts.service import ADMIN, REVIEWER, add_account
from app.core.casework.service import CaseDesk
from app.core.records.service import Workspace
from app.core.trust.institution import init_institution
from app.ui.institution.cases.art8_dialog import (
    ISSUED,
    LEVEL,
    NUMBER,
    OCCUPATION,
    ONLINE,
    Art8Dialog,
)
from app.ui.main_window import MainWindow
from tests.support.institution_ui import signed_in

LEFT = Qt.MouseButton.LeftButton
PASSPHRASE = "admin-pass-1"
PASSWORD = "correct horse 42"


@pytest.fixture
def institution(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "institution")
    init_institution(ws.data_dir, "示范鉴定中心", PASSPHRASE)
    first = add_account(ws, "wang.admin", ADMIN, PASSWORD, institution_passphrase=PASSPHRASE)
    add_account(ws, "zhao.reader", REVIEWER, PASSWORD, by=first)
    yield ws
    ws.close()


def _signed_in(qtbot: QtBot, ws: Workspace, name: str) -> MainWindow:
    return signed_in(qtbot, ws, name, PASSWORD)


def _fill(dialog: Art8Dialog, qtbot: QtBot) -> None:
    # QTest types ASCII only: names are set as an input method would commit them.
    dialog.name.setText("王小明")
    qtbot.keyClicks(dialog.id_number, "440106199001011234")
    dialog.clause.setCurrentIndex(dialog.clause.findData("6.2"))
    dialog.certificate.setChecked(True)
    dialog.description.setPlainText("阅卷时发现答卷与他人雷同，经核查系抄袭。")
    for (name, role), (who, what) in zip(
        dialog.confirmers,
        (("刘一", "考评人员"), ("陈二", "考务管理人员"), ("赵主任", "评价机构负责人")),
        strict=True,
    ):
        name.setText(who)
        role.setText(what)


def test_an_admin_opens_an_art8_case_without_a_site_record(
    qtbot: QtBot, institution: Workspace
) -> None:
    window = _signed_in(qtbot, institution, "wang.admin")
    home = window.institution_home
    assert home is not None and home.art8_button.isEnabled()
    qtbot.mouseClick(home.art8_button, LEFT)
    dialog = window.findChild(Art8Dialog)
    assert dialog is not None
    _fill(dialog, qtbot)
    # One confirming staff member missing: the field is named, nothing is made.
    dialog.confirmers[1][0].clear()
    dialog.submit()
    assert dialog.isVisible() and "confirmed_by.staff" in dialog.message.text()
    assert CaseDesk(institution).list(window.account) == []  # type: ignore[arg-type]

    dialog.confirmers[1][0].setText("陈二")
    dialog.submit()
    assert dialog.case_id is not None and not dialog.isVisible()
    case = window.case_windows[dialog.case_id]
    assert case.case["session_id"] is None and case.case["status"] == "open"
    assert "评价活动结束后发现（第八条），无考点记录" in case.header.text()
    assert case.shown_steps() == ["opened"]
    assert case.steps.item(0, 3).text() == "评价活动结束后发现（第八条），经确认立案"
    cases = window.cases_page
    assert cases is not None and window.current_page() is cases
    assert cases.shown_cases() == [dialog.case_id]


def test_a_reviewer_cannot_open_an_art8_case(qtbot: QtBot, institution: Workspace) -> None:
    window = _signed_in(qtbot, institution, "zhao.reader")
    home = window.institution_home
    assert home is not None and not home.art8_button.isEnabled()
    assert window.open_art8_case() is None


def test_the_certificates_issued_are_entered_in_the_dialog(
    qtbot: QtBot, institution: Workspace
) -> None:
    window = _signed_in(qtbot, institution, "wang.admin")
    home = window.institution_home
    assert home is not None
    qtbot.mouseClick(home.art8_button, LEFT)
    dialog = window.findChild(Art8Dialog)
    assert dialog is not None
    _fill(dialog, qtbot)
    dialog.exam_date.setDate(QDate(2024, 6, 15))
    dialog.certificate.setChecked(False)
    assert not dialog.certificates.isEnabled() and not dialog.add_certificate_button.isEnabled()
    dialog.certificate.setChecked(True)
    assert dialog.certificates.isEnabled()

    table = dialog.certificates
    qtbot.mouseClick(dialog.add_certificate_button, LEFT)
    qtbot.mouseClick(dialog.add_certificate_button, LEFT)
    qtbot.mouseClick(dialog.add_certificate_button, LEFT)
    assert table.rowCount() == 3
    table.selectRow(2)
    qtbot.mouseClick(dialog.remove_certificate_button, LEFT)
    assert table.rowCount() == 2

    def cell(row: int, column: int) -> QTableWidgetItem:
        item = table.item(row, column)
        assert item is not None
        return item

    def combo(row: int, column: int) -> QComboBox:
        widget = table.cellWidget(row, column)
        assert isinstance(widget, QComboBox)
        return widget

    cell(0, NUMBER).setText("0012024000123")
    cell(0, OCCUPATION).setText("电工")
    combo(0, LEVEL).setCurrentIndex(combo(0, LEVEL).findData("四级/中级工"))
    cell(0, ISSUED).setText("2024-13-01")  # no date: named in place, nothing made
    combo(0, ONLINE).setCurrentIndex(combo(0, ONLINE).findData(True))
    combo(1, LEVEL).setCurrentIndex(combo(1, LEVEL).findData("三级/高级工"))
    dialog.submit()
    assert dialog.isVisible() and "certificates[0].issued_on" in dialog.message.text()
    assert table.currentRow() == 0 and table.currentColumn() == ISSUED
    assert CaseDesk(institution).list(window.account) == []  # type: ignore[arg-type]

    cell(0, ISSUED).setText("2024-08-01")
    dialog.submit()  # the second row has no number yet
    assert dialog.isVisible() and "certificates[1].number" in dialog.message.text()
    assert table.currentRow() == 1 and table.currentColumn() == NUMBER
    assert CaseDesk(institution).list(window.account) == []  # type: ignore[arg-type]

    cell(1, NUMBER).setText("0012024000124")
    dialog.submit()
    assert dialog.case_id is not None and not dialog.isVisible()
    case = CaseDesk(institution).show(window.account, dialog.case_id)  # type: ignore[arg-type]
    assert case["without_record"]["certificates"] == [
        {
            "number": "0012024000123",
            "occupation": "电工",
            "work_type": "",
            "level": "四级/中级工",
            "issued_on": "2024-08-01",
            "online": True,
        },
        {
            "number": "0012024000124",
            "occupation": "",
            "work_type": "",
            "level": "三级/高级工",
            "issued_on": None,
            "online": None,
        },
    ]
    # The case window names each certificate already issued.
    header = window.case_windows[dialog.case_id].header.text()
    assert (
        "已颁发证书：0012024000123（电工 四级/中级工，发证日期 2024-08-01，证书数据已上网）"
        in header
    )
    assert "已颁发证书：0012024000124（三级/高级工）" in header
