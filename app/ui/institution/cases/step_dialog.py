"""The form of one casework step: only what that step asks for (a fact to determine, a text
received, a delivery, a referral), checked before the case is touched; the case window takes
the step with the version of the case it showed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
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

# The steps this form takes, as the command line names them.
FORM_STEPS = ("determine", "respond", "deliver", "object", "close", "refer", "other-authority")


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
        self._build(case, today)
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
        if self.step in ("refer", "other-authority") and not values.get(
            "to", values.get("authority")
        ):
            missing = self.name
        if self.step == "deliver" and values.get("document") is None:
            show_in_place(self.message, self.tr("尚无可送达的文书。"))
            self.message.show()
            return
        if missing is not None:
            show_in_place(self.message, self.tr("请填写此项。"), focus=missing)
            self.message.show()
            return
        self.accept()
