"""The "try the classifier" panel: the facts one clause needs, and the outcome, live.

It shows only the inputs the chosen clause (and the clauses it may escalate to) needs, builds
the engine's facts mapping from them, and renders ``classify(...)`` on every change. Errors the
user can cause (a role that does not fit the clause, a decision date before the incident) are
shown in the outcome panel, never as a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QWidget

from app.core.errors import UserError
from app.core.rulebook.model import Clause, Fact, Party, Rulebook, StaffRole
from app.ui.generated.ui_classifier_panel import Ui_ClassifierPanel
from app.ui.labels import clause_title, in_chinese, party_label
from app.ui.outcome_view import error_html, handling_heading_text, outcome_html

# Item order of the combos in forms/classifier_panel.ui.
TRI_STATE: tuple[bool | None, ...] = (None, True, False)  # 未知 / 是 / 否
SEVERITIES: tuple[str | None, ...] = (None, "minor", "serious")  # 未认定 / 情节轻微 / 情节严重
ROLES: tuple[StaffRole, ...] = (
    StaffRole.EXAM_ADMIN,
    StaffRole.ASSESSOR,
    StaffRole.SUPERVISOR,
    StaffRole.SITE_HEAD,
)

Classify = Callable[[Rulebook, Mapping[str, Any]], Any]


def needed_facts(rulebook: Rulebook, clause: Clause) -> set[Fact]:
    """The clause's facts and those of every clause it may escalate to (12.x → 13.1 → 14.6)."""
    facts: set[Fact] = set()
    seen: set[str] = set()
    todo = [clause]
    while todo:
        current = todo.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        facts.update(current.facts)
        for escalation in current.escalations:
            facts.add(escalation.fact)
            target = rulebook.clauses.get(escalation.to)
            if target is not None:
                todo.append(target)
    return facts


def _default_classify(rulebook: Rulebook, facts: Mapping[str, Any]) -> Any:
    from app.core.rulebook.engine import classify

    return classify(rulebook, facts)


