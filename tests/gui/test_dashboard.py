"""The session dashboard: header and clock, roster search (seat, ticket, name, last ID digits),
the incident list model over 100,000 records, filters, the needs-signatures panel, rulebook."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.records.content import IncidentDraft
from app.core.records.db import DB_FILE
from app.core.records.service import Workspace
from app.ui.dashboard import view as dashboard_view
from app.ui.dashboard.incident_model import PAGE_SIZE
from app.ui.dashboard.view import Dashboard
from app.ui.i18n import switch_language
from tests.support.main_window import ZONE, make_session, wait_for_workers

AT_0915 = dt.datetime(2026, 1, 10, 9, 15, tzinfo=ZONE)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


def make_dashboard(qtbot: QtBot, workspace: Workspace, session_id: str) -> Dashboard:
    board = Dashboard(workspace, session_id)
    qtbot.addWidget(board)
    board.resize(1366, 740)
    board.show()
    qtbot.waitExposed(board)
    return board


def a_draft(workspace: Workspace, session_id: str, clause: str = "6.1") -> str:
    person = workspace.candidates(session_id)[0]
    draft = IncidentDraft(
        party="candidate",
        occurred_at=AT_0915,
        subject="理论知识",
        room=person.room,
        seat=person.seat,
        person_id=person.id,
        clause=clause,
        facts={},
        description="考生在座位上使用手机。",
    )
    return workspace.create_incident(session_id, draft).id


def test_header_shows_the_session_and_the_subject_in_progress(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id, _ = make_session(workspace)
    monkeypatch.setattr(dashboard_view, "now_utc", lambda: AT_0915.astimezone(dt.UTC))
    board = make_dashboard(qtbot, workspace, session_id)
    ui = board.ui
    assert ui.institutionValue.text() == "杭州匠心职业技能评价中心"
    assert ui.filingValue.text() == "S33010620250001"
    assert ui.siteValue.text().startswith("西湖考点")
    assert ui.occupationValue.text() == "电工 · 四级/中级工"
    assert ui.subjectValue.text() == "理论知识（09:00–10:30）"
    assert ui.clockValue.text() == "09:15:00"
    board.set_clock_offset(450)  # the site head's correction
    assert ui.clockValue.text() == "09:22:30"
    later = dt.datetime(2026, 1, 10, 11, 0, tzinfo=ZONE)
    assert (
        board.subject_text(later.astimezone(dt.UTC)) == "暂无；下一科目：操作技能，01-10 13:30 开始"
    )
    # The clock is enlarged once; filling the header again (each unlock) keeps its size.
    size = ui.clockValue.font().pointSizeF()
    for _ in range(3):
        board.set_read_only(False)
    assert ui.clockValue.font().pointSizeF() == size and ui.clockValue.font().bold()


def test_roster_search_by_seat_ticket_name_and_last_id_digits(
    qtbot: QtBot, workspace: Workspace
) -> None:
    session_id, _ = make_session(workspace)
    board = make_dashboard(qtbot, workspace, session_id)
    people = {c.name: c for c in workspace.candidates(session_id)}
    assert board.shown_candidates() == ["陈一", "林二", "何三", "吴四", "郑五"]
    assert board.search_roster(people["林二"].id_number[-4:]) == ["林二"]
    assert board.search_roster(people["吴四"].id_number[-6:].lower()) == ["吴四"]
    assert board.search_roster(people["何三"].ticket_number) == ["何三"]
    assert board.search_roster("郑") == ["郑五"]
    assert board.search_roster("2") == ["林二", "郑五"]  # seat 2 in each room
    board.ui.rosterRoomCombo.setCurrentIndex(board.ui.rosterRoomCombo.findData("第2考场"))
    assert board.shown_candidates() == ["郑五"]
    assert board.ui.rosterCount.text() == "1 / 5 人"
    # The full ID number is not on screen: the middle is masked.
    board.search_roster("")
    shown = board.roster_filter.index(0, 4).data()
    assert "*" in shown and shown.endswith(people["吴四"].id_number[-4:])


def test_pending_panel_lists_what_needs_signatures(qtbot: QtBot, workspace: Workspace) -> None:
    session_id, _ = make_session(workspace)
    first = a_draft(workspace, session_id)
    board = make_dashboard(qtbot, workspace, session_id)
    assert board.pending_ids() == [first]
    assert board.ui.pendingSummary.text() == "1 条待签名，0 条待确认"
    second = a_draft(workspace, session_id, "5.1")
    board.refresh()
    assert set(board.pending_ids()) == {first, second}
    wait_for_workers(qtbot)
    assert board.incidents.total() == 2 and board.ui.incidentCount.text() == "共 2 条"
    with qtbot.waitSignal(board.incidentActivated) as signal:
        board.ui.incidentView.doubleClicked.emit(board.incidents.index(0, 0))
    assert signal.args == [board.incidents.incident_id(0)]


def test_the_english_count_says_record_or_records(
    qtbot: QtBot, workspace: Workspace, qapp: QApplication
) -> None:
    session_id, _ = make_session(workspace)
    a_draft(workspace, session_id)
    switch_language(qapp, "en")
    try:
        board = make_dashboard(qtbot, workspace, session_id)
        wait_for_workers(qtbot)
        assert board.ui.incidentCount.text() == "1 record"
        a_draft(workspace, session_id, "5.1")
        board.refresh()
        wait_for_workers(qtbot)
        assert board.ui.incidentCount.text() == "2 records"
    finally:
        switch_language(qapp, "zh_CN")


def test_rulebook_pane_opens_on_its_tab(qtbot: QtBot, workspace: Workspace) -> None:
    session_id, _ = make_session(workspace)
    board = make_dashboard(qtbot, workspace, session_id)
    assert board.browser is None  # built only when first shown
    board.ui.tabs.setCurrentWidget(board.ui.rulebookTab)
    assert board.browser is not None and board.browser.isVisible()
    assert "6.1" in board.browser.clause_ids_listed()  # type: ignore[attr-defined]


def bulk_clone(workspace: Workspace, incident_id: str, rows: int) -> None:
    """Copy one real incident row ``rows`` times with varied status, clause, party, room and
    time, straight through sqlite3 (the services would take minutes to write 100,000)."""
    con = sqlite3.connect(workspace.data_dir / DB_FILE)
    con.execute("PRAGMA cache_size = -262144")  # 256 MB: fourteen indexes stay in memory
    con.row_factory = sqlite3.Row
    template = dict(con.execute("SELECT * FROM incident WHERE id = ?", (incident_id,)).fetchone())
    columns = list(template)
    rng = random.Random(7)
    statuses = ["draft", "signed", "confirmed", "confirmed", "exported", "void"]
    clauses = ["5.1", "5.2", "6.1", "6.2", "7.1"]
    base = dt.datetime(2026, 1, 10, 1, 0, tzinfo=dt.UTC)
    values = []
    for i in range(rows):
        when = (base + dt.timedelta(seconds=rng.randint(0, 86_400))).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        )
        row = dict(template)
        row.update(
            id=str(uuid.uuid4()),
            number=f"Z-{i:06d}",
            device_code="Z",
            seq=i + 1,
            status=rng.choice(statuses),
            clause=rng.choice(clauses),
            party=rng.choice(["candidate", "candidate", "staff"]),
            room=rng.choice(["第1考场", "第2考场"]),
            occurred_at=when,
        )
        values.append(tuple(row[c] for c in columns))
    values.sort()  # ids in order: the primary key index grows at its end
    marks = ",".join("?" * len(columns))
    with con:
        con.executemany(f"INSERT INTO incident ({','.join(columns)}) VALUES ({marks})", values)
        con.execute("ANALYZE")
    con.close()


def timed(label: str, fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    ms = (time.perf_counter() - start) * 1000
    print(f"{label}: {ms:.1f} ms")
    return ms


def test_incident_model_stays_fast_at_100000_rows(qtbot: QtBot, workspace: Workspace) -> None:
    session_id, _ = make_session(workspace)
    bulk_clone(workspace, a_draft(workspace, session_id), 100_000)
    board: list[Dashboard] = []
    ms_open = timed(
        "dashboard open", lambda: board.append(make_dashboard(qtbot, workspace, session_id))
    )
    model = board[0].incidents
    wait_for_workers(qtbot)  # the count runs in a worker
    assert model.total() == 100_001
    assert board[0].ui.incidentCount.text() == "共 100001 条"
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore(QModelIndex())
    ms_rows = timed("rowCount", model.rowCount)
    ms_fetch = timed("fetchMore", lambda: model.fetchMore(QModelIndex()))
    assert model.rowCount() == 2 * PAGE_SIZE
    ms_data = timed(
        "data (one screen)",
        lambda: [
            model.index(r, c).data() for r in range(PAGE_SIZE, PAGE_SIZE + 40) for c in range(9)
        ],
    )
    # Scrolling to the end of the view fetches the next page by itself.
    view = board[0].ui.incidentView
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() >= 3 * PAGE_SIZE, timeout=5000)
    ms_filter = timed("filter by status", lambda: board[0].set_filter("status", "void"))
    assert model.total() is None  # counting, while the first page is already shown
    wait_for_workers(qtbot)
    void_count = model.total()
    assert void_count is not None
    assert 0 < void_count < 100_000
    assert all(model.summary(r).status == "void" for r in range(model.rowCount()))
    ms_room = timed("filter by room", lambda: board[0].set_filter("room", "第2考场"))
    assert all(model.summary(r).room == "第2考场" for r in range(model.rowCount()))
    wait_for_workers(qtbot)
    room_count = model.total()
    assert room_count is not None and room_count < void_count
    ms_clause = timed("filter by clause", lambda: board[0].set_filter("clause", "6.1"))
    ms_party = timed("filter by party", lambda: board[0].set_filter("party", "staff"))
    ms_count = timed("count (worker) with four filters", lambda: wait_for_workers(qtbot))
    assert all(
        model.summary(r).clause == "6.1" and model.summary(r).party == "staff"
        for r in range(model.rowCount())
    )
    # Loose bounds (shared 2-core machines); the figures printed above are the measurement.
    for ms in (ms_rows, ms_count, ms_fetch, ms_data, ms_filter, ms_room, ms_clause, ms_party):
        assert ms < 1000
    assert ms_open < 5000
