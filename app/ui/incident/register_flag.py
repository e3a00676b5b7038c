"""The register's flag in the incident window: when the chosen candidate was found barred as
the kit was written, a red line with the clause and the last day of the ban; when they were
added on site, a line saying they could not be checked offline (the institution screens them
at import). Nothing for staff, nor for a candidate the kit's roster held who is not barred."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from app.core.register.kit_flags import SiteFlags

_CTX = "RegisterFlag"
BARRED_STYLE = "color: #a4000f; font-weight: bold;"
UNCHECKED_STYLE = "color: #b35c00;"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def flag_text(flags: SiteFlags, candidate_id: str) -> tuple[str, str]:
    """(text, style sheet) for the candidate; ("", "") when there is nothing to say."""
    flag = flags.flag(candidate_id)
    if flag is not None:
        text = (
            _tr("⛔ 禁考人员：依第 %1 条（项）处理，禁考至 %2（含）")
            .replace("%1", flag.clause)
            .replace("%2", flag.last_day)
        )
        return text, BARRED_STYLE
    if flags.added_on_site(candidate_id):
        return _tr("现场新增，无法离线核查，评价机构导入时核查"), UNCHECKED_STYLE
    return "", ""


class RegisterFlagLine:
    """A line under the person in the incident form, shown only when it has something to say."""

    def __init__(self, form: QFormLayout, after: QWidget, flags: SiteFlags) -> None:
        self.flags = flags
        self.form = form
        self.label = QLabel(after.parentWidget())
        self.label.setObjectName("registerFlag")
        self.label.setWordWrap(True)
        # PySide types the position as ``object``: it is (row, role), row -1 when not found.
        position = form.getWidgetPosition(after)
        row = position[0] if isinstance(position, tuple) and position else -1
        if not isinstance(row, int) or row < 0:
            raise LookupError(f"{after.objectName()} is not a field of {form.objectName()}")
        form.insertRow(row + 1, "", self.label)
        form.setRowVisible(self.label, False)
        self._candidate: str | None = None

    def show_for(self, candidate_id: str | None) -> None:
        """The flag of ``candidate_id`` (None: no candidate chosen)."""
        self._candidate = candidate_id
        text, style = ("", "") if candidate_id is None else flag_text(self.flags, candidate_id)
        self.label.setText(text)
        self.label.setStyleSheet(style)
        self.form.setRowVisible(self.label, bool(text))

    def retranslate(self) -> None:
        self.show_for(self._candidate)
