"""The session dashboard: who and where, the clock, the roster, the incidents, what still
needs signatures, and the rulebook."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from app.core.records.status import RecordStatus
from app.ui.dashboard.incident_model import IncidentTableModel, status_label
from app.ui.dashboard.roster_model import RosterFilter, RosterModel
from app.ui.generated.ui_dashboard import Ui_Dashboard
from app.ui.labels import level_label, with_note

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.records.tables import Staff

PENDING_LIMIT = 50
# Number, time, status, party, name, room, seat, clause (subject takes the rest).
INCIDENT_COLUMN_WIDTHS = (90, 100, 130, 90, 110, 100, 60, 70)
ROSTER_COLUMN_WIDTHS = (110, 60, 160, 120)
INCIDENT_ROLE = Qt.ItemDataRole.UserRole
BUNDLE_ROLE = Qt.ItemDataRole.UserRole + 1


def now_utc() -> dt.datetime:
    """The clock the dashboard shows (tests replace this function)."""
    return dt.datetime.now(dt.UTC)


def _parse_utc(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


class Dashboard(QWidget):
    newIncidentRequested = Signal()
    incidentActivated = Signal(str)
    lockRequested = Signal()
    # The site head is to give staff members their first PIN (File → 工作人员 PIN…).
    staffPinsRequested = Signal()
    # At the institution: the signed import receipt for a bundle of the list (its id).
    receiptRequested = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        session_id: str,
        operator: Staff | None = None,
        parent: QWidget | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_Dashboard()
        self.ui.setupUi(self)
        self.workspace = workspace
        self.session_id = session_id
        self.detail: dict[str, Any] = workspace.session(session_id)
        self.zone = ZoneInfo(self.detail["timezone"])
        self.operator = operator
        self.read_only = read_only
        self.browser: QWidget | None = None
        self._clock_offset = dt.timedelta(0)

        self.roster_model = RosterModel(workspace.candidates(session_id), self)
        self.roster_filter = RosterFilter(self)
        self.roster_filter.setSourceModel(self.roster_model)
        self._setup_view(self.ui.rosterView)
        self.ui.rosterView.setModel(self.roster_filter)

        self.incidents = IncidentTableModel(
            workspace, session_id, self.detail["timezone"], self, at_institution=read_only
        )
        self._setup_view(self.ui.incidentView)
        self.ui.incidentView.setModel(self.incidents)
        self.incidents.totalChanged.connect(lambda _total: self._update_counts())
        self.ui.incidentView.doubleClicked.connect(self._on_incident_activated)
        self.ui.incidentView.activated.connect(self._on_incident_activated)

        # The header keeps its natural height; the lists get the rest of the screen.
        self.ui.headerGroup.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.ui.dashboardLayout.setStretch(0, 0)
        self.ui.dashboardLayout.setStretch(1, 1)
        for column in (1, 3):
            self.ui.headerGrid.setColumnStretch(column, 1)
        header = self.ui.incidentView.horizontalHeader()
        for column, width in enumerate(INCIDENT_COLUMN_WIDTHS):
            header.resizeSection(column, width)
        roster_header = self.ui.rosterView.horizontalHeader()
        for column, width in enumerate(ROSTER_COLUMN_WIDTHS):
            roster_header.resizeSection(column, width)
        self.ui.splitter.setStretchFactor(0, 4)
        self.ui.splitter.setStretchFactor(1, 1)
        self.ui.splitter.setSizes([1000, 330])
        self._fill_filters()
        # The clock reads from across the room: larger, once (the header is filled again on
        # every unlock and language switch).
        font = self.ui.clockValue.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.ui.clockValue.setFont(font)
        self._fill_header()
        self.refresh_pending()
        self._update_counts()
        self.refresh_pin_notice()

        self.ui.rosterSearch.textChanged.connect(self._on_search)
        self.ui.rosterRoomCombo.currentIndexChanged.connect(self._on_roster_room)
        for combo in (
            self.ui.statusFilter,
            self.ui.clauseFilter,
            self.ui.partyFilter,
            self.ui.roomFilter,
        ):
            combo.currentIndexChanged.connect(self._on_filter)
        self.ui.pendingList.itemActivated.connect(self._on_pending_activated)
        self.ui.pendingList.itemDoubleClicked.connect(self._on_pending_activated)
        self.ui.newIncidentButton.clicked.connect(self.newIncidentRequested)
        self.ui.lockButton.clicked.connect(self.lockRequested)
        self.ui.staffPinButton.clicked.connect(self.staffPinsRequested)
        self.ui.tabs.currentChanged.connect(self._on_tab)
        # At the institution, the bundle chosen in the list gets its signed import receipt.
        self.receipt_button = QPushButton(self.tr("签发导入回执(&R)…"), self)
        self.receipt_button.setToolTip(
            self.tr("考点凭回执确认评价机构已收到该数据包及其之前的全部记录，方可清除个人信息")
        )
        self.receipt_button.clicked.connect(self._on_receipt)
        self.ui.pendingLayout.addWidget(self.receipt_button)
        self.ui.pendingList.itemSelectionChanged.connect(self._update_receipt_button)
        self._update_receipt_button()
        if read_only:  # the institution comes for the records, not the roster
            self.ui.tabs.setCurrentWidget(self.ui.incidentTab)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.tick()

    @staticmethod
    def _setup_view(view: QAbstractItemView) -> None:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = view.horizontalHeader()  # type: ignore[attr-defined]
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultSectionSize(120)
        view.verticalHeader().hide()  # type: ignore[attr-defined]

    # -- header and clock ---------------------------------------------------------------------

    def set_clock_offset(self, seconds: int) -> None:
        """Show the laptop clock corrected by the site head's clock check."""
        self._clock_offset = dt.timedelta(seconds=seconds)
        self.tick()

    def _fill_header(self) -> None:
        d = self.detail
        ui = self.ui
        ui.institutionValue.setText(d["institution"]["name"])
        ui.filingValue.setText(d["institution"]["filing_code"])
        ui.siteValue.setText(with_note(d["site"]["name"], d["site"]["address"]))
        ui.siteValue.setToolTip(d["site"]["address"])
        work = f" · {d['work_type']}" if d["work_type"] else ""
        ui.occupationValue.setText(f"{d['occupation']}{work} · {level_label(d['level'])}")
        if self.read_only:
            ui.operatorValue.setText(self.tr("评价机构查看（只读）"))
        elif self.operator is not None:
            ui.operatorValue.setText(self.tr("操作人：%1").replace("%1", self.operator.name))
        ui.newIncidentButton.setVisible(not self.read_only)
        # The institution looks back at a session: no subject in progress, no site clock;
        # the panel beside the records lists the bundles its sites sent instead.
        for widget in (ui.subjectCaption, ui.subjectValue, ui.clockValue):
            widget.setVisible(not self.read_only)
        ui.pendingGroup.setTitle(
            self.tr("已导入的数据包") if self.read_only else self.tr("待签名或确认")
        )

    def subject_text(self, now: dt.datetime) -> str:
        """The subject in progress at ``now``, or the next one, or that all have ended."""
        subjects = [
            (s["name"], _parse_utc(s["starts_at"]), _parse_utc(s["ends_at"]))
            for s in self.detail["subjects"]
        ]
        for name, start, end in subjects:
            if start <= now < end:
                return (
                    self.tr("%1（%2–%3）")
                    .replace("%1", name)
                    .replace("%2", self._hm(start))
                    .replace("%3", self._hm(end))
                )
        upcoming = [(start, name) for name, start, _ in subjects if start > now]
        if upcoming:
            start, name = min(upcoming)
            return (
                self.tr("暂无；下一科目：%1，%2 开始")
                .replace("%1", name)
                .replace("%2", start.astimezone(self.zone).strftime("%m-%d %H:%M"))
            )
        return self.tr("暂无（各科目均已结束）")

    def _hm(self, instant: dt.datetime) -> str:
        return instant.astimezone(self.zone).strftime("%H:%M")

    @Slot()
    def tick(self) -> None:
        now = now_utc() + self._clock_offset
        self.ui.clockValue.setText(now.astimezone(self.zone).strftime("%H:%M:%S"))
        self.ui.clockValue.setToolTip(now.astimezone(self.zone).strftime("%Y-%m-%d %Z"))
        self.ui.subjectValue.setText(self.subject_text(now))

    # -- roster --------------------------------------------------------------------------------

    @Slot(str)
    def _on_search(self, text: str) -> None:
        self.roster_filter.set_query(text)
        self._update_counts()

    @Slot(int)
    def _on_roster_room(self, _index: int) -> None:
        room = self.ui.rosterRoomCombo.currentData()
        self.roster_filter.set_room(None if room is None else str(room))
        self._update_counts()

    def search_roster(self, text: str) -> list[str]:
        """Type ``text`` into the search box; the names of the candidates shown."""
        self.ui.rosterSearch.setText(text)
        return self.shown_candidates()

    def shown_candidates(self) -> list[str]:
        rows = self.roster_filter.rowCount()
        return [str(self.roster_filter.index(r, 3).data()) for r in range(rows)]

    # -- incidents -----------------------------------------------------------------------------

    def _fill_filters(self) -> None:
        from app.core.rulebook.model import Party
        from app.ui.labels import clause_title, party_label

        ui = self.ui
        any_text = self.tr("全部")
        for combo in (ui.statusFilter, ui.clauseFilter, ui.partyFilter, ui.roomFilter):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(any_text, None)
        for status in RecordStatus:
            ui.statusFilter.addItem(status_label(status), status.value)
        try:
            rulebook = self.workspace.rulebook(self.detail["rulebook_id"])
            clauses = list(rulebook.clauses.values())
        except Exception:  # the list still works without the clause names
            clauses = []
        for clause in clauses:
            ui.clauseFilter.addItem(f"{clause.id} {clause_title(clause)}", clause.id)
            ui.clauseFilter.setItemData(
                ui.clauseFilter.count() - 1, clause_title(clause), Qt.ItemDataRole.ToolTipRole
            )
        for party in (Party.CANDIDATE, Party.STAFF, Party.INSTITUTION):
            ui.partyFilter.addItem(party_label(party), party.value)
        ui.rosterRoomCombo.blockSignals(True)
        ui.rosterRoomCombo.clear()
        ui.rosterRoomCombo.addItem(any_text, None)
        for room in self.detail["rooms"]:
            ui.roomFilter.addItem(room["name"], room["name"])
            ui.rosterRoomCombo.addItem(room["name"], room["name"])
        for combo in (
            ui.statusFilter,
            ui.clauseFilter,
            ui.partyFilter,
            ui.roomFilter,
            ui.rosterRoomCombo,
        ):
            combo.setSizeAdjustPolicy(combo.SizeAdjustPolicy.AdjustToContents)
            combo.blockSignals(False)
        ui.clauseFilter.setMaximumWidth(220)

    @Slot(int)
    def _on_filter(self, _index: int) -> None:
        ui = self.ui

        def value(combo: Any) -> str | None:
            data = combo.currentData()
            return None if data is None else str(data)

        self.incidents.set_filters(
            status=value(ui.statusFilter),
            clause=value(ui.clauseFilter),
            party=value(ui.partyFilter),
            room=value(ui.roomFilter),
        )
        self._update_counts()

    def set_filter(self, name: str, value: str | None) -> None:
        """Choose ``value`` in the filter ``name`` (status, clause, party or room)."""
        combo = {
            "status": self.ui.statusFilter,
            "clause": self.ui.clauseFilter,
            "party": self.ui.partyFilter,
            "room": self.ui.roomFilter,
        }[name]
        combo.setCurrentIndex(max(0, combo.findData(value)))

    @Slot(QModelIndex)
    def _on_incident_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.incidentActivated.emit(self.incidents.incident_id(index.row()))

    def refresh(self) -> None:
        """Reload the incident list and the pending panel (after a record changed)."""
        self.incidents.reload()
        self.refresh_pending()
        self._update_counts()
        self.refresh_pin_notice()

    def set_read_only(self, read_only: bool) -> None:
        """Read-only for the institution's admin: no new records; the header says so."""
        self.read_only = self.incidents.at_institution = read_only
        self._fill_header()
        self.refresh_pending()
        self._update_receipt_button()
        self.refresh_pin_notice()

    def _update_counts(self) -> None:
        total = self.incidents.total()
        self.ui.incidentCount.setText(
            self.tr("共 … 条") if total is None else self.tr("共 %n 条", "", total)
        )
        self.ui.rosterCount.setText(
            self.tr("%1 / %2 人")
            .replace("%1", str(self.roster_filter.rowCount()))
            .replace("%2", str(self.roster_model.rowCount()))
        )

    # -- staff without a PIN ---------------------------------------------------------------------

    def refresh_pin_notice(self) -> None:
        """Name the staff who cannot sign yet (no PIN of their own), so the site head gives
        them one before an incident waits for it; hidden when everyone has one."""
        from app.ui.labels import join_list

        missing = (
            []
            if self.read_only
            else [s.name for s in self.workspace.staff(self.session_id) if s.pin_hash is None]
        )
        self.ui.pinNotice.setText(
            self.tr("尚未设置本人 PIN、还不能签名：%1").replace("%1", join_list(missing))
            if missing
            else ""
        )
        self.ui.pinNotice.setVisible(bool(missing))
        self.ui.staffPinButton.setVisible(bool(missing))

    # -- needs signatures ----------------------------------------------------------------------

    def refresh_pending(self) -> None:
        from app.core.records.incidents import IncidentFilters

        lst = self.ui.pendingList
        lst.clear()
        if self.read_only:
            self._list_bundles()
            return
        counts = {}
        for status, what in (
            (RecordStatus.DRAFT, self.tr("待工作人员签名")),
            (RecordStatus.SIGNED, self.tr("待考场负责人确认")),
        ):
            filters = IncidentFilters(session_id=self.session_id, status=status)
            counts[status] = self.workspace.count_incidents(filters)
            for summary in self.workspace.list_incidents(filters, limit=PENDING_LIMIT):
                who = summary.person_name or ""
                place = f"{summary.room or ''} {summary.seat or ''}".strip()
                text = f"{summary.number}  {summary.clause or '—'}  {who} {place}\n{what}"
                item = QListWidgetItem(text)
                item.setData(INCIDENT_ROLE, summary.id)
                lst.addItem(item)
        if not counts[RecordStatus.DRAFT] and not counts[RecordStatus.SIGNED]:
            self.ui.pendingSummary.setText(self.tr("全部记录均已签名并确认。"))
        else:
            self.ui.pendingSummary.setText(
                self.tr("%1 条待签名，%2 条待确认")
                .replace("%1", str(counts[RecordStatus.DRAFT]))
                .replace("%2", str(counts[RecordStatus.SIGNED]))
            )

    def _list_bundles(self) -> None:
        """The bundles the session's sites sent, the latest first, each with its device, when
        it was written and imported, what it added, and an earlier one still missing."""
        from app.core.institution.session_bundles import session_bundles

        bundles = session_bundles(self.workspace, self.session_id)
        for bundle in bundles:
            text = (
                self.tr(
                    "设备 %1 · %2数据包\n写出 %3 · 导入 %4\n新增 %n 条记录",
                    "",
                    bundle.incidents_added,
                )
                .replace("%1", bundle.device_code)
                .replace(
                    "%2",
                    self.tr("完整") if bundle.mode == "full" else self.tr("增量"),
                )
                .replace("%3", self._local_text(bundle.created_at))
                .replace("%4", self._local_text(bundle.imported_at))
            )
            if bundle.earlier_missing:
                text += "\n" + self.tr("此前的数据包尚未导入，可能缺少记录")
            item = QListWidgetItem(text)
            item.setToolTip(bundle.bundle_id)
            item.setData(BUNDLE_ROLE, bundle.bundle_id)
            self.ui.pendingList.addItem(item)
        devices = len({b.device_code for b in bundles})
        self.ui.pendingSummary.setText(
            self.tr("共 %n 个数据包，", "", len(bundles)) + self.tr("来自 %n 台设备", "", devices)
            if bundles
            else self.tr("尚未导入本场次的数据包。")
        )

    def _local_text(self, instant: dt.datetime) -> str:
        when = instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)
        return when.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def selected_bundle(self) -> str | None:
        items = self.ui.pendingList.selectedItems()
        bundle = items[0].data(BUNDLE_ROLE) if items else None
        return None if bundle is None else str(bundle)

    def select_bundle(self, bundle_id: str) -> None:
        for row in range(self.ui.pendingList.count()):
            item = self.ui.pendingList.item(row)
            if item.data(BUNDLE_ROLE) == bundle_id:
                self.ui.pendingList.setCurrentItem(item)

    @Slot()
    def _update_receipt_button(self) -> None:
        self.receipt_button.setVisible(self.read_only)
        self.receipt_button.setEnabled(self.selected_bundle() is not None)

    @Slot()
    def _on_receipt(self) -> None:
        bundle = self.selected_bundle()
        if bundle is not None:
            self.receiptRequested.emit(bundle)

    def pending_ids(self) -> list[str]:
        lst = self.ui.pendingList
        return [str(lst.item(i).data(INCIDENT_ROLE)) for i in range(lst.count())]

    def _on_pending_activated(self, item: QListWidgetItem) -> None:
        incident_id = item.data(INCIDENT_ROLE)
        if incident_id is not None:  # the institution's bundle list names no record
            self.incidentActivated.emit(str(incident_id))

    # -- rulebook ------------------------------------------------------------------------------

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        reading = self.ui.tabs.widget(index) is self.ui.rulebookTab
        # The rulebook's three panes need the full width; the pending list returns with the
        # roster and incident tabs.
        self.ui.pendingGroup.setVisible(not reading)
        if reading:
            self.show_rulebook()

    def show_rulebook(self) -> QWidget:
        """The rulebook browser pane, created the first time it is shown."""
        if self.browser is None:
            from app.ui.rulebook_browser import RulebookBrowser

            self.browser = RulebookBrowser(
                self.ui.rulebookTab, rulebook_id=self.detail["rulebook_id"]
            )
            self.ui.rulebookLayout.addWidget(self.browser)
            self.browser.show()  # a child added to a shown parent stays hidden otherwise
        self.ui.tabs.setCurrentWidget(self.ui.rulebookTab)
        return self.browser

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._fill_header()
            self._retranslate_filters()
            self.refresh_pending()
            self._update_counts()
            self.refresh_pin_notice()
            self.tick()
        super().changeEvent(event)

    def _retranslate_filters(self) -> None:
        chosen = {
            name: combo.currentData()
            for name, combo in (
                ("status", self.ui.statusFilter),
                ("clause", self.ui.clauseFilter),
                ("party", self.ui.partyFilter),
                ("room", self.ui.roomFilter),
            )
        }
        room = self.ui.rosterRoomCombo.currentData()
        self._fill_filters()
        for name, value in chosen.items():
            combo = getattr(self.ui, f"{name}Filter")
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.ui.rosterRoomCombo.blockSignals(True)
        self.ui.rosterRoomCombo.setCurrentIndex(max(0, self.ui.rosterRoomCombo.findData(room)))
        self.ui.rosterRoomCombo.blockSignals(False)
        self.incidents.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 8)
