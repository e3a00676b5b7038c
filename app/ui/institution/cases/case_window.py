"""One case walked through the guideline's steps (Art. 16–20): who it concerns, the handling
its records call for, where it stands, the steps that may come next, every step taken (by
which account, when) and the documents made.

A step is taken on the version of the case this window showed: if another admin took a step
meanwhile, the step is refused as a conflict, nothing is overwritten, and the window shows the
case as it now stands.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import show_in_place
from app.ui.institution.cases.labels import (
    document_label,
    id_type_label,
    overdue_label,
    status_label,
    step_label,
    step_text,
)
from app.ui.institution.cases.step_dialog import FORM_STEPS, StepDialog
from app.ui.labels import in_chinese, party_label

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace

# The service's method for each step this window takes, by the command line's name.
_METHODS = {
    "determine": "determine",
    "respond": "respond",
    "deliver": "deliver",
    "object": "object_to",
    "close": "close",
    "refer": "refer",
    "other-authority": "other_authority",
}


def ask_step(
    parent: QWidget, step: str, case: dict[str, Any], today: dt.date
) -> dict[str, Any] | None:
    """The step's form (tests replace this function); its values, or None when cancelled."""
    dialog = StepDialog(step, case, today, parent)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class CaseWindow(QDialog):
    """A case for the signed-in account: a reviewer reads it, an admin takes its steps."""

    changed = Signal(str)  # the case id, after a step was taken

    def __init__(
        self,
        workspace: Workspace,
        account: Account,
        case_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from app.core.casework.service import CaseDesk

        self.workspace, self.account, self.case_id = workspace, account, case_id
        self.desk = CaseDesk(workspace)
        self.case: dict[str, Any] = {}
        self.setWindowTitle(self.tr("案件"))
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.handling = QLabel(self)
        self.handling.setWordWrap(True)
        self.handling.setTextFormat(Qt.TextFormat.RichText)
        self.handling.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        self.next_label = QLabel(self)
        self.step_buttons: dict[str, QPushButton] = {}
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_label)
        for step in FORM_STEPS:
            button = QPushButton(step_label(step) + "…", self)
            button.clicked.connect(lambda _checked=False, s=step: self.start_step(s))
            self.step_buttons[step] = button
            next_row.addWidget(button)
        next_row.addStretch(1)
        self.steps = QTableWidget(0, 4, self)
        self.steps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.steps.verticalHeader().hide()
        header = self.steps.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.documents = QLabel(self)
        self.documents.setWordWrap(True)
        self.close_button = QPushButton(self.tr("关闭(&C)"), self)
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.documents, 1)
        bottom.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(self.header)
        column.addWidget(self.handling)
        column.addLayout(next_row)
        column.addWidget(self.message)
        column.addWidget(self.steps, 1)
        column.addLayout(bottom)
        self.resize(1100, 680)
        self.reload()

    # -- showing ---------------------------------------------------------------------------

    def reload(self) -> None:
        """The case as the database holds it now."""
        self.case = self.desk.show(self.account, self.case_id)
        self._numbers = self._record_numbers()
        self._fill_header()
        self._fill_handling()
        self._fill_next()
        self._fill_steps()
        self._fill_documents()

    def _record_numbers(self) -> dict[str, str]:
        """Record id → its number (with its version after the first), for the records the
        case holds and those its steps name."""
        from app.core.records.tables import Incident

        ids = set(self.case["records"])
        for step in self.case["steps"]:
            details = step["details"] or {}
            for key in ("incident_ids", "added", "removed"):
                ids.update(str(i) for i in details.get(key) or [])
        numbers = {}
        with self.workspace.reading() as db:
            for ident in ids:
                row = db.get(Incident, ident)
                if row is not None:
                    suffix = f"/{row.version}" if row.version > 1 else ""
                    numbers[ident] = f"{row.number}{suffix}"
        return {i: numbers.get(i, i[:8]) for i in ids}

    def _fill_header(self) -> None:
        case = self.case
        person = case["person"]
        identity = " ".join(
            x for x in (id_type_label(person["id_type"]), person["id_number_masked"]) if x
        )
        overdue = overdue_label(case["overdue"])
        lines = [
            f"<b>{escape(person['name'])}</b>　{escape(identity)}　·　"
            f"{escape(party_label(case['party']))}",
            self.tr("状态：%1").replace("%1", f"<b>{escape(status_label(case['status']))}</b>")
            + (f"　<span style='color:#b00020'>{escape(overdue)}</span>" if overdue else ""),
            self.tr("条款：%1").replace("%1", escape("、".join(case["clauses"]) or "—")),
            self.tr("所含记录：%1").replace(
                "%1", escape("、".join(self._numbers[i] for i in case["records"]) or "—")
            ),
        ]
        if case["session_id"] is None:
            lines.append(escape(self.tr("评价活动结束后发现（第八条），无考点记录")))
        self.header.setText("<br>".join(lines))
        self.setWindowTitle(self.tr("案件：%1").replace("%1", person["name"]))

    def _fill_handling(self) -> None:
        case = self.case
        outcome = case["outcome"]
        english = not in_chinese()
        explanation = outcome.get("explanation_en" if english else "explanation") or ""
        parts = [f'<p style="white-space: pre-wrap;">{escape(str(explanation))}</p>']
        decision = case.get("decision") or {}
        ban = decision.get("ban") if isinstance(decision, dict) else None
        if decision:
            parts.append(
                escape(
                    self.tr("处理决定日期：%1").replace("%1", str(decision.get("decision_date")))
                )
            )
        if isinstance(ban, dict):
            parts.append(
                escape(
                    self.tr("禁考期：%1 至 %2（含）")
                    .replace("%1", str(ban.get("first_day")))
                    .replace("%2", str(ban.get("last_day")))
                )
            )
        for note in case.get("obligations", []):
            mark = "✓" if note["done"] else "○"
            parts.append(f"{mark} {escape(str(note['what']))} ({escape(str(note['basis']))})")
        for note in case.get("notes", []):
            parts.append(f"<span style='color:#b00020'>{escape(note)}</span>")
        deadlines = case.get("deadlines", {})
        due = deadlines.get("respond_by") or deadlines.get("object_by")
        if due:
            parts.append(
                escape(
                    self.tr("回复或申辩期限：%1（本机构工作规范，《指引》未规定期限）").replace(
                        "%1", str(due)
                    )
                )
            )
        self.handling.setText("<br>".join(parts))

    def _fill_next(self) -> None:
        admin = self.account.role == "admin"
        allowed = set(self.case["next"])
        shown = [s for s in FORM_STEPS if s in allowed and admin]
        for step, button in self.step_buttons.items():
            button.setVisible(step in shown)
        if not admin:
            text = self.tr("审阅人只能查看，办理步骤由管理员进行。")
        elif self.case["status"] == "closed":
            text = self.tr("已结案。")
        elif self.case["status"] == "with_regulator":
            text = self.tr("评价机构的违规由监管部门认定处理，此处只记录其结论：")
        else:
            text = self.tr("下一步：")
        self.next_label.setText(text)

    def _fill_steps(self) -> None:
        self.steps.setHorizontalHeaderLabels(
            [self.tr("步骤"), self.tr("账号"), self.tr("时间"), self.tr("内容")]
        )
        rows = self.case["steps"]
        self.steps.setRowCount(len(rows))
        for row, step in enumerate(rows):
            at = dt.datetime.fromisoformat(str(step["at"]).replace("Z", "+00:00"))
            values = (
                step_label(step["kind"]),
                step["account"] or "",
                at.astimezone().strftime("%Y-%m-%d %H:%M"),
                step_text(str(step["kind"]), step["details"] or {}, self._numbers),
            )
            for column, text in enumerate(values):
                self.steps.setItem(row, column, QTableWidgetItem(text))

    def _fill_documents(self) -> None:
        documents = self.case.get("documents", [])
        if not documents:
            self.documents.setText(self.tr("文书：尚无"))
            return
        listed = "；".join(
            f"{document_label(d['kind'])}（{str(d['at'])[:10]}，SHA-256 {str(d['sha256'])[:12]}…）"
            for d in documents
        )
        self.documents.setText(self.tr("文书：%1").replace("%1", listed))

    def shown_steps(self) -> list[str]:
        """The steps listed, as the core names them (for tests and the screen reader)."""
        return [str(step["kind"]) for step in self.case["steps"]]

    def offered_steps(self) -> list[str]:
        return [s for s, b in self.step_buttons.items() if not b.isHidden()]

    # -- acting ----------------------------------------------------------------------------

    @Slot(str)
    def start_step(self, step: str) -> None:
        """Ask for the step's form and take it on the version shown."""
        from app.core.casework.cases import today

        values = ask_step(self, step, self.case, today())
        if values is not None:
            self.take_step(step, values)

    def take_step(self, step: str, values: dict[str, Any]) -> bool:
        """Take ``step`` with ``values`` on the case as this window showed it. A conflict or a
        refusal is said in place and the case shown as it now stands; nothing is changed."""
        from app.core.casework.errors import CaseError, EditConflict

        method = getattr(self.desk, _METHODS[step])
        seen = int(self.case["version"])
        try:
            method(self.account, self.case_id, seen, **values)
        except EditConflict:
            self.reload()
            self._say(
                self.tr(
                    "在您查看之后，其他账号已办理了本案件的步骤（见下表）；您的操作没有进行。"
                    "已显示案件现在的状态，请确认后再办理。"
                )
            )
            return False
        except CaseError as exc:
            self._say(self.tr("此步骤没有进行：%1").replace("%1", str(exc)))
            return False
        self.reload()
        self._say(self.tr("已办理：%1").replace("%1", step_label(step)), ok=True)
        self.changed.emit(self.case_id)
        return True

    def _say(self, message: str, *, ok: bool = False) -> None:
        show_in_place(self.message, message, ok=ok)
        self.message.show()

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""
