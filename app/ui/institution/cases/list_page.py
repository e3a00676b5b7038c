"""The institution's cases: one row per person per session (or per finding without a site
record), filtered by status, party, session and what is overdue; a row opens its case.

The filters are applied by the database (``CaseDesk.list`` / ``count``): the table loads one
page of rows at a time as it is scrolled (``canFetchMore`` / ``fetchMore``), so 200,000 cases
cost no more to open than 200; the count beside the filters is the database's."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.institution.cases.labels import overdue_label, status_label, statuses
from app.ui.labels import party_label

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace

Index = QModelIndex | QPersistentModelIndex
CASE_ID_ROLE = Qt.ItemDataRole.UserRole
PAGE_SIZE = 200
#: How many rows ``select_case`` loads at most to find a case that is not loaded yet.
FIND_LIMIT = 2000
#: A page of the list: (filters, offset, limit) → its rows, as ``CaseDesk.list`` gives them.
PageSource = Callable[[dict[str, Any], int, int], list[dict[str, Any]]]


class CaseTableModel(QAbstractTableModel):
    """The cases that pass the filters, a page at a time, as the table shows them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._sessions: dict[str, str] = {}  # session id → how a person names it
        self._source: PageSource | None = None
        self._exhausted = True
        self.status: str | None = None
        self.party: str | None = None
        self.session_id: str | None = None
        self.overdue_only = False

    def filters(self) -> dict[str, Any]:
        """The filters as ``CaseDesk.list`` and ``count`` take them."""
        return {
            "status": self.status,
            "party": self.party,
            "session_id": self.session_id,
            "overdue": "any" if self.overdue_only else None,
        }

    def set_source(self, source: PageSource, sessions: dict[str, str]) -> None:
        """Where the pages come from, and how the sessions are named; load the first page."""
        self._source, self._sessions = source, sessions
        self.apply()

    def apply(self) -> None:
        """Show the cases that pass the filters as they are set now (from the first page)."""
        self.beginResetModel()
        self._rows = []
        self._exhausted = self._source is None
        if self._source is not None:
            self._append(self._page(0))
        self.endResetModel()

    def _page(self, offset: int) -> list[dict[str, Any]]:
        assert self._source is not None
        return self._source(self.filters(), offset, PAGE_SIZE)

    def _append(self, rows: list[dict[str, Any]]) -> None:
        self._exhausted = len(rows) < PAGE_SIZE
        self._rows.extend(rows)

    def loaded(self) -> int:
        return len(self._rows)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's default)
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        rows = self._page(len(self._rows))
        if not rows:
            self._exhausted = True
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._append(rows)
        self.endInsertRows()

    def case_id(self, row: int) -> str:
        return str(self._rows[row]["id"])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("姓名"),
            self.tr("证件号码"),
            self.tr("当事方"),
            self.tr("场次"),
            self.tr("条款"),
            self.tr("状态"),
            self.tr("逾期"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        case = self._rows[index.row()]
        if role == CASE_ID_ROLE:
            return case["id"]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        person = case["person"]
        session = case["session_id"]
        values = (
            person["name"],
            person["id_number_masked"] or "",
            party_label(case["party"]),
            self.tr("（无考点记录）")
            if session is None
            else self._sessions.get(session, session[:8]),
            "、".join(case["clauses"]),
            status_label(case["status"]),
            overdue_label(case["overdue"]),
        )
        return values[index.column()] if 0 <= index.column() < len(values) else None


class CaseListPage(QWidget):
    """The list of cases for the signed-in account (a reviewer looks, an admin acts)."""

    caseRequested = Signal(str)  # a case id, to open its window
    backRequested = Signal()  # to the institution's home

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.account: Account | None = None
        self.model = CaseTableModel(self)
        self.title = QLabel(self)
        self.status_combo = QComboBox(self)
        self.party_combo = QComboBox(self)
        self.session_combo = QComboBox(self)
        self.overdue_check = QCheckBox(self)
        self.count_label = QLabel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for index, width in enumerate((110, 190, 90, 330, 130, 170)):
            header.resizeSection(index, width)
        self.table.activated.connect(self._on_activated)
        self.table.doubleClicked.connect(self._on_activated)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_selected)
        self.back_button = QPushButton(self)
        self.back_button.clicked.connect(self.backRequested)
        self.deadlines_button = QPushButton(self)
        self.deadlines_button.clicked.connect(self.edit_deadlines)
        self.status_label_ = QLabel(self)
        self.party_label_ = QLabel(self)
        self.session_label_ = QLabel(self)
        for label, combo in (
            (self.status_label_, self.status_combo),
            (self.party_label_, self.party_combo),
            (self.session_label_, self.session_combo),
        ):
            label.setBuddy(combo)
            combo.currentIndexChanged.connect(self._on_filter)
        self.overdue_check.toggled.connect(self._on_filter)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        filters = QHBoxLayout()
        for widget in (
            self.status_label_, self.status_combo, self.party_label_, self.party_combo,
            self.session_label_, self.session_combo, self.overdue_check,
        ):  # fmt: skip
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.deadlines_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        self._sessions: dict[str, str] = {}
        self._count: Callable[[dict[str, Any]], int] | None = None  # the database's count
        self._total = 0  # every case, whatever the filters
        self._shown = 0  # the cases that pass the filters
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("案件（依《指引》第十六条至第二十条办理）"))
        self.status_label_.setText(self.tr("状态(&S)："))
        self.party_label_.setText(self.tr("当事方(&P)："))
        self.session_label_.setText(self.tr("场次(&E)："))
        self.overdue_check.setText(self.tr("仅逾期(&D)"))
        self.open_button.setText(self.tr("打开案件(&O)"))
        self.back_button.setText(self.tr("返回机构主页(&B)"))
        self.deadlines_button.setText(self.tr("陈述、申辩期限(&L)…"))
        self.deadlines_button.setToolTip(
            self.tr("本机构工作规范（《指引》未规定期限）：逾期的案件在列表中标出")
        )
        self._fill_filters()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 6)
        self._update_count()

    def edit_deadlines(self) -> bool:
        """The periods to respond to a notice and to object to a decision (institution
        practice), set by an admin; the list counts what is overdue with them at once."""
        from app.core.casework.service import CaseDesk
        from app.core.errors import UserError

        if self.workspace is None or self.account is None:
            return False
        desk = CaseDesk(self.workspace)
        now = desk.deadlines(self.account)
        days = ask_deadlines(self, now.response_days, now.objection_days)
        if days is None:
            return False
        try:
            for name, value in zip(("response_days", "objection_days"), days, strict=True):
                desk.set_deadline(self.account, name, value)
        except UserError as exc:
            from app.ui.errors import ask_show_user_error

            ask_show_user_error(self, str(exc))
            return False
        self.refresh()
        return True

    def show_account(self, workspace: Workspace, account: Account) -> None:
        self.workspace, self.account = workspace, account
        self.refresh()

    def refresh(self) -> None:
        """The cases as the database holds them now (the filters stay)."""
        from app.core.casework.service import CaseDesk

        if self.workspace is None or self.account is None:
            return
        chosen = self.selected_case()
        self._sessions = {
            s["id"]: f"{s['exam_date'] or ''} {s['site_name']}".strip()
            for s in self.workspace.list_sessions()
        }
        self._fill_filters()
        desk, account = CaseDesk(self.workspace), self.account

        def page(filters: dict[str, Any], offset: int, limit: int) -> list[dict[str, Any]]:
            return desk.list(account, offset=offset, limit=limit, **filters)

        self._count = lambda filters: desk.count(account, **filters)
        self._total = desk.count(account)
        self.model.set_source(page, self._sessions)
        if chosen is not None:
            self.select_case(chosen)
        self._update_count()
        self._update_buttons()

    def _fill_filters(self) -> None:
        from app.core.rulebook.model import Party

        any_text = self.tr("全部")
        choices: tuple[tuple[QComboBox, list[tuple[str, str]]], ...] = (
            (self.status_combo, [(s, status_label(s)) for s in statuses()]),
            (self.party_combo, [(p.value, party_label(p)) for p in Party]),
            (self.session_combo, sorted(self._sessions.items(), key=lambda kv: kv[1])),
        )
        for combo, items in choices:
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(any_text, None)
            for value, text in items:
                combo.addItem(text, value)
            at = combo.findData(chosen)
            combo.setCurrentIndex(max(at, 0))
            combo.blockSignals(False)

    @Slot()
    def _on_filter(self) -> None:
        self.set_filters(
            status=self.status_combo.currentData(),
            party=self.party_combo.currentData(),
            session_id=self.session_combo.currentData(),
            overdue_only=self.overdue_check.isChecked(),
        )

    def set_filters(
        self,
        *,
        status: str | None = None,
        party: str | None = None,
        session_id: str | None = None,
        overdue_only: bool = False,
    ) -> None:
        model = self.model
        model.status, model.party, model.session_id = status, party, session_id
        model.overdue_only = overdue_only
        model.apply()
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        """The cases that pass the filters (counted by the database) of every case."""
        filters = self.model.filters()
        if not any(v is not None for v in filters.values()):
            self._shown = self._total  # no filter: every case, counted once by ``refresh``
        elif self._count is not None:
            self._shown = self._count(filters)
        self.count_label.setText(
            self.tr("%1 / %2 件").replace("%1", str(self._shown)).replace("%2", str(self._total))
        )

    def shown_cases(self) -> list[str]:
        """The ids of the rows loaded so far (a page at a time as the table is scrolled)."""
        return [self.model.case_id(row) for row in range(self.model.rowCount())]

    def select_case(self, case_id: str) -> None:
        """Select the case's row, loading further pages (up to ``FIND_LIMIT`` rows) to find it."""
        start = 0
        while True:
            for row in range(start, self.model.rowCount()):
                if self.model.case_id(row) == case_id:
                    self.table.selectRow(row)
                    return
            start = self.model.rowCount()
            if start >= FIND_LIMIT or not self.model.canFetchMore():
                return
            self.model.fetchMore()

    def selected_case(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.case_id(rows[0].row()) if rows else None

    @Slot()
    def open_selected(self) -> None:
        case_id = self.selected_case()
        if case_id is not None:
            self.caseRequested.emit(case_id)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.caseRequested.emit(self.model.case_id(index.row()))

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected_case() is not None)
        self.deadlines_button.setEnabled(self.account is not None and self.account.role == "admin")


def ask_deadlines(parent: QWidget, response: int, objection: int) -> tuple[int, int] | None:
    """The two periods in days (tests replace this function); None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    title = QCoreApplication.translate("CaseListPage", "陈述、申辩期限")
    first, ok = QInputDialog.getInt(
        parent,
        title,
        QCoreApplication.translate("CaseListPage", "收到告知书后陈述的期限（天）："),
        response,
        1,
        365,
    )
    if not ok:
        return None
    second, ok = QInputDialog.getInt(
        parent,
        title,
        QCoreApplication.translate("CaseListPage", "收到处理决定书后申辩的期限（天）："),
        objection,
        1,
        365,
    )
    return (first, second) if ok else None