class ClassifierPanel(QWidget):
    """Fact inputs for one clause and the handling the rulebook provides for them."""

    #: The user picked another clause in the panel's own clause box.
    clauseChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, classify: Classify | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ClassifierPanel()
        self.ui.setupUi(self)
        self.ui.outcomeView.setTabChangesFocus(True)
        self._classify = classify or _default_classify
        self._rulebook: Rulebook | None = None
        self._clause: Clause | None = None
        self._add_party_choice()
        today = QDate.currentDate()
        self.ui.dateEdit.setDate(today)
        # No decision yet until one is entered (Art. 17: notice comes first): the date edit's
        # lowest value, the day before the incident, reads "not decided" and dates nothing.
        self._label_undecided()
        self.ui.decisionDateEdit.setMinimumDate(today.addDays(-1))
        self.ui.decisionDateEdit.setDate(today.addDays(-1))
        self.ui.clauseCombo.currentIndexChanged.connect(self._on_clause_index)
        for combo in self._fact_combos().values():
            combo.currentIndexChanged.connect(self.refresh)
        self.ui.roleCombo.currentIndexChanged.connect(self.refresh)
        self.ui.certificateCombo.currentIndexChanged.connect(self.refresh)
        self.ui.dateEdit.dateChanged.connect(self._on_date)
        self.ui.decisionDateEdit.dateChanged.connect(self.refresh)
        self.ui.discoveredCheck.toggled.connect(self._on_discovered)
        self._update_rows()

    # -- public API ------------------------------------------------------------------------

    def set_rulebook(self, rulebook: Rulebook) -> None:
        """Offer the rulebook's clauses; keeps the current clause when the new one has it."""
        current = self._clause.id if self._clause else None
        self._rulebook = rulebook
        combo = self.ui.clauseCombo
        combo.blockSignals(True)
        combo.clear()
        for clause in rulebook.clauses.values():
            article = rulebook.article_of(clause)
            if article.party is None:
                continue  # procedural provisions are not classified
            combo.addItem(f"{clause.id}  {clause_title(clause)}", clause.id)
            other = clause.title_en if in_chinese() else clause.title_zh
            combo.setItemData(combo.count() - 1, other, Qt.ItemDataRole.ToolTipRole)
        combo.blockSignals(False)
        self._clause = None
        target = current if current in rulebook.clauses else None
        if target is None and combo.count():
            target = str(combo.itemData(0))
        if target is not None:
            self.set_clause(target)
        else:
            self._update_rows()
            self.refresh()

    def set_clause(self, clause_id: str) -> None:
        """Show the inputs ``clause_id`` needs; does not emit ``clauseChosen``."""
        if self._rulebook is None or clause_id not in self._rulebook.clauses:
            return
        index = self.ui.clauseCombo.findData(clause_id)
        if index < 0:
            return  # a procedural provision: nothing to try
        self.ui.clauseCombo.blockSignals(True)
        self.ui.clauseCombo.setCurrentIndex(index)
        self.ui.clauseCombo.blockSignals(False)
        self._clause = self._rulebook.clauses[clause_id]
        self._fit_role()
        self._update_rows()
        self.refresh()

    def clause_id(self) -> str | None:
        return self._clause.id if self._clause else None

    def facts(self) -> dict[str, Any]:
        """The engine's facts mapping for the inputs shown; unknown values are left out."""
        if self._rulebook is None or self._clause is None:
            return {}
        party = self._party()
        facts: dict[str, Any] = {
            "clause": self._clause.id,
            "date": self.ui.dateEdit.date().toString("yyyy-MM-dd"),
        }
        if party is not None:
            facts["party"] = party.value
        needed = needed_facts(self._rulebook, self._clause)
        for fact, combo in self._fact_combos().items():
            if fact not in needed:
                continue
            value: Any = (
                SEVERITIES[combo.currentIndex()]
                if fact is Fact.SEVERITY
                else TRI_STATE[combo.currentIndex()]
            )
            if value is not None:
                facts[fact.value] = value
        if party is Party.STAFF:
            facts["role"] = ROLES[self.ui.roleCombo.currentIndex()].value
        if party is Party.CANDIDATE and self.ui.discoveredCheck.isChecked():
            facts["discovered_after_exam"] = True
            issued = TRI_STATE[self.ui.certificateCombo.currentIndex()]
            if issued is not None:
                facts["certificate_issued"] = issued
            decided = self.decision_date()
            if decided is not None:
                facts["decision_date"] = decided.toString("yyyy-MM-dd")
        return facts

    def outcome_text(self) -> str:
        """The outcome panel as plain text (what a reader sees)."""
        return self.ui.outcomeView.toPlainText()

    @Slot()
    def refresh(self) -> None:
        """Classify the current inputs and show the outcome or the error in place."""
        party = self._party()
        self.ui.outcomeGroup.setTitle(handling_heading_text(party.value if party else None))
        if self._rulebook is None or self._clause is None:
            self.ui.outcomeView.setHtml("")
            return
        try:
            outcome = self._classify(self._rulebook, self.facts())
        except UserError as exc:
            field = getattr(exc, "field", None)
            self.ui.outcomeView.setHtml(
                error_html(str(exc), field if isinstance(field, str) else None)
            )
            return
        self.ui.outcomeView.setHtml(outcome_html(self._rulebook, outcome.to_dict()))

    # -- internals -------------------------------------------------------------------------

    def _add_party_choice(self) -> None:
        """A choice beside the party's name, shown for a clause whose text reaches more than
        one party (15.2: an institution, or the staff member responsible)."""
        form = self.ui.factsForm
        form.removeWidget(self.ui.partyValue)
        cell = QWidget(self.ui.inputGroup)
        row = QHBoxLayout(cell)
        row.setContentsMargins(0, 0, 0, 0)
        self.partyChoice = QComboBox(cell)
        row.addWidget(self.ui.partyValue)
        row.addWidget(self.partyChoice, 1)
        form.setWidget(0, QFormLayout.ItemRole.FieldRole, cell)
        self.partyChoice.hide()
        self.partyChoice.currentIndexChanged.connect(self._on_party)

    def _party(self) -> Party | None:
        """The party the clause is tried for: the one chosen, else its article's."""
        if self._rulebook is None or self._clause is None:
            return None
        parties = self._rulebook.parties_of(self._clause)
        chosen = self.partyChoice.currentData()
        if len(parties) > 1 and chosen in {p.value for p in parties}:
            return Party(chosen)
        return parties[0] if parties else None

    def _offer_parties(self, parties: tuple[Party, ...]) -> None:
        # Refilled on every change (and so in the interface language); the choice is kept.
        chosen = self.partyChoice.currentData()
        self.partyChoice.blockSignals(True)
        self.partyChoice.clear()
        for party in parties if len(parties) > 1 else ():
            self.partyChoice.addItem(party_label(party), party.value)
        index = self.partyChoice.findData(chosen)
        self.partyChoice.setCurrentIndex(max(index, 0))
        self.partyChoice.blockSignals(False)
        several = len(parties) > 1
        self.partyChoice.setVisible(several)
        self.ui.partyValue.setVisible(not several)
        self.ui.partyValueLabel.setBuddy(self.partyChoice if several else self.ui.partyValue)

    @Slot(int)
    def _on_party(self, _index: int) -> None:
        self._update_rows()
        self.refresh()

    def _fact_combos(self) -> dict[Fact, QComboBox]:
        return {
            Fact.WARNED: self.ui.warnedCombo,
            Fact.REFUSED: self.ui.refusedCombo,
            Fact.SEVERITY: self.ui.severityCombo,
            Fact.ADVERSE_EFFECT: self.ui.adverseCombo,
            Fact.PRIOR_WARNING: self.ui.priorWarningCombo,
        }

    def _fit_role(self) -> None:
        # Keep the role the user chose when it fits the new clause; else the article's first.
        if self._rulebook is None or self._clause is None:
            return
        roles = self._rulebook.article_of(self._clause).roles
        current = ROLES[self.ui.roleCombo.currentIndex()]
        if roles and current not in roles:
            self.ui.roleCombo.blockSignals(True)
            self.ui.roleCombo.setCurrentIndex(ROLES.index(roles[0]))
            self.ui.roleCombo.blockSignals(False)

    def _update_rows(self) -> None:
        form = self.ui.factsForm
        clause, rulebook = self._clause, self._rulebook
        self._offer_parties(rulebook.parties_of(clause) if clause and rulebook else ())
        party = self._party()
        needed = needed_facts(rulebook, clause) if clause and rulebook else set()
        self.ui.partyValue.setText(party_label(party) if clause else "")
        for fact, combo in self._fact_combos().items():
            form.setRowVisible(combo, fact in needed)
        form.setRowVisible(self.ui.roleCombo, party is Party.STAFF)
        candidate = party is Party.CANDIDATE
        form.setRowVisible(self.ui.discoveredCheck, candidate)
        discovered = candidate and self.ui.discoveredCheck.isChecked()
        form.setRowVisible(self.ui.certificateCombo, discovered)
        form.setRowVisible(self.ui.decisionDateEdit, discovered)

    @Slot(int)
    def _on_clause_index(self, index: int) -> None:
        clause_id = self.ui.clauseCombo.itemData(index)
        if clause_id is None:
            return
        self.set_clause(str(clause_id))
        self.clauseChosen.emit(str(clause_id))

    def _label_undecided(self) -> None:
        self.ui.decisionDateEdit.setSpecialValueText(
            QCoreApplication.translate("ClassifierPanel", "尚未作出处理决定")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._label_undecided()
        super().changeEvent(event)

    def decision_date(self) -> QDate | None:
        """The decision date entered, or None while it reads "not decided"."""
        edit = self.ui.decisionDateEdit
        return None if edit.date() <= edit.minimumDate() else edit.date()

    @Slot(QDate)
    def _on_date(self, date: QDate) -> None:
        # A decision is never before the incident: keep the decision date from falling behind
        # (the day before the incident is the "not decided" value, and stays so).
        edit = self.ui.decisionDateEdit
        undecided = self.decision_date() is None
        edit.setMinimumDate(date.addDays(-1))
        if undecided:
            edit.setDate(edit.minimumDate())
        self.refresh()

    @Slot(bool)
    def _on_discovered(self, _checked: bool) -> None:
        self._update_rows()
        self.refresh()
