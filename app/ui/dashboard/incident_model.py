"""The incident list as a Qt model over the records: pages fetched as the view scrolls.

A filter change runs one page of ``list_incidents`` on the spot; ``count_incidents`` (which
with several filters combined can take longer than a page) runs in a worker and reports
through ``totalChanged``. One more page loads each time the view reaches the end of what is
loaded (``canFetchMore`` / ``fetchMore``), so 100,000 records cost no more to open than 200.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.records.status import RecordStatus
from app.ui.labels import party_label

if TYPE_CHECKING:
    from app.core.records.incidents import IncidentFilters, IncidentSummary
    from app.core.records.service import Workspace

PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


_CTX = "IncidentTableModel"  # the translation context (tools/translations.py reads it)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def status_label(status: str, *, at_institution: bool = False) -> str:
    """The record's status as a person reads it. At the institution a confirmed record, sent
    or not, waits for the institution's determination (Art. 16): the site's own steps are
    behind it."""
    if at_institution and status in (RecordStatus.CONFIRMED, RecordStatus.EXPORTED):
        return _tr("待评价机构认定")
    labels: dict[str, str] = {
        RecordStatus.DRAFT: _tr("草稿"),
        RecordStatus.SIGNED: _tr("已签名，待确认"),
        RecordStatus.CONFIRMED: _tr("已确认"),
        RecordStatus.EXPORTED: _tr("已导出"),
        RecordStatus.VOID: _tr("已作废"),
    }
    return labels.get(status, status)


def column_titles() -> list[str]:
    return [
        _tr("编号"),
        _tr("时间"),
        _tr("状态"),
        _tr("当事方"),
        _tr("姓名"),
        _tr("考场"),
        _tr("座位"),
        _tr("条款"),
        _tr("科目"),
    ]


class IncidentTableModel(QAbstractTableModel):
    """Rows of ``IncidentSummary`` for one session, newest first, under the current filters."""

    #: The number of matching records, once counted (after each reload).
    totalChanged = Signal(int)

    def __init__(
        self,
        workspace: Workspace,
        session_id: str,
        timezone: str = "Asia/Shanghai",
        parent: Any = None,
        *,
        at_institution: bool = False,
    ) -> None:
        from app.core.records.incidents import IncidentFilters

        super().__init__(parent)
        self.workspace = workspace
        self.at_institution = at_institution  # statuses as the institution reads them
        self._case_status: dict[str, str] = {}  # at the institution: record → its case's
        self.zone = ZoneInfo(timezone)
        self._filters: IncidentFilters = IncidentFilters(session_id=session_id)
        self._rows: list[IncidentSummary] = []
        self._times: list[str] = []
        self._total: int | None = None
        self._exhausted = False
        self._generation = 0  # a count that arrives after a newer reload is dropped
        self.reload()

    # -- filters -------------------------------------------------------------------------------

    @property
    def filters(self) -> IncidentFilters:
        return self._filters

    def set_filters(
        self,
        *,
        status: str | None = None,
        clause: str | None = None,
        party: str | None = None,
        room: str | None = None,
    ) -> None:
        """Replace the status/clause/party/room filters (None: any) and reload."""
        self._filters = replace(self._filters, status=status, clause=clause, party=party, room=room)
        self.reload()

    def reload(self) -> None:
        """Load the first page and count again (after a filter change or a new record)."""
        from app.ui.workers import run_in_worker

        self.beginResetModel()
        self._rows, self._times, self._case_status = [], [], {}
        self._append(self._page(0))
        self._total = None
        self.endResetModel()
        self._generation += 1
        generation, workspace, filters = self._generation, self.workspace, self._filters
        run_in_worker(
            lambda: workspace.count_incidents(filters),
            lambda total: self._counted(generation, total),
            owner=self,
        )

    def _counted(self, generation: int, total: object) -> None:
        if generation != self._generation:
            return
        assert isinstance(total, int)
        self._total = total
        self.totalChanged.emit(total)

    def total(self) -> int | None:
        """How many records match the filters (loaded or not); None while still counting."""
        return self._total

    def loaded(self) -> int:
        return len(self._rows)

    def incident_id(self, row: int) -> str:
        return self._rows[row].id

    def summary(self, row: int) -> IncidentSummary:
        return self._rows[row]

    # -- paging --------------------------------------------------------------------------------

    def _page(self, offset: int) -> list[IncidentSummary]:
        return self.workspace.list_incidents(self._filters, offset=offset, limit=PAGE_SIZE)

    def _append(self, rows: list[IncidentSummary]) -> None:
        self._exhausted = len(rows) < PAGE_SIZE
        self._rows.extend(rows)
        if self.at_institution and rows:
            from app.core.casework.by_record import case_status_of_records

            with self.workspace.reading() as db:
                self._case_status.update(case_status_of_records(db, [r.id for r in rows]))
        self._times.extend(self._local_time(r.occurred_at) for r in rows)

    def _local_time(self, utc_text: str) -> str:
        instant = dt.datetime.strptime(utc_text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
        return instant.astimezone(self.zone).strftime("%m-%d %H:%M")

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        rows = self._page(len(self._rows))
        if not rows:
            self._exhausted = True
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._append(rows)
        self.endInsertRows()

    # -- the model -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 9

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            titles = column_titles()
            return titles[section] if 0 <= section < len(titles) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return row.status
        if role == Qt.ItemDataRole.ToolTipRole and row.void_reason:
            return row.void_reason
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return row.number if row.version == 1 else f"{row.number}/{row.version}"
        if column == 1:
            return self._times[index.row()]
        if column == 2:
            case_status = self._case_status.get(row.id)
            if case_status is not None:  # where its case stands (Art. 16–20)
                from app.ui.institution.cases.labels import status_label as case_label

                return case_label(case_status)
            return status_label(row.status, at_institution=self.at_institution)
        if column == 3:
            return _party(row.party)
        values = (row.person_name, row.room, row.seat, row.clause, row.subject)
        value = values[column - 4] if 4 <= column <= 8 else None
        return "" if value is None else str(value)


def _party(party: str) -> str:
    from app.core.rulebook.model import Party

    try:
        return party_label(Party(party))
    except ValueError:
        return party
