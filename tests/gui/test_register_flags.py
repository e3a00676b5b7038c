"""The register's flags on the laptop: a candidate the institution found barred when it wrote
the kit is marked at their seat (the register column, a tooltip with the clause and the last
day) and in the incident window once chosen; one added on site says it cannot be checked
offline; a candidate the kit's roster held who is not barred shows nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.core.kits.kit_export import export_kit
from app.core.records.service import Workspace
from app.core.rosters.rows import CandidateRow
from app.ui.dashboard.roster_model import REGISTER_COLUMN, RosterModel
from app.ui.dashboard.view import Dashboard
from app.ui.incident.window import IncidentWindow
from tests.support.register import decide
from tests.support.sync import SITE_PASS, make_institution, make_laptop

UNCHECKED = "现场新增，无法离线核查，评价机构导入时核查"
WALK_IN = ("孙八", "44010619880808123X")


@dataclass
class Site:
    laptop: Workspace
    session_id: str
    barred: str  # candidate ids
    clear: str
    walk_in: str


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    inst = make_institution(tmp_path)
    roster = inst.ws.candidates(inst.session_id)
    with monkeypatch.context() as clock:
        decide(
            inst.ws, clock, (roster[0].name, roster[0].id_number), "7.4",
            severity="minor", day="2024-03-10", sat_on="2023-11-01",
        )  # fmt: skip
    kit = tmp_path / "flags.kit"
    export_kit(inst.ws, inst.identity, inst.session_id, kit, SITE_PASS)
    inst.ws.close()
    laptop = make_laptop(tmp_path, "laptop-a", "A", kit)
    rooms = laptop.rooms(inst.session_id)
    room = sorted(rooms)[-1]
    laptop.import_candidates(
        inst.session_id,
        [CandidateRow(WALK_IN[0], "resident_id", WALK_IN[1], "T-WALK-IN", room, rooms[room], None)],
    )
    walk_in = next(c.id for c in laptop.candidates(inst.session_id) if c.name == WALK_IN[0])
    yield Site(laptop, inst.session_id, roster[0].id, roster[1].id, walk_in)
    laptop.close()


def _row(model: RosterModel, candidate_id: str) -> int:
    return next(r for r in range(model.rowCount()) if model.candidate(r).id == candidate_id)


def test_the_seat_view_marks_the_barred_and_the_unchecked(qtbot: QtBot, site: Site) -> None:
    board = Dashboard(site.laptop, site.session_id)
    qtbot.addWidget(board)
    model = board.roster_model
    assert model.headerData(REGISTER_COLUMN, Qt.Orientation.Horizontal) == "禁考核查"
    barred = _row(model, site.barred)
    cell = model.index(barred, REGISTER_COLUMN)
    assert cell.data() == "⛔ 禁考"
    tip = model.index(barred, 3).data(Qt.ItemDataRole.ToolTipRole)  # the name's cell too
    assert "7.4" in tip and "2026-03-10" in tip
    assert model.index(barred, 3).data(Qt.ItemDataRole.BackgroundRole) is not None
    walk_in = model.index(_row(model, site.walk_in), REGISTER_COLUMN)
    assert walk_in.data() == "未核查"
    assert walk_in.data(Qt.ItemDataRole.ToolTipRole) == UNCHECKED
    clear = _row(model, site.clear)
    assert model.index(clear, REGISTER_COLUMN).data() == ""
    assert model.index(clear, 3).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(clear, 3).data(Qt.ItemDataRole.BackgroundRole) is None


def test_the_incident_window_shows_the_flag_of_the_chosen_candidate(
    qtbot: QtBot, site: Site
) -> None:
    window = IncidentWindow(site.laptop, site.session_id)
    qtbot.addWidget(window)
    window.show()
    line = window.findChild(QLabel, "registerFlag")
    assert line is not None and not line.isVisible()
    window.picker.select(site.barred)
    assert line.isVisible()
    assert "禁考人员" in line.text() and "7.4" in line.text() and "2026-03-10" in line.text()
    window.picker.select(site.walk_in)
    assert line.isVisible() and line.text() == UNCHECKED
    window.picker.select(site.clear)
    assert not line.isVisible() and line.text() == ""
    window.picker.select(site.barred)
    index = window.ui.partyCombo.findData("staff")
    window.ui.partyCombo.setCurrentIndex(index)  # a staff member: no flag
    assert not line.isVisible()
    window.autosaver.flush()
    window.close()


def test_the_flags_in_english(qtbot: QtBot, site: Site, qapp: QApplication) -> None:
    from app.ui.i18n import available_languages, switch_language

    if "en" not in available_languages():
        pytest.skip("the English translation is not built (tools/translations.py build)")
    window = IncidentWindow(site.laptop, site.session_id)
    qtbot.addWidget(window)
    window.show()
    window.picker.select(site.walk_in)
    switch_language(qapp, "en")
    try:
        model = RosterModel(site.laptop.candidates(site.session_id), flags=window.site_flags)
        assert model.headerData(REGISTER_COLUMN, Qt.Orientation.Horizontal) == "Barred check"
        barred = model.index(_row(model, site.barred), REGISTER_COLUMN)
        assert barred.data() == "⛔ Barred"
        assert barred.data(Qt.ItemDataRole.ToolTipRole).startswith("Barred under clause 7.4")
        line = window.findChild(QLabel, "registerFlag")
        assert line is not None and line.text().startswith("Added on site: cannot be checked")
    finally:
        switch_language(qapp, "zh_CN")
    window.autosaver.flush()
    window.close()
