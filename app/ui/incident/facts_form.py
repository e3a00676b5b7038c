"""The questions one clause needs (reminded? refused? severity …), and nothing else.

Severity may be left to the institution (待机构认定): the engine then states the lightest
certain handling and names severity as pending.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from app.core.rulebook.model import Clause, Fact, Party, Rulebook
from app.ui.classifier_panel import needed_facts

translate = QCoreApplication.translate
TRI_STATE: tuple[bool | None, ...] = (None, True, False)
SEVERITIES: tuple[str | None, ...] = (None, "minor", "serious")


class FactQuestions(QObject):
    """Shows the fact rows the clause needs; ``facts()`` gives the answered ones."""

    changed = Signal()

    def __init__(
        self,
        group: QWidget,
        form: QFormLayout,
        combos: Mapping[Fact, QComboBox],
        role_value: QLabel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.group = group
        self.form = form
        self.combos = dict(combos)
        self.role_value = role_value
        self.needed: set[Fact] = set()
        self.retranslate()
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self.changed)
        self.show_for(None, None, None)

    def retranslate(self) -> None:
        for fact, combo in self.combos.items():
            index = combo.currentIndex()
            combo.blockSignals(True)
            combo.clear()
            if fact is Fact.SEVERITY:
                combo.addItems(
                    [
                        translate("FactQuestions", "待机构认定"),
                        translate("FactQuestions", "情节轻微"),
                        translate("FactQuestions", "情节严重"),
                    ]
                )
            else:
                combo.addItems(
                    [
                        translate("FactQuestions", "未确定"),
                        translate("FactQuestions", "是"),
                        translate("FactQuestions", "否"),
                    ]
                )
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def show_for(
        self,
        rulebook: Rulebook | None,
        clause: Clause | None,
        role_text: str | None,
        party: Party | None = None,
    ) -> None:
        """Show the rows ``clause`` needs; the role row for a staff incident. ``party`` is the
        incident's, where the clause reaches more than its article's (15.2 and staff)."""
        self.needed = needed_facts(rulebook, clause) if rulebook and clause else set()
        parties = rulebook.parties_of(clause) if rulebook and clause else ()
        if party not in parties:
            party = parties[0] if parties else None
        for fact, combo in self.combos.items():
            self.form.setRowVisible(combo, fact in self.needed)
        staff = party is Party.STAFF
        self.form.setRowVisible(self.role_value, staff)
        self.role_value.setText(role_text or translate("FactQuestions", "（先选当事人）"))
        self.group.setVisible(bool(self.needed) or staff)

    def first_visible(self) -> QComboBox | None:
        for fact in (Fact.WARNED, Fact.REFUSED, Fact.SEVERITY, Fact.ADVERSE_EFFECT):
            if fact in self.needed:
                return self.combos[fact]
        if Fact.PRIOR_WARNING in self.needed:
            return self.combos[Fact.PRIOR_WARNING]
        return None

    def facts(self) -> dict[str, str | bool]:
        result: dict[str, str | bool] = {}
        for fact, combo in self.combos.items():
            if fact not in self.needed:
                continue
            table = SEVERITIES if fact is Fact.SEVERITY else TRI_STATE
            value = table[max(combo.currentIndex(), 0)]
            if value is not None:
                result[fact.value] = value
        return result

    def set_facts(self, facts: Mapping[str, object]) -> None:
        for fact, combo in self.combos.items():
            table: tuple[object, ...] = SEVERITIES if fact is Fact.SEVERITY else TRI_STATE
            value = facts.get(fact.value)
            combo.blockSignals(True)
            combo.setCurrentIndex(table.index(value) if value in table else 0)
            combo.blockSignals(False)
