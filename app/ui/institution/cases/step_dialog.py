"""The form of one casework step: only what that step asks for (a fact to determine, a text
received, a delivery, a referral), checked before the case is touched; the case window takes
the step with the version of the case it showed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import show_in_place
from app.ui.institution.cases.labels import delivery_methods, document_label, step_label

# The steps this form takes, as the command line names them, in the procedure's order; those
# that make a signed document ask for the institution's passphrase too.
FORM_STEPS = (
    "determine", "notice", "respond", "decide", "deliver", "object", "review", "report",
    "close", "refer", "other-authority",
)  # fmt: skip
DOCUMENT_STEPS = frozenset({"notice", "decide", "review", "report"})


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


class StepDialog(QDialog):
    """Ask for what ``step`` needs; ``values()`` are the keyword arguments of its service call.

    ``case``: the case as ``CaseDesk.show`` gave it (its party, the facts still open, the
    documents made so far, for the choices offered)."""

    def __init__(
        self, step: str, case: dict[str, Any], today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.step = step
        self.setWindowTitle(step_label(step))
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        self.severity: QComboBox | None = None
        self.adverse: QComboBox | None = None
        self.text: QPlainTextEdit | None = None
        self.name: QLineEdit | None = None
        self.date: QDateEdit | None = None
        self.document: QComboBox | None = None
        self.method: QComboBox | None = None
        self.basis: QComboBox | None = None
        self.respond_by: QCheckBox | None = None
        self.delivery: QComboBox | None = None
        self.outcome: QComboBox | None = None
        self.passphrase: QLineEdit | None = None
        self._build(case, today)
        if step in DOCUMENT_STEPS:
            self.passphrase = QLineEdit(self)
            self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
            self.form.addRow(self.tr("机构密钥口令(&K)："), self.passphrase)
            hint = QLabel(self.tr("文书以评价机构的名义签名，须输入机构密钥口令。"), self)
            hint.setWordWrap(True)
            self.form.addRow(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(self.form)
        column.addWidget(self.message)
        column.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def _build(self, case: dict[str, Any], today: dt.date) -> None:
        step = self.step
        if step == "determine":
            self._determine_fields(case)
        if step in ("respond", "object"):
            self.text = QPlainTextEdit(self)
            self.form.addRow(
                self.tr("陈述内容(&T)：") if step == "respond" else self.tr("陈述和申辩(&T)："),
                self.text,
            )
            self.date = self._date_edit(today)
            self.form.addRow(self.tr("收到日期(&D)："), self.date)
        if step == "deliver":
            self.document = QComboBox(self)
            made = {d["kind"] for d in case.get("documents", [])}
            for kind in ("notice", "decision", "review"):
                if kind in made:
                    self.document.addItem(document_label(kind), kind)
            self.form.addRow(self.tr("文书(&O)："), self.document)
            self.method = QComboBox(self)
            for value, text in delivery_methods():
                self.method.addItem(text, value)
            self.form.addRow(self.tr("方式(&M)："), self.method)
            self.date = self._date_edit(today)
            self.form.addRow(self.tr("日期(&D)："), self.date)
        if step == "notice":
            self.respond_by = QCheckBox(
                self.tr("请当事人在期限内陈述（本机构工作规范，《指引》未规定期限）"), self
            )
            self.date = self._date_edit(today + dt.timedelta(days=_response_days(case)))
            self.form.addRow(self.respond_by)
            self.form.addRow(self.tr("陈述期限(&D)："), self.date)
        if step == "decide":
            self.date = self._date_edit(today)
            self.form.addRow(self.tr("处理决定日期(&D)："), self.date)
            self.delivery = QComboBox(self)
            self.delivery.addItem(self.tr("书面送达当事人"), "served")
            self.delivery.addItem(self.tr("公告"), "announced")
            self.form.addRow(self.tr("送达方式(&M)："), self.delivery)
        if step == "review":
            self.outcome = QComboBox(self)
            self.outcome.addItem(self.tr("维持原处理决定"), "upheld")
            self.outcome.addItem(self.tr("变更原处理决定"), "changed")
            self.outcome.addItem(self.tr("撤销原处理决定"), "annulled")
            self.form.addRow(self.tr("复核结论(&O)："), self.outcome)
            if case.get("party") == "candidate":
                self.severity = QComboBox(self)
                self.severity.addItem(self.tr("不变"), None)
                self.severity.addItem(self.tr("情节轻微"), "minor")
                self.severity.addItem(self.tr("情节严重"), "serious")
                self.form.addRow(self.tr("变更后的情节(&S)："), self.severity)
        if step == "report":
            self.name = QLineEdit(self)
            self.form.addRow(self.tr("监管部门(&A)："), self.name)
            self.date = self._date_edit(today)
            self.form.addRow(self.tr("报备日期(&D)："), self.date)
        if step == "close":
            self.text = QPlainTextEdit(self)
            self.form.addRow(self.tr("说明(&N)："), self.text)
        if step == "refer":
            self.name = QLineEdit(self)
            self.form.addRow(self.tr("移送至(&A)："), self.name)
            self.basis = QComboBox(self)
            bases: tuple[tuple[str | None, str], ...] = (
                (None, self.tr("按处理决定")),
                ("art7", self.tr("第七条：情节严重的，移送有关部门")),
                ("art10", self.tr("第十条：考评人员证书颁发部门")),
                ("art15", self.tr("第十五条：违反法律法规的，移交相关部门")),
                ("other", self.tr("其他")),
            )
            for basis, label in bases:
                self.basis.addItem(label, basis)
            self.form.addRow(self.tr("依据(&B)："), self.basis)
            self.date = self._date_edit(today)
            self.form.addRow(self.tr("日期(&D)："), self.date)
        if step == "other-authority":
            self.name = QLineEdit(self)
            self.form.addRow(self.tr("处理机关(&A)："), self.name)
            self.text = QPlainTextEdit(self)
            self.form.addRow(self.tr("处理结论(&C)："), self.text)

    def _determine_fields(self, case: dict[str, Any]) -> None:
        """The facts the site left open, as the party's clauses use them (Art. 7: severity;
        the staff clauses: an adverse effect)."""
        pending = set(case.get("outcome", {}).get("pending", []))
        party = case.get("party")
        if party == "candidate" or "severity" in pending:
            self.severity = QComboBox(self)
            self.severity.addItem(self.tr("不适用或未认定"), None)
            self.severity.addItem(self.tr("情节轻微"), "minor")
            self.severity.addItem(self.tr("情节严重"), "serious")
            self.form.addRow(self.tr("情节(&S)："), self.severity)
        if party == "staff" or "adverse_effect" in pending:
            self.adverse = QComboBox(self)
            self.adverse.addItem(self.tr("不适用或未认定"), None)
            self.adverse.addItem(self.tr("造成不良影响"), True)
            self.adverse.addItem(self.tr("未造成不良影响"), False)
            self.form.addRow(self.tr("不良影响(&E)："), self.adverse)
        note = QLabel(
            self.tr("认定所含记录的事实；仍待查明的事实须在此认定后，方可依条款确定处理。"),
            self,
        )
        note.setWordWrap(True)
        self.form.addRow(note)

    def _date_edit(self, today: dt.date) -> QDateEdit:
        edit = QDateEdit(_qdate(today), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def values(self) -> dict[str, Any]:
        """The keyword arguments of the step's ``CaseDesk`` call."""
        out: dict[str, Any] = {}
        step = self.step
        if step == "determine":
            if self.severity is not None and self.severity.currentData() is not None:
                out["severity"] = self.severity.currentData()
            if self.adverse is not None and self.adverse.currentData() is not None:
                out["adverse_effect"] = bool(self.adverse.currentData())
        if step in ("respond", "object") and self.text is not None and self.date is not None:
            out["text"] = self.text.toPlainText().strip()
            out["received_on"] = _day(self.date)
        if step == "deliver" and self.document and self.method and self.date:
            out["document"] = self.document.currentData()
            out["method"] = self.method.currentData()
            out["date"] = _day(self.date)
        if step == "notice" and self.respond_by is not None and self.date is not None:
            out["respond_by"] = _day(self.date) if self.respond_by.isChecked() else None
        if step == "decide" and self.date is not None and self.delivery is not None:
            out["decision_date"] = _day(self.date)
            out["delivery"] = self.delivery.currentData()
        if step == "review" and self.outcome is not None:
            out["outcome"] = self.outcome.currentData()
            if self.severity is not None and self.severity.currentData() is not None:
                out["severity"] = self.severity.currentData()
        if step == "report" and self.name is not None and self.date is not None:
            out["to"] = self.name.text().strip()
            out["date"] = _day(self.date)
        if self.passphrase is not None:
            out["passphrase"] = self.passphrase.text()
        if step == "close" and self.text is not None:
            out["note"] = self.text.toPlainText().strip()
        if step == "refer" and self.name and self.basis and self.date:
            out["to"] = self.name.text().strip()
            out["date"] = _day(self.date)
            if self.basis.currentData() is not None:
                out["basis"] = self.basis.currentData()
        if step == "other-authority" and self.name and self.text:
            out["authority"] = self.name.text().strip()
            out["conclusion"] = self.text.toPlainText().strip()
        return out

    @Slot()
    def submit(self) -> None:
        """Accept once what the step needs is there; else say what is missing, in place."""
        values = self.values()
        missing: QWidget | None = None
        if self.step in ("respond", "object", "other-authority") and not values.get(
            "text", values.get("conclusion")
        ):
            missing = self.text
        if self.step in ("refer", "other-authority", "report") and not values.get(
            "to", values.get("authority")
        ):
            missing = self.name
        if self.passphrase is not None and not values.get("passphrase"):
            missing = self.passphrase
        if self.step == "deliver" and values.get("document") is None:
            show_in_place(self.message, self.tr("尚无可送达的文书。"))
            self.message.show()
            return
        if missing is not None:
            show_in_place(self.message, self.tr("请填写此项。"), focus=missing)
            self.message.show()
            return
        self.accept()


def _response_days(case: dict[str, Any]) -> int:
    days = case.get("deadlines", {}).get("response_days")
    return days if isinstance(days, int) and days > 0 else 5
