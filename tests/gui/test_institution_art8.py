"""A violation found after the evaluation (Art. 8) opened as a case in the app: from the
institution's home, the finding and its confirmation (two staff and the responsible person);
a missing confirmer is named and nothing is made; the case opens without a site record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.accounts.service import ADMIN, REVIEWER, add_account
from app.core.casework.service import CaseDesk
from app.core.records.service import Workspace
from app.core.trust.institution import init_institution
from app.ui.institution.cases.art8_dialog import Art8Dialog
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
