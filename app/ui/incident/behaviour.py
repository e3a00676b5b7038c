"""Finding the clause: the rulebook's search over a plain description, top hits as choices.

Each hit shows the clause's original text. When the description matches both the "carried"
and the "used" clause of a device (手机 → 5.1 and 6.1) and neither clearly leads, one question
is asked (使用了还是仅携带？) instead of letting the proctor guess between two clause numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from app.core.rulebook.model import Clause, Party, Rulebook
from app.ui.labels import article_label, clause_title, in_chinese, item_label, with_note

translate = QCoreApplication.translate
HITS = 5
CLAUSE_ROLE = Qt.ItemDataRole.UserRole
# The cue words (from the rulebook) that mark the two sides of the question.
USE_CUE = "使用"
CARRY_CUE = "携带"
# Below this lead of the first hit over the second the search has not decided between them.
CLEAR_LEAD = 2.0


@dataclass(frozen=True)
class CarryOrUse:
    used: str  # clause id if the device was used
    carried: str  # clause id if it was only carried


def carry_or_use(rulebook: Rulebook, hits: list[tuple[str, float]]) -> CarryOrUse | None:
    """The question to ask when the two top hits are a device's "carried" and "used" clauses."""
    if len(hits) < 2:
        return None
    (first, s1), (second, s2) = hits[0], hits[1]
    if s2 <= 0 or s1 / s2 >= CLEAR_LEAD:
        return None
    a, b = rulebook.clauses[first], rulebook.clauses[second]
    for used, carried in ((a, b), (b, a)):
        if USE_CUE in used.cues_zh and CARRY_CUE in carried.cues_zh:
            return CarryOrUse(used.id, carried.id)
    return None


def clause_heading(rulebook: Rulebook, clause: Clause) -> str:
    where = article_label(clause.article) + item_label(clause.item)
    return f"{clause.id}  {with_note(clause_title(clause), where)}"


class BehaviourSearch(QObject):
    """Search line, hit list, the carried/used question and the chosen clause's text."""

    #: The clause chosen (by Enter, a click, or the question's answer).
    clauseChosen = Signal(str)

    def __init__(
        self,
        edit: QLineEdit,
        hits: QListWidget,
        question: QWidget,
        used: QPushButton,
        carried: QPushButton,
        clause_text: QLabel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.edit = edit
        self.hits = hits
        self.question = question
        self.used_button = used
        self.carried_button = carried
        self.clause_text = clause_text
        self.rulebook: Rulebook | None = None
        self.party: Party | None = Party.CANDIDATE
        self.clause: Clause | None = None
        self._pair: CarryOrUse | None = None
        question.hide()
        edit.textChanged.connect(self.refresh)
        edit.installEventFilter(self)
        hits.itemActivated.connect(self._on_item)
        hits.itemClicked.connect(self._on_item)
        used.clicked.connect(lambda: self._answer(True))
        carried.clicked.connect(lambda: self._answer(False))

    def set_rulebook(self, rulebook: Rulebook, party: Party | None) -> None:
        self.rulebook = rulebook
        self.party = party
        self.refresh()

    def set_party(self, party: Party | None) -> None:
        self.party = party
        self.refresh()

    def refresh(self) -> None:
        from app.core.rulebook.search import search

        self.hits.clear()
        self._pair = None
        if self.rulebook is None:
            return
        text = self.edit.text().strip()
        found = search(self.rulebook, text, self.party, limit=HITS) if text else []
        for hit in found:
            clause = self.rulebook.clauses[hit.clause_id]
            item = QListWidgetItem(f"{clause_heading(self.rulebook, clause)}\n{clause.text_zh}")
            item.setData(CLAUSE_ROLE, clause.id)
            # The hit shows the regulation's own (Chinese) text; the tooltip the other language.
            item.setToolTip(clause.title_zh if not in_chinese() else clause.title_en)
            self.hits.addItem(item)
        if found:
            self.hits.setCurrentRow(0)
        self._pair = carry_or_use(self.rulebook, [(h.clause_id, h.score) for h in found])
        self.question.setVisible(self._pair is not None)

    def show_clause(self, clause_id: str | None) -> None:
        """Show ``clause_id`` as chosen, without emitting (restoring a draft)."""
        rulebook = self.rulebook
        clause = rulebook.clauses.get(clause_id) if rulebook and clause_id else None
        self.clause = clause
        if clause is None or rulebook is None:
            self.clause_text.setText("")
            return
        heading = translate("BehaviourSearch", "已选条款：%1").replace(
            "%1", clause_heading(rulebook, clause)
        )
        text = f"<b>{_esc(heading)}</b><br>{_esc(clause.text_zh)}"
        if not in_chinese() and clause.text_en:
            text += f"<br><i>{_esc(clause.text_en)}</i>"
        self.clause_text.setText(text)

    def choose(self, clause_id: str) -> None:
        self.question.hide()
        self._mark_in_hits(clause_id)
        self.show_clause(clause_id)
        self.clauseChosen.emit(clause_id)

    def _mark_in_hits(self, clause_id: str) -> None:
        """Highlight the chosen clause among the hits (the first hit stayed highlighted when
        the carried/used answer chose another), or none when it is not listed."""
        for row in range(self.hits.count()):
            if self.hits.item(row).data(CLAUSE_ROLE) == clause_id:
                self.hits.setCurrentRow(row)
                return
        self.hits.setCurrentRow(-1)

    def _answer(self, used: bool) -> None:
        if self._pair is not None:
            self.choose(self._pair.used if used else self._pair.carried)

    def _on_item(self, item: QListWidgetItem) -> None:
        clause_id = item.data(CLAUSE_ROLE)
        if clause_id:
            self.choose(str(clause_id))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._pair is not None:
                    # Enter cannot guess between carried and used: it goes to the question.
                    self.used_button.setFocus(Qt.FocusReason.TabFocusReason)
                elif self.hits.count():
                    item = self.hits.currentItem() or self.hits.item(0)
                    self._on_item(item)
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.hits.count():
                row = self.hits.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                self.hits.setCurrentRow(max(0, min(row, self.hits.count() - 1)))
                return True
        return super().eventFilter(watched, event)


def _esc(text: str) -> str:
    return escape(text)
