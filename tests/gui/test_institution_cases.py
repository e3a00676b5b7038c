"""The institution's cases in the app: from the home to the list (one case per person per
session, made at import), filtered; a case's window shows where it stands and offers only the
steps that may come next; an admin determines it; two admins acting on the same case: the
second is told of the conflict and nothing is overwritten; a reviewer only reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.accounts.service import ADMIN, REVIEWER, add_account
from app.core.casework.service import CaseDesk
from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from app.core.trust.institution import init_institution
from app.ui.dashboard.incident_model import ID_ROLE
from app.ui.institution.cases import case_window as case_window_module
from app.ui.institution.cases.case_window import CaseWindow
from app.ui.institution.cases.list_page import CaseListPage
from app.ui.main_window import MainWindow
from tests.support.institution_ui import signed_in
from tests.support.sync import institution_signs

LEFT = Qt.MouseButton.LeftButton
PASSPHRASE = "admin-pass-1"
PASSWORD = "correct horse 42"


@pytest.fixture
def institution(tmp_path: Path) -> Iterator[tuple[Workspace, str]]:
    """An institution that imported a site's session (demo records of candidates and staff),
    with two admins and a reviewer: (workspace, session id)."""
    ws = Workspace.open(tmp_path / "institution")
    identity = init_institution(ws.data_dir, "示范鉴定中心", PASSPHRASE)
    institution_signs(ws, identity)  # no account yet
    with Workspace.open(tmp_path / "laptop") as laptop:
        session_id = seed_demo(laptop, candidates=24, incidents=19).session_id
        bundle = tmp_path / "site.pdbundle"
        export_bundle(laptop, session_id, bundle)
        fingerprint = laptop.device.fingerprint
    (outcome,) = import_bundles(ws, identity, [bundle], trust=[fingerprint])
    assert outcome.status == "imported"
    first = add_account(ws, "wang.admin", ADMIN, PASSWORD, institution_passphrase=PASSPHRASE)
    for name, role in (("li.admin", ADMIN), ("zhao.reader", REVIEWER)):
        add_account(ws, name, role, PASSWORD, by=first)
    yield ws, session_id
    ws.close()


def _signed_in(qtbot: QtBot, ws: Workspace, name: str) -> MainWindow:
    return signed_in(qtbot, ws, name, PASSWORD)


def _cases(qtbot: QtBot, window: MainWindow) -> CaseListPage:
    home = window.institution_home
    assert home is not None
    qtbot.mouseClick(home.cases_button, LEFT)
    page = window.cases_page
    assert page is not None and window.current_page() is page
    return page


def _candidate_case(page: CaseListPage) -> tuple[int, dict[str, Any]]:
    """The row and the case of the first candidate case whose records call for no fact still
    open (Art. 6: one subject's score cancelled)."""
    for row in range(page.model.rowCount()):
        case = page.model._rows[row]
        if case["party"] == "candidate" and all(c.startswith("6.") for c in case["clauses"]):
            return row, case
    raise AssertionError("no Art. 6 candidate case in the demo session")


def test_the_cases_list_comes_from_the_import_and_filters(
    qtbot: QtBot, institution: tuple[Workspace, str]
) -> None:
    ws, session_id = institution
    window = _signed_in(qtbot, ws, "wang.admin")
    page = _cases(qtbot, window)
    everything = page.shown_cases()
    listed = CaseDesk(ws).list(window.account)  # type: ignore[arg-type]
    assert len(everything) == len(listed) > 0
    # One case per person per session: no person twice.
    people = [(c["party"], c["person"]["name"]) for c in listed]
    assert len(set(people)) == len(people)
    assert {page.model.data(page.model.index(r, 5)) for r in range(len(everything))} == {"待认定"}
    # The person's ID number is masked in the list.
    masked = [page.model.data(page.model.index(r, 1)) for r in range(len(everything))]
    assert any("*" in text for text in masked)

    page.party_combo.setCurrentIndex(page.party_combo.findData("staff"))
    staff = page.shown_cases()
    assert 0 < len(staff) < len(everything)
    assert all(c["party"] == "staff" for c in listed if c["id"] in staff)
    page.status_combo.setCurrentIndex(page.status_combo.findData("closed"))
    assert page.shown_cases() == [] and page.count_label.text() == f"0 / {len(everything)} 件"
    page.set_filters(session_id=session_id)
    assert page.shown_cases() == everything
    qtbot.mouseClick(page.back_button, LEFT)
    assert window.current_page() is window.institution_home


def test_an_admin_determines_a_case_and_a_second_admin_meets_the_conflict(
    qtbot: QtBot, institution: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, _session = institution
    window = _signed_in(qtbot, ws, "wang.admin")
    page = _cases(qtbot, window)
    row, case = _candidate_case(page)
    page.table.selectRow(row)
    qtbot.mouseClick(page.open_button, LEFT)
    first = window.case_windows[case["id"]]
    assert isinstance(first, CaseWindow) and first.isVisible()
    assert "待认定" in first.header.text() and "居民身份证" in first.header.text()
    opened = first.steps.item(0, 3).text()
    assert opened.startswith("同步包导入时立案，含记录：") and "-0" in opened, opened
    # Only what may come next: determination (认定, Art. 16), or the end of a case without
    # a violation, or another authority's conclusion (Art. 18); nothing of the later steps.
    assert first.offered_steps() == ["determine", "close", "other-authority"]

    # A second admin on another computer has the same case open, as it stood.
    other_window = _signed_in(qtbot, ws, "li.admin")
    second = other_window.open_case(case["id"])
    assert second is not None and second.case["version"] == first.case["version"]

    monkeypatch.setattr(case_window_module, "ask_step", lambda *_a: {})
    qtbot.mouseClick(first.step_buttons["determine"], LEFT)
    assert first.message_text() == "已办理：认定（第十六条）"
    assert "已认定" in first.header.text()
    assert first.shown_steps() == ["opened", "determine"]
    assert first.steps.item(1, 1).text() == "wang.admin"
    assert first.steps.item(1, 3).text() == f"认定违纪违规：{'、'.join(case['clauses'])}"
    assert first.offered_steps() == ["determine", "notice", "close", "refer", "other-authority"]
    assert page.model.data(page.model.index(row, 5)) == "已认定"  # the list caught up
    # The session's records show where their person's case stands.
    window.review_session(_session)
    dashboard = window.dashboard
    assert dashboard is not None
    model = dashboard.incidents
    shown = {
        model.index(r, 0).data(ID_ROLE): model.index(r, 2).data() for r in range(model.rowCount())
    }
    held = set(first.case["records"])
    assert {shown[i] for i in held} == {"已认定"}
    assert set(shown.values()) - {"已认定"} == {"待认定"}

    # The second admin acts on what they saw: refused, nothing overwritten, shown anew.
    before = CaseDesk(ws).show(window.account, case["id"])  # type: ignore[arg-type]
    assert not second.take_step("determine", {})
    assert "其他账号已办理了本案件的步骤" in second.message_text()
    after = CaseDesk(ws).show(window.account, case["id"])  # type: ignore[arg-type]
    assert after["steps"] == before["steps"] and after["version"] == before["version"]
    assert second.shown_steps() == ["opened", "determine"] and "已认定" in second.header.text()
    assert [s["account"] for s in after["steps"]][-1] == "wang.admin"


def test_a_refused_step_is_said_in_place_and_changes_nothing(
    qtbot: QtBot, institution: tuple[Workspace, str]
) -> None:
    ws, _session = institution
    window = _signed_in(qtbot, ws, "wang.admin")
    page = _cases(qtbot, window)
    _row, case = _candidate_case(page)
    opened = window.open_case(case["id"])
    assert opened is not None
    before = opened.case
    # Closing an open case that holds records in force is refused by the core.
    assert not opened.take_step("close", {"note": "无需处理"})
    assert opened.message_text().startswith("此步骤没有进行：")
    opened.reload()
    assert opened.case["steps"] == before["steps"] and opened.case["status"] == "open"


def test_a_reviewer_reads_a_case_and_is_offered_no_step(
    qtbot: QtBot, institution: tuple[Workspace, str]
) -> None:
    ws, _session = institution
    window = _signed_in(qtbot, ws, "zhao.reader")
    page = _cases(qtbot, window)
    _row, case = _candidate_case(page)
    opened = window.open_case(case["id"])
    assert opened is not None and opened.offered_steps() == []
    assert opened.next_label.text() == "审阅人只能查看，办理步骤由管理员进行。"
    assert opened.shown_steps() == ["opened"]
    # Signing out closes the case windows: they act for the account.
    window.lock()
    assert window.case_windows == {} and window.account is None


def test_a_case_walks_to_a_delivered_decision_then_an_objection_and_a_review(
    qtbot: QtBot, institution: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Art. 16–19 in the windows: determine, notice (its PDF shown), decide (the ban dated
    from the decision), deliver, an objection, and the review by a second admin; the first
    admin, who decided, may not review."""
    from PySide6.QtWidgets import QPlainTextEdit

    from app.core.casework.cases import today
    from app.ui.reports.preview import ReportPreviewDialog

    ws, _session = institution
    window = _signed_in(qtbot, ws, "wang.admin")
    page = _cases(qtbot, window)
    _row, case = _candidate_case(page)
    opened = window.open_case(case["id"])
    assert opened is not None
    answers: list[dict[str, Any]] = []
    monkeypatch.setattr(case_window_module, "ask_step", lambda *_a: answers.pop(0))

    def step(name: str, values: dict[str, Any]) -> None:
        answers.append(values)
        assert name in opened.offered_steps(), (name, opened.offered_steps())
        qtbot.mouseClick(opened.step_buttons[name], LEFT)
        assert opened.message_text() == f"已办理：{case_window_module.step_label(name)}", (
            opened.message_text()
        )

    assert "待评价机构按程序认定" in opened.handling.text()  # open: the engine's reading
    step("determine", {})
    assert "待评价机构" not in opened.handling.text()  # determined: that step is behind it
    # A wrong passphrase makes no document and leaves the case as it was.
    answers.append({"respond_by": None, "passphrase": "not the passphrase"})
    qtbot.mouseClick(opened.step_buttons["notice"], LEFT)
    assert opened.message_text() == "机构密钥口令不正确，文书没有制作，案件未改变。"
    assert opened.case["status"] == "determined" and opened.shown_documents() == []

    step("notice", {"respond_by": None, "passphrase": PASSPHRASE})
    assert isinstance(opened.preview, ReportPreviewDialog)  # the signed notice, shown
    assert opened.preview.document.pageCount() >= 1
    assert opened.shown_documents() == ["notice"]
    decided_on = today()  # the institution's calendar day (Asia/Shanghai), as the core counts
    step("decide", {"decision_date": decided_on, "delivery": "served", "passphrase": PASSPHRASE})
    assert "已作出处理决定" in opened.header.text()
    assert opened.shown_documents() == ["notice", "decision"]
    step("deliver", {"document": "decision", "method": "in_person", "date": decided_on})
    assert "处理决定已送达" in opened.header.text()
    step("object", {"text": "当时手机已关机，并未使用。", "received_on": decided_on})
    assert "陈述申辩，待复核" in opened.header.text()

    # The admin who decided may not review (Art. 19: the review is a second look).
    answers.append({"outcome": "upheld", "passphrase": PASSPHRASE})
    qtbot.mouseClick(opened.step_buttons["review"], LEFT)
    assert opened.message_text().startswith("此步骤没有进行："), opened.message_text()
    assert opened.case["status"] == "under_review"

    reviewer_window = _signed_in(qtbot, ws, "li.admin")
    second = reviewer_window.open_case(case["id"])
    assert second is not None
    monkeypatch.setattr(
        case_window_module,
        "ask_step",
        lambda *_a: {"outcome": "upheld", "passphrase": PASSPHRASE},
    )
    qtbot.mouseClick(second.step_buttons["review"], LEFT)
    assert second.message_text() == "已办理：复核决定（第十九条）", second.message_text()
    assert "已复核" in second.header.text()
    assert second.shown_documents() == ["notice", "decision", "objection", "review"]
    accounts = [s["account"] for s in second.case["steps"]]
    assert accounts[-1] == "li.admin" and "wang.admin" in accounts
    # Every document opens again from the list: the signed ones as their PDF (checked against
    # their hash), the objection as the text received.
    for kind, sha in [(d["kind"], d["sha256"]) for d in second.case["documents"]]:
        shown = second.open_document(kind, sha)
        if kind == "objection":
            assert shown is not None and "并未使用" in shown.findChild(QPlainTextEdit).toPlainText()
        else:
            assert isinstance(shown, ReportPreviewDialog) and shown.document.pageCount() >= 1
        assert shown is not None
        shown.close()


def test_the_cases_list_loads_a_page_at_a_time_and_counts_in_the_database(
    qtbot: QtBot, institution: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.institution.cases import list_page

    monkeypatch.setattr(list_page, "PAGE_SIZE", 4)
    ws, session_id = institution
    window = _signed_in(qtbot, ws, "wang.admin")
    page = _cases(qtbot, window)
    desk = CaseDesk(ws)
    everything = [c["id"] for c in desk.list(window.account)]  # type: ignore[arg-type]
    assert len(everything) > 8
    model = page.model
    assert page.shown_cases() == everything[:4] and model.canFetchMore()
    assert page.count_label.text() == f"{len(everything)} / {len(everything)} 件"
    model.fetchMore()
    assert page.shown_cases() == everything[:8]
    while model.canFetchMore():
        model.fetchMore()
    assert page.shown_cases() == everything
    # A case beyond the first page is found (and loaded) when it is to be selected.
    page.set_filters()
    assert model.rowCount() == 4
    page.select_case(everything[-1])
    assert page.selected_case() == everything[-1]
    # The filters are the database's: the first page of what passes them, and their count.
    page.party_combo.setCurrentIndex(page.party_combo.findData("candidate"))
    candidates = [c["id"] for c in desk.list(window.account, party="candidate")]  # type: ignore[arg-type]
    assert page.shown_cases() == candidates[:4]
    assert page.count_label.text() == f"{len(candidates)} / {len(everything)} 件"
    page.party_combo.setCurrentIndex(0)
    page.overdue_check.setChecked(True)  # nothing is noticed or delivered yet
    assert page.shown_cases() == [] and not model.canFetchMore()
    assert page.count_label.text() == f"0 / {len(everything)} 件"
    page.set_filters(session_id=session_id, party="staff")
    staff = [c["id"] for c in desk.list(window.account, party="staff")]  # type: ignore[arg-type]
    assert page.shown_cases() == staff[:4]
    assert page.count_label.text() == f"{len(staff)} / {len(everything)} 件"


def test_an_admin_sets_the_deadlines_a_reviewer_may_not(
    qtbot: QtBot, institution: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The periods to respond and to object (institution practice) are set from the list."""
    from app.ui.institution.cases import list_page

    ws, _session = institution
    window = _signed_in(qtbot, ws, "wang.admin")
    page = _cases(qtbot, window)
    asked: list[tuple[int, int]] = []

    def answer(_parent: object, response: int, objection: int) -> tuple[int, int]:
        asked.append((response, objection))
        return (3, 10)

    monkeypatch.setattr(list_page, "ask_deadlines", answer)
    assert page.deadlines_button.isEnabled()
    qtbot.mouseClick(page.deadlines_button, LEFT)
    assert asked == [(5, 15)]  # the defaults, offered to change
    assert CaseDesk(ws).deadlines(window.account) == (3, 10)  # type: ignore[arg-type]

    reader = _signed_in(qtbot, ws, "zhao.reader")
    reading = _cases(qtbot, reader)
    assert not reading.deadlines_button.isEnabled()
