"""Type-ahead over the roster (candidates) or the staff list: who the incident is about.

Matches by name, ticket number, seat (``1-5`` or ``第1考场5``) and the last digits of the ID
number. A match that is unambiguous (the one full name, ticket, seat or ID tail typed) is taken
at once, so picking a person is usually just typing; otherwise Enter takes the first suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit

from app.core.records.tables import Candidate, Staff
from app.ui.labels import role_label

translate = QCoreApplication.translate
SUGGESTIONS = 12
_ROOM_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Person:
    id: str
    kind: str  # candidate | staff
    name: str
    label: str  # one line for the suggestion list
    keys: tuple[str, ...]  # exact keys that pick this person at once
    haystack: str  # what a partial query is matched against
    room: str | None = None
    seat: int | None = None
    role: str | None = None


def _room_number(room: str) -> str:
    found = _ROOM_NUMBER.search(room)
    return found.group(0) if found else room


def candidate_person(c: Candidate) -> Person:
    tail = c.id_number[-4:]
    seat_short = f"{_room_number(c.room)}-{c.seat}"
    label = (
        translate("PersonPicker", "%1 · %2 %3号 · 准考证 %4 · 证件尾号 %5")
        .replace("%1", c.name)
        .replace("%2", c.room)
        .replace("%3", str(c.seat))
        .replace("%4", c.ticket_number)
        .replace("%5", tail)
    )
    keys = (c.name, c.ticket_number, seat_short, f"{c.room}{c.seat}")
    haystack = " ".join([c.name, c.ticket_number, seat_short, f"{c.room}{c.seat}号"])
    return Person(c.id, "candidate", c.name, label, keys, haystack, c.room, c.seat)


def staff_person(s: Staff) -> Person:
    label = (
        translate("PersonPicker", "%1 · %2 · 工号 %3")
        .replace("%1", s.name)
        .replace("%2", role_label_safe(s.role))
        .replace("%3", s.staff_number)
    )
    keys = (s.name, s.staff_number)
    return Person(s.id, "staff", s.name, label, keys, f"{s.name} {s.staff_number}", role=s.role)


def role_label_safe(role: str) -> str:
    from app.core.rulebook.model import StaffRole

    try:
        return role_label(StaffRole(role))
    except ValueError:
        return role


def matches(people: list[Person], text: str, id_numbers: dict[str, str]) -> list[Person]:
    """People for a partial query, best first: exact keys, then prefixes, then anywhere."""
    query = text.strip()
    if not query:
        return []
    folded = query.casefold()
    exact, prefix, inside = [], [], []
    for person in people:
        id_number = id_numbers.get(person.id, "")
        if any(k.casefold() == folded for k in person.keys) or (
            len(query) >= 4 and query.isalnum() and id_number.casefold().endswith(folded)
        ):
            exact.append(person)
        elif person.name.startswith(query) or any(
            k.casefold().startswith(folded) for k in person.keys
        ):
            prefix.append(person)
        elif folded in person.haystack.casefold():
            inside.append(person)
    return exact + prefix + inside


class PersonPicker(QObject):
    """Drives the person line edit: suggestions as you type, auto-pick on a unique match."""

    #: A person was chosen (their id), or "" when the choice was cleared.
    chosen = Signal(str)

    def __init__(self, edit: QLineEdit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.edit = edit
        self._people: list[Person] = []
        self._by_label: dict[str, Person] = {}
        self._id_numbers: dict[str, str] = {}
        self._shown: list[Person] = []
        self.current: Person | None = None
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        # The list is filtered here (by every key), so the completer shows it as it is.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(SUGGESTIONS)
        self.completer.setWidget(edit)
        self.completer.activated[str].connect(self._on_activated)  # type: ignore[index]
        edit.textEdited.connect(self._on_edited)
        edit.installEventFilter(self)

    def _popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None  # QCompleter always has one
        return popup

    def set_candidates(self, candidates: list[Candidate]) -> None:
        self._set([candidate_person(c) for c in candidates])
        self._id_numbers = {c.id: c.id_number for c in candidates}

    def set_staff(self, staff: list[Staff]) -> None:
        self._set([staff_person(s) for s in staff])
        self._id_numbers = {}

    def _set(self, people: list[Person]) -> None:
        self._people = people
        self._by_label = {p.label: p for p in people}
        self.current = None
        self.model.setStringList([])

    def person(self, person_id: str | None) -> Person | None:
        return next((p for p in self._people if p.id == person_id), None)

    def select(self, person_id: str | None, *, emit: bool = True) -> None:
        """Show ``person_id`` as chosen (None clears the choice)."""
        person = self.person(person_id)
        self.current = person
        self._popup().hide()
        self.edit.setText("" if person is None else person.name)
        if emit:
            self.chosen.emit("" if person is None else person.id)

    def _on_edited(self, text: str) -> None:
        if self.current is not None and text != self.current.name:
            self.current = None
            self.chosen.emit("")
        found = matches(self._people, text, self._id_numbers)
        self._shown = found[:SUGGESTIONS]
        exact = [p for p in found if self._is_exact(p, text)]
        if len(found) == 1 and exact:
            self.select(found[0].id)
            return
        self.model.setStringList([p.label for p in self._shown])
        if self._shown:
            self.completer.complete()
            # Enter in the open list takes the best match, as it does with the list closed.
            self._popup().setCurrentIndex(self.completer.completionModel().index(0, 0))
        else:
            self._popup().hide()

    def _is_exact(self, person: Person, text: str) -> bool:
        query = text.strip().casefold()
        id_number = self._id_numbers.get(person.id, "").casefold()
        return any(k.casefold() == query for k in person.keys) or (
            len(query) >= 4 and bool(id_number) and id_number.endswith(query)
        )

    def _on_activated(self, label: str) -> None:
        person = self._by_label.get(label)
        if person is not None:
            self.select(person.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter with the popup closed takes the first suggestion (the popup handles its own).
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and self.current is None and self._shown:
                self.select(self._shown[0].id)
                return True
        return super().eventFilter(watched, event)
