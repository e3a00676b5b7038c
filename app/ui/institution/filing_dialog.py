"""The institution's filing (备案信息): its code, kind, filed occupations × levels and branches,
viewed by every account and changed by an admin, by hand or from a CSV file; each change is a
new version (``app.core.institution.filing``). Also the warning shown when a plan falls
outside the filing, which the admin acknowledges (a warning, not a refusal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.institution.filing import (
    Branch,
    FiledOccupation,
    Filing,
    FilingError,
    ScopeFinding,
    filing_in_force,
    save_filing,
)
from app.core.institution.filing_csv import read_filing_csv
from app.core.records.sessions import INSTITUTION_KINDS, LEVELS
from app.ui.errors import show_in_place
from app.ui.labels import in_chinese, level_label

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace

FIXED_COLUMNS = 2  # 职业, 工种; then one checkable column per level


def scope_text(finding: ScopeFinding) -> str:
    """The finding in the interface's language."""
    return finding.message_zh() if in_chinese() else finding.message_en()


def ask_acknowledge_scope(parent: QWidget, finding: ScopeFinding) -> bool:
    """The admin sees what is outside the filing and decides (tests replace this function);
    True to go ahead."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("FilingDialog", "超出备案范围"),
        scope_text(finding),
    )
    box.setParent(parent, box.windowFlags())
    go = box.addButton(
        QCoreApplication.translate("FilingDialog", "已知悉，继续(&C)"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    back = box.addButton(
        QCoreApplication.translate("FilingDialog", "返回(&B)"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(back)
    box.exec()
    return box.clickedButton() is go


def ask_filing_csv(parent: QWidget) -> str | None:
    """The CSV file to import (tests replace this function); None when cancelled."""
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("FilingDialog", "选择备案信息 CSV 文件"),
        "",
        "CSV (*.csv)",
    )
    return path or None


class FilingDialog(QDialog):
    """The filing in force; an admin saves a change as a new version."""

    def __init__(self, workspace: Workspace, account: Account, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.account = workspace, account
        self.can_edit = account.role == "admin"
        self.setWindowTitle(self.tr("备案信息"))
        self.intro = QLabel(
            self.tr(
                "按备案回执填写：备案码、机构类型、备案的职业（工种）及等级，以及分支机构"
                "（仅用人单位）及其备案码。每次保存形成新的版本，旧版本保留。"
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.version_label = QLabel(self)
        self.code_edit = QLineEdit(self)
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(self.tr("用人单位"), INSTITUTION_KINDS[0])
        self.kind_combo.addItem(self.tr("社会培训评价组织"), INSTITUTION_KINDS[1])
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText(self.tr("本次修改的原因，如新的备案回执"))
        form = QFormLayout()
        form.addRow(self.tr("备案码(&C)："), self.code_edit)
        form.addRow(self.tr("机构类型(&K)："), self.kind_combo)

        self.occupations = QTableWidget(0, FIXED_COLUMNS + len(LEVELS), self)
        self.occupations.setHorizontalHeaderLabels(
            [self.tr("职业"), self.tr("工种")] + [level_label(level) for level in LEVELS]
        )
        self.branches = QTableWidget(0, 2, self)
        self.branches.setHorizontalHeaderLabels([self.tr("分支机构备案码"), self.tr("名称")])
        for table in (self.occupations, self.branches):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().hide()
        self.add_occupation_button = QPushButton(self.tr("添加职业(&O)"), self)
        self.add_occupation_button.clicked.connect(lambda: self._add_occupation(None))
        self.remove_occupation_button = QPushButton(self.tr("删除所选职业"), self)
        self.remove_occupation_button.clicked.connect(lambda: self._remove(self.occupations))
        self.add_branch_button = QPushButton(self.tr("添加分支机构(&A)"), self)
        self.add_branch_button.clicked.connect(lambda: self._add_branch(None))
        self.remove_branch_button = QPushButton(self.tr("删除所选分支机构"), self)
        self.remove_branch_button.clicked.connect(lambda: self._remove(self.branches))

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton(self.tr("从 CSV 导入(&I)…"), self)
        self.import_button.clicked.connect(self.import_csv)
        self.save_button = QPushButton(self.tr("保存为新版本(&S)"), self)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        occupation_buttons = QHBoxLayout()
        occupation_buttons.addWidget(self.add_occupation_button)
        occupation_buttons.addWidget(self.remove_occupation_button)
        occupation_buttons.addStretch(1)
        branch_buttons = QHBoxLayout()
        branch_buttons.addWidget(self.add_branch_button)
        branch_buttons.addWidget(self.remove_branch_button)
        branch_buttons.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(self.intro)
        column.addWidget(self.version_label)
        column.addLayout(form)
        column.addWidget(QLabel(self.tr("备案职业（工种）及等级："), self))
        column.addWidget(self.occupations, 2)
        column.addLayout(occupation_buttons)
        column.addWidget(QLabel(self.tr("分支机构："), self))
        column.addWidget(self.branches, 1)
        column.addLayout(branch_buttons)
        if self.can_edit:
            column.addWidget(QLabel(self.tr("修改原因(&N)："), self))
            column.addWidget(self.note_edit)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.resize(820, 620)
        self._set_editable()
        self._show(filing_in_force(workspace))

    def _set_editable(self) -> None:
        edit = self.can_edit
        self.code_edit.setReadOnly(not edit)
        self.kind_combo.setEnabled(edit)
        triggers = (
            QAbstractItemView.EditTrigger.AllEditTriggers
            if edit
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        for table in (self.occupations, self.branches):
            table.setEditTriggers(triggers)
        for button in (
            self.add_occupation_button,
            self.remove_occupation_button,
            self.add_branch_button,
            self.remove_branch_button,
            self.import_button,
            self.save_button,
        ):
            button.setVisible(edit)
        self.note_edit.setVisible(edit)

    # -- showing ----------------------------------------------------------------------------

    def _show(self, filing: Filing | None) -> None:
        if filing is not None and filing.version:
            when = filing.recorded_at.strftime("%Y-%m-%d %H:%M") if filing.recorded_at else ""
            self.version_label.setText(
                self.tr("第 %1 版，由 %2 于 %3（UTC）记录")
                .replace("%1", str(filing.version))
                .replace("%2", filing.recorded_by)
                .replace("%3", when)
            )
        elif filing is None:
            self.version_label.setText(self.tr("尚未记录备案信息。"))
        if filing is None:
            return
        self.code_edit.setText(filing.code)
        index = self.kind_combo.findData(filing.kind)
        self.kind_combo.setCurrentIndex(max(index, 0))
        self.occupations.setRowCount(0)
        for occ in filing.occupations:
            self._add_occupation(occ)
        self.branches.setRowCount(0)
        for branch in filing.branches:
            self._add_branch(branch)

    def _add_occupation(self, occ: FiledOccupation | None) -> None:
        table = self.occupations
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, QTableWidgetItem(occ.occupation if occ else ""))
        table.setItem(row, 1, QTableWidgetItem(occ.work_type if occ else ""))
        for i, level in enumerate(LEVELS):
            item = QTableWidgetItem()
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if self.can_edit:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            filed = occ is not None and level in occ.levels
            item.setCheckState(Qt.CheckState.Checked if filed else Qt.CheckState.Unchecked)
            table.setItem(row, FIXED_COLUMNS + i, item)

    def _add_branch(self, branch: Branch | None) -> None:
        table = self.branches
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, QTableWidgetItem(branch.code if branch else ""))
        table.setItem(row, 1, QTableWidgetItem(branch.name if branch else ""))

    @staticmethod
    def _remove(table: QTableWidget) -> None:
        for row in sorted({i.row() for i in table.selectedIndexes()}, reverse=True):
            table.removeRow(row)

    # -- reading the form --------------------------------------------------------------------

    def filing(self) -> Filing:
        """The filing the window shows (not yet checked)."""

        def text(table: QTableWidget, row: int, column: int) -> str:
            item = table.item(row, column)
            return item.text().strip() if item is not None else ""

        occupations = []
        for row in range(self.occupations.rowCount()):
            levels = tuple(
                level
                for i, level in enumerate(LEVELS)
                if (item := self.occupations.item(row, FIXED_COLUMNS + i)) is not None
                and item.checkState() == Qt.CheckState.Checked
            )
            name, work_type = text(self.occupations, row, 0), text(self.occupations, row, 1)
            if name or work_type or levels:
                occupations.append(FiledOccupation(name, work_type, levels))
        branches = [
            Branch(text(self.branches, row, 0), text(self.branches, row, 1))
            for row in range(self.branches.rowCount())
            if text(self.branches, row, 0) or text(self.branches, row, 1)
        ]
        return Filing(
            code=self.code_edit.text().strip(),
            kind=str(self.kind_combo.currentData()),
            occupations=tuple(occupations),
            branches=tuple(branches),
            note=self.note_edit.text().strip(),
        )

    # -- acting ------------------------------------------------------------------------------

    @Slot()
    def import_csv(self) -> None:
        """Read a CSV file into the window (nothing is saved until 保存); a file with any
        problem changes nothing, and each problem names its row and field."""
        if not self.can_edit:
            return
        path = ask_filing_csv(self)
        if path is None:
            return
        try:
            filing = read_filing_csv(path)
        except FilingError as exc:
            show_in_place(
                self.message, self.tr("未导入，未作任何更改：\n%1").replace("%1", str(exc))
            )
            return
        self._show(filing)
        show_in_place(self.message, self.tr("已从 CSV 读入备案信息，请核对后保存。"), ok=True)

    @Slot()
    def save(self) -> None:
        if not self.can_edit:
            return
        filing = self.filing()
        try:
            recorded = save_filing(self.workspace, filing, actor=self.account.name)
        except FilingError as exc:
            show_in_place(self.message, self.tr("未保存：\n%1").replace("%1", str(exc)))
            return
        self._show(recorded)
        self.note_edit.clear()
        show_in_place(
            self.message,
            self.tr("已保存为第 %1 版备案信息。").replace("%1", str(recorded.version)),
            ok=True,
        )


def open_filing(parent: QWidget, workspace: Workspace | None, account: Account | None) -> None:
    """The filing window, for the signed-in account (an admin edits, a reviewer looks)."""
    if workspace is None or account is None:
        return
    dialog = FilingDialog(workspace, account, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
