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
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.rulebook.explain import without_pending
from app.ui.errors import show_in_place
from app.ui.institution.cases.labels import (
    document_label,
    id_type_label,
    overdue_label,
    status_label,
    step_label,
    step_text,
)
from app.ui.institution.cases.step_dialog import DOCUMENT_STEPS, FORM_STEPS, StepDialog
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
        self.documents_label = QLabel(self.tr("文书（双击查看）："), self)
        self.documents = QListWidget(self)
        self.documents.setMaximumHeight(110)
        self.documents.itemActivated.connect(self._open_document)
        self.documents.itemDoubleClicked.connect(self._open_document)
        self.preview: QDialog | None = None  # the document shown last
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
        column.addWidget(self.documents_label)
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
            lines += self._certificate_lines(case.get("without_record") or {})
        self.header.setText("<br>".join(lines))
        self.setWindowTitle(self.tr("案件：%1").replace("%1", person["name"]))

    def _certificate_lines(self, finding: dict[str, Any]) -> list[str]:
        """The certificates already issued that the Art. 8 finding lists (Art. 8 has them
        declared invalid and their data handled), one line each."""
        online = {True: self.tr("证书数据已上网"), False: self.tr("证书数据未上网")}
        lines = []
        for item in finding.get("certificates") or []:
            details = [
                " ".join(str(item[k]) for k in ("occupation", "work_type", "level") if item.get(k)),
                self.tr("发证日期 %1").replace("%1", str(item["issued_on"]))
                if item.get("issued_on")
                else "",
                online.get(item.get("online"), ""),
            ]
            shown = ("，" if in_chinese() else ", ").join(d for d in details if d)
            if shown:
                shown = f"（{shown}）" if in_chinese() else f" ({shown})"
            line = self.tr("已颁发证书：%1").replace("%1", str(item.get("number", "")))
            lines.append(escape(line + shown))
        return lines

    def _fill_handling(self) -> None:
        case = self.case
        outcome = case["outcome"]
        english = not in_chinese()
        explanation = str(outcome.get("explanation_en" if english else "explanation") or "")
        if case["status"] not in ("open", "with_regulator"):
            explanation = without_pending(explanation)
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
        self.documents.clear()
        for document in self.case.get("documents", []):
            text = (
                self.tr("%1（%2，SHA-256 %3…）")
                .replace("%1", document_label(str(document["kind"])))
                .replace("%2", str(document["at"])[:10])
                .replace("%3", str(document["sha256"])[:12])
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (document["kind"], document["sha256"]))
            self.documents.addItem(item)
        if not self.documents.count():
            self.documents.addItem(self.tr("尚无"))

    def shown_documents(self) -> list[str]:
        """The kinds of document listed (as the core names them)."""
        found = []
        for row in range(self.documents.count()):
            data = self.documents.item(row).data(Qt.ItemDataRole.UserRole)
            if data:
                found.append(str(data[0]))
        return found

    @Slot(QListWidgetItem)
    def _open_document(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self.open_document(str(data[0]), str(data[1]))

    def open_document(self, kind: str, sha256: str) -> QDialog | None:
        """The stored document, checked against its hash, shown as its PDF (a document that
        was a text, such as a response, is shown as what was received)."""
        from app.core.casework import documents
        from app.core.errors import UserError

        received = self._received_text(sha256)
        if received is not None:  # a response, an objection, a conclusion: the text as kept
            return self._show_text(received, document_label(kind))
        try:
            data = documents.read_document(self.workspace, sha256)
        except UserError as exc:
            self._say(self.tr("无法打开该文书：%1").replace("%1", str(exc)))
            return None
        if not data.startswith(b"%PDF-"):
            self._say(data.decode("utf-8", "replace")[:2000], ok=True)
            return None
        return self._show_pdf(data, document_label(kind), f"{kind}-{sha256[:12]}.pdf")

    def _received_text(self, sha256: str) -> str | None:
        """The text a step recorded as received under ``sha256`` (kept in the step itself)."""
        for step in self.case["steps"]:
            details = step["details"] or {}
            text = details.get("text", details.get("conclusion"))
            if step["document_sha256"] == sha256 and isinstance(text, str):
                return text
        return None

    def _show_text(self, text: str, title: str) -> QDialog:
        from PySide6.QtWidgets import QPlainTextEdit

        dialog = QDialog(self)
        dialog.setWindowTitle(title)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view = QPlainTextEdit(text, dialog)
        view.setReadOnly(True)
        QVBoxLayout(dialog).addWidget(view)
        dialog.resize(640, 360)
        dialog.show()
        self.preview = dialog
        return dialog

    def _show_pdf(self, pdf: bytes, title: str, name: str) -> QDialog:
        from app.ui.reports.preview import ReportPreviewDialog

        preview = ReportPreviewDialog(pdf, title, name, self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.show()
        self.preview = preview
        return preview

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
        from app.core.errors import UserError

        seen = int(self.case["version"])
        made = None
        try:
            if step in DOCUMENT_STEPS:
                made = self._take_document_step(step, seen, dict(values))
                if made is None:
                    return False
            else:
                getattr(self.desk, _METHODS[step])(self.account, self.case_id, seen, **values)
        except EditConflict:
            self.reload()
            self._say(
                self.tr(
                    "在您查看之后，其他账号已办理了本案件的步骤（见下表）；您的操作没有进行。"
                    "已显示案件现在的状态，请确认后再办理。"
                )
            )
            return False
        except (CaseError, UserError) as exc:
            self._say(self.tr("此步骤没有进行：%1").replace("%1", str(exc)))
            return False
        self.reload()
        self._say(self.tr("已办理：%1").replace("%1", step_label(step)), ok=True)
        self.changed.emit(self.case_id)
        if made is not None and made.pdf is not None:
            self._show_pdf(made.pdf, step_label(step), f"{made.kind}-{made.sha256[:12]}.pdf")
        return True

    def _take_document_step(self, step: str, seen: int, values: dict[str, Any]) -> Any:
        """A step that makes a document signed in the institution's name: its keys opened by
        the passphrase given with the form, then the document made, stored and the step taken
        together (``casework.documents``). None when the passphrase does not open them."""
        from app.core.casework import documents
        from app.core.trust.institution import WrongPassphraseError, load_identity

        passphrase = str(values.pop("passphrase", ""))
        try:
            identity = load_identity(self.workspace.data_dir, passphrase)
        except WrongPassphraseError:
            self._say(self.tr("机构密钥口令不正确，文书没有制作，案件未改变。"))
            return None
        args = (self.workspace, self.account, identity, self.case_id, seen)
        if step == "notice":
            return documents.notice(*args, respond_by=values.get("respond_by"))
        if step == "decide":
            return documents.decide(
                *args, decision_date=values["decision_date"], delivery=values["delivery"]
            )
        if step == "review":
            return documents.review(*args, **values)
        return documents.report_to_regulator(*args, to=values["to"], date=values["date"])

    def _say(self, message: str, *, ok: bool = False) -> None:
        show_in_place(self.message, message, ok=ok)
        self.message.show()

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""
