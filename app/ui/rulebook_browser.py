"""The rulebook browser pane: every clause by party and article, search, detail, classifier.

A ``QWidget`` so it can be hosted by the main window now and by the session dashboard later.
It reads rulebooks through two functions (``load`` and ``choices``), by default the core
loader's ``load_rulebook`` and ``available_rulebooks``, so tests and hosts can pass their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QTreeWidgetItem, QTreeWidgetItemIterator, QWidget

from app.core.errors import UserError
from app.core.rulebook import DEFAULT_RULEBOOK_ID
from app.core.rulebook.model import Clause, Party, Rulebook
from app.ui.classifier_panel import ClassifierPanel
from app.ui.clause_detail import article_html, clause_html
from app.ui.generated.ui_rulebook_browser import Ui_RulebookBrowser
from app.ui.labels import (
    article_label,
    article_title,
    clause_title,
    in_chinese,
    party_label,
    with_note,
)
from app.ui.outcome_view import error_html
from app.ui.wrapped_titles import WrappedTitles

SEARCH_LIMIT = 20
# Item data roles of the tree: what a row stands for.
CLAUSE_ROLE = Qt.ItemDataRole.UserRole
ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1
LOCAL_COLOUR = "#8a4b00"  # local (extension) clauses, as in the detail pane

Loader = Callable[[str], Rulebook]
Choices = Callable[[], Sequence[tuple[str, str, str]]]


def _default_load(ref: str) -> Rulebook:
    from app.core.rulebook.loader import load_rulebook

    return load_rulebook(ref)


def _default_choices() -> Sequence[tuple[str, str, str]]:
    from app.core.rulebook.loader import available_rulebooks

    return available_rulebooks(english=not in_chinese())  # titles in the interface language


def rank_clauses(rulebook: Rulebook, text: str) -> list[str]:
    """Clause ids for a search text, best first: id matches, ranked search hits, text matches."""
    from app.core.rulebook.search import search

    query = text.strip()
    if not query:
        return []
    folded = query.casefold()
    ids = list(rulebook.clauses)
    exact = [c for c in ids if c.casefold() == folded]
    prefix = [c for c in ids if c.casefold().startswith(folded) and c not in exact]
    ranked = [hit.clause_id for hit in search(rulebook, query, limit=SEARCH_LIMIT)]
    literal = [c for c in ids if _contains(rulebook.clauses[c], query, folded)]
    result = dict.fromkeys([*exact, *prefix, *ranked, *literal])
    return [c for c in result if c in rulebook.clauses]


def _contains(clause: Clause, query: str, folded: str) -> bool:
    if query in clause.text_zh or query in clause.title_zh:
        return True
    return folded in clause.text_en.casefold() or folded in clause.title_en.casefold()


class RulebookBrowser(QWidget):
    """Browse a rulebook's clauses, read their verbatim text and try the classifier on them."""

    #: The clause shown changed (its id).
    clauseSelected = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        load: Loader | None = None,
        choices: Choices | None = None,
        rulebook_id: str = DEFAULT_RULEBOOK_ID,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_RulebookBrowser()
        self.ui.setupUi(self)
        self._load = load or _default_load
        self._rulebook: Rulebook | None = None
        self._clause_items: dict[str, QTreeWidgetItem] = {}
        self._syncing = False
        # Long titles (most English ones) wrap rather than end in "…" in the narrow pane.
        self._titles = WrappedTitles(self.ui.clauseTree)

        self.classifier = ClassifierPanel(self.ui.classifierHost)
        self.ui.classifierLayout.addWidget(self.classifier)
        # Reading panes pass Tab on, so the keyboard walks list → detail → classifier inputs.
        self.ui.detailView.setTabChangesFocus(True)
        QWidget.setTabOrder(self.ui.detailView, self.classifier.ui.clauseCombo)
        self.ui.splitter.setStretchFactor(0, 3)
        self.ui.splitter.setStretchFactor(1, 4)
        self.ui.splitter.setStretchFactor(2, 4)
        self.ui.splitter.setSizes([330, 500, 500])

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)

        self.ui.searchEdit.textChanged.connect(self._on_search)
        self.ui.clauseTree.currentItemChanged.connect(self._on_current_item)
        self.classifier.clauseChosen.connect(self.select_clause)

        self._choices = choices or _default_choices
        self._fill_choices(self._choices, rulebook_id)
        self.ui.rulebookCombo.currentIndexChanged.connect(self._on_rulebook_index)
        self.set_rulebook(rulebook_id)

    # -- public API ------------------------------------------------------------------------

    @property
    def rulebook(self) -> Rulebook | None:
        return self._rulebook

    def set_rulebook(self, ref: str) -> bool:
        """Load and show a rulebook; on a rulebook error, say so in the pane and return False."""
        try:
            rulebook = self._load(ref)
        except UserError as exc:
            self.ui.detailView.setHtml(error_html(str(exc)))
            self.ui.statusLabel.setText(self.tr("规则无法加载"))
            return False
        previous = self.current_clause_id()
        self._rulebook = rulebook
        index = self.ui.rulebookCombo.findData(rulebook.id)
        if index >= 0 and index != self.ui.rulebookCombo.currentIndex():
            self.ui.rulebookCombo.blockSignals(True)
            self.ui.rulebookCombo.setCurrentIndex(index)
            self.ui.rulebookCombo.blockSignals(False)
        self.classifier.set_rulebook(rulebook)
        self._show(self.ui.searchEdit.text())
        target = previous if previous in rulebook.clauses else None
        self.select_clause(target or next(iter(rulebook.clauses), ""))
        return True

    def current_clause_id(self) -> str | None:
        item = self.ui.clauseTree.currentItem()
        value = item.data(0, CLAUSE_ROLE) if item is not None else None
        return str(value) if value is not None else None

    def clause_ids_listed(self) -> list[str]:
        """The clause ids the tree shows now, in display order."""
        ids: list[str] = []
        it = QTreeWidgetItemIterator(self.ui.clauseTree)
        while (item := it.value()) is not None:
            value = item.data(0, CLAUSE_ROLE)
            if value is not None:
                ids.append(str(value))
            it += 1
        return ids

    @Slot(str)
    def select_clause(self, clause_id: str) -> None:
        """Make ``clause_id`` current in the tree (clearing a search that hides it)."""
        if self._rulebook is None or clause_id not in self._rulebook.clauses:
            return
        if clause_id not in self._clause_items:
            self.ui.searchEdit.clear()  # restores the full tree
        item = self._clause_items.get(clause_id)
        if item is not None:
            self.ui.clauseTree.setCurrentItem(item)
            self.ui.clauseTree.scrollToItem(item)

    @Slot()
    def focus_search(self) -> None:
        self.ui.searchEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.searchEdit.selectAll()

    def detail_text(self) -> str:
        """The detail pane as plain text (what a reader sees)."""
        return self.ui.detailView.toPlainText()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # The tree's titles, the detail and the classifier follow the interface language.
            self.ui.retranslateUi(self)
            current = self.current_clause_id()
            self._show(self.ui.searchEdit.text())
            if current is not None:
                self.select_clause(current)
                clause = self._rulebook.clauses[current] if self._rulebook else None
                if clause is not None and self._rulebook is not None:
                    self.ui.detailView.setHtml(clause_html(self._rulebook, clause))
            if self._rulebook is not None:
                self.classifier.set_rulebook(self._rulebook)
            self._relabel_choices()
        super().changeEvent(event)

    def _relabel_choices(self) -> None:
        """The rulebooks' titles again, in the language just chosen."""
        try:
            entries = list(self._choices())
        except UserError:
            return
        combo = self.ui.rulebookCombo
        for rulebook_id, title, version in entries:
            index = combo.findData(rulebook_id)
            if index >= 0:
                combo.setItemText(index, with_note(title, version))

    # -- internals -------------------------------------------------------------------------

    def _fill_choices(self, choices: Choices, wanted: str) -> None:
        combo = self.ui.rulebookCombo
        combo.blockSignals(True)
        try:
            entries = list(choices())
        except UserError as exc:
            entries = []
            self.ui.statusLabel.setText(str(exc))
        for rulebook_id, title, version in entries:
            combo.addItem(with_note(title, version), rulebook_id)
            combo.setItemData(combo.count() - 1, rulebook_id, Qt.ItemDataRole.ToolTipRole)
        if combo.findData(wanted) < 0:
            combo.addItem(wanted, wanted)
        combo.setCurrentIndex(combo.findData(wanted))
        combo.blockSignals(False)

    @Slot(int)
    def _on_rulebook_index(self, index: int) -> None:
        ref = self.ui.rulebookCombo.itemData(index)
        if ref is not None:
            self.set_rulebook(str(ref))

    @Slot(str)
    def _on_search(self, text: str) -> None:
        current = self.current_clause_id()
        self._show(text)
        if text.strip():
            first = self.ui.clauseTree.topLevelItem(0)
            if first is not None:
                self.ui.clauseTree.setCurrentItem(first)
        elif current is not None:
            self.select_clause(current)

    def _show(self, text: str) -> None:
        """Fill the tree: grouped by party and article, or a ranked flat list for a search."""
        tree = self.ui.clauseTree
        self._syncing = True  # rebuilding fires currentItemChanged for every removed row
        tree.clear()
        self._clause_items = {}
        rulebook = self._rulebook
        if rulebook is not None:
            if text.strip():
                self._fill_results(rulebook, rank_clauses(rulebook, text))
            else:
                self._fill_tree(rulebook)
        self._syncing = False

    def _fill_tree(self, rulebook: Rulebook) -> None:
        parties: dict[Party | None, QTreeWidgetItem] = {}
        articles: dict[int, QTreeWidgetItem] = {}
        order = [Party.CANDIDATE, Party.STAFF, Party.INSTITUTION]
        for party in order:
            if rulebook.clauses_for(party):
                item = QTreeWidgetItem([party_label(party)])
                self.ui.clauseTree.addTopLevelItem(item)
                parties[party] = item
        for clause in rulebook.clauses.values():
            article = rulebook.article_of(clause)
            parent = parties.get(article.party)
            if parent is None:
                parent = QTreeWidgetItem([party_label(article.party)])
                self.ui.clauseTree.addTopLevelItem(parent)
                parties[article.party] = parent
            article_item = articles.get(article.number)
            if article_item is None:
                label = f"{article_label(article.number)} {article_title(article)}".strip()
                article_item = QTreeWidgetItem(parent, [label])
                article_item.setData(0, ARTICLE_ROLE, article.number)
                other = article.title_en if in_chinese() else article.title_zh
                article_item.setToolTip(0, f"{label}\n{other}")
                articles[article.number] = article_item
            self._clause_items[clause.id] = self._clause_item(article_item, clause)
        self.ui.clauseTree.expandAll()
        self.ui.statusLabel.setText(self.tr("共 %n 条", "", len(rulebook.clauses)))

    def _fill_results(self, rulebook: Rulebook, ids: list[str]) -> None:
        for clause_id in ids:
            self._clause_items[clause_id] = self._clause_item(None, rulebook.clauses[clause_id])
        if ids:
            self.ui.statusLabel.setText(
                self.tr("找到 %1 条（按相关程度排列）").replace("%1", str(len(ids)))
            )
        else:
            self.ui.statusLabel.setText(self.tr("没有找到匹配的条款"))

    def _clause_item(self, parent: QTreeWidgetItem | None, clause: Clause) -> QTreeWidgetItem:
        label = f"{clause.id}  {clause_title(clause)}"
        if clause.local:
            label += QCoreApplication.translate("RulebookBrowser", "（本地）")
        item = QTreeWidgetItem([label])
        if clause.local:  # told apart at a glance even when the label is cut off
            item.setForeground(0, QBrush(QColor(LOCAL_COLOUR)))
        item.setData(0, CLAUSE_ROLE, clause.id)
        item.setToolTip(0, f"{label}\n{clause.title_en if in_chinese() else clause.title_zh}")
        if parent is None:
            self.ui.clauseTree.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current_item(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if self._syncing or current is None or self._rulebook is None:
            return
        clause_id = current.data(0, CLAUSE_ROLE)
        if clause_id is not None:
            clause = self._rulebook.clauses[str(clause_id)]
            self.ui.detailView.setHtml(clause_html(self._rulebook, clause))
            self.classifier.set_clause(clause.id)
            self.clauseSelected.emit(clause.id)
            return
        number = current.data(0, ARTICLE_ROLE)
        if number is not None:
            article = self._rulebook.articles[int(number)]
            self.ui.detailView.setHtml(article_html(self._rulebook, article))
