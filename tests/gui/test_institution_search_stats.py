"""Search across sessions and the statistics in the institution's windows: an ID number finds
the person and the case (and the search is audited, without the number in clear); a name's
first character finds the records; a hit opens its case or its session; the statistics count
the records in force as the core does, drawn as bars, and export to a workbook that reads
back, an existing file refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from app.core.accounts.service import ADMIN, add_account
from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry
from app.core.search.service import AUDIT_ACTION
from app.core.stats.service import statistics
from app.core.sync.export import export_bundle
from app.core.sync.importing import import_bundles
from app.core.trust.institution import init_institution
from app.ui.institution import stats_page as stats_module
from app.ui.main_window import MainWindow
from tests.support.institution_ui import signed_in
from tests.support.sync import institution_signs

PASSPHRASE = "admin-pass-1"
PASSWORD = "correct horse 42"


@pytest.fixture
def institution(tmp_path: Path) -> Iterator[tuple[Workspace, str]]:
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
    add_account(ws, "wang.admin", ADMIN, PASSWORD, institution_passphrase=PASSPHRASE)
    yield ws, session_id
    ws.close()


def _signed_in(qtbot: QtBot, ws: Workspace) -> MainWindow:
    return signed_in(qtbot, ws, "wang.admin", PASSWORD)


def test_an_id_number_finds_the_person_and_the_case_and_is_audited(
    qtbot: QtBot, institution: tuple[Workspace, str]
) -> None:
    ws, session_id = institution
    window = _signed_in(qtbot, ws)
    window.show_search()
    page = window.search_page
    assert page is not None and window.current_page() is page
    # A candidate who has a record (so a case too).
    with ws.reading() as db:
        audited_before = len(
            db.exec(select(AuditEntry).where(col(AuditEntry.action) == AUDIT_ACTION)).all()
        )
    person = next(
        c
        for c in ws.candidates(session_id)
        if any(h["person"]["name"] == c.name for h in _cases(window))
    )
    page.edit.setText(person.id_number)
    hits = page.search()
    assert {h.type for h in hits} >= {"person", "case"}
    assert page.table.rowCount() == len(hits) and page.message.text().startswith("找到")
    with ws.reading() as db:
        entries = db.exec(select(AuditEntry).where(col(AuditEntry.action) == AUDIT_ACTION)).all()
    assert len(entries) == audited_before + 1
    assert person.id_number not in entries[-1].details_json  # masked and keyed, never clear
    assert "wang.admin" in entries[-1].details_json

    case_row = next(i for i, h in enumerate(hits) if h.type == "case")
    page.open_hit(case_row)
    assert hits[case_row].id in window.case_windows
    person_row = next(i for i, h in enumerate(hits) if h.type == "person")
    page.open_hit(person_row)
    assert window.current_page() is window.dashboard and window.session_id == session_id

    window.show_search()
    page.edit.setText("不存在的人")
    assert page.search() == [] and page.message.text() == "没有找到。"


def _cases(window: MainWindow) -> list[dict[str, object]]:
    from app.core.casework.service import CaseDesk

    assert window.workspace is not None and window.account is not None
    return CaseDesk(window.workspace).list(window.account)  # type: ignore[return-value]


def test_a_name_prefix_finds_records_that_open_in_their_session(
    qtbot: QtBot, institution: tuple[Workspace, str]
) -> None:
    ws, session_id = institution
    window = _signed_in(qtbot, ws)
    window.show_search()
    page = window.search_page
    assert page is not None
    name = ws.candidates(session_id)[0].name
    # From the home's search box: the surname alone.
    window.show_institution_home()
    home = window.institution_home
    assert home is not None
    home.search_edit.setText(name[0])
    home.search_edit.returnPressed.emit()
    assert window.current_page() is page and page.edit.text() == name[0]
    hits = page.hits
    assert hits and all(h.label for h in hits)
    shown = [page.table.item(row, 1).text() for row in range(page.table.rowCount())]
    # The core's words for parties and statuses read in the interface's language.
    assert not any(word in " ".join(shown) for word in ("candidate", "open", "exported"))
    assert any(h.type == "person" and name in h.label for h in hits)
    record = next((i for i, h in enumerate(hits) if h.type == "incident"), None)
    if record is not None:
        page.open_hit(record)
        assert window.current_page() is window.dashboard and window.session_id == session_id


def test_the_statistics_count_as_the_core_and_export_a_workbook(
    qtbot: QtBot,
    institution: tuple[Workspace, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    ws, _session = institution
    window = _signed_in(qtbot, ws)
    home = window.institution_home
    assert home is not None
    home.stats_button.click()
    page = window.stats_page
    assert page is not None and window.current_page() is page
    expected = statistics(ws)
    assert page.stats is not None and page.stats.total == expected.total > 0
    assert page.total_label.text() == f"合计：{expected.total}"
    page.breakdown_combo.setCurrentIndex(page.breakdown_combo.findData("party"))
    rows = page.shown_rows()
    assert sum(n for _, n in rows) == expected.total
    assert {label for label, _ in rows} <= {"参评人员", "工作人员", "评价机构"}
    page.chart.resize(900, 300)
    widths = page.chart.bar_widths()
    most = max(n for _, n in rows)
    for (_, count), width in zip(rows, widths, strict=True):
        assert width == pytest.approx(widths[[n for _, n in rows].index(most)] * count / most)
    page.breakdown_combo.setCurrentIndex(page.breakdown_combo.findData("article"))
    assert all(label.startswith("第") for label, _ in page.shown_rows())

    out = tmp_path / "stats.xlsx"
    monkeypatch.setattr(stats_module, "ask_xlsx_path", lambda _parent: out)
    assert page.export() == out
    book = load_workbook(out)
    assert len(book.sheetnames) >= 2
    assert page.message.text().startswith("已导出")
    # The same file again: refused, the workbook unchanged.
    before = out.read_bytes()
    assert page.export() is None and out.read_bytes() == before
    assert not page.message.text().startswith("已导出")
