"""The candidate roster by room and seat, and its search: seat, ticket, name, or the last
digits of the ID number (what a proctor reads off a desk card or an ID at a glance). A
candidate the institution found barred when it wrote the kit is marked (the register column,
the row in red, a tooltip with the clause and the last day); one added on site is marked as
not checked: the laptop holds no register to check them against."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.core.register.kit_flags import SiteFlags
from app.core.rosters.idcard import mask_id_number

if TYPE_CHECKING:
    from app.core.records.tables import Candidate

Index = QModelIndex | QPersistentModelIndex
CANDIDATE_ROLE = Qt.ItemDataRole.UserRole
REGISTER_COLUMN = 5
BARRED_BACKGROUND = QColor("#fde2e1")
BARRED_TEXT = QColor("#a4000f")


_CTX = "RosterModel"  # the translation context (tools/translations.py reads it)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def masked(id_number: str) -> str:
    """The ID number with its middle hidden, as on the candidate's copy of a report."""
    return mask_id_number(id_number)


def matches(candidate: Candidate, query: str) -> bool:
    """Does ``query`` find ``candidate``? What a proctor types decides what it means:

    * one to three digits: a seat number (three digits: also the end of an ID number);
    * four or more characters: part of a ticket number, or the end of an ID number;
    * any text: part of the name.
    """
    text = query.strip().upper()
    if not text:
        return True
    if text.isdigit() and len(text) <= 3 and candidate.seat == int(text):
        return True
    if len(text) >= 3 and candidate.id_number.upper().endswith(text):
        return True
    if len(text) >= 4 and text in candidate.ticket_number.upper():
        return True
    return not text.isdigit() and query.strip() in candidate.name


def barred_text(clause: str, last_day: str) -> str:
    """The tooltip of a barred candidate: the clause and the last day of the ban."""
    return (
        _tr("禁考：依第 %1 条（项）处理，禁考至 %2（含）。请按考务规定处理并报考场负责人。")
        .replace("%1", clause)
        .replace("%2", last_day)
    )


def unchecked_text() -> str:
    """The tooltip of a candidate added on site."""
    return _tr("现场新增，无法离线核查，评价机构导入时核查")


def _site_flags(parent: Any) -> SiteFlags:
    """The flags of the dashboard's session, read through the workspace it shows."""
    workspace, session_id = getattr(parent, "workspace", None), getattr(parent, "session_id", None)
    if workspace is None or not isinstance(session_id, str):
        return SiteFlags()
    from app.core.register.service import site_flags

    return site_flags(workspace, session_id)


class RosterModel(QAbstractTableModel):
    def __init__(
        self, candidates: Sequence[Candidate], parent: Any = None, flags: SiteFlags | None = None
    ) -> None:
        super().__init__(parent)
        self._rows = sorted(candidates, key=lambda c: (c.room, c.seat))
        # Without flags given, those of the parent dashboard's session (its workspace).
        self.site_flags = flags if flags is not None else _site_flags(parent)

    def candidate(self, row: int) -> Candidate:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            titles = [
                _tr("考场"),
                _tr("座位"),
                _tr("准考证号"),
                _tr("姓名"),
                _tr("证件号码"),
                _tr("禁考核查"),
            ]
            return titles[section] if 0 <= section < len(titles) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        person = self._rows[index.row()]
        if role == CANDIDATE_ROLE:
            return person.id
        if role == Qt.ItemDataRole.DisplayRole:
            values = (person.room, person.seat, person.ticket_number, person.name)
            if index.column() < 4:
                return str(values[index.column()])
            if index.column() == REGISTER_COLUMN:
                return self.register_label(person.id)
            return masked(person.id_number)
        return self._register_data(person.id, index.column(), role)

    def register_label(self, candidate_id: str) -> str:
        """What the register column says: barred (禁考), not checked (未核查), or nothing."""
        if self.site_flags.flag(candidate_id) is not None:
            return "⛔ " + _tr("禁考")
        if self.site_flags.added_on_site(candidate_id):
            return _tr("未核查")
        return ""

    def register_tooltip(self, candidate_id: str) -> str | None:
        flag = self.site_flags.flag(candidate_id)
        if flag is not None:
            return barred_text(flag.clause, flag.last_day)
        if self.site_flags.added_on_site(candidate_id):
            return unchecked_text()
        return None

    def _register_data(self, candidate_id: str, column: int, role: int) -> Any:
        barred = self.site_flags.flag(candidate_id) is not None
        if role == Qt.ItemDataRole.ToolTipRole:
            # The whole row of a barred candidate explains itself; otherwise the column does.
            if barred or column == REGISTER_COLUMN:
                return self.register_tooltip(candidate_id)
        elif role == Qt.ItemDataRole.BackgroundRole and barred:
            return QBrush(BARRED_BACKGROUND)
        elif role == Qt.ItemDataRole.ForegroundRole and barred:
            return QBrush(BARRED_TEXT)
        return None


class RosterFilter(QSortFilterProxyModel):
    """Filters the roster by a search text and a room."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._query = ""
        self._room: str | None = None

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._query = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_room(self, room: str | None) -> None:
        self.beginFilterChange()
        self._room = room
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RosterModel)
        candidate = model.candidate(source_row)
        if self._room is not None and candidate.room != self._room:
            return False
        return matches(candidate, self._query)
