"""The candidate roster by room and seat, and its search: seat, ticket, name, or the last
digits of the ID number (what a proctor reads off a desk card or an ID at a glance)."""

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

from app.core.rosters.idcard import mask_id_number

if TYPE_CHECKING:
    from app.core.records.tables import Candidate

Index = QModelIndex | QPersistentModelIndex
CANDIDATE_ROLE = Qt.ItemDataRole.UserRole


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


class RosterModel(QAbstractTableModel):
    def __init__(self, candidates: Sequence[Candidate], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = sorted(candidates, key=lambda c: (c.room, c.seat))

    def candidate(self, row: int) -> Candidate:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            titles = [_tr("考场"), _tr("座位"), _tr("准考证号"), _tr("姓名"), _tr("证件号码")]
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
            return masked(person.id_number)
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
